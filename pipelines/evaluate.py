"""`datamin eval`: datamin and plain Presidio side by side on a labelled corpus.

For every planted value (`pipelines._eval_corpus`) it asks whether the value survives anywhere in
what each engine leaves, in any form the leak scan knows (`datamin.leakscan.needles_for`) or as
written; and for every harmless look-alike whether it is still there verbatim. Plain Presidio
manages a few records a second, so it runs on a prefix of the corpus, and datamin is measured on
that same prefix for the comparison as well as on the whole corpus. Only counts leave here.
"""

from __future__ import annotations

import html
import json
import secrets
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from datamin.leakscan import needles_for, scan_tree
from pipelines._eval_corpus import FORMS, PLAIN, EvalCorpus, EvalRecord, Label, build_corpus
from pipelines.sample import Lookalike
from policies import bundled
from redactors.entities import ENTITIES, Category

__all__ = ["EngineResult", "EvalReport", "Tally", "build_corpus", "evaluate", "format_table"]
__all__ += ["measure", "write_html"]

REDACT_ONLY = bundled("redact_only")
GROUPS: dict[str, Callable[[Label], bool]] = {
    "credentials": lambda p: p.form == PLAIN and ENTITIES.get(p.entity) is Category.CREDENTIAL,
    "identifiers": lambda p: p.form == PLAIN and ENTITIES.get(p.entity) is Category.IDENTIFIER,
    "names+places": lambda p: (
        p.form == PLAIN and ENTITIES.get(p.entity) in (Category.PERSON, Category.LOCATION)
    ),
    "hidden forms": lambda p: p.form != PLAIN,
}


@dataclass(frozen=True)
class Tally:
    total: int
    hits: int  # planted values that survived, or look-alikes destroyed

    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class EngineResult:
    """One engine on one set of records: leaks by entity (plain values), by hidden form and by
    group; look-alikes destroyed by kind (key "all" for every kind together)."""

    engine: str
    records: int
    seconds: float
    quarantined: int
    by_entity: dict[str, Tally]
    by_form: dict[str, Tally]
    by_group: dict[str, Tally]
    lookalikes: dict[str, Tally]

    def survival(self, kind: str = "all") -> float | None:
        rate = self.lookalikes[kind].rate if kind in self.lookalikes else None
        return None if rate is None else 1 - rate


@dataclass(frozen=True)
class EvalReport:
    policy: str
    seed: int
    corpus: dict[str, int]  # har_entries, messages, hidden, records
    datamin: EngineResult  # the whole corpus
    compared: EngineResult | None = None  # datamin on the records Presidio saw
    presidio: EngineResult | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("datamin", "compared", "presidio"):
            result: EngineResult | None = getattr(self, key)
            if result is None:
                continue
            for section in ("by_entity", "by_form", "by_group", "lookalikes"):
                for name, tally in getattr(result, section).items():
                    out[key][section][name]["rate"] = tally.rate
        return out


def _found(root: Path, needle_sets: list[list[tuple[str, str]]]) -> list[bool]:
    """For each set of needles: is any of them anywhere under `root`? One scan for all."""
    needles, owner = [], []
    for i, needle_set in enumerate(needle_sets):
        needles += needle_set
        owner += [i] * len(needle_set)
    hits = {owner[leak.needle_index] for leak in scan_tree(root, needles)}
    return [i in hits for i in range(len(needle_sets))]


def _needles(label: Label) -> list[tuple[str, str]]:
    """The decoded value in every form the leak scan knows, and the value as written."""
    forms = {label.value, label.written}
    return needles_for([_Value(label.entity, v) for v in forms])


def _verbatim(look: Lookalike) -> list[tuple[str, str]]:
    """A look-alike as written, and as a JSON string (or JSON in a JSON string) holds it."""
    escaped = json.dumps(look.value, ensure_ascii=False)[1:-1]
    twice = json.dumps(escaped, ensure_ascii=False)[1:-1]
    return [(look.kind, v) for v in dict.fromkeys((look.value, escaped, twice))]


@dataclass(frozen=True)
class _Value:
    entity: str
    value: str


def measure(
    root: Path,
    records: list[EvalRecord],
    *,
    engine: str,
    seconds: float = 0.0,
    quarantined: int = 0,
) -> EngineResult:
    """Count, over the distinct values planted in `records`, those surviving under `root`, and
    the distinct look-alikes no longer found verbatim there."""
    planted = list({(p.entity, p.value, p.form): p for r in records for p in r.planted}.values())
    looks = list({h.value: h for r in records for h in r.lookalikes}.values())
    found = _found(root, [_needles(p) for p in planted] + [_verbatim(h) for h in looks])
    survived, kept = found[: len(planted)], found[len(planted) :]

    def tally(pairs: Iterable[tuple[str, bool]]) -> dict[str, Tally]:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for key, hit in pairs:
            counts[key][0] += 1
            counts[key][1] += hit
        return {k: Tally(n, h) for k, (n, h) in counts.items()}

    rows = list(zip(planted, survived, strict=True))
    by_group = tally((g, s) for p, s in rows for g, test in GROUPS.items() if test(p))
    destroyed = [(h.kind, not k) for h, k in zip(looks, kept, strict=True)]
    return EngineResult(
        engine=engine,
        records=len(records),
        seconds=seconds,
        quarantined=quarantined,
        by_entity=_ordered(tally((p.entity, s) for p, s in rows if p.form == PLAIN), ENTITIES),
        by_form=_ordered(tally((p.form, s) for p, s in rows if p.form != PLAIN), FORMS),
        by_group={g: by_group.get(g, Tally(0, 0)) for g in GROUPS},
        lookalikes=dict(sorted(tally(destroyed).items())) | tally(("all", d) for _, d in destroyed),
    )


def _ordered(tallies: dict[str, Tally], order: Iterable[str]) -> dict[str, Tally]:
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(tallies.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))


def _baseline() -> ModuleType:
    """The plain-Presidio baseline the benchmarks use, so both measure the same thing."""
    from benchmarks import baseline_presidio

    return baseline_presidio


def _run_datamin(
    files: list[Path], records: list[EvalRecord], output: Path, policy: Path, key: Path
) -> EngineResult:
    from pipelines import batch

    started = time.perf_counter()
    result = batch.run([str(f) for f in files], output, policy, key_file=key)
    seconds = time.perf_counter() - started
    quarantined = int(result.audit.get("records_quarantined", 0))
    return measure(output, records, engine="datamin", seconds=seconds, quarantined=quarantined)


def _run_presidio(records: list[EvalRecord], output: Path) -> EngineResult:
    baseline = _baseline()
    engines = baseline.build_baseline()
    started = time.perf_counter()
    redacted = baseline.redact_records_baseline([r.record for r in records], engines)
    seconds = time.perf_counter() - started
    output.mkdir(parents=True)
    (output / "redacted.json").write_text(json.dumps(redacted, ensure_ascii=False), "utf-8")
    return measure(output, records, engine="presidio", seconds=seconds)


def evaluate(
    corpus: EvalCorpus,
    *,
    policy: Path = REDACT_ONLY,
    include_presidio: bool = True,
    baseline_records: int | None = None,
    on_step: Callable[[str], None] | None = None,
) -> EvalReport:
    """Run datamin over the whole corpus and, with `include_presidio`, plain Presidio and datamin
    over its first `baseline_records` records (all by default). Outputs go to a temporary
    directory removed afterwards; pseudonyms use a throwaway key."""
    step = on_step or (lambda _: None)
    records = corpus.records
    sizes = {"har_entries": corpus.har_entries, "messages": corpus.messages}
    sizes |= {"hidden": corpus.hidden, "records": len(records)}
    with tempfile.TemporaryDirectory(prefix="datamin-eval-") as tmp:
        work = Path(tmp)
        key = work / "eval.key"
        key.write_text(secrets.token_hex(32))
        step(f"datamin on all {len(records)} records")
        full = _run_datamin(corpus.files, records, work / "datamin-all", policy, key)
        report = EvalReport(policy.stem, corpus.seed, sizes, full)
        if not include_presidio:
            return report
        n = (
            len(records)
            if baseline_records is None
            else max(0, min(baseline_records, len(records)))
        )
        prefix = records[:n]
        compared = full
        if n < len(records):
            step(f"datamin on the first {n} records")
            files = corpus.write_subset(n, work / "prefix")
            compared = _run_datamin(files, prefix, work / "datamin-prefix", policy, key)
        step(f"plain Presidio on the first {n} records")
        presidio = _run_presidio(prefix, work / "presidio")
        return EvalReport(policy.stem, corpus.seed, sizes, full, compared, presidio)


def _pct(tally: Tally | None) -> str:
    if tally is None or tally.rate is None:
        return "-"
    return f"{100 * tally.rate:.1f}% ({tally.hits})"


def _survival(result: EngineResult | None, kind: str) -> str:
    rate = None if result is None else result.survival(kind)
    return "-" if rate is None else f"{100 * rate:.1f}%"


def _rows(report: EvalReport) -> list[tuple[str, str, str]]:
    """(section, label, key) in table order; key looks up by_entity, by_form or by_group."""
    base = report.compared or report.datamin
    rows = [("by_entity", e, e) for e in base.by_entity]
    rows += [("by_form", f"hidden: {f}", f) for f in base.by_form]
    rows += [("by_group", f"= {g}", g) for g in GROUPS]
    return rows


def format_table(report: EvalReport) -> str:
    """Leak rates per entity, hidden form and group, then look-alike survival per kind."""
    c = report.corpus
    lines = [
        f"datamin eval: policy {report.policy}, seed {report.seed}; {c['records']} records "
        f"({c['har_entries']} HAR entries, {c['messages']} messages, {c['hidden']} hidden-form "
        "copies)",
        "leak %: share of distinct planted values surviving anywhere in the output, in any form "
        "(count in brackets)",
    ]
    d, cmp, pr = report.datamin, report.compared, report.presidio
    if cmp is not None and pr is not None:
        lines.append(
            f"compared: the first {pr.records} records, both engines "
            f"(Presidio {pr.seconds:.0f} s, datamin {cmp.seconds:.0f} s); "
            f"all: datamin on all {d.records} records ({d.seconds:.0f} s)"
        )
        head = ("", "planted", "datamin", "presidio", "planted (all)", "datamin (all)")
    else:
        head = ("", "planted", "datamin", "", "", "")
    widths = (22, 8, 14, 14, 14, 14)

    def line(cells: tuple[str, ...]) -> str:
        parts = [cells[0].ljust(widths[0])]
        parts += [cell.rjust(w) for cell, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    lines += ["", line(head)]
    for section, label, key in _rows(report):
        tallies = [getattr(r, section).get(key) if r else None for r in (cmp, pr, d)]
        if cmp is not None and pr is not None:
            total = str(tallies[0].total) if tallies[0] else "0"
            all_total = str(tallies[2].total) if tallies[2] else "0"
            cells = (label, total, _pct(tallies[0]), _pct(tallies[1]), all_total, _pct(tallies[2]))
        else:
            total = str(tallies[2].total) if tallies[2] else "0"
            cells = (label, total, _pct(tallies[2]), "", "", "")
        if section == "by_group" and label == "= credentials":
            lines.append("")
        lines.append(line(cells))
    lines += ["", line(("look-alike survival", *head[1:]))]
    base = cmp or d
    for kind in base.lookalikes:
        name = "= all look-alikes" if kind == "all" else kind
        if cmp is not None and pr is not None:
            cells = (name, str(cmp.lookalikes[kind].total), _survival(cmp, kind))
            cells += (_survival(pr, kind), str(d.lookalikes[kind].total), _survival(d, kind))
        else:
            cells = (name, str(d.lookalikes[kind].total), _survival(d, kind), "", "", "")
        lines.append(line(cells))
    return "\n".join(lines) + "\n"


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


def write_html(report: EvalReport, path: Path) -> None:
    """A self-contained page: the table, and inline SVG charts of leak rate per entity and
    hidden form, and of look-alike survival per kind, for each engine."""
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
    page = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>datamin eval: {html.escape(report.policy)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}pre{font-size:12px}</style>",
        "</head><body>",
        f"<h1>datamin eval, policy {html.escape(report.policy)}</h1>",
        _svg_chart(f"Leak rate of planted values ({records})", leak_rows),
        _svg_chart(f"Look-alikes surviving ({records})", look_rows),
        f"<pre>{html.escape(format_table(report))}</pre>",
        "</body></html>",
    ]
    path.write_text("\n".join(page) + "\n", encoding="utf-8")
