"""A policy compiled for running: patterns compiled, operators built with the key, retention
resolved. Built once per worker (in `DoFn.setup`), immutable, and cheap to query per field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel

from datamin.keys import KeyRing
from policies.loader import LoadedPolicy
from policies.model import OPERATOR_RULES, ColumnType, Policy
from policies.paths import PathPattern, erase_positions
from redactors.entities import CREDENTIALS
from redactors.findings import Finding
from redactors.operators import Operator, OperatorParams, build
from redactors.operators.redact import RedactParams

Mode = Literal["keep", "scan", "drop", "operator"]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    index: int  # position in the policy's `fields`, for explain and audits
    pattern: PathPattern
    mode: Mode
    operator: Operator | None
    retention: str
    column: str | None
    type: ColumnType
    entity: str | None


class CompiledPolicy:
    def __init__(self, loaded: LoadedPolicy, keys: KeyRing) -> None:
        policy = loaded.policy
        self.policy: Policy = policy
        self.sha256 = loaded.sha256
        self.name = policy.name
        self.limits = policy.limits
        self.detection = policy.detection
        self.event_time = policy.event_time
        self.allow = frozenset(policy.detection.allow)
        self.retention: MappingProxyType[str, timedelta | None] = MappingProxyType(
            {name: policy.retention.duration(name) for name in policy.retention.classes}
        )
        default_class = policy.retention.default
        rules = []
        for i, rule in enumerate(policy.fields):
            operator = None
            mode: Mode
            if isinstance(rule, OPERATOR_RULES):
                operator = build(_params_of(rule), keys)
                mode = "drop" if rule.action == "drop" else "operator"
            else:
                mode = rule.action  # keep | scan
            rules.append(
                CompiledRule(
                    index=i,
                    pattern=PathPattern(rule.path),
                    mode=mode,
                    operator=operator,
                    retention=rule.retention or default_class,
                    column=rule.column,
                    type=rule.type,
                    entity=rule.entity,
                )
            )
        self.rules = tuple(rules)
        self.default_rule = CompiledRule(
            index=-1,
            pattern=PathPattern("**"),
            mode=policy.default_action,
            operator=None,
            retention=default_class,
            column=None,
            type="string",
            entity=None,
        )
        ops = {entity: build(spec, keys) for entity, spec in policy.entities.items()}
        self._default_op = ops.pop("default", None) or build(RedactParams(), keys)
        # A default that cannot apply to credentials (pseudonymize, generalize) gives way to redact.
        self._credential_default = (
            self._default_op
            if self._default_op.name in ("redact", "drop", "mask")
            else build(RedactParams(), keys)
        )
        self._entity_ops = ops
        self._rule_cache: dict[str, CompiledRule] = {}
        # Columns per retention class, in declaration order, for a stable Parquet schema.
        columns: dict[str, dict[str, ColumnType]] = {name: {} for name in self.retention}
        for r in self.rules:
            if r.column is not None and r.mode != "drop":
                columns[r.retention].setdefault(r.column, r.type)
        self.columns = MappingProxyType({k: tuple(v.items()) for k, v in columns.items()})

    def rule_for(self, path: str) -> CompiledRule:
        """The first rule whose pattern matches, else the default rule. Cached per path shape."""
        erased = erase_positions(path)
        hit = self._rule_cache.get(erased)
        if hit is None:
            hit = next((r for r in self.rules if r.pattern.matches(erased)), self.default_rule)
            if len(self._rule_cache) < 50_000:
                self._rule_cache[erased] = hit
        return hit

    def entity_operator(self, entity: str) -> Operator:
        op = self._entity_ops.get(entity)
        if op is not None:
            return op
        return self._credential_default if entity in CREDENTIALS else self._default_op

    def accepts(self, finding: Finding) -> bool:
        threshold = self.detection.thresholds.get(finding.entity, self.detection.min_score)
        return finding.score >= threshold

    def is_written(self, retention: str) -> bool:
        """A class of duration 0 is never written."""
        duration = self.retention[retention]
        return duration is None or duration > timedelta(0)


def _params_of(rule: BaseModel) -> OperatorParams:
    """The operator parameters inside a field rule: the rule minus path, column, retention..."""
    params_cls = next(
        base
        for base in type(rule).__mro__[1:]
        if isinstance(base, type)
        and issubclass(base, OperatorParams)
        and base is not OperatorParams
    )
    return params_cls.model_validate({k: getattr(rule, k) for k in params_cls.model_fields})
