"""Email addresses written so that harvesters miss them: `jane [at] example [dot] com`,
`jane(at)example(dot)com`, `jane at example dot com`, and the address's top-level domain told
apart from a file name's extension (`jane@example.com.pdf`).

A bracketed `[at]`, `(at)`, `{at}` or `<at>` (or `[dot]`...) is written for no other purpose,
so it is an address wherever it stands. The bare words are prose too ("meet at noon. dot the
i's"), so a form without brackets counts only when a mail word ("email", "e-mail", "mail",
"contact", "write to") stands within a short window of it or names its field. Either way the
last label must be a real top-level domain (the public suffix list tldextract ships), which is
what rules out "at noon dot the". Nothing here logs or raises with a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import re2

from datamin import quiet_re2

__all__ = [
    "BARE_SIGN",
    "BRACKET_SIGN",
    "ObfuscatedEmails",
    "known_tld",
    "mail_word_in",
    "says_mail",
]

# The detector's cheap signs (RE2 set members, see patterns.py).
BRACKET_SIGN = r"(?i)[\[({<]\s*(?:at|dot|@|\.)\s*[\])}>]"
BARE_SIGN = r"(?i)\s(?:at|@|dot)\s"

_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT = rf"(?:\s*{_OPEN}\s*(?i:at|@)\s*{_CLOSE}\s*|\s+(?i:at)\s+|\s*@\s*)"
_DOT = rf"(?:\s*{_OPEN}\s*(?i:dot|\.)\s*{_CLOSE}\s*|\s+(?i:dot)\s+|\.)"
_WORD = r"[\p{L}\p{N}_%+\-']+"
_LABEL = r"[\p{L}\p{N}\-]+"
# A bounded count of words: retrying after a rejected candidate reads each word a few times at
# most, so the scan stays linear in the text. (Counted repeats inside counted repeats make RE2
# refuse the pattern as too large; lengths are checked after the match.)
_ADDRESS = rf"({_WORD}(?:{_DOT}{_WORD}){{0,4}})({_AT})({_LABEL}(?:{_DOT}{_LABEL}){{0,5}})\b"
_BRACKET = quiet_re2.compile(rf"{_OPEN}\s*(?i:at|dot|@|\.)\s*{_CLOSE}")
_MAIL_WORDS = quiet_re2.compile(r"(?i)mail|contact|write\s+(?:to|at)")
_WINDOW_BEFORE = 48  # chars before a bare candidate a mail word may stand in
_WINDOW_AFTER = 24
_MAX_CANDIDATE = 1024  # chars: longer than any address, obfuscated or not
_DOTS = quiet_re2.compile(rf"{_DOT}")

BRACKETED_SCORE = 0.95
BARE_SCORE = 0.85


@lru_cache(maxsize=1)
def _tlds() -> frozenset[str]:
    """Every top-level domain of the public suffix list snapshot tldextract ships (read once,
    offline: no URL, no cache directory)."""
    import tldextract

    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return frozenset(s.rsplit(".", 1)[-1].lower() for s in extract.tlds)


def known_tld(label: str) -> bool:
    return label.lower() in _tlds()


class ObfuscatedEmails:
    """Built once per detector; stateless; thread-safe."""

    def __init__(self) -> None:
        self._address = quiet_re2.compile(_ADDRESS)

    def find(self, text: str, field_says_mail: bool) -> Iterator[tuple[int, int, float]]:
        """(start, end, score) of each obfuscated address. `field_says_mail`: the field's name
        is a mail word, which counts as one in every window."""
        done = 0
        for m in self._address.finditer(text):
            if m.start() < done:
                continue  # inside an address a retry below already took
            score = self._judge(text, m, 0, field_says_mail)
            if score:
                yield m.start(), m.end(), score
                done = m.end()
                continue
            # The next word may start a real address inside this candidate ("me at jane dot
            # doe at example dot com"). Each retry reads a bounded slice: RE2's Python wrapper
            # encodes the whole string on every call, so searching the text again from each
            # word would be quadratic in it.
            start, limit = m.start(), m.end()
            while (start := _next_word(text, start)) < limit:
                window = text[start : start + _MAX_CANDIDATE]
                r = self._address.search(window)
                if r is None or start + r.start() >= limit:
                    break  # a candidate after this one: `finditer` reaches it
                truncated = r.end() == len(window) and start + len(window) < len(text)
                score = 0.0 if truncated else self._judge(text, r, start, field_says_mail)
                if score:
                    yield start + r.start(), start + r.end(), score
                    done = start + r.end()
                    break
                start += r.start()

    def _judge(self, text: str, m: re2._Match, offset: int, field_says_mail: bool) -> float:
        """The score of candidate `m` (found at `offset` in `text`), or 0 when it is none."""
        domain = m.group(3)
        at = m.group(2)
        labels = [part for part in _DOTS.split(domain) if part]
        local = m.group(1)
        if (
            len(labels) < 2
            or not labels[-1].isalpha()
            or not known_tld(labels[-1])
            or len(local) > 64 * 4
            or any(len(label) > 63 or label[0] == "-" or label[-1] == "-" for label in labels)
        ):
            return 0.0
        bracketed = _BRACKET.search(m.group()) is not None
        if not bracketed and at == "@" and _DOTS.sub(".", domain) == domain:
            # `jane@example.com` written plainly: the pattern detector's own business, unless
            # the local part was obfuscated (`jane dot doe@example.com`).
            if _DOTS.sub(".", local) == local:
                return 0.0
        if bracketed or _shouted(at, domain):
            return BRACKETED_SCORE
        if (
            at == "@"  # `jane dot doe@example.com`: the `@` itself says address
            or field_says_mail
            or _mail_word_near(text, offset + m.start(), offset + m.end())
            or _MAIL_WORDS.search(domain) is not None  # `jane at gmail dot com`
        ):
            return BARE_SCORE
        return 0.0


_SHOUTED_DOT = quiet_re2.compile(r"\s+DOT\s+")
_ANY_DOT_WORD = quiet_re2.compile(r"(?i)\s+dot\s+")


def _shouted(at: str, domain: str) -> bool:
    """`AT` and every `DOT` in capitals between words in lower case (`tom_h AT proton DOT me`):
    set apart as a bracket sets them, for no other purpose than an address; prose in capitals
    writes its other words so too (`MEET AT NOON DOT COM`)."""
    if at.strip() != "AT" or not any(c.islower() for c in domain):
        return False
    dots = len(_ANY_DOT_WORD.findall(domain))
    return dots > 0 and len(_SHOUTED_DOT.findall(domain)) == dots


def _mail_word_near(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - _WINDOW_BEFORE) : start]
    after = text[end : end + _WINDOW_AFTER]
    return _MAIL_WORDS.search(before) is not None or _MAIL_WORDS.search(after) is not None


def _next_word(text: str, start: int) -> int:
    """The start of the word after the one at `start`."""
    i = start
    n = len(text)
    while i < n and (text[i].isalnum() or text[i] in "_%+-'"):
        i += 1
    return i + 1 if i < n else n


@lru_cache(maxsize=1024)
def says_mail(name: str) -> bool:
    """A field named for mail (`email`, `contact_email`, `reply_to_mail`)."""
    return _MAIL_WORDS.search(name) is not None


def mail_word_in(text: str) -> bool:
    return _MAIL_WORDS.search(text) is not None
