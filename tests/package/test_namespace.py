"""One namespace: the folders at the top of the repository are installed as `datamin.*`, and no
module is loaded under a second, top-level name (`pipelines`, `redactors`, `policies` are names
other distributions use; a module loaded twice has two copies of its state)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Imports every module of every datamin package, from the repository's root (where the old
# top-level names would resolve too), then reports any module outside `datamin` that came from
# the repository, and any file loaded under two names.
_PROBE = """
import importlib, pkgutil, sys
import datamin, datamin.pipelines, datamin.policies, datamin.redactors
for package in (datamin, datamin.pipelines, datamin.policies, datamin.redactors):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
ours = tuple(sys.argv[1] + "/" + d + "/" for d in ("datamin", "pipelines", "policies", "redactors"))
files = {}
for name, module in list(sys.modules.items()):
    path = getattr(module, "__file__", None) or ""
    if path.startswith(ours):
        files.setdefault(path, []).append(name)
outside = sorted(n for ns in files.values() for n in ns if n.split(".")[0] != "datamin")
twice = sorted(ns for ns in files.values() if len(ns) > 1)
print(len(files), outside, twice)
"""


def test_every_module_is_loaded_once_and_under_datamin() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(REPO)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    count, outside, twice = result.stdout.strip().split(" ", 2)
    assert int(count) > 60  # every module of the four packages was imported
    assert (outside, twice) == ("[]", "[]")


def test_the_wheel_holds_only_datamin() -> None:
    """What setuptools packs: the four folders under `datamin/`, never `benchmarks` or tests."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert all(p == "datamin" or p.startswith("datamin.") for p in config["packages"])
    assert set(config["package-dir"]) == {
        "datamin",
        "datamin.pipelines",
        "datamin.policies",
        "datamin.redactors",
    }
    shipped = {REPO / folder for folder in config["package-dir"].values()}
    packages = {p.parent for p in REPO.glob("*/__init__.py")}
    assert packages - shipped <= {REPO / "benchmarks", REPO / "tests"}
