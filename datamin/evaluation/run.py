"""`datamin eval`: datamin and plain Presidio side by side on a labelled corpus.

For every planted value (`datamin.evaluation.corpus`) it asks whether the value survives
anywhere in what each engine leaves, in any form the leak scan knows
(`datamin.leakscan.needles_for`) or as written; and for every harmless look-alike whether it is
still there verbatim. Plain Presidio manages a few records a second, so it runs on a prefix of
the corpus, and datamin is measured on that same prefix for the comparison as well as on the
whole corpus. Only counts leave here.
"""

from __future__ import annotations

import json
import secrets
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from datamin.evaluation.categories import (
    LEAKS,
    SURVIVALS,
    leak_categories,
    survival_categories,
)
from datamin.evaluation.corpus import FORMS, PLAIN, EvalCorpus, EvalRecord, Label, build_corpus
from datamin.leakscan import needles_for, scan_tree
from datamin.policies import bundled
from datamin.redactors.entities import ENTITIES, Category
from datamin.sample import Lookalike

__all__ = ["EngineResult", "EvalReport", "Tally", "build_corpus", "evaluate", "format_table"]
__all__ += ["CORPORA", "build_named", "measure", "write_html"]

CORPORA = ("generated", "public-dev", "public-frozen")

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
    # issue 11's categories (`datamin.evaluation.categories`): leaks, then look-alikes
    # destroyed
    by_category: dict[str, Tally] = field(default_factory=dict)

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
    name: str = "generated"  # which corpus: generated, public-dev, public-frozen

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("datamin", "compared", "presidio"):
            result: EngineResult | None = getattr(self, key)
            if result is None:
                continue
            for section in ("by_entity", "by_form", "by_group", "lookalikes", "by_category"):
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
    categories = tally((c, s) for p, s in rows for c in leak_categories(p))
    categories |= tally(
        (c, not k) for h, k in zip(looks, kept, strict=True) for c in survival_categories(h)
    )
    return EngineResult(
        engine=engine,
        records=len(records),
        seconds=seconds,
        quarantined=quarantined,
        by_entity=_ordered(tally((p.entity, s) for p, s in rows if p.form == PLAIN), ENTITIES),
        by_form=_ordered(tally((p.form, s) for p, s in rows if p.form != PLAIN), FORMS),
        by_group={g: by_group.get(g, Tally(0, 0)) for g in GROUPS},
        lookalikes=dict(sorted(tally(destroyed).items())) | tally(("all", d) for _, d in destroyed),
        by_category={c: categories.get(c, Tally(0, 0)) for c in [*LEAKS, *SURVIVALS]},
    )


def _ordered(tallies: dict[str, Tally], order: Iterable[str]) -> dict[str, Tally]:
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(tallies.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))


def _baseline() -> ModuleType:
    """The plain-Presidio baseline the benchmarks use, so both measure the same thing."""
    from datamin.evaluation import presidio as baseline_presidio

    return baseline_presidio


def _run_datamin(
    files: list[Path], records: list[EvalRecord], output: Path, policy: Path, key: Path
) -> EngineResult:
    from datamin.pipelines import batch

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
    name: str = "generated",
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
        report = EvalReport(policy.stem, corpus.seed, sizes, full, name=name)
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
        return EvalReport(policy.stem, corpus.seed, sizes, full, compared, presidio, name)


def build_named(
    name: str,
    out_dir: Path,
    *,
    seed: int = 11,
    har_entries: int = 400,
    messages: int = 200,
    public_records: int = 240,
) -> EvalCorpus:
    """The corpus `name` (one of `CORPORA`) written under `out_dir`. The public ones need
    Faker; without it this raises `MissingDependency`, a `DataminError` with a one-line message.
    The frozen part ignores `seed` (see `datamin.evaluation.public`)."""
    if name == "generated":
        return build_corpus(out_dir, seed=seed, har_entries=har_entries, messages=messages)
    from datamin.evaluation.public import build_public_corpus

    return build_public_corpus(out_dir, name, seed=seed, records=public_records)


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
    kinds = "messages" if report.name == "generated" else "JSON lines"
    lines = [
        f"datamin eval: corpus {report.name}, policy {report.policy}, seed {report.seed}; "
        f"{c['records']} records ({c['har_entries']} HAR entries, {c['messages']} {kinds}, "
        f"{c['hidden']} hidden-form copies)",
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
    widths = (27, 8, 14, 14, 14, 14, 8)

    def line(cells: tuple[str, ...]) -> str:
        parts = [cells[0].ljust(widths[0])]
        parts += [cell.rjust(w) for cell, w in zip(cells[1:], widths[1:], strict=False)]
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
    lines += _category_lines(report, line, head)
    return "\n".join(lines) + "\n"


def _category_cell(result: EngineResult | None, name: str) -> tuple[str, str]:
    """(planted or placed, rate): leak % for leak categories, kept % for look-alike ones."""
    tally = None if result is None else result.by_category.get(name)
    total = str(tally.total) if tally else "0"
    if name not in SURVIVALS or tally is None or tally.rate is None:
        return total, _pct(tally)
    return total, f"{100 * (1 - tally.rate):.1f}% ({tally.hits})"


def _category_lines(
    report: EvalReport, line: Callable[[tuple[str, ...]], str], head: tuple[str, ...]
) -> list[str]:
    """Issue 11's categories: leak % (target: at most), then survival % (target: at least)."""
    d, cmp, pr = report.datamin, report.compared, report.presidio
    both = cmp is not None and pr is not None
    title = ("issue 11 categories", *(head[1:] if both else head[1:3]), "target")
    out = ["", line(title)]
    for name, (_, limit) in [*LEAKS.items(), *SURVIVALS.items()]:
        target = f"{'>=' if name in SURVIVALS else '<='} {100 * limit:g}%"
        (n_cmp, r_cmp), (_, r_pr), (n_d, r_d) = (_category_cell(r, name) for r in (cmp, pr, d))
        if both:
            out.append(line((name, n_cmp, r_cmp, r_pr, n_d, r_d, target)))
        else:
            out.append(line((name, n_d, r_d, target)))
    out.append("survival rows: % of look-alikes kept (destroyed in brackets)")
    return out


def write_html(reports: EvalReport | Sequence[EvalReport], path: Path) -> None:
    """A self-contained page of charts and tables, a section per corpus (`_eval_html`)."""
    from datamin.evaluation.html import write_html as write

    write(reports, path)
