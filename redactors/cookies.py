"""Cookie and Set-Cookie header values split into cookies: (name, value start, value end).

Parsing only; which cookies are credentials is the credential detector's judgement.
"""

from __future__ import annotations

from collections.abc import Iterator

_SET_COOKIE_ATTRIBUTES = frozenset(
    "expires max-age domain path secure httponly samesite priority partitioned version comment "
    "commenturl discard port".split()
)
_FOLDS = str.maketrans({",": ";", "\n": ";"})


def cookie_values(header: str, *, set_cookie: bool) -> Iterator[tuple[str, int, int]]:
    """(cookie name, value start, value end) for each cookie in a Cookie or Set-Cookie value.

    In Set-Cookie, pieces after `;` are attributes; a `,` or a new line may start another cookie
    (headers folded into one value) unless it continues a piece (`Expires=Wed, 21 Oct ...`).
    In Cookie, `;` separates cookies, and so does a `,` or a new line before a cookie's
    `name=`: a cookie's value holds no comma (RFC 6265's cookie-octet), so one there is where
    a log joined repeated Cookie headers (HTTP/2 sends a cookie a header) as it joins any
    header's values (`theme=dark, sid=...` read `sid` as part of `theme`'s value).
    """
    flat = header.translate(_FOLDS)
    cookie: tuple[str, int, int] | None = None
    pos = 0
    for piece in flat.split(";"):
        start, stop = pos, pos + len(piece)
        before = header[start - 1] if start else ""
        pos = stop + 1
        name, eq, _ = piece.partition("=")
        folded = before in (",", "\n")
        if (
            not before
            or before == ("\n" if set_cookie else ";")
            or (folded and eq and _cookie_name(name))
        ):
            if cookie:
                yield _trimmed(header, *cookie)
            cookie = (name.strip(), start + len(name) + 1, stop) if eq else ("", start, stop)
        elif folded and cookie:  # `prefs=a,b`: a comma inside the value
            cookie = (cookie[0], cookie[1], stop)
        elif cookie:  # the first attribute ends the value
            yield _trimmed(header, *cookie)
            cookie = None
    if cookie:
        yield _trimmed(header, *cookie)


def _cookie_name(name: str) -> bool:
    name = name.strip()
    return bool(name) and " " not in name and name.lower() not in _SET_COOKIE_ATTRIBUTES


def _trimmed(header: str, name: str, start: int, end: int) -> tuple[str, int, int]:
    while start < end and header[start] in ' \t"':
        start += 1
    while end > start and header[end - 1] in ' \t\r"':
        end -= 1
    return name, start, end
