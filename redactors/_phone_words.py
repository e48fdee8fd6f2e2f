"""What says a value is a phone number, before its digits are read: a field's name (in the
languages fields are labelled in), the words before a number in a sentence (and, in languages
that put them there, after it), and the words that make a number a reference instead.
`datamin.redactors.phones` reads the digits."""

from __future__ import annotations

from functools import lru_cache

from datamin import quiet_re2
from datamin.redactors._measures import MEASURE_NAMES, measures_only
from datamin.redactors._validators import squash
from datamin.redactors.context import key_tokens, last_word

# A whole value of a phone's shape, under names that hold a phone only sometimes (`from`, `to`).
_WHOLE_PHONE = quiet_re2.compile(
    r"(?i:whatsapp:|tel:|sms:)?\+?[\d ().\-]{7,24}(?:[ ]?(?i:x|ext\.?|extension|#)[ ]?\d{1,6})?"
)

# Words that say phone anywhere in a name, and shorter ones that must start it or be a token of
# it (`mobile_no` yes, `automobile` and `cancellation` no).
# `wa_id` is WhatsApp's name for a user's number; the rest are "phone" and "mobile" in the
# languages fields are labelled in (`Celular`, `Matkapuhelin`, `携帯電話`, `휴대전화`).
_PHONE_WORDS = (
    "phone", "msisdn", "whatsapp", "telephone", "telefon", "landline", "callerid",
    "contactnumber", "contactno", "teléfono", "celular", "móvil", "puhelin", "電話", "전화",
    "电话", "手机", "携帯",
    # fr, nl, pt, de, sv/no/da, ru, el, he, ar, ko, pl: `Téléphone`, `Telefoonnummer`,
    # `Telemóvel`, `Rufnummer`, `Festnetz`, `Mobilnummer`, `Телефон`, `Κινητό`, `휴대폰`...
    "téléphone", "telefoon", "telemóvel", "telemovel", "rufnummer", "festnetz", "mobilnummer",
    "mobiltelefon", "mobiel", "телефон", "мобильн", "τηλέφωνο", "τηλεφωνο", "κινητό", "κινητο",
    "טלפון", "هاتف", "جوال", "휴대폰", "핸드폰", "komórk", "komork",
)  # fmt: skip
_PHONE_STARTS = ("mobile", "cell", "fax", "tel", "handy")  # `Handynummer`
# `portable`: French for a mobile phone (`Portable`, `tel_portable`); `movil`: `móvil` as typed
# without its accent (a word of its own: `automovil` is a car); `ani` and `dnis`: telephony's
# names for the caller's and the dialled number (contact centres' call records); `e164`: the
# standard a phone number is written to; `mob`, `ph`: abbreviations forms use (`mob_no`,
# `ph_no`).
_PHONE_TOKENS = frozenset(
    "tel sms telno telnr gsm handy mobile cell fax wa mobil portable movil ani dnis e164 mob "
    "mobno ph phno".split()
)
# Names that hold a phone number when the value has a phone's shape, and a name or id otherwise.
_MAYBE_PHONE_NAMES = frozenset(
    "from to sender recipient caller callee destination contact oncall emergency "
    "originator "  # MessageBird's and SMS gateways' sender
    # A call record's parties (`called_number`, `calling_number`, `redirecting_number`,
    # `dialed_number`, `forwarded_to`).
    "called calling dialed dialled redirecting redirected forwarded forwarding connected "
    "originating terminating".split()
)
# Values under these names are counts, sizes, money, times and references, never phone numbers.
# Short words only count at the end of a name (`retry_count` yes, `account` no).
NOT_PHONE_WORDS = (
    "sku",
    "version",
    "timestamp",
    "latency",
    "checksum",
    "quantity",
    "duration",
    "invoice",
    "nonce",
    "uuid",
    "guid",
    "price",
    "amount",
    "status",
    "bytes",
    "length",
    "offset",
    "size",
    "order",
    # Postcodes (`35207-2837`, ZIP+4, has a phone's groups) and the numbers a system gives
    # the people in it.
    "zip",
    "postcode",
    "postalcode",
    "employeenumber",
    "customernumber",
    "membernumber",
)
# A mobile network's cell, by its words (`cell_id`, `cell_tower_id`, `ecgi`).
_CELL_WORDS = frozenset(("cell", "celltower", "tower"))
_NUMBER_ENDINGS = ("number", "num")  # not `no`: `to_no` is as often a transfer order's
_NOT_PHONE_ENDINGS = ("id", "ids", "count", "date", "time", "total", "serial", "plz", "cep")
_NOT_ENDINGS_AFTER_ALL = frozenset(("account", "candidate", "update"))
# "Number" in the languages of the default regions and beyond: a phone's word before a number
# unless a reference word stands right before it (`commande numéro`, `订单号码`, `注文番号`,
# `주문번호`, `ऑर्डर नंबर`) or between it and the number (`номер заказа 12345678`).
_NUMBER_WORDS = (
    "numéro", "número", "numero", "numara", "नंबर", "नम्बर", "নম্বর", "নাম্বার", "رقم", "شماره",
    "نمبر", "号码", "號碼", "番号", "번호", "номер", "nomor", "nombor",
)  # fmt: skip
_NUMBER_WORD_SET = frozenset(_NUMBER_WORDS)
# Words before a number that say it is a phone, in the languages of the default regions.
_CONTEXT = quiet_re2.compile(
    r"(?i)(?:phone|\bcall|\btel\b|\btel\.|\btél|\bmobile|\bcell|\bsms\b|text me|whatsapp|"
    r"\bfax|\bring\b|reach me|\bcontact|\bdial|my number|\bmy\s+(?:new\s+)?num\b|"
    r"\bnew\s+(?:number|num\b)|telefon|telefone|teléfono|telefono|"
    r"téléphone|celular|móvil|movil|\bhandy|\bportable|\bligue|\bligou|"
    r"\bligar|ligação|\bllam|\bappel|\brappel|\banruf|angerufen|r[üu]ckruf|\bruf\b|"
    # nl, it, pl, cs, fi: `bel me op`, `chiamami al`, `zadzwoń`, `volejte`, `soita`
    r"\bbel\b|\bbellen\b|telefoon|\bmobiel|\bchiam|zadzwo|\bdzwo|\bvolej|zavolej|\bsoita|"
    r"\bsoitt|"
    # ... hi/mr/ne, bn, ar, fa, ur, zh, ja, ko, ru/uk/bg, th, vi, id/ms, el, he, hu, fi, da/no,
    # pl: phone, mobile, call, contact. RE2's `\b` is ASCII's: other scripts' short words are
    # bounded by any non-letter.
    r"फोन|फ़ोन|मोबाइल|संपर्क|कॉल|ফোন|মোবাইল|যোগাযোগ|هاتف|جوال|موبايل|اتصل|تواصل|واتساب|تلفن|"
    r"موبایل|تماس|فون|موبائل|رابطہ|电话|電話|手机|手機|联系|聯絡|携帯|連絡|전화|휴대폰|핸드폰|"
    r"연락|телефон|звон|мобил|контакт|дзвон|โทร|เบอร์|điện thoại|số máy|liên hệ|"
    r"(?:^|\PL)(?:тел|моб|sđt|gọi)(?:\PL|$)|\bzalo\b|telepon|\bhubungi|\bhp\b|\bwa\b|τηλ|"
    r"κινητ|טלפון|נייד|טל'|פלאפון|telefonsz|\bmobil\b|\bpuh\b|\bpuh\.|puhelin|\btlf\b|"
    r"\bnr tel\b|\bmob\b|\bmob\.|" + "|".join(_NUMBER_WORDS) + ")"
)
# Words after a number that say it is a phone, in languages that put them there: Turkish's
# call and phone (`beni 0532 123 45 67 numarasindan arayin`, `... numarali telefondan`, with
# dotless i's; `numarali` alone is "numbered", as an order is), `090-1234-5678に電話`,
# `010-1234-5678로 전화`.
# Elsewhere a sentence may name the number after it: `0412 345 678 is my cell`, `... (mobile)`,
# `... est mon numéro`, `... ist meine Handynummer`; "number" alone only as someone's.
_CONTEXT_AFTER = quiet_re2.compile(
    r"(?i)^[\s'\x{2019}]{0,2}\pL{0,3}\s{0,2}(?:numara\pL{0,8}\s+)?(?:aray|telefon)"
    r"|^\pL{0,3}\s?(?:電話|전화)"
    r"|^[\s,;(\-\x{2013}]{0,3}(?:(?:is|=)\s+)?(?:(?:my|our|his|her|their|the)\s+)?"
    r"(?:(?:new|cell|mobile|home|work|office|direct|private|personal)\s+)?"
    r"(?:cell|mobile|mob|phone|tel|telephone|fax|landline|whatsapp)\b"
    r"|^\s{0,2}(?:is|=)\s+(?:my|our|his|her|their)\s+(?:new\s+)?(?:number|no\.)"
    r"|^\s{0,2}(?:est|es|ist|é|è)\s+(?:mon|mi|meine?|o\s+meu|il\s+mio)\s+"
    r"(?:numéro|número|nummer|numero|portable|celular|telefon|handy\pL*|cellulare)"
)
_CONTEXT_WINDOW = 40
# Words that make the number after them a reference, even after a phone word ("called about
# order #36166370", "a appelé pour la commande 98337974").
_REFERENCE = quiet_re2.compile(
    r"(?i)(?:#|\bn[º°]|\bno\.|order|commande|pedido|bestellung|ordine|invoice|factura|facture|"
    r"\babout\b|regarding|concerning|\bwegen\b|\bsobre\b|\bau sujet\b|"
    r"rechnung|ticket|\bref\b|reference|référence|\bcase\b|booking|reserva|tracking|"
    r"account|konto|\bid\b|sku|\bzip\b|postcode|\bcep\b|\bplz\b|"
    # ... order, invoice, ticket, account, tracking in the languages of the words above.
    r"ऑर्डर|आदेश|खाता|অর্ডার|طلب|فاتورة|حساب|سفارش|فاکتور|آرڈر|订单|訂單|发票|账户|注文|"
    r"請求|口座|주문|송장|계좌|заказ|счет|счёт|рахун|замовлення|คำสั่งซื้อ|บัญชี|đơn hàng|"
    r"hóa đơn|tài khoản|pesanan|faktur|rekening|sipariş|fatura|hesap|παραγγελ|λογαριασμ|"
    r"הזמנה|חשבון)"
)


def phone_hint(name: str, value: str, *, party: bool = False) -> int:
    """`SAYS_PHONE` (2) when the field name says phone; 1 when it says maybe (`to`, a party's
    address) and the whole value is phone-shaped; -1 when it says id, count, money, time,
    version...; else 0. `party`: the value is a message's sender or recipient address
    (`from_number`, `sender.id`), which, phone-shaped, is a phone whatever its name ends in."""
    hint = _name_hint(name)
    if hint == 1:
        return SAYS_PHONE
    if hint == _MEASURE:
        return -1 if measures_only(squash(name), value) else 0
    if not (hint == _MAYBE or party):
        return hint
    if _WHOLE_PHONE.fullmatch(value.strip()):
        return 1
    return 0 if hint == _MAYBE else hint


SAYS_PHONE = 2
_MAYBE = 3
_MEASURE = 4  # a drawing's measure's name: no phone when its value keeps to its grammar


@lru_cache(maxsize=1024)
def _name_hint(name: str) -> int:
    key = squash(name)
    if not key:
        return 0
    tokens = key_tokens(name)  # `smsNumber` as `sms_number`
    if last_word(name) in _MEASURED:
        return -1  # `sms_count`, `phone_verified_at`, `mobileAppVersion`: about phones, no phone
    if (
        any(w in key for w in _PHONE_WORDS)
        or tokens & _PHONE_TOKENS
        or (key.startswith(_PHONE_STARTS) and not key.startswith(("telemetry", "telegram")))
        or _named_by_its_writing(tokens)
    ):
        if tokens & _CELL_WORDS and last_word(name) in ("id", "ids"):
            return -1  # a radio cell's id (`cell_id`, `cellId`: `23415-1071-22417`), no phone
        return 1
    if (key.endswith(_NOT_PHONE_ENDINGS) and key not in _NOT_ENDINGS_AFTER_ALL) or any(
        w in key for w in NOT_PHONE_WORDS
    ):
        return -1
    if key in MEASURE_NAMES:
        return _MEASURE
    if (
        key in _MAYBE_PHONE_NAMES
        or (key.endswith("s") and key[:-1] in _MAYBE_PHONE_NAMES)  # MessageBird's `recipients`
        or any(
            key.endswith(end) and key[: -len(end)] in _MAYBE_PHONE_NAMES for end in _NUMBER_ENDINGS
        )
    ):
        return _MAYBE  # `from`, parties, and a party's number: `from_number`, `callerNumber`
    return 0


# A name made only of the way a number is written and a number's or a format's word
# (`international_format_number`, `national_format_number`, `nationalFormat`, `local_number`:
# a number-lookup API's answer): the ways are a phone's, as libphonenumber names them.
_WRITINGS = frozenset("international intl national local e164".split())
_WRITTEN_AS = frozenset("format formatted number num no nr".split())


def _named_by_its_writing(tokens: frozenset[str]) -> bool:
    return (
        not tokens.isdisjoint(_WRITINGS)
        and not tokens.isdisjoint(_WRITTEN_AS)
        and tokens <= _WRITINGS | _WRITTEN_AS
    )


# The last word of a name that counts, dates or versions what its other words name: no phone
# whatever they say (`sms_count`, `phone_verified_at`, `mobile_app_version`).
_MEASURED = frozenset(
    "count counts total date time at timestamp ts version duration seconds ms".split()
)
# How a name for the number itself ends (its last word, digits aside): a phone's word or a
# number's (`PhoneNumber`, `homePhone`, `tel`, `mobile_no`, `phone_e164`, `phone2`). Names in
# other scripts are judged by `_ABOUT_THE_NUMBER` alone.
_THE_NUMBER = tuple(
    "phone phones telephone tel mobile cell cellphone cellular fax msisdn landline whatsapp "
    "number numbers no num nr nbr e164 sms gsm handy portable movil mobil celular telefon "
    "telefono telefone teléfono téléphone nummer numero número numéro ani dnis mob mobno ph "
    "phno telno telnr fixe fijo fisso festnetz".split()
)
_ABOUT_THE_NUMBER = (
    "code", "codes", "pin", "otp", "id", "ids", "sid", "ext", "extension", "prefix", "token",
    "suffix", "verified", "type", "status", "hash", "key",
)  # fmt: skip


@lru_cache(maxsize=1024)
def names_the_number(name: str) -> bool:
    """The field's name says phone and its value is the number itself (`PhoneNumber`,
    `homePhone`, `tel`, `phone.number`), not a code, an extension, an id or a version of the
    app it runs (`phone_code`, `phoneCountryCode`, `cell_id`, `mobile_app_version`)."""
    if _name_hint(name) != 1:
        return False
    key = squash(name)
    if key.endswith(_THE_NUMBER) or key.rstrip("0123456789").endswith(_THE_NUMBER):
        return True  # `phone_e164`, `homePhone2`, `mobilephone`, `telefonnummer`
    # A name in a script of its own (`電話番号`, `Телефон`) says the number unless it ends as
    # what is about it does; a name in Latin letters says it by its last word alone.
    return not last_word(name).isascii() and not key.endswith(_ABOUT_THE_NUMBER)


# A leaf's last word that says "a number", or a phone number's part, and nothing of whose:
# under a phone's name it is the phone's (`phone.subscriber_number`, `telephone.local_number`,
# `phone.sn`, `phone.localNumber`); or that says only "the data" of its parent (Plaid's
# `phone_numbers[].data`, beside `primary` and `type`).
_NUMBER_PARTS = frozenset("number no num nr nbr sn subscriber local national line data".split())


def part_of_phone(name: str, parent: str) -> bool:
    """`name` (a leaf that names no phone itself) says a number or a part of one and nothing
    else (not `serial_number`: a phone that is a device has one), and its `parent` says
    phone."""
    words = key_tokens(name)
    return bool(words) and words <= _NUMBER_PARTS and _name_hint(parent) == 1


def context_near(text: str, start: int) -> bool:
    """A phone word shortly before `start`, and no reference word between it and `start`."""
    window = text[max(0, start - _CONTEXT_WINDOW) : start]
    last = None
    for last in _CONTEXT.finditer(window):  # noqa: B007 - the last match is what counts
        pass
    if last is None or _REFERENCE.search(window, last.end()) is not None:
        return False
    if last.group().lower() in _NUMBER_WORD_SET:
        before = window[max(0, last.start() - 12) : last.start()]
        return _REFERENCE.search(before) is None
    return True


def context_after(text: str, start: int, end: int) -> bool:
    """A phone word right after the number at `start:end`, and no reference word shortly
    before it (`order 12345678 (phone order)`)."""
    return (
        _CONTEXT_AFTER.search(text[end : end + 32]) is not None
        and _REFERENCE.search(text[max(0, start - 16) : start]) is None
    )
