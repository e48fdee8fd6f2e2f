"""The values `bench_structured_ids` plants, made at run time from public, permissively
licensed material: libphonenumber's example numbers (`phonenumbers`, Apache-2.0) of every region
and number type in many writings; card numbers in every major brand's ranges and lengths, Luhn-
valid and not; IBANs in the IBAN registry's BBAN formats with their check digits computed;
identity, tax and document numbers made to pass their check (python-stdnum, LGPL, used as a
library: its validators only, none of its data copied); e-mail and IP addresses; and the
look-alikes that must come out intact."""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T
from stdnum import iban as stdnum_iban
from stdnum import luhn, numdb

from benchmarks._structured_shapes import AREA, CC, LOCAL, NSN, V


@dataclass(frozen=True)
class Planted:
    category: str  # PHONE, CARD, IBAN, ...
    detail: str  # region and type, brand and Luhn, country...
    form: str  # how it is written (e164, national, grouped, lower...)
    parts: dict[str, str]  # slot -> text (`$V`, or a split phone's `$CC`...)
    secrets: tuple[str, ...]  # what must not survive
    typ: str = ""  # the identifier's type, where a record may name it


_TYPES = (
    T.MOBILE, T.FIXED_LINE, T.TOLL_FREE, T.VOIP, T.PERSONAL_NUMBER, T.PAGER, T.UAN,
    T.PREMIUM_RATE, T.SHARED_COST, T.VOICEMAIL,
)  # fmt: skip
PHONE_FORMS = (
    "e164", "international", "national", "rfc3966", "dots", "parens", "00", "ext_x",
    "ext_dot", "national_digits",
)  # fmt: skip


def phone_text(n: phonenumbers.PhoneNumber, form: str) -> str:
    intl = phonenumbers.format_number(n, F.INTERNATIONAL)
    if form == "e164":
        return phonenumbers.format_number(n, F.E164)
    if form == "international":
        return intl
    if form == "national":
        return phonenumbers.format_number(n, F.NATIONAL)
    if form == "rfc3966":
        return phonenumbers.format_number(n, F.RFC3966)
    if form == "dots":
        return "+" + ".".join(p for p in intl[1:].replace("-", " ").split())
    if form == "parens":
        cc, rest = intl.split(" ", 1)
        return f"({cc}) {rest}"
    if form == "00":
        return "00" + intl[1:]
    if form == "ext_x":
        return intl + " x123"
    if form == "ext_dot":
        return phonenumbers.format_number(n, F.NATIONAL) + " ext. 12"
    national = phonenumbers.format_number(n, F.NATIONAL)
    return "".join(c for c in national if c.isdigit())


def phones(rng: random.Random) -> Iterator[Planted]:
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        found = [(t, phonenumbers.example_number_for_type(region, t)) for t in _TYPES]
        found = [(t, n) for t, n in found if n is not None]
        # Mobile and fixed line everywhere; one other type a region has, chosen by the seed.
        chosen = [x for x in found if x[0] in (T.MOBILE, T.FIXED_LINE)]
        others = [x for x in found if x[0] not in (T.MOBILE, T.FIXED_LINE)]
        if others:
            chosen.append(rng.choice(others))
        for t, n in chosen:
            nsn = phonenumbers.national_significant_number(n)
            if len(nsn) < 6:
                continue  # too short to tell from any other digits in a record
            form = rng.choice(PHONE_FORMS)
            text = phone_text(n, form)
            cut = max(1, min(3, len(nsn) - 6))
            parts = {
                V: text,
                CC: str(n.country_code),
                NSN: nsn,
                AREA: nsn[:cut],
                LOCAL: nsn[cut:],
            }
            detail = f"{region}/{_type_name(t)}"
            yield Planted("PHONE", detail, form, parts, (nsn,))


def _type_name(t: int) -> str:
    return next(k for k, v in vars(T).items() if v == t and k.isupper()).lower()


# Card ranges by brand: (brand, prefixes, lengths), from the brands' published ranges.
_CARD_RANGES = (
    ("visa", ("4",), (13, 16, 19)),
    ("mastercard", ("51", "53", "55", "2221", "2720", "2500"), (16,)),
    ("amex", ("34", "37"), (15,)),
    ("discover", ("6011", "65", "644", "649"), (16, 19)),
    ("diners", ("300", "305", "36", "38"), (14, 16)),
    ("jcb", ("3528", "3589"), (16, 19)),
    ("unionpay", ("62",), (16, 17, 18, 19)),
    ("maestro", ("5018", "5020", "5038", "6304", "6759", "6761", "56", "58"), (12, 13, 16, 19)),
    ("mir", ("2200", "2204"), (16,)),
    ("rupay", ("60", "81", "82", "508"), (16,)),
    ("troy", ("9792",), (16,)),
    ("verve", ("506099", "650002"), (16, 19)),
    ("elo", ("636368", "504175", "509000"), (16,)),
    ("hipercard", ("606282",), (16,)),
    ("uatp", ("1",), (15,)),
    ("private_label", ("7",), (16,)),
)
_CARD_FORMS = ("plain", "grouped", "dashed")


def _with_luhn(prefix: str, length: int, rng: random.Random, valid: bool) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    check = luhn.calc_check_digit(body)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return body + check


def _grouped(digits: str, sep: str) -> str:
    if len(digits) == 15:
        groups = (digits[:4], digits[4:10], digits[10:])
    elif len(digits) == 14:
        groups = (digits[:4], digits[4:10], digits[10:])
    else:
        groups = tuple(digits[i : i + 4] for i in range(0, len(digits), 4))
    return sep.join(groups)


def cards(rng: random.Random) -> Iterator[Planted]:
    for brand, prefixes, lengths in _CARD_RANGES:
        for prefix in prefixes:
            for length in lengths:
                for valid in (True, False):
                    digits = _with_luhn(prefix, length, rng, valid)
                    form = rng.choice(_CARD_FORMS)
                    text = {"plain": digits, "grouped": _grouped(digits, " ")}.get(
                        form, _grouped(digits, "-")
                    )
                    detail = f"{brand}/{length}/{'luhn' if valid else 'no-luhn'}"
                    yield Planted("CARD", detail, form, {V: text}, (digits,))


_BBAN_CHARS = {"n": string.digits, "a": string.ascii_uppercase, "c": string.digits + "ABCDEFGHJK"}


def ibans(rng: random.Random) -> Iterator[Planted]:
    registry = numdb.get("iban")
    for a in string.ascii_uppercase:
        for b in string.ascii_uppercase:
            bban_format = registry.info(a + b)[0][1].get("bban")
            if not bban_format:
                continue
            bban = _bban(bban_format, rng)
            check = stdnum_iban.calc_check_digits(a + b + "00" + bban)
            compact = a + b + check + bban
            if not stdnum_iban.is_valid(compact):
                continue
            for form in rng.sample(("compact", "grouped", "lower", "lower_grouped"), 2):
                text = compact if "grouped" not in form else stdnum_iban.format(compact)
                text = text.lower() if "lower" in form else text
                yield Planted("IBAN", a + b, form, {V: text}, (compact.lower(),))


def _bban(bban_format: str, rng: random.Random) -> str:
    """Random characters in an IBAN registry BBAN format (`4!a6!n8!n`: sizes, `!`, kinds)."""
    out, size = "", ""
    for ch in bban_format:
        if ch.isdigit():
            size += ch
        elif ch == "!":
            continue
        else:
            out += "".join(rng.choice(_BBAN_CHARS.get(ch, string.digits)) for _ in range(int(size)))
            size = ""
    return out


def _aba(rng: random.Random) -> str:
    while True:
        d = [rng.choice("0123") if i == 0 else rng.choice(string.digits) for i in range(8)]
        body = "".join(d)
        weights = (3, 7, 1, 3, 7, 1, 3, 7)
        total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
        check = (10 - total % 10) % 10
        if body[:2] in ("00", "39"):
            continue
        return body + str(check)


def bank(rng: random.Random) -> Iterator[Planted]:
    for i in range(40):
        n = rng.choice((8, 9, 10, 11, 12, 14, 17))
        digits = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))
        form = "plain" if i % 4 else "dashed"
        text = digits if form == "plain" else f"{digits[:4]}-{digits[4:]}"
        yield Planted("BANK_ACCOUNT", f"{n}digits", form, {V: text}, (digits,))
    for _ in range(30):
        aba = _aba(rng)
        yield Planted("ROUTING", "aba", "plain", {V: aba}, (aba,))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _checked(make: Callable[[], str], valid: Callable[[str], bool]) -> str:
    for _ in range(200_000):
        candidate = make()
        if valid(candidate):
            return candidate
    raise RuntimeError("no valid candidate")


def _birth(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)


def national_ids(rng: random.Random) -> Iterator[Planted]:
    """SSNs, ITINs, NI numbers, SINs, passports, driving licences, EU VAT numbers and national
    identity numbers, each in the shape and with the check its issuer gives it."""
    from stdnum.ca import sin

    def digits(n: int) -> str:
        return _digits(rng, n)

    def letters(n: int, alphabet: str = string.ascii_uppercase) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    def grouped_ssn(d: str) -> str:
        return f"{d[:3]}-{d[3:5]}-{d[5:]}"

    for i in range(36):
        area = rng.choice([x for x in range(1, 900) if x != 666])
        d = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        form = ("dashed", "plain", "spaced")[i % 3]
        text = {"dashed": grouped_ssn(d), "plain": d, "spaced": f"{d[:3]} {d[3:5]} {d[5:]}"}[form]
        yield Planted("US_SSN", "ssn", form, {V: text}, (d,), "SSN")
    for i in range(18):
        group = rng.choice([70, 75, 78, 80, 88, 90, 92, 94, 99])
        d = f"9{rng.randint(0, 99):02d}{group}{digits(4)}"
        form = "dashed" if i % 2 else "plain"
        yield Planted("US_ITIN", "itin", form, {V: grouped_ssn(d) if i % 2 else d}, (d,), "ITIN")
    for i in range(24):
        prefix = "GB"
        while prefix in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            prefix = letters(1, "ABCEGHJKLMNOPRSTWXYZ") + letters(1, "ABCEGHJKLMNPRSTWXYZ")
        d, suffix = digits(6), letters(1, "ABCD")
        compact = prefix + d + suffix
        form = ("compact", "spaced", "lower")[i % 3]
        spaced = f"{prefix} {d[:2]} {d[2:4]} {d[4:]} {suffix}"
        text = {"compact": compact, "spaced": spaced, "lower": compact.lower()}[form]
        yield Planted("UK_NINO", "nino", form, {V: text}, (compact.lower(),), "NINO")
    for i in range(24):
        d = _checked(lambda: rng.choice("1234567") + digits(8), sin.is_valid)
        form = ("spaced", "dashed", "plain")[i % 3]
        sep = {"spaced": " ", "dashed": "-", "plain": ""}[form]
        yield Planted("CA_SIN", "sin", form, {V: sep.join((d[:3], d[3:6], d[6:]))}, (d,), "SIN")
    passports: tuple[tuple[str, Callable[[], str]], ...] = (
        ("us", lambda: digits(9)),
        ("us_next", lambda: letters(1, "ACEFGHJKLMNPRSTUVWXYZ") + digits(8)),
        ("uk", lambda: digits(9)),
        ("de", lambda: letters(9, "CFGHJKLMNPRTVWXYZ0123456789")),
        ("fr", lambda: digits(2) + letters(2) + digits(5)),
        ("in", lambda: letters(1) + digits(7)),
        ("es", lambda: letters(3) + digits(6)),
        ("ca", lambda: letters(2) + digits(6)),
    )
    for i in range(32):
        issuer, make = passports[i % len(passports)]
        text = make()
        yield Planted("PASSPORT", issuer, "plain", {V: text}, (text.lower(),), "passport")
    alnum = string.ascii_uppercase + string.digits
    licences: tuple[tuple[str, Callable[[], str]], ...] = (
        ("us_ca", lambda: letters(1) + digits(7)),
        ("us_ny", lambda: digits(9)),
        ("us_tx", lambda: digits(8)),
        ("us_fl", lambda: f"{letters(1)}{digits(3)}-{digits(3)}-{digits(2)}-{digits(3)}-0"),
        ("us_il", lambda: f"{letters(1)}{digits(3)}-{digits(4)}-{digits(4)}"),
        ("us_wa", lambda: "WDL" + letters(9, alnum)),
        ("uk", lambda: letters(5) + digits(6) + letters(5, alnum)),
    )
    for i in range(28):
        region, make = licences[i % len(licences)]
        text = make()
        secret = "".join(c for c in text if c.isalnum()).lower()
        yield Planted("DRIVER_LICENSE", region, "plain", {V: text}, (secret,), "driversLicense")
    yield from _vat_numbers(rng, digits, letters)
    yield from _identity_numbers(rng, digits, letters)


def _vat_numbers(
    rng: random.Random, digits: Callable[[int], str], letters: Callable[..., str]
) -> Iterator[Planted]:
    """An EU VAT number of every member state, in its format, its check holding."""
    from stdnum.eu import vat

    nonzero = "123456789"
    formats: dict[str, Callable[[], str]] = {
        "AT": lambda: "U" + digits(8),
        "BE": lambda: "0" + digits(9),
        "BG": lambda: digits(9),
        "CY": lambda: "1" + digits(7) + letters(1, "ABCDEFGHJKLMNPQRSTUVWXYZ"),
        "CZ": lambda: letters(1, "12345678") + digits(7),
        "DE": lambda: letters(1, nonzero) + digits(8),
        "DK": lambda: letters(1, nonzero) + digits(7),
        "EE": lambda: "10" + digits(7),
        "EL": lambda: digits(9),
        "ES": lambda: "B" + digits(8),
        "FI": lambda: digits(8),
        "FR": lambda: digits(11),
        "HR": lambda: digits(11),
        "HU": lambda: digits(8),
        "IE": lambda: digits(7) + letters(1, "ABCDEFGHIJKLMNOPQRSTUVW"),
        "IT": lambda: digits(7) + "001" + digits(1),
        "LT": lambda: digits(7) + "1" + digits(1),
        "LU": lambda: digits(8),
        "LV": lambda: "4" + digits(10),
        "MT": lambda: digits(8),
        "NL": lambda: digits(9) + "B01",
        "PL": lambda: digits(10),
        "PT": lambda: letters(1, "125") + digits(8),
        "RO": lambda: digits(rng.randint(6, 10)),
        "SE": lambda: digits(10) + "01",
        "SI": lambda: letters(1, nonzero) + digits(7),
        "SK": lambda: letters(1, nonzero) + digits(9),
    }
    for i, (cc, make) in enumerate(sorted(formats.items())):
        body = _checked(make, lambda s, cc=cc: vat.is_valid(cc + s))
        for form in ("compact", "spaced") if i % 3 == 0 else ("compact",):
            text = cc + body if form == "compact" else f"{cc} {body}"
            yield Planted("VAT", cc, form, {V: text}, ((cc + body).lower(),), "eu_vat")


def _identity_numbers(
    rng: random.Random, digits: Callable[[int], str], letters: Callable[..., str]
) -> Iterator[Planted]:
    """Countries' personal and tax numbers, four of each, their checks holding; the type a
    record names each by (Stripe's tax id types where there is one)."""
    from stdnum.au import tfn
    from stdnum.br import cpf
    from stdnum.ch import ssn as ahv
    from stdnum.de import idnr
    from stdnum.es import dni
    from stdnum.fi import hetu
    from stdnum.fr import nir
    from stdnum.in_ import aadhaar
    from stdnum.nl import bsn
    from stdnum.nz import ird
    from stdnum.pl import pesel
    from stdnum.se import personnummer
    from stdnum.tr import tckimlik
    from stdnum.za import idnr as za_id

    def born(fmt: str) -> str:
        y, m, d = _birth(rng)
        return fmt.format(yy=y % 100, m=m, d=d)

    hetu_check = "0123456789ABCDEFHJKLMNPRSTUVWXY"
    national: tuple[tuple[str, Callable[[], str], Callable[[str], bool], str], ...] = (
        ("DE_TAX_ID", lambda: letters(1, "123456789") + digits(10), idnr.is_valid, "de_stn"),
        (
            "FR_NIR",
            lambda: letters(1, "12") + born("{yy:02d}{m:02d}") + digits(10),
            nir.is_valid,
            "fr_nir",
        ),
        (
            "ES_DNI",
            lambda: digits(8) + letters(1, "TRWAGMYFPDXBNJZSQVHLCKE"),
            dni.is_valid,
            "es_cif",
        ),
        ("PL_PESEL", lambda: born("{yy:02d}{m:02d}{d:02d}") + digits(5), pesel.is_valid, "pesel"),
        ("BR_CPF", lambda: digits(11), cpf.is_valid, "br_cpf"),
        ("IN_AADHAAR", lambda: letters(1, "23456789") + digits(11), aadhaar.is_valid, "aadhaar"),
        ("NL_BSN", lambda: letters(1, "123456789") + digits(8), bsn.is_valid, "bsn"),
        (
            "SE_PERSONNUMMER",
            lambda: born("{yy:02d}{m:02d}{d:02d}") + "-" + digits(4),
            personnummer.is_valid,
            "personnummer",
        ),
        (
            "FI_HETU",
            lambda: born("{d:02d}{m:02d}{yy:02d}") + "-" + digits(3) + letters(1, hetu_check),
            hetu.is_valid,
            "hetu",
        ),
        (
            "CH_AHV",
            lambda: f"756.{digits(4)}.{digits(4)}.{digits(2)}",
            ahv.is_valid,
            "ch_ahv",
        ),
        ("TR_TCKN", lambda: letters(1, "123456789") + digits(10), tckimlik.is_valid, "tr_tckn"),
        (
            "ZA_ID",
            lambda: born("{yy:02d}{m:02d}{d:02d}") + digits(4) + "08" + digits(1),
            za_id.is_valid,
            "za_id",
        ),
        ("AU_TFN", lambda: digits(9), tfn.is_valid, "au_tfn"),
        ("NZ_IRD", lambda: "1" + digits(8), ird.is_valid, "nz_ird"),
    )
    for entity, make, valid, typ in national:
        for _ in range(4):
            text = _checked(make, valid)
            secret = "".join(c for c in text if c.isalnum()).lower()
            yield Planted("NATIONAL_ID", entity, "as_written", {V: text}, (secret,), typ)


_DOMAINS = (
    "example.com",
    "example.org",
    "mail.example.net",
    "example.co.uk",
    "xn--bcher-kva.example",
)


def emails(rng: random.Random) -> Iterator[Planted]:
    firsts = ("ana", "li.wei", "o'brien", "jean-luc", "k.nakamura", "mx.smith", "olu", "zoe_k")
    for i in range(60):
        local = rng.choice(firsts) + rng.choice(("", str(rng.randint(1, 999)), "+billing", ".work"))
        domain = rng.choice(_DOMAINS)
        text = f"{local}@{domain}"
        form = "plain"
        if i % 5 == 0:
            text, form = text.upper(), "upper"
        yield Planted("EMAIL", domain, form, {V: text}, (text.lower(),))


def ips(rng: random.Random) -> Iterator[Planted]:
    for i in range(60):
        kind = ("v4", "v6", "v6_short", "v4_mapped", "v6_zone", "v4_port")[i % 6]
        a, b, c = rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255)
        d = rng.randint(1, 254)
        if kind == "v4":
            text = f"{a}.{b}.{c}.{d}"
        elif kind == "v4_port":
            text = f"{a}.{b}.{c}.{d}:{rng.randint(1024, 65535)}"
        elif kind == "v6":
            text = ":".join(f"{rng.randint(0, 0xFFFF):x}" for _ in range(8))
        elif kind == "v6_short":
            text = f"2001:db8:{rng.randint(1, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}"
        elif kind == "v4_mapped":
            text = f"::ffff:{a}.{b}.{c}.{d}"
        else:
            text = f"fe80::{rng.randint(1, 0xFFFF):x}:{rng.randint(1, 0xFFFF):x}%eth0"
        secret = text.split("%")[0].rsplit(":", 1)[0] if kind == "v4_port" else text.split("%")[0]
        yield Planted("IP", kind, kind, {V: text}, (secret.lower(),))
