"""Where a value sits. Structure is evidence: the same string means different things as an
Authorization header, a `sku` in a JSON body, or a sentence in a message body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

# Names that only say "a value of some setting" (`settings.value`, `config.data`): a container,
# not what it holds.
CONTAINER_NAMES = frozenset(
    "value val data content config configuration settings setting options option params "
    "param payload env environment vars variables properties attributes extra custom".split()
)


class FieldKind(StrEnum):
    META = "meta"  # technical parts with a fixed meaning: method, status, sizes, timings
    URL = "url"  # a whole URL
    URL_PATH = "url_path"  # the path of a URL
    HEADER = "header"
    COOKIE = "cookie"
    QUERY = "query"  # a query-string parameter value
    FORM = "form"  # a form-encoded body parameter value
    JSON = "json"  # a leaf of a JSON document (a parsed body, or a generic record)
    TEXT = "text"  # an unstructured body: free text, HTML, or anything not parsed further
    CODE = "code"  # a stylesheet or script body: patterns scan it all, NER its string literals


class FieldRole(StrEnum):
    """What structure says a value is, beyond its name."""

    # A message's sender or recipient address (`from`, `to`, `sender`, `recipient`, `msisdn`
    # of a message record, and everything under them): a phone number, an e-mail address or a
    # handle. An identifier-shaped value here is one, whatever a validator says.
    PARTY = "party"
    # The name of an object whose own type says it is a person (`{"type": "contact", "name":
    # ...}`, Intercom's and Stripe's `object: "customer"`), under whatever parent it sits.
    PERSON_NAME = "person_name"


@dataclass(frozen=True, slots=True)
class FieldContext:
    """`path` is the field's concrete path (`request.headers.authorization`,
    `request.body.customer.email`, `body`); `name` is its last key, lower-cased
    (`authorization`, `email`, `body`), the part most detectors look at. In a name/value pair
    (`{"name": "api_key", "value": "..."}`, a form's `Key=api_key&Value=...`) `name` is the
    pair's name (`api_key`) while `path` stays as written (`settings[3].value`). `role`, when
    set, is what the record's structure says the value is (a message's party address)."""

    path: str
    kind: FieldKind
    name: str = field(default="")
    role: FieldRole | None = field(default=None)
    # Contexts key the per-worker memos, looked up for every field of every record: the hash
    # is computed once. (Made anew when unpickled: a str's hash differs between processes.)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.path, self.kind, self.name, self.role)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[object, ...]:
        return (FieldContext, (self.path, self.kind, self.name, self.role))

    @staticmethod
    def of(
        path: str, kind: FieldKind, label: str | None = None, role: FieldRole | None = None
    ) -> FieldContext:
        if label:
            return FieldContext(path=path, kind=kind, name=label.lower(), role=role)
        name = last_key(path)
        if name in _GENERIC_LEAVES and "." in path:
            # `phone.number`, `phoneNumbers[0].value`, `secret.value`: the key says nothing,
            # its parent says what the value is.
            name = last_key(path.rsplit(".", 1)[0]) or name
        return FieldContext(path=path, kind=kind, name=name, role=role)


# Leaf keys that only say "the value of its parent".
_GENERIC_LEAVES = frozenset(
    ("value", "val", "number", "num", "no", "nr", "numero", "número", "nummer")
)


def last_key(path: str) -> str:
    """The last key of a path, positions dropped, unescaped, lower-cased:
    `request.body.items[2].sku` -> `sku`, `request.form.a%2Eb` -> `a.b`."""
    last = path.rsplit(".", 1)[-1]
    if "[" in last:
        last = last.split("[", 1)[0] or last
    if "%" in last:
        last = last.replace("%2E", ".").replace("%5B", "[").replace("%5D", "]")
        last = last.replace("%25", "%")
    return last.lower()


@lru_cache(maxsize=8192)
def written_name(path: str, name: str) -> str:
    """A field's `name` as its path writes it (`cpfNumber` for `cpfnumber`, `PhoneAreaCode`),
    so that the words of a camelCase key can be told apart; `name` itself when no key of the
    path is it (a pair's label)."""
    for key in reversed(path.split(".")[-4:]):
        if "[" in key:
            key = key.split("[", 1)[0] or key
        if "%" in key:
            key = key.replace("%2E", ".").replace("%5B", "[").replace("%5D", "]")
            key = key.replace("%25", "%")
        if key.lower() == name:
            return key
    return name


def parent_name(path: str) -> str:
    """The key above a field's own, as written, positions dropped (`phone` for
    `request.body.phone.subscriber_number`, `Phones` for `Phones[0].PhoneNumber`)."""
    keys = [k.split("[", 1)[0] or k for k in path.split(".")[-3:]]
    return keys[-2] if len(keys) > 1 else ""


# Where one word of a key ends and the next begins: `_`, `-`, `.`, spaces, and a capital after a
# lower-case letter or a digit (`cpfNumber`), or before one (`SSNNumber`: SSN, Number).
_KEY_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_KEY_SEPARATORS = re.compile(r"[_\-.\s]+")


@lru_cache(maxsize=8192)
def key_tokens(name: str) -> frozenset[str]:
    """A key's words, lower-cased: `smsNumber` -> sms, number; `mobile_no` -> mobile, no; a
    word with a count or a version glued to it as itself and as its letters (`ssn9` -> ssn9,
    ssn: DocuSign's full SSN; `e164`). A key written in lower case alone is split at its
    separators only."""
    words = [t.lower() for t in _KEY_SEPARATORS.split(_KEY_BOUNDARY.sub("_", name[:200])) if t]
    letters = [r for w in words if not w.isalpha() for r in _LETTER_RUNS.findall(w)]
    return frozenset(words + letters)


_LETTER_RUNS = re.compile(r"[^\W\d_]{2,}")


_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8192)
def last_word(name: str) -> str:
    """A key's last word, lower-cased, digits after letters aside: `homePhone2` -> phone,
    `phone_no` -> no, `phone_e164` -> e164, `sms_count` -> count. A period after it is no word
    of its own (`phone_change_count_90d` -> count, `errors_24h` -> errors)."""
    words = _WORDS.findall(_KEY_BOUNDARY.sub(" ", name[:200]))
    for word in reversed(words):
        if word[0].isdigit() and len(word.lstrip("0123456789")) <= 3:
            continue  # a number, or a number and its unit (`90d`, `24h`, `12mo`)
        stripped = word.rstrip("0123456789")
        if stripped:
            return word.lower() if len(stripped) == 1 else stripped.lower()
    return ""
