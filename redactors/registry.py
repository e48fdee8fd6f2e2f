"""Detector families behind one contract, and the one list of them.

A family is one module with one class that follows `Detector`: a `name`, the `entities` it can
report, and `detect(text, ctx)`, a pure function of a value and where it sits. Adding a family
is writing that module and adding one line to `FAMILIES`. NER is not a family here: it runs in
batches over free text only (`datamin.redactors.ner`), called by the engine separately.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Protocol, runtime_checkable

from datamin.redactors.context import FieldContext
from datamin.redactors.findings import Finding

# Regions whose national phone formats and identifiers are read in free text when a policy names
# none: the larger economies of every continent, so a log from anywhere is read in its own
# formats. A policy narrows or widens this with `detection.countries`.
DEFAULT_REGIONS: tuple[str, ...] = tuple(
    (
        "US CA MX BR AR CL CO PE GB IE FR DE NL BE LU CH AT IT ES PT SE NO DK FI PL CZ GR TR RU "
        "UA IN PK BD CN HK TW JP KR SG MY TH ID PH VN AU NZ ZA NG KE EG MA AE SA IL"
    ).split()
)


@dataclass(frozen=True, slots=True)
class DetectorSettings:
    """What a policy chooses of detection before any record is read: the regions whose
    national formats count (ISO 3166 alpha-2) and the entities it turned off."""

    regions: tuple[str, ...] = DEFAULT_REGIONS
    disabled: frozenset[str] = field(default_factory=frozenset)

    def wants(self, entities: Iterable[str]) -> bool:
        return any(e not in self.disabled for e in entities)


@runtime_checkable
class Detector(Protocol):
    name: str
    entities: frozenset[str]
    # Optionally, `skips`: the field kinds the family never reads (the engine does not call it
    # there), `scores`: entity -> the scores it gives (see `score_ceilings`), and
    # `takes_applies`: its `detect` takes `applies=` (`findings.Applies`, or None), what the
    # policy replaces, for a whole value.

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        """Findings in `text`; never raises on, logs or keeps the value."""
        ...


# What NER scores its entities: Presidio's spaCy engine gives every entity its default score, and
# no context word of ours raises it (the spaCy recognizer declares none).
NER_SCORES: dict[str, tuple[float, ...]] = {"PERSON": (0.85,), "LOCATION": (0.85,)}

# `module:Class`, in the order they run. Each class takes the settings as its one argument.
FAMILIES: tuple[str, ...] = (
    "datamin.redactors.patterns:PatternDetector",
    "datamin.redactors.credentials:CredentialDetector",
    "datamin.redactors.by_field:FieldNameDetector",
    "datamin.redactors.addresses:AddressDetector",
    "datamin.redactors.names:NameCueDetector",
    "datamin.redactors.national_ids:NationalIdDetector",
    "datamin.redactors.birth_dates:BirthDateDetector",
    "datamin.redactors.coordinates:CoordinateDetector",
    "datamin.redactors.link_tokens:LinkTokenDetector",
)


def family_classes() -> list[type]:
    """The class of every family in `FAMILIES`, in order."""
    classes = []
    for spec in FAMILIES:
        module, _, cls = spec.partition(":")
        classes.append(getattr(import_module(module), cls))
    return classes


def build_detectors(settings: DetectorSettings) -> tuple[Detector, ...]:
    """One instance of every family that can report an entity the settings leave on."""
    return tuple(cls(settings) for cls in family_classes() if settings.wants(cls.entities))


def score_ceilings(*, ner: bool = True) -> dict[str, float]:
    """The highest score any family (and NER, where it runs) gives each entity: a threshold
    above it makes the entity undetectable. A family states its scores in `scores` (entity ->
    the scores it gives); one that states none is taken to reach 1.0."""
    ceilings: dict[str, float] = {e: max(s) for e, s in NER_SCORES.items()} if ner else {}
    for cls in family_classes():
        stated = getattr(cls, "scores", None) or {e: (1.0,) for e in cls.entities}
        for entity, scores in stated.items():
            ceilings[entity] = max(ceilings.get(entity, 0.0), *scores)
    return ceilings
