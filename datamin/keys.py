"""The secret key behind every keyed pseudonym and keyed hash.

One master key, from a key file or an environment variable; purpose-bound subkeys derived with
HKDF so a pseudonym can never be compared with a quarantine hash. With no key given, datamin
creates one in the user's config directory (never inside an output tree) with 0600 permissions.
DoFns receive a `KeySource` (where the key is) and load it in `setup()`, so the key never travels
inside a pickled pipeline graph. The source also names the token key directory (see
`datamin.output.tokenkeys`), which is kept out of the output tree for the same reasons as the key,
and is named by the output's id (`datamin.output.identity`), not its path.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from datamin.errors import KeyConfigError
from datamin.output import identity
from datamin.output.keystores import record_output
from datamin.output.layout import OutputLayout
from datamin.output.tokenkeys import (
    TokenKeys,
    TokenKeyStore,
    adopt_legacy_store,
    default_token_keys_path,
)

KEY_ENV = "DATAMIN_KEY"
KEY_FILE_ENV = "DATAMIN_KEY_FILE"
MIN_KEY_BYTES = 32


def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "datamin" / "key"


@dataclass(frozen=True)
class KeySource:
    """Where the master key comes from (an environment variable's name or a file path), and the
    directory of token keys, if reversible tokens may be made."""

    env: str | None = None
    path: str | None = None
    token_keys: str | None = None

    def load(self) -> KeyRing:
        store = TokenKeyStore(Path(self.token_keys)) if self.token_keys is not None else None
        if self.env is not None:
            raw = os.environ.get(self.env, "")
            if len(raw.encode()) < MIN_KEY_BYTES:
                raise KeyConfigError(
                    f"environment variable {self.env} must hold at least {MIN_KEY_BYTES} bytes"
                )
            return KeyRing(raw.encode(), token_store=store)
        if self.path is not None:
            return KeyRing(_read_key_file(Path(self.path)), token_store=store)
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
    key_file: Path | None,
    output_dir: Path | None = None,
    token_keys: Path | None = None,
    *,
    tokenize: bool = True,
) -> tuple[KeySource, str | None]:
    """Pick the key source in order: --key-file, $DATAMIN_KEY, $DATAMIN_KEY_FILE, the default
    file (created if missing). Returns the source and a notice for the user when a key was
    created. A key file or token key directory inside the output directory is refused:
    disposal must not be able to delete the keys with the data, nor readers of the data find
    the keys beside it.

    The token key directory is `token_keys`, else the output's default store, named by the
    output's id (`datamin.output.identity`). With `tokenize` (the policy has a tokenize rule)
    the output gets its id here if it has none (`bind_output`), and the store is created
    (0700) if missing, here on the driver, so workers never create one, and claimed for the
    output (its id, and its path for `keys gc`: `datamin.output.keystores`); a store that
    belongs to another output is refused. Without `tokenize` nothing is created: a run that
    makes no token writes nothing before its other checks pass."""
    out = output_dir.expanduser().resolve() if output_dir is not None else None
    given = token_keys.expanduser().resolve() if token_keys is not None else None
    if given is not None:
        _store_outside(given, out)
    created: str | None = None
    if key_file is None and os.environ.get(KEY_ENV):
        source = KeySource(env=KEY_ENV)
        source.load()
    else:
        if key_file is None and os.environ.get(KEY_FILE_ENV):
            key_file = Path(os.environ[KEY_FILE_ENV])
        if key_file is None:
            key_file = default_key_path()
            if not key_file.exists():
                create_key_file(key_file)
                created = f"created a new pseudonymization key at {key_file} (mode 0600); keep it"
        key_file = key_file.expanduser().resolve()
        _outside(key_file, out, "key file")
        source = KeySource(path=str(key_file))
        source.load()
    tokens = _token_store(out, given, tokenize)
    return replace(source, token_keys=str(tokens)), created


def _token_store(out: Path | None, given: Path | None, tokenize: bool) -> Path:
    """The run's token key directory, checked, and created and claimed if it will be used."""
    if out is None:  # no local output (a remote one): the given store, or the shared root
        tokens = given or default_token_keys_path().expanduser().resolve()
        if tokenize:
            TokenKeyStore(tokens).init()
        return tokens
    if not tokenize:
        # No key will be made: nothing is written, here or in the output (which gets its id
        # from `bind_output` once the run holds its lock); only where the store would be.
        tokens = given or default_token_keys_path(out).expanduser().resolve()
        _store_outside(tokens, out)
        return tokens
    # The store must exist before the policy is compiled, and is named by the output's id.
    output_id = bind_output(out)
    tokens = given or (default_token_keys_path() / output_id).expanduser().resolve()
    _store_outside(tokens, out)
    store = TokenKeyStore(tokens)
    store.check_owner(output_id)
    store.init()
    store.claim(output_id)
    record_output(tokens, out)  # where the output is, so `keys gc` can tell it is gone
    return tokens


def bind_output(output: Path) -> str:
    """The id of a local output, created if it has none; a store named by the output's path
    (from before outputs had ids) becomes its default store. What every run does before it
    writes: a tokenizing run as it resolves its keys, any other once it holds the lock."""
    output = output.expanduser().resolve()
    output_id = identity.read_or_create(OutputLayout(str(output)))
    adopt_legacy_store(output, output_id)
    return output_id


def _store_outside(tokens: Path, out: Path | None) -> None:
    _outside(tokens, out, "token key directory")
    if out is not None and tokens in out.parents:
        raise KeyConfigError(
            f"output directory must not be inside the token key directory {tokens}"
        )


def _outside(path: Path, out: Path | None, what: str) -> None:
    if out is not None and (path == out or out in path.parents):
        raise KeyConfigError(f"{what} {path} must not be inside the output directory")


def pseudonym_key_locations() -> list[tuple[str, str, bool]]:
    """Where `run` looks for the pseudonym key when given no --key-file, in its order:
    (what, where, whether there is one). The environment variables only when set; never a
    key's content."""
    out = []
    if os.environ.get(KEY_ENV):
        out.append(("environment variable", f"${KEY_ENV}", True))
    if os.environ.get(KEY_FILE_ENV):
        path = Path(os.environ[KEY_FILE_ENV]).expanduser()
        out.append((f"key file (${KEY_FILE_ENV})", str(path), path.is_file()))
    default = default_key_path()
    out.append(("key file (default)", str(default), default.is_file()))
    return out


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
    """Purpose-bound keyed hashes over one master key, and where reversible tokens' keys are
    (`token_store`, None when this process may not make tokens)."""

    def __init__(self, master: bytes, token_store: TokenKeys | None = None) -> None:
        self._master = master
        self.token_store = token_store

    def with_token_store(self, token_store: TokenKeys) -> KeyRing:
        """The same master key with another token key store."""
        return KeyRing(self._master, token_store=token_store)

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
