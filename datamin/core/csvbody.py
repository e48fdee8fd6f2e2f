"""CSV bodies (exports and imports through APIs, `text/csv`) as structure: the header row names
each column, and each cell is read under its column's name at `body[i][j]`, as a result set's
cells are (`datamin.core.pairs.column_labels`). A body whose first row is not a row of names, or
whose rows are ragged, stays text.
"""

from __future__ import annotations

import csv
import io

from datamin.core.pairs import label_of
from datamin.errors import LimitExceeded


def csv_table(text: str, max_fields: int) -> tuple[list[str], list[list[str]]] | None:
    """(each column's label, the rows below the header); None when `text` is no such table.
    Past `max_fields` cells, `LimitExceeded`, as a JSON body's fields."""
    if "\x00" in text:
        return None
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text)):
            if not row:
                continue
            rows.append(row)
            cells += len(row)
            if cells > max_fields:
                raise LimitExceeded("more fields than the limit")
    except csv.Error:
        return None
    if len(rows) < 2:
        return None
    labels = [label_of(name) for name in rows[0]]
    names = [label for label in labels if label is not None]
    if len(names) != len(labels) or len(set(names)) != len(names):
        return None  # a header is names, each once
    if any(len(row) != len(names) for row in rows[1:]):
        return None
    return names, rows[1:]
