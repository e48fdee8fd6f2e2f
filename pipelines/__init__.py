"""Beam pipelines (batch and streaming share the same composite transforms) and the CLI.

`Minimize` (`datamin.pipelines.transforms.Minimize`) is the transform `datamin run` applies:
raw records in, kept rows (main output), quarantine entries and stats out. `MinimizeStream`
(`datamin.pipelines.streaming`) is the same minimization over an unbounded source, each fixed
window committed into a datamin output; it yields one `WindowCounts` per window.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Minimize", "MinimizeStream", "WindowCounts"]


def __getattr__(name: str) -> Any:
    # Beam loads when the transform is asked for, not with every module of this package.
    if name == "Minimize":
        from datamin.pipelines.transforms import Minimize

        return Minimize
    if name in ("MinimizeStream", "WindowCounts"):
        from datamin.pipelines import streaming

        return getattr(streaming, name)
    raise AttributeError(f"module 'datamin.pipelines' has no attribute {name!r}")
