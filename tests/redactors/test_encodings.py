"""Hidden encodings: gzip in base64, hex, base32 and quoted-printable runs are read, a finding in
one replaces the whole run, look-alikes (hashes, ids, TOTP seeds, query numbers) stay as they
are, and the work is bounded."""

from __future__ import annotations

import base64
import gzip
import json
import random
import uuid
from collections.abc import Callable

import pytest

import datamin
from datamin.redactors import encodings
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.decode import decode, maybe_encoded
from datamin.redactors.engine import DetectionEngine
from datamin.redactors.findings import resolve_overlaps

ENGINE = DetectionEngine(ner_model=None)
EMAIL = "jane.doe@example.com"
KEY = b"an example key: 32 bytes or more"


def gz64(data: str | bytes, *, url: bool = False) -> str:
    raw = gzip.compress(data.encode() if isinstance(data, str) else data, mtime=0)
    return (base64.urlsafe_b64encode if url else base64.b64encode)(raw).decode()


def hexed(data: str) -> str:
    return data.encode().hex()


def b32(data: str | bytes) -> str:
    return base64.b32encode(data.encode() if isinstance(data, str) else data).decode()


def found(text: str, path: str = "body", kind: FieldKind = FieldKind.TEXT) -> set[tuple[str, str]]:
    """(entity, replaced original text) of each finding left after overlaps are resolved."""
    findings = resolve_overlaps(ENGINE.detect(text, FieldContext.of(path, kind)))
    return {(f.entity, text[f.start : f.end]) for f in findings}


GZ = gz64(json.dumps({"user": {"email": EMAIL}, "n": 1}))
GZ_URL = gz64("contact " + EMAIL, url=True)
HEX = hexed(EMAIL)
HEX_SENTENCE = hexed(f"please write to {EMAIL} before friday")
B32 = b32(EMAIL)
B32_BARE = B32.rstrip("=")

# (text, the run that must be replaced whole) — the email is found *only* through the decoding.
POSITIVE = [
    # gzip in base64 (`H4sI` is 1f 8b 08), as log shippers and cookies carry JSON.
    (f"payload={GZ}", GZ),
    (f"x {GZ_URL} y", GZ_URL),  # URL-safe alphabet, unpadded
    # Hex: bare, an `0x` literal, upper case, inside a sentence, UTF-8 beyond ASCII.
    (f"id {HEX} end", HEX),
    (f"val=0x{HEX.upper()}", f"0x{HEX.upper()}"),
    (f"trace:{HEX_SENTENCE}", HEX_SENTENCE),  # the whole run goes, not the email's bytes
    (hexed("josé.garcía@example.es"), hexed("josé.garcía@example.es")),
    # Base32 (RFC 4648), padded and with the padding stripped (as TOTP tools write it).
    (B32, B32),
    (f"k={B32_BARE}", B32_BARE),
    # Quoted-printable: an escaped `@`, an address cut by a soft line break, everything escaped.
    ("reply to jane.doe=40example.com", "jane.doe=40example.com"),
    (
        "Content-Transfer-Encoding: quoted-printable\n\nWrite to jane.d=\noe@example.com today",
        "jane.d=\noe@example.com",
    ),
    ("".join(f"={b:02X}" for b in EMAIL.encode()), "".join(f"={b:02X}" for b in EMAIL.encode())),
    # Two deep: hex inside base64, base64 inside gzip.
    (base64.b64encode(HEX.encode()).decode(), base64.b64encode(HEX.encode()).decode()),
    (gz64(base64.b64encode(EMAIL.encode())), gz64(base64.b64encode(EMAIL.encode()))),
]


@pytest.mark.parametrize(("text", "run"), POSITIVE)
def test_an_address_inside_an_encoded_run_replaces_the_whole_run(text: str, run: str) -> None:
    findings = ENGINE.detect(text, FieldContext.of("body", FieldKind.TEXT))
    emails = [text[f.start : f.end] for f in findings if f.entity == "EMAIL_ADDRESS"]
    # Fail closed: the address's span holds all of the run, never a piece of it.
    assert any(run in original for original in emails), emails
    # And what is replaced in the end (a random-looking run may be a SECRET too) holds it all.
    assert any(run in original for _, original in found(text))


def test_the_decoded_view_reads_each_encoding() -> None:
    assert EMAIL in decode(f"a {GZ} b").text  # type: ignore[union-attr]
    assert decode(HEX).text == EMAIL  # type: ignore[union-attr]
    assert decode(B32).text == EMAIL  # type: ignore[union-attr]
    assert decode("jane.doe=40example.com").text == EMAIL  # type: ignore[union-attr]


RNG = random.Random(13)

# Values that look like these encodings and hold no text: each must decode to nothing (no view,
# so no finding and no cost beyond the cheap test).
NEGATIVE = [
    # SHA-256 of the empty string: random bytes in hex.
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    # A git commit SHA in a log line: stays (a policy that wants it gone names it).
    "commit 1f3a9c0b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a merged",
    # A UUID: its hex groups are shorter than a run.
    str(uuid.UUID(int=RNG.getrandbits(128))),
    # A session id and a Mongo ObjectId.
    "sid=578b5c72dc4ee60caea63367c29a80b2; theme=dark",
    "6647b5aa666347428c3dd46c036bb3a6",
    "625157466ce9be668cac3b5d",
    # A TOTP seed: base32 of bytes that are not text (`Hello!` then 0xdeadbeef).
    "JBSWY3DPEHPK3PXP",
    # Base32 of random bytes.
    b32(RNG.randbytes(20)),
    # Long upper-case words and constants are in the base32 alphabet; they decode to nothing.
    "INTERNATIONALIZATION_ENABLED",
    "THEQUICKBROWNFOXJUMPSOVERTHELAZYDOG",
    # Query numbers are not quoted-printable escapes.
    "width=20&height=30",
    "page=40",
    # An odd-length hex run is not bytes.
    "a" + "6a616e65406578616d706c652e636f6d",
    # gzip of non-text bytes (an image, a protobuf): not read as text.
    gz64(RNG.randbytes(64)),
    # `H4sI` that is not a gzip stream.
    "H4sIthisisnotgzipatallreally",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_look_alikes_decode_to_nothing(text: str) -> None:
    view = decode(text)
    assert view is None or view.text == text


@pytest.mark.parametrize(
    "text",
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # a hash
        "JSESSIONID=6089065C3146E80A9C222670BBE4F4C5; theme=dark",  # a session id, upper case
        'W/"648c7f79-2f870b421ecae951"',  # an ETag
        "limit=40",  # a number after `=` is not a quoted-printable escape
    ],
)
def test_the_cheap_test_passes_ids_and_hashes(text: str) -> None:
    # These abound in API traffic: they must not send every value through the decoder.
    assert not maybe_encoded(text)


def test_no_email_is_made_of_hashes_and_ids() -> None:
    text = (
        "sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 "
        "commit=1f3a9c0b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a seed=JBSWY3DPEHPK3PXP"
    )
    assert not {e for e, _ in found(text)} & {"EMAIL_ADDRESS"}


def test_a_gzip_bomb_is_not_read_past_the_cap_and_its_record_is_not_kept() -> None:
    # 8 MiB of text compresses to ~8 KiB: inflating stops at the cap, and since what lies past
    # it is unread (an address could sit there), the value is not safe: its record is
    # quarantined (fail closed).
    bomb = gz64("a" * (8 * 1024 * 1024) + " " + EMAIL)
    with pytest.raises(encodings.UnreadableGzip):
        encodings.gzip_runs(f"x {bomb} y")


def test_the_ratio_cap_bounds_a_small_stream() -> None:
    # A small stream may inflate to MAX_RATIO times its size, no more, whatever budget is left:
    # past it, the stream is unread, and unsafe.
    with pytest.raises(encodings.UnreadableGzip):
        encodings.gzip_runs(gz64("b" * (2 * 1024 * 1024)))


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-8] + bytes(8),  # a bad checksum and length: zcat still prints it
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw + gzip.compress(b"second member " + EMAIL.encode()),  # two members
    ],
    ids=["bad-crc", "truncated", "second-member"],
)
def test_a_gzip_stream_not_read_whole_is_unsafe(damage: Callable[[bytes], bytes]) -> None:
    raw = gzip.compress(("plain words " * 40).encode(), mtime=0)
    run = base64.b64encode(damage(raw)).decode()
    with pytest.raises(encodings.UnreadableGzip):
        encodings.gzip_runs(f"x {run} y")


def test_a_record_with_an_unreadable_gzip_value_is_quarantined() -> None:
    import datamin

    raw = gzip.compress(b"hello ") + gzip.compress(EMAIL.encode())  # the address in member 2
    record = {"note": base64.b64encode(raw).decode(), "time": "2026-12-01T10:00:00Z"}
    out = datamin.minimize(
        record, policy="redact_only", key=b"an example key: 32 bytes or more!!", ner=False
    )
    assert out["status"] == "quarantined" and EMAIL not in repr(out)


def test_runs_beyond_the_size_cap_are_not_decoded() -> None:
    huge = hexed(EMAIL) * (encodings.MAX_RUN // len(hexed(EMAIL)) + 1)
    assert len(huge) > encodings.MAX_RUN
    assert encodings.hex_and_base32_runs(huge) == []


def test_depth_is_two() -> None:
    # Hex of hex is read (two rounds); a third layer is not: the work per value is bounded.
    assert decode(hexed(HEX)).text == EMAIL  # type: ignore[union-attr]
    assert decode(hexed(hexed(HEX))).text == HEX  # type: ignore[union-attr]


def test_minimize_removes_every_encoded_canary() -> None:
    canary = "ada.lovelace.canary@example.org"
    runs = {
        "gzip": gz64(json.dumps({"to": canary})),
        "hex": hexed(canary),
        "base32": b32(canary),
    }
    record = {
        "timestamp": "2026-12-01T10:00:00Z",
        "kept": "plain words",
        "blob": f"log payload {runs['gzip']} sent",
        "trace": f"ctx {runs['hex']}",
        "seed": f"otp {runs['base32']}",
        "mail": "Content-Transfer-Encoding: quoted-printable\n\nTo: "
        + canary.replace("@", "=40").replace("lace", "la=\nce"),
        "upload": f'Content-Disposition: form-data; name="f"; filename="{canary}.pdf"',
        "quoted": '"ada lovelace"@example.org',
        "bracketed": canary.replace("@", " [at] ").replace(".org", " [dot] org"),
        "bare": "email me: " + canary.replace("@", " at ").replace(".org", " dot org"),
    }
    out = datamin.minimize(record, policy="redact_only", key=KEY, ner=False)
    assert out["status"] == "written"
    dumped = json.dumps(out, ensure_ascii=False)
    assert "plain words" in dumped  # the record went through and kept what it should
    for form, run in runs.items():
        assert run not in dumped, form
    for piece in ("ada.lovelace", "ada lovelace", "lovelace.canary", "ada.lovela", "canary"):
        assert piece not in dumped, piece
