"""The command line as a careful user meets it: mistakes are one line and exit 2 before anything
heavy loads; Beam's options only after `--`; inputs from directories and standard input;
scripting (`--json`, `--fail-on-quarantine`); Ctrl-C leaves nothing behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.cli.run import policy_path
from datamin.formats.inputs import local_files
from datamin.pipelines.batch import expired_partitions
from datamin.policies import bundled
from datamin.policies.loader import load_policy
from datamin.sample import generate_sample
from datamin.sample.values import sample_days

CASES = Path(__file__).parents[1] / "pipelines" / "cases"
EXE = Path(sys.executable).parent / "datamin"


def datamin(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(EXE), *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        cwd=cwd,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def test_a_mistyped_option_is_one_line_with_a_suggestion_and_nothing_runs(tmp_path: Path) -> None:
    done = datamin(
        "run", "--worker", "2", "-i", str(CASES / "messages.jsonl"), "-o", str(tmp_path / "out"),
        "-p", "messages",
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "no such option: --worker" in done.stderr and "--workers" in done.stderr
    assert not (tmp_path / "out").exists()


def test_beam_options_are_taken_only_after_a_double_dash(tmp_path: Path) -> None:
    args = ["run", "-i", str(CASES / "messages.jsonl"), "-o", str(tmp_path / "o"), "-p", "messages"]
    refused = CliRunner().invoke(app, [*args, "--runner=DirectRunner"])
    assert refused.exit_code == 2 and "no such option: --runner" in refused.output
    stray = CliRunner().invoke(app, [*args, "more.jsonl"])
    assert stray.exit_code == 2 and "unexpected extra argument" in stray.output
    assert not (tmp_path / "o").exists()


def test_an_unknown_command_names_the_closest_one() -> None:
    result = CliRunner().invoke(app, ["rn"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "did you mean 'run'" in result.output


def test_version_is_the_installed_one() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"datamin {version('datamin')}"


def _commands(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, (*path, name))
    return found


@pytest.mark.parametrize("path", _commands(get_command(app)), ids=" ".join)
def test_every_help_fits_80_columns_without_python_types(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    too_wide = [line for line in result.output.splitlines() if len(line) > 80]
    assert too_wide == []
    python_types = re.findall(r"<(?:list\[\w+\]|str|int|int range|float|path|bool)>", result.output)
    assert python_types == [], "a metavar printed as a Python type"
    is_group = bool(getattr(get_command(app), "commands", None)) and (
        not path or path[-1] in ("policy", "quarantine", "keys")
    )
    if not is_group:
        assert "Example:" in result.output, f"{' '.join(path)} has no example"


def test_p_takes_a_bundled_policy_by_name_unless_a_file_has_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert policy_path("api_logs") == bundled("api_logs")
    assert policy_path("bundled:messages") == bundled("messages")
    (tmp_path / "api_logs").write_text("version: 1\n")
    assert policy_path("api_logs") == Path("api_logs")  # a file named so is the user's
    assert policy_path("mine.yaml") == Path("mine.yaml")


def test_a_directory_is_every_file_under_it_but_hidden_ones(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ("a/one.har", "a/b/two.jsonl", "three.jsonl.gz", ".hidden", ".git/config"):
        (tmp_path / name).write_text("x")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in local_files(str(tmp_path))]
    assert found == ["a/b/two.jsonl", "a/one.har", "three.jsonl.gz"]


def test_standard_input_with_json_summary_and_fail_on_quarantine(tmp_path: Path) -> None:
    """One real run with two workers, reading stdin: the summary is JSON on stdout, a
    quarantined record exits 3, Beam's and the workers' INFO lines are not shown, and the copy
    of stdin is gone from the output."""
    data = (CASES / "messages.jsonl").read_bytes() + b"{not json\n"
    out = tmp_path / "out"
    done = datamin(
        "run", "-i", "-", "-o", str(out), "-p", "messages", "--json", "--fail-on-quarantine",
        "--workers", "2", stdin=data,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    summary = json.loads(done.stdout)
    assert summary["records_quarantined"] == 1
    assert summary["records_in"] == (
        summary["records_written"] + summary["records_dropped"] + summary["records_quarantined"]
    )
    assert summary["bytes_read"] == len(data) and summary["bytes_written"] > 0
    assert summary["data"] == str(out / "data") and Path(summary["audit"]).is_file()
    # no Beam or worker chatter: the case file's old dates earn a warning, and the error
    lines = done.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["warning", "error"], done.stderr
    assert "past their retention" in lines[0] and "1 records quarantined" in lines[1]
    assert not (out / "_staging").exists() or not any((out / "_staging").iterdir())


def test_ctrl_c_exits_130_and_leaves_nothing_of_the_run(tmp_path: Path) -> None:
    generate_sample(tmp_path / "in", seed=5, har_entries=2400, messages=1)
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.Popen(
        [str(EXE), "run", "-i", str(tmp_path / "in" / "traffic"), "-o", str(out), "-p", "api_logs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    deadline = time.monotonic() + 120
    while not (out / "_staging").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    if proc.returncode == 0 or list((out / "_audit" / "runs").glob("*.json")):
        pytest.skip("the run had committed before the interruption reached it")
    assert proc.returncode == 130, stderr
    assert stderr.decode().strip().splitlines() == [
        "error: interrupted; nothing of this run was kept"
    ]
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert left == ["_audit", "_audit/output.json", "_lock"]
    assert list(scratch.iterdir()) == []  # the progress folder went too


def test_the_demo_sample_is_dated_the_days_before_today() -> None:
    now = datetime(2027, 1, 3, 9, 30, tzinfo=UTC)
    days = sample_days(now)
    assert all(now - timedelta(days=7) < d < now for d in days)
    assert sample_days(None)[0].year == 2026  # tests keep fixed dates


def test_partitions_past_their_retention_are_found_for_the_warning() -> None:
    policy = load_policy(bundled("api_logs")).policy  # debug 7d, analytics 90d
    files = [
        "data/retention=debug/date=2026-11-20/part-a-0.parquet",
        "data/retention=debug/date=2026-12-01/part-a-0.parquet",
        "data/retention=analytics/date=2026-11-20/part-a-0.parquet",
        "_quarantine/run/part.jsonl",
    ]
    now = datetime(2026, 12, 4, tzinfo=UTC)
    assert expired_partitions(files, policy, now) == (("debug", "2026-11-20"),)


def test_progress_knows_how_far_a_run_is_from_the_bytes_read() -> None:
    from datamin.cli.run import _progress_bar

    bar, on_progress = _progress_bar(True)
    on_progress(10, 0, 0)  # the size not known yet: records and rate only
    (task,) = bar.tasks
    assert task.total is None and task.fields["records"] == 10
    on_progress(120, 250, 1000)
    assert (task.total, task.completed, task.percentage) == (1000, 250, 25.0)
    assert task.fields["records"] == 120 and task.fields["rate"].endswith("records/s")
    on_progress(400, 1200, 1000)  # read-ahead past the end counts as done, never more
    assert task.completed == 1000
