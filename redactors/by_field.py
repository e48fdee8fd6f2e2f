"""People and places that structure gives away: a value under `customer.name` is a name, a
value under `address.line1` is an address, whatever NER makes of two words without a sentence.

Keys are compared squashed (`first_name`, `FirstName`, `given-name` are one key), in any path
spelling (`customer.name`, `customer[name]` escaped or not, `orders[0].ship_to.name`). Cues in
text are other families' (`datamin.redactors.names`, `datamin.redactors.addresses`).

A street line is someone's door and goes. A city, a postcode, a state or a country, even under
an address (`billing_details.address.postal_code`), is shared by thousands of people and stays:
analytics and fraud checks need them, and a look-alike kept is part of the promise too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from datamin import quiet_re2
from datamin.redactors._name_words import PARTICLE_ALTERNATION
from datamin.redactors._person_keys import (
    HANDLE_KEYS,
    LOGIN_KEYS,
    NAME_FIELDS,
    NAME_PARTS,
    NAME_PARTS_OF_PEOPLE,
    NAME_WORDS,
    PARTY_PREFIXES,
    PERSON_KEYS,
    PERSON_PARENTS,
    PERSON_STEMS,
    THING_PARENTS,
)
from datamin.redactors._place_keys import (
    PLACE_KEYS,
    is_address_key,
    is_party_address,
    reads_as_street_line,
)
from datamin.redactors.context import FieldContext, FieldKind, FieldRole
from datamin.redactors.findings import Finding
from datamin.redactors.names import phrase_word
from datamin.redactors.registry import DetectorSettings

_BIRTH_FIELDS = frozenset(
    "dob dateofbirth birthdate birthday birthdt bday "
    # The same in the languages APIs and HR systems label fields in: de, es, pt, fr, it, nl,
    # fi, tr, sv, da/no, pl, cs, ja, ko, zh.
    "geburtsdatum geburtstag fechadenacimiento fechanacimiento datadenascimento datanascimento "
    "datedenaissance datenaissance datadinascita datanascita geboortedatum syntymäaika "
    "syntymaaika syntymäpäivä doğumtarihi dogumtarihi födelsedatum fodelsedatum fødselsdato "
    "fodselsdato dataurodzenia datumnarození datumnarozeni 生年月日 생년월일 出生日期 "
    # ... birth alone (`nacimiento`, `naissance`), and ru/uk, el, he, ar.
    "nacimiento naissance nascimento nascita geburt датарождения датународження "
    "ημερομηνίαγέννησης תאריךלידה تاريخالميلاد".split()
)
# Headers and cookies too: `X-User-Name`, `X-Customer-Email`, a `user_name` cookie carry what
# their names say.
_STRUCTURED = (FieldKind.JSON, FieldKind.FORM, FieldKind.QUERY, FieldKind.HEADER, FieldKind.COOKIE)

# A person's full name as a field holds it: two or three capitalized words, any script.
# Title case only: capitals (`API KEY`, `NOT SET`) are as often labels as names.
# A surname's particles may sit between them (`Caleb da Rocha`, `Benjamín de la O`).
_WHOLE_NAME = quiet_re2.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.? )?"  # a title (`Dr. Maria Garcia`)
    r"\p{Lu}[\p{Ll}\p{Lm}]+(?: \p{Lu}\.)?"  # a middle initial (`Maria J. Garcia`)
    r"(?:[ '\-]\p{Lu}[\p{Ll}\p{Lm}]+"
    r"| (?:(?:" + PARTICLE_ALTERNATION + r") ){1,2}\p{Lu}[\p{Ll}\p{Lm}]*){1,2}"
    r"(?:,? (?:Jr|Sr|II|III|IV)\.?)?"  # a generation's suffix (`Veit Koch II`)
)
# The wider forms a person's name takes where the key already says person; a word of it may
# open with an apostrophe's prefix or hold a second capital (`O'Neil`, `McDonald`, `LeBlanc`).
_CASED_WORD = r"(?:\p{Lu}['\x{2019}])?\p{Lu}[\p{Ll}\p{Lm}]+(?:\p{Lu}[\p{Ll}\p{Lm}]+)?"
_PERSONS_NAME = quiet_re2.compile(
    r"(?:(?:Dr|Dra|Mr|Mrs|Ms|Mx|Mme|Mlle|Sr|Sra|Srta|Prof|Herr|Frau|Dott|Dott\.ssa|Ing|Avv)"
    r"\.? )?"
    + _CASED_WORD
    + r"(?:(?: (?:van|von|de|da|del|della|di|du|der|den|ten|ter|bin|ibn|al|la|le|dos|das|do"
    + r"|\p{Lu}\.?))*"  # particles and initials (`Ó`, `I.`)
    + r"[ '\-]"
    + _CASED_WORD
    + r"){1,3}"
    # Scripts without capitals (Georgian's letters are lower-case ones), an apostrophe or a
    # geresh inside a word.
    + r"|[\p{Lo}\p{Georgian}][\p{Lo}\p{Georgian}\p{M}'\x{05F3}]*"
    + r"(?: [\p{Lo}\p{Georgian}][\p{Lo}\p{Georgian}\p{M}'\x{05F3}]*){1,3}"
    + r"|[\p{Han}\p{Hangul}]{2,4}"  # a Chinese or Korean name, family name first, no space
    + r"|"
    + _CASED_WORD
    + r", "
    + _CASED_WORD,  # `Pocius, Augustas`: family name first, as directories list people
    # Its Unicode classes outgrow RE2's default DFA budget (8 MiB): the DFA gave up and
    # fell back to a slower matcher on every value; 64 MiB holds it (4.3 us a match, not 6.5).
    quiet_re2.options(max_mem=64 << 20),
)
# Capitalized words that make up product and team names, never people's.
_NOT_NAME_WORDS = frozenset(
    "Support Team Center Centre Service Services Customer Customers Sales Desk Help Hours Office "
    "Department Billing Shipping Delivery Order Orders Account Accounts Store Shop Security Admin "
    "Us Now Today Tomorrow Back Me Please Reply Stop Code Care Line Hotline Number "
    # Words of labels, products and ledgers: a test, a default, a report, an address.
    "Test Default Demo Sample Report Request Response Message Address Profile Business "
    "Company Bank Trust Partnership Merchant Device Card Plan Tax Fee Fees Income Leave Pay "
    "Time Rate Loan Brand Feed Issue Bug Priority Template Process Inquiry "
    # A directory's groups (`CN=Domain Admins`).
    "Admins Administrators Users Group Groups Computers Servers Operators Owners Members "
    "Readers Writers Controllers Guests Everyone".split()
)


# Keys are short and bounded, so Python's `re` is safe here.
# camelCase and snake_case words, accented letters inside words (`endereço`), and runs of other
# scripts whole (`生年月日`).
_KEY_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ\u0100-\u024f]+|[A-Z]+(?![a-z])|\d+|[^\W\d_A-Za-z]+")


def squash(key: str) -> str:
    return key.replace("_", "").replace("-", "").replace(" ", "").lower()


def words_of(key: str) -> frozenset[str]:
    """A key's words, lower-cased: `remoteAddr` -> remote, addr; `ip_address` -> ip, address."""
    return frozenset(w.lower() for w in _KEY_WORD.findall(key[:200]))


def keys_of(path: str) -> list[str]:
    """A path's keys as written, without array positions: `request.form.customer%5Bname%5D`,
    `request.form.customer[name]` and `request.form.customer.name` all end in
    `customer`, `name`."""
    path = path.replace("%5B", ".").replace("%5D", ".").replace("%2E", ".")
    path = path.replace("[", ".").replace("]", ".")
    return [k for k in path.split(".") if k and not k.isdigit()]


class FieldNameDetector:
    name = "by_field"
    entities = frozenset(("PERSON", "LOCATION", "DATE_OF_BIRTH"))
    scores = {"PERSON": (0.7, 0.9), "LOCATION": (0.9,), "DATE_OF_BIRTH": (0.9,)}

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if ctx.kind not in _STRUCTURED or not text.strip():
            return []
        key, parent, key_words, head = _read_path(ctx.path, ctx.name)
        if _is_birth_key(key, key_words) and any(c.isdigit() for c in text):
            return [Finding("DATE_OF_BIRTH", 0, len(text), 0.9, self.name)]
        if is_address_key(key, key_words, parent):
            # A second line or a house number may be digits alone (`274`, `96/A`): still a door.
            if any(c.isalnum() for c in text):
                return [Finding("LOCATION", 0, len(text), 0.9, self.name)]
            return []
        if not any(c.isalpha() for c in text):
            return []
        if ctx.role is FieldRole.PERSON_NAME and not _is_token_or_file(text):
            return [Finding("PERSON", 0, len(text), 0.9, self.name)]  # a contact's own name
        if key in PLACE_KEYS and reads_as_street_line(text):
            return [Finding("LOCATION", 0, len(text), 0.9, self.name)]
        judged = _judge(text, key, parent, key_words, head)
        if judged is None:
            return []
        entity, score = judged
        return [Finding(entity, 0, len(text), score, self.name)]


# Keys that hold the value of a pair (`value`, a `{"field": "phone", "data": ...}`'s `data`, a
# reference's `display`, as `datamin.core.pairs` labels them).
_PAIR_VALUES = frozenset(("value", "val", "data", "display"))
_AT_POSITION = re.compile(r"\[\d+\]$")
# Sigils some systems put before their own reserved keys (Mixpanel's `$first_name`, `$name`;
# JSON-LD's `@type`): the key is the word after it.
_SIGILS = "$@"


@lru_cache(maxsize=8192)
def _read_path(path: str, name: str) -> tuple[str, str, frozenset[str], str]:
    """The last key and its parent, squashed, the key's words and the parent's head word (its
    last: `ContactGroups` -> groups); paths repeat across records."""
    keys = keys_of(path) or [name]
    raw_key, raw_parent = keys[-1], (keys[-2] if len(keys) > 1 else "")
    labelled = raw_key.lower() in _PAIR_VALUES or _AT_POSITION.search(path)
    if name and name != raw_key.lower() and labelled:
        # The value of a name/value pair (`{"name": "full_name", "value": ...}`) or of a jCard
        # property (`["fn", {}, "text", ...]`) is read under its label, as every family reads it.
        raw_key = name
    raw_key, raw_parent = raw_key.lstrip(_SIGILS) or raw_key, raw_parent.lstrip(_SIGILS)
    head = _KEY_WORD.findall(raw_parent[:200])
    return squash(raw_key), squash(raw_parent), words_of(raw_key), head[-1].lower() if head else ""


# A record's own top, as bodies and records nest it: a nickname there is the record's person's
# (an OpenID Connect userinfo's, a SCIM user's, an HR system's employee).
_RECORD_TOPS = frozenset(("", "body", "data", "result", "text", "content", "user", "profile"))


def _judge(
    text: str, key: str, parent: str, key_words: frozenset[str], head: str = ""
) -> tuple[str, float] | None:
    """The entity a key (and its parent) says a value is, with a score; None when it says none."""
    if key == "names" and parent not in THING_PARENTS:
        key = "name"  # `owners[].names[]`: each of a person's names
    if key == "nickname" and parent in _RECORD_TOPS and _reads_as_a_name(text):
        # Not of a person's parent only: a record's own `nickname` (OIDC, SCIM, HR) is its
        # person's, one word or initials (`Kojo`, `JD`), unless it names a thing (`Bills`).
        if not any(w.title() in _NOT_NAME_WORDS for w in text.split()):
            return "PERSON", 0.8
    if key in NAME_WORDS:  # `name`, or the word for it in another language
        if head in THING_PARENTS or _is_token_or_file(text):
            # A parent whose head word is a thing (`ContactGroups`, `shippingLocation`,
            # `billingEntity`), or a value no one is called (`eap-tls-client.pem`, `Profile-1`).
            return None
        if (
            parent in PERSON_PARENTS
            or parent in PERSON_KEYS  # `requester.name`, `assignee.name`, `attendees[].name`
            or _has_stem(parent, PERSON_STEMS)
            or is_party_address(parent)
        ):
            return "PERSON", 0.9
        if parent not in THING_PARENTS and _is_full_name(text):
            # A bare `name` of unknown owner that reads "First Last": more likely a person.
            return "PERSON", 0.7
        return None
    if key in NAME_FIELDS or key.endswith("maidenname"):
        return "PERSON", 0.9  # ... and a mother's maiden name (`mothers_maiden_name`)
    if key == "text" and parent == "name" and _is_persons_name(text):
        return "PERSON", 0.7  # FHIR's `name[].text`: a HumanName written whole, as a bare `name`
    if key in NAME_PARTS and (parent in NAME_WORDS or parent in ("fullname", "personname")):
        return "PERSON", 0.9
    if key.endswith("name") and (
        _has_stem(key[:-4], PERSON_STEMS) or key[:-4] in PARTY_PREFIXES or key[:-4] in PERSON_KEYS
    ):
        return "PERSON", 0.9  # recipient_name, contact_full_name, to_name, witnessName
    if key.endswith("name") and "by" in key_words and not _is_token_or_file(text):
        return "PERSON", 0.9  # started_by_name, updatedByName: whoever did it
    if key in NAME_PARTS_OF_PEOPLE and _is_persons_parent(parent) and _reads_as_a_name(text):
        return "PERSON", 0.9  # `customer.first`, `holder.family`: a name's part, by its owner
    if key in HANDLE_KEYS and (parent in PERSON_PARENTS or _has_stem(parent, PERSON_STEMS)):
        return "PERSON", 0.9  # `owner.login`: the person's handle
    if (
        key in LOGIN_KEYS
        and head not in _ACCOUNTS_OF_NO_ONE
        and _is_login(text, at_sign=key == "handle")
    ):
        # `screen_name`, `user_login`, `login`: a user's handle anywhere but under a thing
        # (GitHub's `organization.login`, an app's)
        return "PERSON", 0.8
    if (
        key in PERSON_KEYS
        or _has_stem(key, ("owner", "holder"))
        or key.endswith("person")
        or ("by" in key_words and len(key_words) > 1)  # signedBy, closed_by: whoever did it
    ) and (_is_persons_name(text) or _is_name_handle(text)):
        return "PERSON", 0.8  # `owner: "Ana Souza"`, `author: "Jane Doe"`; not `owner: "octocat"`
    if key_words & {"user", "principal"} and _is_name_handle(text):
        return "PERSON", 0.8  # `user_id: "jane.roe"`, `authenticated_user: "john_smith"`
    return None


def _is_birth_key(key: str, words: frozenset[str]) -> bool:
    """`dob`, `birthDate`, `date_of_birth`, `ownerDateOfBirth`, `birth_day`: a birth's date,
    whatever words come before it (not `birthplace`)."""
    if key in _BIRTH_FIELDS or "dob" in words or key.endswith("dob"):
        return True  # ... and `PatientDOB`, `customerdob`: a birth's date after whose
    return "birth" in key and ("date" in key or "day" in key or key.endswith("birthdt"))


# One token with a digit, or a file's name: an identifier or a file, not what anyone is called.
# A file's extension is one a file type has, not any short word: `ann.lee` is a login.
_TOKEN_OR_FILE = quiet_re2.compile(
    r"\S*\d\S*|\S+\.(?i:pdf|png|jpe?g|gif|svg|webp|ico|bmp|tiff?|heic|txt|csv|tsv|json|xml|"
    r"html?|md|rtf|docx?|xlsx?|pptx?|odt|ods|zip|gz|tgz|tar|rar|7z|pem|key|crt|cer|p12|pfx|log|"
    r"ya?ml|toml|ini|conf|cfg|js|ts|css|py|rb|go|java|sh|exe|dmg|apk|ipa|bin|dat|tmp|bak|wav|"
    r"mov|avi|mkv|ogg|flac|aac|eml|msg|ics|vcf)"
)


def _is_token_or_file(text: str) -> bool:
    return _TOKEN_OR_FILE.fullmatch(text.strip()) is not None


def _has_stem(key: str, stems: tuple[str, ...]) -> bool:
    return any(stem in key for stem in stems)


def _is_persons_name(text: str) -> bool:
    """Under a key that holds a person (`author`, `customer`), a full name in its wider forms as
    well: after a title (`Dra. Isabel Tamayo`), with particles (`Johannes van Mil`), four words,
    or in a script without capitals (`منتصر الخماش`, `江靜宜`); in capitals with the family name
    first, as booking and bank systems write one (`GARCIA, MARIA`; capitals alone are as often a
    status or a tier, `GOLD MEMBER`), or an initial and a surname (`M. Garcia`)."""
    stripped = text.strip()
    return (
        _is_full_name(text)
        or (
            _PERSONS_NAME.fullmatch(stripped) is not None
            and not any(w.title() in _NOT_NAME_WORDS for w in text.split())
        )
        or _is_lower_case_name(text)
        or (
            "," in stripped
            and stripped.isupper()
            and len(stripped) <= 60
            and _is_persons_name(stripped.title())
        )
        or _INITIAL_SURNAME.fullmatch(stripped) is not None
    )


_INITIAL_SURNAME = quiet_re2.compile(r"\p{Lu}\.\s?\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?")


# Two or three lower-case words: how a name is typed into a form as often as not (`li wei`).
_LOWER_CASE_NAME = quiet_re2.compile(r"\p{Ll}{2,}(?: \p{Ll}{2,}){1,2}")


def _is_lower_case_name(text: str) -> bool:
    """Under a key that holds a person, a name typed in lower case: it reads as a full name
    once capitalized (so not `support desk`, `not enrolled`: a desk's word, a function word)."""
    text = text.strip()
    return _LOWER_CASE_NAME.fullmatch(text) is not None and _is_full_name(text.title())


# A login made of a name (`jane.roe`, `john_smith`): two words joined by a dot or an underscore.
_HANDLE = re.compile(r"[A-Za-z]{2,20}[._][A-Za-z]{2,20}")


# Accounts that sign in and are no person: GitHub's `organization.login`, an app's, a bot's.
_ACCOUNTS_OF_NO_ONE = frozenset(
    "organization organisation organizations org orgs company team teams group app application "
    "bot integration installation enterprise repo repository".split()
)


def _is_persons_parent(parent: str) -> bool:
    return parent in PERSON_PARENTS or parent in PERSON_KEYS or _has_stem(parent, PERSON_STEMS)


# A name's part as written: letters of any script, up to four words, with the marks names hold.
_NAME_PART = quiet_re2.compile(r"\p{L}[\p{L}\p{M}'.\-]*(?: \p{L}[\p{L}\p{M}'.\-]*){0,3}")


def _reads_as_a_name(text: str) -> bool:
    text = text.strip()
    return _NAME_PART.fullmatch(text) is not None and text.lower() not in _FLAG_WORDS


# A login as sign-in forms take one: a letter, then letters, digits, `.`, `_` or `-` (an `@`
# before it where the key is a social `handle`, whose bare form is a product's slug as often).
_LOGIN = re.compile(r"[A-Za-z][A-Za-z0-9._\-]{1,63}")
# What a `login` key holds when it is no login: a flag, an outcome, a method.
_FLAG_WORDS = frozenset(
    "true false yes no none null nil ok success succeeded failed failure error pending "
    "required optional enabled disabled allowed denied blocked locked sso saml oauth password "
    "email phone".split()
)


def _is_login(text: str, *, at_sign: bool) -> bool:
    text = text.strip()
    if at_sign:
        if not text.startswith("@"):
            return False
        text = text[1:]
    return _LOGIN.fullmatch(text) is not None and text.lower() not in _FLAG_WORDS


def _is_name_handle(text: str) -> bool:
    """A login that spells its owner's name: it reads as a full name once its dot or underscore
    is a space (not `team.platform`, `svc_account`: a team's word, an account's)."""
    text = text.strip()
    return _HANDLE.fullmatch(text) is not None and _is_full_name(
        text.replace(".", " ").replace("_", " ").title()
    )


def _is_full_name(text: str) -> bool:
    """Two or three capitalized words, none of them a word no name holds: a department's
    (`Support Team`) or a function word (`My Device`, `The One Ring`, `Thank You Response`:
    people's names hold no `my`, `the`, `you`)."""
    words = text.strip().split()
    return _WHOLE_NAME.fullmatch(text.strip()) is not None and not any(
        w.title() in _NOT_NAME_WORDS or phrase_word(w) for w in words
    )
