"""`datamin eval`: the labelled corpus holds what it claims, and the counts are counted right.

The targets of issue 3 are measurements for the closing note, not assertions here.
"""

from __future__ import annotations

import base64
import html
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from pipelines._eval_corpus import FORMS, HAR, PLAIN, EvalCorpus, EvalRecord, Label
from pipelines.cli import app
from pipelines.evaluate import (
    EvalReport,
    Tally,
    build_corpus,
    evaluate,
    format_table,
    measure,
    write_html,
)
from pipelines.sample import Lookalike
from redactors.entities import ENTITIES, Category

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
    args = ["eval", "--har-entries", "12", "--messages", "8", "--no-presidio"]
    args += ["--html", str(target / "r.html"), "--json", str(target / "r.json")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "= credentials" in result.output and "look-alike survival" in result.output
    figures = json.loads((target / "r.json").read_text())
    assert figures["presidio"] is None and figures["datamin"]["records"] > 20
    assert "<svg" in (target / "r.html").read_text("utf-8")
