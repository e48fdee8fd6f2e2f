"""A policy compiled for running: patterns compiled, operators built with the key, retention
resolved. Built once per worker (in `DoFn.setup`), immutable, and cheap to query per field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import Literal

from datamin.keys import KeyRing
from datamin.policies._re2 import compile_pattern
from datamin.policies.loader import LoadedPolicy
from datamin.policies.model import SOURCE_KINDS, ColumnType, Policy
from datamin.policies.paths import PathPattern, erase_positions
from datamin.redactors.decode import decode
from datamin.redactors.entities import CREDENTIALS
from datamin.redactors.findings import Finding
from datamin.redactors.operators import (
    OPERATORS,
    Operator,
    OperatorContext,
    OperatorParams,
    build,
)
from datamin.redactors.operators.pseudonymize import PseudonymizeParams
from datamin.redactors.operators.redact import RedactParams
from datamin.redactors.operators.registry import credential_safe

Mode = Literal["keep", "scan", "drop", "operator"]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    where: str  # `fields[3]`, `sources.har.fields[0]` or `default_action`: for explain, audits
    pattern: PathPattern
    mode: Mode
    operator: Operator | None
    retention: str
    column: str | None
    type: ColumnType
    entity: str | None
    # A `url_path` rule's route-template parameters: (template index, name, the param's rule).
    params: tuple[tuple[int, str, CompiledRule], ...] = ()


class CompiledPolicy:
    def __init__(self, loaded: LoadedPolicy, keys: KeyRing) -> None:
        policy = loaded.policy
        self.policy: Policy = policy
        self.sha256 = loaded.sha256
        self.name = policy.name
        self.limits = policy.limits
        self.detection = policy.detection
        self._disabled = frozenset(policy.detection.disable)
        self.allow = frozenset(policy.detection.allow)
        self.retention: MappingProxyType[str, timedelta | None] = MappingProxyType(
            {name: policy.retention.duration(name) for name in policy.retention.classes}
        )
        self._written = {
            name: duration is None or duration > timedelta(0)
            for name, duration in self.retention.items()
        }
        default_class = policy.retention.default
        compiled: dict[tuple[str, int], CompiledRule] = {}
        for where, i, rule in policy.rules():
            operator = None
            mode: Mode
            if isinstance(rule, OperatorParams):  # a rule class holds its operator's params
                operator = build(_params_of(rule), keys)
                mode = "drop" if rule.action == "drop" else "operator"
            else:
                mode = rule.action  # keep | scan
            compiled[(where, i)] = CompiledRule(
                where=f"{where}[{i}]",
                pattern=PathPattern(rule.path),
                mode=mode,
                operator=operator,
                retention=rule.retention or default_class,
                column=rule.column,
                type=rule.type,
                entity=rule.entity,
                params=_template_params(
                    rule, f"{where}[{i}]", rule.retention or default_class, keys
                ),
            )
        # Per kind of record: its section's rules, then the policy's, then its default.
        self.rules = tuple(compiled.values())
        self._by_kind: dict[str, tuple[tuple[CompiledRule, ...], CompiledRule]] = {}
        self.event_times: dict[str, tuple[str, ...]] = {}
        for kind in SOURCE_KINDS:
            section = policy.sources.section(kind)
            own = tuple(r for (w, _), r in compiled.items() if w == f"sources.{kind}.fields")
            common = tuple(r for (w, _), r in compiled.items() if w == "fields")
            action = (section.default_action if section else None) or policy.default_action
            default = CompiledRule(
                where=f"sources.{kind}.default_action"
                if section and section.default_action
                else "default_action",
                pattern=PathPattern("**"),
                mode=action,
                operator=None,
                retention=default_class,
                column=None,
                type="string",
                entity=None,
            )
            self._by_kind[kind] = (own + common, default)
            self.event_times[kind] = (
                section.event_time if section and section.event_time else policy.event_time
            )
        self.default_rule = self._by_kind["json"][1]
        self.patterns = tuple(
            (p.entity, compile_pattern(p.regex), p.score, tuple(w.lower() for w in p.context))
            for p in policy.detection.patterns
        )
        self.allow_patterns = tuple(compile_pattern(p) for p in policy.detection.allow_patterns)
        ops = {entity: build(spec, keys) for entity, spec in policy.entities.items()}
        self._default_op = ops.pop("default", None) or build(RedactParams(), keys)
        # A default that cannot apply to credentials (pseudonymize, generalize) gives way to redact.
        self._credential_default = (
            self._default_op
            if self._default_op.name in credential_safe()
            else build(RedactParams(), keys)
        )
        self._entity_ops = ops
        # Operator contexts, made once and reused: one per entity for spans, one per field
        # rule and event date for field rules (a record's fields share few dates).
        self._span_ops: dict[str, tuple[Operator, OperatorContext]] = {}
        self._rule_contexts: dict[tuple[str, str], OperatorContext] = {}
        self._rule_cache: dict[str, CompiledRule] = {}
        # Columns per retention class, in declaration order, for a stable Parquet schema.
        columns: dict[str, dict[str, ColumnType]] = {name: {} for name in self.retention}
        for r in self.rules:
            if r.column is not None and r.mode != "drop":
                columns[r.retention].setdefault(r.column, r.type)
            for _, _, p in r.params:
                if p.column is not None and p.mode != "drop":
                    columns[p.retention].setdefault(p.column, p.type)
        self.columns = MappingProxyType({k: tuple(v.items()) for k, v in columns.items()})

    def rule_for(self, path: str, kind: str = "json") -> CompiledRule:
        """The first rule whose pattern matches (the kind's section first, then the policy's
        `fields`), else the kind's default. Cached per kind and path shape."""
        erased = erase_positions(path)
        key = f"{kind}\x00{erased}"
        hit = self._rule_cache.get(key)
        if hit is None:
            rules, default = self._by_kind[kind]
            hit = next((r for r in rules if r.pattern.matches(erased)), default)
            if len(self._rule_cache) < 50_000:
                self._rule_cache[key] = hit
        return hit

    def entity_operator(self, entity: str) -> Operator:
        op = self._entity_ops.get(entity)
        if op is not None:
            return op
        return self._credential_default if entity in CREDENTIALS else self._default_op

    def entity_operation(self, entity: str) -> tuple[Operator, OperatorContext]:
        """The operator for a detected span of `entity`, and its context. A span's context
        names its entity only: operators that need the partition (tokenize) are field rules'."""
        hit = self._span_ops.get(entity)
        if hit is None:
            hit = self._span_ops[entity] = (self.entity_operator(entity), OperatorContext(entity))
        return hit

    def rule_context(self, rule: CompiledRule, event_date: str) -> OperatorContext:
        """The context of a field rule's operator for a record of `event_date` (YYYY-MM-DD)."""
        at = (rule.where, event_date)
        ctx = self._rule_contexts.get(at)
        if ctx is None:
            if len(self._rule_contexts) >= 10_000:
                self._rule_contexts.clear()
            ctx = self._rule_contexts[at] = OperatorContext(rule.entity, rule.retention, event_date)
        return ctx

    def accepts(self, finding: Finding) -> bool:
        threshold = self.detection.thresholds.get(finding.entity, self.detection.min_score)
        return finding.score >= threshold

    def applies(self, finding: Finding, text: str) -> bool:
        """Whether `finding` is replaced in `text`: its entity on, its threshold met, its span
        not allowed."""
        return (
            finding.entity not in self._disabled
            and self.accepts(finding)
            and not self.allowed(text[finding.start : finding.end])
        )

    def allowed(self, span: str) -> bool:
        """An allow-listed value or one an allow pattern matches whole, as written or once
        decoded (`support%40shop.example`)."""
        if not self.allow and not self.allow_patterns:
            return False
        view = decode(span)
        for text in (span,) if view is None else (span, view.text):
            if text in self.allow or any(p.fullmatch(text) for p in self.allow_patterns):
                return True
        return False

    def is_written(self, retention: str) -> bool:
        """A class of duration 0 is never written."""
        return self._written[retention]


def _template_params(
    rule: object, where: str, retention: str, keys: KeyRing
) -> tuple[tuple[int, str, CompiledRule], ...]:
    """The rules of a route template's parameters, each a column of keyed pseudonyms (or
    nothing: `drop`)."""
    out: list[tuple[int, str, CompiledRule]] = []
    for t, template in enumerate(getattr(rule, "templates", ())):
        for name, param in template.params.items():
            pseudonymize = param.action == "pseudonymize"
            compiled = CompiledRule(
                where=f"{where}.templates[{t}].params.{name}",
                pattern=PathPattern("**"),
                mode="operator" if pseudonymize else "drop",
                operator=build(PseudonymizeParams(), keys) if pseudonymize else None,
                retention=param.retention or retention,
                column=param.column,
                type="string",
                entity=param.entity,
            )
            out.append((t, name, compiled))
    return tuple(out)


def _params_of(rule: OperatorParams) -> OperatorParams:
    """The operator parameters inside a field rule: the rule minus path, column, retention..."""
    params_cls = OPERATORS[rule.action].params_model
    return params_cls.model_validate({k: getattr(rule, k) for k in params_cls.model_fields})
