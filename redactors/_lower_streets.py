"""A street line written in lower case (`742 evergreen terrace`, `1428 elm street, portland or
97205`), as people type one in a chat: a house number, up to three lower-case words and an
English street type ending its clause (`datamin.redactors.addresses`). The types are those
that name nothing else a sentence counts (`street`, `avenue`, `terrace`; not `view`, `way`,
`place`, `close`: `2 bugs in the main view`, `5 more to close`)."""

from __future__ import annotations

from datamin import quiet_re2
from datamin.redactors._name_words import NOT_NAME_WORDS
from datamin.redactors._stop_words import STOP_WORDS

_TYPES = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|terrace|ter|court|ct|"
    "crescent|parkway|pkwy|highway|hwy|circle|cir|trail|alley|square|sq|grove|mews"
)
_LOWER_STREET = quiet_re2.compile(
    r"(?:^|[^\p{L}\p{N}_#\-/.,])(\d{1,5}[a-z]?[ \t]+((?:\p{Ll}[\p{Ll}'\-]*[ \t]+){1,3})"
    r"(?:" + _TYPES + r")\.?)(?:$|[ \t]*[,;!?)\r\n]|\.(?:$|\s)|[ \t]+(?:apt|suite|unit|#))"
)


def lower_case_streets(text: str) -> list[tuple[int, int]]:
    """The spans of street lines written in lower case whose words are none of them a small
    word or a label's (`3 of the main st`, `2 user dr`)."""
    spans = []
    for m in _LOWER_STREET.finditer(text):
        words = m.group(2).split()
        if any(w in STOP_WORDS or w in NOT_NAME_WORDS for w in words):
            continue
        spans.append(m.span(1))
    return spans
