"""The keys that say a structured field holds a street line or a place, and the values that read
as one under a place's key: for `datamin.redactors.by_field`, in the languages APIs and forms
are written in."""

from __future__ import annotations

from datamin import quiet_re2
from datamin.redactors.addresses import names_a_street

_ADDRESS_FIELDS = frozenset(
    "address addr street streetaddress streetname street1 street2 street3 line1 line2 line3 "
    "addressline addressline1 addressline2 addressline3 address1 address2 address3 housenumber "
    "houseno building apartment postaladdress mailingaddress homeaddress residentialaddress "
    "billingaddress shippingaddress deliveryaddress physicaladdress registeredaddress "
    "strasse straße rua calle direccion dirección endereco endereço adresse indirizzo "
    "anschrift domicilio logradouro morada adres adress adresa osoite ulica straat gatuadress "
    "postadress postadres katuosoite".split()
)
# A key that holds one of these words is a home's address in its language (`Endereço
# residencial`, `Ev adresi`, `Kotiosoite`, `自宅住所`), as `address` is in English.
_ADDRESS_WORDS = frozenset(
    "endereço endereco dirección direccion domicilio adresse anschrift indirizzo adres adresi "
    "adress adresa osoite kotiosoite thuisadres woonadres bostadsadress hjemmeadresse".split()
)
_ADDRESS_INFIXES = ("住所", "주소", "地址", "住址")
# The same words closing a compound, as German, Dutch, the Nordic languages and Finnish write
# them (`Privatanschrift`, `Lieferadresse`, `Woonadres`, `Kotiosoite`), unless what comes first
# says mail, IP, MAC, web or server (`E-Mail-Adresse`, `IP-Adresse`, `Webadresse`).
_ADDRESS_ENDINGS = ("anschrift", "adresse", "adres", "adress", "adresa", "osoite", "strasse")
_NOT_PLACE_STARTS = ("ip", "mac", "web", "server", "host", "url", "bitcoin", "wallet")
# Words of a key that say "address" of something that is not a place (`email_address`,
# `remoteAddr`, `ip_address`, `wallet_address`).
_NOT_PLACE_WORDS = frozenset((
    "email", "mail", "mailaddress", "ip", "mac", "remote", "local", "server", "host", "bind",
    "listen", "proxy", "wallet", "contract", "btc", "eth", "web", "url", "memory", "network",
    "peer", "socket", "gateway", "broadcast", "multicast", "node", "public", "private", "deposit",
    "ipv4", "ipv6", "client", "source", "destination", "dst", "src", "bitcoin", "ethereum",
))  # fmt: skip


def is_address_key(key: str, words: frozenset[str], parent: str = "") -> bool:
    """A key that names a street line: `street2`, `streetAddress2`, `address_line_2`,
    `houseNumberOrName`, `address1`, or `line1`/`lines` under an address (`address.line2`,
    `billing_address.line1`). Not an e-mail, IP, wallet or server address."""
    if words & _NOT_PLACE_WORDS:
        return False
    if key in _ADDRESS_FIELDS or words & _ADDRESS_WORDS:
        return True
    if any(w in key for w in _ADDRESS_INFIXES):
        return True
    if key.endswith(_ADDRESS_ENDINGS) and not key.startswith(_NOT_PLACE_STARTS):
        return "mail" not in key
    if key.endswith(("address", "addr")) or "addressline" in key or "street" in key:
        return True
    if "house" in words or key.startswith(("housenumber", "houseno", "housename")):
        return True  # houseNumberOrName, house_no: the number on the door
    # `line1`, `line_2`, `lines` under a parent that is an address.
    named = {w for w in words if not w.isdigit()}
    return named in ({"line"}, {"lines"}) and is_address_parent(parent)


# Keys that name a place of any size: a city, a room, or a door. Their value is a street line
# when it reads as one: a name and a house number in either order (`Κεσκίνη 756`, `46,
# Subramanian`, `Sampad 5`), in any script, and no facility's word (`Room 12`, `Gate 4`).
PLACE_KEYS = frozenset(
    "location place venue where meetingplace meetinglocation eventlocation pickuplocation "
    "dropofflocation ort lieu lugar luogo plaats "
    # Where a parcel goes: a person's name or their door, and a door reads as one.
    "shipto deliverto billto deliveryto shippingto".split()
)
_STREET_LINE = quiet_re2.compile(
    r"\p{L}[\p{L}\p{M}'.\-]*(?:\s+\p{L}[\p{L}\p{M}'.\-]*){0,3},?\s+\d{1,5}(?:\s?[A-Za-z])?"
    r"(?:\s?[/\-]\s?\d{1,5}[A-Za-z]?)?\.?"
    r"|\d{1,5}[A-Za-z]?,?\s+\p{L}[\p{L}\p{M}'.\-]*(?:\s+\p{L}[\p{L}\p{M}'.\-]*){0,3}"
)
_FACILITY_WORDS = frozenset(
    "room rooms floor building bldg gate terminal hall level suite desk office lab studio stage "
    "track booth area zone wing block platform pier dock bay row seat table court field pitch "
    "door entrance exit parking lot sala salle raum saal piso etage aula version v step".split()
)
# The same in Japanese and Chinese, written inside the words (`会議室3`, `第2ホール`).
_CJK_FACILITY_WORDS = (
    "室",
    "階",
    "ホール",
    "ゲート",
    "会場",
    "番線",
    "出口",
    "入口",
    "楼层",
    "大厅",
)


def reads_as_street_line(text: str) -> bool:
    value = text.strip()
    if any(word in value for word in _CJK_FACILITY_WORDS):
        return False
    if names_a_street(value):
        return True  # `rue Victor Lebon`, `Kantstrasse`, `アーバン手岡646`
    if _STREET_LINE.fullmatch(value) is None:
        return False
    words = {w.strip(".,'-").lower() for w in value.split()}
    return words.isdisjoint(_FACILITY_WORDS)


def is_address_parent(parent: str) -> bool:
    return parent.endswith(("address", "addr", "addresses")) or parent in _ADDRESS_FIELDS


# Whose address a record names: `to_address.name` (a label's addressee), `return_address`.
_ADDRESS_PARTIES = ("to", "from", "return", "delivery", "mailing", "home", "sender", "recipient")


def is_party_address(parent: str) -> bool:
    """`toaddress`, `fromaddress`, `returnaddress`: the name on an address is its addressee's."""
    return parent.endswith("address") and parent[: -len("address")] in _ADDRESS_PARTIES
