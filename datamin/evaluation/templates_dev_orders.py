"""More DEV templates: orders, shipments, support tickets, form-encoded bodies, query strings,
headers, message prose in DEV's new locales and gateway logs (see `templates_dev_more`, whose
helpers they use, and `datamin/evaluation/corpora/LICENSES.md` for the shapes' sources)."""

# ruff: noqa: RUF001 -- Turkish prose writes the dotless i by right

from __future__ import annotations

import json
import string
from urllib.parse import urlencode

from datamin.evaluation.corpus import HAR, MESSAGES
from datamin.evaluation.templates_dev_more import (
    DIGITS,
    Person,
    Record,
    city,
    country,
    e164,
    encode_written,
    full_name,
    id_key,
    lang,
    look,
    national_id,
    plant,
    street,
)
from datamin.evaluation.values import HEX, LOG, NAMED, NEUTRAL, TEXT, Ctx, har


def woocommerce_order(c: Ctx) -> Record:
    """WooCommerce REST v3: retrieve an order (billing and shipping addresses, meta_data as
    id/key/value triples, a customer note)."""
    w = "response.content.text"
    buyer, recipient = Person(c), Person(c)
    oid = int(look(c, "record_id", NAMED, f"{w}.id"))
    billing = {
        "first_name": buyer.given_at(NAMED, f"{w}.billing.first_name"),
        "last_name": buyer.family_at(NAMED, f"{w}.billing.last_name"),
        "company": "",
        "address_1": plant(c, "LOCATION", NAMED, f"{w}.billing.address_1"),
        "address_2": "",
        "city": city(c, NAMED, f"{w}.billing.city"),
        "postcode": look(c, "postal_code", NAMED, f"{w}.billing.postcode"),
        "country": country(c, NAMED, f"{w}.billing.country"),
        "email": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.billing.email"),
        "phone": plant(c, "PHONE_NUMBER", NAMED, f"{w}.billing.phone"),
    }
    shipping = {
        "first_name": recipient.given_at(NAMED, f"{w}.shipping.first_name"),
        "last_name": recipient.family_at(NAMED, f"{w}.shipping.last_name"),
        "address_1": plant(c, "LOCATION", NAMED, f"{w}.shipping.address_1"),
        "city": city(c, NAMED, f"{w}.shipping.city"),
        "postcode": look(c, "postal_code", NAMED, f"{w}.shipping.postcode"),
        "country": billing["country"],
        "phone": plant(c, "PHONE_NUMBER", NAMED, f"{w}.shipping.phone"),
    }
    meta = [
        ("_billing_" + id_key(c), national_id(c, NEUTRAL, f"{w}.meta_data.value")),
        ("_shipping_whatsapp", c.plant("PHONE_NUMBER", e164(c), NEUTRAL, f"{w}.meta_data.value")),
        ("_wc_order_attribution_source_type", "utm"),
        ("_tracking_number", look(c, "tracking", NEUTRAL, f"{w}.meta_data.value")),
    ]
    note = plant(c, "PHONE_NUMBER", TEXT, f"{w}.customer_note")
    body = {
        "id": oid,
        "number": str(oid),
        "order_key": "wc_order_" + c.chars(13),
        "status": c.look("status", "processing", NAMED, f"{w}.status"),
        "currency": "EUR",
        "date_created": look(c, "iso_timestamp", NAMED, f"{w}.date_created"),
        "total": look(c, "price", NAMED, f"{w}.total"),
        "billing": billing,
        "shipping": shipping,
        "customer_note": f"Leave it with the neighbours if nobody is in, or ring {note}.",
        "line_items": [
            {
                "id": c.rng.randint(100, 999),
                "name": "Merino socks",
                "sku": look(c, "sku", NAMED, f"{w}.line_items.sku"),
                "quantity": c.rng.randint(1, 12),
                "price": look(c, "price", NAMED, f"{w}.line_items.price"),
            }
        ],
        "meta_data": [{"id": c.rng.randint(1000, 9999), "key": k, "value": v} for k, v in meta],
    }
    url = f"https://shop.example.com/wp-json/wc/v3/orders/{oid}"
    return HAR, har(c, "GET", url, response=body)


def easypost_shipment(c: Ctx) -> Record:
    """EasyPost: create a shipment (`to_address` with name, street1, phone...)."""
    w = "request.postData.text.shipment.to_address"
    to = {
        "name": full_name(c, NAMED, f"{w}.name"),
        "street1": plant(c, "LOCATION", NAMED, f"{w}.street1"),
        "street2": "",
        "city": city(c, NAMED, f"{w}.city"),
        "zip": look(c, "postal_code", NAMED, f"{w}.zip"),
        "country": country(c, NAMED, f"{w}.country"),
        "phone": c.plant("PHONE_NUMBER", e164(c), NAMED, f"{w}.phone"),
        "email": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.email"),
    }
    shipment = {
        "to_address": to,
        "from_address": {"company": "Northwind Outfitters", "country": "US", "zip": "97204"},
        "parcel": {"length": 20.2, "width": 10.9, "height": 5, "weight": 65.9},
        "reference": look(c, "order_number", NAMED, "request.postData.text.shipment.reference"),
    }
    r = "response.content.text"
    response = {
        "id": "shp_" + look(c, "hex_id", NAMED, f"{r}.id"),
        "object": "Shipment",
        "tracking_code": look(c, "tracking", NAMED, f"{r}.tracking_code"),
        "selected_rate": {"carrier": "USPS", "rate": look(c, "price", NAMED, f"{r}.rate")},
        "created_at": look(c, "iso_timestamp", NAMED, f"{r}.created_at"),
    }
    url = "https://api.easypost.com/v2/shipments"
    body = json.dumps({"shipment": shipment}, ensure_ascii=False)
    return HAR, har(c, "POST", url, body=body, status=201, response=response)


def zendesk_ticket(c: Ctx) -> Record:
    """Zendesk Support: create a ticket; custom fields are id/value pairs."""
    w = "request.postData.text.ticket"
    moved = plant(c, "LOCATION", TEXT, f"{w}.comment.body")
    ticket = {
        "subject": "Change of delivery address",
        "comment": {"body": f"I moved last week, please send the replacement to {moved}."},
        "requester": {
            "name": full_name(c, NAMED, f"{w}.requester.name"),
            "email": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.requester.email"),
        },
        "priority": "normal",
        "custom_fields": [
            {"id": 360001, "value": plant(c, "PHONE_NUMBER", NEUTRAL, f"{w}.custom_fields.value")},
            {"id": 360002, "value": national_id(c, NEUTRAL, f"{w}.custom_fields.value")},
            {"id": 360003, "value": look(c, "order_number", NEUTRAL, f"{w}.custom_fields.value")},
            {"id": 360004, "value": look(c, "iso_date", NEUTRAL, f"{w}.custom_fields.value")},
        ],
    }
    r = "response.content.text.ticket"
    tid = look(c, "record_id", NAMED, f"{r}.id")
    response = {
        "ticket": {
            "id": int(tid),
            "url": f"https://example.zendesk.com/api/v2/tickets/{tid}.json",
            "status": c.look("status", "new", NAMED, f"{r}.status"),
            "created_at": look(c, "iso_timestamp", NAMED, f"{r}.created_at"),
        }
    }
    url = "https://example.zendesk.com/api/v2/tickets.json"
    body = json.dumps({"ticket": ticket}, ensure_ascii=False)
    return HAR, har(c, "POST", url, body=body, status=201, response=response)


def chargebee_customer(c: Ctx) -> Record:
    """Chargebee v2: create a customer, form-encoded with bracket keys and `cf_` custom fields."""
    w = "request.postData.form"  # the form-encoded body (HAR: postData.text)
    p = Person(c)

    pairs = [
        ("first_name", p.given_at(NAMED, f"{w}.first_name")),
        ("last_name", p.family_at(NAMED, f"{w}.last_name")),
        ("email", plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.email")),
        ("phone", plant(c, "PHONE_NUMBER", NAMED, f"{w}.phone")),
        ("billing_address[first_name]", p.given),
        ("billing_address[last_name]", p.family),
        ("billing_address[line1]", plant(c, "LOCATION", NAMED, f"{w}.billing_address[line1]")),
        ("billing_address[city]", city(c, NAMED, f"{w}.billing_address[city]")),
        ("billing_address[zip]", look(c, "postal_code", NAMED, f"{w}.billing_address[zip]")),
        ("billing_address[country]", country(c, NAMED, f"{w}.billing_address[country]")),
        (f"cf_{id_key(c)}", national_id(c, NAMED, f"{w}.cf_national_id")),
        ("cf_contact_number", plant(c, "PHONE_NUMBER", NAMED, f"{w}.cf_contact_number")),
        ("auto_collection", "on"),
    ]
    encode_written(c, f"{NAMED}:{w}.")  # the body holds the values percent-encoded
    r = "response.content.text.customer"
    response = {
        "customer": {
            "id": look(c, "ulid", NAMED, f"{r}.id"),
            "object": "customer",
            "created_at": int(look(c, "epoch", NAMED, f"{r}.created_at")),
            "auto_collection": "on",
            "deleted": False,
        }
    }
    url = "https://example.chargebee.com/api/v2/customers"
    mime = "application/x-www-form-urlencoded"
    return HAR, har(c, "POST", url, body=urlencode(pairs), mime=mime, response=response)


def geocode_lookup(c: Ctx) -> Record:
    """Google Geocoding API: an address in the query string; the caller's address in `From`
    (RFC 9110) and `X-Forwarded-For` headers."""
    q = "request.queryString"
    query = [
        ("address", plant(c, "LOCATION", NAMED, f"{q}.address")),
        ("region", c.look("country", c.locale[-2:].lower(), NAMED, f"{q}.region")),
        ("language", lang(c)),
        ("key", c.plant("API_KEY", c.token("google_api"), NAMED, f"{q}.key")),
    ]
    headers = [
        ("From", plant(c, "EMAIL_ADDRESS", NAMED, "request.headers.from")),
        (
            "X-Forwarded-For",
            c.plant("IP_ADDRESS", c.ip(), NAMED, "request.headers.x-forwarded-for"),
        ),
        ("X-Request-Id", look(c, "uuid", NAMED, "request.headers.x-request-id")),
    ]
    r = "response.content.text.results"
    result = {
        "place_id": "ChIJ" + look(c, "hex_id", NAMED, f"{r}.place_id"),
        "geometry": {"location": {"lat": round(c.rng.uniform(-60, 70), 7), "lng": 0.5}},
        "types": ["street_address"],
        "partial_match": False,
    }
    response = {"results": [result], "status": "OK"}
    url = "https://maps.googleapis.com/maps/api/geocode/json"
    return HAR, har(c, "GET", url, headers=headers, query=query, response=response)


_WHATSAPP = {
    "tr": "Merhaba, ben {name}. {order} numaralı siparişim hâlâ gelmedi. Adresim {street}. "
    "Fatura için gerekirse TC kimlik numaram {nid}.",
    "ko": "안녕하세요, {name}입니다. 주문 {order} 아직 도착하지 않았어요. 주소는 {street}입니다. "
    "주민등록번호는 {nid}입니다.",
    "ja": "こんにちは、{name}です。注文{order}がまだ届いていません。住所は{street}です。"
    "マイナンバーは{nid}です。",
    "fi": "Hei, olen {name}. Tilaukseni {order} ei ole vieläkään tullut. Osoitteeni on {street}. "
    "Henkilötunnukseni on {nid}, jos sitä tarvitaan.",
    "en": "Hi, this is {name}. My order {order} still hasn't arrived. My address is {street}. "
    "My SIN is {nid} if you need it for the invoice.",
    "nl": "Hallo, met {name}. Mijn bestelling {order} is nog steeds niet aangekomen. Mijn adres "
    "is {street}. Mijn rijksregisternummer is {nid}, als u dat nodig hebt.",
}


def whatsapp_webhook(c: Ctx) -> Record:
    """WhatsApp Cloud API webhook: an incoming text message (wa_id is the sender's number)."""
    v = "entry.changes.value"
    sender = c.plant("PHONE_NUMBER", e164(c).lstrip("+"), NAMED, f"{v}.contacts.wa_id")
    text = _WHATSAPP[lang(c)].format(
        name=full_name(c, TEXT, f"{v}.messages.text.body"),
        order=look(c, "order_number", TEXT, f"{v}.messages.text.body"),
        street=c.plant("LOCATION", street(c), TEXT, f"{v}.messages.text.body"),
        nid=national_id(c, TEXT, f"{v}.messages.text.body"),
    )
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [
            {
                "profile": {"name": full_name(c, NAMED, f"{v}.contacts.profile.name")},
                "wa_id": sender,
            }
        ],
        "messages": [
            {
                "from": sender,
                "id": "wamid." + c.chars(40, string.ascii_letters + DIGITS),
                "timestamp": look(c, "epoch", NAMED, f"{v}.messages.timestamp"),
                "type": "text",
                "text": {"body": text},
            }
        ],
    }
    entry = {"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}
    return MESSAGES, {"object": "whatsapp_business_account", "entry": [entry]}


_MAIL = {
    "tr": "Merhaba {a},\n\nyarınki kurulum için ekip: {b} ve {c}. Sorun olursa beni {phone} "
    "numarasından arayın.\n\nSaygılarımla,\n{name}",
    "ko": "{a}님 안녕하세요,\n\n내일 설치 담당은 {b}, {c}입니다. 문제가 있으면 {phone}로 연락 "
    "주세요.\n\n감사합니다.\n{name} 드림",
    "ja": "{a}様\n\n明日の設置は{b}と{c}が担当します。何かあれば{phone}までご連絡ください。"
    "\n\nよろしくお願いいたします。\n{name}",
    "fi": "Hei {a},\n\nhuomisen asennukseen tulevat {b} ja {c}. Jos tulee ongelmia, soita minulle "
    "numeroon {phone}.\n\nYstävällisin terveisin\n{name}",
    "en": "Hi {a},\n\ntomorrow's install crew is {b} and {c}. If anything comes up, call me at "
    "{phone}.\n\nThanks,\n{name}",
    "nl": "Beste {a},\n\nmorgen komen {b} en {c} de installatie doen. Als er iets is, bel me op "
    "{phone}.\n\nMet vriendelijke groet,\n{name}",
}


def mailgun_send(c: Ctx) -> Record:
    """Mailgun: send a message, form-encoded (`to` with a display name, a prose `text`)."""
    w = "request.postData.form"  # the form-encoded body (HAR: postData.text)
    to = Person(c)
    text = _MAIL[lang(c)].format(
        a=to.given,
        b=full_name(c, TEXT, f"{w}.text"),
        c=full_name(c, TEXT, f"{w}.text"),
        phone=plant(c, "PHONE_NUMBER", TEXT, f"{w}.text"),
        name=full_name(c, TEXT, f"{w}.text"),
    )
    # `to`'s names label the greeting too: the same value, so one label
    to.given_at(NAMED, f"{w}.to")
    to.family_at(NAMED, f"{w}.to")
    address = plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.to")
    order = look(c, "order_number", NAMED, f"{w}.v:order-id")
    pairs = [
        ("from", "Installations <installs@mg.example.com>"),
        ("to", f"{to.full} <{address}>"),
        ("subject", f"Installation {order}"),
        ("text", text),
        ("o:tag", "install"),
        ("v:order-id", order),
    ]
    body = urlencode(pairs)
    encode_written(c, f"{TEXT}:{w}.", f"{NAMED}:{w}.")  # as the body holds them
    response = {"id": f"<{look(c, 'hex_id', NAMED, 'response.content.text.id')}@mg.example.com>"}
    response["message"] = "Queued. Thank you."
    url = "https://api.mailgun.net/v3/mg.example.com/messages"
    mime = "application/x-www-form-urlencoded"
    return HAR, har(c, "POST", url, body=body, mime=mime, response=response)


def gateway_log(c: Ctx) -> Record:
    """A few lines of a messaging and KYC service's log, as one record."""
    w = "msg"

    def ts() -> str:
        return look(c, "iso_timestamp", LOG, w)

    lines = [
        lambda: (
            f"{ts()} INFO notify.sms: sent template=otp_login "
            f"msisdn={c.plant('PHONE_NUMBER', e164(c).lstrip('+'), LOG, w)} provider=sinch "
            f"id={look(c, 'uuid', LOG, w)}"
        ),
        lambda: (
            f"{ts()} WARN kyc.verify: document_number={national_id(c, LOG, w)} did not "
            f'match holder="{full_name(c, LOG, w)}" ref={look(c, "order_number", LOG, w)}'
        ),
        lambda: (
            f"{ts()} INFO crm.sync: contact_number={plant(c, 'PHONE_NUMBER', LOG, w)} "
            f"tel:{c.plant('PHONE_NUMBER', e164(c), LOG, w)} client {look(c, 'version', LOG, w)}"
        ),
        lambda: (
            f'{ts()} INFO checkout: ship_to="{c.plant("LOCATION", street(c), LOG, w)}" '
            f"postcode={look(c, 'postal_code', LOG, w)} city={city(c, LOG, w)} "
            f"country={country(c, LOG, w)} sku={look(c, 'sku', LOG, w)}"
        ),
    ]
    picked = c.rng.sample(range(len(lines)), 3)
    record = {
        "time": look(c, "iso_timestamp", NAMED, "time"),
        "level": "info",
        "service": "notify-gateway",
        "host": "ip-" + c.chars(8, HEX),
        w: "\n".join(lines[i]() for i in sorted(picked)),
    }
    return MESSAGES, record


STRUCTURED = (
    woocommerce_order,
    zendesk_ticket,
    easypost_shipment,
    gateway_log,
    chargebee_customer,
    geocode_lookup,
)
PROSE = (whatsapp_webhook, mailgun_send)
