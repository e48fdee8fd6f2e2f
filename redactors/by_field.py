"""People and places that structure gives away: a value under `customer.name` is a name, a
value under `address.line1` is an address, whatever NER makes of two words without a sentence.
Street addresses inside free text are found by their shape, which the small spaCy model misses.
"""

from __future__ import annotations

import re

import re2

from redactors.context import FieldContext, FieldKind
from redactors.findings import Finding
from redactors.registry import DetectorSettings

_NAME_FIELDS = frozenset(
    "name fullname firstname lastname givenname familyname surname middlename customername "
    "contactname cardholder cardholdername holdername recipientname billingname shippingname "
    "displayname username nickname accountholder beneficiary".split()
)
_ADDRESS_FIELDS = frozenset(
    "address addressline1 addressline2 line1 line2 street streetaddress address1 address2 "
    "shippingaddress billingaddress homeaddress mailingaddress".split()
)
_BIRTH_FIELDS = frozenset("dob dateofbirth birthdate birthday birthdt bday".split())
# Parents that make a bare `name` a person's: `customer.name` yes, `product.name` no.
_PERSON_PARENTS = frozenset(
    "customer user account contact billing shipping recipient sender owner member profile "
    "person patient employee cardholder holder buyer payer payee client from to shipto billto "
    "deliverto consignee addressee".split()
)
_STRUCTURED = (FieldKind.JSON, FieldKind.FORM, FieldKind.QUERY)

_STREET = re2.compile(
    r"\b\d{1,6}(?:[A-Za-z])?\s+(?:[A-Z][a-z]+\.?\s+){1,4}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
    r"Terrace|Way|Square|Sq|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Close|Crescent|Row)\b\.?"
)


# A person's full name as text writes it: two or three capitalized words, any script's letters.
_FULL_NAME = r"\p{Lu}[\p{Ll}\p{Lm}]+(?:[ '\-]\p{Lu}[\p{Ll}\p{Lm}]+){1,2}"
# "Name: X" structures, and the verbs and greetings that put a person after them. Product names
# ("for Trail Runner 2") do not follow these cues, which is why generic words like "for" are not
# among them.
_NAME_CUES = re2.compile(
    r"(?i:\b(?:name|full name|customer|contact|recipient|attn|attention|ship to|deliver to|"
    r"bill to|cardholder|account holder|signed)\s*[:\-]\s*)(" + _FULL_NAME + r")"
    r"|(?i:\b(?:call|ring|phone|text|email|ask|ask for|contact|tell|message|dear|hi|hello|hey|"
    r"thanks|thank you|regards|leave it with|speak to|speak with|talk to|hand it to|this is|"
    r"my name is|i am|i'm|neighbou?r|colleague|gift for|attention of|care of|c/o)[,]?\s+)("
    + _FULL_NAME
    + r")"
)


# Parents whose `name` is a thing's, never a person's.
_THING_PARENTS = frozenset(
    "product products item items sku plan plans category categories file files project repo "
    "repository team org organization organisation company merchant store shop service services "
    "app application event events tag tags feature features role roles group groups bucket key "
    "keys device devices integration integrations webhook webhooks environment region".split()
)
_WHOLE_NAME = re2.compile(_FULL_NAME)
# Capitalized words that follow the same cues in UI and support text but are not names.
_NOT_NAME_WORDS = frozenset(
    "Support Team Center Centre Service Services Customer Customers Sales Desk Help Hours Office "
    "Department Billing Shipping Delivery Order Orders Account Accounts Store Shop Security Admin "
    "Us Now Today Tomorrow Back Me Please Reply Stop Code Care Line Hotline Number".split()
)


def _squash(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


class FieldNameDetector:
    name = "by_field"
    entities = frozenset(("PERSON", "LOCATION", "DATE_OF_BIRTH"))

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        findings = []
        key = _squash(ctx.name) if ctx.kind in _STRUCTURED else ""
        if key in _BIRTH_FIELDS and any(c.isdigit() for c in text):
            return [Finding("DATE_OF_BIRTH", 0, len(text), 0.9, self.name)]
        if key and text.strip() and any(c.isalpha() for c in text):
            if key in _ADDRESS_FIELDS:
                return [Finding("LOCATION", 0, len(text), 0.9, self.name)]
            if key in _NAME_FIELDS and (key != "name" or _parent(ctx.path) in _PERSON_PARENTS):
                return [Finding("PERSON", 0, len(text), 0.9, self.name)]
            if key == "name" and _parent(ctx.path) not in _THING_PARENTS and _is_full_name(text):
                # A bare `name` of unknown owner that reads "First Last": more likely a person.
                return [Finding("PERSON", 0, len(text), 0.7, self.name)]
        if len(text) >= 10 and " " in text:
            findings.extend(
                Finding("LOCATION", m.start(), m.end(), 0.8, self.name)
                for m in _STREET.finditer(text)
            )
            findings.extend(self._cued_names(text))
        return findings

    def _cued_names(self, text: str) -> list[Finding]:
        found = []
        for m in _NAME_CUES.finditer(text):
            group = 1 if m.start(1) >= 0 else 2
            words = re.split(r"[ '\-]", m.group(group))
            if any(w in _NOT_NAME_WORDS for w in words):
                continue
            found.append(Finding("PERSON", m.start(group), m.end(group), 0.8, self.name))
        return found


def _is_full_name(text: str) -> bool:
    words = text.strip().split()
    return _WHOLE_NAME.fullmatch(text.strip()) is not None and not any(
        w in _NOT_NAME_WORDS for w in words
    )


def _parent(path: str) -> str:
    keys = path.split(".")
    return _squash(keys[-2].split("[", 1)[0]) if len(keys) > 1 else ""
