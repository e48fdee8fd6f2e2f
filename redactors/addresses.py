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
not an address: it names a place, not a door.
"""

from __future__ import annotations

import re2

from redactors._validators import re2_safe, sign_set
from redactors.context import FieldContext
from redactors.findings import Finding
from redactors.registry import DetectorSettings

# A word of a street's name: capitalized, any script's letters, an initial, an ordinal (`5th`,
# `42nd`) or a regnal number (`Corso Vittorio Emanuele II`).
_WORD = r"(?:\p{Lu}\p{Ll}[\p{L}'\x{2019}\-]*|\d{1,3}(?:st|nd|rd|th)|\p{Lu}\.|[IVX]{1,4}\b)"
# Small words inside street names in the languages below (`Rue du Pont`, `Via della Spiga`).
_PARTICLE = (
    r"(?:d['\x{2019}]|l['\x{2019}]|(?:de|du|des|del|della|delle|dei|degli|di|da|do|dos|das|la|le|les|los|las|"
    r"van|von|der|den|het|am|an|im|of|the|e|y|et|und)\s+)"
)
_NAME = _WORD + r"(?:[\s\-]+" + _PARTICLE + r"*" + _WORD + r"){0,4}"
_PREFIXED_NAME = _PARTICLE + r"*" + _NAME
# A house number: `40`, `7b`, `10/12`, `23-25`, `4 bis`, `221B`. `\b` keeps `12 rue` whole.
_NUMBER = r"\d{1,5}(?:\s?(?:bis|ter|[A-Za-z])\b)?(?:\s?[/\-]\s?\d{1,5}[A-Za-z]?\b)?"

# English street types, written after the name.
_EN_TYPE = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
    r"Terrace|Ter|Way|Square|Sq|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Close|Crescent|Cres|Row|"
    r"Trail|Trl|Alley|Plaza|Grove|Mews)\.?"
    r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\b)?"
)
# Street types written before the name. Those that are also English words (`via`, `place`,
# `route`, `corso`) count only capitalized.
_PREFIX_TYPE_ANY_CASE = (
    r"(?i:rue|avenue|boulevard|bd|bld|chemin|all[ée]e|impasse|quai|calle|c/|avenida|avda\.?|"
    r"rua|r\.|travessa|tv\.|pra[çc]a|estrada|carrera|cra\.|kra\.|carretera|paseo|camino|viale|"
    r"piazza|piazzale|vicolo|ul\.|ulica|aleja|al\.|strada|rambla|r[úu]a|rruga|diagonal|transversal)"
)
_PREFIX_TYPE = (
    r"(?:"
    + _PREFIX_TYPE_ANY_CASE
    + r"|Av\.?|Via|Place|Pl\.|Plaza|Corso|Largo|Route|Cours|Passage|Jir[oó]n|Alameda)"
)
# Types glued to the end of the name, German, Dutch and Nordic. The name before them has at
# least four letters, so `Spring`, `Brigade` or `String` are no street.
_GLUED_TYPE = (
    r"(?:stra(?:ss|ß)e|str\.|weg|allee|platz|gasse|damm|ufer|chaussee|steig|pfad|straat|laan|"
    r"plein|gracht|singel|dijk|gata|gatan|v[äa]gen|vej|vegen|veien|gade|katu)"
)
_OWN_WORD_TYPE = (
    r"(?:Stra(?:ss|ß)e|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer|Chaussee|Straat|Laan|Plein|"
    r"Gracht|Kade|Dijk)"
)
_UNIT = (
    r"(?:,?\s*(?i:apartamento|apartment|apto|apt|suite|ste|unit|flat|floor|fl|rm|piso|dpto|"
    r"depto|dept|wohnung|whg|etage|bte|bo[iî]te|escalera|esc|puerta|interno|int|scala|sc)\b\.?\s*"
    r"#?\s*[\p{L}\d\-]{1,5}|,?\s*#\s?\d{1,5}[A-Za-z]?|,?\s*\d{1,2}\s?[º°ª]\s?[A-Za-z]?\b)"
)
_CITY = r"\p{Lu}\p{Ll}[\p{L}'\x{2019}\-]*(?:\s\p{Lu}\p{Ll}[\p{L}'\x{2019}\-]*){0,2}"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
_CA_POSTCODE = r"[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"
# A postcode before its city: `10623` (DE FR ES IT US), `01310-100` (BR), `1016 GV` (NL),
# `111 21` (SE), `00-590` (PL), `1010` (AT CH BE DK NO), `1000-001` (PT).
_POSTCODE_FIRST = r"(?:\d{5}(?:-\d{3})?|\d{4}\s?[A-Z]{2}|\d{3}\s\d{2}|\d{2}-\d{3}|\d{4}(?:-\d{3})?)"
_TAIL = (
    r"(?:,?\s+(?:"
    + _POSTCODE_FIRST
    + r"\s+"
    + _CITY
    + r"|"
    + _CITY
    + r",?\s+(?:[A-Z]{2}\s+)?(?:\d{5}(?:-\d{4})?\b|"
    + _UK_POSTCODE
    + r"|"
    + _CA_POSTCODE
    + r")|"
    + _UK_POSTCODE
    + r"))?"
)
# The street line proper; a unit and a postcode with its city may follow (`_EXTENSION`). Each
# form is its own pattern: together, with every Unicode class, they outgrow RE2's DFA budget.
_FORMS = (
    _NUMBER + r",?\s+" + _NAME + r"\s+" + _EN_TYPE,  # 742 Evergreen Terrace
    # 12 rue du Pont Simon: number first only with types that are no English word
    _NUMBER + r",?\s+" + _PREFIX_TYPE_ANY_CASE + r"\s+" + _PREFIXED_NAME,
    # Rue du Pont Simon 172, Calle Mayor 14, ul. Marszałkowska 10/12
    _PREFIX_TYPE + r"\s+" + _PREFIXED_NAME + r",?\s+(?:n[º°o]\.?\s*)?" + _NUMBER,
    # Carrera 7 # 71-21
    _PREFIX_TYPE
    + r"\s+\d{1,3}[A-Za-z]?\s*(?:#|No\.?|N[º°o]\.?)\s*\d{1,3}[A-Za-z]?(?:\s?-\s?\d{1,3})?",
    r"\p{Lu}\p{Ll}{3,}" + _GLUED_TYPE + r",?\s+" + _NUMBER,  # Kantstrasse 40
    # Berliner Straße 12, Kaiser-Wilhelm-Ring 5
    _WORD + r"(?:[\s\-]+" + _WORD + r"){0,2}[\s\-]+" + _OWN_WORD_TYPE + r",?\s+" + _NUMBER,
)
_EXTENSION = re2.compile(r"(?:" + _UNIT + r")?" + _TAIL)
_PO_BOX = (
    r"(?i:\bp\.?\s?o\.?\s?box|\bpost\s+office\s+box|\bpostfach|\bbo[iî]te\s+postale|"
    r"\bcaixa\s+postal|\bapartado(?:\s+de\s+correos)?|\bcasilla(?:\s+de\s+correos?)?|"
    r"\bskrytka\s+pocztowa)\s*(?:n[º°o]\.?\s*)?#?\s*\d{1,7}"
)


def _compiled(pattern: str) -> re2._Regexp:
    options = re2.Options()
    options.max_mem = 32 << 20
    return re2.compile(pattern, options)


_STREETS = tuple(_compiled(r"\b(?:" + form + r")") for form in _FORMS)
_PO_BOXES = _compiled(_PO_BOX)

# The prefilter: a street-type word or a PO box word. Only values holding one (and a digit and
# a space) are read with the grammar above.
_SIGNS = sign_set(
    (
        r"(?i)(?:stra(?:ss|ß)e|str\.|weg\b|allee|platz|gasse|damm|ufer|chaussee|steig|pfad|"
        r"straat|laan\b|plein|gracht|singel|dijk|gata|gatan|v[äa]gen|vej\b|vegen|veien|gade\b|"
        r"katu|\bring\b|\bkade\b)",
        r"(?i)\b(?:street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|"
        r"place|pl|terrace|ter|way|square|sq|parkway|pkwy|circle|cir|highway|hwy|close|crescent|"
        r"cres|row|trail|trl|alley|plaza|grove|mews)\b",
        r"(?i)\b(?:rue|bd|bld|chemin|all[ée]e|impasse|quai|calle|c/|avenida|avda|rua|r\.|"
        r"travessa|tv\.|pra[çc]a|estrada|carrera|cra|kra|carretera|paseo|camino|via|viale|"
        r"piazza|piazzale|vicolo|ul|ulica|aleja|al|strada|rambla|r[úu]a|rruga|diagonal|"
        r"transversal|corso|largo|route|cours|passage|jir[oó]n|alameda)\b",
        r"(?i)(?:p\.?\s?o\.?\s?box|office\s+box|postfach|postale|caixa\s+postal|apartado|"
        r"casilla|skrytka)",
    )
)


class AddressDetector:
    """Street lines and PO boxes in any string, by grammar."""

    name = "addresses"
    entities = frozenset(("LOCATION",))
    scores = {"LOCATION": (0.8,)}

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if len(text) < 6 or not _has_digit_and_space(text):
            return []
        safe = re2_safe(text)
        if not _SIGNS.Match(safe):
            return []
        found = []
        for street in _STREETS:
            for m in street.finditer(safe):
                end = m.end()
                end += _extension(safe, end)
                found.append(Finding("LOCATION", m.start(), end, 0.8, self.name))
        for m in _PO_BOXES.finditer(safe):
            end = m.end() + _extension(safe, m.end())
            found.append(Finding("LOCATION", m.start(), end, 0.8, self.name))
        # One form may read part of another's match (a postcode as a house number): keep the
        # widest.
        found.sort(key=lambda f: (f.start, -f.end))
        kept: list[Finding] = []
        for f in found:
            if not kept or f.end > kept[-1].end:
                kept.append(f)
        return kept


def _extension(text: str, end: int) -> int:
    """How far a unit and a postcode with its city extend a street line ending at `end`. RE2
    reads a bounded slice: given a position, its wrapper counts bytes from the text's start."""
    m = _EXTENSION.match(text[end : end + 160])
    return 0 if m is None else m.end()


def _has_digit_and_space(text: str) -> bool:
    return (" " in text or "\n" in text or "\t" in text) and any(c.isdigit() for c in text)
