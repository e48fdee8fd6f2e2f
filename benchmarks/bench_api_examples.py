"""Names, addresses and contact details in real API descriptions' example payloads.

Vendors' public OpenAPI descriptions hold example payloads written by people other than us:
`example`/`examples` objects of requests and responses, and the scalar `example` of each schema
property (assembled into one object per named schema, local `$ref`s followed). This reads them
at run time from bare mirrors of those repositories (nothing of them is kept here), runs every
payload through `redact_only` as one JSON record (`datamin.core.minimize.Minimizer`, NER
included), and reports, for each string leaf whose key path says what it holds, whether the
value came out intact:

- leaks: person names, street lines, phones, e-mail addresses, dates of birth;
- look-alikes that must stay: the `name` of a product, plan or repository, ids, statuses and
  types, URLs, dates; postcodes (kept by policy) and cities (reported, not judged).

What a key path says is decided by `oracle()` below, from vocabularies that are not datamin's
(`redactors/by_field.py`): schema.org's Person, PostalAddress and ContactPoint properties
(givenName, familyName, additionalName, streetAddress, postOfficeBoxNumber, addressLocality,
postalCode, telephone, faxNumber, email, birthDate) and the roles whose range is a Person
(author, customer, recipient, sender, attendee, employee, spouse...); vCard, RFC 6350 (fn, n,
given/family/additional names, adr's street-address, extended-address, post-office-box,
locality, tel, email, bday, nickname); SCIM, RFC 7643 (userName, name.formatted, displayName,
nickName, addresses[].streetAddress/formatted, phoneNumbers, emails); and the WHATWG HTML
autofill field names (given-name, family-name, address-line1..3, street-address, postal-code,
cc-name, bday, tel, email).

APIs are split by a hash of their name into a dev half (tune on it) and a frozen half (never
look at its survivors; read its figures as what to expect elsewhere). Default output lists the
key paths of the values that survive, never the values.

    python -m benchmarks.bench_api_examples [--mirrors DIR] [--half dev|frozen|both]
        [--no-ner] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from datamin.policies.paths import join

MIRRORS = Path("/work/.mirror")
# (mirror, licence, files kept, newest version only): every source is permissively licensed.
SOURCES = (
    ("stripe+openapi", "MIT", r"^openapi/fixtures3\.json$"),
    ("twilio+twilio-oai", "MIT", r"^spec/json/twilio_\w+\.json$"),
    ("sendgrid+sendgrid-oai", "MIT", r"^spec/(paths/.*|components/examples)\.json$"),
    ("Adyen+adyen-openapi", "MIT", r"^json/\w+-v\d+\.json$"),
    ("XeroAPI+Xero-OpenAPI", "MIT", r"^xero[\w-]*\.yaml$"),
    ("intercom+Intercom-OpenAPI", "MIT", r"^descriptions/2\.\d+/api\.intercom\.io\.yaml$"),
    ("docusign+OpenAPI-Specifications", "MIT", r"^[\w.-]+\.json$"),
    ("box+box-openapi", "Apache-2.0", r"^openapi\.json$"),
    ("paypal+paypal-rest-api-specifications", "Apache-2.0", r"^openapi/\w+\.json$"),
    ("square+connect-api-specification", "Apache-2.0", r"^api\.json$"),
)
_VERSION = re.compile(r"(?:[-_.]?v?\d+(?:\.\d+)*)+(?=\.\w+$)|^descriptions/[\d.]+/")
_PLACEHOLDERS = frozenset(("string", "str", "text", "value", "example", "null", "none", "n/a"))
MAX_DEPTH = 6

# -- the oracle: what a key path says, by vocabularies that are not datamin's -----------------

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Roles whose holder is a person: schema.org properties with a Person range (author, creator,
# contributor, editor, customer, buyer, recipient, sender, agent, attendee, organizer,
# employee, member, spouse, parent, colleague, founder, patient, passenger via underName),
# SCIM's user and manager, ISO 7813's cardholder, RFC 5322's originator and destination
# mailboxes (from, to, cc, bcc, reply-to: a display name is a person's), ISO 7813's name on a
# card, and plain nouns for them.
PERSON_ROLES = frozenset(
    "from to cc bcc reply caller party parties identity card "
    "person people individual user users customer customers buyer shopper client contact "
    "contacts recipient recipients sender author creator contributor editor agent attendee "
    "attendees organizer employee employees member members spouse parent colleague founder "
    "patient passenger guest holder cardholder owner payer payee beneficiary signer "
    "representative director shareholder manager assignee reporter requester teammate admin "
    "billing shipping delivery consignee addressee applicant student tenant".split()
)
_GIVEN_FAMILY = frozenset("given first family last middle additional maiden sur full legal".split())
_ADDRESS_WORDS = frozenset(("address", "addr", "adr", "postal", "mailing"))
_NOT_PLACE = frozenset(
    "email mail ip ipv4 ipv6 mac url uri web wallet remote server host hash token".split()
)
# schema.org Organization's names (legalName of an Organization), not a person's.
_ORGANIZATION = frozenset("business company organization organisation merchant bank brand".split())
# Containers that say nothing of what they hold.
_GENERIC = frozenset(
    "data result results content contents items item records entries list "
    "hits values rows objects elements nodes edges response body payload "
    "resource resources".split()
)
_DETAILS = frozenset(("details", "detail", "info", "information", "data", "profile"))
_ID_END = frozenset(("id", "ids", "sid", "uuid", "guid"))
_STATUS_END = frozenset("status state type object kind currency locale language mode".split())
_DATE_END = frozenset(("at", "date", "time", "created", "updated", "timestamp", "expires"))
_THING_NAME_KEYS = frozenset(("name", "title", "nickname", "display", "label"))


def words(key: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(key)]


def oracle(root: str, keys: list[str], value: str) -> str | None:
    """The category a leaf's key path says (`keys` as written, positions dropped; `root` the
    schema or resource the payload is an example of), or None."""
    leaf = words(keys[-1]) if keys else []
    parent = words(keys[-2]) if len(keys) > 1 else words(root)
    above = [w for k in keys[:-1] for w in words(k)] + words(root)
    if not leaf:
        return None
    last, joined = leaf[-1], "".join(leaf)
    if "birth" in leaf or joined in ("dob", "bday", "birthday", "birthdate"):
        return "dob" if any(c.isdigit() for c in value) else None
    if last in ("email", "mail") or leaf[-2:] == ["email", "address"]:
        return "email" if "@" in value else None
    if last in ("phone", "telephone", "tel", "mobile", "fax", "msisdn") or (
        {"phone", "telephone", "fax", "mobile"} & set(leaf) and last == "number"
    ):
        return "phone" if sum(c.isdigit() for c in value) >= 7 else None
    if set(leaf) & _NOT_PLACE or "@" in value or value.startswith(("http:", "https:")):
        return _lookalike(leaf, value, parent)
    in_address = bool(_ADDRESS_WORDS & set(above))
    if (
        "street" in leaf
        or (last in ("1", "2", "3") and ("line" in leaf or "address" in leaf))
        or (last in ("line", "lines") and in_address)
        or (set(leaf) & {"house", "building", "box"} and in_address)
        or (joined in ("address", "streetaddress", "formatted", "extendedaddress") and in_address)
        or (last == "address" and " " in value and any(c.isdigit() for c in value))
    ):
        return "street"
    if last in ("city", "locality", "town") and (in_address or len(leaf) > 1):
        return "city"
    if joined in ("postalcode", "postcode", "zip", "zipcode"):
        return "postcode"
    if set(leaf) & _ORGANIZATION:
        return _lookalike(leaf, value, parent)  # BusinessLegalName, company_name, bank_name
    if last == "name" and "by" in leaf:
        return "person"  # started_by_name: schema.org's agent of an action
    if last == "name" and len(leaf) > 1 and (leaf[-2] in _GIVEN_FAMILY or leaf[0] in PERSON_ROLES):
        return "person"  # given_name, familyName, cardholder_name, accountHolderName
    if joined in ("surname", "fn", "username", "nickname", "displayname", "name", "formatted"):
        # The parent's head word says whose: `reply_to`, `billing_details`, not `FromBankAccount`.
        head = parent[-1] if parent else ""
        if head in _DETAILS:
            head = parent[-2] if len(parent) > 1 else ""
        personal = head in PERSON_ROLES or head == "name"
        if joined == "surname" or (personal and joined != "username"):
            return "person"
    if last in _GIVEN_FAMILY and parent[-1:] == ["name"]:
        return "person"  # SCIM's name.givenName is givenName; `name.first`
    return _lookalike(leaf, value, parent)


def _lookalike(leaf: list[str], value: str, parent: list[str]) -> str | None:
    last = leaf[-1]
    if value.startswith(("http://", "https://")):
        return "~url"
    if last in _ID_END:
        return "~id"
    if last in _STATUS_END:
        return "~status"
    if last in _DATE_END and any(c.isdigit() for c in value):
        return "~date"
    if leaf[0] in _THING_NAME_KEYS or last in _THING_NAME_KEYS:
        # A name is a thing's when its owner is named and is no person: `product.name`,
        # `leaveTypes[].name`, `team_name`. A bare `name` of a list of results is unjudged.
        owner = leaf[:-1] if len(leaf) > 1 else [w for w in parent if w not in _DETAILS]
        if owner and owner[-1] not in _GENERIC and owner[-1] not in PERSON_ROLES:
            return "~thing name"
    return None


# -- the corpus -------------------------------------------------------------------------------


@dataclass
class Payload:
    api: str  # repo/api, version dropped
    root: str  # the schema or resource it exemplifies
    record: dict[str, Any]


def half_of(api: str) -> str:
    return "dev" if hashlib.sha256(api.encode()).digest()[0] % 2 == 0 else "frozen"


def _git(repo: Path, *args: str) -> str:
    """A git command's output; empty where the snapshot lacks the file (4 MiB and more)."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def api_files(mirrors: Path) -> Iterator[tuple[str, str, str]]:
    """(api, path, text) of the newest version of each API of every source present."""
    for mirror, _licence, pattern in SOURCES:
        repo = mirrors / mirror / "repo"
        if not repo.exists():
            continue
        newest: dict[str, str] = {}
        for path in _git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines():
            if re.search(pattern, path):
                api = f"{mirror.split('+')[0]}/{_VERSION.sub('', path)}"
                if api not in newest or _version_key(path) > _version_key(newest[api]):
                    newest[api] = path
        for api, path in sorted(newest.items()):
            text = _git(repo, "show", f"HEAD:{path}")
            if text:
                yield api, path, text


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def payloads(api: str, path: str, text: str) -> Iterator[Payload]:
    doc = json.loads(text) if path.endswith(".json") else yaml.load(text, yaml.CSafeLoader)
    if not isinstance(doc, dict):
        return
    if "resources" in doc and path.endswith("fixtures3.json"):
        for name, obj in doc["resources"].items():
            yield Payload(api, name, obj)
        return
    yield from _examples(api, doc, "", 0)
    components = doc.get("components")
    schemas = (components or {}).get("schemas") or doc.get("definitions") or {}
    for name, schema in schemas.items():
        built = _from_schema(doc, schema, 0)
        if isinstance(built, dict) and built:
            yield Payload(api, name, built)


def _examples(api: str, node: Any, where: str, depth: int) -> Iterator[Payload]:
    """Every object given as an `example` or in `examples` anywhere in the document."""
    if depth > 40:
        return
    if isinstance(node, list):
        for item in node:
            yield from _examples(api, item, where, depth + 1)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "example":
            yield from _as_payloads(api, where, value)
        elif key == "examples" and isinstance(value, dict):
            for ex in value.values():
                inner = ex.get("value", ex) if isinstance(ex, dict) else ex
                yield from _as_payloads(api, where, inner)
        elif key == "examples" and isinstance(value, list):
            for ex in value:
                yield from _as_payloads(api, where, ex)
        elif isinstance(value, dict | list):
            yield from _examples(
                api, value, key if key not in ("properties",) else where, depth + 1
            )


def _as_payloads(api: str, where: str, value: Any) -> Iterator[Payload]:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            value = json.loads(value)
        except ValueError:
            return
    if isinstance(value, dict) and value and "$ref" not in value:
        yield Payload(api, where, value)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        yield Payload(api, where, {"data": value})


def _from_schema(doc: dict[str, Any], schema: Any, depth: int) -> Any:
    """An object of a schema's properties' own scalar examples, local `$ref`s followed."""
    if depth > MAX_DEPTH or not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        return _from_schema(doc, _resolve(doc, schema["$ref"]), depth + 1)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema and isinstance(schema[combined], list) and schema[combined]:
            out: dict[str, Any] = {}
            for part in schema[combined]:
                built = _from_schema(doc, part, depth + 1)
                if isinstance(built, dict):
                    out.update(built)
            return out or None
    if isinstance(schema.get("example"), str):
        return schema["example"]
    if isinstance(schema.get("items"), dict):
        item = _from_schema(doc, schema["items"], depth + 1)
        return [item] if item is not None else None
    props = schema.get("properties")
    if not isinstance(props, dict):
        return None
    out = {}
    for name, prop in props.items():
        built = _from_schema(doc, prop, depth + 1)
        if built is not None and built != {}:
            out[name] = built
    return out or None


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        return None
    node: Any = doc
    for part in ref[2:].split("/"):
        node = (
            node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
        )
    return node


def leaves(
    node: Any, path: str = "", keys: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(path as datamin writes it, keys, value) of every string leaf."""
    if isinstance(node, dict):
        for key, value in node.items():
            key = str(key)
            # A key with a dot or a bracket is written escaped (`AutoCreation%2EType`).
            yield from leaves(value, join(path, key), (*keys, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:20]):
            yield from leaves(value, f"{path}[{i}]", keys)
    elif isinstance(node, str):
        yield path, keys, node


# -- the run ------------------------------------------------------------------------------------

LEAKS = ("person", "street", "phone", "email", "dob")
KEPT = ("~thing name", "~id", "~status", "~url", "~date", "postcode")


@dataclass
class Tally:
    seen: Counter[str] = field(default_factory=Counter)
    intact: Counter[str] = field(default_factory=Counter)
    survivors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    destroyed: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    apis: set[str] = field(default_factory=set)
    payloads: int = 0


def _generic(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


def build_minimizer(ner: bool) -> Any:
    from datamin.core.config import RunConfig
    from datamin.keys import KeyRing
    from datamin.policies import bundled
    from datamin.policies.loader import load_policy

    keys = KeyRing(b"bench-api-examples-key-0123456789abcdef")
    loaded = load_policy(bundled("redact_only"))
    return RunConfig(loaded, keys, date(2026, 1, 1), ner=ner).minimizer()


def collect(mirrors: Path) -> list[Payload]:
    found, seen = [], set()
    for api, path, text in api_files(mirrors):
        for p in payloads(api, path, text):
            key = (api, json.dumps(p.record, sort_keys=True, default=str))
            if key not in seen:
                seen.add(key)
                found.append(p)
    return found


def measure(
    found: list[Payload], minimizer: Any, batch: int = 64, values: bool = False
) -> dict[str, Tally]:
    import orjson

    from datamin.core.minimize import Written
    from datamin.core.records import RawRecord

    tallies = {"dev": Tally(), "frozen": Tally()}
    judged: dict[tuple[str, str, str, str], bool] = {}
    shown: dict[tuple[str, str, str, str], str] = {}
    for at in range(0, len(found), batch):
        chunk = found[at : at + batch]
        items = [RawRecord("api", i, orjson.dumps(p.record)) for i, p in enumerate(chunk)]
        for p, outcome in zip(chunk, minimizer.process(items), strict=True):
            tally = tallies[half_of(p.api)]
            tally.payloads += 1
            tally.apis.add(p.api)
            out = outcome.rows["standard"]["fields"] if isinstance(outcome, Written) else {}
            for path, keys, value in leaves(p.record):
                if len(value.strip()) < 2 or value.strip().lower() in _PLACEHOLDERS:
                    continue
                category = oracle(p.root, list(keys), value)
                if category is None:
                    continue
                key = (p.api, category, _generic(path), value)
                intact = out.get(path) == value
                judged[key] = judged.get(key, False) or intact
                if values:
                    shown[key] = f" {value!r} -> {out.get(path)!r}"
    for key, intact in judged.items():
        api, category, path, _ = key
        tally = tallies[half_of(api)]
        tally.seen[category] += 1
        where = f"{api}: {path}{shown.get(key, '')}"
        if intact:
            tally.intact[category] += 1
            tally.survivors[category][where] += 1
        else:
            tally.destroyed[category][where] += 1
    return tallies


def report(tallies: dict[str, Tally], halves: tuple[str, ...], show: int) -> str:
    lines = []
    for half in halves:
        t = tallies[half]
        lines.append(f"== {half}: {len(t.apis)} APIs, {t.payloads} payloads")
        lines.append(f"{'category':<14} {'values':>7} {'intact':>7} {'share':>7}")
        for cat in (*LEAKS, "city", *KEPT):
            n, k = t.seen[cat], t.intact[cat]
            share = f"{100 * k / n:.1f}%" if n else "-"
            lines.append(f"{cat:<14} {n:>7} {k:>7} {share:>7}")
        leaked = sum(t.intact[c] for c in ("person", "street"))
        total = sum(t.seen[c] for c in ("person", "street"))
        if total:
            lines.append(
                f"names+streets left intact: {leaked}/{total} = {100 * leaked / total:.1f}%"
            )
        kept = sum(t.seen[c] - t.intact[c] for c in KEPT if c != "postcode")
        lines.append(f"look-alikes destroyed (not postcodes): {kept}")
        if half == "dev" and show:
            for cat in (*LEAKS, "city"):
                for where, n in t.survivors[cat].most_common(show):
                    lines.append(f"  {cat} kept: {where} x{n}")
            for cat in KEPT:
                for where, n in t.destroyed[cat].most_common(show):
                    lines.append(f"  {cat} destroyed: {where} x{n}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=MIRRORS)
    parser.add_argument("--half", choices=("dev", "frozen", "both"), default="both")
    parser.add_argument("--no-ner", action="store_true", help="structured families only")
    parser.add_argument("--show", type=int, default=40, help="dev survivors' paths to list")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--values", action="store_true", help="show dev values too (public examples)"
    )
    args = parser.parse_args()
    found = collect(args.mirrors)
    if not found:
        sys.exit(f"no API descriptions under {args.mirrors}: fetch the mirrors named in SOURCES")
    tallies = measure(found, build_minimizer(not args.no_ner), values=args.values)
    halves = ("dev", "frozen") if args.half == "both" else (args.half,)
    if args.json:
        out = {
            h: {c: [tallies[h].seen[c], tallies[h].intact[c]] for c in tallies[h].seen}
            for h in halves
        }
        print(json.dumps(out, indent=1))
    else:
        print(report(tallies, halves, args.show))


if __name__ == "__main__":
    main()
