"""Record shapes for the sample: HAR 1.2 entries from a shop API, one kind of request at a time.

Each kind of request plants what that kind of request really carries (a login form carries a
password, a checkout a card number and a delivery note naming someone) next to harmless
look-alikes (order numbers, SKUs, UUIDs, ETags, versions) that a good redactor must leave alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from datamin.sample.values import Fakes, Person, Recorder

_HOST = "api.shop.example"
_STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 302: "Found", 401: "Unauthorized"}
_USER_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.6367.91 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "ShopApp/4.12.3 (iPhone; iOS 17.4.1; Scale/3.00)",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
)
_CLIENT_VERSIONS = ("4.12.3", "4.13.0", "2026.02.1", "3.9.14-beta.2")
_COLOURS = ("BLK", "WHT", "NVY", "RED")
_COOKIE_ATTRS = {"path": "/", "domain": ".shop.example", "httpOnly": True, "secure": True}


@dataclass
class _Exchange:
    """One request and its response while a kind below fills them in."""

    fakes: Fakes
    rec: Recorder
    person: Person
    other: Person
    when: datetime
    method: str = "GET"
    path: str = "/"
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    cookies: list[tuple[str, str]] = field(default_factory=list)
    form: list[tuple[str, str]] | None = None
    body: dict[str, Any] | None = None
    status: int = 200
    response: dict[str, Any] | None = None
    set_cookies: list[tuple[str, str]] = field(default_factory=list)
    redirect: str = ""

    def plant(self, entity: str, value: str, where: str) -> str:
        return self.rec.plant(entity, value, where)

    def order_no(self, where: str) -> str:
        return self.rec.harmless("order_number", f"ORD-2026-{self.fakes.digits(6)}", where)

    def item(self, where: str) -> dict[str, Any]:
        r = self.fakes.rng
        sku = f"SKU-{r.randint(10000, 99999)}-{r.choice(_COLOURS)}"
        return {
            "sku": self.rec.harmless("sku", sku, f"{where}.sku"),
            "qty": r.randint(1, 3),
            "unit_price": f"{r.randint(5, 240)}.{r.choice(('00', '50', '95', '99'))}",
        }

    def address(self, where: str) -> dict[str, str]:
        p = self.person
        line1 = self.plant("LOCATION", p.street, f"{where}.line1")
        return {"line1": line1, "city": p.city, "postal_code": p.postal_code, "country": "US"}


def _jwt(x: _Exchange) -> None:
    token = x.fakes.jwt(str(x.person.user_id), x.when)
    where = "request.headers.authorization"
    x.headers.append(("Authorization", "Bearer " + x.plant("JWT", token, where)))


def _opaque(x: _Exchange) -> None:
    token = x.plant("BEARER_TOKEN", x.fakes.token(), "request.headers.authorization")
    x.headers.append(("Authorization", f"Bearer {token}"))


def _basic(x: _Exchange) -> None:
    creds = x.plant("BASIC_AUTH", x.fakes.basic_auth(), "request.headers.authorization")
    x.headers.append(("Authorization", f"Basic {creds}"))


def _api_key(x: _Exchange) -> None:
    key = x.plant("API_KEY", x.fakes.api_key(), "request.headers.x-api-key")
    x.headers.append(("X-Api-Key", key))


def _session(x: _Exchange) -> None:
    name = x.fakes.rng.choice(("session", "sid", "JSESSIONID"))
    value = x.plant("SESSION_ID", x.person.sessions[name], f"request.cookies.{name}")
    x.cookies.append((name, value))


def _orders(x: _Exchange) -> None:
    r, p = x.fakes.rng, x.person
    _jwt(x)
    _session(x)
    x.path = f"/v1/users/{p.user_id}/orders"
    x.query = [("page", str(r.randint(1, 4))), ("limit", "20"), ("status", "shipped")]
    w = "response.content.text.orders"
    orders = [
        {
            "order_id": x.order_no(f"{w}.order_id"),
            "status": r.choice(("shipped", "delivered", "processing")),
            "items": [x.item(f"{w}.items") for _ in range(r.randint(1, 3))],
            "ship_to": {"name": x.plant("PERSON", p.name, f"{w}.ship_to.name")}
            | x.address(f"{w}.ship_to"),
        }
        for _ in range(r.randint(1, 3))
    ]
    x.response = {"user_id": p.user_id, "orders": orders, "next_page": None}


def _search(x: _Exchange) -> None:
    p = x.person
    _api_key(x)
    x.path = "/v1/customers/search"
    email = x.plant("EMAIL_ADDRESS", p.email, "request.queryString.email")
    x.query = [("email", email), ("include", "orders")]
    w = "response.content.text.results"
    phone = x.fakes.phone_display(p.phone)
    hit = {
        "id": p.user_id,
        "name": x.plant("PERSON", p.name, f"{w}.name"),
        "email": email,
        "phone": x.plant("PHONE_NUMBER", phone, f"{w}.phone"),
    }
    x.response = {"results": [hit], "total": 1}


def _checkout(x: _Exchange) -> None:
    r, f, p, o = x.fakes.rng, x.fakes, x.person, x.other
    _jwt(x)
    _session(x)
    x.method, x.path, x.status = "POST", "/v1/checkout", 201
    key = x.rec.harmless("uuid", f.uuid(), "request.headers.idempotency-key")
    x.headers.append(("Idempotency-Key", key))
    w = "request.postData.text"
    name = x.plant("PERSON", p.name, f"{w}.customer.name")
    other = x.plant("PERSON", o.name, f"{w}.delivery_instructions")
    other_street = x.plant("LOCATION", o.street, f"{w}.delivery_instructions")
    note = r.choice(
        (
            f"Please call {name} before delivery",
            f"Gift for {other}, please leave the invoice out",
            f"Ring twice, {name} works nights",
        )
    )
    x.body = {
        "customer": {
            "name": name,
            "email": x.plant("EMAIL_ADDRESS", p.email, f"{w}.customer.email"),
        },
        "billing": {
            "phone": x.plant("PHONE_NUMBER", f.phone_display(p.phone), f"{w}.billing.phone"),
            "address": x.address(f"{w}.billing.address"),
        },
        "payment": {
            "method": "card",
            "card_number": x.plant("CREDIT_CARD", p.card, f"{w}.payment.card_number"),
            "exp_month": r.randint(1, 12),
            "exp_year": r.randint(2027, 2031),
        },
        "items": [x.item(f"{w}.items") for _ in range(r.randint(1, 4))],
        "notes": note,
        "delivery_instructions": f"Leave it with {other} at {other_street} if nobody answers.",
    }
    order = x.order_no("response.content.text.order_id")
    x.response = {"order_id": order, "status": "confirmed", "currency": "USD"}


def _login_form(x: _Exchange) -> None:
    x.method, x.path = "POST", "/v1/auth/login"
    w = "request.postData.params"
    x.form = [
        ("username", x.plant("EMAIL_ADDRESS", x.person.email, f"{w}.username")),
        ("password", x.plant("PASSWORD", x.fakes.password(), f"{w}.password")),
        ("remember_me", "1"),
    ]
    if x.fakes.rng.random() < 0.15:
        x.status = 401
        x.response = {"error": "invalid_credentials", "message": "Email or password is wrong."}
        return
    session = x.plant("SESSION_ID", x.fakes.session("session"), "response.headers.set-cookie")
    x.set_cookies.append(("session", session))
    token = x.plant("BEARER_TOKEN", x.fakes.token(), "response.content.text.access_token")
    x.response = {"access_token": token, "token_type": "Bearer", "expires_in": 3600}


def _login_json(x: _Exchange) -> None:
    _basic(x)
    x.method, x.path = "POST", "/v1/oauth/token"
    w, f = "request.postData.text", x.fakes
    x.body = {
        "grant_type": "password",
        "username": x.plant("EMAIL_ADDRESS", x.person.email, f"{w}.username"),
        "password": x.plant("PASSWORD", f.password(), f"{w}.password"),
    }
    w = "response.content.text"
    x.response = {
        "access_token": x.plant("JWT", f.jwt(str(x.person.user_id), x.when), f"{w}.access_token"),
        "refresh_token": x.plant("BEARER_TOKEN", f.token(48, "rt_"), f"{w}.refresh_token"),
        "token_type": "Bearer",
        "expires_in": 3600,
    }


def _profile(x: _Exchange) -> None:
    p, w = x.person, "request.postData.text"
    _opaque(x)
    x.method, x.path = "PUT", f"/v1/users/{p.user_id}/profile"
    name = x.plant("PERSON", p.name, f"{w}.name")
    x.body = {
        "name": name,
        "email": x.plant("EMAIL_ADDRESS", p.email, f"{w}.email"),
        "phone": x.plant("PHONE_NUMBER", p.phone, f"{w}.phone"),
        "ssn": x.plant("US_SSN", p.ssn, f"{w}.ssn"),
        "dob": x.plant("DATE_OF_BIRTH", p.dob, f"{w}.dob"),
        "address": x.address(f"{w}.address"),
        "comment": f"{name} asked us to send everything to {p.street} from now on.",
    }
    x.response = {"id": p.user_id, "updated_at": _iso(x.when), "email_verified": True}


def _payout(x: _Exchange) -> None:
    p, w = x.person, "request.postData.text"
    _api_key(x)
    x.method, x.path, x.status = "POST", "/v1/payouts", 202
    order = x.order_no(f"{w}.reference")
    x.body = {
        "account_holder": x.plant("PERSON", p.name, f"{w}.account_holder"),
        "iban": x.plant("IBAN_CODE", p.iban, f"{w}.iban"),
        "amount": f"{x.fakes.rng.randint(10, 900)}.00",
        "currency": "EUR",
        "reference": order,
    }
    x.response = {"payout_id": "po_" + x.fakes.hex(24), "status": "pending"}


def _reset(x: _Exchange) -> None:
    x.path, x.status = "/v1/password-reset/confirm", 302
    x.query = [
        ("token", x.plant("SECRET", x.fakes.token(48), "request.queryString.token")),
        ("email", x.plant("EMAIL_ADDRESS", x.person.email, "request.queryString.email")),
    ]
    x.redirect = "https://shop.example/account/reset?status=ok"


def _export(x: _Exchange) -> None:
    x.path = "/v1/reports/export"
    token = x.plant("BEARER_TOKEN", x.fakes.token(), "request.queryString.access_token")
    x.query = [("access_token", token), ("format", "csv"), ("from", "2026-03-01")]
    report = x.rec.harmless("uuid", x.fakes.uuid(), "response.content.text.report_id")
    x.response = {"report_id": report, "rows": x.fakes.rng.randint(10, 5000), "status": "queued"}


def _keys(x: _Exchange) -> None:
    _api_key(x)
    x.method, x.path, x.status = "POST", "/v1/integrations/deploy-bot/keys", 201
    pem = x.plant("PRIVATE_KEY", x.fakes.private_key(), "request.postData.text.private_key")
    x.body = {"name": "deploy-bot", "algorithm": "RSA-2048", "private_key": pem}
    x.response = {"key_id": x.rec.harmless("uuid", x.fakes.uuid(), "response.content.text.key_id")}


def _catalog(x: _Exchange) -> None:
    _session(x)
    item = x.item("response.content.text")
    x.path = f"/v1/catalog/products/{item['sku']}"
    x.query = [("currency", "USD"), ("fields", "price,stock")]
    x.response = item | {"name": "Trail Runner 2", "in_stock": True, "api_version": "v3.2.1"}


# Every kind of request, and how often it shows up in a shop's traffic.
_KINDS: tuple[Callable[[_Exchange], None], ...] = (
    _orders,
    _search,
    _checkout,
    _login_form,
    _login_json,
    _profile,
    _payout,
    _reset,
)
_KINDS += (_export, _keys, _catalog)
_WEIGHTS = (3, 2, 3, 2, 1, 2, 1, 1, 1, 1, 3)


def _pairs(items: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": n, "value": v} for n, v in items]


def _timings(x: _Exchange) -> dict[str, float]:
    r = x.fakes.rng
    fresh = r.random() < 0.2  # a new connection: DNS, TCP and TLS times are present
    connect = round(r.uniform(20, 90), 3) if fresh else -1
    return {
        "blocked": round(r.uniform(0.3, 4), 3),
        "dns": round(r.uniform(1, 30), 3) if fresh else -1,
        "connect": connect,
        "ssl": round(connect * 0.6, 3) if fresh else -1,  # part of connect, as HAR 1.2 says
        "send": round(r.uniform(0.05, 0.6), 3),
        "wait": round(r.uniform(18, 420), 3),
        "receive": round(r.uniform(0.2, 25), 3),
    }


def build_entry(
    index: int, when: datetime, crowd: list[Person], fakes: Fakes, rec: Recorder
) -> dict[str, Any]:
    """One HAR 1.2 entry; the first entries go through every kind once, so that a sample of a
    dozen entries already holds every entity."""
    r = fakes.rng
    person, other = r.sample(crowd, 2)
    x = _Exchange(fakes, rec, person, other, when)
    kind = _KINDS[index] if index < len(_KINDS) else r.choices(_KINDS, _WEIGHTS)[0]
    kind(x)

    ip = x.plant("IP_ADDRESS", fakes.ip(), "request.headers.x-forwarded-for")
    request_id = rec.harmless("uuid", fakes.uuid(), "request.headers.x-request-id")
    version = rec.harmless(
        "version", r.choice(_CLIENT_VERSIONS), "request.headers.x-client-version"
    )
    ga = f"GA1.2.{fakes.digits(10)}.{int(when.timestamp()) - r.randint(0, 10**7)}"
    cookies = [*x.cookies, ("theme", "dark"), ("_ga", rec.harmless("ga_cookie", ga, "cookie"))]
    headers = [
        ("Host", _HOST),
        ("User-Agent", r.choice(_USER_AGENTS)),
        ("Accept", "application/json"),
        ("Accept-Encoding", "gzip, deflate, br"),
        ("Cache-Control", "max-age=0"),
        ("X-Request-Id", request_id),
        ("X-Client-Version", version),
        ("X-Forwarded-For", ip),
        *x.headers,
        ("Cookie", "; ".join(f"{n}={v}" for n, v in cookies)),
    ]
    post: dict[str, Any] | None = None
    if x.body is not None:
        post = {"mimeType": "application/json", "text": _dumps(x.body)}
    elif x.form is not None:
        form = "application/x-www-form-urlencoded"
        post = {"mimeType": form, "text": urlencode(x.form), "params": _pairs(x.form)}
    if post:
        headers.append(("Content-Type", post["mimeType"]))
    url = f"https://{_HOST}{x.path}" + (f"?{urlencode(x.query)}" if x.query else "")
    http = r.choice(("HTTP/1.1", "http/2.0"))
    request: dict[str, Any] = {
        "method": x.method,
        "url": url,
        "httpVersion": http,
        "headers": _pairs(headers),
        "queryString": _pairs(x.query),
        "cookies": _pairs(cookies),
        "headersSize": sum(len(n) + len(v) + 4 for n, v in headers) + len(url) + 16,
        "bodySize": len(post["text"].encode()) if post else 0,
    }
    if post:
        request["postData"] = post
    response = _response(x, http)
    timings = _timings(x)
    return {
        "startedDateTime": _iso(when),
        "time": round(sum(v for k, v in timings.items() if v > 0 and k != "ssl"), 3),
        "request": request,
        "response": response,
        "cache": {},
        "timings": timings,
        "serverIPAddress": r.choice(("192.0.2.10", "192.0.2.11")),
        "connection": str(r.randint(10000, 99999)),
    }


def _response(x: _Exchange, http: str) -> dict[str, Any]:
    text = _dumps(x.response) if x.response is not None else ""
    etag = f'W/"{x.fakes.hex(8)}-{x.fakes.hex(16)}"'
    expires = x.when + timedelta(days=14)
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(text.encode()))),
        ("Date", format_datetime(x.when, usegmt=True)),
        ("Cache-Control", x.fakes.rng.choice(("no-store", "private, max-age=0"))),
        ("ETag", x.rec.harmless("etag", etag, "response.headers.etag")),
        ("Server", "nginx/1.25.4"),
        ("X-Api-Version", "2026-01-15"),
    ]
    if x.redirect:
        headers.append(("Location", x.redirect))
    cookies = []
    for name, value in x.set_cookies:
        attrs = f"Path=/; Domain=.shop.example; Expires={format_datetime(expires, usegmt=True)}"
        headers.append(("Set-Cookie", f"{name}={value}; {attrs}; HttpOnly; Secure"))
        cookies.append({"name": name, "value": value, "expires": _iso(expires)} | _COOKIE_ATTRS)
    return {
        "status": x.status,
        "statusText": _STATUS_TEXT[x.status],
        "httpVersion": http,
        "headers": _pairs(headers),
        "cookies": cookies,
        "content": {
            "size": len(text.encode()),
            "mimeType": "application/json" if text else "text/html",
            "text": text,
        },
        "redirectURL": x.redirect,
        "headersSize": sum(len(n) + len(v) + 4 for n, v in headers) + 17,
        "bodySize": len(text.encode()),
    }


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
