"""Secrets in text as code and configuration write them: `key=value`, `key: value`,
`"key": "value"`, `key := v`, a comparison, a call with a literal, a command line's flag; and
what a name's words say about a password. Data and small helpers for
`datamin.redactors.credentials`, which judges each pair by its key."""

from __future__ import annotations

import re
from functools import lru_cache

from datamin.redactors._credential_names import ANY_STEM

# `key=value`, `key: value`, `"key": "value"` (also JSON escaped inside a string), `key='value'`,
# and as code writes them: `key := v`, `key => "v"`, a comparison (`if (api_key == "v")`), a call
# or a declaration with a literal (`secret("v")`, `password "v";`, Objective-C's `@"v"`). A
# bare value runs to a space or a separator, brackets inside it included (`m{{h}o)p$`); closers
# it does not open are trimmed off its end (`(token=abc)`).
STEMMED_KEY = rf"([A-Za-z0-9_.\-]{{0,40}}(?i:{ANY_STEM})[A-Za-z0-9_.\-]{{0,40}})"
QUOTED = r"\"((?:[^\"\\\n]|\\.)*)\"|\\\"((?:[^\"\\\n]|\\[^\"\n])*)\\\"|'([^'\n]*)'|`([^`\n]*)`"
PAIR = (
    r"(?:^|[^A-Za-z0-9_.\-])"
    + STEMMED_KEY
    + r"\\?[\"']?\]?[ \t]*(?:===?|!==?|:=|=>|[:=])[ \t]*"
    # a YAML tag before the value is the value's type, not the value (`!!binary MjNj...`)
    + r"(?:!{1,2}[A-Za-z][A-Za-z0-9_]*[ \t]+)?"
    + rf"(?:@?(?:{QUOTED})|([^\s\"'`&;,\\]+))"
)
# A literal after the name with no sign between or a dash (`secret("v")`, `password "v";`,
# `token - 'v'`), before it (`if ("v" == password)`), a command line's flag (`--api-key v`),
# a table's cell (`apiKey | v`, which must look random: a header row is words), and an XML
# element in text (`<secret>v</secret>`, its closing tag checked by the caller: RE2 has no
# back-references).
PAIR_LITERAL = r"(?:^|[^A-Za-z0-9_.\-])" + STEMMED_KEY + rf"(?:\(|[ \t]+(?:-[ \t]+)?)(?:{QUOTED})"
PAIR_REVERSED = rf"(?:{QUOTED})[ \t]*(?:===?|!==?)[ \t]*{STEMMED_KEY}"
FLAG = r"(?:^|\s)--" + STEMMED_KEY + r"[ \t]+([^\s\"'`\-][^\s\"'`]*)"
PAIR_CELL = r"(?:^|[^A-Za-z0-9_.\-])" + STEMMED_KEY + r"[ \t]*\|[ \t]*([^\s|]+)"
PAIR_ELEMENT = r"<" + STEMMED_KEY + r"(?:\s[^<>]*)?>([^<]{1,1000})</([A-Za-z0-9_.\-:]+)>"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
# A name's words: split at separators and where a lower-case letter meets a capital.
_NAME_WORDS = re.compile(r"[\s_.\-]+|(?<=[a-z])(?=[A-Z])")
PASSWORD_INFIXES = ("password", "passwd", "passphrase")
_FLAGS = frozenset(
    ("true", "false", "yes", "no", "on", "off", "none", "null", "enabled", "disabled")
)
# A count or a length (a PIN has four digits or more) and a date or a time.
_NUMBER_OR_DATE = re.compile(r"\d{1,3}|\d{4}-\d\d-\d\d(?:[T ][\d:.]+)?(?:Z|[+\-]\d\d:?\d\d)?")


@lru_cache(maxsize=4096)
def names_a_password(raw: str) -> bool:
    """A name with a password's word among its words (`my_pwd_2`) or a short one last
    (`db_pass`, `cloudant_pw`, `card_pin`): `bypass` and `passenger` are one word. (`password`,
    `passwd` and `passphrase` count anywhere in a name, words or not: `mypasswordsec`.)"""
    words = [w.lower() for w in _NAME_WORDS.split(raw) if w]
    return bool({"pwd", "pswd"} & set(words)) or (
        len(words) > 1 and words[-1] in ("pass", "pw", "pwd", "pin")
    )


def says_what(value: str) -> bool:
    """A value that says something about a password rather than being one: a flag, a count, a
    date (`password_required: true`, `password_min_length=12`, `password_changed_at=2024-..`)."""
    return value.lower() in _FLAGS or _NUMBER_OR_DATE.fullmatch(value) is not None


def a_selectors_state(text: str, start: int) -> bool:
    """A bare value after `:` at `start` that is a CSS pseudo-class or pseudo-element whose
    selector runs on, without a blank, to a rule's declarations (`.fa-user-secret:before{content:`,
    `.password:focus,.password:hover{color:`): a style rule's selector, whose class names a
    credential, not a pair. (`password:root`, `password:hover, user=bob` are pairs.)"""
    if text[start - 1 : start] != ":":
        return False
    stop = min(len(text), start + 200)  # a selector's own length, not a minified sheet's
    blank = _BLANK.search(text, start, stop)
    selector = text[start : blank.start() if blank else stop]
    return _PSEUDO.match(selector) is not None and _DECLARES.search(selector) is not None


_BLANK = re.compile(r"\s")
_DECLARES = re.compile(r"\{[A-Za-z\-]+:")  # a rule's first declaration: `{color:`
# CSS Selectors' pseudo-classes and pseudo-elements, then what follows one in a selector.
_PSEUDO = re.compile(
    r":?(?:hover|focus(?:-within|-visible)?|active|visited|link|before|after|(?:first|last|only)"
    r"-(?:child|of-type)|nth-(?:last-)?(?:child|of-type)|not|is|where|has|disabled|enabled|"
    r"checked|placeholder(?:-shown)?|selection|first-(?:letter|line)|root|empty|target|valid|"
    r"invalid|required|optional|read-(?:only|write)|autofill|marker|backdrop)[({,:.\[>+~]"
)


def trimmed(value: str) -> str:
    """A bare value without the period that ends its sentence or the closers it did not open."""
    while value and (
        value[-1] == "."
        or (value[-1] in _CLOSERS and value.count(value[-1]) > value.count(_CLOSERS[value[-1]]))
    ):
        value = value[:-1]
    return value
