"""multipart/form-data bodies (RFC 7578): each part a form field, a file's name and content
under its field; a body that does not split as its boundary says stays text."""

from __future__ import annotations

import pytest

from datamin.core.multipart import boundary_of, parts_of
from datamin.formats.kinds import record_fields
from datamin.policies.model import Limits
from datamin.redactors.context import FieldKind

BODY = (
    "--XyZ\r\n"
    'Content-Disposition: form-data; name="customer[name]"\r\n\r\n'
    "Ana Souza\r\n"
    "--XyZ\r\n"
    'Content-Disposition: form-data; name="doc"; filename="passport scan.png"\r\n'
    "Content-Type: image/png\r\n\r\n"
    "\x89PNG...\r\n"
    "--XyZ\r\n"
    'Content-Disposition: form-data; name="meta"; filename="m.json"\r\n'
    "Content-Type: application/json\r\n\r\n"
    '{"email": "ann.lee@example.com"}\r\n'
    "--XyZ--\r\n"
)


def _entry(body: str, mime: str) -> dict:
    return {
        "request": {
            "method": "POST",
            "url": "https://api.example.com/v1/upload",
            "postData": {"mimeType": mime, "text": body},
        },
        "response": {"status": 201},
    }


def _fields(body: str, mime: str) -> dict:
    return {
        f.path: (f.value, f.kind, f.binary) for f in record_fields(_entry(body, mime), Limits())
    }


@pytest.mark.parametrize(
    ("mime", "body", "boundary"),
    [
        ("multipart/form-data; boundary=XyZ", BODY, "XyZ"),  # its case as written
        ('multipart/form-data; boundary="a b"', "--a b\r\n", "a b"),
        # a boundary the body never writes (cut in a capture): the body's first line's
        ('multipart/form-data; boundary="', BODY, "XyZ"),
        ("multipart/form-data", BODY, "XyZ"),  # from the body's first line
        ("application/json", BODY, None),
    ],
)
def test_the_boundary(mime: str, body: str, boundary: str | None) -> None:
    assert boundary_of(mime, body) == boundary


def test_each_part_is_a_field_and_a_file_is_read_by_its_own_type() -> None:
    f = _fields(BODY, "multipart/form-data; boundary=XyZ")
    assert f["request.form.customer.name"] == ("Ana Souza", FieldKind.FORM, False)
    assert f["request.form.doc.filename"] == ("passport scan.png", FieldKind.FORM, False)
    assert f["request.form.doc.content"][2] is True  # an image: its size, never its bytes
    assert f["request.form.meta.content.email"] == ("ann.lee@example.com", FieldKind.JSON, False)


@pytest.mark.parametrize(
    "body",
    [
        BODY.replace("--XyZ--\r\n", ""),  # cut short: no closing delimiter
        BODY.replace("Content-Disposition: form-data; ", "X-Other: "),  # a part without a name
        "--XyZ\r\nno blank line ends these headers\r\n--XyZ--\r\n",
    ],
)
def test_a_body_that_does_not_split_stays_text(body: str) -> None:
    assert parts_of(body, "XyZ") is None
    f = _fields(body, "multipart/form-data; boundary=XyZ")
    assert f["request.body"][1] is FieldKind.TEXT


def test_lf_line_endings_split_too() -> None:
    parts = parts_of(BODY.replace("\r\n", "\n"), "XyZ")
    assert parts is not None and [p.name for p in parts] == ["customer[name]", "doc", "meta"]


@pytest.mark.parametrize(
    "body",
    [
        BODY.replace("--XyZ--\r\n", ""),  # cut short
        BODY.replace("--XyZ--\r\n", "").replace("--XyZ", "--Other"),  # a boundary misnamed
    ],
)
def test_a_part_in_a_body_left_as_text_is_read_under_its_name(body: str) -> None:
    """What stays text is still read part by part: a value under the name its headers give."""
    from datamin.redactors.context import FieldContext
    from datamin.redactors.engine import DetectionEngine

    body = body.replace(
        'name="customer[name]"\r\n\r\nAna Souza', 'name="password"\r\n\r\nZq9!hPw_7781'
    )
    f = _fields(body, "multipart/form-data; boundary=XyZ")
    assert f["request.body"][1] is FieldKind.TEXT
    found = DetectionEngine(ner_model=None).detect(
        body, FieldContext.of("request.body", FieldKind.TEXT)
    )
    assert ("PASSWORD", "Zq9!hPw_7781") in {(x.entity, body[x.start : x.end]) for x in found}
