"""XML bodies are structure: element and attribute names are the paths detectors and policies
read; what defusedxml refuses stays text."""

from __future__ import annotations

import time

import pytest

from datamin.core.xmlbody import looks_like_xml, xml_fields
from datamin.errors import LimitExceeded

SOAP = (
    '<?xml version="1.0"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soap:Body><m:UpdateContact xmlns:m="urn:crm">'
    '<m:contact id="C-17" type="person"><m:phone>+1 415 555 0132</m:phone>'
    "<m:tag>a</m:tag><m:tag>b</m:tag></m:contact>"
    "<m:note>Call <b>after</b> noon</m:note>"
    "</m:UpdateContact></soap:Body></soap:Envelope>"
)


def test_a_soap_envelope_becomes_paths_of_local_names() -> None:
    got = dict(xml_fields(SOAP, "request.body", 30) or [])
    base = "request.body.Envelope.Body.UpdateContact"
    assert got[f"{base}.contact.phone"] == "+1 415 555 0132"
    assert got[f"{base}.contact.id"] == "C-17"  # an attribute under its element
    assert got[f"{base}.contact.tag[0]"] == "a" and got[f"{base}.contact.tag[1]"] == "b"
    assert got[f"{base}.note"] == "Call noon"  # mixed content: the element's own text
    assert got[f"{base}.note.b"] == "after"


@pytest.mark.parametrize(
    "text",
    [
        "<a><b>unclosed</a>",  # not well-formed
        '<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>',  # entities: refused
        '<!DOCTYPE x SYSTEM "http://example.com/x.dtd"><x/>',  # an external DTD: refused
    ],
)
def test_what_is_not_safe_well_formed_xml_is_no_structure(text: str) -> None:
    assert xml_fields(text, "body", 30) is None


def test_an_entity_bomb_never_expands() -> None:
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    started = time.perf_counter()
    assert xml_fields(f"<!DOCTYPE b [{''.join(entities)}]><b>&l9;</b>", "body", 30) is None
    assert time.perf_counter() - started < 1.0


def test_deep_nesting_and_too_many_fields_are_refused_as_json_is() -> None:
    with pytest.raises(LimitExceeded):
        xml_fields("<a>" * 50 + "</a>" * 50, "body", 30)
    with pytest.raises(LimitExceeded):
        xml_fields("<a>" + "<b>x</b>" * 200 + "</a>", "body", 30, max_fields=100)


@pytest.mark.parametrize(
    ("text", "mime", "xml"),
    [
        ("<x/>", "application/xml", True),
        ("<x/>", "application/soap+xml; charset=utf-8", True),
        ('<?xml version="1.0"?><x/>', "text/plain", True),
        ("<html><body/></html>", "application/xhtml+xml", False),  # HTML is text
        ("<b>hi</b>", "text/html", False),
        ('<?xml version="1.0"?><svg><path d="M0 0"/></svg>', "image/svg+xml", False),
        ("a < b > c", "text/plain", False),
    ],
)
def test_what_counts_as_an_xml_body(text: str, mime: str, xml: bool) -> None:
    assert looks_like_xml(text, mime) is xml
