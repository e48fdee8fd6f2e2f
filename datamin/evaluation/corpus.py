"""The labelled corpus `datamin eval` measures on: the sample generator's API traffic and messages,
plus copies of some of them carrying a fresh value in an encoded or hidden form.

Every planted value is a `Label`: its entity, its decoded value, the `form` it was written in and
the text as written. The hidden values are new (they occur nowhere else in the corpus), so a leak
of one is a leak of that form and not of the same value written plainly elsewhere.
"""

from __future__ import annotations

import base64
import copy
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stdnum import luhn

from datamin.sample import Lookalike, _iter_har, _iter_messages, write_har
from datamin.sample.values import Fakes

PLAIN = "plain"
HAR, MESSAGES = "har", "messages"
_FIRST = "Rowan Ines Tobias Leila Marek Sunniva Dario Keiko".split()
_LAST = "Ashby Brandt Calloway Dunmore Esposito Falk Guerrero Halloran".split()
_FULL_WIDTH = {ord("0") + d: 0xFF10 + d for d in range(10)}  # NFKC folds these back to ASCII


@dataclass(frozen=True)
class Label:
    """A planted value: `value` decoded, `written` as it sits in the record (equal when plain)."""

    entity: str
    value: str = field(repr=False)
    form: str
    where: str
    written: str = field(repr=False)


@dataclass(frozen=True)
class EvalRecord:
    source: str  # HAR or MESSAGES
    record: dict[str, Any]
    planted: tuple[Label, ...]
    lookalikes: tuple[Lookalike, ...]


@dataclass(frozen=True)
class EvalCorpus:
    """What `build_corpus` wrote. `records` is in the order evaluation prefixes are taken: HAR
    entries and messages interleaved, each hidden-form copy right after its original."""

    root: Path
    har_path: Path
    messages_path: Path
    records: list[EvalRecord]
    seed: int
    har_entries: int
    messages: int

    @property
    def files(self) -> list[Path]:
        return [p for p in (self.har_path, self.messages_path) if p.exists()]

    @property
    def hidden(self) -> int:
        """Records that are hidden-form copies."""
        return len(self.records) - self.har_entries - self.messages

    def write_subset(self, n: int, directory: Path) -> list[Path]:
        """The first `n` records as their own HAR and JSONL files (only those with records)."""
        return _write(directory, self.records[:n])[0]


def _write(directory: Path, records: list[EvalRecord]) -> tuple[list[Path], Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    har, jsonl = directory / "traffic.har", directory / "messages.jsonl"
    entries = [r.record for r in records if r.source == HAR]
    messages = [r.record for r in records if r.source == MESSAGES]
    files = []
    if entries:
        write_har(har, entries)
        files.append(har)
    if messages:
        lines = "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in messages)
        jsonl.write_text(lines, encoding="utf-8")
        files.append(jsonl)
    return files, har, jsonl


class _Fresh:
    """New fake values for the hidden forms, none equal to a value planted elsewhere."""

    def __init__(self, seed: int, taken: set[str]) -> None:
        self.fakes = Fakes(random.Random(f"eval-hidden:{seed}"))
        self.taken = taken

    def _new(self, make: Callable[[], str]) -> str:
        while (value := make()) in self.taken:
            pass
        self.taken.add(value)
        return value

    def email(self) -> str:
        def make() -> str:
            r = self.fakes.rng
            return self.fakes.email(f"{r.choice(_FIRST)} {r.choice(_LAST)}")

        return self._new(make)

    def phone(self) -> str:
        return self._new(lambda: self.fakes.phone_display(self.fakes.phone(us_only=True)))

    def card(self) -> str:
        def make() -> str:
            body = "4" + self.fakes.digits(14)
            return body + luhn.calc_check_digit(body)

        return self._new(make)

    def ssn(self) -> str:
        return self._new(self.fakes.ssn)


# A hidden form: (name, entity, how it is written, where the copy carries it).
_Hidden = tuple[str, str, Callable[[str], str]]
_HAR_FORMS: tuple[_Hidden, ...] = (
    ("percent", "EMAIL_ADDRESS", lambda v: quote(v, safe="")),
    ("base64", "EMAIL_ADDRESS", lambda v: base64.b64encode(v.encode()).decode()),
    ("base64", "PHONE_NUMBER", lambda v: base64.b64encode(v.encode()).decode()),
    ("json_in_string", "EMAIL_ADDRESS", lambda v: json.dumps({"email": v})),
    ("no_dashes", "US_SSN", lambda v: v.replace("-", "")),
)
_MESSAGE_FORMS: tuple[_Hidden, ...] = (
    ("html", "EMAIL_ADDRESS", lambda v: v.replace("@", "&#64;")),
    ("zero_width", "EMAIL_ADDRESS", lambda v: v.replace("@", "\u200b@")),
    ("nfkc", "PHONE_NUMBER", lambda v: v.translate(_FULL_WIDTH)),
    ("dotted", "CREDIT_CARD", lambda v: ".".join(v[i : i + 4] for i in range(0, 16, 4))),
)
FORMS: tuple[str, ...] = tuple(dict.fromkeys(f for f, _, _ in _HAR_FORMS + _MESSAGE_FORMS))
# The key each HAR form sits under in the response JSON (the percent form goes in the query).
_HAR_KEYS = {"base64": "data", "json_in_string": "metadata", "no_dashes": "ssn"}


def _fresh_value(fresh: _Fresh, entity: str) -> str:
    make = {
        "EMAIL_ADDRESS": fresh.email,
        "PHONE_NUMBER": fresh.phone,
        "CREDIT_CARD": fresh.card,
        "US_SSN": fresh.ssn,
    }[entity]
    return make()


def _add_to_response(entry: dict[str, Any], key: str, value: str) -> None:
    content = entry["response"]["content"]
    body = json.loads(content["text"]) if content.get("text") else {}
    body[key] = value
    content["text"] = json.dumps(body, ensure_ascii=False)
    content["mimeType"] = "application/json"
    content["size"] = len(content["text"].encode())


def _hide_in_entry(entry: dict[str, Any], form: str, written: str) -> str:
    """Put `written` into `entry` (a copy); returns the field path it sits at."""
    if form == "percent":
        request = entry["request"]
        request["url"] += ("&" if "?" in request["url"] else "?") + f"notify={written}"
        request["queryString"].append({"name": "notify", "value": written})
        return "request.queryString.notify"
    _add_to_response(entry, _HAR_KEYS[form], written)
    return f"response.content.text.{_HAR_KEYS[form]}"


_SENTENCES = {
    "html": "Contact: {}",
    "zero_width": "my other email is {}",
    "nfkc": "or call {}",
    "dotted": "card {} if the first one fails",
}


def _hide_in_message(message: dict[str, Any], form: str, written: str) -> str:
    message["body"] = f"{message['body']} {_SENTENCES[form].format(written)}"
    return "body"


def _extra_lookalikes(source: str, record: dict[str, Any]) -> Iterator[Lookalike]:
    """Harmless values the generator does not record: timestamps, prices, cache directives."""
    if source == MESSAGES:
        yield Lookalike("timestamp", record["date_created"], "date_created")
        if record.get("price"):
            yield Lookalike("price", record["price"], "price")
        return
    yield Lookalike("timestamp", record["startedDateTime"], "startedDateTime")
    yield Lookalike("cache_control", "max-age=0", "request.headers.cache-control")
    texts = [record["request"].get("postData", {}).get("text"), record["response"]["content"]]
    for text in (texts[0], texts[1].get("text")):
        if text and text.startswith("{"):
            yield from _prices(json.loads(text))


def _prices(node: Any) -> Iterator[Lookalike]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("unit_price", "amount") and isinstance(value, str):
                yield Lookalike("price", value, key)
            else:
                yield from _prices(value)
    elif isinstance(node, list):
        for value in node:
            yield from _prices(value)


def _stream(
    source: str,
    generated: list[tuple[dict[str, Any], Any]],
    forms: tuple[_Hidden, ...],
    fresh: _Fresh,
    every: int,
) -> list[list[EvalRecord]]:
    """Groups of an original record and, for every `every`-th one, its hidden-form copy."""
    groups = []
    for i, (record, rec) in enumerate(generated):
        plain = tuple(Label(p.entity, p.value, PLAIN, p.where, p.value) for p in rec.planted)
        looks = (*rec.lookalikes, *_extra_lookalikes(source, record))
        group = [EvalRecord(source, record, plain, looks)]
        if every and i % every == 1:
            form, entity, encode = forms[(i // every) % len(forms)]
            value = _fresh_value(fresh, entity)
            written = encode(value)
            copied = copy.deepcopy(record)
            hide = _hide_in_entry if source == HAR else _hide_in_message
            where = hide(copied, form, written)
            label = Label(entity, value, form, where, written)
            group.append(EvalRecord(source, copied, (*plain, label), looks))
        groups.append(group)
    return groups


def build_corpus(
    out_dir: Path, *, seed: int = 11, har_entries: int = 400, messages: int = 200, every: int = 4
) -> EvalCorpus:
    """Write `traffic.har` and `messages.jsonl` under `out_dir`: the generator's records, and
    after every `every`-th one a copy carrying one fresh value in a hidden form."""
    har = list(_iter_har(seed, har_entries))
    msgs = list(_iter_messages(seed, messages))
    taken = {p.value for _, rec in har + msgs for p in rec.planted}
    fresh = _Fresh(seed, taken)
    streams = [
        _stream(HAR, har, _HAR_FORMS, fresh, every),
        _stream(MESSAGES, msgs, _MESSAGE_FORMS, fresh, every),
    ]
    # Interleave by position within each stream, so that any prefix holds both kinds of record.
    keyed = [((i + 0.5) / len(s), k, g) for k, s in enumerate(streams) for i, g in enumerate(s)]
    keyed.sort(key=lambda t: (t[0], t[1]))
    records = [r for _, _, group in keyed for r in group]
    _, har_path, messages_path = _write(out_dir, records)
    return EvalCorpus(out_dir, har_path, messages_path, records, seed, har_entries, messages)
