"""The policy-authoring notebooks and the views they display.

Each notebook is stored without outputs and runs headless (nbclient) on the bundled sample,
drawing its charts. The executed copy is written under `tmp_path/out_notebooks`, which the
suite's leak hook scans: no planted value may appear in anything a notebook displays.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from datamin.core.trace import FieldTrace, FindingTrace, RecordTrace
from datamin.policies.authoring.diff import DiffReport, PathChange
from datamin.policies.authoring.views import (
    diff_chart,
    entity_colour,
    findings_chart,
    highlight_html,
    resolve_policy,
    score_histograms,
    with_thresholds,
)
from datamin.policies.authoring.workbench import Explained
from datamin.policies.loader import load_policy

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
# Per notebook: at least this many charts, and whether it shows the highlighted traces.
EXPECTED = {"01_explore_a_policy": (2, True), "02_compare_two_policies": (2, False)}


def _outputs(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def test_the_notebooks_are_found() -> None:
    # An empty glob would make every parametrized test below pass without running.
    assert {p.stem for p in PATHS} >= set(EXPECTED)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.cells[0].cell_type == "markdown"  # what the notebook is for
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells[:3])
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_runs_headless_and_draws_its_charts(path: Path, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError if a cell fails
    out = tmp_path / "out_notebooks"
    out.mkdir()
    nbformat.write(nb, out / path.name)  # the leak hook scans it after this test passes

    outputs = _outputs(nb)
    assert [o for o in outputs if o.output_type == "error"] == []
    charts, highlights = EXPECTED.get(path.stem, (1, False))
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= charts
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any('class="datamin-highlight"' in h for h in html) == highlights


# -- the views ---------------------------------------------------------------------------

PLANTED_LIKE = "marta.quintero-vale@example.org"


def _field(**kw: object) -> FieldTrace:
    base: dict[str, object] = {
        "position": 0,
        "path": "body",
        "rule": "fields[3]",
        "pattern": "body",
        "action": "scan",
        "outcome": "changed",
        "retention": "operations",
        "column": "body",
    }
    return FieldTrace(**{**base, **kw})  # type: ignore[arg-type]


def _explained(*fields: FieldTrace) -> list[Explained]:
    trace = RecordTrace("/tmp/x/messages.jsonl", 1, "messages", "written", None, list(fields))
    return [Explained(trace, None)]


def test_highlight_shows_the_shown_value_never_the_stored_one() -> None:
    email = FindingTrace("EMAIL_ADDRESS", 8, 39, 0.95, "patterns", "replaced", "<EMAIL_ADDRESS>")
    name = FindingTrace("PERSON", 0, 5, 0.7, "ner", "below threshold 0.80")
    field = _field(
        findings=(name, email),
        value=f"Marta: {PLANTED_LIKE}",  # as if the name had been kept: never displayed
        shown="<PERSON kept>: <EMAIL_ADDRESS>",
    )
    html = highlight_html(_explained(field))
    assert PLANTED_LIKE not in html and "Marta" not in html
    assert "&lt;EMAIL_ADDRESS&gt;</span>" in html and "&lt;PERSON kept&gt;</span>" in html
    assert f"background:{entity_colour('EMAIL_ADDRESS')}" in html  # replaced: filled
    assert f"dashed {entity_colour('PERSON')}" in html  # detected but kept: outlined
    assert "below threshold 0.80" in html  # the finding's status, in the span's title


def test_highlight_escapes_markup_in_values_and_paths() -> None:
    shown = '<script>alert("x")</script> & <PERSON>'
    field = _field(path="a<i>", outcome="kept", value="x", shown=shown)
    html = highlight_html(_explained(field))
    assert "<script>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "a&lt;i&gt;" in html and "&amp;" in html
    # A placeholder no finding explains is still marked, as the entity it names.
    assert f"background:{entity_colour('PERSON')}" in html


def test_highlight_marks_replacements_and_rule_changes_and_drops() -> None:
    pseudonym = FindingTrace("PHONE_NUMBER", 4, 16, 0.95, "patterns", "replaced", "psn_0a1b2c")
    scanned = _field(findings=(pseudonym,), value="x", shown="call psn_0a1b2c")
    by_rule = _field(path="from", action="pseudonymize", value="psn_ffff", shown="psn_ffff")
    dropped = _field(path="account_sid", action="drop", outcome="dropped", retention=None)
    html = highlight_html(_explained(scanned, by_rule, dropped))
    assert f"background:{entity_colour('PHONE_NUMBER')}" in html and ">psn_0a1b2c</span>" in html
    assert 'title="pseudonymize by fields[3]">psn_ffff</span>' in html
    assert "dropped: rule" in html and "account_sid" in html
    assert "account_sid" not in highlight_html(_explained(scanned, dropped), dropped=False)


def test_charts_draw_counts_scores_and_thresholds() -> None:
    counts = findings_chart(Counter({"PERSON": 3, "EMAIL_ADDRESS": 1}))
    assert len(counts.axes[0].patches) == 2
    scores = {"PERSON": [0.7, 0.85, 0.9], "EMAIL_ADDRESS": [0.95]}
    histograms = score_histograms(scores, {"PERSON": 0.8}, 0.5)
    lines = {ax.get_title().split()[0]: ax.lines[0].get_xdata()[0] for ax in histograms.axes[:2]}
    assert lines == {"EMAIL_ADDRESS": 0.5, "PERSON": 0.8}  # the entity's own, else min_score
    assert "1 below" in histograms.axes[1].get_title()
    report = DiffReport(
        "a (1)", "b (2)", 3, {"written": (3, 3)}, newly_kept=[PathChange("x", 0, 3, "", "keep")]
    )
    report.findings, report.stored_bytes = {"PERSON": (2, 0)}, {"debug": (100, 140)}
    for fig in (counts, histograms, diff_chart(report), findings_chart(Counter())):
        fig.savefig(io.BytesIO(), format="png")  # renders without a display


def test_with_thresholds_extends_the_policy(tmp_path: Path) -> None:
    path = with_thresholds(resolve_policy("redact_only"), {"PERSON": 0.9}, tmp_path)
    loaded = load_policy(path)
    assert loaded.policy.name == "redact_only"
    assert dict(loaded.policy.detection.thresholds) == {"PERSON": 0.9}
    assert loaded.policy.detection.min_score == 0.5  # the rest is the base policy's
