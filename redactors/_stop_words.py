"""spaCy's English stop words (`My Device`, `The One Ring`: the small words of phrases), read
from its plain data module without importing spaCy itself (half a second), which the structured
families never need. Shared by the name cues, the street grammar and record-level terms."""

from __future__ import annotations

import importlib.util


def _english_stop_words() -> frozenset[str]:
    package = importlib.util.find_spec("spacy")
    if package is None or not package.submodule_search_locations:
        raise ImportError("spaCy is not installed")
    path = f"{package.submodule_search_locations[0]}/lang/en/stop_words.py"
    spec = importlib.util.spec_from_file_location("_datamin_en_stop_words", path)
    if spec is None or spec.loader is None:
        raise ImportError("spaCy's English stop words are missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


STOP_WORDS = _english_stop_words()
