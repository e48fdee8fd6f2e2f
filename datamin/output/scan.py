"""What an output directory holds: its data files by retention class and event date, each
with the retention its own footer records, and whatever else is there."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from datamin.output.layout import DATE, PARTITION
from datamin.output.report import DataFile
from datamin.policies.model import parse_duration


def scan(root: Path) -> tuple[list[DataFile], list[Path]]:
    """The visible data files with their recorded retention, and visible files that are not
    datamin's (or whose footer cannot be read)."""
    files: list[DataFile] = []
    unknown: list[Path] = []
    data = root / "data"
    if not data.is_dir():
        return files, unknown
    for class_dir, cls in _visible_dirs(data, PARTITION, unknown):
        for day_dir, day_text in _visible_dirs(class_dir, DATE, unknown):
            try:
                day = date.fromisoformat(day_text)
            except ValueError:  # `date=2026-13-45`: not a partition datamin wrote
                unknown.append(day_dir)
                continue
            for path in sorted(day_dir.iterdir()):
                if path.name.startswith("."):
                    continue
                found = _data_file(path, cls, day)
                if found is None:
                    unknown.append(path)
                else:
                    files.append(found)
    return files, unknown


def _visible_dirs(
    parent: Path, name: re.Pattern[str], unknown: list[Path]
) -> Iterator[tuple[Path, str]]:
    """Directories of `parent` whose name matches (with the captured value); anything else
    visible is noted as unknown. Hidden names are work in progress, not data."""
    for child in sorted(parent.iterdir()):
        if child.name.startswith("."):
            continue
        m = name.match(child.name)
        if m is None or not child.is_dir():
            unknown.append(child)
        else:
            yield child, m.group(1)


def _data_file(path: Path, cls: str, day: date) -> DataFile | None:
    if not path.name.endswith(".parquet") or not path.is_file():
        return None
    try:
        meta = pq.read_metadata(path)
    except Exception:  # noqa: BLE001 - an unreadable footer is an unknown file, never deleted
        return None
    kv = {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()}
    duration = kv.get("datamin.retention")
    if kv.get("datamin.retention_class") != cls or duration is None:
        return None
    try:
        parse_duration(duration)
    except ValueError:
        return None
    return DataFile(path, cls, day, meta.num_rows, duration, kv.get("datamin.policy_sha256", ""))


# -- data ------------------------------------------------------------------------------------
