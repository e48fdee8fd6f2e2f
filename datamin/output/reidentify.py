"""`datamin reidentify`: reversible tokens read back into the values they replaced.

This is the one place where datamin hands values back, on purpose: to whoever holds the token
keys (an investigator with a legal basis, a data subject's access request). A token is
`<prefix><class>_<yyyymmdd>_<base64url AES-SIV>`; its class and date name the key, which
`TokenKeyStore` keeps per (class, date). After disposal has deleted that key, the token is
unrecoverable, and says so: "key disposed" only when the output's disposal records (or an
unfinished disposal's intent) name that key, else "no key for this class and day in the
store" (a wrong output or store, a key never made). Errors name a token's position, never the
token or a value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from datamin.errors import DataminError, InputError, KeyConfigError, TokenError
from datamin.output.layout import DISPOSALS, INTENT
from datamin.output.nofollow import FILE, Root
from datamin.output.tokenkeys import TokenKeyStore, check_day, check_retention
from datamin.redactors.entities import CREDENTIALS, ENTITIES
from datamin.redactors.operators.tokenize import associated_data

_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,14}_")
_PERIOD = re.compile(r"(?=_(\d{4})(\d{2})(\d{2})_)")  # overlapping: every candidate
_B64URL = re.compile(r"^[A-Za-z0-9_-]+$")
_SIV_BYTES = 16  # every AES-SIV ciphertext starts with its 16-byte synthetic IV

DISPOSED = "unrecoverable: key disposed"
NO_KEY = "unrecoverable: no key for this class and day in the store"
UNAUTHENTIC = "unrecoverable: no key of its period authenticates it"
_MAX_RECORD = 1 << 20  # a disposal record is a few KiB; a larger file is not one

# Without --entity, tokens are tried as made by a rule naming no entity, then each entity a
# rule may name (credentials are never tokenized). A policy's own entities need --entity.
DEFAULT_ENTITIES: tuple[str, ...] = ("", *(e for e in ENTITIES if e not in CREDENTIALS))


@dataclass(frozen=True, slots=True)
class Reidentified:
    token: str
    value: str | None  # None when the token cannot be read back
    reason: str | None = None  # why not: DISPOSED, NO_KEY or UNAUTHENTIC


@dataclass(frozen=True, slots=True)
class _Reading:
    """One way to read a token: its class, day and sealed bytes. Usually the only way; a class
    name with `_<8 digits>_` in it could make two."""

    retention: str
    day: str
    sealed: bytes


def parse_token(token: str, where: str) -> list[_Reading]:
    """Every reading of a token; a `TokenError` naming `where` (never the token) if it has none."""
    prefix = _PREFIX.match(token)
    readings = []
    rest = token[prefix.end() :] if prefix else ""
    for m in _PERIOD.finditer(rest) if prefix else ():
        retention, sealed = rest[: m.start()], _decode(rest[m.start() + 10 :])
        day = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        try:
            check_retention(retention)
            check_day(day)
        except KeyConfigError:
            continue
        if sealed is not None:
            readings.append(_Reading(retention, day, sealed))
    if not readings:
        raise TokenError(f"{where} is not a datamin token (prefix_class_yyyymmdd_base64url)")
    return readings


def _decode(text: str) -> bytes | None:
    if not _B64URL.match(text) or len(text) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    # Canonical only: one token, one spelling.
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != text or len(raw) < _SIV_BYTES:
        return None
    return raw


def reidentify(
    tokens: Sequence[tuple[str, str]],
    store: TokenKeyStore,
    entities: Sequence[str] | None = None,
    *,
    output: Path | None = None,
) -> list[Reidentified]:
    """Each token read back with its period's key: `tokens` are (token, where it came from)
    pairs, `where` naming it in errors (`argument 2`, `line 7 of tokens.txt`). Every token is
    parsed before any is read, so a malformed one fails the whole call. A token without a key
    is DISPOSED only if the audits of `output` (the store's output) record that key's
    disposal; without them, NO_KEY."""
    if not store.root.is_dir():
        raise KeyConfigError(f"no token-key store at {store.root} (it does not exist)")
    parsed = [(token, parse_token(token, where)) for token, where in tokens]
    tried = tuple(entities) if entities else DEFAULT_ENTITIES
    ciphers: dict[tuple[str, str], AESSIV | None] = {}
    disposed: frozenset[tuple[str, str]] | None = None  # read once, when first needed
    out = []
    for token, readings in parsed:
        value, had_key = None, False
        for r in readings:
            at = (r.retention, r.day)
            if at not in ciphers:
                key = store.key_for(r.retention, r.day, create=False)
                ciphers[at] = AESSIV(key) if key is not None else None
            cipher = ciphers[at]
            if cipher is None:
                continue
            had_key = True
            value = _open(cipher, r.sealed, tried)
            if value is not None:
                break
        if value is not None:
            out.append(Reidentified(token, value))
        elif had_key:
            out.append(Reidentified(token, None, UNAUTHENTIC))
        else:
            if disposed is None:
                disposed = disposed_keys(output) if output is not None else frozenset()
            gone = any((r.retention, r.day) in disposed for r in readings)
            out.append(Reidentified(token, None, DISPOSED if gone else NO_KEY))
    return out


def disposed_keys(output: Path) -> frozenset[tuple[str, str]]:
    """The (class, day) token keys the output's disposals deleted: each record's
    `token_keys_deleted`, and the keys an unfinished disposal's intent plans to delete (a
    killed dispose deletes keys before it writes its record). Read without following a link
    inside the output; what cannot be read counts for nothing."""
    found: set[tuple[str, str]] = set()
    try:
        root = Root(output)
    except OSError:
        return frozenset()
    with root:
        for name, kind in root.entries(DISPOSALS):
            if kind != FILE or name.startswith(".") or not name.endswith(".json"):
                continue
            with root.open_file(f"{DISPOSALS}/{name}") as f:
                raw = f.read(_MAX_RECORD + 1) if f is not None else b""  # type: ignore[attr-defined]
            try:
                body = json.loads(raw) if 0 < len(raw) <= _MAX_RECORD else None
            except ValueError:
                continue
            if not isinstance(body, dict):
                continue
            if name.endswith(INTENT):
                plan = body.get("plan")
                names = plan.get("token_keys") if isinstance(plan, dict) else None
            else:
                names = None if body.get("dry_run") else body.get("token_keys_deleted")
            for key in names if isinstance(names, list) else ():
                cls, _, day = str(key).partition("/")
                try:
                    found.add((check_retention(cls), check_day(day)))
                except DataminError:
                    continue
    return frozenset(found)


def _open(cipher: AESSIV, sealed: bytes, entities: Iterable[str]) -> str | None:
    for entity in entities:
        try:
            plain = cipher.decrypt(sealed, associated_data(entity))
        except InvalidTag:
            continue
        try:
            return plain.decode()
        except UnicodeDecodeError:
            return None
    return None


def read_tokens(source: str) -> list[tuple[str, str]]:
    """Tokens from a file, one a line (`-`: standard input); blank lines skipped."""
    try:
        if source == "-":
            text = sys.stdin.read()
            name = "standard input"
        else:
            text = Path(source).read_text(encoding="utf-8")
            name = source
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"cannot read {source} ({type(exc).__name__})") from None
    return [
        (line.strip(), f"line {i} of {name}")
        for i, line in enumerate(text.splitlines(), 1)
        if line.strip()
    ]


def format_line(result: Reidentified) -> str:
    """`token<TAB>value`, one line per token: a backslash, tab, CR or LF in the value is written
    `\\\\`, `\\t`, `\\r`, `\\n`."""
    if result.value is None:
        return f"{result.token}\t({result.reason})"
    value = (
        result.value.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
    )
    return f"{result.token}\t{value}"
