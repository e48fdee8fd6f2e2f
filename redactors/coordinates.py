"""Geographic coordinates: where a person is, to the metre. A latitude and longitude pair in
text (`40.712812, -74.006012`), a field named for one of them (`pickup_lat`, `dropoffLng`), and
a coordinates field's values (GeoJSON's `coordinates[0]`, `"latlng": "40.7128,-74.0060"`).

Three decimals are a hundred metres: below that a number is a region's, not a door's. In text a
pair needs five decimals on both sides, or four and a minus sign (exchange rates have four, and
never a sign), or three and a word that says it is a position; both numbers must lie in a
latitude's and a longitude's range.
"""

from __future__ import annotations

import re
from functools import lru_cache

from datamin import quiet_re2
from datamin.redactors._validators import re2_safe
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.findings import Finding
from datamin.redactors.registry import DetectorSettings

SCORE = 0.85
_NUMBER = r"[+\-]?\d{1,3}\.(\d{2,10})"
_PAIR = quiet_re2.compile(
    r"(?:^|[^\d.\w\-])(" + _NUMBER + r")\s*[,;/ ]\s*(" + _NUMBER + r")(?:$|[^\d.\w])"
)
_SAID = quiet_re2.compile(
    r"(?i)(?:gps|coord|\blat\b|latitude|\blng\b|\blon\b|longitude|location|located|position|"
    r"\bgeo|ubicaci|localiza|standort|posizione|koordinat|координат)"
)
# The transform functions of SVG 1.1 and CSS Transforms 1, just before a pair's first number.
_TRANSFORM = re.compile(
    r"(?<![A-Za-z])(?:translate|rotate|scale|matrix|skew)[XYZ3d]*\($", re.IGNORECASE
)
_SINGLE = re.compile(r"[+\-]?(\d{1,3})\.(\d{3,10})")
# A field's last word that names one coordinate, or a pair or point of them.
_ONE = frozenset(("lat", "latitude", "lng", "lon", "long", "longitude"))
_LATITUDES = frozenset(("lat", "latitude"))
_POINTS = frozenset(
    "coordinates coords coord latlng latlon latlong geolocation geo gps point geopoint location "
    "position".split()
)
# Of those, names whose one number is a coordinate (GeoJSON's array `coordinates[0]`); a
# `location` or a `position` alone may be a slider's or a page's.
_POINT_ARRAYS = frozenset("coordinates coords coord latlng latlon latlong geo gps point".split())
_ENDINGS = ("latitude", "longitude", "lat", "lng")
_SEPARATORS = re.compile(r"[_\-. ]")


@lru_cache(maxsize=4096)
def _last_word(name: str) -> str:
    """A field name's last word, or the coordinate it ends in (names arrive lower-cased:
    `dropoffLng` is `dropofflng`)."""
    last = _SEPARATORS.split(name)[-1]
    if last in _ONE or last in _POINTS:
        return last
    # After a word of three letters at least (`geolat`, `pickuplat`; not `flat`).
    return next((e for e in _ENDINGS if last.endswith(e) and len(last) >= len(e) + 3), last)


def names_a_coordinate(name: str) -> bool:
    """A field's name that says its number is a coordinate (`lat`, `pickupLng`,
    `coordinates`); a lower-cased last key. Names repeat across records."""
    word = _last_word(name.lower())
    return word in _ONE or word in _POINT_ARRAYS


def _in_range(value: str, limit: int) -> bool:
    try:
        return abs(float(value)) <= limit
    except ValueError:
        return False


class CoordinateDetector:
    """Built once per worker; stateless; thread-safe."""

    name = "coordinates"
    entities = frozenset(("LOCATION",))
    scores = {"LOCATION": (SCORE,)}
    # Protocol fields, paths, headers and cookies hold no position (a header's or a cookie's
    # name may say one; it is rare, and these are half a request's values).
    skips = frozenset((FieldKind.META, FieldKind.URL_PATH, FieldKind.HEADER, FieldKind.COOKIE))

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if len(text) < 5 or "." not in text:
            return []
        word = _last_word(ctx.name) if ctx.kind is not FieldKind.TEXT else ""
        value = text.strip()
        if word in _ONE or word in _POINT_ARRAYS:
            m = _SINGLE.fullmatch(value)
            limit = 90 if word in _LATITUDES else 180
            if m is not None and _in_range(value, limit):
                start = text.index(value)
                return [Finding("LOCATION", start, start + len(value), SCORE, self.name)]
        said = word in _POINTS
        found = []
        for m in _PAIR.finditer(re2_safe(text)):
            lat, lat_decimals, lng, lng_decimals = m.group(1), m.group(2), m.group(3), m.group(4)
            if not (_in_range(lat, 90) and _in_range(lng, 180)):
                continue
            # Alone, five decimals, or four with a sign no rate or price has.
            places = min(len(lat_decimals), len(lng_decimals))
            precise = places >= 5 or (places >= 4 and "-" in lat + lng)
            near = said or _SAID.search(text[max(0, m.start(1) - 30) : m.start(1)]) is not None
            if not near and (
                not (lat_decimals.strip("0") or lng_decimals.strip("0"))
                or _TRANSFORM.search(text, max(0, m.start(1) - 16), m.start(1))
            ):
                # Two round numbers (`85.000000, 70.000000`), or SVG's and CSS's transform
                # functions (`translate(52.284850, 49.123400)`): a drawing's, not a person's.
                continue
            if precise or (near and len(lat_decimals) >= 3 and len(lng_decimals) >= 3):
                found.append(Finding("LOCATION", m.start(1), m.end(3), SCORE, self.name))
        return found
