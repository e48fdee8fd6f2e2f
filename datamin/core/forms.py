"""Form-encoded bodies and query strings are structure: `customer[address][line1]=...`,
`items[0][sku]=...`, `tags[]=...` and `filter.status=...` become the paths
`customer.address.line1`, `items[0].sku`, `tags[0]` and `filter.status` under their prefix
(`request.form`, `request.query`), so the rules and detection that apply to JSON apply to them.

Keys that are not structure stay whole keys, escaped as any key with `.`, `[` or `]` is:
malformed brackets (`a[b`, `a]b[`, `a[b]c`), dots around anything but names (`ann.lee@x.com`,
`10.0.0.1`), bracket contents that are not names are one key each (`hosts[10.0.0.1]`), so a key
that is itself data is still judged whole. Repeated keys stay repeated fields, in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl

from datamin import quiet_re2
from datamin.core.pairs import PAIR_KEYS, pair_among
from datamin.errors import LimitExceeded
from datamin.policies.paths import join
from datamin.redactors.url_parts import OAUTH_CODE, oauth_code

# A whole form: `key=value` pairs joined by `&`, no whitespace, keys of name characters.
# Free text, URLs (`/`, `?`, `:`), cookies (`; `) and base64 (`abc==`, one pair) are not forms.
_FORM = quiet_re2.compile(r"[\w.\-\[\]%$]+=[^\s&]*(?:&[\w.\-\[\]%$]+=[^\s&]*)*")
# A key's base and its bracket groups: `a[b][]`. Anything else is a literal key.
_BRACKETS = quiet_re2.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])+)")
_GROUP = quiet_re2.compile(r"\[([^\[\]]*)\]")
# One key of a dotted name: a name, never digits alone (an IP), never a JWT's part (`eyJ...`).
_NAME = quiet_re2.compile(r"[A-Za-z_$][A-Za-z0-9_\-$]{0,31}")
_MAX_INDEX_DIGITS = 4  # `a[4111111111111111]` is a key (a card, judged as such), not a position


def looks_like_form(text: str) -> bool:
    """A string that is a whole form body: two pairs at least, or one with a bracket key
    (`customer[email]=...`, `customer%5Bemail%5D=...`), so `status=active` or `dGVzdA==`
    stay plain strings."""
    if "=" not in text or len(text) < 3:
        return False
    if "&" not in text:
        key = text.split("=", 1)[0]
        if "[" not in key and "%5b" not in key.lower():
            return False
    return _FORM.fullmatch(text) is not None


def looks_like_query(text: str) -> bool:
    """A URL's query with its `?` (`?q=Ann%20Lee`, `?ssn=...&name=...`), as loggers write a
    request's query string into a field of its own: one pair is enough."""
    return text.startswith("?") and "=" in text and _FORM.fullmatch(text[1:]) is not None


def parse_form(text: str) -> list[tuple[str, str]]:
    """`a=1&b=2` as decoded (name, value) pairs, `+` as space, blanks kept."""
    return parse_qsl(text, keep_blank_values=True)


def form_fields(
    prefix: str, params: list[tuple[str, str]], max_depth: int
) -> Iterator[tuple[str, str, str | None]]:
    """(path, value, label) for each parameter, in order. The label is the pair's name when
    the parameter is the value of a name/value pair (`Key=api_key&Value=...`,
    `s[0][name]=token&s[0][value]=...`)."""
    counters: dict[str, int] = {}
    placed = [_place(prefix, name, counters, max_depth) for name, _ in params]
    labels = _pair_labels(placed, params)
    if oauth_code(last.lower() for _, parent, last in placed if parent == prefix and last):
        labels.setdefault(join(prefix, "code"), OAUTH_CODE)  # an OAuth message's code
    for (path, _, _), (_, value) in zip(placed, params, strict=True):
        yield path, value, labels.get(path)


def _place(
    prefix: str, name: str, counters: dict[str, int], max_depth: int
) -> tuple[str, str, str | None]:
    """(path, parent path, last key or None for a position) of one parameter's name."""
    if "[" not in name and "." not in name:
        return join(prefix, name), prefix, name
    m = _BRACKETS.fullmatch(name)
    if m is None and ("[" in name or "]" in name):
        return join(prefix, name), prefix, name  # malformed brackets: one literal key
    base = name if m is None else m.group(1)
    dotted = base.split(".")
    keys: list[str | None]  # None: the next position (`[]`)
    if len(dotted) > 1 and all(_is_name(k) for k in dotted):
        keys = list(dotted)
    else:
        keys = [base]
    if m is not None:
        keys.extend(g or None for g in _GROUP.findall(m.group(2)))
    if len(keys) > max_depth:
        raise LimitExceeded("nested deeper than the limit")
    path = parent = prefix
    last: str | None = None
    for n, key in enumerate(keys):
        parent = path
        if key is None:
            i = counters.get(path, 0)
            counters[path] = i + 1
            path, last = f"{path}[{i}]", None
        elif n and _is_position(key):  # positions are brackets only: `0[a]` is key `0`
            i = int(key)
            counters[path] = max(counters.get(path, 0), i + 1)
            path, last = f"{path}[{i}]", None
        else:
            path, last = join(path, key), key
    return path, parent, last


def _is_name(key: str) -> bool:
    return _NAME.fullmatch(key) is not None and not key.startswith("eyJ")


def _is_position(key: str) -> bool:
    return (
        key.isascii()
        and key.isdigit()
        and len(key) <= _MAX_INDEX_DIGITS
        and (key == "0" or key[0] != "0")
    )


def _pair_labels(
    placed: list[tuple[str, str, str | None]], params: list[tuple[str, str]]
) -> dict[str, str]:
    """Labels of the values of name/value pairs, by path. Siblings share a parent path."""
    by_parent: dict[str, list[tuple[str, object]]] = {}
    for (_, parent, last), (_, value) in zip(placed, params, strict=True):
        if last is not None and last.lower() in PAIR_KEYS:
            by_parent.setdefault(parent, []).append((last, value))
    labels = {}
    for parent, children in by_parent.items():
        if len(children) < 2:
            continue
        pair = pair_among(children)
        if pair is not None:
            labels.update((join(parent, key), pair[1]) for key in pair[0])
    return labels
