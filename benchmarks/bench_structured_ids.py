"""Identifiers in structured fields (JSON keys, form and query parameters) under `redact_only`.

A corpus built at run time from public, permissively licensed material, not from datamin's own
generator (`datamin.evaluation`), so that it finds the gaps datamin's dev data does not
(`benchmarks._structured_values` makes the values):

- phone numbers: libphonenumber's example number (`phonenumbers`, Apache-2.0) of every region
  and a few number types, written in E.164, international, national (trunk prefix and all),
  RFC 3966, with dots, parentheses, a `00` prefix or an extension, and split across fields as
  APIs split them (Xero's PhoneCountryCode/PhoneAreaCode/PhoneNumber, PayPal's
  `phone_number.national_number` + `country_code`, DocuSign's `countryCode`/`number`);
- payment cards of every major brand's ranges and lengths (12 to 19 digits), Luhn-valid and
  not, plain, grouped and dashed;
- IBANs of every country in the IBAN registry (its BBAN formats as python-stdnum ships them;
  random characters, check digits computed), compact, grouped, lower-case; bank account and
  ABA routing numbers;
- US SSNs and ITINs, UK NI numbers, Canadian SINs, passports, driving licences, EU VAT numbers
  and national identity numbers of several countries, each made to pass its check
  (python-stdnum, LGPL, used as a library: its validators only, none of its data copied);
- e-mail addresses and IP addresses (v4, v6).

Each value sits under a key spelled as a real API spells it (`benchmarks._structured_shapes`,
`benchmarks._structured_id_shapes`: the property names and nesting of public OpenAPI
descriptions, Stripe, Twilio, SendGrid, Adyen, Xero, Intercom, DocuSign: MIT; Box, PayPal,
Square: Apache-2.0; and spellings other APIs' documentation and ordinary forms use), in JSON
bodies, form bodies and query strings of HAR entries (the record shape `datamin run` reads) or
in JSON records of their own, twice each. Look-alikes (order numbers, SKUs, timestamps,
amounts, versions, UUIDs, statuses, counts, codes) sit under the same kinds of names
(`number_of_items`, `phone_verified`, `card_brand`, `iban_country`, `phone_code`) and must
come out intact.

Key shapes are split by a hash of their name into a dev half (tune on it; its leaks may be
listed) and a frozen half (never list its survivors: read its figures as what to expect
elsewhere). A value leaks when its characters (letters and digits, case and separators aside)
survive in any output value, whole or all but its first three (`+44 20 <PHONE>` keeps the
subscriber's number: a leak). Each record goes through `redact_only` in-process
(`datamin.core.minimize.Minimizer`), NER off: names are not what this measures.

    python -m benchmarks.bench_structured_ids [--half dev|frozen|both] [--seed N] [--show N]
        [--json PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

import phonenumbers

from benchmarks._structured_id_shapes import (
    EMAIL_SHAPES,
    ID_KINDS,
    ID_SHAPES,
    IP_SHAPES,
    LOOKALIKE_SHAPES,
    LOOKALIKE_VALUES,
)
from benchmarks._structured_shapes import (
    AREA,
    BANK_SHAPES,
    CARD_SHAPES,
    CC,
    IBAN_SHAPES,
    LOCAL,
    NSN,
    PHONE_SHAPES,
    ROUTING_SHAPES,
    TYPE,
    Shape,
    V,
)
from benchmarks._structured_values import (
    PHONE_FORMS,
    Planted,
    bank,
    cards,
    emails,
    ibans,
    ips,
    national_ids,
    phone_text,
    phones,
)

SEED = 20261207
KEY = b"bench_structured_ids: a key of 32 bytes or more"


# -- records ------------------------------------------------------------------------------


def _fill(node: Any, parts: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {k: _fill(v, parts) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, parts) for v in node]
    if isinstance(node, tuple):
        return tuple(_fill(v, parts) for v in node)
    if isinstance(node, str) and node in parts:
        return parts[node]
    return node


def record(shape: Shape, parts: dict[str, str]) -> dict[str, Any]:
    """A HAR entry (or, for `event`, a JSON record of its own) holding the shape's values."""
    body = _fill(shape.template, parts)
    if shape.where == "event":
        return body
    request: dict[str, Any] = {
        "method": "POST",
        "url": "https://api.service.test/v1/resources",
        "httpVersion": "HTTP/1.1",
        "headers": [],
        "queryString": [],
    }
    if shape.where == "json":
        request["headers"] = [{"name": "Content-Type", "value": "application/json"}]
        request["postData"] = {"mimeType": "application/json", "text": json.dumps(body)}
    elif shape.where == "form":
        mime = "application/x-www-form-urlencoded"
        request["headers"] = [{"name": "Content-Type", "value": mime}]
        request["postData"] = {"mimeType": mime, "text": urlencode(body)}
    else:
        request["method"] = "GET"
        request["url"] += "?" + urlencode(body, quote_via=quote)
        request["queryString"] = [{"name": k, "value": v} for k, v in body]
    return {
        "startedDateTime": "2026-03-03T10:00:00Z",
        "time": 42,
        "request": request,
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}},
    }


def half_of(name: str) -> str:
    return "dev" if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else "frozen"


_CATEGORY_SHAPES = {
    "PHONE": PHONE_SHAPES,
    "CARD": CARD_SHAPES,
    "IBAN": IBAN_SHAPES,
    "BANK_ACCOUNT": BANK_SHAPES,
    "ROUTING": ROUTING_SHAPES,
    "EMAIL": EMAIL_SHAPES,
    "IP": IP_SHAPES,
}
_SPLIT = frozenset((CC, AREA, LOCAL, NSN))
PLACEMENTS = 2  # each value goes under this many shapes


@dataclass(frozen=True)
class Case:
    planted: Planted | None
    lookalike: tuple[str, str] | None  # (kind, value)
    shape: Shape
    record: dict[str, Any]

    @property
    def half(self) -> str:
        return half_of(self.shape.name)


def cases(seed: int = SEED) -> list[Case]:
    """Every planted value under `PLACEMENTS` shapes of its kind, and every look-alike under
    its shape; the same for one seed on every run."""
    rng = random.Random(seed)
    values = [
        *phones(rng), *cards(rng), *ibans(rng), *bank(rng), *national_ids(rng), *emails(rng),
        *ips(rng),
    ]  # fmt: skip
    out = []
    for p in values:
        # Each value twice, under two shapes (a phone in another form the second time).
        for copy in range(PLACEMENTS):
            if copy and p.category == "PHONE":
                n = phonenumbers.parse("+" + p.parts[CC] + p.parts[NSN])
                form = rng.choice([f for f in PHONE_FORMS if f != p.form])
                p = Planted(
                    p.category, p.detail, form, {**p.parts, V: phone_text(n, form)}, p.secrets
                )
            shapes = _shapes_for(p)
            if p.category == "PHONE" and p.form not in ("e164", "international", "national", "00"):
                shapes = tuple(s for s in shapes if not _slots(s.template) & _SPLIT)
            shape = shapes[rng.randrange(len(shapes))]
            parts = {**p.parts, TYPE: p.typ or "other"}
            placed = p
            if _slots(shape.template) & _SPLIT:
                # A split phone: its parts as the API holds them, the whole value nowhere.
                secrets = (p.parts[LOCAL],) if LOCAL in _slots(shape.template) else (p.parts[NSN],)
                placed = Planted(p.category, p.detail, "split", p.parts, secrets, p.typ)
            out.append(Case(placed, None, shape, record(shape, parts)))
    for kind, shape in LOOKALIKE_SHAPES:
        for value in LOOKALIKE_VALUES[kind]:
            out.append(Case(None, (kind, value), shape, record(shape, {V: value})))
    return out


_ID_ENTITY_KIND = {
    "DE_TAX_ID": "NATIONAL_ID/tax", "AU_TFN": "AU_TFN", "NZ_IRD": "NZ_IRD", "BR_CPF": "BR_CPF",
}  # fmt: skip


def _shapes_for(p: Planted) -> tuple[Shape, ...]:
    if p.category in _CATEGORY_SHAPES:
        return _CATEGORY_SHAPES[p.category]
    kind = (
        _ID_ENTITY_KIND.get(p.detail, "NATIONAL_ID") if p.category == "NATIONAL_ID" else p.category
    )
    tags = ID_KINDS[kind]
    return tuple(shape for tag, shape in ID_SHAPES if tag in tags)


def _slots(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_slots(v) for v in node.values())) if node else set()
    if isinstance(node, list | tuple):
        return set().union(*(_slots(v) for v in node)) if node else set()
    return {node} if isinstance(node, str) and node.startswith("$") else set()


# -- running and judging ------------------------------------------------------------------

_SCAFFOLD = frozenset(("time", "started_at", "response.status", "request.http_version"))


def _norm(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def outputs(rows: dict[str, Any]) -> list[tuple[str, str]]:
    fields = []
    for row in rows.values():
        for path, value in row.get("fields", {}).items():
            if path not in _SCAFFOLD and value is not None:
                fields.append((path, str(value)))
    return fields


def leaks(planted: Planted, fields: list[tuple[str, str]]) -> bool:
    """A secret survives, whole or all but its first three characters (at least six)."""
    normed = [_norm(v) for _, v in fields]
    raw = [v.lower() for _, v in fields]
    for secret in planted.secrets:
        if planted.category == "IP":
            if any(secret in v for v in raw):
                return True
            continue
        s = _norm(secret)
        core = s[-max(6, len(s) - 3) :]
        if any(core in v for v in normed):
            return True
    return False


def kept(value: str, fields: list[tuple[str, str]]) -> bool:
    return any(value in v for _, v in fields)


def run(seed: int = SEED, halves: tuple[str, ...] = ("dev", "frozen")) -> list[dict[str, Any]]:
    chosen = [c for c in cases(seed) if c.half in halves]
    return measure(
        chosen, lambda c: {"half": c.half, "shape": c.shape.name, "where": c.shape.where}
    )


def measure(chosen: list[Case], about: Callable[[Case], dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case's record through `redact_only` (no NER), in batches as a run has them: what was
    planted and whether it left, or the look-alike and whether it changed; `about` gives the
    entry's first keys (where the case comes from)."""
    import datamin
    from datamin.api import RunConfig, key_ring
    from datamin.core.minimize import Written
    from datamin.core.records import RawRecord

    policy = datamin.load_policy("redact_only")
    config = RunConfig(policy, key_ring(KEY), date(2026, 3, 3), ner=False)
    minimizer = config.minimizer(config.engines())
    results = []
    batch = 64
    for i in range(0, len(chosen), batch):
        part = chosen[i : i + batch]
        raws = [
            RawRecord("<bench>", j + 1, json.dumps(c.record).encode()) for j, c in enumerate(part)
        ]
        for c, outcome in zip(part, minimizer.process(raws), strict=True):
            fields = outputs(outcome.rows) if isinstance(outcome, Written) else []
            status = "written" if isinstance(outcome, Written) else type(outcome).__name__
            entry = about(c)
            if c.planted is not None:
                p = c.planted
                entry.update(
                    kind="planted", category=p.category, detail=p.detail, form=p.form,
                    value=p.parts.get(NSN if p.form == "split" else V, ""), status=status,
                    leaked=status == "written" and leaks(p, fields),
                )  # fmt: skip
            else:
                k, v = c.lookalike or ("", "")
                entry.update(
                    kind="lookalike", category=k, value=v, status=status,
                    changed=not (status == "written" and kept(v, fields)),
                )  # fmt: skip
            entry["fields"] = fields
            results.append(entry)
    return results


def report(results: list[dict[str, Any]], show: int) -> str:
    lines = []
    for half in ("dev", "frozen"):
        mine = [r for r in results if r["half"] == half]
        if not mine:
            continue
        planted = [r for r in mine if r["kind"] == "planted"]
        looks = [r for r in mine if r["kind"] == "lookalike"]
        shapes = len({r["shape"] for r in mine})
        lines.append(f"== {half}: {len(planted)} values, {len(looks)} look-alikes, {shapes} shapes")
        lines.append(f"{'category':<16} {'values':>7} {'leaked':>7} {'share':>7}")
        by: dict[str, list[bool]] = defaultdict(list)
        for r in planted:
            by[r["category"]].append(r["leaked"])
        total = [x for v in by.values() for x in v]
        for cat in sorted(by):
            n, k = len(by[cat]), sum(by[cat])
            lines.append(f"{cat:<16} {n:>7} {k:>7} {100 * k / n:>6.1f}%")
        k = sum(total)
        lines.append(f"{'= all':<16} {len(total):>7} {k:>7} {100 * k / max(1, len(total)):>6.1f}%")
        changed = sum(r["changed"] for r in looks)
        lines.append(f"look-alikes changed: {changed} of {len(looks)}")
        if half == "dev" and show:
            per_shape = Counter(r["shape"] for r in planted if r["leaked"])
            lines.append("dev leaks by shape:")
            lines += [f"  {n:>4}  {s}" for s, n in per_shape.most_common(show)]
            per_form = Counter(f"{r['category']}/{r['form']}" for r in planted if r["leaked"])
            lines.append("dev leaks by form:")
            lines += [f"  {n:>4}  {s}" for s, n in per_form.most_common(show)]
            lines.append("dev changed look-alikes:")
            lines += [f"  {r['shape']} {r['value']!r}" for r in looks if r["changed"]][:show]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("dev", "frozen", "both"), default="both")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--show", type=int, default=0, help="list dev leaks' shapes and forms")
    parser.add_argument("--json", metavar="PATH", help="also write dev results as JSON here")
    args = parser.parse_args(argv)
    halves = ("dev", "frozen") if args.half == "both" else (args.half,)
    results = run(args.seed, halves)
    print(report(results, args.show))
    if args.json:
        dev = [r for r in results if r["half"] == "dev"]
        with open(args.json, "w") as fh:
            json.dump(dev, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
