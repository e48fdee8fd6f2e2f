"""What an output directory holds: its data files by retention class and event date, each
with the retention its own footer records, and whatever else is there."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from datamin.output.layout import DATA, DATE, PARTITION
from datamin.output.nofollow import DIR, FILE, LINK, Root
from datamin.output.report import DataFile
from datamin.policies.model import parse_duration


def scan(root: Path | Root) -> tuple[list[DataFile], list[Path]]:
    """The visible data files with their recorded retention, and visible files that are not
    datamin's (or whose footer cannot be read). Walked without following a link: a link is
    noted in the `Root` (and is neither data nor unknown)."""
    if not isinstance(root, Root):
        with Root(root) as opened:
            return scan(opened)
    files: list[DataFile] = []
    unknown: list[Path] = []
    for class_dir, cls in _visible_dirs(root, DATA, PARTITION, unknown):
        for day_dir, day_text in _visible_dirs(root, class_dir, DATE, unknown):
            try:
                day = date.fromisoformat(day_text)
            except ValueError:  # `date=2026-13-45`: not a partition datamin wrote
                unknown.append(root.abs(day_dir))
                continue
            for name, kind in root.entries(day_dir):
                if name.startswith(".") or kind == LINK:
                    continue
                found = _data_file(root, f"{day_dir}/{name}", cls, day) if kind == FILE else None
                if found is None:
                    unknown.append(root.abs(f"{day_dir}/{name}"))
                else:
                    files.append(found)
    return files, unknown


def _visible_dirs(
    root: Root, parent: str, name: re.Pattern[str], unknown: list[Path]
) -> Iterator[tuple[str, str]]:
    """Directories of `parent` whose name matches (with the captured value); anything else
    visible is noted as unknown, a link as a link. Hidden names are work in progress."""
    for child, kind in root.entries(parent):
        if child.startswith(".") or kind == LINK:
            continue
        m = name.match(child)
        if m is None or kind != DIR:
            unknown.append(root.abs(f"{parent}/{child}"))
        else:
            yield f"{parent}/{child}", m.group(1)


def _data_file(root: Root, rel: str, cls: str, day: date) -> DataFile | None:
    if not rel.endswith(".parquet"):
        return None
    try:
        with root.open_file(rel) as f:
            if f is None:
                return None
            meta = pq.read_metadata(f)
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
    return DataFile(
        root.abs(rel), cls, day, meta.num_rows, duration, kv.get("datamin.policy_sha256", "")
    )
