"""Input formats: each in its own module (sniff, read, record kind, replay), registered in
`registry.FORMATS` with one line. `read_file` reads any of them, by name, extension or content.
"""

from datamin.formats.reading import expand_patterns, read_file
from datamin.formats.registry import (
    Format,
    RecordKind,
    detect_format,
    format_named,
    formats,
    record_kind_named,
    register,
    replay_format,
)

__all__ = [
    "Format",
    "RecordKind",
    "detect_format",
    "expand_patterns",
    "format_named",
    "formats",
    "read_file",
    "record_kind_named",
    "register",
    "replay_format",
]
