"""Inline SVG charts for the report, drawn by hand: horizontal bars, stacked when there are
several series. Each chart is an accessible image (`role="img"`, a title and a description it
is labelled by, a `<title>` on every bar for its exact figures) and well-formed XML; nothing
it draws reaches outside the page."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

# Okabe-Ito: told apart with the common colour vision deficiencies.
BLUE, ORANGE, VERMILLION, GREY, GREEN = "#0072B2", "#E69F00", "#D55E00", "#8C8C8C", "#009E73"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LABEL_W, _BAR_W, _VALUE_W = 250, 400, 90
_ROW_H, _BAR_H = 20, 14
_MAX_LABEL = 36


def esc(value: object) -> str:
    """Text for HTML and XML alike: escaped, and without the characters XML 1.0 forbids (an
    audit record is a file in the output; one holding a control character or a lone surrogate
    must not break the page)."""
    return html.escape(_NOT_XML.sub("\ufffd", str(value)), quote=True)


def bar_chart(
    chart_id: str, title: str, desc: str, items: Sequence[tuple[str, int]], colour: str = BLUE
) -> str:
    """One bar per item, its count at its end."""
    return stacked_chart(chart_id, title, desc, [(k, [n]) for k, n in items], [("count", colour)])


def stacked_chart(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[tuple[str, str]],
) -> str:
    """One bar per row, its parts one per series (name, colour) side by side, the row's total
    at its end; a legend when there is more than one series."""
    legend = len(series) > 1
    top = 48 if legend else 32
    height = top + _ROW_H * max(len(rows), 1) + 28
    width = _LABEL_W + _BAR_W + _VALUE_W
    scale = _nice(max((sum(values) for _, values in rows), default=0))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{esc(chart_id)}" role="img" '
        f'aria-labelledby="{esc(chart_id)}-title {esc(chart_id)}-desc" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" '
        'font-size="12">',
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
        f'<desc id="{esc(chart_id)}-desc">{esc(desc)}</desc>',
        f'<text x="4" y="18" font-size="14" font-weight="bold" fill="#222">{esc(title)}</text>',
    ]
    if legend:
        x = _LABEL_W
        for name, colour in series:
            out.append(f'<rect x="{x}" y="28" width="11" height="11" fill="{esc(colour)}"/>')
            out.append(f'<text x="{x + 15}" y="38" fill="#222">{esc(name)}</text>')
            x += 20 + 8 * len(name)
    axis = top + _ROW_H * max(len(rows), 1)
    for i in range(5):
        x = _LABEL_W + _BAR_W * i / 4
        out.append(f'<line x1="{x:g}" y1="{top - 4}" x2="{x:g}" y2="{axis}" stroke="#ddd"/>')
        tick = f"{scale * i // 4:,}"
        out.append(
            f'<text x="{x:g}" y="{axis + 16}" text-anchor="middle" fill="#555">{tick}</text>'
        )
    if not rows:
        out.append(f'<text x="{_LABEL_W + 6}" y="{top + 14}" fill="#555">nothing to show</text>')
    for r, (label, values) in enumerate(rows):
        y = top + r * _ROW_H
        shown = label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1] + "\u2026"
        figures = ", ".join(f"{name} {n:,}" for (name, _), n in zip(series, values, strict=True))
        out.append(f"<g><title>{esc(label)}: {esc(figures)}</title>")
        out.append(
            f'<text x="{_LABEL_W - 8}" y="{y + _BAR_H - 2}" text-anchor="end" '
            f'fill="#222">{esc(shown)}</text>'
        )
        x = float(_LABEL_W)
        for (name, colour), n in zip(series, values, strict=True):
            w = _BAR_W * n / scale if scale else 0.0
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{_BAR_H}" '
                    f'fill="{esc(colour)}" data-series="{esc(name)}" data-value="{n}"/>'
                )
            x += w
        out.append(f'<text x="{x + 5:.1f}" y="{y + _BAR_H - 2}" fill="#222">{sum(values):,}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _nice(top: int) -> int:
    """The axis's end: the least 4 x (1, 2, 2.5 or 5 x a power of ten) at least `top`, so its
    four ticks are round whole numbers."""
    if top <= 0:
        return 0
    step = 1
    while True:
        for m in (1, 2, 2.5, 5) if step > 1 else (1, 2, 5):
            if m * step * 4 >= top:
                return int(m * step * 4)
        step *= 10
