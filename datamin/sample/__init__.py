"""A deterministic sample of API traffic and message archives with planted sensitive values.

`datamin demo`, the test suite's leak scan and the benchmark all read what this writes. Every
sensitive value is fake and recorded in a manifest, so that anything a run leaves behind can be
scanned for each one. A seed always gives the same bytes: one `random.Random` per stream, fixed
dates in 2026 (or days before a given date: the demo's, so its output is not born expired), no
wall clock, gzip without a timestamp.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from datamin.sample.records import build_entry
from datamin.sample.values import (
    Fakes,
    Lookalike,
    Person,
    Planted,
    Recorder,
    people,
    sample_days,
)

__all__ = [
    "Lookalike",
    "Planted",
    "SampleManifest",
    "generate_sample",
    "iter_har_entries",
    "iter_messages",
    "write_har",
]


@dataclass(frozen=True)
class SampleManifest:
    """What `generate_sample` wrote, and every value planted in it (deduplicated by value)."""

    files: list[Path]
    planted: list[Planted]
    har_entries: int
    messages: int
    lookalikes: list[Lookalike] = field(default_factory=list)


def _iter_har(
    seed: int, n: int, days: tuple[datetime, ...] | None = None
) -> Iterator[tuple[dict[str, Any], Recorder]]:
    crowd = people(seed)
    fakes = Fakes(random.Random(f"har:{seed}"), days or sample_days(None))
    for i, when in enumerate(fakes.moments(n)):
        rec = Recorder()
        yield build_entry(i, when, crowd, fakes, rec), rec


def iter_har_entries(seed: int, n: int) -> Iterator[tuple[dict[str, Any], list[Planted]]]:
    """`n` HAR 1.2 entry dicts in time order, each with the values planted in it."""
    for entry, rec in _iter_har(seed, n):
        yield entry, rec.planted


_Body = Callable[[Fakes, Recorder, Person, Person], str]


def _order_no(f: Fakes, rec: Recorder) -> str:
    return rec.harmless("order_number", f"ORD-2026-{f.digits(6)}", "body")


def _shipped(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    name, street = rec.plant("PERSON", p.name, "body"), rec.plant("LOCATION", p.street, "body")
    return (
        f"Hi {name}, your order {_order_no(f, rec)} has shipped to {street}. "
        f"Track it at https://shop.example/t/{f.chars(8)}. Reply STOP to opt out."
    )


def _declined(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    name = rec.plant("PERSON", p.name, "body")
    return (
        f"Hello {name}, we could not charge the card ending {p.card[-4:]} for "
        f"{_order_no(f, rec)}. Update it at https://shop.example/billing"
    )


def _restock(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    sku = rec.harmless("sku", f"SKU-{f.rng.randint(10000, 99999)}-BLK", "body")
    return f"Good news: {sku} is back in stock at $129.99. Use code SPRING26 for 10% off."


def _new_number(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    name = rec.plant("PERSON", p.name, "body")
    phone = rec.plant("PHONE_NUMBER", f.phone_display(p.phone), "body")
    email = rec.plant("EMAIL_ADDRESS", p.email, "body")
    return f"Hi, this is {name}. My new number is {phone} and my email is {email}, please update"


def _card(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    card = rec.plant("CREDIT_CARD", f.card_display(p.card), "body")
    expiry = f"{f.rng.randint(1, 12):02d}/{f.rng.randint(27, 31)}"
    return f"Please charge my card {card} for order {_order_no(f, rec)}, exp {expiry}. Thanks!"


def _ssn(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    return f"My SSN is {rec.plant('US_SSN', p.ssn, 'body')} if you need it for the credit check"


def _refund(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    spaced = " ".join(p.iban[i : i + 4] for i in range(0, len(p.iban), 4))
    iban, name = rec.plant("IBAN_CODE", spaced, "body"), rec.plant("PERSON", p.name, "body")
    return f"Send the refund to {iban}, account holder {name}."


def _neighbour(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    street, other = rec.plant("LOCATION", p.street, "body"), rec.plant("PERSON", o.name, "body")
    return f"Can you deliver to {street} instead? My neighbor {other} will sign for it."


def _thanks(f: Fakes, rec: Recorder, p: Person, o: Person) -> str:
    return f.rng.choice(("ok thanks!", "STOP", "What time does the store open on Sunday?"))


_OUTBOUND: tuple[_Body, ...] = (_shipped, _shipped, _declined, _restock)
_INBOUND: tuple[_Body, ...] = (_new_number, _card, _ssn, _refund, _neighbour, _thanks)


def _build_message(
    fakes: Fakes,
    crowd: list[Person],
    account: str,
    service: str,
    business: list[str],
    when: datetime,
) -> tuple[dict[str, Any], Recorder]:
    """One Twilio Message resource, as the REST API returns it."""
    rec, r = Recorder(), fakes.rng
    person, other = r.sample(crowd, 2)
    inbound = r.random() < 0.45
    ours = r.choice(business)
    sender, recipient = (person.phone, ours) if inbound else (ours, person.phone)
    sid = rec.harmless("message_sid", "SM" + fakes.hex(32), "sid")
    body = r.choice(_INBOUND if inbound else _OUTBOUND)(fakes, rec, person, other)
    status = "received" if inbound else r.choice(("delivered", "delivered", "sent", "failed"))
    failed = status == "failed"
    sent = when + timedelta(seconds=r.randint(1, 4))
    return {
        "account_sid": account,
        "api_version": "2010-04-01",
        "body": body,
        "date_created": format_datetime(when),
        "date_sent": format_datetime(sent),
        "date_updated": format_datetime(sent + timedelta(seconds=r.randint(1, 30))),
        "direction": "inbound" if inbound else "outbound-api",
        "error_code": 30003 if failed else None,
        "error_message": "Unreachable destination handset" if failed else None,
        "from": rec.plant("PHONE_NUMBER", sender, "from"),
        "messaging_service_sid": None if inbound else service,
        "num_media": "0",
        "num_segments": str(1 if len(body) <= 160 else -(-len(body) // 153)),
        "price": None if failed else "-0.00790",
        "price_unit": "USD",
        "sid": sid,
        "status": status,
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"},
        "to": rec.plant("PHONE_NUMBER", recipient, "to"),
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
    }, rec


def _iter_messages(
    seed: int, n: int, days: tuple[datetime, ...] | None = None
) -> Iterator[tuple[dict[str, Any], Recorder]]:
    crowd = people(seed)
    fakes = Fakes(random.Random(f"messages:{seed}"), days or sample_days(None))
    account, service = "AC" + fakes.hex(32), "MG" + fakes.hex(32)
    business = [fakes.phone(us_only=True) for _ in range(2)]
    for when in fakes.moments(n):
        yield _build_message(fakes, crowd, account, service, business, when)


def iter_messages(seed: int, n: int) -> Iterator[tuple[dict[str, Any], list[Planted]]]:
    """`n` Twilio Message resources in time order, each with the values planted in it."""
    for message, rec in _iter_messages(seed, n):
        yield message, rec.planted


def write_har(path: Path, entries: list[dict[str, Any]], *, bom: bool = False) -> None:
    """A HAR 1.2 file as a browser exports it; `bom` prepends the UTF-8 BOM some tools write."""
    doc = {
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "pages": [],
            "entries": entries,
        }
    }
    data = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + data if bom else data)


def _jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def generate_sample(
    out_dir: Path,
    *,
    seed: int = 7,
    har_entries: int = 60,
    messages: int = 40,
    today: datetime | None = None,
) -> SampleManifest:
    """Write two HAR files (the second with a BOM), a gzip JSONL of gateway entries (about a
    third of `har_entries`) and a JSONL message archive under `out_dir`. Dated in March 2026,
    or, given `today`, on the days just before it (the demo: nothing it writes has expired)."""
    days = sample_days(today)
    traffic, archive = out_dir / "traffic", out_dir / "messages"
    traffic.mkdir(parents=True, exist_ok=True)
    archive.mkdir(parents=True, exist_ok=True)
    har = list(_iter_har(seed, har_entries, days))
    msgs = list(_iter_messages(seed, messages, days))
    entries = [e for e, _ in har]
    n_gateway = har_entries // 3
    browser = entries[: har_entries - n_gateway]
    half = len(browser) // 2
    files = [traffic / "api-1.har", traffic / "api-2.har", traffic / "gateway.jsonl.gz"]
    write_har(files[0], browser[:half])
    write_har(files[1], browser[half:], bom=True)
    # mtime=0 and no file name in the header: the gzip bytes depend on the seed only.
    files[2].write_bytes(gzip.compress(_jsonl(entries[len(browser) :]), mtime=0))
    files.append(archive / "messages.jsonl")
    files[3].write_bytes(_jsonl([m for m, _ in msgs]))

    planted: dict[str, Planted] = {}
    lookalikes: dict[str, Lookalike] = {}
    for _, rec in har + msgs:
        for p in rec.planted:
            planted.setdefault(p.value, p)
        for h in rec.lookalikes:
            lookalikes.setdefault(h.value, h)
    return SampleManifest(
        files=files,
        planted=list(planted.values()),
        har_entries=har_entries,
        messages=messages,
        lookalikes=list(lookalikes.values()),
    )
