"""FROZEN templates of the public corpora. Nobody tunes a detector on these.

Do not read the records these build while working on a detector, do not add a case from them to
a detector's tests, and do not edit them to move a figure: they stand in for data nobody has
seen. Their shapes (form-encoded Stripe and Twilio bodies, a Shopify order webhook, headers as
arrays in gateway logs, env arrays, structured application logs), placements and locales differ
from the DEV templates (`_eval_templates_dev`). Changing them (or `FROZEN_SEED`) starts a new
frozen corpus: say so in the commit, and never after looking at a detector's output on them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus, urlencode

from datamin.evaluation.corpus import HAR, MESSAGES
from datamin.evaluation.values import LOG, NAMED, NEUTRAL, TEXT, TOKEN_ENTITY, Ctx, har, looks
from datamin.evaluation.values import status as a_status

LOCALES = ("en_IN", "en_AU", "es_ES", "it_IT", "nl_NL", "pl_PL", "sv_SE")
Record = tuple[str, dict[str, Any]]
_FORM = "application/x-www-form-urlencoded"


def _token(c: Ctx, families: tuple[str, ...], placement: str, path: str) -> str:
    family = c.rng.choice(families)
    return c.plant(TOKEN_ENTITY.get(family, "API_KEY"), c.token(family), placement, path)


def _form(c: Ctx, pairs: list[tuple[str, str, str | None]]) -> str:
    """A form body from (key, value, entity or None); planted values are labelled with the
    percent-encoded text the body holds."""
    out = []
    for key, value, entity in pairs:
        if entity is not None:
            c.plant(entity, value, NAMED, f"request.form.{key}", quote_plus(value))
        out.append((key, value))
    return urlencode(out)


def stripe_customer_form(c: Ctx) -> Record:
    key = _token(c, ("stripe_restricted",), NAMED, "request.headers.authorization")
    # form-safe characters only: a look-alike is counted kept when found as written
    order = c.fresh(lambda: "ORD-" + c.chars(8, "0123456789"))
    c.look("order_number", order, NAMED, "request.form.metadata[order_id]")
    body = _form(
        c,
        [
            ("name", c.name(), "PERSON"),
            ("email", c.email(), "EMAIL_ADDRESS"),
            ("phone", c.phone(), "PHONE_NUMBER"),
            ("address[line1]", c.street(), "LOCATION"),
            ("address[city]", c.fake.city(), None),
            ("metadata[order_id]", order, None),
            ("metadata[sku]", looks(c, "sku", NAMED, "request.form.metadata[sku]"), None),
        ],
    )
    w = "response.content.text"
    response = {
        "id": looks(c, "stripe_id", NAMED, f"{w}.id"),
        "object": "customer",
        "created": int(looks(c, "epoch", NAMED, f"{w}.created")),
        "livemode": True,
    }
    entry = har(
        c, "POST", "https://api.stripe.com/v1/customers", body=body, mime=_FORM,
        headers=[("Authorization", f"Bearer {key}")], response=response,
    )  # fmt: skip
    return HAR, entry


_SMS = {
    "en": "Dear {name}, your parcel {tracking} will be delivered to {street} tomorrow.",
    "es": "Hola {name}, su paquete {tracking} se entregará mañana en {street}.",
    "it": "Gentile {name}, il pacco {tracking} sarà consegnato domani in {street}.",
    "nl": "Beste {name}, je pakket {tracking} wordt morgen bezorgd op {street}.",
    "pl": "Dzień dobry {name}, paczka {tracking} zostanie jutro doręczona na {street}.",
    "sv": "Hej {name}, ditt paket {tracking} levereras i morgon till {street}.",
}


def _in_body(c: Ctx, entity: str, value: str) -> str:
    """`value` in the free text of a form's Body: the body holds it percent-encoded."""
    c.plant(entity, value, TEXT, "request.form.Body", quote_plus(value))
    return value


def twilio_send_form(c: Ctx) -> Record:
    sid = "AC" + c.chars(32, "0123456789abcdef")
    auth = c.token("twilio_auth")
    basic = "Basic " + base64.b64encode(f"{sid}:{auth}".encode()).decode()
    c.plant("BASIC_AUTH", basic, NAMED, "request.headers.authorization")
    text = _SMS[c.locale[:2]].format(
        name=_in_body(c, "PERSON", c.name()),
        tracking=looks(c, "tracking", TEXT, "request.form.Body"),
        street=_in_body(c, "LOCATION", c.street()),
    )
    body = _form(c, [("To", c.phone(), "PHONE_NUMBER"), ("From", c.phone(), "PHONE_NUMBER")])
    body += "&" + urlencode([("Body", text)])
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
    response = {"sid": looks(c, "twilio_sid", NAMED, "response.content.text.sid")}
    response["status"] = a_status(c, NAMED, "response.content.text.status")
    headers = [("Authorization", basic)]
    return HAR, har(c, "POST", url, body=body, mime=_FORM, headers=headers, response=response)


def shopify_order_webhook(c: Ctx) -> Record:
    w = "request.postData.text"
    order = {
        "id": c.rng.randint(10**12, 10**13),
        "email": c.plant("EMAIL_ADDRESS", c.email(), NAMED, f"{w}.email"),
        "phone": c.plant("PHONE_NUMBER", c.phone(), NAMED, f"{w}.phone"),
        "created_at": looks(c, "iso_timestamp", NAMED, f"{w}.created_at"),
        "total_price": looks(c, "price", NAMED, f"{w}.total_price"),
        "shipping_address": {
            "name": c.plant("PERSON", c.name(), NAMED, f"{w}.shipping_address.name"),
            "address1": c.plant("LOCATION", c.street(), NAMED, f"{w}.shipping_address.address1"),
            "zip": looks(c, "zip", NAMED, f"{w}.shipping_address.zip"),
            "phone": c.plant("PHONE_NUMBER", c.phone(), NAMED, f"{w}.shipping_address.phone"),
        },
        "note_attributes": [
            {"name": "gift_message_from", "value": c.plant("PERSON", c.name(), NEUTRAL, "value")},
            {"name": "api_token", "value": _token(c, ("npm", "pypi"), NEUTRAL, "value")},
            {"name": "batch", "value": looks(c, "ulid", NEUTRAL, "value")},
        ],
        "line_items": [
            {
                "sku": looks(c, "sku", NAMED, f"{w}.line_items.sku"),
                "quantity": int(looks(c, "quantity", NAMED, f"{w}.line_items.quantity")),
            }
        ],
        "order_status_url": looks(c, "api_url", NAMED, f"{w}.order_status_url"),
    }
    url = "https://merchant.example/webhooks/orders/create"
    return HAR, har(c, "POST", url, body=json.dumps(order, ensure_ascii=False), response={})


def gateway_headers_log(c: Ctx) -> Record:
    families = ("sendgrid", "twilio_api_key", "anthropic", "openai", "vault")
    record = {
        "ts": int(looks(c, "epoch_ms", NAMED, "ts")),
        "req": {
            "verb": "POST",
            "path": looks(c, "api_url", NAMED, "req.path"),
            "headers": [
                ["Content-Type", "application/json"],
                ["Authorization", "Bearer " + _token(c, families, NEUTRAL, "req.headers[1][1]")],
                ["X-Correlation-Id", looks(c, "uuid", NEUTRAL, "req.headers[2][1]")],
                ["X-Client-Ip", c.plant("IP_ADDRESS", c.ip(), NEUTRAL, "req.headers[3][1]")],
            ],
        },
        "res": {"code": 202, "etag": looks(c, "etag", NEUTRAL, "res.etag")},
    }
    return MESSAGES, record


_NOTE = {
    "en": "Guest list: {a}, {b}, {c}. Tribute to {d} at 7pm. Venue: {street}. RSVP {phone}",
    "es": "Invitados: {a}, {b}, {c}. Homenaje a {d} a las 19h. Lugar: {street}. Tel. {phone}",
    "it": "Invitati: {a}, {b}, {c}. Omaggio a {d} alle 19. Luogo: {street}. Tel. {phone}",
    "nl": "Gasten: {a}, {b}, {c}. Eerbetoon aan {d} om 19u. Locatie: {street}. Tel. {phone}",
    "pl": "Goście: {a}, {b}, {c}. Hołd dla {d} o 19. Miejsce: {street}. Tel. {phone}",
    "sv": "Gäster: {a}, {b}, {c}. Hyllning till {d} kl 19. Plats: {street}. Tel. {phone}",
}
_BANK = {
    "en": "pls use cc {card} or iban {iban}; my id no. is {nid}, shipment {tracking}",
    "es": "usad la tarjeta {card} o el iban {iban}; mi documento es {nid}, envío {tracking}",
    "it": "usate la carta {card} o l'iban {iban}; codice fiscale {nid}, spedizione {tracking}",
    "nl": "gebruik kaart {card} of iban {iban}; mijn nummer is {nid}, zending {tracking}",
    "pl": "proszę kartę {card} albo iban {iban}; mój numer to {nid}, przesyłka {tracking}",
    "sv": "använd kort {card} eller iban {iban}; mitt personnummer {nid}, paket {tracking}",
}


def _chat(c: Ctx, content: str) -> dict[str, Any]:
    return {
        "id": looks(c, "ulid", NAMED, "id"),
        "channel": "support",
        "author": {"handle": c.fake.user_name(), "tz": "UTC"},
        "content": content,
        "sent_at": looks(c, "epoch", NAMED, "sent_at"),
    }


def guest_note(c: Ctx) -> Record:
    w = "content"
    content = _NOTE[c.locale[:2]].format(
        a=c.plant("PERSON", c.name(), TEXT, w),
        b=c.plant("PERSON", c.name().lower(), TEXT, w),
        c=c.plant("PERSON", c.name(), TEXT, w),
        d=c.plant("PERSON", c.name(), TEXT, w),
        street=c.plant("LOCATION", c.street(), TEXT, w),
        phone=c.plant("PHONE_NUMBER", c.phone(), TEXT, w),
    )
    return MESSAGES, _chat(c, content)


def bank_note(c: Ctx) -> Record:
    entity, nid = c.ssn()
    content = _BANK[c.locale[:2]].format(
        card=c.plant("CREDIT_CARD", c.card(), TEXT, "content"),
        iban=c.plant("IBAN_CODE", c.iban().lower(), TEXT, "content"),
        nid=c.plant(entity, nid, TEXT, "content"),
        tracking=looks(c, "tracking", TEXT, "content"),
    )
    return MESSAGES, _chat(c, content)


_APP: tuple[tuple[str, str, str], ...] = (
    ("vault", "vault: renewed lease with token {secret}; ttl {look}s", "quantity"),
    ("gitlab", "$ docker login -u gitlab-ci-token -p {secret} registry.example.com:{look}", "zip"),
    ("anthropic", "llm client init failed (key={secret}) after {look} retries", "quantity"),
    (
        "aws_secret_key",
        "botocore: aws_secret_access_key={secret} profile=ci rev {look}",
        "short_sha",
    ),
    (
        "password",
        "pymongo: mongodb+srv://svc:{secret}@cluster0.example.net/app timed out, job {look}",
        "ulid",
    ),
    ("datadog_api", "DD_API_KEY={secret} dogstatsd started v{look}", "version"),
    ("discord_webhook", "alert sent to {secret} for deploy {look}", "git_sha"),
    ("jwt", "401 for Authorization: Bearer {secret} on order {look}", "order_number"),
    ("password", "sftp -oPassword={secret} upload@files.example.com batch {look}", "sku"),
)


def app_log(c: Ctx) -> Record:
    family, line, kind = c.rng.choice(_APP)
    entity = "PASSWORD" if family == "password" else TOKEN_ENTITY.get(family, "API_KEY")
    secret = c.password() if family == "password" else c.token(family)
    text = line.format(
        secret=c.plant(entity, secret, LOG, "message"), look=looks(c, kind, LOG, "m")
    )
    record: dict[str, Any] = {
        "@timestamp": looks(c, "iso_timestamp", NAMED, "@timestamp"),
        "log.level": "error",
        "message": text,
    }
    if c.rng.random() < 0.5:
        phone = c.plant("PHONE_NUMBER", c.phone(), LOG, "error.detail")
        record["error"] = {"detail": f"sms to {phone} rejected, retry {looks(c, 'uuid', LOG, 'e')}"}
    return MESSAGES, record


def env_manifest(c: Ctx) -> Record:
    env = [
        {"name": "SENDGRID_API_KEY", "value": _token(c, ("sendgrid",), NEUTRAL, "env.value")},
        {"name": "SUPPORT_LINE", "value": c.plant("PHONE_NUMBER", c.phone(), NEUTRAL, "env")},
        {"name": "RELEASE", "value": looks(c, "version", NEUTRAL, "env.value")},
        {"name": "COMMIT", "value": looks(c, "git_sha", NEUTRAL, "env.value")},
        {"name": "TLS_KEY", "value": c.plant("PRIVATE_KEY", c.private_key(), NEUTRAL, "env")},
    ]
    fields = [
        {"label": "Kontakt", "value": c.plant("EMAIL_ADDRESS", c.email(), NEUTRAL, "fields")},
        {"label": "Adres", "value": c.plant("LOCATION", c.street(), NEUTRAL, "fields.value")},
        {"label": "Ref", "value": looks(c, "order_number", NEUTRAL, "fields.value")},
    ]
    families = ("huggingface", "google_api", "twilio_auth", "datadog_app")
    record = {
        "kind": "Deployment",
        "spec": {"env": env},
        "store": {"payload": _token(c, families, NEUTRAL, "store.payload")},
        "form": {"fields": fields},
        "status": a_status(c, NAMED, "status"),
    }
    return MESSAGES, record


TEMPLATES: tuple[Callable[[Ctx], Record], ...] = (
    stripe_customer_form,
    guest_note,
    gateway_headers_log,
    twilio_send_form,
    app_log,
    shopify_order_webhook,
    app_log,
    bank_note,
    env_manifest,
)
