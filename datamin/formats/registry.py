"""The input formats datamin reads, in one place: what each is called, how it is recognized, how
it is read, what kind of record it yields, and how a quarantined record is written back.

A format is one module with one class (the `Format` protocol below) and one line in `FORMATS`.
Recognition: by file extension first (after `.gz`/`.gzip`), then, for an unknown extension, by
each format's `sniff` of the file's first bytes in the order of `FORMATS`; what no format claims
is read as lines when it is text (`TEXT_FALLBACK`), else as JSON (`FALLBACK`). A record kind
(`RecordKind`) says how records that a format vouches for are parsed and checked; a format whose
records are judged by their content has none.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache
from typing import IO, Protocol

from datamin.core.records import Item, Unreadable
from datamin.errors import InputError, LimitExceeded
from datamin.formats.kinds import RecordKind, kind_named

# One line per format, "module:Class"; each class is constructed without arguments.
FORMATS: tuple[str, ...] = (
    "datamin.formats.har:Har",
    "datamin.formats.apigw_execution:ApiGatewayExecutionFormat",  # before JSON lines: sniffed
    "datamin.formats.jsonlines:JsonLines",
    "datamin.formats.textlog_formats:EnvoyTextFormat",  # before JSON: its lines open with `[`
    "datamin.formats.jsondoc:JsonDocument",
    # API gateways' JSON lines, by name only (`--format kong`): by content, they are JSON lines
    # whose records the `api` kind recognizes (`exchange`).
    "datamin.formats.kong:KongFormat",
    "datamin.formats.apigateway:ApiGatewayFormat",
    "datamin.formats.envoy:EnvoyFormat",
    "datamin.formats.nginxjson:NginxJsonFormat",
    "datamin.formats.cloudflare:CloudflareFormat",
    "datamin.formats.gcplogging:GcpRequestLogFormat",
    "datamin.formats.caddy:CaddyFormat",
    "datamin.formats.traefik:TraefikFormat",
    "datamin.formats.azure_appgw:AzureAppGatewayFormat",
    "datamin.formats.azure_frontdoor:AzureFrontDoorFormat",
    "datamin.formats.azure_apim:AzureApiManagementFormat",
    "datamin.formats.appengine:AppEngineRequestLogFormat",
    "datamin.formats.aws_waf:AwsWafFormat",
    "datamin.formats.tyk:TykFormat",
    "datamin.formats.fastly:FastlyFormat",
    "datamin.formats.akamai:AkamaiDataStreamFormat",
    # Text access logs, by their grammar; their lines are `api` records too (`textlogs`).
    "datamin.formats.textlog_formats:CombinedFormat",
    "datamin.formats.textlog_formats:AlbFormat",
    "datamin.formats.textlog_formats:ElbFormat",
    "datamin.formats.textlog_formats:HaproxyFormat",
    "datamin.formats.textlog_formats:S3Format",
    "datamin.formats.textlog_formats:LogfmtFormat",
    "datamin.formats.w3c:W3cFormat",  # IIS, CloudFront: by their `#Version:`/`#Fields:` lines
    "datamin.formats.textlines:TextLines",  # never sniffed: the fallback for text (below)
)
FALLBACK = "json"  # what a file no extension or sniff claims is read as ...
TEXT_FALLBACK = "text"  # ... unless it is text: its lines, each by its grammar (`textlines`)
BOM = b"\xef\xbb\xbf"
COMPRESSED = (".gz", ".gzip")  # decompressed by content; the name before them says the format

_added: list[str] = []  # `register()`ed at run time, after FORMATS


class Format(Protocol):
    name: str  # what `read_file(format=...)` (and `--format`) calls it
    extensions: tuple[str, ...]  # lower case, with the dot: (".har",)
    kind: RecordKind | None  # the kind of its records; None: decided by each record's content

    def sniff(self, head: bytes) -> bool:
        """Whether a file of unknown extension is of this format, judged from its first bytes
        (at most 64 KiB, decompressed, without a byte-order mark or leading white space)."""
        ...

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        """Every record of the file, in bounded memory. `stream` is buffered (it has `peek`)
        and decompressed. A record that cannot be read is an `Unreadable`, never an error."""
        ...

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        """The file suffix and bytes of a file that reads as this one quarantined record
        (`raw`, as read, of the given record kind) did: how `quarantine export` writes it."""
        ...


def register(spec: str) -> None:
    """Add a format ("module:Class") after the built-in ones, for this process."""
    _added.append(spec)


def formats() -> tuple[Format, ...]:
    return _load((*FORMATS, *_added))


@cache
def _load(specs: tuple[str, ...]) -> tuple[Format, ...]:
    loaded = []
    for spec in specs:
        module, _, cls = spec.partition(":")
        loaded.append(getattr(importlib.import_module(module), cls)())
    from datamin.policies.model import SOURCE_KINDS

    names = [f.name for f in loaded]
    if len(set(names)) < len(names):
        raise ValueError(f"two input formats have one name: {names}")
    for f in loaded:
        # Refused when the formats load, not when the first record finds no policy section.
        if f.kind is not None and f.kind.name not in SOURCE_KINDS:
            raise ValueError(f"input format {f.name!r}: no policy section for kind {f.kind.name!r}")
    return tuple(loaded)


def format_named(name: str) -> Format:
    for f in formats():
        if f.name == name:
            return f
    known = ", ".join(f.name for f in formats())
    raise InputError(f"unknown input format {name!r} (known: {known})")


def by_extension(path: str) -> Format | None:
    """The format a file's name says, the longest matching extension winning."""
    name = path.lower()
    for suffix in COMPRESSED:
        name = name.removesuffix(suffix)
    found = [(len(e), f) for f in formats() for e in f.extensions if name.endswith(e)]
    return max(found, key=lambda t: t[0])[1] if found else None


def detect_format(path: str, head: bytes) -> str:
    """The name of the format a file is read as: by its extension, else by its content."""
    named = by_extension(path)
    if named is not None:
        return named.name
    text = head.removeprefix(BOM).lstrip()
    for f in formats():
        if f.sniff(text):
            return f.name
    from datamin.formats.textlines import is_text

    return TEXT_FALLBACK if is_text(text) else FALLBACK


def record_kind_named(name: str | None) -> RecordKind | None:
    """The record kind of this name (a format's own, else a registered one); None for None or
    an unknown name (its records are then judged by content)."""
    if not name:
        return None
    return _kinds(formats()).get(name) or kind_named(name)


@cache
def _kinds(loaded: tuple[Format, ...]) -> dict[str, RecordKind]:
    kinds: dict[str, RecordKind] = {}
    for f in loaded:
        if f.kind is not None:
            kinds.setdefault(f.kind.name, f.kind)
    return kinds


def replay_format(source: str, kind: str | None) -> Format:
    """The format that writes a quarantined record back: the one whose records have its kind,
    else the one its source's name says, else JSON."""
    if kind:
        for f in formats():
            if f.kind is not None and f.kind.name == kind:
                return f
    return by_extension(source) or format_named(FALLBACK)


def unreadable_from(path: str, index: int, exc: Exception) -> Unreadable:
    """What a reader yields when the rest of a file cannot be read."""
    return Unreadable(path, index, unreadable_reason(exc))


def unreadable_reason(exc: Exception) -> str:
    """Why the rest of a file cannot be read: a limit of ours by its class and its message
    (sizes, never content), anything else (a corrupt gzip, an I/O error) by its class only."""
    if isinstance(exc, LimitExceeded):
        return f"LimitExceeded: {exc}"
    return f"InputError: unreadable from here on ({type(exc).__name__})"
