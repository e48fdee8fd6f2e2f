"""jCard and jCal (RFC 7095, RFC 7265): a contact's or an event's properties as arrays,
`["tel", {"type": "cell"}, "uri", "tel:+1..."]`, the property's name first and its value after
its parameters and value type. RDAP (RFC 9083) gives every registrant, admin and abuse contact
this way. Nothing in the value's path says what it is; the property name does, so the values
are read under it, as a name/value pair's value is under its name (`datamin.core.pairs`).
"""

from __future__ import annotations

# RFC 6350 / 7095 value types: a property array is only one when its third item is one of them.
_VALUE_TYPES = frozenset(
    "text uri date time date-time date-and-or-time timestamp boolean integer float utc-offset "
    "language-tag unknown period duration recur cal-address binary".split()
)
# Properties whose names say little to a detector, as the field names that mean the same.
_NAMES = {
    "fn": "full_name",
    "n": "name",
    "adr": "address",
    "tel": "phone",
    "bday": "birthday",
    "email": "email",
    "nickname": "nickname",
    "org": "organization",
    "geo": "geo",
    "note": "note",
    "attendee": "attendee",
    "organizer": "organizer",
}
# Structured values (RFC 6350 6.2.2 and 6.3.1): one field name per component, in order.
_COMPONENTS = {
    "n": ("family_name", "given_name", "middle_name", "honorific_prefix", "honorific_suffix"),
    "adr": ("po_box", "apartment", "street", "city", "region", "postal_code", "country"),
}


def property_labels(items: list[object]) -> tuple[str, tuple[str, ...]] | None:
    """For a jCard/jCal property array: the label of its values and, for a structured value,
    of each component; None when the array is not a property."""
    if len(items) < 4:
        return None
    name, params, kind = items[0], items[1], items[2]
    if not (isinstance(name, str) and isinstance(params, dict) and isinstance(kind, str)):
        return None
    if kind not in _VALUE_TYPES or not 0 < len(name) <= 40 or not name.replace("-", "").isalnum():
        return None
    name = name.lower()
    return _NAMES.get(name, name), _COMPONENTS.get(name, ())
