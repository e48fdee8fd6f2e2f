"""datamin's parts for Presidio pipelines, without adopting datamin.

- `DataminRecognizer`: datamin's detector families (credentials, validated patterns, national
  ids...) as one Presidio `EntityRecognizer`, to add to an `AnalyzerEngine`'s registry.
- `DataminPseudonymize`: datamin's keyed pseudonymizer as a presidio-anonymizer operator
  (`AnonymizerEngine.add_anonymizer`), giving the pseudonym `datamin run` gives under the same
  key: `OperatorConfig("datamin_pseudonymize", {"key": b"..."})`.

    from presidio_analyzer import AnalyzerEngine
    analyzer = AnalyzerEngine(nlp_engine=..., supported_languages=["en"])
    analyzer.registry.add_recognizer(DataminRecognizer(families=("credentials",)))

The other direction, Presidio's ad-hoc recognizers in a datamin policy, is the policy's
`detection.recognizers` (`datamin.policies.model.PresidioRecognizer`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_anonymizer.operators import Operator, OperatorType

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.operators.base import OperatorContext
from datamin.redactors.operators.pseudonymize import Pseudonymize, PseudonymizeParams
from datamin.redactors.registry import DetectorSettings, build_detectors


class DataminRecognizer(EntityRecognizer):
    """datamin's structured detector families as one Presidio recognizer; `families` names
    them (`credentials`, `patterns`, `national_ids`, `names`, `addresses`; None: all of them).
    Each text is read as free text, the way datamin reads a message's body; findings keep
    datamin's scores and entity names."""

    def __init__(
        self,
        families: tuple[str, ...] | None = None,
        supported_language: str = "en",
        settings: DetectorSettings | None = None,
    ) -> None:
        detectors = [
            d
            for d in build_detectors(settings or DetectorSettings())
            if families is None or d.name in families
        ]
        if not detectors:
            raise ValueError(f"no datamin detector family among {families}")
        self._detectors = detectors
        entities = sorted({e for d in detectors for e in d.entities})
        super().__init__(
            supported_entities=entities,
            name="DataminRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:  # built in __init__
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        ctx = FieldContext.of("text", FieldKind.TEXT)
        wanted = set(entities or self.supported_entities)
        return [
            RecognizerResult(f.entity, f.start, f.end, f.score)
            for d in self._detectors
            for f in d.detect(text, ctx)
            if f.entity in wanted
        ]


class DataminPseudonymize(Operator):
    """datamin's keyed pseudonym (HMAC-SHA256 under the key's pseudonym subkey, values
    normalized per entity) as a presidio-anonymizer operator. Params: `key` (the secret as
    bytes, or a key file's path), optionally `prefix` and `length` as a policy's pseudonymize
    rule takes them."""

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        from datamin.api import key_ring

        params = params or {}
        options = {k: params[k] for k in ("prefix", "length") if k in params}
        operator = Pseudonymize(PseudonymizeParams(**options), key_ring(params["key"]))
        return operator.apply(text, OperatorContext(params.get("entity_type"))) or ""

    def validate(self, params: dict[str, Any] | None = None) -> None:
        key = (params or {}).get("key")
        if not isinstance(key, bytes | str | Path):
            raise ValueError("datamin_pseudonymize needs a `key`: bytes or a key file's path")

    def operator_name(self) -> str:
        return "datamin_pseudonymize"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
