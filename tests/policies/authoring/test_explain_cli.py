"""`policy explain` as an author compares it with a run's output: its `--index` numbers records
as audits and quarantine entries do, its values show as stored (any script, not escaped), and
its pseudonyms are the ones a run stores (the run's key), never made with a key it creates."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.core.config import Engines
from datamin.core.minimize import Quarantined
from datamin.formats import read_file
from datamin.keys import KeySource, create_key_file, default_key_path, resolve_key_source
from datamin.policies.authoring.workbench import Workbench
from datamin.policies.loader import load_policy

runner = CliRunner()
POLICY = (
    "version: 1\nname: t\nretention: {default: a, classes: {a: 7d}}\ndetection: {ner: false}\n"
    "fields:\n  - {path: note, action: keep}\n  - {path: who, action: pseudonymize}\n"
)
RECORD = {"note": "Größe: 3 · café crème à Zürich · 東京", "who": "ana"}
PSEUDONYM = re.compile(r'"(psn_[0-9a-f]{24})"')


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(POLICY)
    return path


def explain(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["policy", "explain", *args])
    return result.exit_code, result.stdout, result.stderr


# -- values as they are stored ---------------------------------------------------------------


def test_non_ascii_is_shown_as_is(tmp_path: Path, policy: Path) -> None:
    record = tmp_path / "r.jsonl"
    record.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, _ = explain("-p", str(policy), "-r", str(record))
    assert code == 0
    assert f'"{RECORD["note"]}"' in out and "\\x" not in out and "\\u" not in out


def test_what_does_not_print_is_still_escaped(tmp_path: Path, policy: Path) -> None:
    # A line break, a terminal escape or a bidi override would rewrite the line it is on.
    record = tmp_path / "r.jsonl"
    record.write_text(json.dumps({"note": "a\nb \x1b[2J c \u202e d ø"}) + "\n")
    code, out, _ = explain("-p", str(policy), "-r", str(record))
    assert code == 0
    assert '"a\\nb \\x1b[2J c \\u202e d ø"' in out and "\x1b" not in out and "\u202e" not in out


# -- --index: the audit's numbering, in every format -----------------------------------------

ENTRY = {
    "startedDateTime": "2026-03-02T10:00:00Z",
    "request": {"method": "GET", "url": "https://x.example/", "headers": []},
    "response": {"status": 200},
}
# The second record of each file cannot be minimized, so a run quarantines it.
FILES = {
    "r.jsonl": '{"note": "x"}\n[1, 2]\n{"note": "y"}\n',
    "r.json": '[{"note": "x"}, [1, 2], {"note": "y"}]',
    "r.har": json.dumps({"log": {"entries": [ENTRY, {"request": 3}, ENTRY]}}),
}


def _quarantined_index(path: Path, policy: Path) -> int:
    """The index a run's quarantine entry gives the record that cannot be minimized."""
    wb = Workbench(policy)
    run = Engines(wb.keys, wb.policy, wb.engine).minimizer(date.today())  # as a run's workers
    outcomes = run.process(list(read_file(str(path), wb.policy.limits.max_record_bytes)))
    [entry] = [o.to_json() for o in outcomes if isinstance(o, Quarantined)]
    return int(entry["index"])


@pytest.mark.parametrize("name", sorted(FILES))
def test_index_selects_the_record_the_quarantine_names(
    tmp_path: Path, policy: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(FILES[name])
    index = _quarantined_index(path, policy)
    code, out, _ = explain("-p", str(policy), "-r", str(path), "--index", str(index))
    assert code == 0 and len(out.split("\n\n")) == 1
    assert out.startswith(f"{path} #{index} ") and "-> quarantined" in out


def test_index_help_says_how_records_are_numbered() -> None:
    result = runner.invoke(app, ["policy", "explain", "--help"], terminal_width=200)
    help_text = " ".join(result.stdout.split())
    assert "numbered as audits and quarantine entries number it" in help_text
    assert "from 1 in every format" in help_text


@pytest.mark.parametrize(("name", "numbers"), [("r.jsonl", "1 to 3"), ("r.har", "1 to 3")])
def test_an_index_not_there_says_how_this_file_is_numbered(
    tmp_path: Path, policy: Path, name: str, numbers: str
) -> None:
    path = tmp_path / name
    path.write_text(FILES[name])
    code, _, err = explain("-p", str(policy), "-r", str(path), "--index", "7")
    assert code == 2
    assert f"no record at index 7 in {path} (its records are numbered {numbers}" in (
        " ".join(err.split())
    )


# -- pseudonyms with the run's key -----------------------------------------------------------


def _pseudonym(out: str) -> str:
    found = PSEUDONYM.search(out)
    assert found, out
    return found.group(1)


def _stored(policy: Path, keys_source: KeySource) -> str:
    """The pseudonym a run stores for RECORD under the key it resolves."""
    [e] = Workbench(load_policy(policy), keys=keys_source.load()).explain_records([RECORD])
    assert e.written is not None
    return e.written.rows["a"]["fields"]["who"]


@pytest.fixture
def record(tmp_path: Path) -> Path:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(RECORD))
    return path


def test_pseudonyms_are_made_with_the_key_a_run_uses(policy: Path, record: Path) -> None:
    # The suite's environment configures DATAMIN_KEY, as a deployment would.
    source, created = resolve_key_source(None, tokenize=False)
    assert created is None
    code, out, err = explain("-p", str(policy), "-r", str(record))
    assert code == 0 and err == ""
    assert _pseudonym(out) == _stored(policy, source)


def test_the_default_key_file_is_used_when_it_exists(
    monkeypatch: pytest.MonkeyPatch, policy: Path, record: Path
) -> None:
    monkeypatch.delenv("DATAMIN_KEY")
    create_key_file(default_key_path())
    code, out, err = explain("-p", str(policy), "-r", str(record))
    assert code == 0 and err == ""
    assert _pseudonym(out) == _stored(policy, KeySource(path=str(default_key_path())))


def test_a_key_file_given_wins(tmp_path: Path, policy: Path, record: Path) -> None:
    key = tmp_path / "other.key"
    create_key_file(key)
    code, out, _ = explain("-p", str(policy), "-r", str(record), "--key-file", str(key))
    assert code == 0 and _pseudonym(out) == _stored(policy, KeySource(path=str(key)))


def test_with_no_key_a_throwaway_one_and_a_note_and_nothing_created(
    monkeypatch: pytest.MonkeyPatch, policy: Path, record: Path
) -> None:
    monkeypatch.delenv("DATAMIN_KEY")
    code, out, err = explain("-p", str(policy), "-r", str(record), "--format", "json")
    assert code == 0 and not default_key_path().exists()
    note = " ".join(err.split())
    assert note.startswith("note: no key configured") and "will not match stored ones" in note
    assert json.loads(out)  # the note is not in what a script reads
