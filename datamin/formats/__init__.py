"""Input formats: each in its own module (sniff, read, record kind, replay), registered in
`registry.FORMATS` with one line. `read_file` reads any of them, by name, extension or content.
Record kinds (`kinds`: a HAR entry, a message, any JSON object) take records apart into fields,
registered in `kinds.KINDS` the same way.
"""

from datamin.formats.kinds import kind_named, kind_of, record_fields
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
    "kind_named",
    "kind_of",
    "read_file",
    "record_fields",
    "record_kind_named",
    "register",
    "replay_format",
]
