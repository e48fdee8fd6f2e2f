"""Secrets of no known family: random tokens judged by length, alphabet and entropy together.

A key from a provider no table knows is still a long run of upper and lower case letters and
digits with nothing a person wrote in it. Look-alikes share some of that and lose on one count:
UUIDs, hex hashes, ULIDs and ObjectIds have one letter case; ids carry a word prefix (`cus_`,
`cs_test_`, `SM` + hex); base64 payloads decode to text or images; paths and camelCase names
are words. In a neutral field a token of 32 or more such characters is a credential; in free
text the bar is the same length with a higher entropy, because logs are full of ids.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Iterator

from datamin import quiet_re2
from datamin.redactors._validators import squash
from datamin.redactors.context import CONTAINER_NAMES

# A value judged whole is one run of base64/base64url characters.
RUN = r"[A-Za-z0-9+/_\-]{20,}={0,2}"
# In text, a candidate is such a run with a digit and 16 characters free of `-` in it: UUIDs
# (12 at most), dates, dashed slugs and CamelCase class names are never candidates, so a log
# line full of them costs no scan. The sign, in the detector's prefilter set, is the same
# without `/` in the stretch, so `application/json` and paths of short words never hint.
_ANY = r"[A-Za-z0-9+/_\-]*"
_STRETCH = r"[A-Za-z0-9+/_]{16}"
_CANDIDATE = rf"{_ANY}(?:{_STRETCH}{_ANY}[0-9]|[0-9]{_ANY}{_STRETCH}){_ANY}={{0,2}}"
SIGN = rf"[A-Za-z0-9+_]{{16}}{_ANY}[0-9]|[0-9]{_ANY}[A-Za-z0-9+_]{{16}}"
# Scores: above `redact_only`'s 0.5 only on strong evidence (32+ random characters); a shorter
# random value (a KSUID is 27) gets no finding at all, so ids of that size stay.
FIELD_SCORE, TEXT_SCORE = 0.6, 0.55
_MAX_LENGTH = 300  # longer runs are payloads (images, blobs), not keys
_HEX = frozenset("0123456789abcdefABCDEF")
# Field names whose random values are ids, hashes, cursors or public values, never credentials.
# (`data`, `content`, `payload` are not among them: a random token there is as secret as
# anywhere; a payload of text or an image is spared by what it decodes to.)
_KEEP_WORDS = (
    "hash",
    "digest",
    "checksum",
    "sha",
    "md5",
    "crc",
    "etag",
    "integrity",
    "fingerprint",
    "cursor",
    "nonce",
    "commit",
    "revision",
    "version",
    "url",
    "uri",
    "href",
    "path",
    "file",
    "image",
    "img",
    "avatar",
    "icon",
    "thumbnail",
    "base64",
    "trace",
    "span",
    "request",
    "correlation",
    "slug",
    "sku",
    "order",
    "page",
    "next",
    "continuation",
    "marker",
    "public",
    "thumbprint",
    "salt",
    "challenge",
    "state",
)
# Whole names: the public parts of a JSON Web Key, an IV; `d`, `p`, `q` (private) are not here.
_KEEP_NAMES = frozenset(("x", "y", "n", "e", "iv", "x5t", "x5tS256"))
# A short lower-case word and `_`/`-` before the random part: an object id (`cus_`, `pi_`,
# `cs_test_`, `txn-`), unless the word itself says secret.
_PREFIX = quiet_re2.compile(r"([a-z]{2,12}[0-9]{0,3}[_\-])+")
_SECRET_PREFIXES = ("sk", "rk", "key", "secret", "token", "tok", "pat", "api", "pw", "pass", "auth")
_WHOLE_TOKEN = quiet_re2.compile(RUN)
# pyre2 maps each match's byte offsets back to characters by rescanning the text; on ASCII text
# (nearly every log) the bytes pattern gives character offsets directly, several times faster.
_CANDIDATES = quiet_re2.compile(_CANDIDATE)
_CANDIDATES_ASCII = quiet_re2.compile(_CANDIDATE.encode())
# The label a log writes before a value: `name: `, `name=`, `"name": "`.
_LABEL = quiet_re2.compile(r"([A-Za-z][A-Za-z0-9_.\-]{0,40})[\"']?[ \t]*[:=][ \t]*[\"']?$")
_WORDS = quiet_re2.compile(r"[A-Z]?[a-z]{4,}")
_ULID = quiet_re2.compile(r"[0-7][0-9A-HJKMNP-TV-Z]{25}")
_LETTER_RUNS = quiet_re2.compile(r"[A-Za-z]+")
_DIGIT_RUNS = quiet_re2.compile(r"[0-9]+")
_SEPARATED = re.compile(r"[-_]")
_IMAGE_MAGIC = ("iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR", "PHN2Zy")  # PNG, JPEG, GIF, WEBP, SVG
_PAYLOAD_BEFORE = ("base64,", "sha256:", "sha1:", "sha512:", "sha384:", "md5:", "sha256=")


def keeps_name(name: str) -> bool:
    """Names whose values are ids, hashes or payloads: a random value there stays."""
    key = squash(name)
    if key.endswith(("id", "ids", "ref")) or name in _KEEP_NAMES:
        return True
    parts = name.lower().replace("_", "-").replace(".", "-").split("-")
    return "id" in parts or any(word in key for word in _KEEP_WORDS)  # `x-amz-id-2`


_KEY_HEX = quiet_re2.compile(
    r"[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64}"
)


def container_key(value: str, name: str) -> bool:
    """A whole value in a field that only says "the value of a setting" (`settings.value`,
    `config.data`) that is a key as often as anything else, so it goes (fail closed): 32, 40 or
    64 hex digits (a hash elsewhere), or 20+ random letters and digits of one case (a secret
    scanner's `[a-z0-9]{32}`; mixed case is `field_score`'s). Hex of other lengths (ObjectIds),
    ULIDs and words joined by `_` or `-` stay. Under any name that says what it holds
    (`checksum`, `commit`, a pair's `build`, an `id`) none of this applies."""
    if name not in CONTAINER_NAMES or not 20 <= len(value) <= _MAX_LENGTH:
        return False
    if len(value) in (32, 40, 64) and _KEY_HEX.fullmatch(value):
        return True
    if not (value.islower() or value.isupper()) or not is_token(value):
        return False
    if all(c in _HEX for c in value if c.isalnum()) or _ULID.fullmatch(value):
        return False
    # Random: digits spread through it (a run of them per ten characters, three at least), no
    # letter run of a sentence's length, and not a slug: parts between `-` and `_` that are
    # words or numbers (`order-2024-11-confirmation`) make most of a slug, few of a key.
    if sum(len(p) for p in _SEPARATED.split(value) if p.isalpha() or p.isdigit()) * 2 >= len(value):
        return False
    runs = _LETTER_RUNS.findall(value)
    return (
        len(_DIGIT_RUNS.findall(value)) >= max(3, len(value) // 10)
        and max(map(len, runs), default=0) <= 20
        and entropy(value) >= 3.7
    )


def is_token(value: str) -> bool:
    """One run of token characters, nothing around it: a value to judge whole."""
    return _WHOLE_TOKEN.fullmatch(value) is not None


def field_score(value: str) -> float:
    """The score of a whole field value as a credential of no known family; 0 when it is none."""
    if not 20 <= len(value) <= _MAX_LENGTH or value.islower() or value.isupper():
        return 0.0
    if not is_token(value):
        return 0.0  # spaces, `:` or `.`: a sentence, a URL, an ARN, a timestamp
    return FIELD_SCORE if _strength(value) >= 32 else 0.0


def in_text(text: str) -> Iterator[tuple[int, int, float]]:
    """(start, end, score) of each random token in free text: 32+ characters, high entropy."""
    if text.isascii():
        spans = [m.span() for m in _CANDIDATES_ASCII.finditer(text.encode("ascii"))]
    else:
        spans = [m.span() for m in _CANDIDATES.finditer(text)]
    for start, end in spans:
        if end - start < 32 or end - start > _MAX_LENGTH:
            continue
        token = text[start:end]
        if (
            token.islower()
            or token.isupper()
            or text[max(0, start - 7) : start].endswith(_PAYLOAD_BEFORE)
        ):
            continue
        if (start and text[start - 1] in ".:@") or (end < len(text) and text[end] in ".@"):
            continue  # a piece of a domain, a URL or an address: judged by other rules
        if _strength(token, long_entropy=4.2) >= 32:
            label = _LABEL.search(text[max(0, start - 48) : start])
            if label is None or not keeps_name(label.group(1)):  # `X-Amz-Cf-Id: ...` stays
                yield start, end, TEXT_SCORE


def _strength(token: str, long_entropy: float = 4.0) -> int:
    """The length of the random part of a token when it passes every look-alike test, else 0."""
    body = token
    m = _PREFIX.match(token)
    if m:
        prefix = token[: m.end()]
        if not any(p in prefix for p in _SECRET_PREFIXES):
            return 0  # `cus_...`, `cs_test_...`: an object id
        body = token[m.end() :]
    if ("/" in body or "-" in body) and _pathlike(body):
        return 0
    body = body.rstrip("=")
    if len(body) < 20 or not _three_classes(body):
        return 0
    stripped = body.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if len(body) - len(stripped) <= 4 and set(stripped) <= _HEX:
        return 0  # `SM` + hex: a Twilio message SID and its kin
    if wordy(body) or body.startswith(_IMAGE_MAGIC) or _decodes_to_text(token):
        return 0
    threshold = 3.5 if len(body) < 32 else long_entropy
    return len(body) if entropy(body) >= threshold else 0


def _three_classes(token: str) -> bool:
    """Upper and lower case letters, and digits or base64's own `+` and `/` (a 40-character
    key has no digit about once in a thousand)."""
    upper = lower = digit = False
    for c in token:
        if c.isdigit() or c in "+/":
            digit = True
        elif c.isupper():
            upper = True
        elif c.islower():
            lower = True
    return upper and lower and digit


def entropy(token: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(token)
    return math.log2(n) - sum(k * math.log2(k) for k in map(token.count, set(token))) / n


def wordy(token: str, share: float = 0.65) -> bool:
    """CamelCase names and words glued together: most characters (`share`) sit in runs of 4+
    lower-case letters (`Production`, `order`), which random text rarely makes (about 1 in 8
    characters)."""
    return sum(len(m.group()) for m in _WORDS.finditer(token)) >= share * len(token)


def _pathlike(token: str) -> bool:
    """Paths and dashed names name things: their segments between `/` or `-` are words (`lib/`,
    `orders`, `Linux-node-modules-<hash>`). One short word alone counts only where a path puts
    its words, first (`lib/...`) or, five letters or more, last (`.../download`): random base64
    splits at its `/` into short letter runs by chance (`...KU+ryurFH/blx`, `...fDg/Rzjt`,
    `Bkd/rBq...`: a first word shorter than five letters counts in lower case only)."""
    words = []
    parts = token.split("/")
    for i, part in enumerate(parts):
        pieces = part.split("-")
        need = 3 if len(pieces) == 1 else 4  # `lib/`, but `-abc-` is too often chance
        for seg in pieces:
            if len(seg) >= need and seg.isalpha() and (seg.islower() or seg.istitle()):
                words.append((i, len(pieces) > 1, len(seg), seg.islower()))
    if len(words) >= 2:
        return True
    if not words:
        return False
    at, dashed, size, lower = words[0]
    return dashed or (at == 0 and (lower or size >= 5)) or (at == len(parts) - 1 and size >= 5)


def _decodes_to_text(token: str) -> bool:
    """Base64 of readable text (a small payload, JSON, a name): data, not a key."""
    padded = token + "=" * (-len(token) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    return decoded.isprintable() or all(c.isprintable() or c in "\r\n\t" for c in decoded)
