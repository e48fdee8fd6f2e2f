"""The staged commit, stopped at every step: a run killed anywhere in its commit leaves either
nothing a reader sees (before its intent) or a commit the next run completes (after it), and
that next run, over other sources or under a changed policy, leaves every row once and every
visible file in an audit. And the key an output is written under: another is refused unless
allowed.

A kill is simulated in process: the step raises an exception no handler catches, and nothing
after it runs (the driver's own clean-up is not called, as a SIGKILL would not let it run).
The pipeline runs once per module; each case copies its staged output and commits from there.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.errors import OutputError
from datamin.keys import create_key_file
from datamin.output import commit, manifest
from datamin.output.layout import OutputLayout
from datamin.pipelines import batch
from tests.conftest import TEST_KEY

POLICY = """\
version: 1
name: {name}
event_time: [timestamp]
retention:
  default: short
  classes: {{short: 7d, long: 30d}}
detection:
  ner: false
fields:
  - {{path: n, action: keep, column: n, type: int64}}
{extra}
"""
P1 = POLICY.format(
    name="p1", extra="  - {path: status, action: keep, column: status, retention: long}"
)
P2 = POLICY.format(name="p2", extra="  - {path: status, action: keep, column: status}")  # no `long`
P3 = POLICY.format(name="p3", extra="  - {path: status, action: drop}")


class Killed(BaseException):
    """What a SIGKILL is to the code after it: nothing catches it, nothing runs after it."""


@dataclasses.dataclass(frozen=True)
class Staged:
    """An output where run P1 over A committed, then run P2 over A staged its files and died."""

    root: Path
    job: batch.BatchJob
    started: datetime
    folder: Path
    a: list[int]  # the `n` of every readable record of the A sources
    b: list[int]  # and of the B source


def _write_sources(folder: Path, name: str, first: int, count: int) -> list[int]:
    lines, numbers = [], []
    for i in range(count):
        if i % 7 == 3:
            lines.append("{not json")
            continue
        numbers.append(first + i)
        day = f"2026-03-0{1 + i % 3}T10:00:00Z"
        lines.append(json.dumps({"timestamp": day, "n": first + i, "status": "ok"}))
    (folder / name).write_text("\n".join(lines) + "\n")
    return numbers


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Staged]:
    root = tmp_path_factory.mktemp("staged")
    folder = root / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    a = _write_sources(folder / "a", "a1.jsonl", 0, 20) + _write_sources(
        folder / "a", "a2.jsonl", 100, 20
    )
    b = _write_sources(folder / "b", "b1.jsonl", 200, 20)
    for name, body in (("p1", P1), ("p2", P2), ("p3", P3)):
        (folder / f"{name}.yaml").write_text(body)
    out = root / "out"
    captured: dict[str, Any] = {}

    def stop(job: batch.BatchJob, started: datetime) -> None:
        captured.update(job=job, started=started)
        raise Killed

    with pytest.MonkeyPatch.context() as patch:
        # as the suite's autouse fixture does for each test (it runs after module fixtures)
        patch.setenv("DATAMIN_KEY", TEST_KEY)
        patch.delenv("DATAMIN_KEY_FILE", raising=False)
        patch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        batch.run([str(folder / "a" / "*")], out, folder / "p1.yaml")
        patch.setattr(batch, "_commit", stop)
        patch.setattr(commit, "discard_run", lambda *a: None)
        with pytest.raises(Killed):
            batch.run([str(folder / "a" / "*")], out, folder / "p2.yaml")
    yield Staged(out, captured["job"], captured["started"], folder, a, b)


# -- where a kill can land ----------------------------------------------------------------------


def _before(name: str) -> Callable[[pytest.MonkeyPatch, dict[str, int]], None]:
    def patch(mp: pytest.MonkeyPatch, seen: dict[str, int]) -> None:
        def killed(*args: Any, **kwargs: Any) -> None:
            raise Killed

        mp.setattr(commit, name, killed)

    return patch


def _after(name: str) -> Callable[[pytest.MonkeyPatch, dict[str, int]], None]:
    def patch(mp: pytest.MonkeyPatch, seen: dict[str, int]) -> None:
        real = getattr(commit, name)

        def then_killed(*args: Any, **kwargs: Any) -> None:
            real(*args, **kwargs)
            raise Killed

        mp.setattr(commit, name, then_killed)

    return patch


def _moves(left: int) -> Callable[[pytest.MonkeyPatch, dict[str, int]], None]:
    """Killed after all moves but `left` (at least one done)."""

    def patch(mp: pytest.MonkeyPatch, seen: dict[str, int]) -> None:
        real_intent, real_move = commit.write_intent, commit.move_file

        def write_intent(layout: OutputLayout, intent: commit.Intent) -> None:
            seen["files"] = len(intent.files)
            real_intent(layout, intent)

        def move_file(*args: Any) -> None:
            real_move(*args)
            seen["moved"] = seen.get("moved", 0) + 1
            if seen["moved"] >= max(1, seen["files"] - left):
                raise Killed

        mp.setattr(commit, "write_intent", write_intent)
        mp.setattr(commit, "move_file", move_file)

    return patch


def _deleting(mp: pytest.MonkeyPatch, seen: dict[str, int]) -> None:
    real = commit.delete_file

    def delete_file(*args: Any) -> None:
        seen["deleted"] = seen.get("deleted", 0) + 1
        if seen["deleted"] == 2:
            raise Killed
        real(*args)

    mp.setattr(commit, "delete_file", delete_file)


STEPS: dict[str, tuple[Callable[[pytest.MonkeyPatch, dict[str, int]], None], bool]] = {
    # name: (where the kill lands, whether the commit had begun: its intent written)
    "after-staging": (_before("prepare"), False),
    "after-prepare": (_before("write_intent"), False),
    "after-intent": (_after("write_intent"), True),
    "after-first-move": (_moves(left=10_000), True),
    "before-last-move": (_moves(left=1), True),
    "after-audit": (_after("write_audit"), True),
    "while-deleting": (_deleting, True),
}


def _kill_commit(staged: Staged, out: Path, step: str, mp: pytest.MonkeyPatch) -> dict[str, int]:
    shutil.copytree(staged.root, out, symlinks=True)
    job = dataclasses.replace(staged.job, layout=OutputLayout(str(out)))
    summary = Path(job.layout.run_summary(job.run_id))  # it lists the staged files by path
    summary.write_text(summary.read_text().replace(str(staged.root), str(out)))
    seen: dict[str, int] = {}
    with mp.context() as patch:
        STEPS[step][0](patch, seen)
        with pytest.raises(Killed):
            batch._commit(job, staged.started)
    return seen


# -- what the output must hold ---------------------------------------------------------------


def _column(out: Path, cls: str, column: str) -> list[Any]:
    return [
        v
        for f in sorted(out.glob(f"data/retention={cls}/*/*.parquet"))
        for v in pq.read_table(f).column(column).to_pylist()
    ]


def _audits(out: Path) -> list[dict[str, Any]]:
    """In start order (run ids sort by the second only: two runs in one second are unordered)."""
    found = [json.loads(p.read_text()) for p in _audit_paths(out)]
    return sorted(found, key=lambda a: a["started_at"])


def _audit_paths(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("_audit/runs/*.json") if not p.name.startswith("."))


def assert_consistent(out: Path, numbers: list[int]) -> None:
    """Every record of `numbers` once in `short`; a `long` row only beside its record's `short`
    row; every visible file in an audit with its rows; every audit balanced; nothing staged."""
    short = _column(out, "short", "n")
    assert Counter(short) == Counter(numbers)
    long_ids = _column(out, "long", "record_id")
    assert len(set(long_ids)) == len(long_ids)
    assert set(long_ids) <= set(_column(out, "short", "record_id"))
    assert commit.verify_rows(OutputLayout(str(out))) == []
    assert all(a["balanced"] for a in _audits(out))
    assert not list(out.glob("_staging/*")) and not list(out.glob("_audit/commits/*"))
    assert not [p for p in out.rglob(".*")]


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("then", ["other-sources", "changed-policy"])
def test_a_commit_killed_at_any_step_is_settled_by_the_next_run(
    staged: Staged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, then: str
) -> None:
    out = tmp_path / "out"
    seen = _kill_commit(staged, out, step, monkeypatch)
    begun = STEPS[step][1]
    if step == "while-deleting":
        assert seen["deleted"] == 2  # one earlier file gone, the kill before the next
    if not begun:  # nothing of the killed run is visible
        assert commit.verify_rows(OutputLayout(str(out))) == []
    else:
        assert (out / "_audit" / "commits" / f"{staged.job.run_id}.json").is_file()
    if then == "other-sources":
        batch.run([str(staged.folder / "b" / "*")], out, staged.folder / "p1.yaml")
        assert_consistent(out, staged.a + staged.b)
    else:
        last = batch.run([str(staged.folder / "a" / "*")], out, staged.folder / "p3.yaml")
        assert_consistent(out, staged.a)
        # every visible file is the changed policy's: the killed run's and the first's replaced
        written = {out / f for f in last.audit["files_written"]}
        assert set(out.glob("data/*/*/*.parquet")) == written
        assert not list(out.glob("data/retention=long/*/*.parquet"))
    audits = _audits(out)
    recovered = [a["run_id"] for a in audits if a.get("recovered")]
    completed = begun and step not in ("after-audit", "while-deleting")
    assert recovered == ([staged.job.run_id] if completed else [])
    assert (staged.job.run_id in {a["run_id"] for a in audits}) == begun


def test_a_commit_that_fails_after_its_intent_keeps_its_staged_files_for_the_next_run(
    staged: Staged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure (not a kill) after the intent, say the disk still full: the run's clean-up
    tries to complete the commit and, failing again, must leave the staged files for the next
    run, not delete them under an intent that the next run would then carry out (an audit
    listing missing files, earlier files deleted)."""
    out = tmp_path / "out"
    shutil.copytree(staged.root, out, symlinks=True)
    job = dataclasses.replace(staged.job, layout=OutputLayout(str(out)))
    summary = Path(job.layout.run_summary(job.run_id))
    summary.write_text(summary.read_text().replace(str(staged.root), str(out)))

    def no_room(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(commit, "move_file", no_room)
        with pytest.raises(OutputError, match="No space left"):
            batch._commit(job, staged.started)
        commit.discard_run(job.layout, job.run_id)  # what `batch.run` does as the error goes
    assert (out / "_audit" / "commits" / f"{job.run_id}.json").is_file()
    assert list((out / "_staging" / job.run_id).rglob("*.parquet"))
    assert commit.recover(job.layout) == [job.run_id]
    assert_consistent(out, staged.a)


def test_dispose_can_settle_a_killed_commit(
    staged: Staged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`commit.recover` (what `dispose` calls first) completes a commit the run began."""
    out = tmp_path / "out"
    _kill_commit(staged, out, "after-first-move", monkeypatch)
    layout = OutputLayout(str(out))
    assert commit.recover(layout) == [staged.job.run_id]
    assert_consistent(out, staged.a)
    assert commit.recover(layout) == []  # settled: nothing left to do


def test_dispose_settles_a_killed_commit_before_it_judges_and_verifies(
    staged: Staged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`datamin dispose` after a kill mid-commit: the run is completed (its audit written) and
    the verification, which checks rows against the audits of record, finds nothing wrong."""
    from datamin.output.dispose import dispose, parse_now, verify

    out = tmp_path / "out"
    _kill_commit(staged, out, "before-last-move", monkeypatch)
    now = parse_now("2000-01-01")  # nothing has expired: only the settling is under test
    found = verify(out, now)  # a commit half done
    assert found == [
        f"_audit/commits/{staged.job.run_id}.json: a run's commit that did not finish (the next "
        "run or dispose completes it)"
    ]
    report = dispose(out, now)
    assert report.runs_completed == [staged.job.run_id] and report.problems == []
    assert_consistent(out, staged.a)


def test_a_staging_area_without_an_intent_is_removed(
    staged: Staged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _kill_commit(staged, out, "after-prepare", monkeypatch)
    before = sorted(out.glob("data/*/*/*.parquet"))
    assert (out / "_staging" / staged.job.run_id).is_dir()
    assert commit.recover(OutputLayout(str(out))) == []
    assert not (out / "_staging").exists()
    assert sorted(out.glob("data/*/*/*.parquet")) == before  # the first run's, untouched
    assert [a["policy"] for a in _audits(out)] == ["p1"]


# -- rows against the audits of record --------------------------------------------------------


def test_verify_rows_finds_unaudited_miscounted_and_doubled_files(staged: Staged) -> None:
    out = staged.root.parent / "verify"
    shutil.copytree(staged.root, out, symlinks=True)
    layout = OutputLayout(str(out))
    assert commit.verify_rows(layout) == []
    [audit_path] = _audit_paths(out)
    audit = json.loads(audit_path.read_text())
    entries = manifest.read(layout, audit).files
    assert len(entries) == audit["files_written"]
    first = sorted(entries)[0]
    second = next(f for f in sorted(entries) if entries[f].rows != entries[first].rows)
    source = entries[first].segments[0][0]
    # a file nobody committed: the bug this protocol removes (rows no audit accounts for)
    stray = (out / first).with_name("part-0123456789abcdef-0000009999.parquet")
    shutil.copy(out / first, stray)
    # a file whose rows differ from what its run recorded
    shutil.copy(out / first, out / second)
    # and the same source's rows committed by a second run that did not replace the first's
    later_id = "29990101T000000Z-000000"
    copy = first.replace(".parquet", "-9.parquet")
    shutil.copy(out / first, out / copy)
    held = manifest.new_entry(later_id, [(source, entries[first].rows or 0)])
    body = manifest.Manifest(later_id, {copy: held}).to_json()
    (out / "_audit" / "manifests" / f"{later_id}.json").write_bytes(manifest.body(body))
    record = {**audit, "run_id": later_id, "manifest_sha256": manifest.sha256(body)}
    (audit_path.parent / f"{later_id}.json").write_text(json.dumps(record))
    problems = commit.verify_rows(layout)
    assert f"{stray.relative_to(out).as_posix()}: in no run's audit record" in problems
    assert any(p.startswith(f"{second}: holds ") for p in problems)
    assert any(p.startswith(f"source {source}: rows from runs ") for p in problems)
    assert len(problems) == 3
    # a manifest that is not the one its audit record holds the hash of: its files unaccounted
    path = out / "_audit" / "manifests" / f"{audit['run_id']}.json"
    path.write_bytes(path.read_bytes().replace(b'"version":1', b'"version":2'))
    damaged = commit.verify_rows(layout)
    assert f"_audit/manifests/{audit['run_id']}.json: not the manifest run " in damaged[0]
    assert any(p.endswith(": in no run's audit record") and second in p for p in damaged)


# -- the key an output is written under ---------------------------------------------------------


def test_a_run_under_another_key_is_refused_unless_allowed(staged: Staged, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sources, policy = [str(staged.folder / "b" / "*")], staged.folder / "p1.yaml"
    batch.run(sources, out, policy)  # under $DATAMIN_KEY
    other = tmp_path / "keys" / "other.key"
    create_key_file(other)
    before = sorted(out.rglob("*"))
    with pytest.raises(OutputError, match="--allow-key-change"):
        batch.run(sources, out, policy, key_file=other)
    assert sorted(out.rglob("*")) == before  # refused before anything was written
    # the record of the key gone, the newest audit still says which key it was
    (out / "_audit" / "key.json").unlink()
    with pytest.raises(OutputError, match="written under another key"):
        batch.run(sources, out, policy, key_file=other)
    changed = batch.run(sources, out, policy, key_file=other, allow_key_change=True).audit
    assert changed["key_changed"] is True
    assert batch.run(sources, out, policy, key_file=other).audit["key_changed"] is False
    with pytest.raises(OutputError, match="another key"):
        batch.run(sources, out, policy)  # the first key is now the other one


def test_the_cli_refuses_a_key_change_in_one_line_and_allows_it_with_the_flag(
    staged: Staged, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    other = tmp_path / "keys" / "other.key"
    create_key_file(other)
    args = ["run", "-i", str(staged.folder / "b" / "*"), "-o", str(out), "--no-progress"]
    args += ["-p", str(staged.folder / "p1.yaml")]
    assert CliRunner().invoke(app, args).exit_code == 0
    refused = CliRunner().invoke(app, [*args, "--key-file", str(other)])
    assert refused.exit_code == 2
    assert refused.output.startswith("error: the output") and len(refused.output.splitlines()) == 1
    allowed = CliRunner().invoke(app, [*args, "--key-file", str(other), "--allow-key-change"])
    assert allowed.exit_code == 0, allowed.output
    assert _audits(out)[-1]["key_changed"] is True


# -- an output Beam's filesystems reach and `os` does not ----------------------------------------


def test_a_remote_output_commits_and_is_completed_after_a_kill(
    staged: Staged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fakefs  # registers the `fake://` scheme with Beam

    monkeypatch.setattr(fakefs, "ROOT", str(tmp_path))
    out, policy = "fake://out", staged.folder / "p1.yaml"
    seen: dict[str, int] = {}
    with monkeypatch.context() as patch:
        _moves(left=10_000)(patch, seen)
        patch.setattr(commit, "discard_run", lambda *a: None)
        with pytest.raises(Killed):
            batch.run([str(staged.folder / "a" / "*")], out, policy)
    assert (tmp_path / "out" / "_staging").is_dir() and seen["moved"] == 1
    batch.run([str(staged.folder / "b" / "*")], out, policy)
    assert_consistent(tmp_path / "out", staged.a + staged.b)
    audits = _audits(tmp_path / "out")
    assert [bool(a.get("recovered")) for a in audits] == [True, False]


# -- what a run reads back of its own records, tampered with ------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        lambda i: "{not json",
        lambda i: json.dumps({**i, "files": ["../../outside/x.parquet"]}),
        lambda i: json.dumps({**i, "delete": ["data/../../etc/passwd"]}),
        lambda i: json.dumps({**i, "files": [42]}),
        lambda i: json.dumps({k: v for k, v in i.items() if k != "audit"}),
        lambda i: json.dumps({**i, "manifest": {**i["manifest"], "removed": ["_audit/key.json"]}}),
        lambda i: json.dumps({**i, "manifest": {**i["manifest"], "run_id": "another"}}),
    ],
    ids=[
        "not-json",
        "file-outside",
        "delete-outside",
        "not-a-path",
        "no-audit",
        "manifest-outside",
        "manifest-of-another",
    ],
)
def test_a_damaged_intent_is_refused_in_one_line_and_never_acted_on(
    staged: Staged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tamper: Callable[[Any], str]
) -> None:
    out = tmp_path / "out"
    _kill_commit(staged, out, "after-intent", monkeypatch)
    intent_path = out / "_audit" / "commits" / f"{staged.job.run_id}.json"
    intent_path.write_text(tamper(json.loads(intent_path.read_text())))
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    with pytest.raises(OutputError, match="is damaged") as raised:
        commit.recover(OutputLayout(str(out)))
    assert "\n" not in str(raised.value)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # nothing moved


def test_a_fifo_where_the_output_id_goes_is_refused_not_waited_on(
    staged: Staged, tmp_path: Path
) -> None:
    import os

    out = tmp_path / "out"
    shutil.copytree(staged.root, out, symlinks=True)
    (out / "_audit" / "output.json").unlink()
    os.mkfifo(out / "_audit" / "output.json")
    with pytest.raises(OutputError, match=r"output\.json"):
        batch.run([str(staged.folder / "b" / "*")], out, staged.folder / "p1.yaml")
