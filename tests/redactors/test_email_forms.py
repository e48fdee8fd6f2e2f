"""Email addresses in the forms that used to pass: followed by a file extension, with a quoted
local part, and obfuscated with `[at]`/`[dot]` or the bare words near a mail word; and the prose,
file names and ids that must not become addresses."""

from __future__ import annotations

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.findings import resolve_overlaps
from datamin.redactors.patterns import PatternDetector

DETECTOR = PatternDetector()
TEXT, JSON, HEADER = FieldKind.TEXT, FieldKind.JSON, FieldKind.HEADER


def emails(text: str, path: str = "body", kind: FieldKind = TEXT) -> list[str]:
    """The original text of each email finding left after overlaps are resolved."""
    findings = resolve_overlaps(DETECTOR.detect(text, FieldContext.of(path, kind)))
    return sorted(text[f.start : f.end] for f in findings if f.entity == "EMAIL_ADDRESS")


# (text, path, kind, the address span expected)
POSITIVE = [
    # An address saved as a file name: the extension does not make the TLD check fail.
    ("see name@mail.com.pdf attached", "body", TEXT, "name@mail.com"),
    ("jane.doe@example.com.png", "body", TEXT, "jane.doe@example.com"),
    ("export-jane@example.co.uk.csv", "body", TEXT, "export-jane@example.co.uk"),
    ("jane@example.org.docx", "body", TEXT, "jane@example.org"),
    ("jane@example.com.txt", "body", TEXT, "jane@example.com"),
    # `.zip` is a file extension after a TLD and a TLD itself at the end of an address.
    ("backup of jane@example.com.zip", "body", TEXT, "jane@example.com"),
    ("jane@example.zip", "body", TEXT, "jane@example.zip"),
    # A multipart part's file name, as a form upload writes it.
    (
        'Content-Disposition: form-data; name="file"; filename="jane.doe@example.com.pdf"',
        "body",
        TEXT,
        "jane.doe@example.com",
    ),
    (
        'attachment; filename="jane.doe@example.com.pdf"',
        "response.headers.Content-Disposition",
        HEADER,
        "jane.doe@example.com",
    ),
    # A quoted local part (RFC 5321): the quotes belong to the address.
    ('to "john smith"@example.com today', "body", TEXT, '"john smith"@example.com'),
    ('"jane.doe+x"@example.org', "request.body.to", JSON, '"jane.doe+x"@example.org'),
    # Bracketed forms: written for no other purpose, so found anywhere.
    ("jane [at] example [dot] com", "body", TEXT, "jane [at] example [dot] com"),
    ("jane(at)example(dot)com", "body", TEXT, "jane(at)example(dot)com"),
    (
        "ping jane.doe (at) mail (dot) example (dot) org now",
        "body",
        TEXT,
        "jane.doe (at) mail (dot) example (dot) org",
    ),
    ("jane {at} example {dot} co {dot} uk", "body", TEXT, "jane {at} example {dot} co {dot} uk"),
    ("JANE [AT] EXAMPLE [DOT] COM", "body", TEXT, "JANE [AT] EXAMPLE [DOT] COM"),
    ("jane [at] example.com", "body", TEXT, "jane [at] example.com"),  # only the @ hidden
    ("jane@example[dot]com", "body", TEXT, "jane@example[dot]com"),  # only the dot hidden
    (
        "jane [dot] doe [at] example [dot] com",
        "body",
        TEXT,
        "jane [dot] doe [at] example [dot] com",
    ),
    # Bare words next to a mail word.
    ("email me: jane at example dot com", "body", TEXT, "jane at example dot com"),
    ("E-mail: jane dot doe at example dot com", "body", TEXT, "jane dot doe at example dot com"),
    ("Contact jane at example dot org for details", "body", TEXT, "jane at example dot org"),
    ("write to jane at example dot co dot uk", "body", TEXT, "jane at example dot co dot uk"),
    ("send mail to JANE AT EXAMPLE DOT COM", "body", TEXT, "JANE AT EXAMPLE DOT COM"),
    # The mail word after the address, within the window.
    ("jane at example dot com is my email", "body", TEXT, "jane at example dot com"),
    # A retry inside a rejected candidate: `me at jane` is not an address, `jane dot ...` is.
    (
        "write to me at jane dot doe at example dot com",
        "body",
        TEXT,
        "jane dot doe at example dot com",
    ),
    # `AT` and `DOT` in capitals between lower-case words set the address apart as brackets
    # do, with no mail word near.
    ("tom_h AT proton DOT me", "body", TEXT, "tom_h AT proton DOT me"),
    ("reach me at lena_k AT tutanota DOT com", "body", TEXT, "lena_k AT tutanota DOT com"),
    # The field's name is the mail word.
    ("jane at example dot com", "request.body.contact_email", JSON, "jane at example dot com"),
    # A mail provider in the domain says it too.
    ("ask jane at gmail dot com", "body", TEXT, "jane at gmail dot com"),
    # A literal `@` after an obfuscated local part: the `@` itself says address.
    ("jane dot doe@example.com", "body", TEXT, "jane dot doe@example.com"),
    # Under a mail field's name, anything on both sides of an `@` (a host with no TLD, labels
    # longer than DNS allows): fail closed.
    ("jane@localhost", "request.body.contact_email", JSON, "jane@localhost"),
    ("lk.b%e5+w@" + "x" * 70 + ".example", "to_email", JSON, "lk.b%e5+w@" + "x" * 70 + ".example"),
]


@pytest.mark.parametrize(("text", "path", "kind", "expected"), POSITIVE)
def test_email_forms_are_found(text: str, path: str, kind: FieldKind, expected: str) -> None:
    assert expected in emails(text, path, kind)


# (text, path, kind) — no email may be found.
NEGATIVE = [
    # Asset names: `@2x` is a resolution, and what is left is no address.
    ("logo@2x.png", "body", TEXT),
    ("icon@2x.min.js", "body", TEXT),  # `min` is no TLD, so `.js` is not cut off
    ("sprite@3x.dark.webp", "body", TEXT),
    # Ordinary prose with "at" and "dot": no brackets, no mail word.
    ("meet at noon. dot the i's and cross the t's", "body", TEXT),
    ("meet at noon dot com", "body", TEXT),
    ("we met at example dot com yesterday", "body", TEXT),
    ("The build at 10 dot 2 failed", "body", TEXT),
    ("arrived at London dot five", "body", TEXT),
    # Capitals written for emphasis, not to set an address apart: the whole phrase shouts, or
    # only the `AT` does.
    ("MEET AT NOON DOT COM", "body", TEXT),
    ("see you AT example dot com", "body", TEXT),
    # A mail word near prose whose last word is no TLD.
    ("email the team at noon dot then leave", "body", TEXT),
    # Hex hashes, UUIDs and commit SHAs are never addresses.
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "body", TEXT),
    ("commit 1f3a9c0b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a at main dot", "body", TEXT),
    ("3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f", "body", TEXT),
    # Brackets around other words, and defanged hosts without an `at`.
    ("see [note] example [dot] com", "body", TEXT),
    ("hxxp://evil[.]example[.]com/x", "body", TEXT),
    # A quoted string and an @-rule are not a quoted local part.
    ('say "hello" @ the door', "body", TEXT),
    ('"@media screen" and @import', "body", TEXT),
    # Message ids are made like addresses and reach no one, obfuscated or not.
    ("<abc [at] mail [dot] example [dot] com>", "request.body.message_id", JSON),
    ("<20240101120000.1a2b3c4d5e6f7a8b@mg.example.com>", "request.body.email_message_id", JSON),
    # A mail field's other values: a status, a handle with nothing before its `@`.
    ("bounced", "email_status", JSON),
    ("@handle", "email", JSON),
]


@pytest.mark.parametrize(("text", "path", "kind"), NEGATIVE)
def test_look_alikes_are_not_emails(text: str, path: str, kind: FieldKind) -> None:
    assert emails(text, path, kind) == []


def test_long_prose_with_at_and_dot_costs_one_scan() -> None:
    # Retrying after rejected candidates stays bounded: many "x at y dot z" phrases near a mail
    # word, none with a real TLD, give nothing.
    text = "email: " + " ".join(f"w{i} at y{i} dot q{i}z" for i in range(2000))
    assert emails(text) == []
