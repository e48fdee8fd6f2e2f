"""Reading every supported format from the project's own fixtures (and ../shared when present)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from datamin.core.records import RawRecord, Unreadable
from datamin.formats import detect_format, expand_patterns, read_file

CASES = Path(__file__).parents[1] / "pipelines" / "cases"


def read(name: str) -> tuple[list[RawRecord], list[Unreadable]]:
    items = list(read_file(str(CASES / name), 4 << 20))
    return [i for i in items if isinstance(i, RawRecord)], [
        i for i in items if isinstance(i, Unreadable)
    ]


@pytest.mark.parametrize(
    ("name", "records", "har"),
    [
        ("traffic.har", 2, True),
        ("traffic-bom.har", 2, True),  # a UTF-8 byte-order mark is not an error
        ("messages.jsonl", 2, False),
        ("messages.jsonl.gz", 2, False),  # gzip by extension, streamed
        ("messages-array.json", 2, False),  # a JSON array, item by item
        ("one-record.json", 1, False),  # a single JSON document is one record
    ],
)
def test_valid_files_yield_every_record(name: str, records: int, har: bool) -> None:
    found, failed = read(name)
    assert failed == []
    assert len(found) == records
    assert all(r.kind == ("har" if har else None) for r in found)
    assert all(isinstance(orjson.loads(r.data), dict) for r in found)


def test_jsonl_positions_are_line_numbers() -> None:
    found, _ = read("messages.jsonl")
    assert [r.index for r in found] == [1, 2]


def test_bad_lines_are_still_yielded_for_the_minimizer_to_quarantine() -> None:
    found, failed = read("bad-lines.jsonl")
    assert failed == [] and [r.index for r in found] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("name", "good", "error"),
    [
        (
            "truncated.har",
            0,
            "invalid JSON document",
        ),  # cut inside its first entry: no entry is complete
        ("truncated.jsonl.gz", None, "unreadable from here"),  # lines before the cut survive
        ("empty.jsonl", 0, "empty file"),
    ],
)
def test_unreadable_files_end_in_one_unreadable_item(
    name: str, good: int | None, error: str
) -> None:
    found, failed = read(name)
    assert len(failed) == 1 and error in failed[0].error
    if good is not None:
        assert len(found) == good
    else:
        assert len(found) > 0


def test_unreadable_messages_carry_no_content() -> None:
    _, failed = read("truncated.har")
    assert "Bearer" not in failed[0].error and "ann.lee" not in failed[0].error


def test_records_over_the_size_limit_are_reported_not_held() -> None:
    items = list(read_file(str(CASES / "messages.jsonl"), 100))
    assert [type(i).__name__ for i in items] == ["Unreadable", "Unreadable"]
    assert all("LimitExceeded" in i.error for i in items if isinstance(i, Unreadable))


@pytest.mark.parametrize(
    ("path", "head", "fmt"),
    [
        ("x.har", b"{", "har"),
        ("x.har.gz", b"{", "har"),
        ("x.ndjson", b"{}", "jsonl"),
        ("x.json", b"[", "json"),
        ("x.log", b'{"a": 1}\n{"a": 2}\n', "jsonl"),  # unknown extension: sniffed
        ("x.log", b'{\n "a": 1}', "json"),
    ],
)
def test_format_detection(path: str, head: bytes, fmt: str) -> None:
    assert detect_format(path, head) == fmt


def test_a_pattern_that_matches_nothing_is_an_input_error() -> None:
    from datamin.errors import InputError

    with pytest.raises(InputError):
        expand_patterns([str(CASES / "nothing-*.har")])


def test_every_shared_capture_is_read(har_corpus: Path) -> None:
    """Real browser captures: the valid ones yield entries, the truncated one is unreadable."""
    for path in sorted(har_corpus.glob("*.har")):
        items = list(read_file(str(path), 4 << 20))
        if path.name == "broken.har":
            assert [type(i) for i in items] == [Unreadable]
        else:
            assert items and all(isinstance(i, RawRecord) and i.kind == "har" for i in items), (
                path.name
            )


def test_nothing_under_the_output_is_an_input(tmp_path: Path) -> None:
    """However the output is named or reached (a link, a `./`, a glob over it), what a run
    wrote there is not listed again as the next run's input."""
    (tmp_path / "in" / "out" / "_audit").mkdir(parents=True)
    (tmp_path / "in" / "a.jsonl").write_text("{}\n")
    (tmp_path / "in" / "out" / "_audit" / "run.json").write_text("{}")
    (tmp_path / "in" / "to-audit.json").symlink_to(tmp_path / "in" / "out" / "_audit" / "run.json")
    (tmp_path / "link").symlink_to(tmp_path / "in")
    inputs = str(tmp_path / "in")
    expected = [str(tmp_path / "in" / "a.jsonl")]
    for output in [f"{inputs}/out", f"{inputs}/./out/", str(tmp_path / "link" / "out")]:
        assert expand_patterns([inputs], exclude=output) == expected
        assert expand_patterns([f"{inputs}/*"], exclude=output) == expected
    assert len(expand_patterns([inputs])) == 3  # without an output, everything


def test_a_pattern_that_matches_only_the_output_is_an_input_error(tmp_path: Path) -> None:
    from datamin.errors import InputError

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x.json").write_text("{}")
    with pytest.raises(InputError, match="outside the output"):
        expand_patterns([str(tmp_path / "*" / "*.json")], exclude=str(tmp_path / "out"))


def test_a_file_named_inside_the_output_is_an_input_error(tmp_path: Path) -> None:
    # The run's own key, audits and Parquet are never its input, even named one by one.
    from datamin.errors import InputError

    (tmp_path / "out" / "_audit").mkdir(parents=True)
    (tmp_path / "out" / "_audit" / "key.json").write_text("{}")
    with pytest.raises(InputError, match="inside the output"):
        expand_patterns(
            [str(tmp_path / "out" / "_audit" / "key.json")], exclude=str(tmp_path / "out")
        )


def test_a_fifo_named_as_an_input_is_an_error_not_a_hang(tmp_path: Path) -> None:
    """A named pipe (or a device) named as an input would block the run forever: refused at
    once, in one line that names it by its shape."""
    import os

    from datamin.errors import InputError

    os.mkfifo(tmp_path / "b.jsonl")
    with pytest.raises(InputError, match=r"not a regular file \(a FIFO\): .*/a\.jsonl$"):
        expand_patterns([str(tmp_path / "b.jsonl")])


@pytest.mark.parametrize("how", ["folder", "pattern"])
def test_a_fifo_or_a_device_found_among_the_inputs_is_one_quarantined_record(
    tmp_path: Path, how: str
) -> None:
    """Found in an input folder or by a pattern, a FIFO, a socket or a device (here through a
    link) is one quarantined record with its own error, as a dangling link is, never opened;
    the other files are read. One of them made the whole run refuse, exit 2."""
    import os
    import socket

    (tmp_path / "a.jsonl").write_text("{}\n")
    os.mkfifo(tmp_path / "b.jsonl")
    (tmp_path / "c.jsonl").symlink_to("/dev/null")
    (tmp_path / "d.jsonl").symlink_to(tmp_path / "gone")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "e.jsonl"))
        found = expand_patterns([str(tmp_path) if how == "folder" else f"{tmp_path}/*.jsonl"])
        read = {
            Path(p).name: [(type(i), getattr(i, "error", None)) for i in read_file(p, 4096)]
            for p in found
        }
    assert read == {
        "a.jsonl": [(RawRecord, None)],
        "b.jsonl": [(Unreadable, "InputError: not a regular file (a FIFO)")],
        "c.jsonl": [(Unreadable, "InputError: not a regular file (a character device)")],
        "e.jsonl": [(Unreadable, "InputError: not a regular file (a socket)")],
        # A pattern matches no dangling link; a folder lists it.
        **(
            {"d.jsonl": [(Unreadable, "InputError: cannot open (FileNotFoundError)")]}
            if how == "folder"
            else {}
        ),
    }
