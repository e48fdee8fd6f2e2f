"""Geographic coordinates: a position to the metre in text, in a field named for one, in a
coordinates array; rates, prices, versions and a slider's position stay."""

from __future__ import annotations

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.coordinates import CoordinateDetector

DETECTOR = CoordinateDetector()


def spans(text: str, path: str = "message.body", kind: FieldKind = FieldKind.TEXT) -> list[str]:
    return [text[f.start : f.end] for f in DETECTOR.detect(text, FieldContext.of(path, kind))]


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Driver is at 40.712812, -74.006012 now", "40.712812, -74.006012"),
        ("meet at 40.7128, -74.0060", "40.7128, -74.0060"),  # four places and a sign
        ("coordinates: (51.50735, 0.12776)", "51.50735, 0.12776"),
        ("GPS 51.507, -0.127", "51.507, -0.127"),  # three places where a word says position
        ("ubicación: -33.869;151.209", "-33.869;151.209"),
        # One round side is still a position; a word before a transform's name is no transform.
        ("at 40.000000, -105.270546", "40.000000, -105.270546"),
        ("GPS: 41.902782, 12.000000", "41.902782, 12.000000"),
        ("geoTranslate(48.858370, 2.294481)", "48.858370, 2.294481"),
    ],
)
def test_a_pair_in_text(text: str, pair: str) -> None:
    assert spans(text) == [pair]


@pytest.mark.parametrize(
    "text",
    [
        "EUR/USD 1.0842, 1.0851",  # exchange rates: four places, never a sign
        "London 51.5074, 0.1278",  # four places, no sign, no word: could be two rates
        "prices 12.99, 13.49",
        "version 1.2.3, 4.5.6",
        "GPS 51.5, -0.1",  # a region, not a door
        "at 95.12345, 10.12345",  # no latitude is 95
        'transform="translate(85.000000, 70.000000)"',  # round numbers a program formatted
        'transform="translate(52.284850, 49.123400) rotate(22.284850)"',  # a drawing's move
    ],
)
def test_numbers_that_are_no_position(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("path", "value", "found"),
    [
        ("ride.pickup_lat", "40.712812", True),
        ("trip.dropoffLng", "-74.006012", True),  # camelCase, lower-cased by the context
        ("geo.lon", "151.2093", True),
        ("geometry.coordinates[0]", "-74.006012", True),  # GeoJSON
        ("place.latlng", "40.7128,-74.0060", True),
        ("ride.pickup_lat", "95.123", False),  # out of a latitude's range
        ("ride.pickup_lat", "40.7", False),  # a region's precision
        ("slider.position", "0.125", False),
        ("stats.ratio", "0.7128", False),
        ("flat", "12.500", False),
    ],
)
def test_a_field_named_for_a_coordinate(path: str, value: str, found: bool) -> None:
    assert bool(spans(value, path, FieldKind.JSON)) is found
