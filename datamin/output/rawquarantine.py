"""The optional raw quarantine store: the bytes of quarantined records, encrypted, kept briefly.

The plain quarantine holds a keyed hash of a record, never the record. Where an operator enables
this store (with `--raw-quarantine-key FILE`), the raw bytes are kept as well, so a record can be
replayed after a fix: encrypted with AES-256-GCM under a key of their own, separate from the
master key (not a file in the output tree, not the master key's content), and disposed of after
the run's policy `quarantine.raw_retention` (1h to 30d) from the run's start.

A store is `OUT/_quarantine_raw/<run_id>/<name>.dmq`, each file written as a hidden temporary
file renamed into place (names starting with `.` are unfinished). A file, version 1:

    header  "DATAMINQ" | u8 version | key id (8) | u16 len, run id | u16 len, name
    entry   "E" | u32 len, meta | nonce (12) | u32 len, AES-GCM(flags u8 + raw bytes)
    end     "Z" | u64 entry count | nonce (12) | AES-GCM tag of nothing (16)

`meta` is `{"error", "index", "source"}` as JSON: what the plain quarantine shows, and nothing
else is in the clear. Every entry is authenticated with the whole header (run id and file name
included), its sequence number and its meta as associated data, so an entry cannot be moved to
another file, run or position, nor its meta changed; the end record's count makes a truncated or
reordered file fail too. The key id (a keyed hash of a constant) tells a wrong key from damage.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from datamin.errors import InputError, KeyConfigError
from datamin.output.layout import RAW_QUARANTINE, RUN_ID, temp_for

if TYPE_CHECKING:
    from datamin.keys import KeyRing

RAW_DIR = RAW_QUARANTINE
SUFFIX = ".dmq"
MAGIC = b"DATAMINQ"
VERSION = 1
KEY_BYTES = 32
KEY_LABEL = "datamin raw quarantine key v1"
NONCE_BYTES = 12
TAG_BYTES = 16
FLAG_HAR = 0x01  # the record was an entry of a HAR file's log.entries (record kind `har`)
# Any other declared record kind is named in the entry's metadata (`"kind"`); kind `har` stays a
# flag, so files with HAR entries read the same in every version.

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
_MAX_META = 1 << 20
_MAX_SEALED = (1 << 31) - 1  # AES-GCM in `cryptography` takes at most 2**31 - 1 bytes
_KEY_ID_INFO = b"datamin/raw-quarantine/key-id"
_SEPARATION = "raw-quarantine/separation"


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One quarantined record as it was read: where it came from, why it was quarantined, and
    its bytes. `kind`: the record kind its format declared (`har`: an entry of a HAR file's
    `log.entries`, which a replay wraps in one); None: judged by its content."""

    source: str
    index: int
    error: str
    raw: bytes
    kind: str | None = None

    def __repr__(self) -> str:
        return f"RawEntry({self.source!r}, {self.index}, {self.error!r}, <{len(self.raw)} bytes>)"


# -- keys ------------------------------------------------------------------------------------


class RawKey:
    """The raw quarantine's AES-256-GCM key. Never pickled: ship a `RawKeySource`."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise KeyConfigError(f"a raw quarantine key is {KEY_BYTES} bytes")
        self._aead = AESGCM(key)
        self.key_id = hmac.new(key, _KEY_ID_INFO, hashlib.sha256).digest()[:8]

    def __repr__(self) -> str:
        return "RawKey(<secret>)"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a RawKey must not be pickled; ship a RawKeySource and load it in setup()")

    def seal(self, nonce: bytes, data: bytes, associated: bytes) -> bytes:
        return self._aead.encrypt(nonce, data, associated)

    def open(self, nonce: bytes, sealed: bytes, associated: bytes) -> bytes:
        return self._aead.decrypt(nonce, sealed, associated)


@dataclass(frozen=True)
class RawKeySource:
    """Where the raw quarantine key is: what a DoFn carries, loading the key in `setup()`. The
    checks that it is separate from the output and the master key are `resolve_raw_key`'s."""

    path: str

    def load(self) -> RawKey:
        return RawKey(_read_raw_key(Path(self.path)))


def resolve_raw_key(
    path: Path, output: str | Path | None = None, master: KeyRing | bytes | None = None
) -> RawKeySource:
    """Check a raw quarantine key file on the driver and return its source: refused when it is
    inside the output directory (disposal or readers of the output would find it beside the data)
    or when its content is the master key (one leaked key would then open both)."""
    path = path.expanduser().resolve()
    if output is not None and "://" not in str(output):
        out = Path(output).expanduser().resolve()
        if path == out or out in path.parents:
            raise KeyConfigError(
                f"raw quarantine key file {path} must not be inside the output directory"
            )
    raw = _read_raw_key(path)
    if master is not None:
        # The master key is text as read (hex as `create_key_file` writes it, or any string):
        # the raw key is compared in every form it is written or used in.
        content, hexed = _file_bytes(path), raw.hex().encode()
        if any(_same_key(form, master) for form in (content, raw, hexed, hexed.upper())):
            raise KeyConfigError(
                f"raw quarantine key file {path} holds the master key; give it a key of its own "
                "(datamin quarantine new-key FILE)"
            )
    return RawKeySource(str(path))


def create_raw_key_file(path: Path) -> None:
    """Write a new random key to `path` (mode 0600); refuse an existing file."""
    path = path.expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except FileExistsError:
        raise KeyConfigError(f"{path} exists; a key file is never overwritten") from None
    except OSError as exc:
        raise KeyConfigError(f"cannot create key file {path} ({type(exc).__name__})") from None
    with os.fdopen(fd, "w") as f:
        f.write(f"{KEY_LABEL}\n{secrets.token_hex(KEY_BYTES)}\n")
        f.flush()
        os.fsync(f.fileno())


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes().strip()
    except OSError as exc:
        raise KeyConfigError(
            f"cannot read raw quarantine key file {path} ({type(exc).__name__})"
        ) from None


def _read_raw_key(path: Path) -> bytes:
    lines = _file_bytes(path).splitlines()
    try:
        if len(lines) != 2 or lines[0].decode("ascii").strip() != KEY_LABEL:
            raise ValueError
        key = bytes.fromhex(lines[1].decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyConfigError(
            f"{path} is not a raw quarantine key file (make one with "
            "`datamin quarantine new-key FILE`)"
        )
    return key


def _same_key(candidate: bytes, master: KeyRing | bytes) -> bool:
    if isinstance(master, bytes):
        return hmac.compare_digest(candidate, master)
    # A KeyRing does not hand its master key out; derive the same subkey from both and compare.
    mine = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"datamin/" + _SEPARATION.encode()
    ).derive(candidate)
    return hmac.compare_digest(mine, master.subkey(_SEPARATION))


# -- the file format -------------------------------------------------------------------------


# Beam's filesystems are imported where used: `dispose` and `quarantine list` need none of it,
# and importing Beam takes seconds.


def raw_file_path(output: str, run_id: str, name: str) -> str:
    """Where `write_raw_file` puts a store file."""
    from apache_beam.io.filesystems import FileSystems

    return FileSystems.join(output, RAW_DIR, _check_run_id(run_id), _check_name(name) + SUFFIX)


def write_raw_file(
    output: str, run_id: str, name: str, key: RawKey, entries: Iterable[RawEntry]
) -> str:
    """Encrypt `entries` into `OUT/_quarantine_raw/<run_id>/<name>.dmq`, streamed, through a
    hidden temporary file renamed into place; returns the final path. Safe inside a DoFn (a
    worker writes its own names; the name should be unique, like `part-<random hex>`)."""
    writer = RawFileWriter(output, run_id, name, key)
    try:
        for entry in entries:
            writer.add(entry)
        return writer.close()
    except BaseException:
        writer.abort()
        raise


class RawFileWriter:
    """One store file written an entry at a time (a quarantine step holds no entries in memory):
    opened at the first `add`, renamed into place by `close`, removed by `abort`."""

    def __init__(self, output: str, run_id: str, name: str, key: RawKey) -> None:
        self.final = raw_file_path(output, run_id, name)
        self.temp = temp_for(self.final)
        self.key = key
        self.header = _header(key.key_id, run_id, name)
        self.count = 0
        self._file: IO[bytes] | None = None

    def add(self, entry: RawEntry) -> None:
        if self._file is None:
            self._open()
        assert self._file is not None
        self._file.write(_seal_entry(self.key, self.header, self.count, entry))
        self.count += 1

    def _open(self) -> None:
        from apache_beam.io.filesystem import CompressionTypes
        from apache_beam.io.filesystems import FileSystems

        self._file = FileSystems.create(self.temp, compression_type=CompressionTypes.UNCOMPRESSED)
        if "://" not in self.temp:
            with contextlib.suppress(OSError):
                os.chmod(self.temp, 0o600)
        self._file.write(self.header)

    def close(self) -> str:
        """Write the end record and rename the file into place; returns its final path."""
        from apache_beam.io.filesystems import FileSystems

        if self._file is None:
            self._open()
        assert self._file is not None
        nonce = secrets.token_bytes(NONCE_BYTES)
        self._file.write(b"Z" + struct.pack(">Q", self.count) + nonce)
        self._file.write(self.key.seal(nonce, b"", _end_ad(self.header, self.count)))
        self._file.close()
        self._file = None
        FileSystems.rename([self.temp], [self.final])
        return self.final

    def abort(self) -> None:
        """Best effort: the unfinished file goes."""
        from apache_beam.io.filesystems import FileSystems

        if self._file is not None:
            with contextlib.suppress(Exception):
                self._file.close()
            self._file = None
        with contextlib.suppress(Exception):
            FileSystems.delete([self.temp])


def read_raw_file(path: str, key: RawKey) -> Iterator[RawEntry]:
    """The entries of one store file, each yielded once it is authenticated. A file written
    under another key raises `KeyConfigError`; a damaged, truncated, moved or altered one
    `InputError` (after the intact entries before the damage). Messages name the file only."""
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    folder, base = FileSystems.split(path)
    run_id, name = FileSystems.split(folder)[1], base.removesuffix(SUFFIX)
    if not (base.endswith(SUFFIX) and RUN_ID.match(run_id) and _NAME.match(name)):
        raise InputError(f"{path} is not in a raw quarantine store ({RAW_DIR}/<run id>/*{SUFFIX})")
    try:
        handle = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
    except Exception as exc:  # noqa: BLE001 - any filesystem's error
        raise InputError(f"cannot open raw quarantine file {path} ({type(exc).__name__})") from None
    with handle:
        yield from _read(handle, path, run_id, name, key)


def _read(f: IO[bytes], path: str, run_id: str, name: str, key: RawKey) -> Iterator[RawEntry]:
    damaged = InputError(f"raw quarantine file {path} is damaged or was altered")
    if f.read(len(MAGIC) + 1) != MAGIC + bytes([VERSION]):
        raise InputError(f"{path} is not a datamin raw quarantine file (version {VERSION})")
    if not hmac.compare_digest(_exact(f, len(key.key_id), damaged), key.key_id):
        raise KeyConfigError(f"raw quarantine file {path} was not written under this key")
    written_run, written_name = _field(f, damaged), _field(f, damaged)
    if (written_run, written_name) != (run_id.encode(), name.encode()):
        raise damaged  # authentic, but not where it was written: moved to another run or name
    header = _header(key.key_id, run_id, name)
    count = 0
    while True:
        kind = _exact(f, 1, damaged)
        if kind == b"Z":
            (total,) = struct.unpack(">Q", _exact(f, 8, damaged))
            nonce, tag = _exact(f, NONCE_BYTES, damaged), _exact(f, TAG_BYTES, damaged)
            if total != count or f.read(1):
                raise damaged
            _open(key, nonce, tag, _end_ad(header, count), damaged)
            return
        if kind != b"E":
            raise damaged
        meta = _exact(f, _length(f, _MAX_META, damaged), damaged)
        nonce = _exact(f, NONCE_BYTES, damaged)
        sealed = _exact(f, _length(f, _MAX_SEALED, damaged), damaged)
        plain = _open(key, nonce, sealed, _entry_ad(header, count, meta), damaged)
        try:
            m = json.loads(meta)
            kind = str(m["kind"]) if "kind" in m else "har" if plain[0] & FLAG_HAR else None
            entry = RawEntry(str(m["source"]), int(m["index"]), str(m["error"]), plain[1:], kind)
        except (ValueError, KeyError, TypeError, IndexError):
            raise damaged from None
        count += 1
        yield entry


def _seal_entry(key: RawKey, header: bytes, seq: int, entry: RawEntry) -> bytes:
    where: dict[str, object] = {"error": entry.error, "index": entry.index, "source": entry.source}
    if entry.kind and entry.kind != "har":
        where["kind"] = entry.kind
    meta = json.dumps(where, sort_keys=True, separators=(",", ":")).encode()
    plain = bytes([FLAG_HAR if entry.kind == "har" else 0]) + entry.raw
    if len(plain) + TAG_BYTES > _MAX_SEALED or len(meta) > _MAX_META:
        raise InputError(f"raw quarantine: the entry at {entry.source}#{entry.index} is too large")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = key.seal(nonce, plain, _entry_ad(header, seq, meta))
    return (
        b"E" + struct.pack(">I", len(meta)) + meta + nonce + struct.pack(">I", len(sealed)) + sealed
    )


def _header(key_id: bytes, run_id: str, name: str) -> bytes:
    run, nm = _check_run_id(run_id).encode(), _check_name(name).encode()
    fields = struct.pack(">H", len(run)) + run + struct.pack(">H", len(nm)) + nm
    return MAGIC + bytes([VERSION]) + key_id + fields


def _entry_ad(header: bytes, seq: int, meta: bytes) -> bytes:
    return b"E" + header + struct.pack(">Q", seq) + meta


def _end_ad(header: bytes, count: int) -> bytes:
    return b"Z" + header + struct.pack(">Q", count)


def _open(key: RawKey, nonce: bytes, sealed: bytes, ad: bytes, damaged: InputError) -> bytes:
    try:
        return key.open(nonce, sealed, ad)
    except InvalidTag:
        raise damaged from None


def _exact(f: IO[bytes], n: int, damaged: InputError) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise damaged
    return data


def _length(f: IO[bytes], limit: int, damaged: InputError) -> int:
    (n,) = struct.unpack(">I", _exact(f, 4, damaged))
    if n > limit:
        raise damaged
    return int(n)


def _field(f: IO[bytes], damaged: InputError) -> bytes:
    (n,) = struct.unpack(">H", _exact(f, 2, damaged))
    return _exact(f, n, damaged)


def _check_run_id(run_id: str) -> str:
    if not isinstance(run_id, str) or not RUN_ID.match(run_id):
        raise InputError("raw quarantine: not a run id (YYYYMMDDTHHMMSSZ-hex)")
    return run_id


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InputError("raw quarantine: a file name is letters, digits, - and _ (at most 128)")
    return name


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
