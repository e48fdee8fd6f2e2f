"""`datamin run --format NAME`: every input read as the named format, whatever its name or
content say; an unknown name refused in one line, before any pipeline starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.formats import formats

GATEWAY = Path(__file__).parents[1] / "formats" / "cases" / "gateway"
runner = CliRunner()


@pytest.fixture
def policy(api_logs_without_ner: Path) -> Path:
    return api_logs_without_ner


def _audit(out: Path) -> dict[str, int]:
    (record,) = (out / "_audit" / "runs").glob("*.json")
    return json.loads(record.read_text())


def test_kong_records_in_a_txt_file_are_read_as_kong(tmp_path: Path, policy: Path) -> None:
    log = tmp_path / "gateway.txt"
    # Kong's two records, and one that is not Kong's: read as Kong, it is quarantined rather
    # than walked as any JSON (by content it would be a message, and dropped or kept as one).
    log.write_text((GATEWAY / "kong.jsonl").read_text() + '{"from": "a", "body": "hi"}\n')
    out = tmp_path / "out"
    args = ["run", "-i", str(log), "-o", str(out), "-p", str(policy), "--format", "kong"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    audit = _audit(out)
    assert (audit["records_written"], audit["records_quarantined"]) == (2, 1)
    # without --format, the same file is JSON lines judged record by record: nothing quarantined
    again = tmp_path / "again"
    result = runner.invoke(app, ["run", "-i", str(log), "-o", str(again), "-p", str(policy)])
    assert result.exit_code == 0, result.output
    assert _audit(again)["records_quarantined"] == 0


def test_an_unknown_format_is_one_line_naming_the_known_ones(tmp_path: Path, policy: Path) -> None:
    out = tmp_path / "out"
    args = ["run", "-i", str(tmp_path / "none.txt"), "-o", str(out), "-p", str(policy)]
    result = runner.invoke(app, [*args, "--format", "kongg"])
    assert result.exit_code == 2
    message = result.output.strip()
    assert "\n" not in message and "unknown input format 'kongg'" in message
    for f in formats():
        assert f.name in message
    assert not out.exists()  # refused before the input was looked for or the output made


def test_batch_run_refuses_an_unknown_format_before_reading(tmp_path: Path, policy: Path) -> None:
    from datamin.errors import InputError
    from datamin.pipelines import batch

    with pytest.raises(InputError, match=r"known: .*kong"):
        batch.run([str(tmp_path / "none.txt")], tmp_path / "out", policy, format="nope")
    assert not (tmp_path / "out").exists()
