"""Code inside text: identifiers and operators are never a person's name or a place.

Messages, tickets and logs quote code (`- (NSInteger)sumOfValuesInRange:`, `Foo::Bar`,
`getUserName()`); the small NER model and name cues both read capitalized words there. A span is
code when its whitespace-delimited token is: the judgement is structural, no word list.
"""

from __future__ import annotations

import re


def code_like_at(text: str, start: int, end: int) -> bool:
    """`text[start:end]` is part of code, not prose: its whitespace-delimited token joins word
    characters with code punctuation (`(NSInteger)sumOf`, `Foo::Bar`, `obj->Street`,
    `items[Main]`, `foo.Bar`, `user_name`, `x=Paris`), ends in a call (`open()`), or is a
    camelCase identifier (`sumOfValuesInRange`, `NSInteger`). Names keep `-` and `'`
    (`Jean-Luc`, `O'Brien`) and two humps (`McDonald`, `DeShawn`)."""
    low, high = max(0, start - 100), min(len(text), end + 100)
    while start > low and not text[start - 1].isspace():
        start -= 1
    while end < high and not text[end].isspace():
        end += 1
    token = text[start:end]
    if "()" in token or "::" in token or "->" in token or "=>" in token:
        return True
    for i in range(1, len(token) - 1):
        c = token[i]
        if c in _CODE_JOINERS and token[i - 1].isalnum() and token[i + 1].isalnum():
            if c == "." and not (token[i - 1].islower() and token[i + 1].isalpha()):
                continue  # initials (`J.R.R.`), decimals and abbreviations are prose
            return True
    return any(_camel_case(word) for word in _WORD_RUN.findall(token))


_CODE_JOINERS = frozenset("()[]{}<>._=:/\\|*&$@#")
# Tokens are bounded (200 characters around a span), so Python's `re` is safe and cheaper here.
_WORD_RUN = re.compile(r"[A-Za-z0-9]+")


def _camel_case(word: str) -> bool:
    """lowerCamel (`sumOfValues`), three or more humps (`PaymentServiceImpl`), or capitals
    running into a capitalized word (`NSInteger`, `HTTPServer`)."""
    if len(word) < 4:
        return False
    inner_upper = sum(1 for c in word[1:] if c.isupper())
    if word[0].islower():
        return inner_upper > 0
    if inner_upper >= 2 and any(c.islower() for c in word):
        humps = sum(1 for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower())
        leading_caps = word[1].isupper()
        return humps >= 2 or leading_caps
    return False
