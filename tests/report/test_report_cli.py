"""`datamin report`: tables in the terminal, `--json`, the page with `-o` (never inside the
output), one-line errors with exit 2, and no planted value in anything it prints or writes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.cli.report import EXAMPLE
from datamin.leakscan import scan_text
from datamin.report import collect
from tests.report.conftest import Built
from tests.report.test_html import charts, self_contained

runner = CliRunner()
FAR = datetime(2100, 1, 1, tzinfo=UTC)  # everything the fixture wrote has expired by then


def report(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["report", *args])
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code: int, stderr: str, words: str) -> None:
    assert code == 2
    assert stderr.startswith("error: ") and words in stderr
    assert stderr.strip().count("\n") == 0, stderr


def test_the_terminal_gets_tables(built: Built) -> None:
    code, stdout, _ = report(str(built.disposed), "--now", "2100-01-01")
    assert code == 0, stdout
    for title in ("overview", "records per run", "findings by entity", "quarantine by error"):
        assert title in stdout
    assert "partitions (expired as of 2100-01-01)" in stdout and "disposals" in stdout
    assert "expired" in stdout and "\x1b" not in stdout  # not a terminal: no colour codes
    assert built.audits()[0]["run_id"] in stdout.replace("\n", "")
    assert scan_text(stdout, built.needles) == []
    code, again, _ = report(str(built.disposed), "--format", "text", "--now", "2100-01-01")
    assert (code, again) == (0, stdout)


def test_json_is_the_collected_summary(built: Built) -> None:
    code, stdout, _ = report(str(built.out), "--json", "--now", "2100-01-01T00:00Z")
    assert code == 0
    body = json.loads(stdout)
    assert body["totals"]["records_in"] == sum(
        a["records_in"] for a in built.audits() if a.get("kind") != "compact"
    )
    assert body["balanced"] is True
    assert (body["batch_runs"], body["stream_batches"], body["compactions"]) == (2, 2, 1)
    assert {p["status"] for p in body["partitions"]} == {"expired"}  # all of it, by 2100
    assert body == json.loads(json.dumps(collect(built.out, now=FAR).to_json()))
    assert scan_text(stdout, built.needles) == []
    code, same, _ = report(str(built.out), "--format", "json", "--now", "2100-01-01T00:00Z")
    assert json.loads(same) == body


def test_the_page_is_written_where_asked_and_nowhere_in_the_output(
    built: Built, tmp_path: Path
) -> None:
    before = sorted(p.relative_to(built.disposed) for p in built.disposed.rglob("*"))
    target = tmp_path / "report.html"
    code, stdout, _ = report(str(built.disposed), "-o", str(target))
    assert code == 0 and f"report: {target}" in stdout
    page = target.read_text(encoding="utf-8")
    self_contained(page)
    assert len(charts(page)) == 4
    assert scan_text(page, built.needles) == []
    run_id = built.audits()[1]["run_id"]
    code, _, _ = report(str(built.disposed), "--run", run_id, "--to", str(tmp_path / "run.html"))
    assert code == 0 and f"run {run_id}" in (tmp_path / "run.html").read_text()
    code, _, _ = report(str(built.disposed), "-o", str(tmp_path / "r.txt"), "--format", "text")
    assert code == 0 and "records per run" in (tmp_path / "r.txt").read_text()
    code, stdout, _ = report(str(built.disposed), "--format", "html")
    assert code == 0 and stdout.startswith("<!doctype html>")
    assert sorted(p.relative_to(built.disposed) for p in built.disposed.rglob("*")) == before


def test_a_report_inside_the_output_is_refused(built: Built, tmp_path: Path) -> None:
    before = sorted(p.relative_to(built.out) for p in built.out.rglob("*"))
    link = tmp_path / "linked"
    link.symlink_to(built.out)  # the same directory under another name: still inside
    inside = [
        built.out / "report.html",
        built.out / "data" / "report.html",
        link / "report.html",
        built.out,
    ]
    for target in inside:
        code, _, stderr = report(str(built.out), "-o", str(target))
        one_line_error(code, stderr, "inside the output directory")
    code, _, stderr = report(str(link), "-o", str(built.out / "r.json"), "--json")
    one_line_error(code, stderr, "inside the output directory")
    assert sorted(p.relative_to(built.out) for p in built.out.rglob("*")) == before


def test_what_cannot_be_reported_is_one_line_and_exit_2(built: Built, tmp_path: Path) -> None:
    code, _, stderr = report(str(tmp_path / "missing"))
    one_line_error(code, stderr, "is not a directory")
    code, _, stderr = report(str(tmp_path))
    one_line_error(code, stderr, "is not a datamin output directory")
    code, _, stderr = report(str(built.out), "--run", "20200101T000000Z-abcdef")
    one_line_error(code, stderr, "holds no committed run")
    code, _, stderr = report(str(built.out), "--run", "latest")
    one_line_error(code, stderr, "not a run id")
    code, _, stderr = report(str(built.out), "--json", "--format", "text")
    one_line_error(code, stderr, "--json and --format")
    code, _, stderr = report(str(built.out), "--format", "pdf")
    one_line_error(code, stderr, "--format is one of")
    code, _, stderr = report(str(built.out), "--now", "yesterday")
    one_line_error(code, stderr, "--now is an ISO-8601 time")
    code, _, stderr = report(str(built.out), "-o", str(tmp_path))
    one_line_error(code, stderr, "is a directory")
    code, _, stderr = report(str(built.out), "-o", str(tmp_path / "no" / "such" / "r.html"))
    one_line_error(code, stderr, "cannot write")


def test_the_help_has_its_example() -> None:
    result = runner.invoke(app, ["report", "--help"])
    assert result.exit_code == 0 and EXAMPLE in result.stdout
    assert len(EXAMPLE) <= 76
