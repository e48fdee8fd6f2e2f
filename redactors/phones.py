"""Phone numbers in many locales: international, national with or without a trunk 0, grouped as
each country writes them.

RE2 finds digit-group candidates in linear time; libphonenumber's metadata, compiled to RE2 for
every region of the policy at once (`_phone_regions`), says which regions assign the number and
how they write it, and libphonenumber confirms what those checks accept. The bar depends on
context. Under a phone-named field or after a phone word ("call", "tel:", "whatsapp"), a value
of a phone's shape is a phone, valid or not (fictional 555 ranges, unassigned area codes).
Without context a national number must be valid in some region *and* grouped the way that
region writes it (`046 454 286` is valid in Israel, written `04-645-4286`, so it is not taken
for one); a bare digit run needs a trunk 0 or a mobile's eleven digits, since ten bare digits
are as often an id or an epoch second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

import phonenumbers

from datamin import quiet_re2
from datamin.redactors._id_shapes import ESCAPE, after_number_sign, in_escapes
from datamin.redactors._measures import Measures
from datamin.redactors._phone_regions import Region, Regions, region
from datamin.redactors._phone_words import SAYS_PHONE, context_after, context_near
from datamin.redactors._validators import DIGITS, placeholder_digits

# A run of a phone's alphabet, seven characters or more: digit groups joined by separators or
# parentheses, an optional `+` and an extension. Shorter runs (times, counts) cost nothing more.
_CANDIDATE = quiet_re2.compile(
    r"(?:\+[ ]?)?\(?\d[\d ().\-/\x{a0}]{5,40}\d\)?"
    r"(?:[ ]?(?:x|ext\.?|extension|#)[ ]?\d{1,6})?"
)
_EXTENSION = quiet_re2.compile(r"[ ]?(?:x|ext\.?|extension|#)[ ]?\d{1,6}$")
# Dates and SSNs share a phone's digits and separators; their grouping tells them apart, and
# a date's groups are a day and a month (`98 90 1234` is Haiti's way with a phone, no date).
_DATE_SHAPES = quiet_re2.compile(
    r"\d{4}([\-./ ])\d{1,2}([\-./ ])\d{1,2}"  # 2024-01-15
    r"|\d{4}([\-/])\d{1,2}([\-/])\d{1,2} \d{1,2}"  # 2024-01-15 12, a date and an hour
    r"|\d{1,2}([\-./ ])\d{1,2}([\-./ ])\d{4}"  # 15.01.2024
)
_YEAR_SPAN = quiet_re2.compile(r"(?:19|20)\d\d[\-/](?:19|20)\d\d")  # 2024-2025
# A year and a zero-led sequence number (`2023-00145`): how cases, claims and invoices are
# numbered; a phone's second group seldom starts with 0 after a four-digit first.
_YEAR_SEQUENCE = quiet_re2.compile(r"(?:19|20)\d\d[\-/]0\d{3,5}")
_DATE_GROUPS = re.compile(r"\d+")
# An SSN's grouping (`078-05-1120`), which is also how some countries write a phone (Bolivia's
# `800 17 1234`): not a phone unless the field's name says it is one.
_SSN_GROUPING = quiet_re2.compile(r"\d{3}([\-. ])\d{2}([\-. ])\d{4}")
# Six digits, all a field named for the number holds, bare or in a phone's groups: the whole
# national number in six-digit plans (Greenland's `321000`, Luxembourg's `75 34 91`), or the
# subscriber's part of a number whose country and area codes sit in fields of their own
# (Xero's PhoneCountryCode/PhoneAreaCode/PhoneNumber). A date's 2-2-2 stays a date.
_SIX_DIGITS = re.compile(r"\d{6}|\d{1,5}([ .\-])\d{1,5}(?:\1\d{1,5}){0,2}")
_JOINERS = frozenset("-./_")
_SHORT_GROUPS = quiet_re2.compile(r"\d{1,3}(?: \d{2,3}){1,3}")  # `75 34 91`, `4 792 51`
# North American numbers as people write them, one separator throughout, with an optional
# `1-` or `001-` before: the grammar, not the assignment (an area code never starts with 0 or
# 1, so `123-456-7890` and `000-000-0000` stay placeholders).
_NANP = quiet_re2.compile(
    r"(?:(?:00)?1[\-. ])?"
    r"(?:\([2-9]\d\d\) ?\d{3}-\d{4}"
    r"|[2-9]\d\d-\d{3}-\d{4}|[2-9]\d\d\.\d{3}\.\d{4}|[2-9]\d\d \d{3} \d{4})"
)

# A phone's grammar in any locale: a parenthesized area code (`(0115) 496 0703`, after a trunk
# or country digit: `8 (246) 281-9482`), an area code before a dashed number (`61 0308-2462`),
# or three
# groups or more of digits joined by one kind of separator (`0254 89 07 86`, `01-016-613-1860`,
# `0754-323 19` mixes a dash and spaces, as Swedish numbers do).
_GROUPED = quiet_re2.compile(
    r"(?:\d{1,3} ?)?\(\d{1,5}\) ?\d{2,5}(?:[ .\-]?\d{2,5}){0,3}"
    r"|\d{1,5}(?: \d{2,5}){2,5}|\d{1,5}(?:-\d{2,5}){2,5}|\d{1,5}(?:\.\d{2,5}){2,5}"
    r"|\d{2,5}-\d{2,5}(?: \d{2,5}){1,4}|\d{2,3} \d{4,5}-\d{4}"
)
# A trunk 0 and an area code closed by a slash (`030/12345678`, `0664/123 45 67`, `05/ 324 03
# 83`, Hungary's `06-28/038 5280`): how German-speaking and Central European countries write a
# phone, and nothing else is written so. A two-digit area code needs its number in groups
# (`04/123456` may be a file reference).
_SLASHED = quiet_re2.compile(
    r"0\d{2,4}(?:-\d{1,3})?/ ?\d{5,8}|0\d{1,4}(?:-\d{1,3})?/ ?\d{2,4}(?:[ \-]\d{2,4}){1,3}"
)
# Thousands written with separators (`12 345 678`, `1.234.567`): an amount, not a phone. No
# amount starts with 0, while a national number often does (`063 639 233`, `0 614 688 197`).
_THOUSANDS = quiet_re2.compile(r"[1-9]\d{0,2}(?:[ .,]\d{3})+")


def _in_token(text: str, start: int, end: int) -> bool:
    """True when the span is part of a longer alphanumeric token (`BE71 ...`'s `71 ...`,
    `ORD-2024-000123`, `is415`), which is some other identifier, never a phone. Scripts
    written without spaces glue words to numbers (`054-037-7549로`, `080-5880-5997まで`):
    their letters end a token."""
    if start > 0:
        before = text[start - 1]
        if _glues(before) or (before == "%" and in_escapes(text, start - 1)):
            return True  # after `%`, two digits are an escape's (`Shot%202019-03-04`)
        if before in _JOINERS and start > 1 and _glues(text[start - 2]):
            # `Tel No.943 476 5919`, `Tel.415-555-0132`, `Mob.07700 900123` stand alone
            return not (after_number_sign(text, start) or _labelled(text, start))
    if end < len(text):
        after = text[end]
        if _glues(after) or (
            after == "%" and not ESCAPE.match(text, end) and text.count(".", start, end) == 1
        ):
            return True  # `width:8.33333%`: a share, not a number to call
        if after in _JOINERS and end + 1 < len(text) and _glues(text[end + 1]):
            # A word after a hyphen labels the number (`082 490 1693-Office`, `...-Fax`);
            # digits, or a code of one or two letters, go on an identifier (`2024-000123`).
            return not (after == "-" and _LABEL_AFTER.match(text, end + 1))
    return False


# A phone's label abbreviated with its dot, the number after it with no space (`Tel.`, `Tlf.`,
# `Mob.`, `Ph.`), as signatures and business cards write it in many languages. Not a dash:
# `MOB-20231105-0042` is a reference.
_LABEL = re.compile(r"(?i)(?:^|[^\w])(?:tel|tlf|tfn|telf|telef|ph|phn|mob|cell|fax|gsm|tél|fon)\.$")


def _labelled(text: str, start: int) -> bool:
    """Whether a phone's abbreviated label ends right at `start` (`Tel.415-555-0132`)."""
    return _LABEL.search(text, max(0, start - 11), start) is not None


_DECIMAL = re.compile(r"\d+\.\d+")
_MONEY = re.compile(r"\d+\.\d{1,2}")  # one point, one or two digits after it
_LABEL_AFTER = re.compile(r"[^\W\d_]{3,}(?![\w-])")


def _among_decimals(text: str, start: int, end: int) -> bool:
    """Digits around one dot among two more decimals close by (`translate(52.284850,
    49.123400) rotate(22.284850)`, `cx="53.84" cy="47.52" r="2.73"`): measures in a row, not
    a phone (one price or version beside a dotted phone is not a row)."""
    if _DECIMAL.fullmatch(text, start, end) is None:
        return False
    before = _DECIMAL_NEAR.findall(text, max(0, start - 40), start)
    return len(before) + len(_DECIMAL_NEAR.findall(text, end, end + 40)) >= 2


_DECIMAL_NEAR = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")


def _colour(text: str, start: int) -> bool:
    """Digits right after `#` that make a CSS colour of 3, 4, 6 or 8 hex digits, before its
    stop or a property's end (`#363636 30%`, `color:#363636;`): a style's, not a number to call
    (`Mob#347 123 4567`, `#650-253-0000` may be one)."""
    if text[start - 1 : start] != "#":
        return False
    m = _HEX_COLOUR.match(text, start)
    return m is not None and len(m.group()) in (3, 4, 6, 8)


_HEX_COLOUR = re.compile(r"[0-9A-Fa-f]+(?=[;,)}\"'!]|$|[ \t]+\d+(?:\.\d+)?%)")


def _glues(ch: str) -> bool:
    """A letter or digit of a script that separates words with spaces, or `_`."""
    return ch == "_" or (ch.isalnum() and not ("\u0e00" <= ch <= "\u0e7f" or ch >= "\u3000"))


class PhoneFinder:
    """Built once per detector; holds each region's number lengths and, as RE2, the pattern
    every number of the region matches, so most regions are ruled out without parsing."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        compiled = [region(code) for code in regions]
        self._regions = Regions([r for r in compiled if r is not None])

    def find(
        self,
        text: str,
        hint: int,
        taken: Callable[[int, int], bool],
        *,
        message: bool = False,
        answer: bool = False,
        number_field: bool = False,
    ) -> Iterator[tuple[int, int, float]]:
        """(start, end, score) of each phone number; `hint` as `phone_hint` gives it; `taken`
        says a span overlaps another identifier already found; `message`: `text` is free text
        (a message's body), where a number that is the whole text is read as a lone value;
        `answer`: a structured value that speaks for itself (a custom field's answer);
        `number_field`: the field's name says it holds the number itself
        (`_phone_words.names_the_number`)."""
        if hint < 0:
            return
        if number_field and (six := _six_digits(text)) is not None:
            if not taken(six[0], six[1]):
                yield six
            return
        measures: Measures | None = None  # found when first needed, once per text
        quoted = '"' in text or "'" in text
        for m in _CANDIDATE.finditer(text):
            pieces = _pieces(text, *m.span())
            if _account_grouping(text, pieces):
                continue
            i = 0
            while i < len(pieces):
                found = None
                start = pieces[i][0]
                context: bool | None = None  # looked up once per start, only when needed
                # The longest run of space-separated pieces from piece i that is a phone: a year
                # or a count after a number, or a second number, is not part of it.
                for j in range(min(len(pieces) - 1, i + 6), i - 1, -1):
                    end = pieces[j][1]
                    if end - start < 7 or taken(start, end) or _in_token(text, start, end):
                        continue
                    if context is None:
                        context = hint > 0 or context_near(text, start)
                    said = context or context_after(text, start, end)
                    if not said and (_among_decimals(text, start, end) or _colour(text, start)):
                        continue
                    if not said and quoted:
                        measures = measures or Measures(text)
                        if measures.hold(start, end):
                            continue  # an SVG's `viewBox="0 0 1024 1024"`, a path's numbers
                    if not said and _tail_of_groups(text, pieces, i, j):
                        continue
                    whole = start == 0 and end >= len(text.rstrip())
                    score = self._score(
                        text[start:end],
                        said,
                        whole,
                        message and whole,
                        answer and whole,
                        named=hint == SAYS_PHONE and whole,
                    )
                    if score:
                        found = (start, end, score)
                        break
                if found and _continues_a_list(text, pieces, j):
                    break  # a list of numbers: none of it is a phone
                if found:
                    yield found
                    i = j + 1
                elif text[pieces[i][0]] == "+":
                    break  # the groups after an invalid `+44 ...` are its own, not a number
                else:
                    i += 1

    def _score(
        self,
        candidate: str,
        context: bool,
        whole: bool = False,
        lone: bool = False,
        answer: bool = False,
        *,
        named: bool = False,
    ) -> float:
        """`whole`: the candidate is all its field holds; `lone`: all a message says; `answer`:
        all a custom field's answer says; `named`: all a field named phone holds. Alone, a
        number is a phone only as a numbering plan has it, not by a phone's grammar alone: an
        id written in groups is as likely."""
        ext = _EXTENSION.search(candidate)
        number = candidate[: ext.start()] if ext else candidate
        digits = "".join(c for c in number if c in DIGITS)
        n = len(digits)
        if n == 6 and named and _SHORT_GROUPS.fullmatch(number):
            # Six digits in groups, all a phone's field holds: Luxembourg's and small
            # exchanges' numbers are that short (`75 34 91`), and the field says phone.
            return 0.85
        if n < 7 or n > 17 or (n < 8 and not context):
            return 0.0
        if number.startswith("+"):
            if n > 15:
                # Longer than E.164 allows: all a phone's field holds, still a phone, mistyped
                # or with its extension run on (fail closed); elsewhere a `+` before an id.
                return 0.85 if context and whole else 0.0
            valid, possible = _international(number)
            if valid:
                return 0.95
            if context:
                return 0.85
            # `+`, a calling code and a length that country uses: a phone's shape, invalid
            # only by a range nobody assigned yet (Faker's and test numbers, new ranges). All
            # a field holds, `+` and ten digits or more in groups are a phone's and nothing
            # else's shape (`+44 (0) 7911 ...`), whatever the ranges say.
            if possible and n >= 10:
                return 0.6
            return 0.55 if whole and n >= 10 and not number[1:].isdigit() else 0.0
        if number[:2] == "00" and number[2:3] not in ("", "0") and not number.isdigit():
            # `00` is the international prefix most of the world dials: `00421 2 84287346` is
            # `+421 2 84287346`, when libphonenumber calls it valid (zero-padded ids are bare).
            if _international("+" + number[2:])[0]:
                return 0.95
        if (
            # With a phone's word or name, a date's shape is a date only if it reads as one.
            (_DATE_SHAPES.fullmatch(number) and (not context or reads_as_date(number)))
            or _YEAR_SPAN.fullmatch(number)
            or (not context and _YEAR_SEQUENCE.fullmatch(number))
            or (not named and _SSN_GROUPING.fullmatch(number))
        ):
            return 0.0
        if context:
            return 0.85 if n <= 15 else 0.0
        if _DECIMAL.fullmatch(number) and not number.rsplit(".", 1)[1].strip("0"):
            return 0.0  # `85.000000`: a decimal a program formatted, no subscriber's number
        if _MONEY.fullmatch(number):
            return 0.0  # `1234567.89`: a balance or a total, in cents after its point
        if len(set(digits)) == 1 or ("." in number and " " in number):
            return 0.0  # `999 999 999` is a placeholder; `9.99 19.99` prices
        bare = number.isdigit()
        if bare and not (10 <= n <= 12 and (digits[0] == "0" or n >= 11)):
            return 0.0  # ten bare digits are as often an id or an epoch second
        cuts = _groups_from_end(number)
        for r, national, has_trunk in self._regions.assigning(digits):
            # All a form's answer says, a number a region assigns after the trunk 0 its own
            # people dial is theirs however it is grouped (`0258366947`, `02888 152604`).
            written = _written_as_in(r, national, has_trunk, cuts) or (
                answer and has_trunk and r.trunk == "0" and len(cuts) <= 2 and n >= 10
            )
            if written and _confirmed(number, r.code):
                return 0.6
        # North American grouping (`809.030.1739`, `(415) 555-0132`, `1-415-555-0132`) is a
        # phone's grammar and nothing else's: an unassigned exchange does not make it an id.
        # It counts where it is all the field holds, or carries an extension or a `1`/`001`.
        if _NANP.fullmatch(number) and (whole or ext or number.startswith(("1", "001"))):
            if not lone or digits[-7] not in "01":  # alone, its exchange must be one too
                return 0.6
        if (
            not lone
            and 8 <= n <= 15
            and (_GROUPED.fullmatch(number) or _SLASHED.fullmatch(number))
            and not _THOUSANDS.fullmatch(number)
            and not placeholder_digits(digits)
        ):
            # Digits in three groups or more, or behind a parenthesized or slashed area code,
            # is how people write phone numbers in every locale, whether or not the range is
            # assigned (fail closed); amounts, dates, cards and accounts are told apart above.
            return 0.55
        return 0.0


def reads_as_date(number: str) -> bool:
    """Three groups of digits that some order makes a day, a month and a year: a year of four
    digits first or last, or of two digits anywhere (`15.01.2024`, `2024-01-15`, `12.05.24`),
    day and month from 1."""
    found = _DATE_GROUPS.findall(number)[:3]
    if len(found) != 3:
        return False
    groups = [int(g) for g in found]
    if len(found[0]) == 4:
        orders = ((2, 1), (1, 2))  # year, month, day; year, day, month
    elif len(found[2]) == 4:
        orders = ((0, 1), (1, 0))  # day, month, year; month, day, year
    else:
        orders = ((0, 1), (1, 0), (2, 1))  # a two-digit year last, or first
    return any(1 <= groups[d] <= 31 and 1 <= groups[m] <= 12 for d, m in orders)


def _six_digits(text: str) -> tuple[int, int, float] | None:
    """A whole value of six digits (an extension after them aside), bare or in a phone's
    groups, as `_SIX_DIGITS` says. As for longer numbers under a phone's name, no placeholder
    is told apart: `123456` may be a subscriber's (Cyprus's `96 123456`)."""
    value = text.strip()
    if len(value) > 24:
        return None
    ext = _EXTENSION.search(value)
    number = value[: ext.start()] if ext else value
    if _SIX_DIGITS.fullmatch(number) is None or (" " not in number and reads_as_date(number)):
        return None  # `12.05.24`, `12-05-24`: a date's pairs (`75.12.34` is New Caledonia's)
    if sum(c in DIGITS for c in number) != 6:
        return None
    start = text.index(value)
    return start, start + len(value), 0.85


def _written_as_in(region: Region, national: str, has_trunk: bool, cuts: tuple[int, ...]) -> bool:
    """A number `region` assigns, separated at `cuts`, is written the way the region writes
    it: every separator between two of its groups, its trunk prefix where it writes one. A
    bare run must be a mobile number (`13812345678`, `09171234567`)."""
    written_cuts, trunk_written = region.written(national)
    if has_trunk and cuts and cuts[-1] == len(national):
        cuts = cuts[:-1]  # `0 532 ...`, `1-800-...`: a trunk set apart
        trunk_written = True
    if not cuts:  # a bare run: a mobile number, with its trunk where the region writes one
        if region.trunk and has_trunk != trunk_written:
            return False
        return region.mobiles.fullmatch(national) is not None
    if has_trunk != trunk_written and region.trunk:
        # `435 418 166` is Australian only with the trunk 0 Australians write; a number
        # without it must at least be grouped exactly as written (`532 123 45 67`), in more
        # groups than an id's three.
        if has_trunk or len(cuts) < 3 or cuts != written_cuts:
            return False
    return set(cuts) <= set(written_cuts)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The candidate split at its spaces between digit groups (`+44 20 7946 0958 2024` has
    five pieces; `ext 12` stays with the number before it)."""
    while end > start and text[end - 1] in " .-/(\xa0":
        end -= 1
    if start < end and text[start] == "(" and ")" not in text[start:end]:
        start += 1
    if (
        start < end
        and text[end - 1] == ")"
        and text.count(")", start, end) > text.count("(", start, end)
    ):
        end -= 1  # `(phone +1 415 555 0100)`: the sentence's parenthesis, not the number's
    pieces = []
    piece = start
    for i in range(start + 1, end - 1):
        if (
            text[i] in " \xa0"
            and (text[i - 1] in DIGITS or text[i - 1] == ")")
            and (text[i + 1] in DIGITS or text[i + 1] in "(+")
        ):
            pieces.append((piece, i))
            piece = i + 1
    pieces.append((piece, end))
    return pieces


def _continues_a_list(text: str, pieces: list[tuple[int, int]], j: int) -> bool:
    """The run goes on after piece `j` with more groups of the same few digits (`10 20 30 40
    50 60`): a list of numbers, of which no four make a phone."""
    if j + 1 >= len(pieces):
        return False
    size = pieces[j][1] - pieces[j][0]
    s, e = pieces[j + 1]
    return size <= 3 and e - s == size and text[s:e].isdigit()


def _tail_of_groups(text: str, pieces: list[tuple[int, int]], i: int, j: int) -> bool:
    """Pieces `i` to `j` are digit groups that go on from a digit group before them, all
    joined by spaces (`51 824 753 5564`): the tail of one number, whose last groups are no
    phone of their own. A phone written otherwise after a number (`Room 12 415-555-0132`)
    stands apart."""
    if i == 0:
        return False
    return all(text[s:e].isdigit() for s, e in pieces[i - 1 : j + 1])


def _account_grouping(text: str, pieces: list[tuple[int, int]]) -> bool:
    """Four or more groups of four digits: how cards and bank accounts are written (`0102 0000
    0012 1002 9690`), never phones; no piece of them is one. So are parcels' tracking numbers,
    longer than any phone (`9400 1000 0000 0000 0000 00`, USPS's 22 digits): groups of four
    and a shorter last one."""
    if len(pieces) >= 4 and all(e - s == 4 and text[s:e].isdigit() for s, e in pieces[1:]):
        return True
    return (
        len(pieces) >= 5
        and all(e - s == 4 and text[s:e].isdigit() for s, e in pieces[:-1])
        and text[pieces[-1][0] : pieces[-1][1]].isdigit()
    )


def _groups_from_end(number: str) -> tuple[int, ...]:
    """Where the separators of a candidate sit, counted in digits from its end; a separator
    right after a leading trunk 0 (`0 532 ...`, `0 (917) ...`) is ignored."""
    cuts: list[int] = []
    after = 0
    previous_digit = False
    for char in reversed(number):
        if char in DIGITS:
            after += 1
            previous_digit = True
        elif previous_digit:
            cuts.append(after)
            previous_digit = False
    if cuts and cuts[-1] == after:
        cuts.pop()  # the `(` before `(71) 4233-6306` separates nothing
    if cuts and cuts[-1] == after - 1 and number.lstrip("(")[0] == "0":
        cuts.pop()
    return tuple(cuts)


_WRITTEN_INTERNATIONAL = quiet_re2.compile(r"\+\d[\d ().\-]{6,22}\d")


def international_number(value: str) -> bool:
    """A value that is one phone number written for the world, `+` and all (`+442079460958`,
    `+44 20 7946 0958`), in a range libphonenumber knows as assigned."""
    return bool(_WRITTEN_INTERNATIONAL.fullmatch(value)) and _international(value)[0]


@lru_cache(maxsize=4096)
def _international(number: str) -> tuple[bool, bool]:
    """(valid, possible) by libphonenumber, for a number written with its `+`."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:  # its message can hold the text: swallowed
        return False, False
    return phonenumbers.is_valid_number(parsed), phonenumbers.is_possible_number(parsed)


@lru_cache(maxsize=8192)
def _confirmed(number: str, code: str) -> bool:
    """libphonenumber's own word on a number the RE2 checks accepted."""
    try:
        return phonenumbers.is_valid_number_for_region(phonenumbers.parse(number, code), code)
    except phonenumbers.NumberParseException:  # its message can hold the text: swallowed
        return False
