"""Field values as they are stored: as text in the `fields` map, or as a column's type."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from datamin.core import strictjson
from datamin.timeparse import parse_timestamp


def as_text(value: Any) -> str:
    """A value as the `fields` map stores it: a string as it is, a number as JSON writes it
    (an integer of any length exactly), an object or array as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return strictjson.dumps(value).decode()


def convert(value: Any, typ: str) -> Any:
    """A value as its column's type, or None when it is not one (the field is then dropped)."""
    try:
        if typ == "string":
            return as_text(value)
        if typ == "int64":
            if isinstance(value, bool):
                return None
            number = float(value) if isinstance(value, str) else value
            if not float(number).is_integer():
                return None
            whole = int(number)
            return whole if -(2**63) <= whole < 2**63 else None  # else no int64: dropped
        if typ == "float64":
            return None if isinstance(value, bool) else float(value)
        if typ == "bool":
            return (
                value
                if isinstance(value, bool)
                else {"true": True, "false": False}.get(str(value).lower())
            )
        if typ == "timestamp":
            return parse_timestamp(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return None
