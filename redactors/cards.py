"""Payment card numbers: 12 to 19 digits, bare or in groups.

Without context a number must be what an issuer issues (a known prefix with its length) and
pass Luhn. Near card words ("card", "cc", "visa"...) or under a card-named field, 12 to 19
digits are a card whatever their prefix (test and private-label cards have prefixes no public
table lists), and even when Luhn fails (fail closed: Luhn only raises the score).

What a sentence writes right after a card's number is the card's too: its expiry (`exp 12/27`,
`12/27`) and its security code (`cvv 123`, or the bare digits after an expiry): `card_tail`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from stdnum import luhn

from datamin import quiet_re2
from datamin.redactors._validators import DIGITS, is_card_number, squash, stands_alone
from datamin.redactors.context import key_tokens, last_word

_RUN = quiet_re2.compile(r"\d{12,}")  # a whole digit run; over 19 digits it is not a card
_GROUPED = quiet_re2.compile(
    # 4-4-4-4 and variants; 17 to 19 digits end in a short group (`6204-9931-5296-0702-9`).
    r"\b\d{4}(?:[ .\-]\d{4}){2}[ .\-]\d{1,4}(?:[ .\-]\d{1,3})?\b"
    r"|\b\d{4}[ .\-]\d{6}[ .\-]\d{4,5}\b"  # American Express, Diners Club
)
_CONTEXT = quiet_re2.compile(
    r"(?i)(?:card|\bcc\b|\bccn|credit|debit|visa|master|amex|maestro|\bpan\b|"
    r"tarjeta|carte|cartão|cartao|carta|karte|kaart|\bkart|\bkort|卡|カード|카드)"
)
_CONTEXT_WINDOW = 32
# After a card: an expiry, named or bare (a month and a year), or a security code under its
# name; each may follow the one before it with a separator or `and (the)` between.
_MONTH_YEAR = r"(?:0?[1-9]|1[0-2])\s?[/\-.]\s?(?:20)?\d\d"
_TAIL_LEAD = r"^[\s,;:|/()\-]{0,4}(?:(?:and|und|y|et|e)\s+)?(?:the\s+)?"
_TAIL = quiet_re2.compile(
    _TAIL_LEAD + r"(?i:(?:exp(?:iry|ires|iration)?(?:\s+date)?|valid\s+(?:thru|through|until)|"
    r"good\s+thru|vence|venc|vencimiento|validade|gültig\s+bis|ablauf|scad(?:enza)?)"
    r"\.?\s*(?:is\s+|on\s+)?[:#=]?\s*(" + _MONTH_YEAR + r"|(?:0[1-9]|1[0-2])\d\d)"
    r"|(?:cvv2?|cvc2?|csc|cid|cvn|cav2|sec(?:urity)?\s+code|code)\.?\s*(?:is\s+)?[:#=]?\s*"
    r"(\d{3,4}))(?:$|[^\d/.\-:])"
)
_BARE_EXPIRY = quiet_re2.compile(_TAIL_LEAD + r"(" + _MONTH_YEAR + r")(?:$|[^\d/.\-:])")
_BARE_CODE = quiet_re2.compile(r"^[\s,;/|\-]{1,3}(\d{3,4})(?:$|[^\d/.\-:,])")
_TAIL_CHARS = 64
# ... and a card's words in the languages fields are labelled in: es, fr, de, it, pt, nl, pl,
# tr, sv/no/da, ja, zh, ko, ru (`numero_tarjeta`, `Kartennummer`, `kart_numarasi`, `卡号`).
_CARD_TOKENS = frozenset(
    "card cc pan ccn ccnum tarjeta carte carta cartao cartão karte kaart karta karty kart "
    "kort".split()
)
_CARD_WORDS = (
    "cardnumber", "creditcard", "debitcard", "cardno", "ccnumber", "cardnum", "tarjeta",
    "cartebancaire", "numerocarte", "numérodecarte", "numerodecarte", "kartennummer",
    "kreditkarte", "numerocarta", "cartadicredito", "numerocartao", "numerocartão",
    "cartaocredito", "cartaodecredito", "cartãodecrédito", "kaartnummer", "numerkarty",
    "kartakredytowa", "kartnumarasi", "kartnumaras\u0131", "kredikarti", "kredikart\u0131",
    "kortnummer", "kreditkort", "カード番号", "カード", "卡号", "信用卡", "银行卡", "카드번호",
    "номеркарты",
    # A card scheme's number: Adyen's `paymentMethod: {"type": "scheme", "number": ...}`,
    # read as the type joined to its key (`datamin.core.pairs`).
    "schemenumber",
)  # fmt: skip


# A card's name's last word that says what the value is about the card, never its number
# (`card_brand`, `cardBin`, `cards_count`, `card_last4`, `card_exp_year`).
_ABOUT_THE_CARD = frozenset(
    "brand brands type types count counts bin bins last last4 first6 fingerprint country "
    "currency status month year exp expiry expiration network networks funding issuer level "
    "category presence present enabled verified amount total balance limit fee rate url image "
    "logo design reader version "
    # ... or an id: a run of digits there is a record's key, as under `order_id` (a card's
    # number written in its groups is still found there, `id_name`).
    "id ids".split()
)


@lru_cache(maxsize=1024)
def card_hint(name: str) -> bool:
    """The field name says payment card: `card`, `cc`, `pan`, `card_number`, `ccNumber`...;
    not a name of what is about the card (`card_brand`, `cards_count`)."""
    if last_word(name) in _ABOUT_THE_CARD:
        return False
    key = squash(name)
    tokens = key_tokens(name)
    plurals = {t[:-1] for t in tokens if t.endswith("s")}  # `cards[0].number`
    return bool((tokens | plurals) & _CARD_TOKENS) or any(w in key for w in _CARD_WORDS)


@lru_cache(maxsize=1024)
def id_name(name: str) -> bool:
    """The field name says record id (`id`, `order_id`, `userIds`): a number there is a key,
    not a card, whatever Luhn says (a card-named field is judged by `card_hint` first)."""
    key = squash(name)
    return key.endswith(("id", "ids")) and not key.endswith(("paid", "prepaid"))


def card_spans(text: str, named: bool) -> Iterator[tuple[int, int, float]]:
    """(start, end, score) of each card number; `named` when the field name says card."""
    for m in _RUN.finditer(text):
        start, end = m.span()
        if end - start <= 19 and stands_alone(text, start, end):
            score = _score(text, start, text[start:end], named, 0.95, _whole(text, start, end))
            if score:
                yield start, end, score
    for m in _GROUPED.finditer(text):
        start, end = m.span()
        candidate = text[start:end]
        separators = {c for c in candidate if c not in DIGITS}
        if len(separators) > 1:
            # A group written with another separator is not the card's (`4111-...-1111 12/27`):
            # the card ends before it.
            first = candidate[4]
            cut = next(i for i, c in enumerate(candidate) if c not in DIGITS and c != first)
            candidate, end = candidate[:cut], start + cut
            separators = {first}
        # A grouped number followed by one more group (a CVV, a year) is tried without it.
        separator = separators.pop()
        for stop in (end, start + candidate.rfind(separator)):
            digits = text[start:stop].replace(separator, "")
            if stands_alone(text, start, stop):
                score = _score(text, start, digits, named, 1.0, _whole(text, start, stop))
                if score:
                    yield start, stop, score
                    break


def card_tail(text: str, end: int) -> list[tuple[int, int]]:
    """Spans of what follows the card number that ends at `end` and belongs to it: its expiry
    and its security code (`4111 1111 1111 1111 exp 12/27 cvv 123`, `... 12/27 123`). A bare
    number counts only after an expiry: after a card alone it may be anything."""
    spans: list[tuple[int, int]] = []
    expired = False  # an expiry was read: bare digits after it are the code
    for _ in range(3):
        rest = text[end : end + _TAIL_CHARS]
        if (m := _TAIL.search(rest)) is not None:
            expiry = m.start(1) >= 0
            start, stop = m.span(1 if expiry else 2)
        elif (m := _BARE_EXPIRY.search(rest)) is not None:
            expiry = True
            start, stop = m.span(1)
        elif expired and (m := _BARE_CODE.search(rest)) is not None:
            expiry = False
            start, stop = m.span(1)
        else:
            break
        spans.append((end + start, end + stop))
        expired = expired or expiry
        end += stop
    return spans


def _whole(text: str, start: int, end: int) -> bool:
    return not text[:start].strip() and not text[end:].strip()


def _score(text: str, start: int, digits: str, named: bool, sure: float, whole: bool) -> float:
    # An airline (UATP) card's `1` starts many references too (`order 122000000000003`): issuer
    # and Luhn count for it alone only where the number is all there is.
    if is_card_number(digits) and (digits[0] != "1" or whole):
        return sure
    if not 12 <= len(digits) <= 19:
        return 0.0
    if named:
        return 0.85  # fail closed: a card's shape under a card's name
    if digits.strip("0"):
        window = text[max(0, start - _CONTEXT_WINDOW) : start]
        if _CONTEXT.search(window):
            # Near card words the shape is enough (fail closed); Luhn only raises the score.
            return 0.85 if luhn.is_valid(digits) else 0.6
    return 0.0
