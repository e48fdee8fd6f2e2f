"""What the policy-authoring notebooks display: traces as highlighted HTML, finding counts, score
histograms against thresholds, and a policy diff as a chart.

Everything here reads traces only, and of a field only what `FieldTrace.shown` holds: a detected
value appears as its replacement or as `<ENTITY kept>`, never as itself. Charts are plain
`Figure` objects (no pyplot state), which a notebook displays as images.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from datamin.core.trace import FieldTrace, RecordTrace
from datamin.policies import bundled
from datamin.policies.authoring.diff import DiffReport
from datamin.policies.authoring.workbench import Explained
from datamin.redactors.entities import ENTITIES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Light enough for dark text on top, distinct enough for bars; one per catalogue entity.
_PALETTE = (
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d",
    "#9edae5", "#8dd3c7", "#ffed6f", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69",
    "#fccde5", "#bc80bd", "#ccebc5", "#e5c494",
)  # fmt: skip
# A value the field's own rule changed (pseudonymized, generalized), not a finding.
_RULE_STYLE = "background:#e0e0e0;font-style:italic;padding:0 2px"
_CELL = "text-align:left;vertical-align:top"
_VALUE_CELL = f"{_CELL};font-family:monospace;white-space:pre-wrap;word-break:break-all"
_PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]{1,39})( kept)?>")


def entity_colour(entity: str) -> str:
    """The same colour for an entity in every table and chart."""
    names = list(ENTITIES)
    index = names.index(entity) if entity in names else len(names) + sum(map(ord, entity))
    return _PALETTE[index % len(_PALETTE)]


def resolve_policy(name_or_path: str | Path) -> Path:
    """A bundled policy by short name (`api_logs`), else a policy file's path."""
    candidate = bundled(str(name_or_path))
    return candidate if candidate.is_file() else Path(name_or_path)


def with_thresholds(policy: Path, thresholds: Mapping[str, float], directory: Path) -> Path:
    """A policy file in `directory` that extends `policy` with other detection thresholds: a
    threshold tried without editing the policy."""
    import yaml

    doc = {"extends": str(policy.resolve()), "detection": {"thresholds": dict(thresholds)}}
    path = directory / f"{policy.stem}.thresholds.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


# -- highlighted traces --------------------------------------------------------------------


def _text(value: object) -> str:
    # Text nodes need only &, < and > escaped; leaving quotes as they are keeps a value in the
    # form the suite's leak scan looks for.
    return html.escape(str(value), quote=False)


def _span(text: str, style: str, title: str = "") -> str:
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<span style="{style}"{tip}>{_text(text)}</span>'


def _entity_style(entity: str, replaced: bool) -> str:
    """Replacements filled with the entity's colour; spans detected but kept outlined in it."""
    colour = entity_colour(entity)
    fill = f"background:{colour}" if replaced else f"border:2px dashed {colour}"
    return f"{fill};border-radius:3px;padding:0 2px"


def _highlight(field: FieldTrace) -> str:
    """The field's `shown` value with each replacement and each kept span marked."""
    shown = field.shown or ""
    tokens: dict[str, tuple[str, bool, set[str]]] = {}
    for x in field.findings:
        token = x.replacement if x.replaced and x.replacement else f"<{x.entity} kept>"
        tokens.setdefault(token, (x.entity, x.replaced, set()))[2].add(f"{x.score:.2f} {x.status}")
    if not tokens and field.outcome == "changed":
        return _span(shown, _RULE_STYLE, f"{field.action} by {field.rule}")
    alternatives = [re.escape(t) for t in sorted(tokens, key=len, reverse=True)]
    pattern = re.compile("|".join([*alternatives, _PLACEHOLDER.pattern]))
    out, at = [], 0
    for m in pattern.finditer(shown):
        if m.group() in tokens:
            entity, replaced, statuses = tokens[m.group()]
        else:  # a placeholder no finding of this field explains
            entity, replaced, statuses = m.group(1), not m.group(2), set()
        detail = ", ".join(sorted(statuses)) or ("replaced" if replaced else "kept")
        out += [_text(shown[at : m.start()])]
        out += [_span(m.group(), _entity_style(entity, replaced), f"{entity}: {detail}")]
        at = m.end()
    out.append(_text(shown[at:]))
    return "".join(out)


def _row(field: FieldTrace) -> str:
    where = f"{field.retention}/{field.column}" if field.column else field.retention
    decision = f"<code>{_text(field.path)}</code><br>{_text(field.action)} &middot; "
    decision += _text(field.rule)
    if field.outcome == "dropped":
        value = _span(f"dropped: {field.reason or 'rule'}", "color:#888")
    else:
        decision += f"<br>{field.outcome} in <b>{_text(where)}</b>"
        value = _highlight(field)
    return f'<tr><td style="{_CELL}">{decision}</td><td style="{_VALUE_CELL}">{value}</td></tr>'


def _record_table(trace: RecordTrace, dropped: bool) -> str:
    head = f"{_text(Path(trace.source).name)} #{trace.index} &middot; {_text(trace.kind or '?')}"
    head += f" &middot; <b>{_text(trace.outcome)}</b>"
    if trace.error:
        head += f" ({_text(trace.error)})"
    rows = "".join(_row(f) for f in trace.fields if dropped or f.outcome != "dropped")
    return (
        f'<table style="margin:0 0 1.5em 0"><caption style="{_CELL}">{head}</caption>'
        f"<tr><th>field, rule, where stored</th><th>stored value, as shown</th></tr>{rows}</table>"
    )


def highlight_html(
    explained: Iterable[Explained], *, max_records: int = 5, dropped: bool = True
) -> str:
    """Each record's fields side by side with their stored values, replacements filled with
    their entity's colour and spans detected but kept outlined. `dropped=False` hides fields
    the policy drops."""
    traces = [e.trace for _, e in zip(range(max_records), explained, strict=False)]
    entities = sorted({x.entity for t in traces for f in t.fields for x in f.findings})
    legend = [_span(e, _entity_style(e, True)) for e in entities]
    legend += [_span("<ENTITY kept>", _entity_style(entities[0] if entities else "", False))]
    legend += [_span("changed by the field's rule", _RULE_STYLE)]
    tables = "".join(_record_table(t, dropped) for t in traces)
    return f'<div class="datamin-highlight"><p>{" ".join(legend)}</p>{tables}</div>'


# -- charts --------------------------------------------------------------------------------


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def findings_chart(counts: Mapping[str, int], *, title: str = "findings by entity") -> Figure:
    """One bar per entity type, most frequent on top."""
    fig = _figure(7, 1.2 + 0.3 * max(len(counts), 1))
    ax = fig.subplots()
    ax.set_title(title)
    if not counts:
        ax.text(0.5, 0.5, "no findings", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    entities = sorted(counts, key=lambda e: (counts[e], e))
    colours = [entity_colour(e) for e in entities]
    bars = ax.barh(entities, [counts[e] for e in entities], color=colours, edgecolor="#555")
    ax.bar_label(bars, padding=2)
    ax.set_xlabel("findings")
    return fig


def score_histograms(
    scores: Mapping[str, Sequence[float]],
    thresholds: Mapping[str, float],
    min_score: float,
    *,
    columns: int = 3,
) -> Figure:
    """A histogram of finding scores per entity type, findings below the threshold in grey,
    with the threshold (the entity's own, else `min_score`) as a dashed line."""
    entities = sorted(scores)
    rows = max(math.ceil(len(entities) / columns), 1)
    fig = _figure(3.4 * columns, 2.3 * rows)
    axes = fig.subplots(rows, columns, squeeze=False).flatten()
    bins = [i / 50 for i in range(51)]
    for ax, entity in zip(axes, entities, strict=False):
        threshold = thresholds.get(entity, min_score)
        below = [s for s in scores[entity] if s < threshold]
        above = [s for s in scores[entity] if s >= threshold]
        ax.hist([below, above], bins=bins, stacked=True, color=["#bbbbbb", entity_colour(entity)])
        ax.axvline(threshold, color="#c0392b", linestyle="--", linewidth=1.5)
        ax.set_title(f"{entity}  n={len(scores[entity])}, {len(below)} below", fontsize=9)
        # Scores crowd near 1: zoom in, but keep the threshold and the lowest score in view.
        low = min(0.4, threshold, *scores[entity]) - 0.02
        ax.set_xlim(math.floor(low * 10) / 10, 1.01)
        ax.tick_params(labelsize=8)
    for ax in axes[len(entities) :]:
        ax.set_axis_off()
    if not entities:
        axes[0].text(0.5, 0.5, "no findings", ha="center", va="center")
    fig.suptitle("finding scores; dashed: threshold")
    return fig


def _grouped(ax: Axes, labels: list[str], pairs: list[tuple[int, int]], names: list[str]) -> None:
    """Base and candidate bars next to each other for each label."""
    xs = range(len(labels))
    for side, (name, colour) in enumerate(zip(names, ("#80b1d3", "#fdb462"), strict=True)):
        offsets = [x + (side - 0.5) * 0.4 for x in xs]
        values = [p[side] for p in pairs]
        bars = ax.bar(offsets, values, width=0.4, label=name, color=colour)
        ax.bar_label(bars, [f"{v:,}" if v else "" for v in values], padding=2, fontsize=7)
    ax.set_xticks(list(xs), labels, rotation=40, ha="right", fontsize=8)
    ax.margins(y=0.12)


def diff_chart(report: DiffReport) -> Figure:
    """Bytes stored per retention class and findings replaced per entity, base next to
    candidate."""
    fig = _figure(12, 4.5)
    left, right = fig.subplots(1, 2, width_ratios=[1, 2])
    names = [f"base: {report.base}", f"candidate: {report.candidate}"]
    classes = list(report.stored_bytes)
    _grouped(left, classes, [report.stored_bytes[c] for c in classes], names)
    left.set_title("bytes stored, by retention class (zstd Parquet)")
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower center", ncols=2)
    entities = list(report.findings)
    if entities:
        _grouped(right, entities, [report.findings[e] for e in entities], names)
    else:
        right.text(0.5, 0.5, "no findings", ha="center", va="center")
    right.set_title("findings replaced, by entity")
    fig.suptitle(
        f"{report.records} records: {len(report.newly_kept)} fields newly kept, "
        f"{len(report.newly_dropped)} newly dropped, {len(report.changed)} stored differently"
    )
    return fig
