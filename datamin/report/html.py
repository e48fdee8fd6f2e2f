"""`datamin report -o FILE`: one self-contained page (inline style and SVG; no script, no
resource it fetches), readable offline and by a screen reader: each chart is an image with a
title and a description, and each has a table of the same figures beside it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from datamin.report.summary import BATCH, COMPACT, STREAM, Summary, short_time
from datamin.report.svg import BLUE, GREEN, GREY, VERMILLION, bar_chart, esc, stacked_chart

CHART_ROWS = 40  # the chart of records over runs shows the latest ones; the table shows all
RECORD_SERIES = [("written", BLUE), ("dropped", GREY), ("quarantined", VERMILLION)]

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:1em 0}caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.expired td{background:#fde2d8}tr.partly td{background:#fff1cc}
.status{font-weight:bold}.note{color:#555;font-size:.9em}svg{max-width:100%;height:auto}
"""


def render_html(summary: Summary) -> str:
    """The page, as text (UTF-8 when written)."""
    what = f"run {summary.run_filter}" if summary.run_filter else "output"
    title = f"datamin report: {what} {summary.output}"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head><body>",
        f"<header><h1>{esc(title)}</h1>",
        f'<p class="note">As of {esc(short_time(summary.as_of))}. Counts, dates, class names, '
        "entity names, field path shapes and error classes only, read from the output's audit "
        "records and Parquet footers: no value from the data appears on this page.</p></header>",
        "<main>",
        *_overview(summary),
        *_runs(summary),
        *_findings(summary),
        *_quarantine(summary),
        *_partitions(summary),
        *_disposals(summary),
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


# -- sections --------------------------------------------------------------------------------


def _overview(s: Summary) -> list[str]:
    totals = s.totals()
    expired = sum(1 for p in s.partitions if p.status == "expired")
    rows = [
        ("batch runs", len(s.of_kind(BATCH))),
        ("stream batches", len(s.of_kind(STREAM))),
        ("compactions", len(s.of_kind(COMPACT))),
        ("records in", totals["records_in"]),
        ("records written", totals["records_written"]),
        ("records dropped", totals["records_dropped"]),
        ("records quarantined", totals["records_quarantined"]),
        (
            "every run balanced (in = written + dropped + quarantined)",
            "yes" if s.balanced else "NO",
        ),
        ("partitions", len(s.partitions)),
        ("partitions expired", expired),
        ("data files", sum(p.files for p in s.partitions)),
        ("rows", sum(p.rows for p in s.partitions)),
        ("disposals", len(s.disposals)),
    ]
    if s.run_filter:
        rows.append(("files of the run no longer there", s.files_gone))
    rows += [
        ("files under data/ that are not datamin's", s.foreign_files),
        ("disposals interrupted, not yet finished", s.unfinished_disposals),
        ("commits interrupted, not yet finished", s.unfinished_commits),
        ("links inside the output (never followed)", s.links),
    ]
    return [
        '<section aria-labelledby="overview"><h2 id="overview">Overview</h2>',
        _table("Overview", ["", "value"], rows, numeric=(1,)),
        "</section>",
    ]


def _runs(s: Summary) -> list[str]:
    timeline = s.timeline()
    out = ['<section aria-labelledby="runs"><h2 id="runs">Records over runs</h2>']
    if not timeline:
        out.append("<p>No run that reads records has committed here.</p>")
    else:
        shown = timeline[-CHART_ROWS:]
        more = (
            f" (the latest {len(shown)} of {len(timeline)})" if len(shown) < len(timeline) else ""
        )
        out.append(
            stacked_chart(
                "chart-runs",
                f"Records per run{more}",
                "Records each batch run (and each day's stream batches) read, split into written, "
                "dropped and quarantined; the bar's length is the records read.",
                [
                    (t.label, [t.records_written, t.records_dropped, t.records_quarantined])
                    for t in shown
                ],
                RECORD_SERIES,
            )
        )
        out.append(
            _table(
                "Records per run (stream batches summed per day)",
                ["run", "kind", "runs", "in", "written", "dropped", "quarantined", "balanced"],
                [
                    (
                        t.label,
                        t.kind,
                        t.runs,
                        t.records_in,
                        t.records_written,
                        t.records_dropped,
                        t.records_quarantined,
                        "yes" if t.balanced else "NO",
                    )
                    for t in timeline
                ],
                numeric=(2, 3, 4, 5, 6),
            )
        )
    runs = s.of_kind(BATCH)
    if runs:
        out.append(
            _table(
                "Batch runs",
                [
                    "run",
                    "kind",
                    "started",
                    "policy",
                    "files written",
                    "files replaced",
                    "recovered",
                ],
                [
                    (
                        r.run_id,
                        r.kind,
                        short_time(r.started_at),
                        r.policy,
                        r.files_written,
                        r.files_replaced,
                        "yes" if r.recovered else "",
                    )
                    for r in runs
                ],
                numeric=(4, 5),
            )
        )
    compactions = s.of_kind(COMPACT)
    if compactions:
        out.append(
            _table(
                "Compactions",
                ["run", "started", "files merged away", "files written"],
                [
                    (c.run_id, short_time(c.started_at), c.files_compacted, c.files_written)
                    for c in compactions
                ],
                numeric=(2, 3),
            )
        )
    out.append("</section>")
    return out


def _findings(s: Summary) -> list[str]:
    out = ['<section aria-labelledby="findings"><h2 id="findings">Findings</h2>']
    if not s.findings_by_entity:
        out.append("<p>The runs' audit records hold no finding.</p></section>")
        return out
    out.append(
        bar_chart(
            "chart-findings",
            "Findings by entity",
            "How many values of each entity detection found, over the runs reported.",
            list(s.findings_by_entity.items()),
        )
    )
    out.append(
        _table("Findings by entity", ["entity", "findings"], s.findings_by_entity.items(), (1,))
    )
    rows = [(e, p, n) for e, paths in s.findings_by_path.items() for p, n in paths.items()]
    if rows:
        out.append(
            _table(
                "Findings by entity and field path",
                ["entity", "field path", "findings"],
                rows,
                numeric=(2,),
            )
        )
        out.append(
            '<p class="note">Field paths are shapes, as the audit records them: a key that could '
            "be a value (a map keyed by e-mail address, say) appears as <code>*</code>.</p>"
        )
    else:
        out.append(
            '<p class="note">These runs\' audit records hold findings by entity only, not by '
            "field path.</p>"
        )
    out.append("</section>")
    return out


def _quarantine(s: Summary) -> list[str]:
    out = ['<section aria-labelledby="quarantine"><h2 id="quarantine">Quarantine</h2>']
    if s.quarantine_by_error:
        out.append(
            bar_chart(
                "chart-quarantine",
                "Quarantined records by error class",
                "How many records were quarantined for each error class, over the runs reported.",
                list(s.quarantine_by_error.items()),
                VERMILLION,
            )
        )
        out.append(
            _table(
                "Quarantine by error class",
                ["error class", "records"],
                s.quarantine_by_error.items(),
                (1,),
            )
        )
    else:
        out.append("<p>No record was quarantined.</p>")
    out.append(
        f"<p>Quarantine kept (value-free entries) for {s.quarantine_stores} run(s), "
        f"{s.quarantine_stores_expired} of them past their retention.</p></section>"
    )
    return out


def _partitions(s: Summary) -> list[str]:
    out = ['<section aria-labelledby="partitions"><h2 id="partitions">Partitions</h2>']
    if not s.partitions:
        out.append("<p>No data file is there.</p>")
    else:
        out.append(
            stacked_chart(
                "chart-classes",
                "Rows by retention class",
                "How many rows the data files of each retention class hold, split into those "
                f"within their retention and those past it as of {s.as_of[:10]}.",
                [
                    (cls, [t["rows"] - t["expired_rows"], t["expired_rows"]])
                    for cls, t in s.rows_by_class().items()
                ],
                [("within retention", GREEN), ("expired", VERMILLION)],
            )
        )
        out += [
            f"<table><caption>Partitions (expiry: the date plus the retention its files record; "
            f"expired as of {esc(s.as_of[:10])})</caption>",
            "<thead><tr>"
            + "".join(
                f'<th scope="col"{_num(i, (2, 3))}>{esc(h)}</th>'
                for i, h in enumerate(
                    ["class", "date", "files", "rows", "retention", "expires", "status"]
                )
            )
            + "</tr></thead><tbody>",
        ]
        for p in s.partitions:
            css = {"expired": ' class="expired"', "partly expired": ' class="partly"'}
            cells = [
                esc(p.retention),
                esc(p.day),
                f"{p.files:,}",
                f"{p.rows:,}",
                esc(", ".join(p.durations)),
                esc(p.expires or "never"),
            ]
            row = "".join(f"<td{_num(i, (2, 3))}>{c}</td>" for i, c in enumerate(cells))
            out.append(
                f'<tr{css.get(p.status, "")}>{row}<td class="status">{esc(p.status)}</td></tr>'
            )
        out.append("</tbody></table>")
    if s.run_filter:
        out.append(f"<p>Files the run wrote that are no longer there: {s.files_gone}.</p>")
    out.append("</section>")
    return out


def _disposals(s: Summary) -> list[str]:
    out = ['<section aria-labelledby="disposals"><h2 id="disposals">Disposals</h2>']
    if not s.disposals:
        out.append("<p>No disposal is recorded.</p></section>")
        return out
    rows = []
    for d in s.disposals:
        classes = "; ".join(
            f"{cls}: {t['partitions']} partitions, {t['files']} files, {t['rows']:,} rows"
            for cls, t in d.by_class.items()
        )
        verified = {True: "yes", False: "NO", None: "by the next"}[d.verified]
        rows.append(
            (
                d.disposal_id,
                short_time(d.disposed_at),
                short_time(d.as_of),
                d.partitions,
                d.files,
                d.rows,
                classes or "nothing",
                d.quarantine_runs,
                d.token_keys_deleted,
                verified,
                d.completed_by or "",
            )
        )
    headers = [
        "disposal",
        "disposed at",
        "as of",
        "partitions",
        "files",
        "rows",
        "by class",
        "quarantine runs",
        "token keys",
        "verified",
        "finished by",
    ]
    out.append(_table("Disposals", headers, rows, numeric=(3, 4, 5, 7, 8)))
    out.append("</section>")
    return out


# -- tables ----------------------------------------------------------------------------------


def _table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[int] = (),
) -> str:
    head = "".join(
        f'<th scope="col"{_num(i, numeric)}>{esc(h)}</th>' for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cells.append(f"<{tag}{scope}{_num(i, numeric)}>{esc(text)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _num(i: int, numeric: Sequence[int]) -> str:
    return ' class="n"' if i in numeric else ""
