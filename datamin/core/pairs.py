"""Name/value pairs: `[{"name": "api_key", "value": "..."}]`, a form's `Key=api_key&Value=...`,
header-like arrays. The value means what the pair's name says, so detectors read it under that
name (its label) while its path stays as written, for policies to address.

A label is only ever a name: short, name-like, no long digit run. A pair whose "name" reads as
data (`{"name": "Ann Lee <ann@example.com>", "value": 3}`) gives no label; the name string
itself is always a field of its own, scanned like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from datamin.redactors._id_words import names_a_document

# The keys that name a pair, in the order they are tried, and the keys that hold its value.
# Compared lower-cased: `Key`/`Value`, `NAME`/`VALUE` are the same pair. A mapping is only
# looked at when it has one of the keys spelled lower-case, Title-case or UPPER-case (or
# camelCase, for the compound ones). Beside the plain pairs: an audit log's change (`{"field":
# "phone", "old_value": .., "new_value": ..}`, `{"attribute": .., "newValue": ..}`), a CRM's
# properties (`{"property": "phone", "value": ..}`), SCIM's typed values (`{"type": "mobile",
# "value": ..}`), Slack's attachment fields (`{"title": "Phone", "value": ..}`), a form's
# answers (`{"question": .., "answer": ..}`), short keys (`{"k": .., "v": ..}`) and JSON
# Patch (`{"op": "replace", "path": "/phone", "value": ..}`).
NAME_KEYS = (
    "name", "key", "field", "header", "label", "attribute", "property", "parameter",
    "fieldname", "field_name", "attributename", "propertyname", "parametername", "title",
    "question", "path", "type", "k",
    # Last: a form input's own id (`{"id": "fname", "type": "text", "value": ..}`), where its
    # type is a data type that says less.
    "id",
)  # fmt: skip
VALUE_KEYS = frozenset(
    "value val values v answer newvalue new_value oldvalue old_value previousvalue "
    "previous_value parametervalue "
    # A field's data (`{"field": "phone", "data": ..}`, as form and enrichment APIs pair them).
    "data".split()
)
_CAMEL = ("fieldName", "attributeName", "propertyName", "parameterName", "newValue", "oldValue")
_MAX_LABEL = 40


# A typed identifier: `{"type": "AADHAAR", "number": ..}`, `{"id_type": "PAN", "id_value": ..}`,
# `{"document_type": "passport", "document_id": ..}` (KYC and payment APIs), an object that
# names its own type (Stripe's `{"object": "card", "number": ..}`). Its value reads as
# the type joined to its own key (`aadhaar_number`), so it keeps what that key says:
# `{"type": "customer", "id_number": ..}` is still an identity number, as the same keys flat
# would be. `id` only where the type names an identity document (`{"kind": "aadhaar", "id":
# ..}`): JSON:API's `{"type": "phone-numbers", "id": ..}` is a resource's id.
# Words, in any of the usual spellings.
def _words(*names: str) -> dict[str, str]:
    """Each spelling (`id_type`, `idType`, `IdType`, `ID_TYPE`, `id-type`, `idtype`) of each
    name, written with `_`, mapped to the name."""
    spelled = {}
    for name in names:
        parts = name.split("_")
        camel = parts[0] + "".join(p.title() for p in parts[1:])
        for s in (name, name.upper(), name.replace("_", "-"), camel, camel[0].upper() + camel[1:]):
            spelled[s] = name
        spelled[name.replace("_", "")] = name
    return spelled


_TYPE_KEYS = _words(
    "type", "kind", "object", "id_type", "doc_type", "document_type", "identifier_type",
    "identity_type", "identification_type", "proof_type", "id_proof_type", "document_kind",
    "tipo", "tipo_documento", "tipo_doc",  # es, pt
)  # fmt: skip
# (Keys that already say identity number, `id_number`, `doc_no`, keep their own name.)
_TYPED_VALUES = _words(
    "number", "no", "num", "nr", "identifier", "id_value", "document_id", "doc_id", "reference",
    "numero", "chave", "clave",  # es, pt: a Pix key is typed (`{"tipo": "CPF", "chave": ..}`)
)  # fmt: skip
# Every key a pair may have, lower-cased (forms gather a parent's children by these).
PAIR_KEYS = frozenset(
    (*NAME_KEYS, *VALUE_KEYS, *(k.lower() for k in (*_TYPE_KEYS, *_TYPED_VALUES)), "id")
)
# How the keys of a pair are usually written; a mapping with none of them is no pair, which is
# the answer for almost every mapping, found without a loop.
_SPELLINGS = frozenset(
    (
        *(s for k in (*NAME_KEYS, *VALUE_KEYS) for s in (k, k.title(), k.upper())),
        *_CAMEL,
        *_TYPE_KEYS,
    )
)
# Words of letters, digits, `_`, `-`, `.`, separated by single spaces (`API Key`, `X-Api-Key`,
# `first_name`, `Data de nascimento`, `생년월일`: HR and CRM systems label fields in their
# users' language); starts with a letter or `_`. Python's `re` on at most 40 characters
# (checked first), which RE2's call overhead would only slow down.
_LABEL = re.compile(r"[^\W\d][\w.\-]*(?: [\w.\-]+){0,3}")
_LONG_DIGITS = re.compile(r"\d{5}")


def label_of(name: object) -> str | None:
    """The label a pair's name gives its value, lower-cased with spaces as `_`; None when the
    name does not read as a name."""
    if not isinstance(name, str):
        return None
    name = name.strip()
    if not name or len(name) > _MAX_LABEL or _LABEL.fullmatch(name) is None:
        return None
    if _LONG_DIGITS.search(name) is not None:
        return None
    return name.lower().replace(" ", "_")


# Names that say which of its kind a value is, or its data type, not what it is: SCIM's and
# vCard's `{"type": "work", "value": ...}` under `phoneNumbers`, `{"type": "string", ...}`. The
# value is read under its own path's name (`phoneNumbers`), which says more.
_QUALIFIERS = frozenset(
    "home work other main primary personal business office private default "
    "string text number integer int float double decimal boolean bool date datetime time "
    "object array json uri url list map".split()
)
# A form's question names its answer by what it asks for: `What is your phone number?`,
# `Please enter your date of birth:`, `Quel est votre numéro de téléphone ?`.
_ASKED = re.compile(
    r"(?i)\b(?:your|votre|vos|ton|ta|tes|tu|su|sus|seu|sua|ihre?|deine?|uw|je)\s+"
    r"([^\W\d][\w'\-]*(?:\s+[\w'\-]+){0,3}?)\s*[?:.!]*\s*$"
)


def _asked(name: object) -> str | None:
    """The label a question gives its answer: what follows its last `your`."""
    if not isinstance(name, str) or len(name) > 120:
        return None
    m = _ASKED.search(name.strip())
    return None if m is None else label_of(m.group(1))


def pair_label(items: dict[str, object]) -> tuple[frozenset[str], str] | None:
    """For a mapping that is a name/value pair: (the keys holding its values, its label)."""
    if len(items) < 2:
        return None
    if "display" in items and "reference" in items:
        return _persons_reference(items)
    if items.keys().isdisjoint(_SPELLINGS):
        return _typed_by_its_own(items)
    return pair_among(items.items()) or _identified(items) or _typed_by_its_own(items)


# A FHIR reference to a person's resource (`{"reference": "Patient/pat-1", "display": ..}`,
# a coverage's subscriber, a patient's practitioner): its display is that person's name.
_PERSONS_RESOURCE = re.compile(r"(?:^|/)(Patient|Practitioner|RelatedPerson|Person)/[^/\s]+")
_RESOURCE_LABELS = {
    "Patient": "patient_name",
    "Practitioner": "practitioner_name",
    "RelatedPerson": "person_name",
    "Person": "person_name",
}


def _persons_reference(items: dict[str, object]) -> tuple[frozenset[str], str] | None:
    reference = items["reference"]
    if not isinstance(reference, str) or len(reference) > 500:
        return None
    m = _PERSONS_RESOURCE.search(reference)
    return None if m is None else (frozenset(("display",)), _RESOURCE_LABELS[m.group(1)])


# An identifier in a naming system (HL7 FHIR's `Identifier`: `{"system":
# "http://hl7.org/fhir/sid/us-ssn", "value": ..}`, an OID's `urn:oid:...`): the value is the
# identifier the system names, whatever its shape. A system whose name says no document still
# says a person's identifier (`identifier_value`) when it is an OID, FHIR's own `sid` space,
# or a URI whose words say a patient's, a member's or a licence's; not any `{"system": ..,
# "value": ..}` (a SKU's namespace, a code host's repository), nor a quantity's unit system
# (`{"value": 6.3, "system": "http://unitsofmeasure.org", ..}`).
_SYSTEM_OIDS = (
    ("2.16.840.1.113883.4.1", "ssn"),  # the US social security number
    ("2.16.840.1.113883.4.3.", "drivers_license_number"),  # a US state's driver's licence
    ("2.16.840.1.113883.4.330.", "passport_number"),  # a country's passports
)
_SYSTEM_SEGMENTS = re.compile(r"[/:#]+")
_SYSTEM_WORDS = re.compile(r"[^\W_]+")
_PERSONS_SYSTEMS = frozenset(
    "oid sid mrn mr pid patient patients person persons member members subscriber "
    "beneficiary insured medical record records certificate license licence npi ssn "
    "passport".split()
)
_NOT_IDENTIFIERS = frozenset(("unit", "code", "comparator", "currency"))


def _identified(items: dict[str, object]) -> tuple[frozenset[str], str] | None:
    system, value = items.get("system"), items.get("value")
    if not (isinstance(system, str) and isinstance(value, str)) or len(system) > 300:
        return None
    if (":" not in system and "/" not in system) or not _NOT_IDENTIFIERS.isdisjoint(items):
        return None  # a contact point's `phone`, `email` is its value's own kind
    oid = system.removeprefix("urn:oid:")
    for prefix, label in _SYSTEM_OIDS:
        if oid == prefix or (prefix.endswith(".") and oid.startswith(prefix)):
            return frozenset(("value",)), label
    segments = [s for s in _SYSTEM_SEGMENTS.split(system) if s]
    words = re.split(r"[\-_.]", segments[-1]) if segments else []
    named = next((w for w in (segments[-1:] + words) if names_a_document(w)), None)
    label = label_of(named) if named else None
    if label is None and not _PERSONS_SYSTEMS.isdisjoint(_SYSTEM_WORDS.findall(system.lower())):
        label = "identifier_value"
    return None if label is None else (frozenset(("value",)), label)


# A key typed by a sibling named after it: Modern Treasury's `{"contact_identifier": ..,
# "contact_identifier_type": "phone_number"}`, `{"routingNumber": .., "routingNumberType":
# "aba"}`. As in a typed identifier, its value reads as the type joined to its key
# (`phone_number_contact_identifier`), so it keeps what the key says.
_OWN_TYPE_ENDINGS = ("_type", "Type", "-type", "_TYPE")


def _typed_by_its_own(items: dict[str, object]) -> tuple[frozenset[str], str] | None:
    for key, kind in items.items():
        if not (isinstance(kind, str) and key.endswith(_OWN_TYPE_ENDINGS)):
            continue
        base = key[:-4].rstrip("_-")
        if not base or base not in items:
            continue
        label, own = label_of(kind), label_of(base)
        if label is not None and own is not None and label not in _QUALIFIERS:
            return frozenset((base,)), f"{label}_{own}"
    return None


def pair_among(children: Iterable[tuple[str, object]]) -> tuple[frozenset[str], str] | None:
    """The same for the children of one parent, given as (key, value) in order: a pair when
    keys hold its values (a change has an old and a new one), each key once, and a name key
    holds a name-like string."""
    names: dict[str, object] = {}
    value_keys: set[str] = set()
    seen: set[str] = set()
    kind: object = None
    typed: list[str] = []
    document_id: str | None = None
    for key, value in children:
        lowered = key.lower()
        if lowered in seen:
            return None  # a repeated key: which value goes with which name is unknown
        seen.add(lowered)
        if lowered in VALUE_KEYS:
            value_keys.add(key)
        elif lowered in NAME_KEYS:
            names[lowered] = value
        if key in _TYPE_KEYS:
            kind = value if kind is None else ""  # two types: which is meant is unknown
        elif key in _TYPED_VALUES:
            typed.append(key)
        elif lowered == "id":
            document_id = key
    if not value_keys:
        return _typed(kind, typed, document_id)
    for key in NAME_KEYS:
        if key in names:
            name = names[key]
            if key == "path" and isinstance(name, str) and name.startswith("/"):
                name = name.rsplit("/", 1)[-1]  # JSON Patch's pointer: its last key
            label = label_of(name) or _asked(name)
            if label is not None and label not in _QUALIFIERS:
                return frozenset(value_keys), label
    return None


def _typed(
    kind: object, keys: list[str], document_id: str | None
) -> tuple[frozenset[str], str] | None:
    """A typed identifier's value key and label (`aadhaar_number`), or None. `document_id`:
    the pair's `id` key, its value key where nothing else is and the type names a document."""
    if kind is None:
        return None
    label = label_of(kind)
    if label is None or label in _QUALIFIERS:
        return None
    if len(keys) == 1:
        return frozenset(keys), f"{label}_{_TYPED_VALUES[keys[0]]}"
    if not keys and document_id is not None and names_a_document(label):
        return frozenset((document_id,)), f"{label}_number"
    return None


def pair_rows(items: list[object]) -> list[str | None] | None:
    """For header-like arrays, `[["Authorization", "Bearer ..."], ["phone", "+1..."]]`: each
    row's label (its first item read as a name), or None when the list is not such rows."""
    if not items:
        return None
    labels = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            return None
        labels.append(label_of(item[0]))
    return labels if any(labels) else None


# A result set as query APIs return one (Azure Monitor's and Kusto's `columns` and `rows`,
# Snowflake's, Athena's): the column's name labels every cell under it.
_COLUMN_KEYS = ("columns", "Columns", "fields", "header", "headers")
_ROW_KEYS = ("rows", "Rows", "data", "values")
_ROW_KEY_SET = frozenset(_ROW_KEYS)
_COLUMN_KEY_SET = frozenset(_COLUMN_KEYS)


def column_labels(items: dict[str, object]) -> tuple[str, list[str | None]] | None:
    """For a mapping holding a table: (the key of its rows, each column's label). Most
    mappings have neither key: they are ruled out by two set tests, on every object walked."""
    if items.keys().isdisjoint(_ROW_KEY_SET) or items.keys().isdisjoint(_COLUMN_KEY_SET):
        return None
    found = next(((k, items[k]) for k in _ROW_KEYS if isinstance(items.get(k), list)), None)
    columns = next((items[k] for k in _COLUMN_KEYS if isinstance(items.get(k), list)), None)
    if found is None or not columns or not isinstance(columns, list):
        return None
    rows_key, rows = found
    labels = [
        label_of(c.get("name") or c.get("label") if isinstance(c, dict) else c) for c in columns
    ]
    if not any(labels) or not all(isinstance(r, list) and len(r) == len(labels) for r in rows):
        return None
    return rows_key, labels
