"""A policy applied in process to a few sample records, with the trace of every decision: what
`policy explain`, `policy diff`, `policy test` and the notebooks are built on.

No Beam here: a sample is small, and the same `Minimizer` that the pipeline runs decides, so
what an author sees is what a run would write. A workbench's pseudonyms use the key it is given,
else an ephemeral one; `configured_keys` finds the key a run would use without ever creating
one (what `policy explain` does, so its pseudonyms match stored ones). Reversible tokens always
use ephemeral keys, so nothing here creates or reads a production token key.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from datamin.core.config import Engines
from datamin.core.minimize import Quarantined, Written
from datamin.core.records import Item, RawRecord
from datamin.core.trace import RecordTrace
from datamin.formats import expand_patterns, read_file
from datamin.keys import KEY_ENV, KEY_FILE_ENV, KeyRing, KeySource, default_key_path
from datamin.output.tokenkeys import EphemeralTokenKeys
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import LoadedPolicy, load_policy
from datamin.policies.model import Limits
from datamin.redactors.engine import DetectionEngine

_BATCH = 64


@dataclass(frozen=True)
class Explained:
    trace: RecordTrace
    written: Written | None  # the rows a run would write; None when dropped or quarantined


class Workbench:
    """One policy, compiled with a key, with a detection engine; explains records."""

    def __init__(
        self,
        policy: str | Path | LoadedPolicy,
        *,
        ner_model: str | None = None,
        key_file: Path | None = None,
        keys: KeyRing | None = None,
        engine: DetectionEngine | None = None,
    ) -> None:

        self.loaded = policy if isinstance(policy, LoadedPolicy) else load_policy(policy)
        if keys is None:
            keys = (
                KeySource(path=str(key_file)).load()
                if key_file is not None
                else KeyRing(secrets.token_bytes(32))
            )
        if keys.token_store is None:
            keys = keys.with_token_store(EphemeralTokenKeys())
        self.keys = keys
        self.policy = CompiledPolicy(self.loaded, keys)
        if engine is None:
            detection = self.loaded.policy.detection
            engine = DetectionEngine(
                ner_model=detection.ner_model_for(ner_model), settings=detection.settings
            )
        self.engine = engine
        self.ner_model = ner_model

    def sibling(self, policy: str | Path | LoadedPolicy) -> Workbench:
        """Another policy on the same key, and on the same engine when both run NER or
        neither does: what `policy diff` compares, without loading spaCy twice."""
        loaded = policy if isinstance(policy, LoadedPolicy) else load_policy(policy)
        mine, theirs = self.loaded.policy.detection, loaded.policy.detection
        same = (mine.ner_model_for(self.ner_model), mine.settings) == (
            theirs.ner_model_for(self.ner_model),
            theirs.settings,
        )
        return Workbench(
            loaded,
            ner_model=self.ner_model,
            keys=self.keys,
            engine=self.engine if same else None,
        )

    def read(self, patterns: list[str], limit: int | None = None) -> list[Item]:
        """A sample read as a run of this policy reads it (its record size limit)."""
        return read_sample(patterns, limit, self.policy.limits.max_record_bytes)

    @property
    def name(self) -> str:
        return self.policy.name

    def explain(self, items: Iterable[Item]) -> Iterator[Explained]:
        """Each record's trace, in order, in batches (NER runs batched as in a run)."""
        engines = Engines(self.keys, self.policy, self.engine)
        minimizer = engines.minimizer(datetime.now(UTC).date())
        it = iter(items)
        while batch := list(itertools.islice(it, _BATCH)):
            for outcome, trace in minimizer.explain(batch):
                yield Explained(trace, outcome if isinstance(outcome, Written) else None)

    def explain_records(self, records: Iterable[dict | bytes]) -> list[Explained]:
        """Records given as objects (a notebook, a cases file) rather than files."""
        import orjson

        items = [
            RawRecord("<record>", i, r if isinstance(r, bytes) else orjson.dumps(r))
            for i, r in enumerate(records, 1)
        ]
        return list(self.explain(items))


def configured_keys(key_file: Path | None = None) -> tuple[KeyRing, str | None]:
    """The pseudonymization key `datamin run` would use, found as it finds it (`key_file`,
    then $DATAMIN_KEY, $DATAMIN_KEY_FILE, the default key file) but never created: with none
    configured, an ephemeral key and a one-line note saying pseudonyms will not match stored
    ones. A configured key that cannot be read is a `KeyConfigError`, as for a run."""
    if key_file is not None:
        return KeySource(path=str(key_file.expanduser())).load(), None
    if os.environ.get(KEY_ENV):
        return KeySource(env=KEY_ENV).load(), None
    if os.environ.get(KEY_FILE_ENV):
        return KeySource(path=str(Path(os.environ[KEY_FILE_ENV]).expanduser())).load(), None
    default = default_key_path()
    if default.exists():
        return KeySource(path=str(default)).load(), None
    note = (
        f"note: no key configured (--key-file, {KEY_ENV}, {KEY_FILE_ENV} or {default}): "
        "pseudonyms below use a throwaway key and will not match stored ones"
    )
    return KeyRing(secrets.token_bytes(32)), note


def read_sample(
    patterns: list[str], limit: int | None = None, max_record_bytes: int | None = None
) -> list[Item]:
    """The first `limit` records of the files the patterns match, in file order, read as a run
    with a policy of this record size limit would read them."""
    size = max_record_bytes or Limits().max_record_bytes
    records = (item for path in expand_patterns(patterns) for item in read_file(path, size))
    return list(itertools.islice(records, limit))


def finding_counts(explained: Iterable[Explained], *, replaced_only: bool = True) -> Counter[str]:
    """Findings per entity type over records."""
    counts: Counter[str] = Counter()
    for e in explained:
        for f in e.trace.fields:
            counts.update(x.entity for x in f.findings if x.replaced or not replaced_only)
    return counts


def finding_scores(explained: Iterable[Explained]) -> dict[str, list[float]]:
    """Every finding's score per entity type, replaced or not: what thresholds are tuned on."""
    scores: dict[str, list[float]] = {}
    for e in explained:
        for f in e.trace.fields:
            for x in f.findings:
                scores.setdefault(x.entity, []).append(x.score)
    return scores


def outcome_counts(explained: Iterable[Explained]) -> Counter[str]:
    return Counter(e.trace.outcome for e in explained)


__all__ = [
    "Explained",
    "Quarantined",
    "Workbench",
    "configured_keys",
    "finding_counts",
    "finding_scores",
    "outcome_counts",
    "read_sample",
]
