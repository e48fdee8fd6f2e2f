"""The output is a trust boundary: a link planted anywhere datamin expects its own file or
directory is never followed. Each case moves a real piece of an output (or a bait directory)
outside it and leaves a link in its place; neither `dispose` nor `run` may change anything
outside, `dispose` lists the link and does the rest (exit 1) or refuses in one line when it
could not audit (exit 2), and keeps working on later calls.

And a dispose stopped at any step, before or after its deletions, is carried out and audited by
the next dispose (or run): every partition and token key it removed is in exactly one record."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.errors import OutputError
from datamin.output.dispose import dispose, parse_now, verify
from datamin.output.rawquarantine import RawEntry, RawKeySource, create_raw_key_file, write_raw_file
from datamin.output.tokenkeys import TokenKeyStore
from datamin.pipelines import batch

POLICY = """\
version: 1
name: links
event_time: [ts]
retention:
  default: short
  classes: {short: 7d, long: 30d, kept: forever}
fields:
  - {path: ts, action: keep, column: ts, retention: kept}
  - {path: note, action: keep, retention: short}
  - {path: account, action: keep, retention: long}
"""
DAYS = ["2026-01-01", "2026-01-10"]
NOW = "2100-01-01"
CANARY = b"canary: outside the output, must survive\n"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run's output: short, long and forever partitions on two dates, a quarantined line, and
    a raw quarantine store of the run."""
    root = tmp_path_factory.mktemp("links")
    (root / "p.yaml").write_text(POLICY)
    lines = [
        json.dumps({"ts": f"{day}T0{i}:00:00Z", "note": "n", "account": "a"})
        for day in DAYS
        for i in range(2)
    ]
    (root / "in.jsonl").write_text("\n".join([*lines, "{not json"]) + "\n")
    out = root / "built"
    result = batch.run([str(root / "in.jsonl")], out, root / "p.yaml")
    create_raw_key_file(root / "raw.key")
    key = RawKeySource(str(root / "raw.key")).load()
    entry = RawEntry(str(root / "in.jsonl"), 5, "InputError: invalid JSON", b"{not json\n")
    write_raw_file(str(out), result.run_id, "part-a", key, [entry])
    return out


@pytest.fixture
def out(tree: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(tree, copy, symlinks=True)
    return copy


def run_id(out: Path) -> str:
    (record,) = (out / "_audit" / "runs").glob("*.json")
    return record.stem


def files_of(folder: Path) -> dict[str, str]:
    """Every file below `folder` (never through a link) with its content hash."""
    found = {}
    for top, dirs, names in os.walk(folder):
        for name in names + [d for d in dirs if Path(top, d).is_symlink()]:
            path = Path(top, name)
            rel = str(path.relative_to(folder))
            found[rel] = (
                "link" if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest()
            )
    return found


def visible_partitions(out: Path) -> set[str]:
    """`class/date` of each real (not linked) partition directory."""
    found = set()
    for cls in (
        (out / "data").iterdir()
        if (out / "data").is_dir() and not (out / "data").is_symlink()
        else []
    ):
        if cls.is_symlink() or cls.name.startswith("."):
            continue
        found |= {  # with something in it
            f"{cls.name}/{d.name}"
            for d in cls.iterdir()
            if not d.is_symlink() and not d.name.startswith(".") and any(d.iterdir())
        }
    return found


# Where a link is planted (`{run}`: the run's id, `{part}`: a data file's name), and the exit
# code of `dispose` with it there: 1 (listed, the rest done) or 2 (nothing could be audited).
CASES = [
    ("data", 1),
    ("data/retention=short", 1),
    ("data/retention=short/date=2026-01-01", 1),
    ("data/retention=short/date=2026-01-01/{part}", 1),
    ("data/retention=short/.disposing-date=2026-01-01", 1),
    ("_quarantine", 1),
    ("_quarantine/{run}", 1),
    ("_quarantine/.disposing-{run}", 1),
    ("_quarantine_raw", 1),
    ("_quarantine_raw/{run}", 1),
    ("_audit", 2),
    ("_audit/runs", 1),
    ("_audit/policies", 1),
    ("_audit/disposals", 2),
    ("_lock", 2),
]


def plant(out: Path, where: str, outside: Path) -> tuple[str, Path, bool]:
    """Move what is at `where` outside (or make a bait directory there, full of files datamin
    would delete if it followed the link) and link it back. Returns the path, the target, and
    whether the target is the output's own (moved) content."""
    part = next((out / "data/retention=short/date=2026-01-01").glob("*.parquet")).name
    rel = where.format(run=run_id(out), part=part)
    link, target = out / rel, outside / "target"
    moved = link.exists()
    if moved:
        shutil.move(link, target)
    else:
        target.mkdir()
        (target / part).write_bytes(
            (out / "data/retention=short/date=2026-01-01" / part).read_bytes()
        )
        (target / "canary.txt").write_bytes(CANARY)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=target.is_dir())
    return rel, target, moved


@pytest.mark.parametrize(("where", "code"), CASES, ids=[c[0] for c in CASES])
def test_a_link_is_never_followed(out: Path, tmp_path: Path, where: str, code: int) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    rel, target, moved = plant(out, where, outside)
    canaries = files_of(outside)
    assert canaries
    runner = CliRunner()
    args = ["dispose", "-o", str(out), "--now", NOW]

    # A run refuses the output in one line and writes nothing, inside or out.
    (tmp_path / "p.yaml").write_text(POLICY)
    (tmp_path / "in.jsonl").write_text(
        json.dumps({"ts": "2026-03-01T00:00:00Z", "note": "x"}) + "\n"
    )
    before = files_of(out)
    with pytest.raises(OutputError, match="is a link") as raised:
        batch.run([str(tmp_path / "in.jsonl")], out, tmp_path / "p.yaml")
    assert "\n" not in str(raised.value) and rel.split("/")[0] in str(raised.value)
    assert files_of(out) == before and files_of(outside) == canaries

    for attempt in range(2):  # and again: a link never breaks later calls
        result = runner.invoke(app, args)
        assert result.exit_code == code, (attempt, result.output)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert files_of(outside) == canaries, attempt
        assert os.path.islink(out / rel), "the link is left for the user to look at"
        if code == 2:
            assert "is a link" in result.output and len(result.output.strip().splitlines()) == 1
            assert files_of(out) == before  # nothing deleted: it could not be recorded
        else:
            assert f"{rel}: a link" in result.output
            # The rest went: no expired partition is left that is not behind the link.
            left = [p for p in visible_partitions(out) if not p.startswith("retention=kept")]
            assert all(rel.startswith(f"data/{p}/") for p in left), left

    # The link gone (and what it hid put back), dispose finishes the job and verifies.
    os.unlink(out / rel)
    if moved:
        shutil.move(target, out / rel)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "links left alone: 0" in result.output


def test_a_lock_that_is_not_a_regular_file_is_refused(out: Path, tmp_path: Path) -> None:
    (out / "_lock").unlink()
    os.mkfifo(out / "_lock")
    with pytest.raises(OutputError, match="_lock is a link or not a regular file"):
        dispose(out, parse_now(NOW))
    (out / "_lock").unlink()
    (out / "_lock").mkdir()
    result = CliRunner().invoke(app, ["dispose", "-o", str(out), "--now", NOW])
    assert result.exit_code == 2 and "not a regular file" in result.output


def test_run_cli_with_a_linked_partition_is_one_line_exit_2(out: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    rel, _, _ = plant(out, "data/retention=short", outside)
    canaries = files_of(outside)
    (tmp_path / "p.yaml").write_text(POLICY)
    (tmp_path / "in.jsonl").write_text(
        json.dumps({"ts": "2026-01-01T05:00:00Z", "note": "x"}) + "\n"
    )
    args = ["run", "-i", str(tmp_path / "in.jsonl"), "-o", str(out), "-p", str(tmp_path / "p.yaml")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and f"{rel} is a link" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert files_of(outside) == canaries


# -- a dispose stopped at any step ------------------------------------------------------------


class Stopped(BaseException):
    """Raised from a step: the disposal stops there, as a kill would stop it."""


def keyed(out: Path, tmp_path: Path) -> Path:
    """A token key store with a key for every partition of `out`."""
    store = TokenKeyStore(tmp_path / "keys")
    store.init()
    for part in visible_partitions(out):
        cls, day = (x.split("=")[1] for x in part.split("/"))
        store.key_for(cls, day, create=True)
    return tmp_path / "keys"


def records(out: Path) -> list[dict]:
    folder = out / "_audit" / "disposals"
    return [
        json.loads(p.read_text())
        for p in sorted(folder.glob("*.json"))
        if not p.name.endswith(".intent.json")
    ]


def test_a_dispose_stopped_at_any_step_is_finished_and_audited_by_the_next(
    tree: Path, tmp_path: Path
) -> None:
    probe = tmp_path / "probe"
    shutil.copytree(tree, probe)
    steps: list[str] = []
    plan = dispose(
        probe,
        parse_now(NOW),
        token_keys=keyed(probe, tmp_path / "probe-keys"),
        on_step=steps.append,
    )
    gone, keys = sorted(plan.partitions), sorted(plan.token_keys_deleted)
    assert len(gone) == 4 and len(keys) == 4 and plan.quarantine_runs and plan.raw_quarantine_runs
    assert steps[0] == "intent" and steps[-2:] == ["record", "audit"]
    expected = {p for p in files_of(probe) if "_audit/disposals" not in p}
    for k, name in enumerate(steps, start=1):
        out = tmp_path / f"stopped{k}"
        shutil.copytree(tree, out)
        store = keyed(out, tmp_path / f"keys{k}")

        def stop(step: str, k: int = k) -> None:
            stop.count += 1  # type: ignore[attr-defined]
            if stop.count == k:  # type: ignore[attr-defined]
                raise Stopped

        stop.count = 0  # type: ignore[attr-defined]
        with pytest.raises(Stopped):
            dispose(out, parse_now(NOW), token_keys=store, on_step=stop)
        intents = list((out / "_audit" / "disposals").glob("*.intent.json"))
        assert len(intents) == (0 if name == "audit" else 1), (k, name)
        if intents:
            assert any("did not finish" in p for p in verify(out, parse_now(NOW))), k
        report = dispose(out, parse_now(NOW), token_keys=store)
        assert report.verified, (k, name, report.problems)
        assert not list((out / "_audit" / "disposals").glob("*.intent.json"))
        # Every partition and key removed is in exactly one record.
        done = records(out)
        assert sorted(p for r in done for p in r["partitions"]) == gone, (k, name)
        assert sorted(x for r in done for x in r["token_keys_deleted"]) == keys, (k, name)
        finished = [r for r in done if r.get("completed_by")]
        if name in ("record", "audit"):
            assert not finished  # the stopped one wrote its own record
        else:
            assert [r["completed_by"] for r in finished] == [report.disposal_id], (k, name)
            assert report.completed == [finished[0]["disposal_id"]]
        assert {p for p in files_of(out) if "_audit/disposals" not in p} == expected, (k, name)
        assert not TokenKeyStore(store).days("short") and not TokenKeyStore(store).days("long")
        shutil.rmtree(out)


KILL = """
import os, sys
from datamin.output.dispose import dispose, parse_now
count = 0
def step(name):
    global count
    count += 1
    if count == int(sys.argv[2]):
        os._exit(9)
dispose(sys.argv[1], parse_now(sys.argv[3]), on_step=step)
"""


def test_a_killed_dispose_is_finished_by_the_next_run(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(tree, out)
    # Killed after its intent, a hide and one file deleted: partitions half gone, unaudited.
    proc = subprocess.run([sys.executable, "-c", KILL, str(out), "3", NOW], capture_output=True)
    assert proc.returncode == 9, proc.stderr[-500:]
    check = CliRunner().invoke(app, ["dispose", "-o", str(out), "--now", NOW, "--verify"])
    assert check.exit_code == 1 and "did not finish" in check.output
    (intent,) = (out / "_audit" / "disposals").glob("*.intent.json")
    planned = json.loads(intent.read_text())["plan"]
    (tmp_path / "p.yaml").write_text(POLICY)
    # Undated, so filed under the run's date (a date of 2099 would be too, being in the future):
    # not yet expired when the tree is verified below, at the current time.
    (tmp_path / "new.jsonl").write_text(json.dumps({"note": "n"}) + "\n")
    batch.run([str(tmp_path / "new.jsonl")], out, tmp_path / "p.yaml")
    (record,) = records(out)
    assert record["completed_by"] == "run" and sorted(record["partitions"]) == sorted(
        p.removeprefix("data/") for p in planned["partitions"]
    )
    assert not intent.exists()
    assert not any((out / p).exists() for p in planned["partitions"])
    assert verify(out, parse_now(None)) == []


# -- the primitives ---------------------------------------------------------------------------


def test_remove_tree_keeps_links_and_what_holds_them(tmp_path: Path) -> None:
    from datamin.output.nofollow import Root

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_bytes(CANARY)
    out = tmp_path / "out"
    (out / "data" / "x" / "sub").mkdir(parents=True)
    (out / "data" / "x" / "a").write_text("a")
    (out / "data" / "x" / "sub" / "b").write_text("b")
    (out / "data" / "x" / "sub" / "dir-link").symlink_to(outside)
    (out / "data" / "x" / "file-link").symlink_to(outside / "keep.txt")
    (out / "data" / "y").mkdir()
    (out / "data" / "y" / "c").write_text("c")
    with Root(out) as root:
        removed = root.remove_tree("data/x")
        assert sorted(removed) == ["data/x/a", "data/x/sub/b"]
        assert root.links == ["data/x/file-link", "data/x/sub/dir-link"]
        assert root.remove_tree("data/y") == ["data/y/c"] and not (out / "data" / "y").exists()
    assert (outside / "keep.txt").read_bytes() == CANARY
    assert sorted(p.name for p in (out / "data" / "x").rglob("*")) == [
        "dir-link",
        "file-link",
        "sub",
    ]


def test_nothing_is_reached_through_a_linked_directory(tmp_path: Path) -> None:
    from datamin.output.nofollow import LinkInOutput, Root

    outside = tmp_path / "outside"
    (outside / "runs").mkdir(parents=True)
    (outside / "runs" / "r.json").write_bytes(CANARY)
    out = tmp_path / "out"
    out.mkdir()
    (out / "_audit").symlink_to(outside)
    with Root(out) as root:
        assert root.read("_audit/runs/r.json") is None
        assert root.entries("_audit/runs") == [] and root.kind("_audit/runs/r.json") is None
        assert not root.unlink("_audit/runs/r.json") and not root.rename("_audit/runs", "x")
        assert root.remove_tree("_audit/runs") == []
        with pytest.raises(LinkInOutput, match="_audit is a link"):
            root.write_new("_audit/disposals/d.json", b"{}")
        assert root.links == ["_audit"]
    assert sorted(p.name for p in outside.rglob("*")) == ["r.json", "runs"]
    # The output itself may be a link: that is where the user put it.
    alias = tmp_path / "alias"
    alias.symlink_to(out)
    with Root(alias) as root:
        root.write_new("data/f", b"x")
    assert (out / "data" / "f").read_bytes() == b"x"


def test_a_link_planted_while_the_pipeline_runs_stops_the_commit(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "canary.txt").write_bytes(CANARY)
    build = batch.build_pipeline

    def build_and_plant(*args: object, **kwargs: object) -> None:
        build(*args, **kwargs)  # type: ignore[arg-type]
        shutil.move(out / "_quarantine_raw", outside / "raw")
        (out / "_quarantine_raw").symlink_to(outside / "raw")  # a path this run does not write

    monkeypatch.setattr(batch, "build_pipeline", build_and_plant)
    (tmp_path / "p.yaml").write_text(POLICY)
    (tmp_path / "in.jsonl").write_text(json.dumps({"ts": "2026-03-01T00:00:00Z"}) + "\n")
    runs = sorted(p.name for p in (out / "_audit" / "runs").iterdir())
    canaries = {"canary.txt": files_of(outside)["canary.txt"]} | {
        f"raw/{k}": v for k, v in files_of(out / "_quarantine_raw").items()
    }
    with pytest.raises(OutputError, match="_quarantine_raw is a link"):
        batch.run([str(tmp_path / "in.jsonl")], out, tmp_path / "p.yaml")
    assert sorted(p.name for p in (out / "_audit" / "runs").iterdir()) == runs  # no commit
    assert files_of(outside) == canaries


def test_quarantine_list_does_not_read_through_a_linked_part_file(
    out: Path, tmp_path: Path
) -> None:
    """`quarantine list` counts the run's own entries; a part file that is a link to a file of
    entries outside the output is not read."""
    from datamin.output.quarantine import quarantine_summary

    (before,) = quarantine_summary(out)
    bait = tmp_path / "bait.jsonl"
    bait.write_text('{"error": "InputError: planted"}\n' * 7)
    (out / "_quarantine" / run_id(out) / "part-zz.jsonl").symlink_to(bait)
    (after,) = quarantine_summary(out)
    assert after.to_json(parse_now(NOW)) == before.to_json(parse_now(NOW))


def test_move_never_lands_outside_through_a_link(tmp_path: Path) -> None:
    """The commit's moves (staged file into `data/`) go through directory descriptors: a link
    where the target's folder is, or at the staged file, is an error; the outside is untouched."""
    from datamin.output.nofollow import LinkInOutput, Root

    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    (out / "_staging" / "r" / "data" / "retention=a").mkdir(parents=True)
    (out / "_staging" / "r" / "data" / "retention=a" / "part-1.parquet").write_bytes(b"new")
    (out / "data" / "retention=a").mkdir(parents=True)
    (out / "data" / "retention=a" / "part-1.parquet").write_bytes(b"old")
    staged = "_staging/r/data/retention=a/part-1.parquet"
    with Root(out) as root:
        assert root.move(staged, "data/retention=a/part-1.parquet")  # replaces the old file
        assert not root.move(staged, "data/retention=a/part-1.parquet")  # moved already
    assert (out / "data" / "retention=a" / "part-1.parquet").read_bytes() == b"new"
    (out / "_staging" / "r" / "data" / "retention=b").mkdir()
    (out / "_staging" / "r" / "data" / "retention=b" / "part-2.parquet").write_bytes(b"x")
    (out / "data" / "retention=b").symlink_to(outside, target_is_directory=True)
    with Root(out) as root, pytest.raises(LinkInOutput):
        root.move("_staging/r/data/retention=b/part-2.parquet", "data/retention=b/part-2.parquet")
    (out / "_staging" / "r" / "data" / "retention=c").mkdir()
    (out / "_staging" / "r" / "data" / "retention=c" / "part-3.parquet").symlink_to(
        outside / "secret"
    )
    (outside / "secret").write_bytes(CANARY)
    with Root(out) as root, pytest.raises(LinkInOutput):
        root.move("_staging/r/data/retention=c/part-3.parquet", "data/retention=c/part-3.parquet")
    assert sorted(p.name for p in outside.iterdir()) == ["secret"]
    assert (outside / "secret").read_bytes() == CANARY


def test_write_new_never_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    from datamin.output.nofollow import Root

    out = tmp_path / "out"
    (out / "_audit" / "disposals").mkdir(parents=True)
    with Root(out) as root:
        root.write_new("_audit/disposals/a.json", b"first")
        with pytest.raises(FileExistsError):
            root.write_new("_audit/disposals/a.json", b"second")
    assert (out / "_audit" / "disposals" / "a.json").read_bytes() == b"first"
    assert sorted(p.name for p in (out / "_audit" / "disposals").iterdir()) == ["a.json"]
