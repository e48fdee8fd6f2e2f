"""Timestamps as logs write them: ISO 8601 (HAR), RFC 2822 (Twilio), epoch seconds or millis."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Epoch values outside this window are more likely ids than times.
_EPOCH_MIN, _EPOCH_MAX = 315532800, 4102444800  # 1980-01-01 .. 2100-01-01


def parse_timestamp(value: object) -> datetime | None:
    """An aware UTC datetime, or None when `value` is not a timestamp we can read."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str) or not 4 <= len(value) <= 64:
        return None
    text = value.strip()
    if text.isascii() and text.replace(".", "", 1).isdigit():  # not `²`, which isdigit accepts
        return _from_epoch(float(text))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # `9999-12-31T23:00-05:00`, `0001-01-01T00:00+01:00`: no UTC date
        return None


def _from_epoch(number: float) -> datetime | None:
    if number > _EPOCH_MAX * 1000 or number < 0:
        return None
    if number > _EPOCH_MAX:
        number /= 1000.0
    if not _EPOCH_MIN <= number <= _EPOCH_MAX:
        return None
    return datetime.fromtimestamp(number, tz=UTC)
