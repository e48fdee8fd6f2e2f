"""`datamin eval`: the labelled corpus holds what it claims, and the counts are counted right.

The targets of issue 3 are measurements for the closing note, not assertions here.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
import sys
import unicodedata
from dataclasses import astuple
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote, unquote_plus

import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.evaluation.categories import (
    LEAKS,
    SURVIVALS,
    leak_categories,
    placement,
    survival_categories,
)
from datamin.evaluation.corpus import FORMS, HAR, PLAIN, EvalCorpus, EvalRecord, Label
from datamin.evaluation.public import PARTS
from datamin.evaluation.run import (
    REDACT_ONLY,
    EvalReport,
    Tally,
    build_corpus,
    evaluate,
    format_table,
    measure,
    write_html,
)
from datamin.redactors.entities import ENTITIES, Category
from datamin.sample import Lookalike

# How each hidden form decodes back to the value it hides.
DECODE = {
    "percent": unquote,
    "base64": lambda s: base64.b64decode(s).decode(),
    "html": html.unescape,
    "zero_width": lambda s: s.replace("\u200b", ""),
    "nfkc": lambda s: unicodedata.normalize("NFKC", s),
    "json_in_string": lambda s: json.loads(s)["email"],
    "dotted": lambda s: s.replace(".", ""),
    "no_dashes": lambda s: f"{s[:3]}-{s[3:5]}-{s[5:]}",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> EvalCorpus:
    return build_corpus(
        tmp_path_factory.mktemp("eval-corpus"), seed=11, har_entries=30, messages=20
    )


@pytest.fixture(scope="module")
def report(corpus: EvalCorpus) -> EvalReport:
    return evaluate(corpus, baseline_records=10)  # datamin runs under a throwaway key file


def _as_stored(text: str) -> list[str]:
    """A value as a JSON file holds it, directly or inside a JSON string (a HAR body)."""
    once = json.dumps(text, ensure_ascii=False)[1:-1]
    return [text, once, json.dumps(once, ensure_ascii=False)[1:-1]]


def test_every_form_is_in_the_corpus_files_as_labelled(corpus: EvalCorpus) -> None:
    texts = {HAR: corpus.har_path.read_text("utf-8"), "messages": ""}
    texts["messages"] = corpus.messages_path.read_text("utf-8")
    labels = [(r.source, p) for r in corpus.records for p in r.planted]
    assert {p.form for _, p in labels} == {PLAIN, *FORMS}
    for source, p in labels:
        assert any(form in texts[source] for form in _as_stored(p.written)), (p.entity, p.where)
        if p.form == PLAIN:
            assert p.written == p.value
            continue
        assert DECODE[p.form](p.written) == p.value, p.form
        if p.form != "json_in_string":  # the others really hide the value
            assert not any(form in texts[source] for form in _as_stored(p.value)), p.form


def test_hidden_values_are_new_and_copies_follow_their_originals(corpus: EvalCorpus) -> None:
    plain = {p.value for r in corpus.records for p in r.planted if p.form == PLAIN}
    hidden = [p for r in corpus.records for p in r.planted if p.form != PLAIN]
    assert len({p.value for p in hidden}) == len(hidden) == corpus.hidden
    assert not plain & {p.value for p in hidden}
    assert len(corpus.records) == corpus.har_entries + corpus.messages + corpus.hidden
    # any prefix holds both kinds of record
    assert {r.source for r in corpus.records[:4]} == {HAR, "messages"}


def _record(planted: list[Label], lookalikes: list[Lookalike]) -> EvalRecord:
    return EvalRecord("messages", {}, tuple(planted), tuple(lookalikes))


def test_measure_counts_survivors_in_any_form_and_destroyed_lookalikes(tmp_path: Path) -> None:
    email, hidden_a, hidden_b = "zed.q7@example.org", "ivy.r8@example.org", "amos.t9@example.net"
    b64 = [base64.b64encode(v.encode()).decode() for v in (hidden_a, hidden_b)]
    etag = 'W/"3f2a9c1d-0b6e4f7a9c2d1e8b"'
    records = [
        _record(
            [
                Label("EMAIL_ADDRESS", email, PLAIN, "body", email),
                Label("PASSWORD", "Thistle^Orbit4412", PLAIN, "password", "Thistle^Orbit4412"),
            ],
            [Lookalike("etag", etag, "etag"), Lookalike("uuid", "7c1e0b3a-uuid-gone", "id")],
        ),
        _record(
            [
                Label("EMAIL_ADDRESS", hidden_a, "base64", "data", b64[0]),
                Label("EMAIL_ADDRESS", hidden_b, "base64", "data", b64[1]),
            ],
            [Lookalike("etag", etag, "etag")],  # the same value counts once
        ),
    ]
    fake = tmp_path / "eval" / "fake-output"
    fake.mkdir(parents=True)
    # plain email: survives; hidden_a: as written; hidden_b: decoded by the engine, still a leak;
    # the password is gone; the ETag survives JSON-escaped, the UUID is destroyed.
    body = {"note": f"mail {email}", "a": b64[0], "b": hidden_b, "etag": etag}
    (fake / "part-0.json").write_text(json.dumps(body))
    result = measure(fake, records, engine="datamin")
    assert result.records == 2
    assert result.by_entity == {"EMAIL_ADDRESS": Tally(1, 1), "PASSWORD": Tally(1, 0)}
    assert result.by_form == {"base64": Tally(2, 2)}
    assert result.by_group["credentials"] == Tally(1, 0)
    assert result.by_group["identifiers"] == Tally(1, 1)
    assert result.by_group["hidden forms"] == Tally(2, 2)
    assert result.by_group["names+places"].rate is None  # nothing planted: no rate, not 0 %
    assert result.lookalikes == {"etag": Tally(1, 0), "uuid": Tally(1, 1), "all": Tally(2, 1)}
    assert result.survival() == 0.5


def test_report_compares_both_engines_on_the_same_prefix(
    corpus: EvalCorpus, report: EvalReport
) -> None:
    assert report.presidio is not None and report.compared is not None
    assert report.presidio.records == report.compared.records == 10
    assert report.datamin.records == len(corpus.records) == report.corpus["records"]
    assert report.presidio.by_group["credentials"].rate is not None
    assert report.presidio.by_group["identifiers"].rate is not None
    assert report.presidio.survival() is not None
    for result in (report.datamin, report.compared, report.presidio):
        creds = [t for e, t in result.by_entity.items() if ENTITIES[e] is Category.CREDENTIAL]
        assert result.by_group["credentials"].total == sum(t.total for t in creds)
        assert result.by_group["hidden forms"].total == sum(
            t.total for t in result.by_form.values()
        )
        assert all(0 <= t.hits <= t.total for t in result.by_entity.values())
    # both engines counted over the same planted values and look-alikes
    assert report.compared.by_entity.keys() == report.presidio.by_entity.keys()
    for entity, tally in report.compared.by_entity.items():
        assert report.presidio.by_entity[entity].total == tally.total
        assert tally.total <= report.datamin.by_entity[entity].total
    assert report.compared.lookalikes["all"].total == report.presidio.lookalikes["all"].total


def test_table_has_a_row_per_entity_form_and_group(report: EvalReport) -> None:
    table = format_table(report)
    assert "presidio" in table and "look-alike survival" in table
    assert report.compared is not None
    for entity in report.compared.by_entity:
        assert re.search(rf"^{entity} ", table, re.M)
    for form in report.compared.by_form:
        assert f"hidden: {form} " in table
    for group in ("credentials", "identifiers", "names+places", "hidden forms", "all look-alikes"):
        assert f"= {group}" in table


def test_html_is_self_contained_with_a_bar_per_entity_and_engine(
    report: EvalReport, tmp_path: Path
) -> None:
    path = tmp_path / "eval" / "report.html"
    path.parent.mkdir()
    write_html(report, path)
    page = path.read_text("utf-8")
    assert page.count("<svg") == 2
    assert "<script" not in page and "src=" not in page and "<link" not in page
    leak_chart = page.split("</svg>")[0]
    assert report.compared is not None
    rows = [*report.compared.by_entity, *(f"hidden: {f}" for f in report.compared.by_form)]
    for engine in ("datamin", "presidio"):
        bars = re.findall(rf'class="bar" data-engine="{engine}" data-row="([^"]+)"', leak_chart)
        assert bars == rows


def test_cli_eval_prints_the_table_and_writes_html_and_json(tmp_path: Path) -> None:
    target = tmp_path / "eval"
    target.mkdir()
    args = ["eval", "--corpus", "generated", "--har-entries", "12", "--messages", "8"]
    args += ["--no-presidio"]
    args += ["--html", str(target / "r.html"), "--json", str(target / "r.json")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "= credentials" in result.output and "look-alike survival" in result.output
    figures = json.loads((target / "r.json").read_text())["generated"]
    assert figures["presidio"] is None and figures["datamin"]["records"] > 20
    assert "<svg" in (target / "r.html").read_text("utf-8")


# -- the public corpora (pipelines._eval_public) ----------------------------------------------

# The public corpora need Faker (the `eval` extra); without it their tests are skipped.
needs_faker = pytest.mark.skipif(find_spec("faker") is None, reason="Faker is not installed")


def _public(part: str, n: int, seed: int = 11) -> list[EvalRecord]:
    from datamin.evaluation.public import public_records

    return public_records(part, seed, n)


def _every_pair(part: str) -> int:
    """Records enough for every template of `part` to meet each of its locales once."""
    from datamin.evaluation import public

    templates, locales, own = public._SETS[part]
    return len(templates) * math.lcm(*{len(own.get(t, locales)) for t in templates})


def _fingerprint(records: list[EvalRecord]) -> str:
    rows = [(r.source, r.record, [astuple(p) for p in r.planted], r.lookalikes) for r in records]
    return json.dumps(rows, ensure_ascii=False, default=astuple, sort_keys=True)


@needs_faker
@pytest.mark.parametrize("part", ["public-dev", "public-frozen"])
def test_public_corpus_is_deterministic_and_every_value_is_planted_once(part: str) -> None:
    records = _public(part, 40)
    assert _fingerprint(records) == _fingerprint(_public(part, 40))
    labels = [p for r in records for p in r.planted]
    # one planted value, one occurrence: leak rates are rates by occurrence
    assert len({p.value for p in labels}) == len(labels)
    assert {r.source for r in records[:4]} == {HAR, "messages"}


@needs_faker
def test_frozen_part_ignores_the_seed_and_dev_follows_it() -> None:
    from datamin.evaluation.public import FROZEN_SEED

    frozen = _fingerprint(_public("public-frozen", 12, seed=FROZEN_SEED))
    assert frozen != _fingerprint(_public("public-frozen", 12, seed=12))  # the raw builder obeys
    assert _fingerprint(_public("public-dev", 12, seed=1)) != _fingerprint(
        _public("public-dev", 12)
    )


@needs_faker
def test_build_public_corpus_uses_the_frozen_seed(tmp_path: Path) -> None:
    from datamin.evaluation.public import FROZEN_SEED, build_public_corpus

    a = build_public_corpus(tmp_path / "a", "public-frozen", seed=1, records=9)
    b = build_public_corpus(tmp_path / "b", "public-frozen", seed=2, records=9)
    assert a.seed == b.seed == FROZEN_SEED
    assert a.messages_path.read_bytes() == b.messages_path.read_bytes()
    assert a.har_path.read_bytes() == b.har_path.read_bytes()


@needs_faker
@pytest.mark.parametrize("part", ["public-dev", "public-frozen"])
def test_every_planted_value_and_lookalike_is_in_its_record_as_written(part: str) -> None:
    for r in _public(part, 2 * _every_pair(part)):  # every template in its every locale, twice
        text = json.dumps(r.record, ensure_ascii=False)
        for p in r.planted:
            assert any(form in text for form in _as_stored(p.written)), (p.entity, p.where)
            assert p.form == PLAIN and (p.written == p.value or unquote_plus(p.written) == p.value)
            assert ENTITIES.get(p.entity) is not None, p.entity  # categorised, so counted
        for h in r.lookalikes:
            assert any(form in text for form in _as_stored(h.value)), (h.kind, h.where)


@needs_faker
def test_dev_and_frozen_share_no_template_locale_or_placement() -> None:
    from datamin.evaluation import templates_dev as dev
    from datamin.evaluation import templates_frozen as frozen

    assert not {t.__name__ for t in dev.TEMPLATES} & {t.__name__ for t in frozen.TEMPLATES}
    assert not set(dev.LOCALES) & set(frozen.LOCALES)
    # a request's Authorization header is where both put a bearer key; no other place is shared
    where = [
        {p.where for r in _public(part, _every_pair(part)) for p in r.planted} for part in PARTS
    ]
    assert where[0] & where[1] <= {"named:request.headers.authorization"}


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("neutral:settings.value", "neutral"),  # the public corpora say where a value sits
        ("log:line", "log"),
        ("body", "text"),  # the generator's bare paths: a message body is prose
        ("response.content.text.delivery_instructions", "text"),
        ("request.headers.authorization", "named"),
        ("http://x:y", "named"),  # a colon alone is no placement
    ],
)
def test_placement_of_a_where(where: str, expected: str) -> None:
    assert placement(where) == expected


@needs_faker
def test_tiny_public_eval_counts_every_category_without_ner(tmp_path: Path) -> None:
    from datamin.evaluation.public import build_public_corpus

    policy = tmp_path / "no_ner.yaml"
    text = REDACT_ONLY.read_text("utf-8").replace("min_score: 0.5", "min_score: 0.5\n  ner: false")
    policy.write_text(text.replace("name: redact_only", "name: no_ner"), "utf-8")
    corpus = build_public_corpus(tmp_path / "corpus", "public-dev", records=10)
    report = evaluate(corpus, policy=policy, include_presidio=False, name="public-dev")
    d = report.datamin
    assert report.name == "public-dev" and d.records == 10 and d.quarantined == 0
    labels = [p for r in corpus.records for p in r.planted]
    looks = {h.value: h for r in corpus.records for h in r.lookalikes}.values()
    for name in LEAKS:
        assert d.by_category[name].total == sum(name in leak_categories(p) for p in labels)
    for name in SURVIVALS:
        assert d.by_category[name].total == sum(name in survival_categories(h) for h in looks)
    for tally in d.by_category.values():
        assert 0 <= tally.hits <= tally.total
    cred = d.by_category["credentials, any place"]
    parts = ["  in a named field", "  in a neutral field", "  in log/free text"]
    assert cred.total == sum(d.by_category[p].total for p in parts) > 0
    assert cred.hits == sum(d.by_category[p].hits for p in parts)
    assert d.by_category["identifiers, structured"].total > 0
    assert d.by_category["names+addresses, free text"].total > 0
    table = format_table(report)
    assert "issue 11 categories" in table and "corpus public-dev" in table
    for name in [*LEAKS, *SURVIVALS]:
        assert name in table


def test_cli_eval_refuses_an_unknown_corpus_and_a_missing_faker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = CliRunner().invoke(app, ["eval", "--corpus", "nope"])
    assert result.exit_code == 2 and "--corpus must be one of" in result.output
    monkeypatch.setitem(sys.modules, "faker", None)  # import faker now raises ImportError
    result = CliRunner().invoke(app, ["eval", "--corpus", "public-frozen", "--no-presidio"])
    assert result.exit_code == 2
    assert "need Faker" in result.output and len(result.output.strip().splitlines()) == 1
