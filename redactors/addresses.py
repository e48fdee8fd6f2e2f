"""Street addresses by their grammar, in the forms Europe and the Americas write them.

The small spaCy model misses most street lines (`Kantstrasse 40`, `Rue du Pont Simon 172`, `Rua
Igreja 25`); their grammar is regular enough to read without it. A street line here is a
street-type word next to a capitalized name and a house number:

- number first, type last (`742 Evergreen Terrace`, `1600 Pennsylvania Avenue NW`);
- type first, number last or first (`Rue du Pont Simon 172`, `12 rue du Pont Simon`, `Calle
  Mayor 14`, `Via Garibaldi 23`, `ul. Marszałkowska 10/12`, `Carrera 7 # 71-21`);
- type glued to the name, number last (`Kantstrasse 40`, `Prinsengracht 263`,
  `Drottninggatan 53`) or as its own word (`Berliner Straße 12`, `Kaiser-Wilhelm-Ring 5`);

then, optionally, a unit (`Apt 4B`, `piso 5`, `3º B`) and a postcode with its city (`10623
Berlin`, `01310-100 São Paulo`, `London NW1 6XE`, `Austin TX 78701`). PO boxes are addresses
too. A street named without a house number (`Main Street`, `Route 66`, `Version 2 Road map`) is
not an address: it names a place, not a door; except where a sentence sends a parcel or a person
there (`please send it to rue Legros`, `reenviem para Estrada Mariane Guerra`, `I live on
Calle Mayor`): then it is someone's.
"""

from __future__ import annotations

import re2

from datamin import quiet_re2
from datamin.redactors._east_asian_addresses import DOOR, east_asian_addresses, romanized_blocks
from datamin.redactors._lower_streets import lower_case_streets
from datamin.redactors._postcodes import lower_tail, postcode_after
from datamin.redactors._stop_words import STOP_WORDS
from datamin.redactors._street_edges import DOOR_UNIT, DOOR_WORD, extension, with_what_precedes
from datamin.redactors._street_words import (
    ADDRESS_SAID,
    EN_AMBIGUOUS_TYPES,
    EN_TYPES,
    PREFIX_TYPES_ANY_CASE,
    PREFIX_TYPES_CAPITALIZED,
    SENT_TO,
    SLAVIC_TYPES,
)
from datamin.redactors._validators import re2_safe, sign_set
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.findings import Finding
from datamin.redactors.registry import DetectorSettings

# A word of a street's name: capitalized, any script's letters, an initial, an ordinal (`5th`,
# `42nd`), Saint's or Mount's abbreviation (`St. John Street`; not `Ft.`, feet) or a regnal number
# (`Corso Vittorio Emanuele II`); an Irish surname's capital after its apostrophe (`O'Brien
# Turnpike`); a word of a script without capitals (`12 الملك فهد Road`).
_WORD = (
    r"(?:\p{Lu}\p{Ll}[\p{L}'\x{2019}\-]*|\p{Lu}['\x{2019}]\p{Lu}\p{Ll}[\p{L}'\x{2019}\-]*"
    r"|\d{1,3}(?:st|nd|rd|th)|\p{Lu}\.|(?:St|Mt)\.|[IVX]{1,4}\b|\p{Lo}[\p{Lo}\p{M}]*)"
)
# Small words inside street names in the languages below (`Rue du Pont`, `Via della Spiga`).
_PARTICLE = (
    r"(?:d['\x{2019}]|l['\x{2019}]|(?:de|du|des|del|della|delle|dei|degli|di|da|do|dos|das|la|le|les|los|las|"
    r"van|von|der|den|het|am|an|im|of|the|e|y|i|et|und)\s+)"
)
_NAME = _WORD + r"(?:[\s\-]+" + _PARTICLE + r"*" + _WORD + r"){0,4}"
_PREFIXED_NAME = _PARTICLE + r"*" + _NAME
# A house number: `40`, `7b`, `10/12`, `23-25`, `4 bis`, `221B`. `\b` keeps `12 rue` whole.
_NUMBER = r"\d{1,5}(?:\s?(?:bis|ter|[A-Za-z])\b)?(?:\s?[/\-]\s?\d{1,5}[A-Za-z]?\b)?"


# Turkish street types, after the name: Caddesi, Sokak, Bulvar, Mahallesi, in their forms.
_TR_TYPE = r"(?i:cad(?:desi)?|sok(?:ak|a[gğ][\x{131}i])?|bulvar[\x{131}i]|blv|mah(?:allesi)?)"


def _alternation(words: list[str]) -> str:
    return "|".join(re2.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_COMPASS = r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\b)?"
_EN_TYPE = r"(?:" + _alternation(EN_TYPES) + r")\b\.?" + _COMPASS
_EN_ANY_TYPE = r"(?:" + _alternation(EN_TYPES + EN_AMBIGUOUS_TYPES) + r")\b\.?" + _COMPASS
_PREFIX_TYPE_ANY_CASE = r"(?i:" + _alternation(PREFIX_TYPES_ANY_CASE) + r")"
_PREFIX_TYPE = r"(?:" + _PREFIX_TYPE_ANY_CASE + r"|" + _alternation(PREFIX_TYPES_CAPITALIZED) + r")"
# Types glued to the end of the name, German, Dutch and Nordic (`Kantstrasse`, `Heßstr.`,
# `Prinsengracht`, `Drottninggatan`). Those that end ordinary words too need a longer name
# before them (`Brigade`, `Renegade`), and `ring` a consonant before it: English `-ring` words
# are gerunds (`Monitoring`, `Sharing`), German rings are not (`Heringring`, `Scheelring`).
_GLUED_TYPE = (
    r"(?:\p{Lu}\p{Ll}{2,}(?:stra(?:ss|ß)e|str\.|weg|allee|platz|gasse|damm|ufer|chaussee|steig|"
    r"pfad|straat|laan|plein|gracht|singel|gatan|v[äa]gen|vej|vegen|veien|katu|"
    r"boulevard|dreef|steeg|kade|markt|stigen|stien|gr[äa]nd|torget|backen|bakken|haugen|"
    r"stykket|l[øo]kka|kroken|svingen|gaten|kuja|polku|bulevardi|puistotie|v[äa]yl[äa]|raitti|"
    r"rinne|kaari|ranta|aukio|tunet|jordet|grenda|engen|plassen|ringen|myra|[åa]sen|baan)"
    # Long types make a street of a two-letter stem too (`Ektorget`, `Ekvägen`, `Ahornallee`).
    r"|\p{Lu}\p{Ll}(?:stra(?:ss|ß)e|allee|platz|gasse|gracht|gatan|v[äa]gen|vegen|veien|"
    r"torget|stigen|backen|bakken|haugen|plassen|svingen|straat)"
    r"|\p{Lu}\p{Ll}{1,}str[æa]de"  # Danish lanes (`Nybostræde`)
    r"|\p{Lu}\p{Ll}{3,}(?:gade|dijk|gata|tie|lia|hof|pad|lei)"
    r"|\p{Lu}\p{Ll}{2,}[b-df-hj-np-tv-zß]ring)"
)
_OWN_WORD_TYPE = (
    r"(?:Stra(?:ss|ß)e|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer|Chaussee|Straat|Laan|Plein|"
    r"Gracht|Kade|Dijk|All[ée]|Vej|Gade|Plads|Torv|V[äa]g|Gata|Gatan"
    # Hungarian types, written lower-case after the name (`Kossuth utca 60.`, `Király u. 15.`).
    r"|utca|u\.|út|tér|körút|köz|sétány|rakpart|fasor)"
)
# Finnish types as a word of their own after a name in the genitive (`Lentokapteenin tie 7`),
# a person's given name before it where the street bears a whole name (`Bertel Jungin aukio`).
_FINNISH_TYPE = (
    r"(?:\p{Lu}\p{Ll}+\s+)?\p{Lu}[\p{Ll}\-]*\p{Ll}n\s+(?:tie|katu|kuja|polku|puistotie|"
    r"puistokatu|raitti|väylä|kaari|rinne|ranta|aukio|tori|bulevardi|puistikko|piha)"
)
# Czech and Slovak streets are often an adjective alone (`Průjezdná 825`, `Nová 12`).
_ADJECTIVE_STREET = r"\p{Lu}\p{Ll}{2,}(?:ská|cká|ná|ová|ní|ký|ská)"
# The street line proper; a unit and a postcode with its city may follow (`extension`). Each
# form is its own pattern: together, with every Unicode class, they outgrow RE2's DFA budget.
_FORMS = (
    _NUMBER + r",?\s+" + _NAME + r"\s+" + _EN_TYPE,  # 742 Evergreen Terrace
    r"\d" + _NUMBER + r",?\s+" + _NAME + r"\s+" + _EN_ANY_TYPE,  # 4827 Megan Center
    # Flat 2, Baker Squares: a British unit before a street without a number
    r"(?:Flat|Studio|Apartment|Apt\.?|Unit|Suite)\s+\w{1,5},?\s+" + _NAME + r"\s+" + _EN_ANY_TYPE,
    # 12 rue du Pont Simon: number first only with types that are no English word
    _NUMBER + r",?\s+" + _PREFIX_TYPE_ANY_CASE + r"\s+" + _PREFIXED_NAME,
    # Rue du Pont Simon 172, Calle Mayor 14, ul. Marszałkowska 10/12
    _PREFIX_TYPE + r"\s+" + _PREFIXED_NAME + r",?\s+(?:(?i:n[º°o]|nr)\.?\s*)?" + _NUMBER,
    # Carrera 7 # 71-21; Colombia's abbreviations: Cl. 179D # 7-61 Este, Cr. 3ª Bis # 64-87
    r"(?:" + _PREFIX_TYPE + r"|(?:Cl|Cll|Cr|Cra|Kr|Kra|Tv|Dg|Ak|Ac)\.?)"
    r"\s+\d{1,3}[A-Za-zªº]?(?:\s?[Bb]is)?\s*(?:#|No\.?|N[º°o]\.?)\s*\d{1,3}[A-Za-z]?"
    r"(?:\s?-\s?\d{1,3})?(?:\s(?:Este|Sur|Norte|Oeste)\b)?",
    _GLUED_TYPE + r",?\s+" + _NUMBER,  # Kantstrasse 40
    _ADJECTIVE_STREET + r"\s+" + _NUMBER,  # Průjezdná 825
    _FINNISH_TYPE + r"\s+" + _NUMBER,  # Lentokapteenin tie 7
    # Berliner Straße 12, Kaiser-Wilhelm-Ring 5
    _WORD + r"(?:[\s\-]+" + _WORD + r"){0,2}[\s\-]+" + _OWN_WORD_TYPE + r",?\s+" + _NUMBER,
    # A name and a number with no type word, a flat's number after them: Allika 46\n Suite 501
    _NAME + r"\s+" + _NUMBER + DOOR_UNIT,
    # Atatürk Cad. No: 12, Gül Sok. No:5 D:3 (Turkish: `No:` before the door)
    _NAME + r"\s+" + _TR_TYPE + r"\.?,?\s+(?i:no)\s*:?\s*\d{1,5}[A-Za-z]?(?:/\d{1,5})?"
    r"(?:\s*(?i:d|daire)\s*:?\s*\d{1,4})?",
    # ул. Вишневая, д. 19 стр. 1; вулиця Саймона Літмана, буд. 83 кв. 5
    r"(?i:" + _alternation(SLAVIC_TYPES) + r")\.?\s+[\p{L}\d][\p{L}\p{M}\d'\-.]*"
    r"(?:\s+[\p{L}\d][\p{L}\p{M}\d'\-.]*){0,3},?\s+(?i:д|дом|буд|будинок)\.?\s*"
    + _NUMBER
    + r"(?:,?\s+(?i:к|корп|стр|кв)\.?\s*\d{1,5}(?:/\d{1,5})?){0,3}",
)
_AMBIGUOUS_FORMS = frozenset(i for i, form in enumerate(_FORMS) if form.endswith(_EN_ANY_TYPE))
_PO_BOX = (
    r"(?i:\bp\.?\s?o\.?\s?box|\bpost\s+office\s+box|\bpostfach|\bbo[iî]te\s+postale|"
    r"\bcaixa\s+postal|\bapartado(?:\s+de\s+correos)?|\bcasilla(?:\s+de\s+correos?)?|"
    r"\bskrytka\s+pocztowa)\s*(?:n[º°o]\.?\s*)?#?\s*\d{1,7}"
    # US military mail (USPS Publication 28, 225): `PSC 0413, Box 8144`, `Unit 4719 Box 7394`,
    # a ship's name over its FPO line (`USNS Møller\nFPO AA 85844`).
    r"|\b(?i:psc|cmr|unit)\s+\d{1,5},?\s+(?i:box)\s+\d{1,5}"
    r"|\bUS(?:NS|NV|S)\s+\p{Lu}[\p{L}\p{M}'\-]*(?:\s\p{Lu}[\p{L}\p{M}'\-]*){0,2}\s+(?:FPO|APO|DPO)\b"
)


def _compiled(pattern: str) -> re2._Regexp:
    options = quiet_re2.options()
    options.max_mem = 32 << 20
    return quiet_re2.Lazy(pattern, options)  # type: ignore[return-value]


# Every street form holds a number and a space, in either order.
_DIGIT_AND_SPACE = quiet_re2.compile(r"\d\D*?\s|\s\D*?\d")
# A street starts a word in any script: RE2's `\b` knows ASCII only, and found no start
# before `Ózdi út 68` or `Λεωφόρος ...`. The character before is matched, the street captured.
_STREETS = tuple(_compiled(r"(?:^|[^\p{L}\p{N}_])(" + form + r")") for form in _FORMS)
_PO_BOXES = _compiled(_PO_BOX)

# A street named without its number, the whole of a value: a type word before the name
# (`rue Victor Lebon`, `Calle de la Paz`) or glued to it (`Kantstrasse`); or, in scripts written
# without spaces, a name and its number run together (`シャルム東和町998`).
_NAMED_STREET = _compiled(
    r"(?:" + _PREFIX_TYPE + r"\s+" + _PREFIXED_NAME + r"|" + _GLUED_TYPE + r")"
)
_RUN_TOGETHER_STREET = quiet_re2.compile(
    r"[\p{Han}\p{Katakana}\p{Hiragana}ー]{2,}\d{1,5}(?:[\-\x{FF0D}]\d{1,5}){0,2}"
)


def names_a_street(value: str) -> bool:
    """Whether `value` is nothing but a street's name, with no house number or with one run
    into it: what a field that names a place holds when it holds someone's street."""
    value = value.strip()
    return (
        _NAMED_STREET.fullmatch(value) is not None
        or _RUN_TOGETHER_STREET.fullmatch(value) is not None
    )


# A short word with its dot opens a street's name in many languages (`ul. Miła`, `al. Jana`, and
# in Greek `Οδ.` or `Λεωφ.`): one, before the name's first word; in lower case, in Greek or
# Cyrillic, or one capital (not `Acct. Number 12345`, `Ref. Code 44`).
_ABBREVIATION = r"(?:(?:\p{Ll}{1,4}|\p{Greek}{1,4}|\p{Cyrillic}{1,4}|\p{Lu})\.\s+)?"
_SAID_STREET = _compiled(
    ADDRESS_SAID
    + r"((?:\d{1,6}\s+)?"
    + _ABBREVIATION
    + r"\p{Lu}[\p{L}\p{M}'\x{2019}\-]*(?:\s+[\p{L}\p{M}'\x{2019}\-]+){0,3},?\s+"
    + r"\d{1,5}[A-Za-z]?)\b"
)
# In a text written without capitals, where case says nothing, the same with a house number
# first (`eva kleist lives at 255 hersnapvej 18`, `address: 106 rúa olmos 44`).
_SAID_STREET_LOWER = _compiled(
    ADDRESS_SAID
    + r"(\d{1,6}\s+"
    + _ABBREVIATION
    + r"\p{L}[\p{L}\p{M}'\x{2019}\-]*(?:\s+[\p{L}\p{M}'\x{2019}\-]+){0,3},?\s+"
    + r"\d{1,5}[A-Za-z]?)\b"
)
# A house number, words in any case or script and a number: the line of a street whose type
# the name leaves out or writes in lower case, where a flat's unit follows it on the next line
# or the same (`16 salontie 6\n apt. 523`, `48 Ag. Andrea 34\n Apt. 932`), or precedes it on
# its line (`Apt. 870 59 Bouciña 65\n`, `suite 085 23 rúa do paseo 11`). An address block's
# unit says the line beside it is a street's: a flat's (`Apt.`, `Suite`; a `unit` is a rack's or
# a test's as often), both ending their line or clause, and no English small word between the
# numbers (not `12 passed in 3\nsuite 4`, `42 servers in rack 7, apt 12`).
_FLAT = r"(?i:apt|apartment|suite)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?\b"
_NUMBERED_WORDS = (
    r"\d{1,6}[ \t]+(?:\d{1,6}[ \t]+)?(\p{L}[\p{L}\p{M}'\x{2019}\-]*\.?"
    r"(?:[ \t]+\p{L}[\p{L}\p{M}'\x{2019}\-]*\.?){0,4})[ \t]+" + _NUMBER
)
_BEFORE_UNIT = _compiled(
    r"(?m:^)[ \t>]*("
    + _NUMBERED_WORDS
    + r"[ \t]*,?[ \t]*\r?\n?[ \t>]*"
    + _FLAT
    + r")[ \t]*(?:[,;\r\n]|$)"
)
_AFTER_UNIT = _compiled(
    r"\b(" + _FLAT + r"[ \t]*,?[ \t]+" + _NUMBERED_WORDS + r")[ \t]*(?:[,;\r\n]|$)"
)
# Small words a street's name holds in the languages above (`rúa do paseo`, `via della`).
_STREET_SMALL_WORDS = frozenset(
    "de du des del della delle dei di da do dos das la le les los las van von der den het am im "
    "e y et und".split()
)


def _street_words(words: str, line: str, lower_text: bool) -> bool:
    """The words between a line's numbers may be a street's: no English small word among them
    but a street's own (`rúa do paseo`); a letter beyond ASCII among them, or a capitalized word
    where the text writes capitals, or in a text without capitals a flat written as one (`apt.`
    with its dot: `apt 6` is Debian's tool). Not `65 tests failed 6\nSuite 5`, `10 tests
    5\nsuite 2`, `apt 6 59 packages upgraded 5`: a CI log's lines."""
    split = words.split()
    if any(w.lower() in STOP_WORDS and w.lower() not in _STREET_SMALL_WORDS for w in split):
        return False
    if not words.isascii():
        return True
    if lower_text:
        return _A_FLAT_WRITTEN.search(line) is not None
    return any(w[0].isupper() for w in split)


_A_FLAT_WRITTEN = quiet_re2.compile(r"(?i:apt)\.|(?i:apartment)")


# Type words before the name that are English words too (`Place Order`, `Route Planner`, `Via
# Email`) name no street in an English sentence.
_SENT_PREFIX_TYPE = (
    r"(?:"
    + _PREFIX_TYPE_ANY_CASE
    + r"|"
    + _alternation(
        [
            t
            for t in PREFIX_TYPES_CAPITALIZED
            if t not in ("Via", "Place", "Pl.", "Plaza", "Route", "Passage", "Vale", "Cours")
        ]
    )
    + r")"
)


def _typed_street(en_type: str) -> str:
    """A street named with its type word: before the name, glued to it, or English after it."""
    return (
        r"(?:"
        + _SENT_PREFIX_TYPE
        + r"\s+"
        + _PREFIXED_NAME
        + r"|"
        + _GLUED_TYPE
        + r"|"
        + _NAME
        + r"\s+"
        + en_type
        + r")"
    )


_SENT_STREET = _compiled(SENT_TO + r"(" + _typed_street(_EN_TYPE) + r")")
# ... or a house number, a capitalized name and a number ending the clause: the line of a street
# whose type the name leaves out (`Please return to 72134 Coronilla 3599`; not `send to 20
# Members 5 reminders`).
_SENT_NUMBERED = _compiled(
    SENT_TO
    + r"(\d{1,6}\s+\p{Lu}[\p{L}\p{M}'\x{2019}\-]*(?:\s+[\p{L}\p{M}'\x{2019}\-]+){0,3}\s+"
    + r"\d{1,5}[A-Za-z]?)[ \t]*(?:[,.;:!?\r\n)]|$)"
)
# Two streets that cross (`at the corner of Retreat Avenue and Władysława Route`, `the corner
# of ul. Cicha 86 and Leokadia Trail`, `the corner of Kuusiku 7 and Sieda Radial`): the phrase
# says both are streets, so each is one with its type, or a capitalized name without one, with
# or without a number.
_CORNER_STREET = (
    r"(?:\d{1,5}\s+)?(?:" + _typed_street(_EN_ANY_TYPE) + r"|" + _NAME + r")(?:,?\s+\d{1,5}\b)?"
    # a type word after the number, or abbreviated in lower case (`Nieuwe Baan 473 St.`,
    # `159 Eleftheriou Venizelou str`)
    r"(?:\s+(?:" + _EN_ANY_TYPE + r"|(?i:str?)\b\.?))?"
)
# The phrase is one place, redacted whole: its words say nothing once its streets are gone.
_CORNER = _compiled(
    r"(?i:(?:\bthe\s+)?\bcorner\s+of\s+)(?:"
    + _CORNER_STREET
    + r")(?:\s+and\s+|\s*&\s*)(?:"
    + _CORNER_STREET
    + r")"
)
_SENT_TO = _compiled(SENT_TO)
# German and Dutch put the verb last (`Bitte an Schmiedeckering 5 schicken`, `kunt u het naar
# Kerkweg 12 sturen`): a capitalized name and a house number between `an`/`naar` and a verb of
# sending are a street line, whatever its type.
_SENT_BEFORE_VERB = _compiled(
    r"\b(?:an|naar)\s+(\p{Lu}[\p{L}\p{M}'\x{2019}\-]*(?:\s+[\p{L}\p{M}'\x{2019}\-]+){0,3}\s+"
    + _NUMBER
    + r")\s+(?:zu\s+|te\s+)?(?i:schick|send|liefer|zustell|stuur|zend|bezorg|geschickt|gesendet|"
    r"geliefert|gestuurd|verstuurd|verzonden|bezorgd)"
)

_TO_BEFORE_VERB = quiet_re2.compile(r"\b(?:an|naar)\s")

# The same sentence sending it to a door written in Han, kana or Hangul (`send the replacement
# to アーバン東和町020`).
_SENT_DOOR = _compiled(SENT_TO + "(" + DOOR + ")")

# The prefilter: a street-type word or a PO box word. Only values holding one (and a digit and
# a space) are read with the grammar above.
_SIGN_PATTERNS = (
    r"(?i)(?:stra(?:ss|ß)e|str\.|weg\b|allee|platz|gasse|damm|ufer|chaussee|steig|pfad|"
    r"straat|laan\b|plein|gracht|singel|dijk|gata|gatan|v[äa]gen|vej\b|vegen|veien|gade\b|"
    r"katu|str[æa]de\b|[b-df-hj-np-tv-zß]ring\b|\bring\b|\bkade\b|boulevard|dreef|steeg|markt|stigen|"
    r"stien|gr[äa]nd|torget|backen|bakken|haugen|stykket|l[øo]kka|kroken|svingen|gaten|kuja|"
    r"polku|bulevardi|puistikko|piha\b|tie\b|v[äa]yl[äa]|raitti|rinne|kaari|ranta|aukio|tunet|jordet|grenda|"
    r"engen|plassen|ringen|myra|[åa]sen\b|lia\b|hof\b|pad\b|baan\b|vej\b|plads|torv\b|lei\b|"
    r"all[ée](?:\s|$)|utca|(?:^|\s)(?:út|tér|köz|u\.)(?:\s|$)|körút|sétány|rakpart|fasor|"
    r"\p{Ll}(?:ská|cká|ná|ová|ní|ký)\s+\d)",
    r"(?i)\b(?:" + _alternation(EN_TYPES + EN_AMBIGUOUS_TYPES) + r")\b",
    r"(?i)(?:^|[^\p{L}])(?:"
    + _alternation(PREFIX_TYPES_ANY_CASE + PREFIX_TYPES_CAPITALIZED)
    + r")(?:$|[^\p{L}])",
    r"(?i)(?:p\.?\s?o\.?\s?box|office\s+box|postfach|postale|caixa\s+postal|apartado|"
    r"casilla|skrytka)|\d,?\s+(?i:box)\s+\d|\b(?:FPO|APO|DPO)\b",
    ADDRESS_SAID,
    r"(?i:schicken|senden|liefern|zustellen|sturen|zenden|bezorgen)",
    SENT_TO + r"\d",
    r"\b" + DOOR_WORD + r"\b\.?[ \t]*#?[ \t]*\d",
    r"(?i)(?:^|[^\p{L}])(?:д|буд)\.\s*\d",  # a Russian or Ukrainian house
    r"\d[A-Za-zªº]?\s*#\s*\d",  # Colombia's `Cl. 179D # 7-61`
    r"(?i)\b" + _TR_TYPE + r"\.?,?\s+no[\s:.]",  # Turkey's `Atatürk Cad. No: 12`
    r"\d[ \t]+\p{Ll}[\p{Ll} \t'\-]*[ \t](?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|"
    r"ln|drive|dr|terrace|ter|court|ct|crescent|parkway|pkwy|highway|hwy|circle|cir|trail|"
    r"alley|square|sq|grove|mews)\b",  # `_LOWER_SIGN`
    r"\d-\d{1,3}-\d{1,4}[ \t,]+\p{Lu}[\s\S]{0,40}-(?:ku|shi|cho|machi|gun)\b",  # `_WARD_SIGN`
    r"(?i)\bcorner\s+of\b",  # the last: `_CORNER_SIGN`
)
_SIGNS = sign_set(_SIGN_PATTERNS)
_CORNER_SIGN = len(_SIGN_PATTERNS) - 1
_WARD_SIGN = len(_SIGN_PATTERNS) - 2
_LOWER_SIGN = len(_SIGN_PATTERNS) - 3
_DOOR_SIGN = _SIGN_PATTERNS.index(r"\b" + DOOR_WORD + r"\b\.?[ \t]*#?[ \t]*\d")


class AddressDetector:
    """Street lines and PO boxes in any string, by grammar."""

    name = "addresses"
    entities = frozenset(("LOCATION",))
    scores = {"LOCATION": (0.8,)}

    # Methods, statuses, sizes, timings: no one's name or door.
    skips = frozenset((FieldKind.META,))

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if len(text) < 6:
            return []
        safe = re2_safe(text)
        signs = _SIGNS.Match(safe)
        if not signs:
            spans = _east_asian(safe)
            return [Finding("LOCATION", start, end, 0.8, self.name) for start, end in spans]
        # The sentence grammars are large and rarely needed: each runs only where what it
        # must begin with is written (and compiles only then).
        sentences = (_SENT_STREET, _SENT_NUMBERED) if _SENT_TO.search(safe) else ()
        if _TO_BEFORE_VERB.search(safe):
            sentences += (_SENT_BEFORE_VERB,)
        found = [
            Finding("LOCATION", m.start(1), m.end(1), 0.8, self.name)
            for sent in sentences
            for m in sent.finditer(safe)
        ]
        if _CORNER_SIGN in signs:
            for m in _CORNER.finditer(safe):
                found.append(Finding("LOCATION", m.start(), m.end(), 0.8, self.name))
        if _DIGIT_AND_SPACE.search(safe) is None:
            spans = _east_asian(safe)
            return found + [Finding("LOCATION", start, end, 0.8, self.name) for start, end in spans]
        for form, street in enumerate(_STREETS):
            for m in street.finditer(safe):
                end = m.end(1)
                if form in _AMBIGUOUS_FORMS and not _ends_a_line(safe, end):
                    continue  # `Top 10 Jurassic Park facts`: a title goes on in lower case
                end += extension(safe, end)
                found.append(Finding("LOCATION", m.start(1), end, 0.8, self.name))
        for start, end in _east_asian(safe):
            found.append(Finding("LOCATION", start, end, 0.8, self.name))
        said = _SAID_STREET if safe != safe.lower() else _SAID_STREET_LOWER
        for m in said.finditer(safe):
            end = m.end(1) + extension(safe, m.end(1))
            found.append(Finding("LOCATION", m.start(1), end, 0.8, self.name))
        if _DOOR_SIGN in signs:
            for unit in (_BEFORE_UNIT, _AFTER_UNIT):
                for m in unit.finditer(safe):
                    if not _street_words(m.group(2), m.group(1), safe == safe.lower()):
                        continue
                    end = m.end(1) + extension(safe, m.end(1))
                    found.append(Finding("LOCATION", m.start(1), end, 0.8, self.name))
        for m in _PO_BOXES.finditer(safe):
            end = m.end() + extension(safe, m.end())
            found.append(Finding("LOCATION", m.start(), end, 0.8, self.name))
        if _LOWER_SIGN in signs:
            for start, end in lower_case_streets(safe):
                end += extension(safe, end) or lower_tail(safe, end)
                found.append(Finding("LOCATION", start, end, 0.8, self.name))
        if _WARD_SIGN in signs:
            for start, end in romanized_blocks(safe):
                found.append(Finding("LOCATION", start, end, 0.8, self.name))
        found = [with_tail(safe, with_what_precedes(safe, f)) for f in found]
        # One form may read part of another's match (a postcode as a house number): keep the
        # widest.
        found.sort(key=lambda f: (f.start, -f.end))
        kept: list[Finding] = []
        for f in found:
            if not kept or f.end > kept[-1].end:
                kept.append(f)
        return kept


def with_tail(text: str, found: Finding) -> Finding:
    """The finding with the city, region and postcode written after it, if a postcode is
    among them."""
    n = postcode_after(text, found.end)
    if not n:
        return found
    return Finding(found.entity, found.start, found.end + n, found.score, found.detector)


def _east_asian(text: str) -> list[tuple[int, int]]:
    """Addresses in the East Asian forms, and doors in those scripts a sentence sends to."""
    spans = east_asian_addresses(text)
    if spans or not text.isascii():
        spans += [m.span(1) for m in _SENT_DOOR.finditer(text)]
    return spans


def _ends_a_line(text: str, end: int) -> bool:
    """A street line ends where its type does: at the text's end, at punctuation, or before
    what follows a street (a unit, a postcode, a city: a digit or a capital)."""
    rest = text[end : end + 3].lstrip(" \t")
    return not rest or not rest[0].isalpha() or rest[0].isupper()
