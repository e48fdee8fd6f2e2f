"""The sample generator: byte-for-byte deterministic, realistic in shape, and honest about what it
planted (every manifest value is really in the files, valid for its entity, and fake)."""

from __future__ import annotations

import base64
import gzip
import ipaddress
import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum.us import ssn

from datamin.redactors.entities import ENTITIES
from datamin.redactors.national_ids import ENTITIES as NATIONAL_IDS
from datamin.sample import (
    Planted,
    SampleManifest,
    generate_sample,
    iter_har_entries,
    iter_messages,
    write_har,
)

# The sample is API traffic and messages: it plants every entity but the national, tax and
# travel identifiers of many countries, which their own tables and `datamin eval` cover.
SAMPLED = set(ENTITIES) - NATIONAL_IDS

LAYOUT = ["traffic/api-1.har", "traffic/api-2.har", "traffic/gateway.jsonl.gz"]
LAYOUT.append("messages/messages.jsonl")
DOC_NETWORKS = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
API_KEY_SHAPES = [
    r"AKIA[A-Z2-7]{16}",
    r"sk_live_[A-Za-z0-9]{24}",
    r"ghp_[A-Za-z0-9]{36}",
    r"xoxb-\d{11}-\d{13}-[A-Za-z0-9]{24}",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SampleManifest]:
    out = tmp_path_factory.mktemp("sample")
    return out, generate_sample(out)


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _har_entries(root: Path) -> list[dict[str, Any]]:
    entries = []
    for name in LAYOUT[:2]:
        entries += json.loads((root / name).read_text("utf-8-sig"))["log"]["entries"]
    gateway = gzip.decompress((root / LAYOUT[2]).read_bytes()).decode()
    return entries + [json.loads(line) for line in gateway.splitlines()]


def _messages(root: Path) -> list[dict[str, Any]]:
    lines = (root / LAYOUT[3]).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _leaves(node: Any) -> list[str]:
    """Every string in a record, and the strings of JSON documents held in strings (bodies)."""
    if isinstance(node, dict):
        return [s for v in node.values() for s in _leaves(v)]
    if isinstance(node, list):
        return [s for v in node for s in _leaves(v)]
    if isinstance(node, str):
        if node[:1] in "{[" and node:
            return [node, *_leaves(json.loads(node))]
        return [node]
    return []


def _all_leaves(root: Path) -> list[str]:
    return [s for record in _har_entries(root) + _messages(root) for s in _leaves(record)]


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    generate_sample(tmp_path / "a")
    generate_sample(tmp_path / "b")
    first, second = _tree_bytes(tmp_path / "a"), _tree_bytes(tmp_path / "b")
    assert sorted(first) == sorted(LAYOUT)
    assert first == second


def test_another_seed_changes_every_file(tmp_path: Path) -> None:
    generate_sample(tmp_path / "a", seed=7)
    generate_sample(tmp_path / "b", seed=8)
    first, second = _tree_bytes(tmp_path / "a"), _tree_bytes(tmp_path / "b")
    assert all(first[name] != second[name] for name in LAYOUT)


def test_manifest_lists_what_was_written(sample: tuple[Path, SampleManifest]) -> None:
    root, manifest = sample
    assert [p.relative_to(root).as_posix() for p in manifest.files] == LAYOUT
    assert (manifest.har_entries, manifest.messages) == (60, 40)
    assert len(_har_entries(root)) == 60
    assert len(_messages(root)) == 40


def test_har_files_are_har_1_2(sample: tuple[Path, SampleManifest]) -> None:
    root, _ = sample
    for name in LAYOUT[:2]:
        log = json.loads((root / name).read_text("utf-8-sig"))["log"]
        assert log["version"] == "1.2"
        assert set(log["creator"]) == {"name", "version"}
        assert log["pages"] == []
        assert log["entries"]
    for e in _har_entries(root):
        datetime.fromisoformat(e["startedDateTime"])
        req, resp = e["request"], e["response"]
        assert {"method", "url", "httpVersion", "headers", "cookies", "queryString"} <= set(req)
        assert {"headersSize", "bodySize"} <= set(req)
        assert {"status", "statusText", "httpVersion", "headers", "cookies", "content"} <= set(resp)
        assert {"redirectURL", "headersSize", "bodySize"} <= set(resp)
        assert {"size", "mimeType", "text"} <= set(resp["content"])
        assert e["cache"] == {}
        assert e["time"] == round(
            sum(v for k, v in e["timings"].items() if v > 0 and k != "ssl"), 3
        )
        url = urlsplit(req["url"])
        assert (url.scheme, url.hostname) == ("https", "api.shop.example")
        assert parse_qsl(url.query) == [(q["name"], q["value"]) for q in req["queryString"]]
        post = req.get("postData")
        assert (post is not None) == (req["method"] in ("POST", "PUT"))
        if post and post["mimeType"] == "application/json":
            assert isinstance(json.loads(post["text"]), dict)
        elif post:
            assert post["text"] == urlencode([(p["name"], p["value"]) for p in post["params"]])
        if resp["content"]["text"]:
            json.loads(resp["content"]["text"])


def test_only_the_second_har_file_has_a_bom(sample: tuple[Path, SampleManifest]) -> None:
    root, _ = sample
    assert (root / LAYOUT[1]).read_bytes()[:3] == b"\xef\xbb\xbf"
    assert (root / LAYOUT[0]).read_bytes()[:1] == b"{"


def test_gateway_file_is_gzip_jsonl_of_a_third_of_the_entries(
    sample: tuple[Path, SampleManifest],
) -> None:
    root, _ = sample
    data = (root / LAYOUT[2]).read_bytes()
    assert data[:2] == b"\x1f\x8b"
    assert data[4:8] == b"\x00\x00\x00\x00"  # no mtime: the bytes depend on the seed only
    lines = gzip.decompress(data).decode().splitlines()
    assert len(lines) == 60 // 3
    assert all("request" in json.loads(line) for line in lines)


def test_messages_look_like_twilio_messages(sample: tuple[Path, SampleManifest]) -> None:
    root, _ = sample
    for m in _messages(root):
        assert re.fullmatch(r"SM[0-9a-f]{32}", m["sid"])
        assert re.fullmatch(r"AC[0-9a-f]{32}", m["account_sid"])
        assert m["uri"] == f"/2010-04-01/Accounts/{m['account_sid']}/Messages/{m['sid']}.json"
        assert m["date_created"].endswith(" +0000")
        created, sent = (parsedate_to_datetime(m[k]) for k in ("date_created", "date_sent"))
        assert created.year == 2026 and sent >= created
        for number in (m["from"], m["to"]):
            assert re.fullmatch(r"\+[1-9]\d{9,14}", number)
            assert phonenumbers.is_valid_number(phonenumbers.parse(number))
        assert m["direction"] in ("inbound", "outbound-api")
        assert m["num_segments"].isdigit() and m["body"]
        assert (m["api_version"], m["price_unit"]) == ("2010-04-01", "USD")


def test_records_fall_into_several_days(sample: tuple[Path, SampleManifest]) -> None:
    root, _ = sample
    har_days = {e["startedDateTime"][:10] for e in _har_entries(root)}
    message_days = {parsedate_to_datetime(m["date_created"]).date() for m in _messages(root)}
    assert len(har_days) >= 3 and len(message_days) >= 3
    assert all(day.startswith("2026-") for day in har_days)


def test_every_planted_value_is_in_the_files(sample: tuple[Path, SampleManifest]) -> None:
    root, manifest = sample
    leaves = _all_leaves(root)
    missing = [p.where for p in manifest.planted if not any(p.value in s for s in leaves)]
    assert missing == []


def test_manifest_covers_every_entity_once_per_value(sample: tuple[Path, SampleManifest]) -> None:
    _, manifest = sample
    assert {p.entity for p in manifest.planted} == SAMPLED
    values = [p.value for p in manifest.planted]
    assert len(values) == len(set(values))
    assert all(p.where and p.value not in p.where for p in manifest.planted)


def _is_valid_fake(p: Planted) -> bool:
    """Valid for its entity (so a detector should catch it) and fake (so nothing real leaks)."""
    v = p.value
    digits = re.sub(r"\D", "", v)
    match p.entity:
        case "EMAIL_ADDRESS":
            return re.fullmatch(r"[a-z0-9._]+@([a-z]+\.)?example\.(com|org|net)", v) is not None
        case "PHONE_NUMBER":
            number = phonenumbers.parse(v, "US" if not v.startswith("0") else "GB")
            fictional = re.search(r"55501\d\d$|79460\d{3}$", digits) is not None
            return phonenumbers.is_valid_number(number) and fictional
        case "CREDIT_CARD":
            return luhn.is_valid(digits) and len(digits) in (15, 16)
        case "US_SSN":
            return ssn.is_valid(v)
        case "IBAN_CODE":
            return iban.is_valid(v)
        case "IP_ADDRESS":
            return any(ipaddress.ip_address(v) in net for net in DOC_NETWORKS)
        case "JWT":
            header, payload, _ = (base64.urlsafe_b64decode(s + "==") for s in v.split("."))
            return json.loads(header)["typ"] == "JWT" and "sub" in json.loads(payload)
        case "BASIC_AUTH":
            user, _, password = base64.b64decode(v).decode().partition(":")
            return bool(user) and len(password) >= 10
        case "API_KEY":
            return any(re.fullmatch(shape, v) for shape in API_KEY_SHAPES)
        case "PRIVATE_KEY":
            return v.startswith("-----BEGIN PRIVATE KEY-----\n") and v.endswith("KEY-----")
        case "PERSON":
            return re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ]+ [A-ZÀ-Ý][a-zà-ÿ]+", v) is not None
        case "LOCATION":
            return re.fullmatch(r"\d{2,4} [A-Z][a-z]+ [A-Z][a-z]+", v) is not None
        case _:  # passwords, tokens, session ids: long enough that a substring scan is exact
            return len(v) >= 10 and " " not in v


def test_planted_values_are_valid_and_fake(sample: tuple[Path, SampleManifest]) -> None:
    _, manifest = sample
    bad = [(p.entity, p.where) for p in manifest.planted if not _is_valid_fake(p)]
    assert bad == []


def test_lookalikes_are_present_and_hold_no_planted_value(
    sample: tuple[Path, SampleManifest],
) -> None:
    root, manifest = sample
    kinds = {h.kind for h in manifest.lookalikes}
    assert {"order_number", "sku", "uuid", "etag", "version"} <= kinds
    leaves = _all_leaves(root)
    assert all(any(h.value in s for s in leaves) for h in manifest.lookalikes)
    planted = [p.value for p in manifest.planted]
    assert not [h.kind for h in manifest.lookalikes if any(v in h.value for v in planted)]


def test_iterators_yield_what_the_files_hold(sample: tuple[Path, SampleManifest]) -> None:
    root, manifest = sample
    har = list(iter_har_entries(7, 60))
    assert [e for e, _ in har] == _har_entries(root)
    messages = list(iter_messages(7, 40))
    assert [m for m, _ in messages] == _messages(root)
    for record, planted in har + messages:
        leaves = _leaves(record)
        assert all(any(p.value in s for s in leaves) for p in planted)
    per_record = {p.value for _, planted in har + messages for p in planted}
    assert per_record == {p.value for p in manifest.planted}


def test_planted_repr_leaves_the_value_out() -> None:
    p = Planted("PASSWORD", "Velvet!Orbit2291", "request.postData.params.password")
    assert "Velvet" not in repr(p) and "postData" in repr(p)


def test_write_har_round_trips_with_and_without_bom(tmp_path: Path) -> None:
    entries = [e for e, _ in iter_har_entries(3, 2)]
    for bom in (False, True):
        path = tmp_path / f"x-{bom}.har"
        write_har(path, entries, bom=bom)
        assert path.read_bytes().startswith(b"\xef\xbb\xbf") is bom
        assert json.loads(path.read_text("utf-8-sig"))["log"]["entries"] == entries


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_any_seed_plants_every_entity_in_a_dozen_entries(seed: int) -> None:
    har = list(iter_har_entries(seed, 12))
    messages = list(iter_messages(seed, 6))
    planted = [p for _, ps in har + messages for p in ps]
    assert {p.entity for p in planted} == SAMPLED
    for record, ps in har + messages:
        leaves = _leaves(record)
        assert all(_is_valid_fake(p) and any(p.value in s for s in leaves) for p in ps)
