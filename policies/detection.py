"""A policy's `detection:` section: thresholds, allow and deny lists, its own patterns and
Presidio ad-hoc recognizers, NER, countries and disabled entities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from datamin.policies._base import ENTITY as _ENTITY
from datamin.policies._base import Strict as _Strict
from datamin.redactors.entities import ENTITIES

if TYPE_CHECKING:
    from datamin.redactors.registry import DetectorSettings


def _regex(text: str) -> str:
    """A regex as RE2 compiles it (linear time: a policy's pattern cannot hang a worker)."""
    import re2

    from datamin.policies._re2 import compile_pattern

    try:
        compile_pattern(text)
    except re2.error:
        raise ValueError("invalid regex (RE2 syntax: no backreferences or lookaround)") from None
    return text


Regex = Annotated[str, Field(min_length=1), AfterValidator(_regex)]


class CustomPattern(_Strict):
    """A detector of the policy's own: every match of `regex` is a finding of `entity`.
    `entity` is a catalogue entity or a new name (an internal customer number format). With
    `context` words, a match with one of them nearby (or in the field's name) scores as
    Presidio's context enhancer scores it: 0.35 more, and at least 0.4."""

    entity: str = Field(pattern=_ENTITY)
    regex: Regex
    score: float = Field(default=0.9, ge=0.0, le=1.0)
    context: tuple[Annotated[str, Field(min_length=2)], ...] = ()


class PresidioPattern(_Strict):
    name: str = ""
    regex: Regex
    score: float = Field(ge=0.0, le=1.0)


class PresidioRecognizer(_Strict):
    """A Presidio ad-hoc recognizer as its YAML writes it (`recognizers:` in a recognizer
    registry file): patterns with scores, a deny list, context words. Its patterns must be RE2,
    and are read as Presidio reads them, case-insensitively; its deny list matches whole words
    in any case. It becomes patterns of the policy's own (`Detection.patterns`)."""

    name: str = ""
    supported_entity: str = Field(pattern=_ENTITY)
    supported_language: str = "en"
    patterns: tuple[PresidioPattern, ...] = ()
    deny_list: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    deny_list_score: float = Field(default=1.0, ge=0.0, le=1.0)
    context: tuple[Annotated[str, Field(min_length=2)], ...] = ()

    @model_validator(mode="after")
    def _finds_something(self) -> PresidioRecognizer:
        if not self.patterns and not self.deny_list:
            raise ValueError("a recognizer needs patterns or a deny_list")
        return self

    def as_patterns(self) -> tuple[CustomPattern, ...]:
        import re2

        found = [
            CustomPattern(
                entity=self.supported_entity,
                regex=f"(?ism){p.regex}",
                score=p.score,
                context=self.context,
            )
            for p in self.patterns
        ]
        if self.deny_list:
            words = "|".join(re2.escape(w) for w in self.deny_list)
            found.append(
                CustomPattern(
                    entity=self.supported_entity,
                    regex=rf"(?i)(?:^|[^\w])(?P<v>{words})(?:[^\w]|$)",
                    score=self.deny_list_score,
                    context=self.context,
                )
            )
        return tuple(found)


class Detection(_Strict):
    # Presidio ad-hoc recognizers, in Presidio's own YAML format: they join `patterns` below.
    recognizers: tuple[PresidioRecognizer, ...] = ()
    # Declared first: the checks below accept the entity names these patterns introduce.
    patterns: tuple[CustomPattern, ...] = Field(default=(), validate_default=True)
    min_score: float = Field(default=0.5, ge=0.0, le=1.0)
    thresholds: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = {}
    # Exact values that are never findings (a company's public support address, test cards).
    allow: tuple[str, ...] = ()
    # Regexes (RE2) a finding's whole text may match to be no finding (`.*@example\.com`).
    allow_patterns: tuple[Regex, ...] = ()
    # Exact values that are always findings of the given entity, wherever they occur (names the
    # model does not know, internal codenames for customers).
    deny: dict[str, tuple[Annotated[str, Field(min_length=2)], ...]] = {}
    # Run NER (names, places) on free-text fields. Patterns and credential rules always run.
    ner: bool = True
    # The spaCy model NER uses (an installed package name or a path); the CLI's --ner-model
    # overrides it. None: the pinned small English model.
    ner_model: str | None = Field(default=None, min_length=1)
    # Regions (ISO 3166 alpha-2) whose national phone formats and identifiers are read; None:
    # a broad default set (`datamin.redactors.registry.DEFAULT_REGIONS`).
    countries: tuple[Annotated[str, Field(pattern=r"^[A-Z]{2}$")], ...] | None = None
    # Catalogue entities never detected under this policy (a deliberate, reviewed choice: the
    # default detects everything).
    disable: tuple[str, ...] = ()

    @field_validator("patterns")
    @classmethod
    def _with_recognizers(
        cls, v: tuple[CustomPattern, ...], info: ValidationInfo
    ) -> tuple[CustomPattern, ...]:
        recognizers = info.data.get("recognizers", ())
        return v + tuple(p for r in recognizers for p in r.as_patterns())

    @field_validator("thresholds", "deny")
    @classmethod
    def _known(cls, v: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        check_entities(v, declared_entities(info.data.get("patterns", ())))
        return v

    @field_validator("disable")
    @classmethod
    def _known_disabled(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        check_entities(v, frozenset())
        return v

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        import phonenumbers

        unknown = sorted(c for c in v or () if phonenumbers.country_code_for_region(c) == 0)
        if unknown:
            raise ValueError(f"unknown country code(s): {', '.join(unknown)}")
        return v

    @property
    def custom_entities(self) -> frozenset[str]:
        return declared_entities(self.patterns)

    @property
    def settings(self) -> DetectorSettings:
        from datamin.redactors.registry import DEFAULT_REGIONS, DetectorSettings

        return DetectorSettings(
            regions=self.countries or DEFAULT_REGIONS, disabled=frozenset(self.disable)
        )

    def ner_model_for(self, override: str | None = None) -> str | None:
        """The spaCy model this policy's NER runs (`override`, the CLI's choice, first), or
        None when the policy turns NER off."""
        from datamin.redactors.ner_model import DEFAULT_MODEL

        return (override or self.ner_model or DEFAULT_MODEL) if self.ner else None


def declared_entities(patterns: Any) -> frozenset[str]:
    return frozenset(p.entity for p in patterns if isinstance(p, CustomPattern))


def check_entities(names: Any, custom: frozenset[str], extra: frozenset[str] = frozenset()) -> None:
    unknown = sorted(set(names) - set(ENTITIES) - custom - extra)
    if unknown:
        raise ValueError(
            f"unknown entity type(s): {', '.join(unknown)} (declare new ones in detection.patterns)"
        )
