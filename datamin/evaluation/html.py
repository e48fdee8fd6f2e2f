"""`datamin eval --html`: one self-contained page, inline SVG drawn by hand, no library."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from datamin.evaluation.run import EvalReport, Tally, _rows, format_table

_COLOURS = {"datamin": "#2b6cb0", "presidio": "#c05621"}


def _svg_chart(title: str, rows: list[tuple[str, dict[str, float | None]]]) -> str:
    """Horizontal bars, 0-100 %, one per row and engine; written by hand, no library."""
    label_w, bar_w, bar_h, gap = 190, 480, 11, 8
    engines = sorted({e for _, values in rows for e in values}, key=list(_COLOURS).index)
    row_h = bar_h * len(engines) + gap
    top = 44
    height = top + row_h * len(rows) + 24
    width = label_w + bar_w + 70
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<text x="4" y="16" font-size="14" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, engine in enumerate(engines):
        x = label_w + i * 110
        out.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{_COLOURS[engine]}"/>')
        out.append(f'<text x="{x + 14}" y="33">{engine}</text>')
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        y2 = height - 20
        out.append(f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{y2}" stroke="#ddd"/>')
        out.append(f'<text x="{x}" y="{y2 + 14}" text-anchor="middle">{tick}%</text>')
    for r, (name, values) in enumerate(rows):
        y = top + r * row_h
        label = html.escape(name)
        mid = y + bar_h * len(engines) / 2 + 4
        out.append(f'<text x="{label_w - 6}" y="{mid}" text-anchor="end">{label}</text>')
        for i, engine in enumerate(engines):
            rate = values.get(engine)
            w = 0.0 if rate is None else bar_w * rate
            by = y + i * bar_h
            text = "n/a" if rate is None else f"{100 * rate:.1f}%"
            out.append(
                f'<rect class="bar" data-engine="{engine}" data-row="{label}" x="{label_w}" '
                f'y="{by}" width="{w:.1f}" height="{bar_h - 1}" fill="{_COLOURS[engine]}">'
                f"<title>{engine} {label}: {text}</title></rect>"
            )
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{by + bar_h - 2}">{text}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _section(report: EvalReport) -> list[str]:
    """One corpus: inline SVG charts of leak rate per entity and hidden form, and of look-alike
    survival per kind, for each engine; then the table."""
    engines = {"datamin": report.compared or report.datamin}
    if report.presidio is not None:
        engines["presidio"] = report.presidio
    base = engines["datamin"]
    leak_rows = [
        (label, {e: (getattr(r, section).get(key) or Tally(0, 0)).rate for e, r in engines.items()})
        for section, label, key in _rows(report)
        if section != "by_group"
    ]
    look_rows = [
        (kind, {e: r.survival(kind) for e, r in engines.items()}) for kind in base.lookalikes
    ]
    records = f"first {base.records} records" if report.presidio else f"{base.records} records"
    return [
        f"<h2>corpus {html.escape(report.name)}</h2>",
        _svg_chart(f"Leak rate of planted values ({records})", leak_rows),
        _svg_chart(f"Look-alikes surviving ({records})", look_rows),
        f"<pre>{html.escape(format_table(report))}</pre>",
    ]


def write_html(reports: EvalReport | Sequence[EvalReport], path: Path) -> None:
    """A self-contained page with a section per corpus."""
    reports = [reports] if isinstance(reports, EvalReport) else list(reports)
    policy = html.escape(reports[0].policy)
    page = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>datamin eval: {policy}</title>",
        "<style>body{font-family:sans-serif;margin:2em}pre{font-size:12px}</style>",
        "</head><body>",
        f"<h1>datamin eval, policy {policy}</h1>",
    ]
    for report in reports:
        page += _section(report)
    page.append("</body></html>")
    path.write_text("\n".join(page) + "\n", encoding="utf-8")
