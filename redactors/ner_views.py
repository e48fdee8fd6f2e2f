"""What NER reads of a value, and whether it reads it at all: the cheap gate before the model
(two words, one capitalized), code's string literals, a URL's query values of more than one
word. Views keep offsets, or carry the mapping of their spans back to the value as written."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from datamin import quiet_re2

Span = Callable[[int, int], tuple[int, int]]

# Two words, one of them capitalized: the least a name in a sentence looks like, in any script's
# letters (`Stefanía K. Oddgeirsdóttir will be talking` has no capitalized ASCII word followed
# by a space, and NER finds the name).
# RE2: with Python's `re` a 20,000-letter run without a space took 8 s (quadratic backtracking).
_PROSE = quiet_re2.compile(
    r"\p{L}{2,}[\s,;:]+\S*\p{Lu}\p{Ll}+|\p{Lu}[\p{Ll}\p{M}]+[\s,;:]+\p{L}{2,}"
)
# spaCy's tokenizer is quadratic in a run without spaces (10,000 `(` took 15 s). No name is
# read inside such a run, so NER sees spaces there instead: the same length, the same offsets.
_LONG_RUN = re.compile(r"\S{100,}")
_LITERAL = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`""")
_QUERY_VALUE = re.compile(r"(?<==)[^&#]+")
_SEGMENT = re.compile(r"[^/?#]+")
_SPACED = re.compile(r"[+ ]|%20")  # a query value of more than one word has one
# Markup's tags and comments (the small model reads `<div class="name">Ana Souza</div>` as no
# name at all), and the tags that end a block of text. A tag's name ends at a blank, `/` or
# `>`: an address in angle brackets (`John Smith <john@acme.com>`) is no tag.
_MARKUP = re.compile(r"<!--(?:[^-]|-(?!->))*-->|<[!/?]?[A-Za-z][\w:\-]*(?:[\s/][^<>]{0,2000})?>")
_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|td|th|tr|table|br|hr|title|section|article|header|footer|"
    r"form|label|option|button|body|html|head)\b",
    re.IGNORECASE,
)


def reads_as_prose(text: str) -> bool:
    """Two words, one of them capitalized, somewhere in `text` (or in it as NER reads it, its
    words in capitals in a name's case)."""
    if _PROSE.search(text) is not None:
        return True
    return (
        _CAPITALS_RUN.search(text) is not None and _PROSE.search(_titled_capitals(text)) is not None
    )


# A User-Agent (RFC 9110 10.1.5): products with their versions and comments in parentheses
# (`Mozilla/5.0 (Macintosh; ...) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15`),
# the product first; a lone word among them only as browsers write one (`Mobile`).
_PRODUCT = r"[A-Za-z][\w.!#$%&'*+^|~\-]*"
_USER_AGENT = quiet_re2.compile(
    _PRODUCT + r"/[\w.+\-]+(?:\s+(?:\([^()]{0,300}\)|" + _PRODUCT + r"(?:/[\w.+\-]+)?))*"
)
_VERSIONED = re.compile(r"(?:^|\s)[A-Za-z][^\s/()]*/[\w.+\-]+")
_UNVERSIONED = re.compile(r"(?:^|\s)[A-Za-z][^\s/()]*(?=\s|$)")


def is_user_agent(text: str) -> bool:
    """Whether a value is a User-Agent string: two products with versions at least and one word
    without at most, outside its comments. What NER finds there is the grammar's (`like Gecko`
    as a place), and the ids and tokens an app writes into one are the other families'."""
    text = text.strip()
    if len(text) > 1000 or _USER_AGENT.fullmatch(text) is None:
        return False
    outside = re.sub(r"\([^()]*\)", " ", text)
    return len(_VERSIONED.findall(outside)) >= 2 and len(_UNVERSIONED.findall(outside)) <= 1


def may_ask_in_words(url: str) -> bool:
    """A URL one of whose path's segments or query's values may be of more than one word (as
    written)."""
    query = url.find("?")
    path = url if query < 0 else url[:query]
    return "%20" in path or " " in path or (query >= 0 and _SPACED.search(url, query) is not None)


def ner_view(text: str, code: bool) -> str:
    """What NER reads of a decoded text, at the same offsets: code's string literals only,
    markup's text without its tags (a page's scripts as code, its stylesheets not at all), and
    no run without spaces."""
    if "<" in text and ">" in text:
        text = _MARKUP.sub(_blank, _without_embedded(text))
    if code:
        text = _literals(text)
    text = _LONG_RUN.sub(lambda m: " " * len(m.group()), text)
    return _titled_capitals(text) if _CAPITALS_RUN.search(text) else text


# Two to four words in capitals (`PRIYA RAMANATHAN`, `MARGARET O'SULLIVAN`): the small model
# reads no name in capitals, and finds one once they are a name's case (`Priya Ramanathan`).
# RE2: with Python's `re`, `A-A-A-...` (40,000 characters) took 7 s, each `-` a new start.
_CAPITALS_RUN = quiet_re2.compile(r"\b[A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+){1,3}\b")


def _titled_capitals(text: str) -> str:
    """`text` with its runs of words in capitals in a name's case, at the same offsets; a text
    mostly in capitals (a shouted message, a heading, a constant) as it is."""
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) * 2 > len(letters):
        return text
    return _CAPITALS_RUN.sub(lambda m: m.group().title(), text)


def _literals(code: str) -> str:
    """Code's string literals where they are, spaces elsewhere; not the type a `typeof` is
    compared with (`"string"==typeof t`: the small model took `string` for a person)."""
    literals = [" "] * len(code)
    for m in _LITERAL.finditer(code):
        start, end = m.span()
        if not (
            _TYPEOF_AFTER.match(code, end) or _TYPEOF_BEFORE.search(code, max(0, start - 60), start)
        ):
            literals[start:end] = m.group()
    return "".join(literals)


_TYPEOF_AFTER = re.compile(r"\s*[!=]==?\s*typeof\b")
_TYPEOF_BEFORE = re.compile(r"\btypeof\s*\(?[\w$.\[\]]+\)?\s*[!=]==?\s*$")


# A page's own script and stylesheet: `"string"==typeof t` and `font-family: Roboto, Arial`
# are no sentence (the small model took `String` and `Arial` for people, `Roboto` for a place).
_EMBEDDED_OPEN = re.compile(r"<(script|style)\b[^<>]{0,2000}>", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script", re.IGNORECASE)
_STYLE_CLOSE = re.compile(r"</style", re.IGNORECASE)


def _without_embedded(text: str) -> str:
    """`text` with each script element's body as its literals and each style element's as
    spaces. One pass: an element with no end tag, and all after it, is left as written."""
    out, at = [], 0
    for m in _EMBEDDED_OPEN.finditer(text):
        if m.start() < at:
            continue  # inside the body of an element already read
        script = m.group(1).lower() == "script"
        close = (_SCRIPT_CLOSE if script else _STYLE_CLOSE).search(text, m.end())
        if close is None:
            break
        if script and not _is_code(m.group()):
            continue  # a template's body (`type="text/template"`) is markup: read as such
        body = text[m.end() : close.start()]
        out += [text[at : m.end()], _literals(body) if script else " " * len(body)]
        at = close.start()
    return "".join(out) + text[at:] if out else text


def _is_code(open_tag: str) -> bool:
    """A script element that holds code or data: no type, a JavaScript or JSON type, `module`."""
    typed = _TYPE.search(open_tag)
    if typed is None:
        return True
    kind = typed.group(1).lower()
    return kind == "module" or any(w in kind for w in ("javascript", "ecmascript", "json"))


_TYPE = re.compile(r"\btype\s*=\s*[\"']?([^\"'\s>]*)", re.IGNORECASE)


def _blank(m: re.Match[str]) -> str:
    """A tag as spaces; one that ends a block (`</h1>`, `<p>`, `<br>`) as a line's end first, so
    the text before and after it read apart (`<h1>Hello</h1><p>Ana Souza`)."""
    tag = m.group()
    return ("\n" if _BLOCK.match(tag) else " ") + " " * (len(tag) - 1)


def worded_parts(url: str, to_original: Span) -> tuple[str, Span]:
    """A decoded URL's path segments and query values of more than one word, a line each (what
    a person typed or named: `/exports/Maria Gonzalez/contacts.csv`, `?q=Ana Souza`; a token, an
    id or a format is one word), and the mapping of spans in those lines back to the URL as
    written, through `to_original` (a span stays within its line)."""
    query = url.find("?")
    starts: list[tuple[int, int]] = []  # (where a line starts, where its part starts in url)
    lines: list[str] = []
    at = 0
    for m in _parts(url, query):
        value = m.group()
        if " " in value.strip():
            starts.append((at, m.start()))
            lines.append(value)
            at += len(value) + 1

    def span(start: int, end: int) -> tuple[int, int]:
        i = bisect_right(starts, (start, len(url))) - 1
        line, begins = starts[i]
        end = min(end, line + len(lines[i]))
        return to_original(begins + start - line, begins + end - line)

    return "\n".join(lines), span


def _parts(url: str, query: int) -> list[re.Match[str]]:
    """The path's segments (after the scheme and host, when the URL has them) and the query's
    values."""
    path_end = len(url) if query < 0 else query
    scheme = url.find("://", 0, path_end)
    path_start = url.find("/", scheme + 3, path_end) if scheme >= 0 else 0
    found = [] if path_start < 0 else list(_SEGMENT.finditer(url, path_start, path_end))
    if query >= 0:
        found += _QUERY_VALUE.finditer(url, query + 1)
    return found
