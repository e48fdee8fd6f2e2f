"""XML bodies (SOAP envelopes, XML APIs) as structure: each element's text under the path of
its elements' local names, `request.body.Envelope.Body.UpdateContact.phone`, an attribute under
its element's path and its own name, repeated elements by position (`item[0]`, `item[1]`).
Namespaces are dropped from names: the name says what a value is, its namespace does not.

Parsed by defusedxml: a body that declares a DTD (and so any entity) is not read as structure (an
entity bomb never expands) but stays text, scanned as any text is.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from datamin.errors import LimitExceeded
from datamin.policies.paths import join


def looks_like_xml(text: str, mime: str) -> bool:
    """An XML content type, or an XML declaration leading the body; not HTML or SVG (a page,
    a drawing: text and shapes, not fields)."""
    if "html" in mime or "svg" in mime:
        return False
    head = text[:256].lstrip()[:5]  # not a copy of a whole large body, on every body
    return head == "<?xml" or ("xml" in mime and head.startswith("<"))


def xml_fields(
    text: str, prefix: str, max_depth: int, max_fields: int = 20_000
) -> list[tuple[str, str]] | None:
    """(path, text) of every element's text and attribute, in document order; None when the
    body is not well-formed XML or declares what defusedxml refuses. Past `max_fields` the
    walk stops (`LimitExceeded`), as a JSON body's does, before the list grows further."""
    try:
        root = ElementTree.fromstring(text, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    out: list[tuple[str, str]] = []
    _walk(root, join(prefix, _local(root.tag)), 0, (max_depth, max_fields), out)
    return out


def _walk(
    element: Any, path: str, depth: int, limits: tuple[int, int], out: list[tuple[str, str]]
) -> None:
    if depth > limits[0]:
        raise LimitExceeded("nested deeper than the limit")
    if len(out) > limits[1]:
        raise LimitExceeded("more fields than the limit")
    for name, value in element.attrib.items():
        out.append((join(path, _local(name)), value))
    # An element's own text and the text after each child (mixed content) are its value.
    pieces = [element.text or ""] + [child.tail or "" for child in element]
    own = " ".join(p.strip() for p in pieces if p.strip())
    if own:
        out.append((path, own))
    counts = Counter(_local(child.tag) for child in element)
    seen: Counter[str] = Counter()
    for child in element:
        name = _local(child.tag)
        at = join(path, name)
        if counts[name] > 1:
            at = f"{at}[{seen[name]}]"
            seen[name] += 1
        _walk(child, at, depth + 1, limits, out)


def _local(tag: Any) -> str:
    """`{http://schemas.xmlsoap.org/soap/envelope/}Body` and `soap:Body` are `Body`; a
    comment's or processing instruction's tag (not a string) is `_`."""
    if not isinstance(tag, str):
        return "_"
    return tag.rpartition("}")[2].rpartition(":")[2] or "_"
