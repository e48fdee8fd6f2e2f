"""More DEV templates: people, addresses and identifiers in structured fields of many shapes.

Records after CRM contacts (HubSpot's CRM objects and forms submissions, Salesforce's Contact,
an Intercom contact webhook); `templates_dev_people` holds identity, HR, registry and calendar
records, `templates_dev_orders` the commerce, support, message and log ones. The shapes'
sources are in `datamin/evaluation/corpora/LICENSES.md`. All build in the locales
`public_records` gives them (`templates_dev.TEMPLATE_LOCALES`) and plant through `Ctx` as
`templates_dev` does, with harmless values a policy keeps (ids, dates, statuses, postcodes,
cities, country codes) beside them in the same placements.

A given or family name written on its own is labelled only when the leak scan can look for it
(`MIN_NEEDLE_LENGTH` characters or more), it is new in the corpus and no other name, login or
street holds it; otherwise it is written unlabelled, as are most Korean and Japanese names,
which are shorter than any needle.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import quote_plus

import phonenumbers

from datamin.evaluation.corpus import HAR, MESSAGES
from datamin.evaluation.values import HEX, NAMED, NEUTRAL, Ctx, har, looks
from datamin.leakscan import MIN_NEEDLE_LENGTH

# Locales new to DEV (none of them FROZEN's); the structured templates also build in the first
# six DEV locales, the prose ones only in these.
LOCALES = ("tr_TR", "ko_KR", "ja_JP", "fi_FI", "en_CA", "nl_BE")
Record = tuple[str, dict[str, Any]]
DIGITS = string.digits
_FAMILY_FIRST = ("ja_JP", "ko_KR")
# Real cities for `city` keys (a policy keeps them); Faker's invented ones hold people's names.
_CITIES = {
    "US": ("Denver", "Seattle", "Phoenix"),
    "GB": ("Leeds", "Bristol", "Glasgow"),
    "FR": ("Lyon", "Nantes", "Lille"),
    "DE": ("Köln", "Leipzig", "Bremen"),
    "MX": ("Puebla", "Monterrey", "Mérida"),
    "BR": ("Recife", "Curitiba", "Manaus"),
    "TR": ("İzmir", "Bursa", "Konya"),
    "KR": ("부산", "대구", "인천"),
    "JP": ("札幌市", "福岡市", "仙台市"),
    "FI": ("Tampere", "Oulu", "Turku"),
    "CA": ("Winnipeg", "Halifax", "Calgary"),
    "BE": ("Gent", "Leuven", "Brugge"),
}
# The key a locale's own national number goes under, besides the generic ones.
_ID_KEYS = {
    "en_US": "ssn",
    "en_GB": "ni_number",
    "fr_FR": "numero_securite_sociale",
    "de_DE": "steuer_id",
    "es_MX": "curp",
    "pt_BR": "cpf",
    "tr_TR": "tc_kimlik_no",
    "ko_KR": "jumin_deungnok_beonho",
    "ja_JP": "my_number",
    "fi_FI": "henkilotunnus",
    "en_CA": "sin",
    "nl_BE": "rijksregisternummer",
}
GENERIC_ID_KEYS = ("national_id", "tax_id", "document_number", "id_number")
# Harmless values of this module's own kinds (the shared ones are `values.LOOKS`).
_LOOKS: dict[str, Callable[[Ctx], str]] = {
    "record_id": lambda c: str(c.rng.randint(10**8, 10**11)),
    "sf_id": lambda c: "003" + c.chars(15),
    "hex_id": lambda c: c.chars(24, HEX),
    "hutk": lambda c: c.chars(32, HEX),  # HubSpot's visitor cookie value
    "iso_date": lambda c: f"2026-{c.rng.randint(1, 12):02d}-{c.rng.randint(1, 28):02d}",
    "postal_code": lambda c: c.fake.postcode(),
    "domain": lambda c: f"{c.chars(9, string.ascii_lowercase)}.example",
}


def look(c: Ctx, kind: str, placement: str, path: str) -> str:
    """A fresh look-alike of one of this module's kinds or of `values.LOOKS`."""
    if kind not in _LOOKS:
        return looks(c, kind, placement, path)
    return c.look(kind, c.fresh(lambda: _LOOKS[kind](c)), placement, path)


def city(c: Ctx, placement: str, path: str) -> str:
    return c.look("city", c.rng.choice(_CITIES[c.locale[-2:]]), placement, path)


def country(c: Ctx, placement: str, path: str) -> str:
    return c.look("country", c.locale[-2:], placement, path)


def lang(c: Ctx) -> str:
    return c.locale[:2]


# -- people --------------------------------------------------------------------------------
# A given or family name labelled on its own must not occur inside another name, login or city
# the corpus writes, or the scan finds it there and counts a leak that is none. `taken` (shared
# by the corpus) also holds markers: every piece of a needle's length of the words written
# (`_WRITTEN`), and the names labelled on their own (`_LABELLED`).
_WRITTEN, _LABELLED = "\x00written:", "\x00labelled name:"


def _pieces(text: str) -> set[str]:
    words = text.casefold().split()
    n = MIN_NEEDLE_LENGTH
    return {
        w[i : i + k] for w in words for k in range(n, len(w) + 1) for i in range(len(w) - k + 1)
    }


def _clashes(c: Ctx, text: str) -> bool:
    return any(_LABELLED + piece in c.taken for piece in _pieces(text))


def name_free(c: Ctx, make: Callable[[], str]) -> str:
    """An unlabelled value made of names (a login, an invented city) that holds no name
    labelled on its own, and is remembered so that no later one is labelled inside it."""
    for _ in range(50):
        value = make()
        if not _clashes(c, value):
            break
    c.taken.update(_WRITTEN + piece for piece in _pieces(value))
    return value


def _part(c: Ctx, make: Callable[[], str]) -> tuple[str, bool]:
    """A given or family name and whether it may be labelled: long enough for a needle, new,
    and inside no other name written. Pools of long names run dry in some locales; a short one
    is then written unlabelled, as no needle can match it."""
    value = make()
    for _ in range(12):
        key = value.casefold()
        long_new = len(value) >= MIN_NEEDLE_LENGTH and value not in c.taken
        if long_new and _WRITTEN + key not in c.taken and not _clashes(c, value):
            c.taken.update((value, _LABELLED + key, *(_WRITTEN + p for p in _pieces(value))))
            return value, True
        value = make()
    for _ in range(60):
        if len(value) < MIN_NEEDLE_LENGTH:
            break
        value = make()
    return name_free(c, lambda: value), False


def _name(c: Ctx) -> str:
    """`Ctx.name`, holding no name labelled on its own."""
    return name_free(c, lambda: c.fresh(lambda: f"{c.fake.first_name()} {c.fake.last_name()}"))


class Person:
    """One person's given and family names, and the full name in the locale's order."""

    def __init__(self, c: Ctx) -> None:
        self.c = c
        self.given, self._given_ok = _part(c, c.fake.first_name)
        self.family, self._family_ok = _part(c, c.fake.last_name)
        order = [self.given, self.family]
        if c.locale in _FAMILY_FIRST:
            order.reverse()
        self.full = ("" if c.locale == "ko_KR" else " ").join(order)

    def given_at(self, placement: str, path: str, written: str | None = None) -> str:
        return self._put(self.given, self._given_ok, placement, path, written)

    def family_at(self, placement: str, path: str, written: str | None = None) -> str:
        return self._put(self.family, self._family_ok, placement, path, written)

    def full_at(self, placement: str, path: str) -> str:
        """The full name beside its parts: labelled only when neither part is (its parts'
        needles find it otherwise)."""
        if self._given_ok or self._family_ok or len(self.full) < MIN_NEEDLE_LENGTH:
            return self.full
        if self.full in self.c.taken:
            return self.full
        self.c.taken.add(self.full)
        return self.c.plant("PERSON", self.full, placement, path)

    def _put(self, v: str, ok: bool, placement: str, path: str, written: str | None) -> str:
        return self.c.plant("PERSON", v, placement, path, written) if ok else written or v


def full_name(c: Ctx, placement: str, path: str) -> str:
    """A full name alone in its field, labelled when the scan can look for it."""
    if c.locale not in _FAMILY_FIRST:
        return c.plant("PERSON", _name(c), placement, path)
    return Person(c).full_at(placement, path)


def street(c: Ctx) -> str:
    """A street address; Japan's from Faker's whole address (its street_address is a stub)."""
    if c.locale == "ja_JP":
        return c.fresh(lambda: c.fake.address().split(" ", 1)[-1])
    return name_free(c, c.street)  # Faker's streets are named after people


def e164(c: Ctx) -> str:
    """A phone of the locale in E.164 (`+` and digits), new in the corpus."""

    def make() -> str:
        number = None
        for _ in range(20):  # some of Faker's formats are too short to be a number anywhere
            try:
                number = phonenumbers.parse(c.fake.phone_number(), c.locale[-2:])
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_possible_number(number):
                break
        if number is None:
            raise RuntimeError("no parseable phone number in the locale")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    return c.fresh(make)


def national_id(c: Ctx, placement: str, path: str) -> str:
    entity, value = c.ssn()
    return c.plant(entity, value, placement, path)


def id_key(c: Ctx) -> str:
    """The key a national number sits under: the locale's own name for it, or a generic one."""
    return c.rng.choice((_ID_KEYS[c.locale], *GENERIC_ID_KEYS))


def birth_date(c: Ctx, placement: str, path: str) -> str:
    value = c.fresh(lambda: c.fake.date_of_birth(minimum_age=18, maximum_age=85).isoformat())
    return c.plant("DATE_OF_BIRTH", value, placement, path)


def plant(c: Ctx, entity: str, placement: str, path: str) -> str:
    """A fresh value of a common entity, planted."""
    make = {"PHONE_NUMBER": c.phone, "EMAIL_ADDRESS": c.email, "LOCATION": lambda: street(c)}
    return c.plant(entity, make[entity](), placement, path)


# -- templates -----------------------------------------------------------------------------
def hubspot_contact(c: Ctx) -> Record:
    """HubSpot CRM v3: create a contact (`properties` by internal property name)."""
    w = "request.postData.text.properties"
    p = Person(c)
    properties = {
        "email": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.email"),
        "firstname": p.given_at(NAMED, f"{w}.firstname"),
        "lastname": p.family_at(NAMED, f"{w}.lastname"),
        "phone": plant(c, "PHONE_NUMBER", NAMED, f"{w}.phone"),
        "mobilephone": c.plant("PHONE_NUMBER", e164(c), NAMED, f"{w}.mobilephone"),
        "address": plant(c, "LOCATION", NAMED, f"{w}.address"),
        "city": city(c, NAMED, f"{w}.city"),
        "zip": look(c, "postal_code", NAMED, f"{w}.zip"),
        "country": country(c, NAMED, f"{w}.country"),
        "lifecyclestage": c.look("status", "lead", NAMED, f"{w}.lifecyclestage"),
    }
    r = "response.content.text"
    oid = look(c, "record_id", NAMED, f"{r}.id")
    created = look(c, "iso_timestamp", NAMED, f"{r}.createdAt")
    response = {
        "id": oid,
        "properties": {"createdate": created, "hs_object_id": oid, "lifecyclestage": "lead"},
        "createdAt": created,
        "updatedAt": created,
        "archived": False,
    }
    url = "https://api.hubapi.com/crm/v3/objects/contacts"
    body = to_json({"properties": properties})
    return HAR, har(c, "POST", url, body=body, status=201, response=response)


def hubspot_form_submission(c: Ctx) -> Record:
    """HubSpot Forms: submit a form, `fields` as name/value pairs (the value's key is neutral)."""
    w = "request.postData.text.fields.value"
    p = Person(c)
    pairs = [
        ("firstname", p.given_at(NEUTRAL, w)),
        ("lastname", p.family_at(NEUTRAL, w)),
        ("email", plant(c, "EMAIL_ADDRESS", NEUTRAL, w)),
        (
            c.rng.choice(("mobilephone", "whatsapp", "contact_number")),
            plant(c, "PHONE_NUMBER", NEUTRAL, w),
        ),
        ("address", plant(c, "LOCATION", NEUTRAL, w)),
        ("zip", look(c, "postal_code", NEUTRAL, w)),
        (id_key(c), national_id(c, NEUTRAL, w)),
        ("quote_reference", look(c, "order_number", NEUTRAL, w)),
    ]
    fields = [{"objectTypeId": "0-1", "name": k, "value": v} for k, v in pairs]
    context = {
        "pageUri": "https://www.example.com/quote",
        "pageName": "Request a quote",
        "hutk": look(c, "hutk", NEUTRAL, "request.postData.text.context.hutk"),
    }
    portal, form = c.rng.randint(10**6, 10**8), look(c, "uuid", NAMED, "request.url")
    url = f"https://api.hsforms.com/submissions/v3/integration/submit/{portal}/{form}"
    response = {"inlineMessage": "Thanks for submitting the form."}
    return HAR, har(
        c, "POST", url, body=to_json({"fields": fields, "context": context}), response=response
    )


def salesforce_contact(c: Ctx) -> Record:
    """Salesforce REST: get a Contact sObject (fields by API name)."""
    w = "response.content.text"
    sid = look(c, "sf_id", NAMED, f"{w}.Id")
    p = Person(c)
    body = {
        "attributes": {"type": "Contact", "url": f"/services/data/v60.0/sobjects/Contact/{sid}"},
        "Id": sid,
        "FirstName": p.given_at(NAMED, f"{w}.FirstName"),
        "LastName": p.family_at(NAMED, f"{w}.LastName"),
        "Name": p.full_at(NAMED, f"{w}.Name"),
        "MailingStreet": plant(c, "LOCATION", NAMED, f"{w}.MailingStreet"),
        "MailingCity": city(c, NAMED, f"{w}.MailingCity"),
        "MailingPostalCode": look(c, "postal_code", NAMED, f"{w}.MailingPostalCode"),
        "MailingCountry": country(c, NAMED, f"{w}.MailingCountry"),
        "Phone": plant(c, "PHONE_NUMBER", NAMED, f"{w}.Phone"),
        "MobilePhone": plant(c, "PHONE_NUMBER", NAMED, f"{w}.MobilePhone"),
        "Email": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.Email"),
        "Birthdate": birth_date(c, NAMED, f"{w}.Birthdate"),
        "LeadSource": "Web",
        "CreatedDate": look(c, "iso_timestamp", NAMED, f"{w}.CreatedDate"),
    }
    url = f"https://example.my.salesforce.com{body['attributes']['url']}"
    return HAR, har(c, "GET", url, response=body)


def intercom_contact_webhook(c: Ctx) -> Record:
    """Intercom webhook notification `contact.user.created`, with custom attributes."""
    w = "data.item"
    item = {
        "type": "contact",
        "id": look(c, "hex_id", NAMED, f"{w}.id"),
        "role": "user",
        "external_id": look(c, "uuid", NAMED, f"{w}.external_id"),
        "email": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.email"),
        "phone": c.plant("PHONE_NUMBER", e164(c), NAMED, f"{w}.phone"),
        "name": full_name(c, NAMED, f"{w}.name"),
        "location": {
            "type": "location",
            "country": country(c, NAMED, f"{w}.location.country"),
            "city": city(c, NAMED, f"{w}.location.city"),
        },
        "custom_attributes": {
            "whatsapp": c.plant(
                "PHONE_NUMBER", e164(c).lstrip("+"), NAMED, f"{w}.custom_attributes.whatsapp"
            ),
            id_key(c): national_id(c, NAMED, f"{w}.custom_attributes.national_id"),
            "plan": "pro",
            "last_order": look(c, "order_number", NAMED, f"{w}.custom_attributes.last_order"),
        },
        "created_at": int(look(c, "epoch", NAMED, f"{w}.created_at")),
    }
    record = {
        "type": "notification_event",
        "topic": "contact.user.created",
        "id": "notif_" + look(c, "uuid", NAMED, "id"),
        "data": {"type": "notification_event_data", "item": item},
        "created_at": item["created_at"],
    }
    return MESSAGES, record


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def encode_written(c: Ctx, *prefixes: str) -> None:
    """The labels whose `where` starts with one of `prefixes` are written percent-encoded, as a
    form body holds them (the leak scan looks for the decoded value and for this)."""
    c.planted[:] = [
        replace(p, written=quote_plus(p.value)) if p.where.startswith(prefixes) else p
        for p in c.planted
    ]
    # a look-alike the encoding changes is not in the record as written: not counted
    c.lookalikes[:] = [
        h
        for h in c.lookalikes
        if not h.where.startswith(prefixes) or quote_plus(h.value) == h.value
    ]


TEMPLATES = (
    hubspot_contact,
    intercom_contact_webhook,
    salesforce_contact,
    hubspot_form_submission,
)
