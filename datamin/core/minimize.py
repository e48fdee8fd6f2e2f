"""The minimization of one record, free of Beam: fields decided by the policy, values changed by
operators, findings replaced, the rest dropped. Records come in batches so NER runs batched.

Any failure on a record quarantines that record alone, with its source, position, error class
and a keyed hash of its raw bytes; the record's content goes nowhere. So does running out of
time: each record has `limits.max_record_seconds` of detection, its share of batched NER
included, checked between steps that are each kept short (one field's patterns; NER over at
most `NER_CALL_CHARS` of text, long texts being read in overlapping pieces: `ner_schedule`).
Time is the worker thread's CPU time, so a record's fate does not depend on what else the
machine is doing.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import date
from functools import lru_cache, partial
from typing import Any

import orjson

from datamin.core import strictjson
from datamin.core.event_dates import EventDates
from datamin.core.jwt_claims import claim_fields
from datamin.core.ner_schedule import (
    NerScheduler,
    Pending,
    Slot,
    out_of_time,
)
from datamin.core.outcomes import Quarantined, Written
from datamin.core.output_keys import stored_path
from datamin.core.records import (
    Item,
    RawRecord,
    Unreadable,
    source_names,
)
from datamin.core.rows import apply_findings, place
from datamin.core.stats import Stats
from datamin.core.structure import Field, json_type
from datamin.core.trace import FindingTrace, RecordTrace, Tracer, trace_findings
from datamin.core.values import as_text
from datamin.errors import InputError, describe
from datamin.formats.kinds import kind_of, record_fields
from datamin.formats.mapped import MappedExchange
from datamin.formats.registry import record_kind_named
from datamin.keys import KeyRing
from datamin.policies.compiled import CompiledPolicy, CompiledRule
from datamin.policies.paths import join
from datamin.redactors.context import FieldContext, FieldKind, FieldRole, last_key
from datamin.redactors.coordinates import names_a_coordinate
from datamin.redactors.credential_fields import password_field
from datamin.redactors.engine import DetectionEngine
from datamin.redactors.entities import CREDENTIALS
from datamin.redactors.listed import (
    AUTHORED,
    RECURRING,
    deny_findings,
    pattern_findings,
    record_terms,
    secret_findings,
    secret_pattern,
    secret_terms,
    term_findings,
    token_terms,
)
from datamin.redactors.operators.generalize import Generalize

QUARANTINE_PURPOSE = "quarantine"


class Minimizer:
    def __init__(
        self,
        policy: CompiledPolicy,
        engine: DetectionEngine,
        keys: KeyRing,
        run_date: date,
        *,
        clock: Callable[[], float] = time.thread_time,
        keep_raw: bool = False,
    ) -> None:
        self.policy = policy
        self.keep_raw = keep_raw
        self.clock = clock
        self.time_limit = policy.limits.max_record_seconds
        self.engine = engine
        self.keys = keys
        self.run_date = run_date.isoformat()
        self.stats = Stats()
        self._ner = NerScheduler(engine, policy, clock, self.time_limit)
        self._deny = [(e, v) for e, values in policy.detection.deny.items() for v in values]
        self._out_key = lru_cache(maxsize=20_000)(
            partial(stored_path, engine=engine, deny=self._deny, patterns=policy.patterns)
        )
        # A record's paths, and so its rules and contexts, repeat from record to record: each
        # is worked out once (bounded, as `_out_key` is).
        self._rules: dict[tuple[str, str], CompiledRule] = {}
        self._sources: dict[str, tuple[str, str]] = {}
        self._contexts: dict[tuple[str, FieldKind, str | None, FieldRole | None], FieldContext] = {}
        # The policy's own access log shape (`source.map`), tried before the kinds' content tests.
        source = policy.policy.source
        self._mapped = MappedExchange(source) if source is not None else None

    def process(self, items: list[Item]) -> list[Written | Quarantined | None]:
        """One outcome per item, in order: Written, Quarantined, or None (nothing kept)."""
        return self._process(items, None)

    def explain(self, items: list[Item]) -> list[tuple[Written | Quarantined | None, RecordTrace]]:
        """Each item's outcome with the trace of every decision taken for it."""
        tracers: list[Tracer] = []
        outcomes = self._process(items, tracers)
        return list(zip(outcomes, [t.trace for t in tracers], strict=True))

    def _process(
        self, items: list[Item], tracers: list[Tracer] | None
    ) -> list[Written | Quarantined | None]:
        outcomes: list[Written | Quarantined | None] = []
        pending: list[tuple[int, Pending]] = []
        for item in items:
            self.stats.records_in += 1
            trace = None
            if tracers is not None:
                trace = Tracer(item.source, item.index, self._out_key)
                tracers.append(trace)
            if isinstance(item, Unreadable):
                outcomes.append(self._quarantine(item, item.error, item.raw, trace))
                continue
            try:
                prepared = self._prepare(item, trace)
            except Exception as exc:  # noqa: BLE001 - fail closed: any error quarantines
                outcomes.append(self._quarantine(item, describe(exc), item.data, trace))
                continue
            outcomes.append(None)
            pending.append((len(outcomes) - 1, prepared))
        self._ner.run([p for _, p in pending])
        for position, prepared in pending:
            item = prepared.item
            if prepared.error is not None:
                outcomes[position] = self._quarantine(
                    item, prepared.error, item.data, prepared.trace
                )
                continue
            try:
                outcomes[position] = self._finish(prepared)
            except Exception as exc:  # noqa: BLE001
                outcomes[position] = self._quarantine(
                    item, describe(exc), item.data, prepared.trace
                )
        return outcomes

    # -- phase 1: parse, decide each field, detect in structured values -----------------------

    def _prepare(self, item: RawRecord, trace: Tracer | None) -> Pending:
        started, loaded = self.clock(), self.engine.loading_seconds()
        if len(item.data) > self.policy.limits.max_record_bytes:
            raise InputError("record larger than the limit")
        # The kind its format declared parses and checks it (a HAR entry was checked with its
        # document); a record of no declared kind is parsed strictly and judged by content.
        declared = record_kind_named(item.kind)
        try:
            record = declared.parse(item.data) if declared else strictjson.loads(item.data)
        except orjson.JSONDecodeError:
            raise InputError("invalid JSON") from None
        if declared is not None and (problem := declared.problem(record)) is not None:
            raise InputError(problem)
        if not isinstance(record, dict):
            raise InputError(f"a record must be a JSON object, not {json_type(record)}")
        shaped = declared or self._mapped_kind(record) or kind_of(record)
        fields = record_fields(record, self.policy.limits, shaped)
        kind = shaped.name
        fields += claim_fields(fields, partial(self._named, kind=kind))
        if trace is not None:
            trace.kind(kind)
        pending = Pending(item, kind, self._event_date(fields, kind), trace=trace)
        # Run for every field of every record: what the loop reads is looked up once.
        rules, contexts, written = self._rules, self._contexts, self.policy.is_written
        detect, clock, limit, slots = self.engine.detect, self.clock, self.time_limit, []
        for f in fields:
            rule = rules.get((f.path, kind)) or self._rule_for(f.path, kind)
            if rule.mode == "drop" or f.binary or not written(rule.retention):
                self.stats.fields_dropped += 1
                if trace is not None:
                    trace.not_written(f, rule)
                continue
            if rule.mode == "operator":
                op = rule.operator
                assert op is not None
                text = as_text(f.value)
                value = op.apply(text, self.policy.rule_context(rule, pending.event_date))
                pending.values.append((f, rule, value))
                if rule.params and value is not None:
                    self._route_params(pending, f, rule, text)
            elif not isinstance(f.value, str) and not _scanned_number(f.value, f.path):
                pending.values.append((f, rule, f.value))
            else:
                if not isinstance(f.value, str):
                    # A card or phone number, a coordinate, written as a JSON number is
                    # scanned as text.
                    f = Field(f.path, str(f.value), f.kind, f.binary, f.position, f.label, f.role)
                ctx = contexts.get((f.path, f.kind, f.label, f.role)) or self._context(f)
                found = detect(f.value, ctx)
                if self._deny:
                    found += deny_findings(f.value, self._deny)
                if self.policy.patterns:
                    found += pattern_findings(f.value, self.policy.patterns, ctx.name)
                slots.append(Slot(f, rule, ctx, found))
                if clock() - started > limit:
                    # What detection loaded on first use (Presidio) is no record's time.
                    started += self.engine.loading_seconds() - loaded
                    loaded = self.engine.loading_seconds()
                    if clock() - started > limit:
                        raise out_of_time()
        pending.slots = slots
        pending.spent = self.clock() - started - (self.engine.loading_seconds() - loaded)
        return pending

    def _route_params(self, p: Pending, f: Field, rule: CompiledRule, text: str) -> None:
        """A route template's parameters, each a field of its own (`request.path.user_id`)
        that its rule pseudonymizes into a column or drops."""
        assert isinstance(rule.operator, Generalize)
        at, found = rule.operator.route_params(text)
        for t, name, param in rule.params:
            if t != at or name not in found:
                continue
            derived = Field(
                join(f.path, name), found[name], FieldKind.URL_PATH, position=f.position
            )
            if param.mode == "drop" or not self.policy.is_written(param.retention):
                self.stats.fields_dropped += 1
                if p.trace is not None:
                    p.trace.not_written(derived, param)
                continue
            assert param.operator is not None
            ctx = self.policy.rule_context(param, p.event_date)
            p.values.append((derived, param, param.operator.apply(found[name], ctx)))

    def _mapped_kind(self, record: dict[str, Any]) -> MappedExchange | None:
        return self._mapped if self._mapped is not None and self._mapped.matches(record) else None

    def _named(self, path: str, kind: str) -> bool:
        """Whether a rule of the policy, not its default, names `path`."""
        rule = self._rules.get((path, kind)) or self._rule_for(path, kind)
        return not rule.where.endswith("default_action")

    def _rule_for(self, path: str, kind: str) -> CompiledRule:
        if len(self._rules) >= _CACHED_PATHS:
            self._rules.clear()
        rule = self._rules[(path, kind)] = self.policy.rule_for(path, kind)
        return rule

    def _context(self, f: Field) -> FieldContext:
        if len(self._contexts) >= _CACHED_PATHS:
            self._contexts.clear()
        ctx = FieldContext.of(f.path, f.kind, f.label, f.role)
        self._contexts[(f.path, f.kind, f.label, f.role)] = ctx
        return ctx

    @property
    def run_date(self) -> str:
        """The run's date (ISO): a record's date where its own is missing or not trusted."""
        return self._dates.run_date

    @run_date.setter
    def run_date(self, day: str) -> None:
        self._dates = EventDates(day)

    def _event_date(self, fields: list[Field], kind: str) -> str:
        return self._dates.choose(fields, self.policy.event_times[kind], self.stats)

    # -- phase 3: apply findings, build rows ---------------------------------------------------

    def _finish(self, p: Pending) -> Written | None:
        rows: dict[str, dict[str, Any]] = {}
        trace = p.trace
        self._recurring(p)
        for f, rule, value in p.values:
            place(
                rows,
                f,
                rule,
                value,
                stats=self.stats,
                out_key=self._out_key,
                changed=rule.mode == "operator",
                trace=trace,
            )
        for slot in p.slots:
            value = apply_findings(slot, self.policy, self.stats, self._out_key)
            found: tuple[FindingTrace, ...] = ()
            shown = None
            if trace is not None:
                text = str(slot.field.value)
                found, shown = trace_findings(self.policy, text, slot.findings, value)
            place(
                rows,
                slot.field,
                slot.rule,
                value,
                stats=self.stats,
                out_key=self._out_key,
                changed=value != slot.field.value,
                trace=trace,
                findings=found,
                shown=shown,
            )
        rows = {cls: row for cls, row in rows.items() if len(row) > 1 or row.get("fields")}
        if not rows:
            self.stats.records_dropped += 1
            if trace is not None:
                trace.nothing_kept()
            return None
        self.stats.records_written += 1
        if trace is not None:
            trace.written()
        record_id = secrets.token_hex(16)
        for cls, row in rows.items():
            row["record_id"] = record_id
            self.stats.rows[cls] += 1
        item = p.item
        return Written(item.source, item.index, record_id, p.event_date, rows)

    def _recurring(self, p: Pending) -> None:
        """Names, places and credentials the record gives away in one field are found in the
        prose of all its others (a credential again in its own)."""
        given = [
            (f, str(slot.field.value))
            for slot in p.slots
            for f in slot.findings
            # Deny lists and the policy's patterns match exactly as their authors wrote them.
            if (f.entity in RECURRING or f.entity in CREDENTIALS)
            and f.detector not in AUTHORED
            and self.policy.accepts(f)
        ]
        if not given:
            return
        terms = record_terms([(f.entity, v[f.start : f.end]) for f, v in given])
        secrets = secret_terms([(f.entity, v[f.start : f.end], f.score) for f, v in given])
        pattern = secret_pattern(secrets)
        tokens = token_terms(secrets)
        token_pattern = secret_pattern(tokens)
        for slot in p.slots:
            text = str(slot.field.value)
            # They recur in prose (notes, messages, log lines, config text), not in headers or
            # ids: a value a credential's key holds may be an object's id elsewhere too. A
            # token a program made is the same secret wherever it is written again.
            if slot.ctx.kind not in _PROSE_KINDS or " " not in text:
                if tokens and slot.ctx.kind is not FieldKind.META:
                    # Not again where it was found (the audit counts each finding once).
                    had = slot.findings
                    slot.findings = had + [
                        f
                        for f in secret_findings(text, tokens, token_pattern)
                        if not any(g.start <= f.start and f.end <= g.end for g in had)
                    ]
                continue
            if terms:
                slot.findings += term_findings(text, terms)
            if secrets:
                slot.findings += secret_findings(text, secrets, pattern)

    def _quarantine(self, item: Item, error: str, raw: bytes, trace: Tracer | None) -> Quarantined:
        self.stats.records_quarantined += 1
        self.stats.quarantine_errors[error] += 1
        if trace is not None:
            trace.quarantined(error)
        digest = self.keys.mac_hex(QUARANTINE_PURPOSE, raw) if raw else None
        shown, source_id = self._source_names(item.source)
        kind = item.kind if isinstance(item, RawRecord) else None
        if not self.keep_raw:
            raw = b""
        return Quarantined(item.source, item.index, error, digest, raw, kind, shown, source_id)

    def _source_names(self, source: str) -> tuple[str, str]:
        found = self._sources.get(source)
        if found is None:
            plain = self.policy.policy.audit.source_paths == "plain"
            found = source_names(source, self.keys, plain)
            if len(self._sources) >= _CACHED_PATHS:
                self._sources.clear()
            self._sources[source] = found
        return found


_PROSE_KINDS = (FieldKind.TEXT, FieldKind.JSON, FieldKind.FORM, FieldKind.QUERY)
_CACHED_PATHS = 20_000


def _scanned_number(value: object, path: str) -> bool:
    """An integer long enough to be a card, phone or account number, or any under a password's,
    a PIN's or a card code's name (`"pin": 1234`); a decimal under a coordinate's name (a
    decimal is no card or phone: timings and prices are not scanned)."""
    if isinstance(value, float):
        return names_a_coordinate(last_key(path))
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return abs(value) >= 1_000_000 or password_field(last_key(path))
