"""Issue 6: bad input is a quarantine entry, never a crash, a pass-through or a silent drop.

The corpus (`bad_corpus.py`) goes through one `datamin run` with `redact_only`, which keeps every
field: a bad record passed through would show in the output. Each file's written and
quarantined records are counted from the run's own output (Parquet part files are named by a
keyed hash of their source; quarantine entries carry the source path).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest
from bad_corpus import CASES, Case, Planted, write_bad_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datamin.core.minimize import Minimizer, Quarantined, Written
from datamin.core.records import SOURCE_PATH_PURPOSE, Item, RawRecord, source_shape
from datamin.keys import KeyRing, resolve_key_source
from datamin.leakscan import needles_for, scan_text, scan_tree
from datamin.output.layout import OutputLayout
from datamin.output.manifest import file_index
from datamin.output.sources import source_key
from datamin.pipelines import batch
from datamin.policies import bundled
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.redactors.engine import DetectionEngine


@dataclass(frozen=True)
class CorpusRun:
    inputs: Path
    out: Path
    audit: dict[str, Any]
    needles: list[tuple[str, str]]
    written: Counter[str]  # file name -> records written
    quarantined: Counter[str]  # file name -> quarantine entries
    log: str


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _written_by_file(out: Path, files: list[Path]) -> Counter[str]:
    """Rows by source, as the manifests record them for every visible file (a file holds
    several sources' rows); each file holds the rows its manifest says."""
    keys = resolve_key_source(None, out)[0].load()
    by_key = {source_key(str(f), keys): f.name for f in files}
    index = file_index(OutputLayout(str(out)))
    counts: Counter[str] = Counter()
    for part in out.glob("data/retention=*/date=*/part-*.parquet"):
        entry = index.files[str(part.relative_to(out))]
        assert entry.rows == pq.read_metadata(part).num_rows
        for key, rows in entry.segments:
            counts[by_key[key]] += rows or 0
    return counts


def _quarantined_by_file(out: Path, files: list[Path]) -> Counter[str]:
    """Entries name their source by its path's shape and a keyed hash of the path, never the
    path itself."""
    keys = resolve_key_source(None, out)[0].load()
    by_id = {keys.mac_hex(SOURCE_PATH_PURPOSE, str(f).encode(), 16): f for f in files}
    counts: Counter[str] = Counter()
    for part in out.glob("_quarantine/*/part-*.jsonl"):
        for line in part.read_text().splitlines():
            entry = json.loads(line)
            source = by_id[entry["source_id"]]
            assert entry["source"] == source_shape(str(source))
            counts[source.name] += 1
    return counts


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusRun]:
    """The whole corpus through one run, with every log record at DEBUG collected."""
    root = tmp_path_factory.mktemp("bad")
    inputs, out = root / "in", root / "out"
    planted = write_bad_corpus(inputs)
    handler = _Collect()
    logger = logging.getLogger()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        result = batch.run([str(inputs / "*")], out, bundled("redact_only"))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    files = sorted(inputs.iterdir())
    yield CorpusRun(
        inputs,
        out,
        result.audit,
        needles_for(planted),
        _written_by_file(out, files),
        _quarantined_by_file(out, files),
        "\n".join(handler.lines),
    )


def _case_param(c: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=c.defect)] if c.defect else []
    return pytest.param(c, id=c.name, marks=marks)


@pytest.mark.parametrize("case", [_case_param(c) for c in CASES])
def test_each_file_is_written_or_quarantined_as_expected(corpus_run: CorpusRun, case: Case) -> None:
    got = (corpus_run.written[case.name], corpus_run.quarantined[case.name])
    assert got == (case.written, case.quarantined), case.why


def test_the_audit_accounts_for_every_record(corpus_run: CorpusRun) -> None:
    audit = corpus_run.audit
    assert audit["balanced"] is True
    assert audit["records_dropped"] == 0  # redact_only keeps every field of a readable record
    assert audit["records_written"] == sum(corpus_run.written.values())
    assert audit["records_quarantined"] == sum(corpus_run.quarantined.values())
    sound = [c for c in CASES if c.defect is None]
    assert audit["records_in"] >= sum(c.written + c.quarantined for c in sound)
    # every file counts: a file with no outcome at all was dropped silently
    for c in sound:
        assert corpus_run.written[c.name] + corpus_run.quarantined[c.name] > 0, c.name


def test_no_planted_value_in_any_output_file_or_log_line(corpus_run: CorpusRun) -> None:
    assert corpus_run.needles and scan_tree(corpus_run.out, corpus_run.needles) == []
    assert scan_text(corpus_run.log, corpus_run.needles) == []
    assert list(corpus_run.out.glob("_quarantine/*/part-*.jsonl"))


def test_the_cli_exits_0_and_prints_nothing_planted(corpus_run: CorpusRun, tmp_path: Path) -> None:
    out = tmp_path / "out-cli"
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "datamin"),
            "run",
            "-i",
            str(corpus_run.inputs / "*"),
            "-o",
            str(out),
            "-p",
            str(bundled("redact_only")),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "quarantined" in proc.stdout and "Traceback" not in proc.stderr
    assert scan_text(proc.stdout + proc.stderr, corpus_run.needles) == []
    assert scan_tree(out, corpus_run.needles) == []


# -- property: any nested record, any garbage ------------------------------------------------

PLANTED = Planted("EMAIL_ADDRESS", "prop-case-7731@example.net", "hypothesis")
KEYS = KeyRing(b"b" * 32)
LEAF = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
)


def _trees(depth: int) -> st.SearchStrategy[Any]:
    if depth == 0:
        return LEAF
    kids = _trees(depth - 1)
    return st.one_of(
        LEAF, st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=6), kids, max_size=3)
    )


RECORDS = st.dictionaries(st.text(max_size=6), _trees(5), min_size=1, max_size=3)  # depth <= 6


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    else:
        yield path


def _plant(record: dict[str, Any], path: tuple[Any, ...]) -> None:
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    leaf = target.get(path[-1]) if isinstance(target, dict) else target[path[-1]]
    target[path[-1]] = f"{leaf if isinstance(leaf, str) else ''} {PLANTED.value} "


@pytest.fixture(scope="module")
def fast_engine() -> DetectionEngine:
    return DetectionEngine(ner_model=None)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.lists(RECORDS, min_size=1, max_size=4),
    garbage=st.lists(st.binary(), max_size=3),
    data=st.data(),
)
def test_nested_records_and_garbage_never_leak_and_always_balance(
    fast_engine: DetectionEngine,
    records: list[dict[str, Any]],
    garbage: list[bytes],
    data: st.DataObject,
) -> None:
    items: list[Item] = []
    for i, record in enumerate(records):
        leaves = list(_leaves(record)) or [("planted",)]  # only empty containers: a new key
        _plant(record, data.draw(st.sampled_from(leaves)))
        items.append(RawRecord("prop.jsonl", i + 1, orjson.dumps(record)))
    for i, junk in enumerate(garbage):
        cut = len(junk) // 2
        raw = b"\x80" + junk[:cut] + PLANTED.value.encode() + junk[cut:]
        items.append(RawRecord("prop.jsonl", 100 + i, raw))
    policy = CompiledPolicy(load_policy(bundled("redact_only")), KEYS)
    m = Minimizer(policy, fast_engine, KEYS, date(2026, 11, 23))
    outcomes = m.process(items)
    assert m.stats.balanced() and m.stats.records_in == len(items)
    assert sum(isinstance(o, Quarantined) for o in outcomes) >= len(garbage)
    needles = needles_for([PLANTED])
    for o in outcomes:
        text = json.dumps(o.rows, default=str) if isinstance(o, Written) else repr(o)
        assert scan_text(text, needles) == []
