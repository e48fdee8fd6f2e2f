"""Fake values for the sample: who the customers are and what their secrets look like.

Everything here is fake by construction: reserved domains, documentation IP ranges, 555-01xx and
Ofcom drama phone numbers, random Luhn-valid cards, IBANs with computed check digits, SSNs that
pass validation, random tokens in the shapes real services issue.
"""

from __future__ import annotations

import base64
import json
import random
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from stdnum import iban as stdnum_iban
from stdnum.us import ssn as stdnum_ssn


@dataclass(frozen=True)
class Planted:
    """A sensitive value placed in the sample: its entity, the exact string, and where it sits."""

    entity: str
    value: str = field(repr=False)  # fake, but kept out of reprs and assertion messages anyway
    where: str


@dataclass(frozen=True)
class Lookalike:
    """A harmless value shaped like a sensitive one (order number, UUID, SKU, ETag...)."""

    kind: str
    value: str
    where: str


class Recorder:
    """Collects what one record plants; `plant` returns the value so it can sit inline."""

    def __init__(self) -> None:
        self.planted: list[Planted] = []
        self.lookalikes: list[Lookalike] = []

    def plant(self, entity: str, value: str, where: str) -> str:
        self.planted.append(Planted(entity, value, where))
        return value

    def harmless(self, kind: str, value: str, where: str) -> str:
        self.lookalikes.append(Lookalike(kind, value, where))
        return value


_B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_FIRST = (
    "Maria James Aisha Wei Olga Kwame Priya Lucas Fatima Noah Hannah Mateo Yuki Daniel Amara "
    "Elena Tomasz Grace Omar Ingrid José Zoë François Noémie"
).split()
_LAST = (
    "Gonzalez Whitfield Okonkwo Lindqvist Nakamura Petrovic Haddad Castellano Brennan Oyelaran "
    "Kowalczyk Desrosiers Abernathy Valdivia Thorsen Müller Núñez Okafor Ramaswamy Fairweather"
).split()
_STREETS = (
    "Evergreen Maple Oakwood Juniper Chestnut Lakeshore Birchwood Sycamore Magnolia Harborview "
    "Willowbrook Cedar Ridge Aspen Hollow Larkspur"
).split()
_SUFFIXES = "Street Avenue Terrace Lane Drive Road Boulevard Court Way".split()
_CITIES = (
    ("Springfield", "62704"),
    ("Riverton", "84065"),
    ("Fairview", "37062"),
    ("Salem", "97301"),
)
_WORDS = "Maple Harbor Falcon Velvet Copper Meadow Lantern Orbit Saffron Glacier Thistle".split()
_EMAIL_DOMAINS = (
    "example.com",
    "mail.example.com",
    "example.org",
    "example.net",
    "corp.example.net",
)
_US_AREAS = ("202", "212", "305", "312", "415", "503", "617", "702", "713", "808", "919")
_SYMBOLS = "!#$%&*?@^~-_."
# Test numbers card processors publish (Visa, Mastercard incl. 2-series, Amex, Discover, JCB).
_TEST_CARDS = (
    "4111111111111111 4242424242424242 4012888888881881 4000056655665556 4917610000000000 "
    "4988438843884305 5555555555554444 5105105105105100 5200828282828210 5454545454545454 "
    "2223003122003222 378282246310005 371449635398431 378734493671000 6011111111111117 "
    "6011000990139424 3566002020360505"
).split()
# 2026 days the sample spreads over, so that outputs fall into several date partitions.
_DAYS = tuple(datetime(2026, 3, d, tzinfo=UTC) for d in (2, 3, 5, 9))
# Or, given the day it is written (the demo's), the days before it: the shortest class of the
# bundled policies is 7d, so a demo's output is not past its retention when it is written.
_DAYS_BEFORE = (6, 5, 3, 1)


def sample_days(today: datetime | None) -> tuple[datetime, ...]:
    """The days a sample spreads over: fixed in March 2026 (tests, reproducible), or the days
    just before `today`."""
    if today is None:
        return _DAYS
    midnight = datetime(today.year, today.month, today.day, tzinfo=UTC)
    return tuple(midnight - timedelta(days=n) for n in _DAYS_BEFORE)


def _iban(country: str, bban: str) -> str:
    """ISO 13616: the check digits make `bban + country + check` equal 1 mod 97."""
    check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    return f"{country}{check:02d}{bban}"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Person:
    """A fake customer, reused across requests and messages as real customers are."""

    name: str
    email: str
    phone: str  # E.164
    street: str
    city: str
    postal_code: str
    user_id: int
    card: str
    ssn: str
    iban: str
    sessions: dict[str, str]  # cookie name -> value

    @property
    def dob(self) -> str:
        """A birth date between 1950 and 2004, derived from the id so no other value moves."""
        return (date(1950, 1, 1) + timedelta(days=self.user_id % 20_000)).isoformat()


class Fakes:
    """Draws fake values from one `Random`; every value it returns is new within its stream."""

    def __init__(self, rng: random.Random, days: tuple[datetime, ...] = _DAYS) -> None:
        self.rng = rng
        self.days = days
        self._seen: set[str] = set()

    def _fresh(self, make: Callable[[], str | None]) -> str:
        for _ in range(10_000):
            value = make()
            if value is not None and value not in self._seen:
                self._seen.add(value)
                return value
        raise RuntimeError("sample value space exhausted")

    def chars(self, n: int, alphabet: str = _B62) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def digits(self, n: int) -> str:
        return self.chars(n, "0123456789")

    def hex(self, n: int) -> str:
        return self.chars(n, "0123456789abcdef")

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def name(self) -> str:
        return self._fresh(lambda: f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}")

    def email(self, name: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        first, last = ascii_name.lower().split()
        local = self.rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}"))
        return self._fresh(
            lambda: f"{local}{self.rng.randint(2, 99)}@{self.rng.choice(_EMAIL_DOMAINS)}"
        )

    def phone(self, *, us_only: bool = False) -> str:
        """E.164 in fictional ranges that phonenumbers still calls valid: US 555-01xx, and
        Ofcom's drama range 020 7946 0xxx."""

        def make() -> str:
            if us_only or self.rng.random() < 0.8:
                return f"+1{self.rng.choice(_US_AREAS)}55501{self.rng.randint(0, 99):02d}"
            return f"+442079460{self.rng.randint(0, 999):03d}"

        return self._fresh(make)

    def phone_display(self, e164: str) -> str:
        """The same number as a person would type it."""
        if e164.startswith("+44"):
            return self.rng.choice((f"+44 20 7946 {e164[-4:]}", f"020 7946 {e164[-4:]}"))
        area, exch, line = e164[2:5], e164[5:8], e164[8:]
        shapes = (f"({area}) {exch}-{line}", f"{area}-{exch}-{line}", f"+1 {area}-{exch}-{line}")
        return self.rng.choice(shapes)

    def card(self) -> str:
        """A published test card number: Luhn-valid, and never anyone's card."""
        return self._fresh(lambda: self.rng.choice(_TEST_CARDS))

    def card_display(self, card: str) -> str:
        sep = self.rng.choice((" ", "-"))
        if len(card) == 15:
            return sep.join((card[:4], card[4:10], card[10:]))
        return sep.join(card[i : i + 4] for i in range(0, 16, 4))

    def ssn(self) -> str:
        def make() -> str | None:
            r = self.rng
            value = f"{r.randint(1, 899):03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"
            return value if stdnum_ssn.is_valid(value) else None

        return self._fresh(make)

    def iban(self) -> str:
        def make() -> str | None:
            country, bban = self.rng.choice(
                (
                    ("DE", self.digits(18)),
                    ("GB", self.rng.choice(("NWBK", "BARC", "LOYD")) + self.digits(14)),
                    ("NL", self.rng.choice(("ABNA", "RABO", "INGB")) + self.digits(10)),
                )
            )
            value = _iban(country, bban)
            return value if stdnum_iban.is_valid(value) else None

        return self._fresh(make)

    def ip(self) -> str:
        """A client address from the documentation ranges; IPv4 last octets have three digits,
        so no planted address is a prefix of another."""

        def make() -> str:
            roll = self.rng.random()
            if roll < 0.4:
                return f"203.0.113.{self.rng.randint(100, 254)}"
            if roll < 0.8:
                return f"198.51.100.{self.rng.randint(100, 254)}"
            return f"2001:db8:{self.hex(4)}::{self.hex(4)}"

        return self._fresh(make)

    def street(self) -> str:
        r = self.rng
        return self._fresh(
            lambda: f"{r.randint(10, 9899)} {r.choice(_STREETS)} {r.choice(_SUFFIXES)}"
        )

    def password(self) -> str:
        """At least 11 characters, no spaces or `+`, so form encodings stay unambiguous."""

        def make() -> str:
            r = self.rng
            if r.random() < 0.5:
                words = f"{r.choice(_WORDS)}{r.choice(_SYMBOLS)}{r.choice(_WORDS)}"
                return f"{words}{r.randint(10, 9999)}"
            return self.chars(r.randint(12, 20), _B62 + _SYMBOLS)

        return self._fresh(make)

    def token(self, n: int = 40, prefix: str = "") -> str:
        return self._fresh(lambda: prefix + self.chars(n, _B62 + "-_"))

    def session(self, cookie: str) -> str:
        if cookie == "JSESSIONID":
            return self._fresh(lambda: self.hex(32).upper())
        if cookie == "sid":
            return self._fresh(lambda: self.hex(32))
        return self._fresh(lambda: _b64url(self.rng.randbytes(32)))

    def jwt(self, subject: str, issued: datetime) -> str:
        """A real-looking JWT: base64url JSON header and payload, random signature."""
        header = {"alg": self.rng.choice(("HS256", "RS256")), "typ": "JWT"}
        iat = int(issued.timestamp())
        payload = {
            "iss": "https://auth.shop.example",
            "sub": subject,
            "aud": "api.shop.example",
            "iat": iat,
            "exp": iat + 3600,
            "jti": self.uuid(),
            "scope": self.rng.choice(("orders:read profile", "checkout payments:write")),
        }
        parts = [json.dumps(p, separators=(",", ":")).encode() for p in (header, payload)]
        signature = self.rng.randbytes(256 if header["alg"] == "RS256" else 32)
        return self._fresh(lambda: ".".join(_b64url(x) for x in (*parts, signature)))

    def basic_auth(self) -> str:
        """The base64 part of `Authorization: Basic ...` for a service account."""
        user = self.rng.choice(("svc-reporting", "billing-sync", "partner-acme", "ops-export"))
        secret = self.password()
        return base64.b64encode(f"{user}-{self.rng.randint(10, 99)}:{secret}".encode()).decode()

    def api_key(self) -> str:
        """Well-known key shapes: AWS access key id, Stripe, GitHub, Slack."""
        r = self.rng
        return self._fresh(
            lambda: r.choice(
                (
                    "AKIA" + self.chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                    "sk_live_" + self.chars(24),
                    "ghp_" + self.chars(36),
                    f"xoxb-{self.digits(11)}-{self.digits(13)}-{self.chars(24)}",
                )
            )
        )

    def private_key(self) -> str:
        """A PEM block shaped like an RSA PKCS#8 key; its body is random, not a key."""
        body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ" + base64.b64encode(
            self.rng.randbytes(1170)
        ).decode("ascii")
        lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        return "\n".join(["-----BEGIN PRIVATE KEY-----", *lines, "-----END PRIVATE KEY-----"])

    def moments(self, n: int) -> list[datetime]:
        """`n` sorted instants spread over the sample days, daytime, millisecond precision."""
        r = self.rng
        return sorted(
            r.choice(self.days)
            + timedelta(seconds=r.randint(7 * 3600, 22 * 3600), milliseconds=r.randint(0, 999))
            for _ in range(n)
        )


def people(seed: int, n: int = 16) -> list[Person]:
    """The sample's customers; HAR traffic and messages share them, as real archives do.
    At most 17: each holds its own published test card number."""
    fakes = Fakes(random.Random(seed))
    crowd = []
    for _ in range(n):
        name = fakes.name()
        city, postal_code = fakes.rng.choice(_CITIES)
        crowd.append(
            Person(
                name=name,
                email=fakes.email(name),
                phone=fakes.phone(),
                street=fakes.street(),
                city=city,
                postal_code=postal_code,
                user_id=fakes.rng.randint(1_000_000, 9_999_999),
                card=fakes.card(),
                ssn=fakes.ssn(),
                iban=fakes.iban(),
                sessions={c: fakes.session(c) for c in ("session", "sid", "JSESSIONID")},
            )
        )
    return crowd
