"""The secret key behind every keyed pseudonym and keyed hash.

One master key, from a key file or an environment variable; purpose-bound subkeys derived with
HKDF so a pseudonym can never be compared with a quarantine hash. With no key given, datamin
creates one in the user's config directory (never inside an output tree) with 0600 permissions.
DoFns receive a `KeySource` (where the key is) and load it in `setup()`, so the key never travels
inside a pickled pipeline graph.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from datamin.errors import KeyConfigError

KEY_ENV = "DATAMIN_KEY"
KEY_FILE_ENV = "DATAMIN_KEY_FILE"
MIN_KEY_BYTES = 32


def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "datamin" / "key"


@dataclass(frozen=True)
class KeySource:
    """Where the master key comes from: an environment variable's name or a file path."""

    env: str | None = None
    path: str | None = None

    def load(self) -> KeyRing:
        if self.env is not None:
            raw = os.environ.get(self.env, "")
            if len(raw.encode()) < MIN_KEY_BYTES:
                raise KeyConfigError(
                    f"environment variable {self.env} must hold at least {MIN_KEY_BYTES} bytes"
                )
            return KeyRing(raw.encode())
        if self.path is not None:
            return KeyRing(_read_key_file(Path(self.path)))
        raise KeyConfigError("no key source given")


def _read_key_file(path: Path) -> bytes:
    try:
        raw = path.read_bytes().strip()
    except OSError as exc:
        raise KeyConfigError(f"cannot read key file {path} ({type(exc).__name__})") from None
    if len(raw) < MIN_KEY_BYTES:
        raise KeyConfigError(f"key file {path} must hold at least {MIN_KEY_BYTES} bytes")
    return raw


def resolve_key_source(
    key_file: Path | None, output_dir: Path | None = None
) -> tuple[KeySource, str | None]:
    """Pick the key source in order: --key-file, $DATAMIN_KEY, $DATAMIN_KEY_FILE, the default
    file (created if missing). Returns the source and a notice for the user when a key was
    created. A key file inside the output directory is refused: disposal must not be able to
    delete the key with the data, nor readers of the data find the key beside it."""
    created: str | None = None
    if key_file is None and os.environ.get(KEY_ENV):
        source = KeySource(env=KEY_ENV)
        source.load()
        return source, None
    if key_file is None and os.environ.get(KEY_FILE_ENV):
        key_file = Path(os.environ[KEY_FILE_ENV])
    if key_file is None:
        key_file = default_key_path()
        if not key_file.exists():
            create_key_file(key_file)
            created = f"created a new pseudonymization key at {key_file} (mode 0600); keep it"
    key_file = key_file.expanduser().resolve()
    if output_dir is not None:
        out = output_dir.expanduser().resolve()
        if key_file == out or out in key_file.parents:
            raise KeyConfigError(f"key file {key_file} must not be inside the output directory")
    source = KeySource(path=str(key_file))
    source.load()
    return source, created


def create_key_file(path: Path) -> None:
    """Write 32 random bytes, hex-encoded, to a new file only its owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise KeyConfigError(f"cannot create key file {path} ({type(exc).__name__})") from None
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32) + "\n")


class KeyRing:
    """Purpose-bound keyed hashes over one master key."""

    def __init__(self, master: bytes) -> None:
        self._master = master

    def __repr__(self) -> str:
        return "KeyRing(<secret>)"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a KeyRing must not be pickled; ship a KeySource and load it in setup()")

    @cache  # noqa: B019 - a handful of purposes per process; the ring lives as long as the worker
    def subkey(self, purpose: str) -> bytes:
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"datamin/" + purpose.encode()
        ).derive(self._master)

    def mac(self, purpose: str, data: bytes) -> bytes:
        return hmac.new(self.subkey(purpose), data, hashlib.sha256).digest()

    def mac_hex(self, purpose: str, data: bytes, length: int = 64) -> str:
        return self.mac(purpose, data).hex()[:length]
