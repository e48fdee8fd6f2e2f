"""Values for the public corpora (`datamin.evaluation.public`): people from Faker's locales,
credentials in their providers' documented formats, and harmless look-alikes.

Faker (MIT) supplies names, streets, phones, IBANs, cards and national numbers in each locale's
own formats; nothing of its data is copied here, it is called at build time. The credential
shapes are written from the providers' public documentation of prefixes and lengths (URLs in
`datamin/evaluation/corpora/LICENSES.md`); the characters after a prefix are random, so no value is
a working secret. Every planted value is new in its corpus (`Ctx.fresh`), so a value surviving
the run is one occurrence surviving, and the leak count is a count of occurrences.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from stdnum.de import idnr as de_idnr
from stdnum.iso7064 import mod_11_10

from datamin.errors import DataminError
from datamin.evaluation.corpus import PLAIN, Label
from datamin.sample import Lookalike

B62 = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Where a value sits; `Label.where` and `Lookalike.where` are "<placement>:<path>".
NAMED, NEUTRAL, TEXT, LOG = "named", "neutral", "text", "log"
# Provider lists Faker builds by iterating a set of strings, so their order (and the values a
# seeded Faker picks from them) changes with PYTHONHASHSEED: (provider module, attribute).
# Found by hashing every provider list of every corpus locale under two hash seeds.
_SET_ORDERED = (("faker.providers.address.it_IT", "cities"),)


class MissingDependency(DataminError):
    """An optional dependency the public corpora need is not installed."""


def faker_for(locale: str, seed: str) -> Any:
    """A Faker for `locale`, seeded from `seed` (the same Faker version gives the same values)."""
    try:
        from faker import Faker
    except ImportError:
        raise MissingDependency(
            "the public eval corpora need Faker: pip install 'datamin[eval]' (or faker)"
        ) from None
    fake = Faker(locale)
    fake.seed_instance(int.from_bytes(hashlib.sha256(f"{seed}:{locale}".encode()).digest()[:8]))
    for provider in fake.providers:
        for module, attribute in _SET_ORDERED:
            if type(provider).__module__ == module and hasattr(provider, attribute):
                # on the instance: sorted, so a corpus is the same in every process
                setattr(provider, attribute, sorted(getattr(provider, attribute)))
    return fake


class Ctx:
    """One record being built: its locale's Faker, a random stream, what it plants."""

    def __init__(self, fake: Any, rng: random.Random, locale: str, taken: set[str]) -> None:
        self.fake, self.rng, self.locale, self.taken = fake, rng, locale, taken
        self.planted: list[Label] = []
        self.lookalikes: list[Lookalike] = []

    def fresh(self, make: Callable[[], str]) -> str:
        """A value made by `make` that is new in the corpus."""
        for _ in range(200):
            value = make()
            if value not in self.taken:
                self.taken.add(value)
                return value
        raise RuntimeError("cannot make a fresh value")  # never carries the value

    def plant(
        self, entity: str, value: str, placement: str, path: str, written: str | None = None
    ) -> str:
        """Record `value` (decoded) planted at `path`; returns it as written in the record."""
        shown = value if written is None else written
        self.planted.append(Label(entity, value, PLAIN, f"{placement}:{path}", shown))
        return shown

    def look(self, kind: str, value: str, placement: str, path: str) -> str:
        self.lookalikes.append(Lookalike(kind, value, f"{placement}:{path}"))
        return value

    # -- people ---------------------------------------------------------------------------
    def name(self) -> str:
        return self.fresh(lambda: f"{self.fake.first_name()} {self.fake.last_name()}")

    def street(self) -> str:
        return self.fresh(lambda: self.fake.street_address().replace("\n", ", "))

    def phone(self) -> str:
        return self.fresh(self.fake.phone_number)

    def email(self) -> str:
        def make() -> str:
            user = self.fake.user_name()
            return f"{user}{self.rng.randint(2, 99)}@{self.fake.free_email_domain()}"

        return self.fresh(make)

    def iban(self) -> str:
        return self.fresh(self.fake.iban)

    def card(self) -> str:
        def make() -> str:
            number = self.fake.credit_card_number()
            style = self.rng.randrange(3)
            if style == 0 or len(number) != 16:
                return number
            sep = " " if style == 1 else "-"
            return sep.join(number[i : i + 4] for i in range(0, 16, 4))

        return self.fresh(make)

    def ssn(self) -> tuple[str, str]:
        """(entity, value): the locale's national number where the catalogue names one."""
        if self.locale in NATIONAL_IDS:
            entity, make = NATIONAL_IDS[self.locale]
            if isinstance(make, str):
                return entity, self.fresh(getattr(self.fake, make))
            return entity, self.fresh(lambda: make(self))
        r = self.rng
        return "US_SSN", self.fresh(
            lambda: f"{r.randint(100, 665)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}"
        )

    def ip(self) -> str:
        v6 = self.rng.random() < 0.3
        return self.fresh(self.fake.ipv6 if v6 else self.fake.ipv4_public)

    # -- credentials (LICENSES.md cites each provider's documentation) --------------------
    def chars(self, n: int, alphabet: str = B62) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def token(self, family: str) -> str:
        return self.fresh(lambda: TOKENS[family](self))

    def password(self) -> str:
        words = ("Orchid", "Falcon", "Cobalt", "Meadow", "Quartz", "Harbor", "Saffron")
        return self.fresh(
            lambda: f"{self.rng.choice(words)}{self.rng.choice('!#%*^')}{self.chars(6)}"
        )

    def private_key(self) -> str:
        body = base64.b64encode(self.rng.randbytes(300)).decode()
        lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        return self.fresh(
            lambda: f"-----BEGIN PRIVATE KEY-----\n{lines}\n-----END PRIVATE KEY-----"
        )


def _my_number(c: Ctx) -> str:
    """Japan's Individual Number: 11 digits and a check digit, weights 2..7 then 2..6 from the
    right, 11 - (sum mod 11), 0 for a remainder of 0 or 1 (Cabinet Order of the My Number Act,
    article 8; python-stdnum has it only from 2.0, datamin needs 1.20)."""
    body = c.chars(11, "0123456789")
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(body), 1))
    return body + str(0 if total % 11 <= 1 else 11 - total % 11)


def _steuer_id(c: Ctx) -> str:
    """Germany's tax id: ten digits, one of them repeated, and an ISO 7064 check digit; drawn
    until stdnum accepts it (a few percent of draws are valid)."""
    while not de_idnr.is_valid(value := _ten_digits(c)):
        pass
    return value


def _ten_digits(c: Ctx) -> str:
    body = str(c.rng.randint(1, 9)) + c.chars(9, "0123456789")
    return body + mod_11_10.calc_check_digit(body)


# The catalogue's entity for a locale's national number, and the Faker method (or a function of
# the `Ctx`) that makes it; other locales plant a US SSN shape. NATIONAL_ID where the catalogue
# names no entity of the country (it is what datamin reports under an identity field).
NATIONAL_IDS: dict[str, tuple[str, str | Callable[[Ctx], str]]] = {
    "en_US": ("US_SSN", "ssn"),
    "en_GB": ("UK_NINO", "ssn"),
    "en_IN": ("IN_AADHAAR", "aadhaar_id"),
    "it_IT": ("IT_FISCAL_CODE", "ssn"),
    "pl_PL": ("PL_PESEL", "ssn"),
    "es_ES": ("ES_NIF", "nif"),
    "sv_SE": ("SE_PERSONNUMMER", "ssn"),
    # the DEV part's other locales (`templates_dev_more`)
    "de_DE": ("DE_TAX_ID", _steuer_id),
    "fr_FR": ("NATIONAL_ID", "ssn"),  # NIR, the social security number
    "es_MX": ("MX_CURP", "curp"),
    "pt_BR": ("BR_CPF", "cpf"),
    "tr_TR": ("TR_NATIONAL_ID", "ssn"),
    "ko_KR": ("KR_RRN", "ssn"),
    "ja_JP": ("NATIONAL_ID", _my_number),
    "fi_FI": ("FI_PERSONAL_IDENTITY_CODE", "ssn"),
    "en_CA": ("CA_SIN", "ssn"),
    "nl_BE": ("NATIONAL_ID", "ssn"),  # rijksregisternummer
}


def _b64url(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _jwt(c: Ctx) -> str:
    head = _b64url({"alg": "HS256", "typ": "JWT"})
    body = _b64url({"sub": str(c.rng.randint(10**5, 10**7)), "iat": 1767225600})
    sig = base64.urlsafe_b64encode(c.rng.randbytes(32)).decode().rstrip("=")
    return f"{head}.{body}.{sig}"


TOKENS: dict[str, Callable[[Ctx], str]] = {
    "aws_access_key": lambda c: "AKIA" + c.chars(16, B32),
    "aws_secret_key": lambda c: c.chars(40, B62 + "/+"),
    "github_classic": lambda c: "ghp_" + c.chars(36),
    "github_fine": lambda c: f"github_pat_{c.chars(22)}_{c.chars(59)}",
    "gitlab": lambda c: "glpat-" + c.chars(20, B62 + "-_"),
    "slack_bot": lambda c: (
        f"xoxb-{c.chars(11, '0123456789')}-{c.chars(13, '0123456789')}-" + c.chars(24)
    ),
    "slack_webhook": lambda c: (
        f"https://hooks.slack.com/services/T{c.chars(8, B32)}/B{c.chars(10, B32)}/{c.chars(24)}"
    ),
    "stripe_secret": lambda c: "sk_live_" + c.chars(99),
    "stripe_restricted": lambda c: "rk_live_" + c.chars(99),
    "openai": lambda c: f"sk-proj-{c.chars(74, B62 + '-_')}T3BlbkFJ{c.chars(74, B62 + '-_')}",
    "anthropic": lambda c: f"sk-ant-api03-{c.chars(93, B62 + '-_')}AA",
    "huggingface": lambda c: "hf_" + c.chars(34, string.ascii_letters),
    "npm": lambda c: "npm_" + c.chars(36),
    "pypi": lambda c: "pypi-AgEIcHlwaS5vcmc" + c.chars(120, B62 + "-_"),
    "google_api": lambda c: "AIza" + c.chars(35, B62 + "-_"),
    "twilio_auth": lambda c: c.chars(32, HEX),
    "twilio_api_key": lambda c: "SK" + c.chars(32, HEX),
    "sendgrid": lambda c: f"SG.{c.chars(22, B62 + '-_')}.{c.chars(43, B62 + '-_')}",
    "vault": lambda c: "hvs." + c.chars(90, B62 + "-_"),
    "datadog_api": lambda c: c.chars(32, HEX),
    "datadog_app": lambda c: c.chars(40, HEX),
    "discord_webhook": lambda c: (
        f"https://discord.com/api/webhooks/{c.chars(18, '0123456789')}/" + c.chars(68, B62 + "-_")
    ),
    "jwt": _jwt,
}
# The entity a family is labelled with (the needles the leak scan derives depend on it).
TOKEN_ENTITY = {"jwt": "JWT"}


# -- look-alikes ---------------------------------------------------------------------------
def _ulid(c: Ctx) -> str:
    return "01J" + c.chars(23, CROCKFORD)


def _uuid(c: Ctx) -> str:
    h = c.chars(32, HEX)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


LOOKS: dict[str, Callable[[Ctx], str]] = {
    # ids, dates, statuses and API URLs: the issue wants >= 99 % of these kept
    "uuid": _uuid,
    "ulid": _ulid,
    "stripe_id": lambda c: c.rng.choice(("cus_", "pi_", "ch_", "pm_", "evt_")) + c.chars(24),
    "twilio_sid": lambda c: "SM" + c.chars(32, HEX),
    "iso_timestamp": lambda c: (
        f"2026-{c.rng.randint(1, 12):02d}-{c.rng.randint(1, 28):02d}T"
        f"{c.rng.randint(0, 23):02d}:{c.rng.randint(0, 59):02d}:{c.rng.randint(0, 59):02d}Z"
    ),
    "epoch": lambda c: str(c.rng.randint(1_760_000_000, 1_790_000_000)),
    "epoch_ms": lambda c: str(c.rng.randint(1_760_000_000_000, 1_790_000_000_000)),
    "api_url": lambda c: (
        f"https://api.{c.rng.choice(('stripe.com/v1/customers', 'github.com/repos'))}/{c.chars(14)}"
    ),
    # look-alikes in neutral fields and free text: >= 90 %
    "order_number": lambda c: c.rng.choice(("ORD-", "#", "PO-", "")) + c.chars(8, "0123456789"),
    "git_sha": lambda c: c.chars(40, HEX),
    "short_sha": lambda c: c.chars(7, HEX),
    "etag": lambda c: f'W/"{c.chars(8, HEX)}-{c.chars(16, HEX)}"',
    "version": lambda c: f"v{c.rng.randint(1, 9)}.{c.rng.randint(0, 40)}.{c.rng.randint(0, 99)}",
    "price": lambda c: f"{c.rng.randint(1, 2999)}.{c.rng.randint(0, 99):02d}",
    "quantity": lambda c: str(c.rng.randint(1, 480)),
    "sku": lambda c: f"SKU-{c.chars(5, '0123456789')}-{c.rng.choice(('BLK', 'RED', 'XL'))}",
    "tracking": lambda c: "1Z" + c.chars(16, string.ascii_uppercase + string.digits),
    "zip": lambda c: c.chars(5, "0123456789"),
}
IDS_DATES = frozenset(
    "uuid ulid stripe_id twilio_sid iso_timestamp epoch epoch_ms api_url status message_sid "
    "timestamp".split()
)


def looks(c: Ctx, kind: str, placement: str, path: str) -> str:
    """A fresh harmless value of `kind`, recorded as a look-alike."""
    return c.look(kind, c.fresh(lambda: LOOKS[kind](c)), placement, path)


def status(c: Ctx, placement: str, path: str) -> str:
    """A status word; statuses repeat, so survival of one is counted once per distinct word."""
    words = ("succeeded", "requires_payment_method", "delivered", "queued", "active", "paid")
    return c.look("status", c.rng.choice(words), placement, path)


# -- records -------------------------------------------------------------------------------
def _headers(pairs: Any) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs]


def har(
    c: Ctx,
    method: str,
    url: str,
    *,
    headers: Any = (),
    query: Any = (),
    body: str | None = None,
    mime: str = "application/json",
    status: int = 200,
    response: Any = None,
    response_headers: Any = (),
) -> dict[str, Any]:
    """A HAR 1.2 entry; `query` pairs are decoded values (the URL carries them encoded)."""
    query = list(query)
    full = url + ("?" + urlencode(query) if query else "")
    request: dict[str, Any] = {
        "method": method,
        "url": full,
        "httpVersion": "HTTP/1.1",
        "headers": _headers([("Accept", "application/json"), *headers]),
        "queryString": _headers(query),
        "cookies": [],
        "headersSize": -1,
        "bodySize": len(body.encode()) if body else 0,
    }
    if body is not None:
        request["postData"] = {"mimeType": mime, "text": body}
    text = "" if response is None else json.dumps(response, ensure_ascii=False)
    minute = c.rng.randrange(60 * 24 * 300)
    return {
        "startedDateTime": f"2026-{1 + minute // 43200:02d}-{1 + minute // 1440 % 28:02d}T"
        f"{minute // 60 % 24:02d}:{minute % 60:02d}:00.000Z",
        "time": round(c.rng.uniform(20, 900), 3),
        "request": request,
        "response": {
            "status": status,
            "statusText": "OK" if status < 300 else "Error",
            "httpVersion": "HTTP/1.1",
            "headers": _headers(
                [("Content-Type", "application/json; charset=utf-8"), *response_headers]
            ),
            "cookies": [],
            "content": {"size": len(text.encode()), "mimeType": "application/json", "text": text},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(text.encode()),
        },
        "cache": {},
        "timings": {"send": 0.1, "wait": 40.0, "receive": 1.2},
    }
