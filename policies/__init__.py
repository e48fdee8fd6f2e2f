"""Policies: the YAML model, its compilation, and the bundled policies with their cases."""

from pathlib import Path

BUNDLED_DIR = Path(__file__).parent


def bundled(name: str) -> Path:
    """Path of a bundled policy by short name (`api_logs`) or file name."""
    stem = name.removesuffix(".yaml")
    return BUNDLED_DIR / f"{stem}.yaml"


def bundled_policies() -> list[Path]:
    """Every bundled policy file (not their cases files)."""
    return sorted(p for p in BUNDLED_DIR.glob("*.yaml") if not p.name.endswith(".cases.yaml"))
