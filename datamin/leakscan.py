"""Leak scan: does any file a run left behind still hold a planted value?

The test suite runs this after every pipeline run. It reads everything under a directory, hidden
and temporary files included: Parquet through pyarrow (cell values at any depth, field names,
key-value and field metadata, column statistics) as well as its raw bytes, compressed files
decompressed (gzip, bzip2, xz, zlib, zstd, zip), everything else as text in the encodings a
careless writer might use. Each planted value becomes several needles, the forms a value takes
after URL-encoding, JSON escaping or reformatting. Results carry needle indexes, never values, so
a failing assertion prints nothing sensitive.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import io
import json
import lzma
import os
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, quote_plus

import pyarrow as pa
import pyarrow.parquet as pq

from datamin.errors import InputError

# Shorter variants (a 4-digit card suffix, a short user name) would hit harmless text.
MIN_NEEDLE_LENGTH = 6
_DIGITS_ONLY = frozenset({"CREDIT_CARD", "PHONE_NUMBER", "US_SSN"})
_NO_SPACES = frozenset({"CREDIT_CARD", "PHONE_NUMBER", "IBAN_CODE"})
_MAX_NESTING = 4  # an archive inside a compressed file inside an archive is as deep as we go


class PlantedValue(Protocol):
    """What the scan needs of a planted value (`datamin.sample.Planted` fits)."""

    @property
    def entity(self) -> str: ...
    @property
    def value(self) -> str: ...


@dataclass(frozen=True)
class Leak:
    """A needle found in a file: which file (relative to the scanned root), which needle."""

    file: str
    entity: str
    needle_index: int  # into the needles list; the value itself is never carried


def _basic_credentials(value: str) -> str | None:
    token = value.removeprefix("Basic ").strip()
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded if ":" in decoded else None


def _variants(entity: str, value: str) -> Iterator[str]:
    yield value
    yield value.lower()
    yield quote(value, safe="")
    yield quote_plus(value, safe="")
    escaped = json.dumps(value)[1:-1]
    yield escaped
    yield json.dumps(value, ensure_ascii=False)[1:-1]
    # JSON text inside a JSON string, as a request body inside a HAR file.
    yield json.dumps(escaped)[1:-1]
    yield json.dumps(json.dumps(value, ensure_ascii=False)[1:-1], ensure_ascii=False)[1:-1]
    if entity in _DIGITS_ONLY:
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 9:
            yield digits
    if entity in _NO_SPACES:
        yield "".join(value.split())
    if entity == "JWT" and value.count(".") == 2:
        _, payload, signature = value.split(".")
        yield payload
        yield signature
    if entity == "BASIC_AUTH" and (decoded := _basic_credentials(value)):
        yield decoded
        yield decoded.partition(":")[2]
    if entity == "PRIVATE_KEY":
        # A key body line is as secret as the whole block; a pipeline may keep some of them.
        yield from (ln.strip() for ln in value.splitlines() if not ln.startswith("-----"))


def needles_for(planted: Iterable[PlantedValue]) -> list[tuple[str, str]]:
    """`(entity, needle)` pairs: every planted value in the forms a careless pipeline might
    leave it in. Each needle appears once, with the entity of the first value that yields it."""
    needles: dict[str, str] = {}
    for p in planted:
        for needle in _variants(p.entity, p.value):
            if len(needle) >= MIN_NEEDLE_LENGTH:
                needles.setdefault(needle, p.entity)
    return [(entity, needle) for needle, entity in needles.items()]


def scan_text(text: str, needles: list[tuple[str, str]]) -> list[int]:
    """Indexes of the needles that occur in `text`."""
    return [i for i, (_, needle) in enumerate(needles) if needle in text]


def _walk_values(value: Any, out: list[str]) -> None:
    """Every scalar of a pyarrow `to_pylist` value: structs are dicts, maps lists of pairs."""
    if value is None:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            out.append(str(k))
            _walk_values(v, out)
    elif isinstance(value, list | tuple):
        for v in value:
            _walk_values(v, out)
    elif isinstance(value, bytes | bytearray):
        out.extend(_decodings(bytes(value)))
    else:
        out.append(str(value))


def _field_texts(field: pa.Field, out: list[str]) -> None:
    out.append(field.name)
    for k, v in (field.metadata or {}).items():
        out.extend(_decodings(k) + _decodings(v))
    for i in range(field.type.num_fields):
        _field_texts(field.type.field(i), out)


def _parquet_text(data: bytes, name: str) -> str:
    try:
        pf = pq.ParquetFile(pa.BufferReader(data))
        table = pf.read()
    except (pa.ArrowException, OSError) as exc:
        # Compressed pages we cannot read may hold anything: fail closed.
        raise InputError(f"{name}: unreadable Parquet ({type(exc).__name__})") from None
    out: list[str] = []
    meta = pf.metadata
    for k, v in (meta.metadata or {}).items():
        out.extend(_decodings(k) + _decodings(v))
    for field in pf.schema_arrow:  # field metadata only exists base64-encoded in ARROW:schema
        _field_texts(field, out)
    for rg in range(meta.num_row_groups):
        for col in range(meta.num_columns):
            stats = meta.row_group(rg).column(col).statistics
            if stats is not None and stats.has_min_max:
                _walk_values([stats.min, stats.max], out)
    for column in table.columns:
        _walk_values(column.to_pylist(), out)
    return "\x00".join(out)  # a separator no needle holds, so no match spans two values


def _decodings(data: bytes | str) -> list[str]:
    """The text a file may hold: UTF-8, and the bytes as they are (Latin-1) if that fails;
    UTF-16 where a BOM or NUL bytes suggest it."""
    if isinstance(data, str):
        return [data]
    texts = [data.decode("utf-8", errors="replace")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        texts.append(data.decode("latin-1"))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        texts += [data.decode(c, errors="replace") for c in ("utf-16-le", "utf-16-be")]
    return texts


def _gunzip(data: bytes) -> bytes:
    """All members of a gzip stream, or as much as a truncated one yields."""
    out = bytearray()
    while data[:2] == b"\x1f\x8b":
        d = zlib.decompressobj(wbits=31)
        try:
            out += d.decompress(data)
        except zlib.error:
            break
        data = d.unused_data
    return bytes(out)


def _zstd(data: bytes) -> bytes | None:
    try:
        import zstandard
    except ImportError:  # zstd-compressed outputs cannot exist without it either
        return None
    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
            return reader.read()
    except zstandard.ZstdError:
        return None


def _decompressed(data: bytes) -> list[bytes] | None:
    """The contents of a compressed file or archive, told by its magic bytes; None if plain."""
    try:
        if data[:2] == b"\x1f\x8b":
            return [_gunzip(data)]
        if data[:3] == b"BZh":
            return [bz2.decompress(data)]
        if data[:6] == b"\xfd7zXZ\x00":
            return [lzma.decompress(data)]
        if data[:4] == b"\x28\xb5\x2f\xfd":
            out = _zstd(data)
            return None if out is None else [out]
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return [zf.read(info) for info in zf.infolist() if not info.is_dir()]
        if len(data) > 2 and data[0] == 0x78 and (data[0] << 8 | data[1]) % 31 == 0:
            return [zlib.decompressobj().decompress(data)]
    except (OSError, EOFError, ValueError, lzma.LZMAError, zlib.error, zipfile.BadZipFile):
        return None  # not really compressed, or truncated: scanned as bytes below
    return None


def _texts(data: bytes, name: str, depth: int = 0) -> Iterator[str]:
    yield from _decodings(data)  # raw bytes always: stats and uncompressed pages included
    inner = _decompressed(data) if depth < _MAX_NESTING else None
    for part in inner or []:
        yield from _texts(part, name, depth + 1)
    if data[:4] == b"PAR1":  # truncated ones too: they raise rather than pass unread
        yield _parquet_text(data, name)


def _files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


def scan_tree(root: Path, needles: list[tuple[str, str]]) -> list[Leak]:
    """Every needle found in every regular file under `root` (recursively, hidden files too).

    Raises `FileNotFoundError` for a missing root (an absent output is not a clean one) and
    `InputError` for a Parquet file whose contents cannot be read.
    """
    if not root.exists():
        raise FileNotFoundError(str(root))
    leaks: list[Leak] = []
    for path in _files(root):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                continue  # FIFOs and sockets would block or fail; they hold no output
            data = path.read_bytes()
        except FileNotFoundError:
            continue  # a temporary file removed while we walked
        rel = path.name if path == root else path.relative_to(root).as_posix()
        found: set[int] = set()
        for text in _texts(data, rel):
            found.update(scan_text(text, needles))
        leaks += [Leak(rel, needles[i][0], i) for i in sorted(found)]
    return leaks
