"""Record kinds: the shapes records come in, whatever file held them. A kind says how a record
is recognized by its content, how it is parsed and checked when a format vouches for it, and
how it is taken apart into fields; its name is the policy's `sources` section that applies
(`policies.model.SOURCE_KINDS`).

Kinds are tried in the order of `KINDS`, one line each ("module:Class"); the last, any JSON
object, takes what no other claims. A format whose records are all of one kind declares it
(`Format.kind`: a HAR file's entries are HAR entries); other records are judged by content.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any, Protocol

from datamin.core import strictjson
from datamin.core.structure import Field, Walker, json_type
from datamin.errors import InputError
from datamin.policies.model import Limits
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind, FieldRole

KINDS: tuple[str, ...] = (
    # First: a Kong record has a request with a method and a URL too, but not a HAR entry's
    # name/value lists; each gateway is known by keys a HAR entry or a message never has.
    "datamin.formats.exchange:ApiExchange",
    "datamin.formats.har_entry:HarEntry",
    "datamin.formats.kinds:Message",
    "datamin.formats.kinds:JsonRecord",
)


class RecordKind(Protocol):
    name: str  # the policy's `sources` section for it: one of `SOURCE_KINDS`

    def matches(self, record: dict[str, Any]) -> bool:
        """Whether a record no format vouched for is of this kind, judged by its content."""
        ...

    def parse(self, data: bytes) -> Any:
        """The record's value; raises `orjson.JSONDecodeError` when it is not JSON."""
        ...

    def problem(self, record: Any) -> str | None:
        """Why a parsed record a format vouched for is not of this kind (no values in it)."""
        ...

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        """Walk the record, adding each of its fields to `w`."""
        ...


class JsonRecord:
    """Any JSON object, flattened by key."""

    name = "json"

    def matches(self, record: dict[str, Any]) -> bool:
        return True

    def parse(self, data: bytes) -> Any:
        return strictjson.loads(data)

    def problem(self, record: Any) -> str | None:
        return None

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        w.json("", record, FieldKind.JSON)


_MESSAGE_TEXT = ("body", "text", "message", "content")
_MESSAGE_PARTY = ("from", "to", "sender", "recipient", "author", "user", "channel")
# A message's keys whose values are party addresses (a phone number, an e-mail, a handle),
# squashed (`from_number` -> `fromnumber`); everything under them carries the role.
_PARTY_ADDRESS = frozenset(
    "from to sender recipient msisdn originator destination replyto cc bcc fromnumber tonumber "
    "senderid senderaddress recipientaddress sendernumber recipientnumber".split()
)


class Message(JsonRecord):
    """An object with a text body (`body`, `text`, `message` or `content`) and a party (`from`,
    `to`, `sender`, `recipient`, `author`, `user`, `channel`): SMS, chat, e-mail logs."""

    name = "messages"

    def matches(self, record: dict[str, Any]) -> bool:
        has_text = any(isinstance(record.get(k), str) for k in _MESSAGE_TEXT)
        return has_text and any(record.get(k) is not None for k in _MESSAGE_PARTY)

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        for key, value in record.items():
            party = key.replace("_", "").replace("-", "").lower() in _PARTY_ADDRESS
            role = FieldRole.PARTY if party else None
            # A message's text is an unstructured body, read as one (a JSON or form string in
            # it is still parsed as such).
            kind = FieldKind.TEXT if key in _MESSAGE_TEXT else FieldKind.JSON
            w.json(join("", str(key)), value, kind, 1, None, role)


def kinds() -> tuple[RecordKind, ...]:
    return _load(KINDS)


@cache
def _load(specs: tuple[str, ...]) -> tuple[RecordKind, ...]:
    loaded = []
    for spec in specs:
        module, _, cls = spec.partition(":")
        loaded.append(getattr(importlib.import_module(module), cls)())
    return tuple(loaded)


def kind_of(record: dict[str, Any]) -> RecordKind:
    """The first kind whose content test the record passes (any object is `json`)."""
    for kind in kinds():
        if kind.matches(record):
            return kind
    raise AssertionError("the last kind takes every record")  # pragma: no cover


def kind_named(name: str) -> RecordKind | None:
    return next((k for k in kinds() if k.name == name), None)


def record_fields(record: Any, limits: Limits, kind: RecordKind | None = None) -> list[Field]:
    """The fields of one record, walked as `kind` (by default, the kind its content says)."""
    if not isinstance(record, dict):
        raise InputError(f"a record must be a JSON object, not {json_type(record)}")
    walker = Walker(limits)
    (kind or kind_of(record)).fields(walker, record)
    return walker.fields
