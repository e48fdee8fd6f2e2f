"""The report's page: well-formed HTML, each chart well-formed SVG that labels itself, nothing
it fetches, no planted value, figures that are the audit's, expired partitions marked, and
whatever an audit record holds escaped."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from datamin.leakscan import scan_text
from datamin.report import collect, render_html
from datamin.report.summary import Summary
from datamin.report.svg import _nice, bar_chart, esc
from tests.report.conftest import Built

SVG = "{http://www.w3.org/2000/svg}"
XMLNS = 'xmlns="http://www.w3.org/2000/svg"'
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "area", "base", "source"}
SVG_TAGS = {"svg", "g", "rect", "line", "text", "title", "desc"}


class _Checker(HTMLParser):
    """Every element closed in order (void elements excepted, SVG's empty ones allowed); what
    each tag and attribute is, and the style sheet's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        if tag not in SVG_TAGS and tag not in VOID:
            self.problems.append(f"<{tag}/> outside SVG")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack[-1:] == ["style"]:
            self.style += data


def well_formed(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.problems == [] and checker.stack == []
    assert page.startswith("<!doctype html>")
    return checker


def charts(page: str) -> list[ET.Element]:
    found = [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", page, re.S)]
    for svg in found:
        assert svg.tag == f"{SVG}svg"
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return found


def self_contained(page: str, *, text_too: bool = True) -> None:
    """Nothing the page would fetch: no element that loads, no attribute that points out, no
    `url(` in its style; with `text_too`, no http(s) address anywhere but SVG's namespace."""
    checker = well_formed(page)
    assert not {"script", "link", "img", "iframe", "object", "embed", "image", "use"} & set(
        checker.tags
    )
    for name, value in checker.attrs:
        assert name not in ("src", "srcset", "xlink:href", "action", "data") or not value
        assert name != "href" or value.startswith("#")
        assert name == "xmlns" or "://" not in value
    assert "url(" not in checker.style and "@import" not in checker.style
    if text_too:
        without_namespace = page.replace(XMLNS, "")
        assert "http://" not in without_namespace and "https://" not in without_namespace


@pytest.fixture(scope="module")
def as_expired(built: Built) -> Summary:
    """The output as of an hour after its last short-class partition expired."""
    short = [p for p in collect(built.out).partitions if p.retention == "operations"]
    last = max(datetime.fromisoformat(p.expires or "") for p in short).replace(tzinfo=UTC)
    return collect(built.out, now=last + timedelta(hours=1))


def test_the_page_is_well_formed_and_each_chart_is_labelled_svg(as_expired: Summary) -> None:
    page = render_html(as_expired)
    well_formed(page)
    ids = [svg.get("id") for svg in charts(page)]
    assert ids == ["chart-runs", "chart-findings", "chart-quarantine", "chart-classes"]
    assert '<html lang="en">' in page and "<caption>" in page


def test_the_page_fetches_nothing(built: Built, as_expired: Summary) -> None:
    self_contained(render_html(as_expired))
    self_contained(render_html(collect(built.disposed)))


def test_no_planted_value_is_on_the_page(built: Built, as_expired: Summary) -> None:
    pages = [
        render_html(as_expired),
        render_html(collect(built.disposed)),
        render_html(collect(built.out, run=built.audits()[0]["run_id"])),
    ]
    for page in pages:
        assert scan_text(page, built.needles) == []
        assert scan_text(json.dumps(as_expired.to_json()), built.needles) == []


def test_the_figures_are_the_audits(built: Built, as_expired: Summary) -> None:
    page = render_html(as_expired)
    audits = [a for a in built.audits() if a.get("kind") != "compact"]
    records_in = sum(a["records_in"] for a in audits)
    assert f'<th scope="row">records in</th><td class="n">{records_in:,}</td>' in page
    assert '<th scope="row">stream batches</th><td class="n">2</td>' in page
    assert '<th scope="row">compactions</th><td class="n">1</td>' in page
    runs = next(svg for svg in charts(page) if svg.get("id") == "chart-runs")
    drawn: dict[str, int] = {}
    for rect in runs.iter(f"{SVG}rect"):
        if rect.get("data-series"):
            drawn[rect.get("data-series", "")] = drawn.get(rect.get("data-series", ""), 0) + int(
                rect.get("data-value", "0")
            )
    for series in ("written", "quarantined"):
        assert drawn[series] == sum(a[f"records_{series}"] for a in audits)
    assert sum(drawn.values()) == records_in  # each bar is as long as the records read
    for entity, n in as_expired.findings_by_entity.items():
        assert f'<th scope="row">{esc(entity)}</th><td class="n">{n:,}</td>' in page


def test_expired_partitions_are_marked(as_expired: Summary) -> None:
    page = render_html(as_expired)
    expired = [p for p in as_expired.partitions if p.status == "expired"]
    assert expired and len(expired) < len(as_expired.partitions)
    rows = re.findall(r'<tr class="expired">(.*?)</tr>', page)
    assert len(rows) == len(expired)
    for row, partition in zip(rows, expired, strict=True):
        assert f"<td>{partition.day}</td>" in row and ">expired</td>" in row
    assert page.count('<td class="status">current</td>') == len(as_expired.partitions) - len(
        expired
    )
    classes = next(svg for svg in charts(page) if svg.get("id") == "chart-classes")
    drawn = [
        int(r.get("data-value", "0"))
        for r in classes.iter(f"{SVG}rect")
        if r.get("data-series") == "expired"
    ]
    assert sum(drawn) == sum(p.rows for p in expired) > 0


def test_the_disposal_and_one_run_appear(built: Built) -> None:
    page = render_html(collect(built.disposed))
    (disposal,) = collect(built.disposed).disposals
    assert f'<th scope="row">{disposal.disposal_id}</th>' in page
    assert f"operations: {disposal.partitions} partitions" in page
    run_id = built.audits()[0]["run_id"]
    one = render_html(collect(built.disposed, run=run_id))
    well_formed(one)
    assert f"datamin report: run {run_id}" in one
    assert "Files the run wrote that are no longer there" in one


def test_what_an_audit_record_holds_is_escaped(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "out-escaped"
    shutil.copytree(built.disposed, out)
    record = {
        "run_id": "20260101T000000Z-0000cc",
        "policy": "<script>alert(1)</script>",
        "records_in": 1,
        "records_quarantined": 1,
        "findings_by_entity": {'<img src="https://x.example/a.png">': 1},
        "findings_by_entity_and_path": {"E": {"a.<b>\x01\ud800": 1}},
        "quarantine_by_error": {"Err</svg><script>": 1},
    }
    (out / "_audit" / "runs" / "20260101T000000Z-0000cc.json").write_text(json.dumps(record))
    page = render_html(collect(out))
    well_formed(page)
    charts(page)  # still XML: the control character and the lone surrogate are replaced
    self_contained(page, text_too=False)  # the planted address is text, escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page.encode("utf-8")


def test_charts_scale_and_escape() -> None:
    assert [_nice(n) for n in (0, 1, 4, 5, 21, 40, 41, 999)] == [0, 4, 4, 8, 40, 40, 80, 1000]
    assert esc("a<b>&\"'\x1b\ud800") == "a&lt;b&gt;&amp;&quot;&#x27;\ufffd\ufffd"
    empty = ET.fromstring(bar_chart("c", "t", "d", []))
    assert "nothing to show" in "".join(empty.itertext())
    long = ET.fromstring(bar_chart("c", "t", "d", [("x" * 80, 3)]))
    titles = [t.text or "" for t in long.iter(f"{SVG}title")]
    assert any("x" * 80 in t for t in titles)  # the full label, on hover and to a reader


def test_a_headless_browser_renders_the_page(built: Built, tmp_path: Path) -> None:
    """A screenshot, where a headless Chromium is installed (none is on the project machines;
    nothing is installed for this test)."""
    browsers = ("chromium", "chromium-browser", "google-chrome")
    browser = next((b for b in browsers if shutil.which(b)), None)
    if browser is None:
        pytest.skip("no headless browser installed")
    page = tmp_path / "report.html"
    page.write_text(render_html(collect(built.disposed)), encoding="utf-8")
    shot = tmp_path / "shot.png"
    command = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run"]
    command += [f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    assert shot.stat().st_size > 10_000
