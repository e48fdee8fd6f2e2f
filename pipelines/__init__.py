"""Beam pipelines (batch and streaming share the same composite transforms) and the CLI.

`Minimize` (`datamin.pipelines.transforms.Minimize`) is the transform `datamin run` applies:
raw records in, kept rows (main output), quarantine entries and stats out.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Minimize"]


def __getattr__(name: str) -> Any:
    # Beam loads when the transform is asked for, not with every module of this package.
    if name == "Minimize":
        from datamin.pipelines.transforms import Minimize

        return Minimize
    raise AttributeError(f"module 'datamin.pipelines' has no attribute {name!r}")
