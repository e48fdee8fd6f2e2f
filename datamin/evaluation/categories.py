"""The categories issue 11's targets are stated in, by where a value sits and what it is.

A planted value's placement is the prefix of its `where` ("named:billing_details.email"): a
field whose own name says what it holds (`named`), a field with a neutral name or the value of a
name/value pair (`neutral`), message prose (`text`) or log and CI text (`log`). The generator's
records (`datamin.sample`) carry bare paths: a message `body` or delivery instructions are
text, anything else a named field. Rates count distinct planted values, and every value of the
public corpora is planted once, so there they are rates by occurrence.
"""

from __future__ import annotations

from collections.abc import Callable

from datamin.evaluation.corpus import PLAIN, Label
from datamin.evaluation.values import IDS_DATES, LOG, NAMED, NEUTRAL, TEXT
from datamin.redactors.entities import ENTITIES, Category
from datamin.sample import Lookalike

PLACEMENTS = (NAMED, NEUTRAL, TEXT, LOG)
_TEXT_PATHS = ("body", "delivery_instructions")


def placement(where: str) -> str:
    head, sep, _ = where.partition(":")
    if sep and head in PLACEMENTS:
        return head
    return TEXT if where.rsplit(".", 1)[-1] in _TEXT_PATHS else NAMED


def _is(label: Label, categories: tuple[Category, ...], placements: tuple[str, ...]) -> bool:
    return (
        label.form == PLAIN
        and ENTITIES.get(label.entity) in categories
        and placement(label.where) in placements
    )


_ID, _CRED = (Category.IDENTIFIER,), (Category.CREDENTIAL,)
_NAMES = (Category.PERSON, Category.LOCATION)
_STRUCTURED, _FREE = (NAMED, NEUTRAL), (TEXT, LOG)

# name -> (which planted values, the highest leak rate the issue accepts)
LEAKS: dict[str, tuple[Callable[[Label], bool], float]] = {
    "identifiers, structured": (lambda p: _is(p, _ID, _STRUCTURED), 0.005),
    "identifiers, free text": (lambda p: _is(p, _ID, _FREE), 0.05),
    "credentials, any place": (lambda p: _is(p, _CRED, PLACEMENTS), 0.05),
    "  in a named field": (lambda p: _is(p, _CRED, (NAMED,)), 0.05),
    "  in a neutral field": (lambda p: _is(p, _CRED, (NEUTRAL,)), 0.05),
    "  in log/free text": (lambda p: _is(p, _CRED, _FREE), 0.05),
    "names+addresses, structured": (lambda p: _is(p, _NAMES, _STRUCTURED), 0.05),
    "names+addresses, free text": (lambda p: _is(p, _NAMES, _FREE), 0.25),
}
# name -> (which look-alikes, the lowest survival rate the issue accepts)
SURVIVALS: dict[str, tuple[Callable[[Lookalike], bool], float]] = {
    "look-alikes, neutral+text": (
        lambda h: h.kind not in IDS_DATES and placement(h.where) in (NEUTRAL, TEXT, LOG),
        0.90,
    ),
    "ids/dates/statuses/URLs": (lambda h: h.kind in IDS_DATES, 0.99),
}


def leak_categories(label: Label) -> list[str]:
    return [name for name, (test, _) in LEAKS.items() if test(label)]


def survival_categories(look: Lookalike) -> list[str]:
    return [name for name, (test, _) in SURVIVALS.items() if test(look)]
