"""datamin's parts for Presidio pipelines, without adopting datamin.

- `DataminRecognizer`: datamin's detector families (credentials, validated patterns, national
  ids...) as one Presidio `EntityRecognizer`, to add to an `AnalyzerEngine`'s registry.
- `DataminPseudonymize`: datamin's keyed pseudonymizer as a presidio-anonymizer operator
  (`AnonymizerEngine.add_anonymizer`), giving the pseudonym `datamin run` gives under the same
  key: `OperatorConfig("datamin_pseudonymize", {"key": b"..."})`.
- `DataminTokenize`: datamin's reversible tokenizer, giving the token `datamin run` writes for
  the same value, retention class and event date under the same token key store (read back with
  `datamin reidentify`): `OperatorConfig("datamin_tokenize", {"token_keys": "keys/",
  "retention": "short", "event_date": "2026-12-04"})`.

    from presidio_analyzer import AnalyzerEngine
    analyzer = AnalyzerEngine(nlp_engine=..., supported_languages=["en"])
    analyzer.registry.add_recognizer(DataminRecognizer(families=("credentials",)))

The other direction, Presidio's ad-hoc recognizers in a datamin policy, is the policy's
`detection.recognizers` (`datamin.policies.model.PresidioRecognizer`).
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_anonymizer.operators import Operator, OperatorType

from datamin.keys import KeyRing
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.operators.base import OperatorContext
from datamin.redactors.operators.pseudonymize import Pseudonymize, PseudonymizeParams
from datamin.redactors.operators.tokenize import Tokenize, TokenizeParams
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


_TOKENIZERS: dict[tuple[str, str | None], Tokenize] = {}
_LOCK = threading.Lock()


class DataminTokenize(Operator):
    """datamin's reversible token (AES-SIV under the key of a retention class and event date,
    bound to the entity) as a presidio-anonymizer operator. Params: `token_keys` (the token key
    directory, created beforehand as for `datamin run --token-keys`), `retention` (the class
    the token is written into), `event_date` (YYYY-MM-DD), optionally `prefix`, and `entity`
    when the datamin rule to match names another entity than Presidio's (None: the rule names
    none). A store that cannot be written fails here, before any text is changed."""

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        params = params or {}
        self.validate(params)
        entity = params["entity"] if "entity" in params else params.get("entity_type")
        ctx = OperatorContext(entity, params["retention"], params["event_date"])
        return _tokenizer(str(params["token_keys"]), params.get("prefix")).apply(text, ctx) or ""

    def validate(self, params: dict[str, Any] | None = None) -> None:
        from datamin.errors import KeyConfigError
        from datamin.output.tokenkeys import check_day, check_retention

        params = params or {}
        if not isinstance(params.get("token_keys"), str | Path):
            raise ValueError("datamin_tokenize needs `token_keys`: the token key directory")
        for name in ("retention", "event_date"):
            if not isinstance(params.get(name), str):
                raise ValueError(f"datamin_tokenize needs `{name}`")
        try:
            check_retention(params["retention"])
            check_day(params["event_date"])
        except KeyConfigError as exc:  # value-free: it names what is wrong, not the value
            raise ValueError(f"datamin_tokenize: {exc}") from None

    def operator_name(self) -> str:
        return "datamin_tokenize"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize


def _tokenizer(store: str, prefix: str | None) -> Tokenize:
    """One tokenizer per store and prefix, kept: it caches its period keys' ciphers."""
    from datamin.output.tokenkeys import TokenKeyStore

    at = (store, prefix)
    with _LOCK:
        found = _TOKENIZERS.get(at)
        if found is None:
            params = TokenizeParams(prefix=prefix) if prefix is not None else TokenizeParams()
            # A token reads only the ring's token store; the master key is never used here.
            ring = KeyRing(secrets.token_bytes(32), token_store=TokenKeyStore(Path(store)))
            found = _TOKENIZERS[at] = Tokenize(params, ring)
    return found
