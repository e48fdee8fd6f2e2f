"""The structured-identifiers benchmark's corpus and its judge, without running datamin."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from benchmarks._structured_shapes import _f, _j, _q
from benchmarks._structured_values import Planted
from benchmarks.bench_structured_ids import V, cases, half_of, leaks, record


def test_the_corpus_is_the_same_on_every_run_and_holds_every_kind() -> None:
    first, second = cases(), cases()
    assert [c.record for c in first] == [c.record for c in second]
    kinds = {c.planted.category for c in first if c.planted}
    assert {"PHONE", "CARD", "IBAN", "US_SSN", "PASSPORT", "VAT", "EMAIL", "IP"} <= kinds
    assert sum(c.lookalike is not None for c in first) > 100
    assert {c.half for c in first} == {"dev", "frozen"}


def test_a_shape_keeps_its_half() -> None:
    assert half_of("json:phone") == half_of("json:phone")
    assert {half_of(f"json:k{i}") for i in range(20)} == {"dev", "frozen"}


def test_records_are_har_entries_with_the_value_where_the_shape_says() -> None:
    body = record(_j("t", {"customer": {"phone": V}}), {V: "+44 20 7946 0958"})
    assert json.loads(body["request"]["postData"]["text"]) == {
        "customer": {"phone": "+44 20 7946 0958"}
    }
    form = record(_f("t", ("card[number]", V)), {V: "4111 1111 1111 1111"})
    assert parse_qsl(form["request"]["postData"]["text"]) == [
        ("card[number]", "4111 1111 1111 1111")
    ]
    query = record(_q("t", ("ssn", V)), {V: "536-22-1234"})
    assert query["request"]["queryString"] == [{"name": "ssn", "value": "536-22-1234"}]
    assert query["request"]["url"].endswith("?ssn=536-22-1234")


def test_a_value_leaks_whole_or_but_for_its_first_characters() -> None:
    phone = Planted("PHONE", "GB", "international", {V: "+44 20 7946 0958"}, ("2079460958",))
    assert leaks(phone, [("phone", "+44 20 7946 0958")])
    assert leaks(phone, [("phone", "+44 20 7946-0958")])  # separators aside
    assert leaks(phone, [("phone", "+44 <PHONE_NUMBER> 2 7946 0958")])  # all but its first three
    assert not leaks(phone, [("phone", "<PHONE_NUMBER>")])
    assert not leaks(phone, [("phone", "+44 20 <PHONE_NUMBER>")])
