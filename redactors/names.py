"""People's names that the words around them give away, where the small NER model misses them.

Message text names people in a few regular places: after a label (`Name:`, `Attendees: Ana
Souza, Li Wei and Tom Hardy`), after a greeting (`Hi Maria,`) or before a line-ending signature
(`Best,\nJohn`, `— Sam Patel`, `Cheers, priya`), after a title (`Dr. Okonkwo`), as an e-mail's
display name (`Jane Doe <jd@...>`), and after verbs and relations that take a person (`call john
smith`, `ask for maria`, `a tribute to X`, `my friend X`). A name found once is a name wherever
else its words occur in the same text, in any case.

Every cue is a word in an RE2 set: a value holding none of them costs one scan.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator

import re2

from datamin import quiet_re2
from datamin.redactors._name_cues import (
    ADDED,
    ASKED,
    CJK,
    CJK_NAME,
    DASH,
    DISPLAY,
    DWELLS,
    FULL,
    GREETING,
    HEADING,
    INTRO,
    KIN,
    LABEL,
    LIST_TAIL,
    PATTERNS,
    SEP,
    SIGNOFF,
    SIGNOFF_AT,
    SIGNS,
    SPEAKER,
    SUBJECT,
    VERB,
    VERB_LOW,
    VOCATIVE,
)
from datamin.redactors._name_words import (
    CONJUNCTIONS,
    DETERMINERS,
    NAME_PARTICLES,
    NAME_STOP_WORDS,
    NOT_NAME_ENDINGS,
    NOT_NAME_WORDS,
    THING_HEADS,
)
from datamin.redactors._stop_words import STOP_WORDS
from datamin.redactors._validators import re2_safe, sign_set
from datamin.redactors.code_shapes import code_like_at
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.findings import Finding
from datamin.redactors.registry import DetectorSettings

# Lower-case names are read only after an action verb used as one: at a sentence's start or
# after a subject, modal or `please` (`could you text sergio`, `we asked for pedro`), never
# after an article (`the text field`, `an email sent`).
_VERB_USE = frozenset(
    "please pls you i we they he she to will ll can could would should must and then just also "
    "did do don't didn't".split()
)
# Python's `re` on at most 40 characters before a verb: the word before it, if any.
_WORD_BEFORE = re.compile(r"([\w']+)\W*$")


def phrase_word(word: str) -> bool:
    """A word, as written, that makes capitalized words a phrase rather than a full name: a
    stop word (`My Device`, `The One Ring`), unless a surname's particle (`van`) or a stop
    word that is also a name, capitalized (`Julia May`, `Will Smith`)."""
    return word.lower() in STOP_WORDS and word not in NAME_PARTICLES and word not in NAME_STOP_WORDS


def _compiled(pattern: str) -> re2._Regexp:
    options = quiet_re2.options()
    options.max_mem = 32 << 20
    return quiet_re2.Lazy(pattern, options)  # type: ignore[return-value]


_FINDERS = {cue: _compiled(p) for cue, p in PATTERNS.items()}
_FINDERS[CJK] = CJK_NAME
_SIGN_SET = sign_set(SIGNS[cue] for cue in range(len(SIGNS)))
_LIST_SEP = _compiled(SEP)
_MAX_NAME_WORDS = 64
_SHORT_TEXT = 4096
# Python's `re` for texts up to `_SHORT_TEXT`: RE2's wrapper costs microseconds per match.
_SHORT_WORD = re.compile(r"[^\W_]+")
_TEXT_WORD = quiet_re2.compile(r"[\p{L}\p{M}\p{N}]+")
_LIST = _compiled(FULL + LIST_TAIL + r"+")


class NameCueDetector:
    """Names after labels, greetings, titles and person-taking verbs, before signatures."""

    name = "names"
    entities = frozenset(("PERSON",))
    scores = {"PERSON": (0.7, 0.8)}

    # Methods, statuses, sizes, timings: no one's name or door.
    skips = frozenset((FieldKind.META,))

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if len(text) < 4:
            return []
        safe = re2_safe(text)
        cues = _SIGN_SET.Match(safe)
        if not cues:
            return []
        spans: dict[tuple[int, int], float] = {}
        for cue in cues:
            for start, end, score in _names(cue, safe):
                if safe.endswith(_POSSESSIVE, start, end) and end - start > 2:
                    end -= 2  # `Dr. Patel's office`: the name is `Patel`
                if spans.get((start, end), 0.0) < score:
                    spans[(start, end)] = score
        if not spans:
            return []
        for start, end in elsewhere(safe, list(spans)):
            spans.setdefault((start, end), 0.7)
        return [
            Finding("PERSON", with_title(text, s), e, score, self.name)
            for (s, e), score in spans.items()
        ]


_POSSESSIVE = ("'s", "\u2019s")
# A title before a name, in any case, with or without its dot.
_TITLE_BEFORE = re.compile(
    r"\b(?i:mr|mrs|ms|mx|miss|dr|prof|herr|frau|mme|mlle|sra|srta)\.?[ \t]+$"
)


def with_title(text: str, start: int) -> int:
    """Where a name starting at `start` starts with the title before it (`Mr. Ford`, `dr.
    hurst`): a title says a person's gender, and with the name gone it names no one else."""
    m = _TITLE_BEFORE.search(text, max(0, start - 8), start)
    return m.start() if m else start


def _names(cue: int, text: str) -> Iterator[tuple[int, int, float]]:
    """(start, end, score) of the names one cue introduces in `text`."""
    for m in _FINDERS[cue].finditer(text):
        start, end = m.start(1), m.end(1)
        if cue != CJK and code_like_at(text, start, end):
            continue  # (Japanese prose has no spaces to cut a code token out of)
        if cue != CJK and text[start:end].isupper() and not _has_lower(text):
            continue  # a name's shape in capitals, where the whole text is in capitals
        if (
            cue == VERB
            and " " not in text[start:end]
            and _title_case(text[m.start() : start])
            and not _goes_on_in_lower_case(text, end)
        ):
            continue  # Title Case UI text: `Call Stack`, `Ask Question`, `Contact Sales`
        if cue == DASH and text[start].islower() and "-" in text[m.start() : start]:
            continue  # `thanks - sam`: a lower-case word after a hyphen is too weak
        if cue == SUBJECT:
            kept = list(_kept(text, start, end, 0.8))
            first = text[start:end].split(None, 1)[0].lower()
            # Every word a name's (not `Release Notes said`), and no article (`Die Kundin`).
            if kept and kept[0][1] == end and first not in DETERMINERS:
                yield from kept
        elif cue == CJK:
            yield start, end, 0.8
        elif cue == INTRO:
            yield from _kept_lower(text, start, end)  # capitalized, `VERB` reads it
        elif cue == ADDED:
            if text[start].islower():
                yield from _kept_lower(text, start, end)
            else:
                yield from _kept(text, start, end, 0.8)
        elif cue in (VOCATIVE, HEADING, ASKED, SPEAKER):
            words = text[start:end].lower().split()
            if cue == HEADING and _heading_words(words):
                continue  # a section's or a company's heading, in any case
            if text[start].islower():
                yield from _kept_lower(text, start, end)  # only a heading's can be
                continue
            kept = list(_kept(text, start, end, 0.8))
            # Every word a name's (`Order Summary` heads no contact block), no article, and no
            # interjection addressed (`Sorry, can I`).
            if kept and kept[0][1] == end and words[0] not in DETERMINERS | _INTERJECTIONS:
                yield from kept
        elif cue in (DWELLS, KIN):
            if cue == KIN and not _a_possessors_name(text, start, end):
                continue
            kept = list(_kept(text, start, end, 0.8))
            if kept and kept[0][1] == end and text[start:end].split()[0].lower() not in DETERMINERS:
                yield from kept  # every word a name's: not `The office lives at`
        elif cue == LABEL:
            for item_start, item_end in _items(text, start, end):
                yield from _kept_either(text, item_start, item_end, 0.8)
        elif text[start].islower():
            if cue != VERB_LOW or (
                _used_as_verb(text, m.start()) and SIGNOFF_AT.match(text, m.start()) is None
            ):  # `Met vriendelijke groet`: a Dutch sign-off, nobody met
                yield from _kept_lower(text, start, end)
        else:
            # Where a greeting, a sign-off or a mailbox puts a name, its first word may be a
            # given name that is a common word too (`An Lenaerts`, `Will Smith`).
            yield from _kept(text, start, end, 0.8, listed=cue in (GREETING, SIGNOFF, DISPLAY))


_OBJECT_CLAUSE = frozenset(
    "the a an to that about we i you he she they it if when what where why how our my your "
    "his her their this".split()
)
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")


def _has_lower(text: str) -> bool:
    return any(c.islower() for c in text)


def _goes_on_in_lower_case(text: str, end: int) -> bool:
    """A sentence, not a button's text, goes on after a verb's object with what a person's
    message does (`Tell Hope the order shipped`, `Ask Joy to send it`; not `Call Stack`,
    `Call Stack depth exceeded`, `Contact Sales`)."""
    m = _NEXT_WORD.match(text, end)
    return m is not None and m.group(1) in _OBJECT_CLAUSE


_INITIAL = re.compile(r"[^\W\d_]\.?")
# Words before a possessor that make it a role or a thing: `the`, `our`, `each` (`the Patient's
# wife`).
_POSSESSORS_DETERMINED = frozenset(
    "the a an this that these those our your my his her their its each every any no".split()
)
# Words that open a request as a name would (`Sorry, can I ...`, `Thanks, could you ...`).
_INTERJECTIONS = frozenset(
    "sorry thanks thank hello hi hey okay ok yes yeah yep no nope sure great cool fine right "
    "excuse pardon dear oh ah well please alright".split()
)


def _a_possessors_name(text: str, start: int, end: int) -> bool:
    """Whether the capitalized words before `'s daughter` are a name: not after a determiner
    (`the Patient's wife`), and one word only inside a sentence, where a capital says a proper
    noun (`I'm Amanda's daughter`), not at its start, where any word has one (`Note: Doctor's
    son`)."""
    before = _WORD_BEFORE.search(text, max(0, start - 12), start)
    if before is not None and before.group(1).lower() in _POSSESSORS_DETERMINED:
        return False
    if " " in text[start:end].strip():
        return True
    lead = text[max(0, start - 12) : start].rstrip(" \t")
    return bool(lead) and lead[-1].isalpha()


def _heading_words(words: list[str]) -> bool:
    """A section's or a company's heading: a word of an abstract noun's ending (`Acme
    Corporation`), or a gerund first (`Getting Started`; a surname may end so: `Fleming`)."""
    first = words[0]
    return any(w.endswith(NOT_NAME_ENDINGS) for w in words) or (
        len(first) > 6 and first.endswith("ing")
    )


def _title_case(words: str) -> bool:
    """Every word capitalized: a button's or a heading's text (`Contact Sales`), where `My name
    is Rubija` is a sentence."""
    return all(w[0].isupper() for w in words.split() if w[0].isalpha())


def _used_as_verb(text: str, start: int) -> bool:
    """The word at `start` is a verb by what precedes it: the text's or a clause's start, or a
    subject, modal or `please` (`could you text`, `we asked`); not an article (`the text`)."""
    before = text[max(0, start - 40) : start]
    if not before.strip() or before.rstrip()[-1] in ".!?;,:\n":
        return True
    m = _WORD_BEFORE.search(before)
    if m is None:
        return False
    word = m.group(1).lower()
    return word in _VERB_USE or word.rsplit("'", 1)[-1] in _VERB_USE  # `you'll`


def _items(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The items of a list at `text[start:end]`, between its separators. RE2 is given the
    slice, not a position: its wrapper turns a position into bytes from the text's start."""
    piece = text[start:end]
    at = 0
    for sep in _LIST_SEP.finditer(piece):
        if sep.start() > at:
            yield start + at, start + sep.start()
        at = sep.end()
    if at < len(piece):
        yield start + at, end


def _kept_either(
    text: str, start: int, end: int, score: float, *, sibling: bool = False
) -> Iterator[tuple[int, int, float]]:
    """`sibling`: an item of a list that holds a name NER found."""
    if text[start].islower():
        # A lower-case item ends the list or is followed by its punctuation: `... and caroline
        # wallace; next call`, not `...; nächster Termin`.
        after = text[end : end + 3].lstrip(" \t")
        before = text[max(0, start - 8) : start].rstrip()
        joined = before.endswith(",") or before.rsplit(" ", 1)[-1] in CONJUNCTIONS
        if joined and (not after or not after[0].isalnum()):
            yield from _kept_lower(text, start, end, listed=True)
    else:
        yield from _kept(text, start, end, score, listed=sibling)


def _kept(
    text: str, start: int, end: int, score: float, *, listed: bool = False
) -> Iterator[tuple[int, int, float]]:
    """The name's words up to the first that is no name (`Support`, `The`), if any remain.
    `listed`: an item coordinated with a name, whose first word may be a short given name that
    is a common word too (`An Colman`, Flemish), when every word after it is a name's."""
    words = list(_words(text, start, end))
    if listed and len(words) > 1 and text[words[0][0] : words[0][1]].lower() in STOP_WORDS:
        rest = [text[s:e].lower() for s, e in words[1:]]
        if not any(
            w in NOT_NAME_WORDS or w in STOP_WORDS or w.endswith(NOT_NAME_ENDINGS) for w in rest
        ):
            yield start, words[-1][1], score
            return
    stop = start
    for i, (word_start, word_end) in enumerate(words):
        word = text[word_start:word_end].lower().removesuffix("'s").removesuffix("\u2019s")
        if 0 < i < len(words) - 1 and _INITIAL.fullmatch(text[word_start:word_end]):
            continue  # a middle initial (`Juliusz A Kwiatkowski`): kept with the name after it
        if word in NOT_NAME_WORDS or word in STOP_WORDS:
            break
        stop = word_end
    if stop > start:
        yield start, stop, score


def _kept_lower(
    text: str, start: int, end: int, *, listed: bool = False
) -> Iterator[tuple[int, int, float]]:
    """The lower-case name's words up to the first no name holds. `listed`: an item of a list
    of names, where a surname's particles (`lívia da cruz`), a two-letter word (`maria isis
    sá`) and a first name ending like an abstract noun (`clémence bazin`, `florence li`) are
    a name's too."""
    stop = start
    words = list(_words(text, start, end))
    for i, (word_start, word_end) in enumerate(words):
        word = text[word_start:word_end]
        if listed and 0 < i < len(words) - 1 and word in NAME_PARTICLES:
            continue  # kept only with the surname after it
        ending = word.endswith(NOT_NAME_ENDINGS) and not (
            listed and len(words) > 1 and word.endswith(("ance", "ence"))
        )
        if (
            word in STOP_WORDS
            or word in NOT_NAME_WORDS
            or len(word) < (2 if listed and i else 3)
            or ending
            or (len(word) >= 6 and word.endswith("ing"))
        ):
            break
        stop = word_end
    if stop > start:
        yield start, stop, 0.7


def _words(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    i = start
    while i < end:
        while i < end and text[i].isspace():
            i += 1
        j = i
        while j < end and not text[j].isspace():
            j += 1
        if j > i:
            yield i, j
        i = j


def only_common_words(span: str) -> bool:
    """A span NER calls a person or place made only of common words (`the Help Desk`,
    `Support Team`): a department, not a name."""
    words = [w.lower() for w in span.split() if w.lower() not in ("the", "a", "our", "your")]
    return bool(words) and all(w in NOT_NAME_WORDS or w in STOP_WORDS for w in words)


def labels_a_thing(span: str) -> bool:
    """A span NER calls a person whose last word is a label's noun (`Default Fifo Workflow`,
    `Delivery Webhook`, `Customer Profile`): an English noun phrase ends in its head, and a
    workflow, a webhook or a profile is nobody (`THING_HEADS` says which nouns; surnames that
    are common nouns, `Rose Baker`, `Ana Test`, are not among them)."""
    words = span.split()
    if len(words) < 2:
        return False
    head = words[-1].strip(".,;:()\"'").lower()
    return head in THING_HEADS


def list_siblings(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The other items of a list that holds a name (`Ana Souza, Li Wei and Tom Hardy`): items
    of the same shape as a name, coordinated with it, are names too."""
    found = []
    for m in _LIST.finditer(text):
        if not any(m.start() < e and s < m.end() for s, e in spans):
            continue
        for item_start, item_end in _items(text, m.start(), m.end()):
            if code_like_at(text, item_start, item_end):
                continue
            for start, end, _ in _kept_either(text, item_start, item_end, 0.7, sibling=True):
                if not any(s <= start and end <= e for s, e in spans):
                    found.append((start, end))
    return found


def elsewhere(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Other occurrences, in any case, of the words of names found: `Aiko` once named `Ms. Aiko
    Tanaka` is a name when alone, and so is `aiko`. One RE2 pass over the text, for up to
    `_MAX_NAME_WORDS` words (more names than that in one value are found by their cues)."""
    words: set[str] = set()
    for start, end in spans:
        for m in _TEXT_WORD.finditer(text[start:end]):
            word = m.group().lower()
            if len(word) >= 3 and word not in STOP_WORDS and word not in NOT_NAME_WORDS:
                words.add(word)
    if not words:
        return []
    inside = sorted(spans)
    starts = [s for s, _ in inside]
    found = []
    for start, end in _occurrences(text, words):
        i = bisect_right(starts, start) - 1
        if i < 0 or inside[i][1] < end:
            found.append((start, end))
    return found


def _occurrences(text: str, words: set[str]) -> Iterator[tuple[int, int]]:
    """Spans of `words` (lower case) as whole words of `text`, in any case."""
    if len(text) <= _SHORT_TEXT:
        # A message: walking its words costs less than compiling a pattern for them.
        for m in _SHORT_WORD.finditer(text):
            if m.group().lower() in words:
                yield m.start(), m.end()
        return
    # Longest first, so `anabel` is tried before `ana`.
    chosen = sorted(words, key=lambda w: (-len(w), w))[:_MAX_NAME_WORDS]
    pattern = _compiled(
        r"(?i)(?:^|[^\p{L}\p{M}\p{N}])(" + "|".join(re2.escape(w) for w in chosen) + r")"
    )
    # The word's end is checked here, not matched: adjacent occurrences share the character
    # between them, and a pattern that consumed it would skip every second one.
    for m in pattern.finditer(text):
        start, end = m.start(1), m.end(1)
        if end < len(text) and (text[end].isalnum() or unicodedata.category(text[end])[0] == "M"):
            continue
        yield start, end
