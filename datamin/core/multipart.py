"""`multipart/form-data` bodies (RFC 7578) as structure: each part a form field under its name
(`request.form.email`), an uploaded file's name a field of its own (`request.form.doc.filename`:
`passport_jane_roe.pdf` says whose it is) and its content read by its own content type. A body
that does not split into parts as its boundary says stays text, scanned as any text is."""

from __future__ import annotations

import re

# `name="a b"`, `filename="x.pdf"`, `name=plain` in a Content-Disposition or Content-Type.
_PARAM = re.compile(r'(\w+)\*?=(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))')
_MAX_PARTS = 1000


class Part:
    __slots__ = ("content_type", "filename", "name", "value")

    def __init__(self, name: str, filename: str | None, content_type: str, value: str) -> None:
        self.name, self.filename, self.content_type, self.value = (
            name,
            filename,
            content_type,
            value,
        )


def boundary_of(mime: str, text: str) -> str | None:
    """The boundary a multipart body's content type names, or its first line shows (where the
    type names none, or one the body never writes: `boundary="`, cut in a capture)."""
    if "multipart/" not in mime.lower():
        return None
    for key, quoted, bare in _PARAM.findall(mime):
        if key.lower() == "boundary" and (quoted or bare) and f"--{quoted or bare}" in text:
            return quoted or bare
    first = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    return first[2:] if first.startswith("--") and len(first) > 2 else None


def parts_of(text: str, boundary: str) -> list[Part] | None:
    """The parts between the boundary's lines, or None when the body is not made of them."""
    pieces = text.split(f"--{boundary}")
    if len(pieces) < 3 or len(pieces) > _MAX_PARTS:
        return None
    parts: list[Part] = []
    for piece in pieces[1:]:
        if piece.startswith("--"):  # the closing delimiter
            return parts
        piece = piece.removeprefix("\r\n").removeprefix("\n")
        head, sep, body = piece.partition("\r\n\r\n")
        if not sep:
            head, sep, body = piece.partition("\n\n")
        if not sep:
            return None
        headers = {}
        for line in head.splitlines():
            key, colon, value = line.partition(":")
            if colon:
                headers[key.strip().lower()] = value.strip()
        params = {
            k.lower(): q or b for k, q, b in _PARAM.findall(headers.get("content-disposition", ""))
        }
        if "name" not in params:
            return None
        value = body.removesuffix("\r\n").removesuffix("\n")
        parts.append(
            Part(params["name"], params.get("filename"), headers.get("content-type", ""), value)
        )
    return None  # no closing delimiter: cut short
