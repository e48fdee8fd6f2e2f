"""The Python API: `datamin.load_policy`, `datamin.minimize`, `datamin.pipelines.Minimize`."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest

import datamin
from datamin import api
from datamin.errors import KeyConfigError, PolicyError

KEY = b"a test key for the api, 32 bytes+"
EMAIL = "quinn.harlow55@mail.example.com"


def message(body: str) -> dict[str, object]:
    return {
        "from": "+15550100199",
        "to": "+15550100198",
        "body": body,
        "date_created": "2026-12-01",
    }


def test_the_module_examples_run() -> None:
    failures, tried = doctest.testmod(api)
    assert (failures, tried > 5) == (0, True)


def test_a_record_comes_back_as_rows_by_retention_class_with_nothing_sensitive() -> None:
    out = datamin.minimize(message(f"write to {EMAIL}"), policy="redact_only", key=KEY, ner=False)
    assert out["status"] == "written" and out["date"] == "2026-12-01"
    assert set(out["rows"]) == {"standard"}
    assert EMAIL not in repr(out) and "<EMAIL_ADDRESS>" in repr(out)


def test_the_same_key_gives_the_same_record_and_a_key_file_is_read(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY)
    by_bytes = datamin.minimize(message("hi"), policy="messages", key=KEY, ner=False)
    by_file = datamin.minimize(message("hi"), policy="messages", key=key_file, ner=False)

    # The same pseudonyms; the record id joining a record's rows is random per record.
    def strip(out: dict) -> dict:
        return {c: {k: v for k, v in r.items() if k != "record_id"} for c, r in out["rows"].items()}

    assert strip(by_bytes) == strip(by_file)
    assert by_bytes["rows"]["analytics"]["sender"].startswith("psn_")


def test_json_text_and_bytes_are_records_too() -> None:
    text = '{"from": "+15550100199", "body": "hello", "date_created": "2026-12-01"}'
    for record in (text, text.encode()):
        assert (
            datamin.minimize(record, policy="messages", key=KEY, ner=False)["status"] == "written"
        )


@pytest.mark.parametrize("record", [b"[1, 2]", b"{not json", "\ud800"])
def test_bad_records_are_quarantined_not_raised(record: bytes | str) -> None:
    out = datamin.minimize(record, policy="api_logs", key=KEY, ner=False)
    assert out["status"] == "quarantined" and out["error"]


def test_mistakes_are_clear_errors() -> None:
    with pytest.raises(KeyConfigError):
        datamin.minimize(message("hi"), policy="messages", key=b"short", ner=False)
    with pytest.raises(PolicyError):
        datamin.load_policy("no_such_policy")
    with pytest.raises(TypeError):
        datamin.minimize(42, policy="messages", key=KEY)  # type: ignore[arg-type]


def test_a_policy_loads_by_bundled_name_prefix_or_path() -> None:
    by_name = datamin.load_policy("api_logs")
    assert datamin.load_policy("bundled:api_logs").sha256 == by_name.sha256
    path = Path(datamin.policies.__file__).parent / "api_logs.yaml"
    assert datamin.load_policy(path).sha256 == by_name.sha256


def test_the_beam_transform_is_exported() -> None:
    import datamin.pipelines
    from datamin.pipelines.transforms import Minimize

    assert datamin.pipelines.Minimize is Minimize


def test_importing_datamin_loads_no_heavy_library() -> None:
    heavy = "('apache_beam', 'presidio_analyzer', 'spacy')"
    probe = f"import sys, datamin; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_readme_example_runs() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    test = doctest.DocTestParser().get_doctest(section, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False) == (0, len(test.examples)) and test.examples


def test_the_readme_reading_example_runs_on_a_real_output(
    api_logs_without_ner: Path, tmp_path: Path
) -> None:
    """The README's "Reading the output" examples, run against an output of the demo sample."""
    from datamin.pipelines import batch
    from datamin.sample import generate_sample

    generate_sample(tmp_path / "in", seed=7)
    out = tmp_path / "out"
    batch.run([str(tmp_path / "in" / "traffic" / "*")], out, api_logs_without_ner)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Reading the output", 1)[1].split("\n## ", 1)[0]
    test = doctest.DocTestParser().get_doctest(section, {"OUT": str(out)}, "README", "README.md", 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False) == (0, len(test.examples)) and test.examples
