"""People and places that structure gives away: a value under `customer.name` is a name, a
value under `address.line1` is an address, whatever NER makes of two words without a sentence.
Street addresses inside free text are found by their shape, which the small spaCy model misses.
"""

from __future__ import annotations

import re

from redactors.context import FieldContext, FieldKind
from redactors.findings import Finding

_NAME_FIELDS = frozenset(
    "name fullname firstname lastname givenname familyname surname middlename customername "
    "contactname cardholder cardholdername holdername recipientname billingname shippingname "
    "displayname username nickname accountholder beneficiary".split()
)
_ADDRESS_FIELDS = frozenset(
    "address addressline1 addressline2 line1 line2 street streetaddress address1 address2 "
    "shippingaddress billingaddress homeaddress mailingaddress".split()
)
# Parents that make a bare `name` a person's: `customer.name` yes, `product.name` no.
_PERSON_PARENTS = frozenset(
    "customer user account contact billing shipping recipient sender owner member profile "
    "person patient employee cardholder holder buyer payer payee client from to shipto billto "
    "deliverto consignee addressee".split()
)
_STRUCTURED = (FieldKind.JSON, FieldKind.FORM, FieldKind.QUERY)

_STREET = re.compile(
    r"\b\d{1,6}(?:[A-Za-z])?\s+(?:[A-Z][a-z]+\.?\s+){1,4}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
    r"Terrace|Way|Square|Sq|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Close|Crescent|Row)\b\.?"
)


def _squash(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


class FieldNameDetector:
    name = "by_field"

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        findings = []
        if ctx.kind in _STRUCTURED and text.strip() and any(c.isalpha() for c in text):
            key = _squash(ctx.name)
            if key in _ADDRESS_FIELDS:
                return [Finding("LOCATION", 0, len(text), 0.9, self.name)]
            if key in _NAME_FIELDS and (key != "name" or _parent(ctx.path) in _PERSON_PARENTS):
                return [Finding("PERSON", 0, len(text), 0.9, self.name)]
        if len(text) >= 10 and " " in text:
            findings.extend(
                Finding("LOCATION", m.start(), m.end(), 0.8, self.name)
                for m in _STREET.finditer(text)
            )
        return findings


def _parent(path: str) -> str:
    keys = path.split(".")
    return _squash(keys[-2].split("[", 1)[0]) if len(keys) > 1 else ""
