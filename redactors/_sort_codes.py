"""A British bank account beside its sort code (`datamin.redactors.national_ids`): `sort code
20-00-00 acc 55779911`, `55779911 / 20-00-00`, its pairs joined by dashes (in spaces
they are as often a phone's). The account is eight digits (seven to ten in
older schemes), any run of digits alone; a sort code written in its pairs within the same
clause says the digits are the account it belongs to, whatever word (`acc`, `a/c`, `acct no`)
or none stands between.
"""

from __future__ import annotations

from datamin import quiet_re2

_SORT_CODE = r"\d{2}[\-\x{2013}]\d{2}[\-\x{2013}]\d{2}"
# Between them, on their line: up to four of an account's or a sort code's words, signs.
_WORDS = r"(?i:acc|account|acct|a/c|ac|no|nr|num|number|and|sort|code|sc|s/c|with|the|is)"
_BETWEEN = r"[ \t,:;/#()&.\-]*(?:" + _WORDS + r"\.?[ \t,:;/#()&\-]*){0,4}"
_ACCOUNT = r"\d{7,10}"
_BESIDE = quiet_re2.compile(
    r"(?:^|[^\p{N}\-])(?:"
    + _SORT_CODE
    + _BETWEEN
    + r"("
    + _ACCOUNT
    + r")|("
    + _ACCOUNT
    + r")"
    + _BETWEEN
    + _SORT_CODE
    + r")(?:$|[^\p{N}\-])"
)
SIGN = quiet_re2.compile(r"\d\d[\-\x{2013}]\d\d[\-\x{2013}]\d\d")


def accounts_beside_sort_codes(text: str) -> list[tuple[int, int]]:
    """The spans of account numbers written beside a sort code in `text`."""
    if SIGN.search(text) is None:
        return []
    spans = []
    for m in _BESIDE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        spans.append(m.span(group))
    return spans
