"""The policy model (v1): what a policy file may say, validated strictly.

Every model is frozen and forbids unknown keys, so a typo (`retension:`) is an error, not a
silently ignored line. Field rules are a union discriminated by `action`; the operators' own
parameter models supply the parameters, so `mask` takes exactly what the mask operator takes.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal, Self, Union

from pydantic import (
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from datamin.policies._base import ENTITY as _ENTITY
from datamin.policies._base import Strict as _Strict
from datamin.policies.detection import Detection, check_entities
from datamin.policies.errors_text import did_you_mean
from datamin.policies.paths import _translate
from datamin.redactors.entities import CREDENTIALS, ENTITIES
from datamin.redactors.operators import registry
from datamin.redactors.operators.base import Operator
from datamin.redactors.operators.redact import RedactParams
from datamin.redactors.operators.registry import Derived, OperatorSpec

_NAME = r"^[a-z][a-z0-9_]{0,39}$"
_DURATION = re.compile(r"^(?:(\d+)([hdw])|0|forever)$")
MAX_RAW_RETENTION = timedelta(days=30)
RESERVED_COLUMNS = frozenset({"record_id", "fields", "retention", "date", "source_kind"})
ColumnType = Literal["string", "int64", "float64", "bool", "timestamp"]


def parse_duration(text: str) -> timedelta | None:
    """`7d`, `12h`, `2w`, `0` or `forever` (None). A ValueError also for a length `timedelta`
    cannot hold (`99999999999d`): it is `forever`, and should say so, not fail as an
    OverflowError the policy's checks do not report."""
    m = _DURATION.match(text)
    if m is None:
        raise ValueError("a duration is like 12h, 7d, 2w, 0 or forever")
    if text == "forever":
        return None
    if text == "0":
        return timedelta(0)
    n, unit = int(m.group(1)), m.group(2)
    unit_name = {"h": "hours", "d": "days", "w": "weeks"}[unit]
    try:
        return timedelta(**{unit_name: n})
    except OverflowError:
        raise ValueError(f"a duration is at most {timedelta.max.days}d: say forever") from None


class Retention(_Strict):
    default: str = Field(pattern=_NAME)
    classes: dict[Annotated[str, Field(pattern=_NAME)], str]

    @field_validator("classes", mode="before")
    @classmethod
    def _numbers_as_text(cls, v: Any) -> Any:
        # YAML reads a bare `0` as a number; a duration is text.
        return (
            {k: str(x) if isinstance(x, int) else x for k, x in v.items()}
            if isinstance(v, dict)
            else v
        )

    @field_validator("classes")
    @classmethod
    def _durations(cls, v: dict[str, str]) -> dict[str, str]:
        for duration in v.values():
            parse_duration(duration)
        if not v:
            raise ValueError("declare at least one retention class")
        return v

    @model_validator(mode="after")
    def _default_declared(self) -> Retention:
        if self.default not in self.classes:
            hint = did_you_mean(self.default, self.classes)
            raise ValueError(f"default class '{self.default}' is not declared in classes{hint}")
        return self

    def duration(self, name: str) -> timedelta | None:
        return parse_duration(self.classes[name])


class Limits(_Strict):
    """Records over a limit are quarantined before they are parsed further."""

    max_record_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    max_depth: int = Field(default=48, ge=2, le=512)
    max_fields: int = Field(default=20_000, ge=1)
    max_string_length: int = Field(default=1024 * 1024, ge=64)
    # CPU seconds of detection one record may take (its share of batched NER included); past
    # it, the record is quarantined. Checked between steps, none of which runs long.
    max_record_seconds: float = Field(default=5.0, gt=0, le=3600)


class Quarantine(_Strict):
    """Raw content of quarantined records is kept only where a run enables it explicitly (with
    a key of its own); this is how long it is kept, a short time by design."""

    raw_retention: str = "7d"

    @field_validator("raw_retention")
    @classmethod
    def _short(cls, v: str) -> str:
        duration = parse_duration(v)
        if duration is None or duration <= timedelta(0) or duration > MAX_RAW_RETENTION:
            raise ValueError("raw_retention is a duration from 1h to 30d")
        return v


class Audit(_Strict):
    """What audit records and quarantine entries say of a record's source. A file's path can
    itself be personal data (a mailbox export named after its owner, a key in a file name):
    by default it appears as its shape (`/a/a-9.jsonl`) and a keyed hash that tells sources
    apart; `plain` writes paths as they are, for outputs whose readers may see them."""

    source_paths: Literal["hashed", "plain"] = "hashed"


class _RuleBase(_Strict):
    path: str = Field(min_length=1)
    retention: str | None = Field(default=None, pattern=_NAME)
    column: str | None = Field(default=None, pattern=_NAME)
    type: ColumnType = "string"
    # For field-level operators: the entity the value is (its placeholder, its normalization).
    entity: str | None = Field(default=None, pattern=_ENTITY)

    @field_validator("path")
    @classmethod
    def _pattern(cls, v: str) -> str:
        _translate(v)
        return v

    @field_validator("column")
    @classmethod
    def _not_reserved(cls, v: str | None) -> str | None:
        if v in RESERVED_COLUMNS:
            raise ValueError(f"column name '{v}' is reserved")
        return v


class KeepRule(_RuleBase):
    """Keep the value; detected credentials and identifiers in it are still replaced."""

    action: Literal["keep"]


class ScanRule(_RuleBase):
    """Keep the field; replace whatever detection finds, per the policy's entity actions."""

    action: Literal["scan"]


class _OperatorRule(_RuleBase):
    """A field rule whose action is an operator; the operator says which rules it serves."""

    @model_validator(mode="after")
    def _operator_accepts(self) -> Self:
        operator = registry.OPERATORS[self.action]  # type: ignore[attr-defined]
        operator.check_rule(self.type, self.entity)
        return self


_RULES: dict[type[Operator], type[_RuleBase]] = {}


def _rule_class(op: type[Operator]) -> type[_RuleBase]:
    """`DropRule`, `MaskRule`...: where a field rule is, plus the operator's own parameters."""
    cls = _RULES.get(op)
    if cls is None:
        cls = _RULES[op] = create_model(
            f"{op.__name__}Rule",
            __base__=(_OperatorRule, op.params_model),
            __module__=__name__,
            __doc__=op.rule_doc,
            action=(Literal[op.name], ...),  # required in a rule; the params model defaults it
        )
        # A module attribute, as a class statement would make it: policies pickle (Beam).
        globals()[cls.__name__] = cls
    return cls


def operator_rules() -> tuple[type[_RuleBase], ...]:
    """The field-rule class of every registered operator, in registration order."""
    return tuple(_rule_class(op) for op in registry.OPERATORS.values())


def _field_rule_union() -> Any:
    return Annotated[Union[(KeepRule, ScanRule, *operator_rules())], Field(discriminator="action")]


# Rules by `action`, the union derived from the operator registry when a model is built.
FieldRule = Annotated[_RuleBase, Derived(_field_rule_union)]
operator_rules()  # DropRule, RedactRule, ... TokenizeRule: module attributes from import on


def _shorthand(value: Any) -> Any:
    return {"action": value} if isinstance(value, str) else value


class SourceSection(_Strict):
    """Rules for one kind of record, tried before the policy's own `fields`."""

    default_action: Literal["drop", "scan"] | None = None
    event_time: tuple[str, ...] | None = None
    fields: tuple[FieldRule, ...] = ()


class Sources(_Strict):
    """Per-kind sections. A record's kind: `har` for a HAR entry (from a `.har` file or a JSON
    record with `request.method` and `request.url`), `api` for an API gateway's access log
    record (Kong, AWS API Gateway, Envoy/Istio, nginx JSON, Cloudflare; walked into the same
    paths as a HAR entry), `messages` for an object with a text body (`body`, `text`, `message`
    or `content`) and a party (`from`, `to`, `sender`, `recipient`, `author`, `user`,
    `channel`), `json` for any other record."""

    har: SourceSection | None = None
    api: SourceSection | None = None
    messages: SourceSection | None = None
    json_: SourceSection | None = Field(default=None, alias="json")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def section(self, kind: str) -> SourceSection | None:
        return self.json_ if kind == "json" else getattr(self, kind)


SOURCE_KINDS = ("har", "api", "messages", "json")

# A dotted path into a user's record (`req.verb`, `http.headers`): object keys, or a list's
# index in digits, joined by dots.
DottedPath = Annotated[str, Field(pattern=r"^[^.\s]+(?:\.[^.\s]+)*$", max_length=256)]


class SourceMap(_Strict):
    """Where a JSON access log of the user's own shape keeps each part of the canonical API
    exchange (`datamin.formats.exchange`): a dotted path in its records per part. Records with
    a string at `method` are walked as `api` records; their other keys stay under `prefix`."""

    method: DottedPath
    # The URL whole, or its parts (`path` may carry the query string: `/v1/users?id=3`).
    url: DottedPath | None = None
    scheme: DottedPath | None = None
    host: DottedPath | None = None
    path: DottedPath | None = None
    query: DottedPath | None = None  # a query string or an object of parameters
    status: DottedPath | None = None
    latency_ms: DottedPath | None = None  # the canonical `time`, in milliseconds
    latency_seconds: DottedPath | None = None  # or in seconds
    started_at: DottedPath | None = (
        None  # ISO 8601, epoch (s to ns) or `10/Oct/2000:13:55:36 -0700`
    )
    client_ip: DottedPath | None = None
    consumer_id: DottedPath | None = None
    consumer_name: DottedPath | None = None
    request_headers: DottedPath | None = None  # an object, or a [{name, value}] list
    response_headers: DottedPath | None = None
    request_body: DottedPath | None = None  # a string (by its content type) or parsed JSON
    response_body: DottedPath | None = None
    request_size: DottedPath | None = None
    response_size: DottedPath | None = None

    @model_validator(mode="after")
    def _one_url(self) -> Self:
        if self.url is not None and (self.path is not None or self.host is not None):
            raise ValueError("map the url, or its parts (scheme, host, path), not both")
        if self.latency_ms is not None and self.latency_seconds is not None:
            raise ValueError("map latency_ms or latency_seconds, not both")
        return self


class Source(_Strict):
    """An input of the policy's own JSON shape (`format: json`), mapped onto the canonical API
    exchange so that the `api` rules apply to it as to any gateway's log."""

    format: Literal["json"] = "json"
    map: SourceMap
    prefix: str = Field(default="raw", pattern=_NAME)  # where unmapped keys go: `raw.trace_id`


class Policy(_Strict):
    version: Literal[1]
    # A base policy this one overrides, resolved by the loader: a path relative to this file,
    # or `bundled:<name>`. Mappings merge key by key; this file's field rules come first.
    extends: str | None = None
    name: str = Field(pattern=_NAME)
    description: str = ""
    # What happens to a field no rule names: dropped (minimize by default), or kept and scanned.
    default_action: Literal["drop", "scan"] = "drop"
    # Paths tried in order for a record's event time (its date partition).
    event_time: tuple[str, ...] = ("started_at", "date_created", "timestamp", "time")
    retention: Retention
    limits: Limits = Limits()
    quarantine: Quarantine = Quarantine()
    audit: Audit = Audit()
    detection: Detection = Detection()
    # What to do with a finding of each entity type inside a kept or scanned field.
    entities: dict[str, OperatorSpec] = {"default": RedactParams()}
    sources: Sources = Sources()
    # A JSON access log of the user's own shape, read as `api` records (`source.map`).
    source: Source | None = None
    fields: tuple[FieldRule, ...] = ()

    @field_validator("entities", mode="before")
    @classmethod
    def _expand(cls, v: Any) -> Any:
        if isinstance(v, dict):
            v = {k: _shorthand(x) for k, x in v.items()}
            for entity, spec in v.items():
                op = registry.OPERATORS.get(spec.get("action")) if isinstance(spec, dict) else None
                if op is not None and not op.on_spans:
                    raise ValueError(
                        f"{entity}: {op.name} is a field rule's action only (`fields:`), "
                        "not one for detected spans"
                    )
        return v

    @field_validator("entities")
    @classmethod
    def _entity_actions(cls, v: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        detection = info.data.get("detection")
        custom = detection.custom_entities if isinstance(detection, Detection) else frozenset()
        check_entities(v, custom, frozenset({"default"}))
        safe = registry.credential_safe()
        for entity, spec in v.items():
            if entity in CREDENTIALS and spec.action not in safe:
                raise ValueError(f"{entity} is a credential: only {_listed(safe)} apply")
            registry.OPERATORS[spec.action].check_span(spec, entity)
        return v

    def rules(self) -> list[tuple[str, int, FieldRule]]:
        """Every field rule with where it is declared: (`sources.har.fields` or `fields`, i)."""
        out: list[tuple[str, int, FieldRule]] = []
        for kind in SOURCE_KINDS:
            section = self.sources.section(kind)
            if section is not None:
                out += [(f"sources.{kind}.fields", i, r) for i, r in enumerate(section.fields)]
        out += [("fields", i, r) for i, r in enumerate(self.fields)]
        return out

    @field_validator("sources")
    @classmethod
    def _sources_refer(cls, v: Sources, info: ValidationInfo) -> Sources:
        columns: dict[str, tuple[str, str]] = {}  # one Parquet schema across all sections
        for kind in SOURCE_KINDS:
            section = v.section(kind)
            if section is not None:
                _check_rules(f"{kind}.fields", section.fields, info.data, columns)
        return v

    @field_validator("fields")
    @classmethod
    def _fields_refer(cls, v: tuple[FieldRule, ...], info: ValidationInfo) -> tuple[FieldRule, ...]:
        # Columns the sections declare come first: a rule here must agree with them.
        columns: dict[str, tuple[str, str]] = {}
        sources = info.data.get("sources")
        if isinstance(sources, Sources):
            for kind in SOURCE_KINDS:
                section = sources.section(kind)
                if section is not None:
                    _check_rules("", section.fields, info.data, columns)
        _check_rules("", v, info.data, columns)
        return v


def _check_rules(
    where: str, rules: tuple[Any, ...], data: dict[str, Any], columns: dict[str, tuple[str, str]]
) -> None:
    """Each rule's references: its retention class declared, its entity known, its column of
    one type and class. Checked as each list validates, so `policy check` reports them even
    when another part of the policy has errors. (`where` prefixes the rule's position.)"""
    retention = data.get("retention")
    detection = data.get("detection")
    custom = detection.custom_entities if isinstance(detection, Detection) else frozenset()
    for i, rule in enumerate(rules):
        at = f"{where}[{i}]"
        if isinstance(retention, Retention):
            if rule.retention is not None and rule.retention not in retention.classes:
                hint = did_you_mean(rule.retention, retention.classes)
                raise ValueError(f"{at}.retention: class '{rule.retention}' is not declared{hint}")
        if rule.entity is not None and rule.entity not in ENTITIES and rule.entity not in custom:
            hint = did_you_mean(rule.entity, {*ENTITIES, *custom})
            raise ValueError(f"{at}.entity: unknown entity type '{rule.entity}'{hint}")
        if not isinstance(retention, Retention):
            continue
        if rule.column is not None:
            _check_column(at, rule.column, rule.type, rule.retention, retention, columns)
        # A route template's parameters are columns of their own (`templates[0].params.x`).
        for t, template in enumerate(getattr(rule, "templates", ())):
            for name, param in template.params.items():
                where = f"{at}.templates[{t}].params.{name}"
                if param.retention is not None and param.retention not in retention.classes:
                    hint = did_you_mean(param.retention, retention.classes)
                    raise ValueError(
                        f"{where}.retention: class '{param.retention}' is not declared{hint}"
                    )
                if param.entity is not None and param.entity not in {*ENTITIES, *custom}:
                    hint = did_you_mean(param.entity, {*ENTITIES, *custom})
                    raise ValueError(f"{where}.entity: unknown entity type '{param.entity}'{hint}")
                if param.column is not None:
                    cls = param.retention or rule.retention
                    _check_column(where, param.column, "string", cls, retention, columns)


def _check_column(
    at: str,
    column: str,
    type: str,
    retention: str | None,
    classes: Retention,
    columns: dict[str, tuple[str, str]],
) -> None:
    """One column, one type and one retention class, whichever rules write it."""
    if column in RESERVED_COLUMNS:
        raise ValueError(f"{at}.column: column name '{column}' is reserved")
    seen = columns.setdefault(column, (type, retention or classes.default))
    if seen != (type, retention or classes.default):
        raise ValueError(
            f"{at}.column: '{column}' is declared with another type or retention "
            "class by an earlier rule"
        )


def _listed(names: frozenset[str]) -> str:
    """`redact, mask or drop` (reverse alphabetical: the wording policies were written with)."""
    ordered = sorted(names, reverse=True)
    return ", ".join(ordered[:-1]) + " or " + ordered[-1] if len(ordered) > 1 else ordered[0]


def _rebuild() -> None:
    # An operator was (un)registered: the models holding rule or span unions read them anew.
    for model in (SourceSection, Sources, Policy):
        model.model_rebuild(force=True)


registry.on_change(_rebuild)
