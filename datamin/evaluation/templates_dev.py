"""DEV templates of the public corpora: look at them, and at what datamin does to them, freely.

Each template builds one record (a HAR entry or a JSON line) after a public API's documented
shape (Stripe's PaymentMethod, Slack's chat.postMessage, GitHub's user, Twilio's Message) or
after ordinary log and config text, and plants fresh values in it through `Ctx`. More of them,
people and identifiers in structured fields of many shapes, are in `templates_dev_more`,
`templates_dev_people` and `templates_dev_orders`. The FROZEN templates
(`_eval_templates_frozen`) share none of these templates, placements or locales.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from datamin.evaluation import templates_dev_more as more
from datamin.evaluation import templates_dev_orders as orders
from datamin.evaluation import templates_dev_people as people
from datamin.evaluation.corpus import HAR, MESSAGES
from datamin.evaluation.values import LOG, NAMED, NEUTRAL, TEXT, TOKEN_ENTITY, Ctx, har, looks
from datamin.evaluation.values import status as a_status

BASE_LOCALES = ("en_US", "en_GB", "fr_FR", "de_DE", "es_MX", "pt_BR")
LOCALES = BASE_LOCALES + more.LOCALES  # every DEV locale
Record = tuple[str, dict[str, Any]]


def _lang(c: Ctx) -> str:
    return c.locale[:2]


def _token(c: Ctx, families: tuple[str, ...], placement: str, path: str) -> str:
    family = c.rng.choice(families)
    return c.plant(TOKEN_ENTITY.get(family, "API_KEY"), c.token(family), placement, path)


def stripe_payment_method(c: Ctx) -> Record:
    w = "response.content.text"
    key = _token(c, ("stripe_secret",), NAMED, "request.headers.authorization")
    pm = looks(c, "stripe_id", NAMED, f"{w}.id")
    body = {
        "id": pm,
        "object": "payment_method",
        "billing_details": {
            "address": {
                "city": more.name_free(c, c.fake.city),
                "country": c.locale[-2:],
                "line1": c.plant("LOCATION", c.street(), NAMED, f"{w}.billing_details.line1"),
                "postal_code": looks(c, "zip", NAMED, f"{w}.billing_details.address.zip"),
            },
            "email": c.plant("EMAIL_ADDRESS", c.email(), NAMED, f"{w}.billing_details.email"),
            "name": c.plant("PERSON", c.name(), NAMED, f"{w}.billing_details.name"),
            "phone": c.plant("PHONE_NUMBER", c.phone(), NAMED, f"{w}.billing_details.phone"),
        },
        "card": {"brand": "visa", "exp_month": c.rng.randint(1, 12), "exp_year": 2029},
        "created": int(looks(c, "epoch", NAMED, f"{w}.created")),
        "customer": looks(c, "stripe_id", NAMED, f"{w}.customer"),
        "livemode": True,
        "type": "card",
    }
    url = f"https://api.stripe.com/v1/payment_methods/{pm}"
    return HAR, har(c, "GET", url, headers=[("Authorization", f"Bearer {key}")], response=body)


_CHAT = {
    "en": "heads up: {name} called about {order}, call back on {phone}",
    "fr": "info : {name} a appelé pour la commande {order}, rappeler au {phone}",
    "de": "Hinweis: {name} hat wegen Bestellung {order} angerufen, Rückruf unter {phone}",
    "es": "aviso: {name} llamó por el pedido {order}, devolver la llamada al {phone}",
    "pt": "aviso: {name} ligou sobre o pedido {order}, retornar no {phone}",
}


def slack_post(c: Ctx) -> Record:
    w = "request.postData.text.text"
    token = _token(c, ("slack_bot",), NAMED, "request.headers.authorization")
    text = _CHAT[_lang(c)].format(
        name=c.plant("PERSON", c.name(), TEXT, w),
        order=looks(c, "order_number", TEXT, w),
        phone=c.plant("PHONE_NUMBER", c.phone(), TEXT, w),
    )
    body = {"channel": "C0" + c.chars(9, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"), "text": text}
    ts = looks(c, "epoch", NAMED, "response.content.text.ts") + ".000200"
    entry = har(
        c,
        "POST",
        "https://slack.com/api/chat.postMessage",
        headers=[("Authorization", f"Bearer {token}")],
        body=_json(body),
        response={"ok": True, "channel": body["channel"], "ts": ts},
    )
    return HAR, entry


def integration_settings(c: Ctx) -> Record:
    w = "request.postData.text.settings"
    families = ("openai", "anthropic", "gitlab", "slack_bot", "datadog_api")
    settings = [
        {"name": "token", "value": _token(c, families, NEUTRAL, f"{w}.value")},
        {"name": "region", "value": "eu-west-1"},
        {"name": "webhook", "value": _token(c, ("slack_webhook",), NEUTRAL, f"{w}.value")},
        {"name": "on_call", "value": c.plant("PHONE_NUMBER", c.phone(), NEUTRAL, f"{w}.value")},
        {"name": "build", "value": looks(c, "git_sha", NEUTRAL, f"{w}.value")},
    ]
    uid = looks(c, "uuid", NAMED, "request.url")
    url = f"https://api.crm.example/v2/integrations/{uid}"
    response = {"id": uid, "status": a_status(c, NAMED, "response.content.text.status")}
    return HAR, har(c, "PUT", url, body=_json({"settings": settings}), response=response)


def contact_lookup(c: Ctx) -> Record:
    q = "request.queryString"
    w = "response.content.text.results"
    query = [
        ("phone", c.plant("PHONE_NUMBER", c.phone(), NAMED, f"{q}.phone")),
        ("email", c.plant("EMAIL_ADDRESS", c.email(), NAMED, f"{q}.email")),
        # a page size repeats (a fresh one ran out of values past ~2,500 records)
        (
            "limit",
            c.look("quantity", str(c.rng.choice((10, 20, 25, 50, 100))), NAMED, f"{q}.limit"),
        ),
    ]
    key = _token(c, ("google_api",), NAMED, "request.headers.x-goog-api-key")
    result = {
        "id": looks(c, "stripe_id", NAMED, f"{w}.id"),
        "name": c.plant("PERSON", c.name(), NAMED, f"{w}.name"),
        "address": {"line1": c.plant("LOCATION", c.street(), NAMED, f"{w}.address.line1")},
        "ip": c.plant("IP_ADDRESS", c.ip(), NAMED, f"{w}.ip"),
        "url": looks(c, "api_url", NAMED, f"{w}.url"),
    }
    response = {"results": [result], "has_more": False}
    url = "https://api.contacts.example/v1/contacts/search"
    headers = [("X-Goog-Api-Key", key)]
    return HAR, har(c, "GET", url, headers=headers, query=query, response=response)


def github_user(c: Ctx) -> Record:
    w = "response.content.text"
    token = _token(c, ("github_classic", "github_fine"), NAMED, "request.headers.authorization")
    body = {
        "login": more.name_free(c, c.fake.user_name),
        "id": c.rng.randint(10**6, 10**8),
        "name": c.plant("PERSON", c.name(), NAMED, f"{w}.name"),
        "email": c.plant("EMAIL_ADDRESS", c.email(), NAMED, f"{w}.email"),
        "created_at": looks(c, "iso_timestamp", NAMED, f"{w}.created_at"),
        "updated_at": looks(c, "iso_timestamp", NAMED, f"{w}.updated_at"),
    }
    etag = looks(c, "etag", NAMED, "response.headers.etag")
    entry = har(
        c,
        "GET",
        "https://api.github.com/user",
        headers=[("Authorization", f"token {token}")],
        response=body,
        response_headers=[("ETag", etag), ("X-GitHub-Request-Id", _request_id(c))],
    )
    return HAR, entry


_SIGNED = {
    "en": "Hi team,\n\nthe parcel for order {order} never arrived. Please resend it to {street}. "
    "My number is {phone} if the courier needs it.\n\nBest regards,\n{name}",
    "fr": "Bonjour,\n\nle colis de la commande {order} n'est jamais arrivé. Merci de le renvoyer "
    "au {street}. Mon numéro : {phone}.\n\nCordialement,\n{name}",
    "de": "Hallo zusammen,\n\ndas Paket zur Bestellung {order} ist nie angekommen. Bitte an "
    "{street} schicken. Telefon: {phone}.\n\nViele Grüße\n{name}",
    "es": "Hola,\n\nel paquete del pedido {order} nunca llegó. Por favor envíenlo a {street}. "
    "Mi teléfono es {phone}.\n\nSaludos,\n{name}",
    "pt": "Olá,\n\na encomenda do pedido {order} não chegou. Por favor reenviem para {street}. "
    "Meu telefone é {phone}.\n\nAtenciosamente,\n{name}",
}
_PAY = {
    "en": "Please refund to IBAN {iban}. If that fails, charge card {card}. Email me at {email}.",
    "fr": "Merci de rembourser sur l'IBAN {iban}. Sinon, débitez la carte {card}. "
    "Écrivez-moi à {email}.",
    "de": "Bitte auf die IBAN {iban} erstatten, sonst die Karte {card} belasten. Mail: {email}.",
    "es": "Reembolsen a la IBAN {iban}. Si no, cobren la tarjeta {card}. Escriban a {email}.",
    "pt": "Reembolsem no IBAN {iban}. Se não der, cobrem o cartão {card}. Escrevam para {email}.",
}
_ATTENDEES = {
    "en": "notes {version}: attendees {a}, {b} and {c}; next call {when}",
    "fr": "compte rendu {version} : participants {a}, {b} et {c} ; prochain appel {when}",
    "de": "Protokoll {version}: Teilnehmer {a}, {b} und {c}; nächster Termin {when}",
    "es": "acta {version}: asistentes {a}, {b} y {c}; próxima llamada {when}",
    "pt": "ata {version}: participantes {a}, {b} e {c}; próxima chamada {when}",
}


def _message(c: Ctx, body: str) -> dict[str, Any]:
    return {
        "sid": looks(c, "twilio_sid", NAMED, "sid"),
        "date_created": looks(c, "iso_timestamp", NAMED, "date_created"),
        "from": c.plant("PHONE_NUMBER", c.phone(), NAMED, "from"),
        "to": c.plant("PHONE_NUMBER", c.phone(), NAMED, "to"),
        "body": body,
        "status": a_status(c, NAMED, "status"),
        "price": looks(c, "price", NAMED, "price"),
    }


def signed_message(c: Ctx) -> Record:
    body = _SIGNED[_lang(c)].format(
        order=looks(c, "order_number", TEXT, "body"),
        street=c.plant("LOCATION", c.street(), TEXT, "body"),
        phone=c.plant("PHONE_NUMBER", c.phone(), TEXT, "body"),
        name=c.plant("PERSON", c.name(), TEXT, "body"),
    )
    return MESSAGES, _message(c, body)


def payment_message(c: Ctx) -> Record:
    body = _PAY[_lang(c)].format(
        iban=c.plant("IBAN_CODE", c.iban(), TEXT, "body"),
        card=c.plant("CREDIT_CARD", c.card(), TEXT, "body"),
        email=c.plant("EMAIL_ADDRESS", c.email(), TEXT, "body"),
    )
    if c.locale == "en_US":
        entity, number = c.ssn()
        body += f" My SSN is {c.plant(entity, number, TEXT, 'body')}."
    return MESSAGES, _message(c, body)


def attendees_message(c: Ctx) -> Record:
    lower = c.name().lower()  # a name written in lower case, as people type in chat
    body = _ATTENDEES[_lang(c)].format(
        version=looks(c, "version", TEXT, "body"),
        a=c.plant("PERSON", c.name(), TEXT, "body"),
        b=c.plant("PERSON", c.name(), TEXT, "body"),
        c=c.plant("PERSON", lower, TEXT, "body"),
        when=looks(c, "iso_timestamp", TEXT, "body"),
    )
    return MESSAGES, _message(c, body)


_CI: tuple[tuple[str, str, str], ...] = (
    # (family or "password", line with {secret} and {look}, look-alike kind)
    ("github_classic", "+ export GITHUB_TOKEN={secret}  # {look}", "git_sha"),
    (
        "password",
        "+ curl -fsS -u deploy:{secret} https://artifacts.example.com/up/{look}",
        "version",
    ),
    ("slack_webhook", "notify: POST {secret} -> 200 in {look}ms", "quantity"),
    (
        "huggingface",
        "Logged in to huggingface.co with token {secret} (revision {look})",
        "short_sha",
    ),
    ("npm", "npm notice //registry.npmjs.org/:_authToken={secret} tarball {look}", "version"),
    ("stripe_restricted", "billing-sync: using key {secret} for run {look}", "uuid"),
    (
        "password",
        "db: connecting to postgresql://orders:{secret}@10.0.4.12:5432/orders (build {look})",
        "short_sha",
    ),
    ("google_api", "maps: geocoding with key={secret} took {look} ms", "quantity"),
    ("aws_access_key", "aws: using access key id {secret} in eu-west-1, request {look}", "uuid"),
)


def _ci_line(c: Ctx, family: str, line: str, kind: str) -> str:
    entity = "PASSWORD" if family == "password" else TOKEN_ENTITY.get(family, "API_KEY")
    secret = c.password() if family == "password" else c.token(family)
    text = line.format(
        secret=c.plant(entity, secret, LOG, "line"), look=looks(c, kind, LOG, "line")
    )
    if c.rng.random() < 0.3:
        email = c.plant("EMAIL_ADDRESS", c.email(), LOG, "line")
        text += f" (triggered by {email} from {c.plant('IP_ADDRESS', c.ip(), LOG, 'line')})"
    return text


def ci_log(c: Ctx) -> Record:
    """A few lines of a CI job's output, as one record."""
    lines = [_ci_line(c, *spec) for spec in c.rng.sample(_CI, 3)]
    record = {
        "time": looks(c, "iso_timestamp", NAMED, "time"),
        "level": "info",
        "job": f"deploy-{c.rng.randint(100, 999)}",
        "line": "\n".join(lines),
    }
    return MESSAGES, record


def config_doc(c: Ctx) -> Record:
    families = ("twilio_auth", "sendgrid", "aws_secret_key", "vault", "jwt", "datadog_app")
    record = {
        "id": looks(c, "uuid", NAMED, "id"),
        "config": {"data": _token(c, families, NEUTRAL, "config.data")},
        "settings": {"value": _token(c, families, NEUTRAL, "settings.value")},
        "contact": {"type": "phone", "value": c.plant("PHONE_NUMBER", c.phone(), NEUTRAL, "v")},
        "checksum": {"value": looks(c, "git_sha", NEUTRAL, "checksum.value")},
        "bundle": {"data": c.plant("PRIVATE_KEY", c.private_key(), NEUTRAL, "bundle.data")},
        "version": looks(c, "version", NAMED, "version"),
        "updated_at": looks(c, "iso_timestamp", NAMED, "updated_at"),
    }
    return MESSAGES, record


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _request_id(c: Ctx) -> str:
    return c.chars(4, "0123456789ABCDEF") + ":" + c.chars(6, "0123456789ABCDEF")


_BASE: tuple[Callable[[Ctx], Record], ...] = (
    stripe_payment_method,
    signed_message,
    slack_post,
    ci_log,
    integration_settings,
    payment_message,
    contact_lookup,
    config_doc,
    github_user,
    attendees_message,
)
_STRUCTURED = (*more.TEMPLATES, *people.TEMPLATES, *orders.STRUCTURED)
# structured and prose records alternate, so a short prefix holds both
TEMPLATES = (*_BASE, *_STRUCTURED[:8], *orders.PROSE, *_STRUCTURED[8:])
# The locales each template builds in (`public.public_records`): the first ones speak only the
# base locales' languages, the new prose only the new locales'; the new structured ones all.
TEMPLATE_LOCALES: dict[Callable[[Ctx], Record], tuple[str, ...]] = {
    **dict.fromkeys(_BASE, BASE_LOCALES),
    **dict.fromkeys(_STRUCTURED, LOCALES),
    **dict.fromkeys(orders.PROSE, more.LOCALES),
}
