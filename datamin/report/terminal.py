"""The report as rich tables, for a terminal: what the page shows, charts left out. Every cell
is a `Text` (never markup), since what it holds was read from files in the output."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from datamin.report.summary import BATCH, COMPACT, STREAM, Summary, short_time

# Rich keeps ESC and most other control characters: one planted in an audit record must not
# reach the terminal as an escape sequence (nor a lone surrogate fail the print).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def tables(s: Summary) -> list[RenderableType]:
    """The report's sections, in the page's order, for `Console.print`."""
    what = f"run {s.run_filter}" if s.run_filter else "output"
    totals = s.totals()
    out: list[RenderableType] = [
        Text(
            _CONTROL.sub(
                "\ufffd", f"datamin report: {what} {s.output} as of {short_time(s.as_of)}"
            ),
            style="bold",
        ),
        _table(
            "overview",
            ["", "value"],
            [
                ("batch runs", len(s.of_kind(BATCH))),
                ("stream batches", len(s.of_kind(STREAM))),
                ("compactions", len(s.of_kind(COMPACT))),
                *((name.replace("_", " "), n) for name, n in totals.items()),
                ("every run balanced", "yes" if s.balanced else "NO"),
                ("partitions", len(s.partitions)),
                ("partitions expired", sum(1 for p in s.partitions if p.status == "expired")),
                ("data files", sum(p.files for p in s.partitions)),
                ("rows", sum(p.rows for p in s.partitions)),
                ("disposals", len(s.disposals)),
                *([("files of the run no longer there", s.files_gone)] if s.run_filter else []),
                ("files under data/ that are not datamin's", s.foreign_files),
                ("quarantine kept for runs", s.quarantine_stores),
                ("  of them past retention", s.quarantine_stores_expired),
                ("disposals interrupted", s.unfinished_disposals),
                ("commits interrupted", s.unfinished_commits),
                ("links inside the output (never followed)", s.links),
            ],
        ),
    ]
    timeline = s.timeline()
    if timeline:
        out.append(
            _table(
                "records per run (stream: a day's batches summed, their number in brackets)",
                ["run", "in", "written", "dropped", "quarantined", "balanced"],
                [
                    (
                        f"stream {t.day} ({t.runs})" if t.kind == STREAM else t.label,
                        t.records_in,
                        t.records_written,
                        t.records_dropped,
                        t.records_quarantined,
                        "yes" if t.balanced else "NO",
                    )
                    for t in timeline
                ],
            )
        )
    compactions = s.of_kind(COMPACT)
    if compactions:
        out.append(
            _table(
                "compactions",
                ["run", "files merged away", "files written"],
                [(c.run_id, c.files_compacted, c.files_written) for c in compactions],
            )
        )
    if s.findings_by_entity:
        out.append(
            _table("findings by entity", ["entity", "findings"], s.findings_by_entity.items())
        )
        paths = [(e, p, n) for e, by in s.findings_by_path.items() for p, n in by.items()]
        if paths:
            out.append(
                _table(
                    "findings by entity and field path", ["entity", "field path", "findings"], paths
                )
            )
    if s.quarantine_by_error:
        out.append(
            _table(
                "quarantine by error class",
                ["error class", "records"],
                s.quarantine_by_error.items(),
            )
        )
    if s.partitions:
        out.append(
            _table(
                f"partitions (expired as of {s.as_of[:10]})",
                ["class", "date", "files", "rows", "retention", "expires", "status"],
                [
                    (
                        p.retention,
                        p.day,
                        p.files,
                        p.rows,
                        ", ".join(p.durations),
                        p.expires or "never",
                        p.status,
                    )
                    for p in s.partitions
                ],
                styles={"expired": "red", "partly expired": "yellow"},
            )
        )
    if s.disposals:
        out.append(
            _table(
                "disposals",
                ["disposal", "as of", "partitions", "files", "rows", "verified"],
                [
                    (
                        d.disposal_id,
                        _minute(d.as_of),
                        d.partitions,
                        d.files,
                        d.rows,
                        {True: "yes", False: "NO", None: "by the next"}[d.verified],
                    )
                    for d in s.disposals
                ],
            )
        )
    return out


def _table(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    styles: dict[str, str] | None = None,
) -> Table:
    """Numbers right-aligned; a row whose last cell names a style in `styles` takes it."""
    rows = [list(r) for r in rows]
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(headers):
        numeric = bool(rows) and all(_is_count(r[i]) for r in rows)
        # The first column (a run id, a class, an entity) is kept whole on its line; the others
        # fold when the terminal is narrow, never cut short: a date is no use with an ellipsis.
        first = max((len(str(r[0])) for r in rows), default=0) if i == 0 else 0
        table.add_column(
            name,
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=i == 0 and first <= 40,
            min_width=min(first, 40) or None,
        )
    for row in rows:
        cells = [Text(f"{v:,}" if _is_count(v) else _CONTROL.sub("\ufffd", str(v))) for v in row]
        table.add_row(*cells, style=(styles or {}).get(str(row[-1])))
    return table


def _minute(text: str) -> str:
    """`2026-04-04` for midnight UTC, `2026-04-04 12:30` otherwise (run and disposal ids already
    say when they ran)."""
    shown = short_time(text)
    if not shown.endswith(" UTC"):
        return shown
    return shown.removesuffix(":00 UTC").removesuffix(" 00:00")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
