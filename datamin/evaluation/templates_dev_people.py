"""More DEV templates: one person's record in an identity provider (SCIM 2.0 Users, RFC 7643),
an HR system (Personio's employee, every attribute a label/value pair) and a domain registry
(RDAP's registrant as a jCard, RFC 9083 and RFC 7095), and a calendar invite's attendees
(Google Calendar's Event). Helpers and conventions are `templates_dev_more`'s; sources in
`datamin/evaluation/corpora/LICENSES.md`."""

from __future__ import annotations

import string
from typing import Any

from datamin.evaluation.corpus import HAR
from datamin.evaluation.templates_dev_more import (
    DIGITS,
    Person,
    Record,
    birth_date,
    city,
    country,
    e164,
    full_name,
    lang,
    look,
    national_id,
    plant,
    to_json,
)
from datamin.evaluation.values import NAMED, NEUTRAL, TEXT, Ctx, har


def scim_user(c: Ctx) -> Record:
    """SCIM 2.0 (RFC 7643 section 8.2): create a User with the enterprise extension."""
    w = "request.postData.text"
    p, boss = Person(c), Person(c)
    ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    boss.given_at(NAMED, f"{w}.{ext}.manager.displayName")  # written in the full name
    boss.family_at(NAMED, f"{w}.{ext}.manager.displayName")
    user = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ext],
        "externalId": look(c, "ulid", NAMED, f"{w}.externalId"),
        "userName": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.userName"),
        "name": {
            "formatted": p.full,
            "familyName": p.family_at(NAMED, f"{w}.name.familyName"),
            "givenName": p.given_at(NAMED, f"{w}.name.givenName"),
        },
        "displayName": p.full_at(NAMED, f"{w}.displayName"),
        "emails": [
            {
                "value": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.emails.value"),
                "type": "work",
                "primary": True,
            }
        ],
        "phoneNumbers": [
            {
                "value": c.plant("PHONE_NUMBER", e164(c), NAMED, f"{w}.phoneNumbers.value"),
                "type": "mobile",
            },
            {"value": plant(c, "PHONE_NUMBER", NAMED, f"{w}.phoneNumbers.value"), "type": "work"},
        ],
        "addresses": [
            {
                "type": "home",
                "streetAddress": plant(c, "LOCATION", NAMED, f"{w}.addresses.streetAddress"),
                "locality": city(c, NAMED, f"{w}.addresses.locality"),
                "postalCode": look(c, "postal_code", NAMED, f"{w}.addresses.postalCode"),
                "country": country(c, NAMED, f"{w}.addresses.country"),
            }
        ],
        "title": "Field Engineer",
        "active": True,
        ext: {
            "employeeNumber": look(c, "record_id", NAMED, f"{w}.{ext}.employeeNumber"),
            "costCenter": "4130",
            "manager": {
                "value": look(c, "uuid", NAMED, f"{w}.{ext}.manager.value"),
                "displayName": boss.full,
            },
        },
    }
    uid = look(c, "uuid", NAMED, "response.content.text.id")
    meta = {
        "resourceType": "User",
        "created": look(c, "iso_timestamp", NAMED, "response.content.text.meta.created"),
        "location": f"https://idp.example.com/scim/v2/Users/{uid}",
        "version": look(c, "etag", NAMED, "response.content.text.meta.version"),
    }
    response = {"schemas": user["schemas"], "id": uid, "meta": meta, "active": True}
    url = "https://idp.example.com/scim/v2/Users"
    mime = "application/scim+json"
    return HAR, har(c, "POST", url, body=to_json(user), mime=mime, status=201, response=response)


_HR_LABELS = {  # (national number, mobile, home address, birthday) in the HR system's language
    "en": ("National ID", "Mobile", "Home address", "Date of birth"),
    "fr": ("Numéro de sécurité sociale", "Portable", "Adresse personnelle", "Date de naissance"),
    "de": ("Steuer-ID", "Handynummer", "Privatanschrift", "Geburtsdatum"),
    "es": ("CURP", "Celular", "Domicilio", "Fecha de nacimiento"),
    "pt": ("CPF", "Celular", "Endereço residencial", "Data de nascimento"),
    "tr": ("T.C. Kimlik No", "Cep telefonu", "Ev adresi", "Doğum tarihi"),
    "ko": ("주민등록번호", "휴대전화", "자택 주소", "생년월일"),
    "ja": ("マイナンバー", "携帯電話", "自宅住所", "生年月日"),
    "fi": ("Henkilötunnus", "Matkapuhelin", "Kotiosoite", "Syntymäaika"),
    "nl": ("Rijksregisternummer", "Gsm", "Thuisadres", "Geboortedatum"),
}


def personio_employee(c: Ctx) -> Record:
    """Personio: get an employee, every attribute a {label, value} pair (custom ones keyed
    `dynamic_<n>`): the value's own key says nothing of what it holds."""
    w = "response.content.text.data.attributes"
    p = Person(c)
    ident, mobile, home, born = _HR_LABELS[lang(c)]

    def attr(key: str, label: str, value: Any) -> tuple[str, dict[str, Any]]:
        return key, {"label": label, "value": value}

    eid = int(look(c, "record_id", NEUTRAL, f"{w}.id.value"))
    dyn = c.rng.sample(range(1000, 9999), 4)
    attributes = dict(
        [
            attr("id", "ID", eid),
            attr("first_name", "First name", p.given_at(NEUTRAL, f"{w}.first_name.value")),
            attr("last_name", "Last name", p.family_at(NEUTRAL, f"{w}.last_name.value")),
            attr("email", "Email", plant(c, "EMAIL_ADDRESS", NEUTRAL, f"{w}.email.value")),
            attr("status", "Status", c.look("status", "active", NEUTRAL, f"{w}.status.value")),
            attr(
                "hire_date", "Hire date", look(c, "iso_timestamp", NEUTRAL, f"{w}.hire_date.value")
            ),
            attr(f"dynamic_{dyn[0]}", ident, national_id(c, NEUTRAL, f"{w}.dynamic.value")),
            attr(
                f"dynamic_{dyn[1]}", mobile, plant(c, "PHONE_NUMBER", NEUTRAL, f"{w}.dynamic.value")
            ),
            attr(f"dynamic_{dyn[2]}", home, plant(c, "LOCATION", NEUTRAL, f"{w}.dynamic.value")),
            attr(f"dynamic_{dyn[3]}", born, birth_date(c, NEUTRAL, f"{w}.dynamic.value")),
            attr("cost_centers", "Cost center", look(c, "sku", NEUTRAL, f"{w}.cost_centers.value")),
        ]
    )
    body = {"success": True, "data": {"type": "Employee", "attributes": attributes}}
    url = f"https://api.personio.de/v1/company/employees/{eid}"
    return HAR, har(c, "GET", url, response=body)


def rdap_domain(c: Ctx) -> Record:
    """RDAP domain lookup (RFC 9083): the registrant's contact as a jCard (RFC 7095), every value
    positional in an array, its property name a sibling."""
    w = "response.content.text.entities.vcardArray"
    p = Person(c)
    adr = ["", "", plant(c, "LOCATION", NEUTRAL, f"{w}.adr"), city(c, NEUTRAL, f"{w}.adr"), ""]
    adr += [look(c, "postal_code", NEUTRAL, f"{w}.adr"), country(c, NEUTRAL, f"{w}.adr")]
    phone = c.plant("PHONE_NUMBER", e164(c), NEUTRAL, f"{w}.tel")
    card = [
        ["version", {}, "text", "4.0"],
        ["fn", {}, "text", p.full_at(NEUTRAL, f"{w}.fn")],
        [
            "n",
            {},
            "text",
            [p.family_at(NEUTRAL, f"{w}.n"), p.given_at(NEUTRAL, f"{w}.n"), "", "", ""],
        ],
        ["adr", {"type": "home"}, "text", adr],
        ["tel", {"type": ["voice"]}, "uri", f"tel:{phone}"],
        ["email", {}, "text", plant(c, "EMAIL_ADDRESS", NEUTRAL, f"{w}.email")],
    ]
    domain = look(c, "domain", NAMED, "response.content.text.ldhName")
    handle = look(c, "hex_id", NAMED, "response.content.text.entities.handle")
    body = {
        "rdapConformance": ["rdap_level_0"],
        "objectClassName": "domain",
        "ldhName": domain,
        "entities": [
            {
                "objectClassName": "entity",
                "handle": handle,
                "roles": ["registrant"],
                "vcardArray": ["vcard", card],
            }
        ],
        "events": [
            {
                "eventAction": "registration",
                "eventDate": look(
                    c, "iso_timestamp", NAMED, "response.content.text.events.eventDate"
                ),
            }
        ],
        "status": ["active"],
    }
    return HAR, har(c, "GET", f"https://rdap.example.net/domain/{domain}", response=body)


def calendar_event(c: Ctx) -> Record:
    """Google Calendar v3: insert an event with attendees."""
    w = "request.postData.text"
    guests = [
        {
            "email": plant(c, "EMAIL_ADDRESS", NAMED, f"{w}.attendees.email"),
            "displayName": full_name(c, NAMED, f"{w}.attendees.displayName"),
            "responseStatus": "needsAction",
        }
        for _ in range(2)
    ]
    start = look(c, "iso_timestamp", NAMED, f"{w}.start.dateTime")
    visit = look(c, "order_number", TEXT, f"{w}.summary")
    phone = plant(c, "PHONE_NUMBER", TEXT, f"{w}.description")
    event = {
        "summary": f"Site visit {visit}",
        "location": plant(c, "LOCATION", NAMED, f"{w}.location"),
        "description": f"Bring the signed quote. Gate code at the back; call {phone} on arrival.",
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": start, "timeZone": "UTC"},
        "attendees": guests,
        "reminders": {"useDefault": True},
    }
    eid = c.chars(26, string.ascii_lowercase + DIGITS)
    response = {
        "kind": "calendar#event",
        "id": eid,
        "status": c.look("status", "confirmed", NAMED, "response.content.text.status"),
        "htmlLink": f"https://www.google.com/calendar/event?eid={eid}",
        "created": look(c, "iso_timestamp", NAMED, "response.content.text.created"),
    }
    url = "https://www.googleapis.com/calendar/v3/calendars/primary/events"
    return HAR, har(c, "POST", url, body=to_json(event), response=response)


TEMPLATES = (personio_employee, scim_user, rdap_domain, calendar_event)
