"""What `datamin run` prints when a run is done: the summary (a table, or `--json`), and the
warning for partitions written already past their retention. Counts and paths only."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from datamin.cli.console import err, out


def summary_of(result: Any) -> dict[str, Any]:
    """What `--json` prints: the run's counts as its audit holds them, and where it all went."""
    audit = result.audit
    keys = (
        "run_id",
        "policy",
        "records_in",
        "records_written",
        "records_dropped",
        "records_quarantined",
        "findings_by_entity",
        "quarantine_by_error",
        "rows_by_retention",
        "event_time_future",
        "started_at",
        "finished_at",
    )
    return {
        **{k: audit.get(k) for k in keys},
        "elapsed_seconds": round(_elapsed(audit), 3),
        "bytes_read": result.bytes_read,
        "bytes_written": result.bytes_written,
        "files_written": len(audit.get("files_written", ())),
        "data": result.data_path,
        "audit": result.audit_path,
        "expired_partitions": [f"retention={c}/date={d}" for c, d in result.expired],
    }


def _elapsed(audit: dict[str, Any]) -> float:
    from datetime import datetime

    try:
        started = datetime.fromisoformat(audit["started_at"])
        return (datetime.fromisoformat(audit["finished_at"]) - started).total_seconds()
    except (KeyError, TypeError, ValueError):
        return 0.0


def print_summary(result: Any) -> None:
    audit = result.audit
    table = Table(title=f"datamin run {audit['run_id']}  (policy {audit['policy']})")
    table.add_column("records", style="bold")
    table.add_column("count", justify="right")
    for name in ("records_in", "records_written", "records_dropped", "records_quarantined"):
        table.add_row(name.removeprefix("records_"), f"{audit[name]:,}")
    out.print(table)
    _counts("top findings", "entity", audit.get("findings_by_entity", {}), 10)
    _counts("quarantined", "error", audit.get("quarantine_by_error", {}), None)
    files = len(audit.get("files_written", ()))
    out.print(
        f"{_elapsed(audit):.1f} s; read {_size(result.bytes_read)}, wrote "
        f"{_size(result.bytes_written)} in {files:,} files",
        highlight=False,
    )
    out.print(f"data:  {result.data_path}", highlight=False, soft_wrap=True)
    out.print(f"audit: {result.audit_path}", highlight=False, soft_wrap=True)


def _counts(title: str, what: str, counts: dict[str, int], top: int | None) -> None:
    if not counts:
        return
    table = Table(title=title)
    table.add_column(what)
    table.add_column("count", justify="right")
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1])[:top]:
        table.add_row(name, f"{n:,}")
    out.print(table)


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    raise AssertionError


def warn_future(result: Any) -> None:
    """A run that met event dates past its own date says how many: they were filed under the run's
    date, so the clock or time zone of what wrote them deserves a look."""
    n = result.audit.get("event_time_future") or 0
    if not n:
        return
    err.print(
        f"[yellow]warning:[/yellow] {n:,} records were dated more than a day after the run; they "
        "are filed under the run's date (`event_time_future` in the audit)",
        highlight=False,
        soft_wrap=True,
    )


def warn_expired(result: Any) -> None:
    """A run that writes rows already past their retention says so: the next `dispose` deletes
    them (old archives, or a demo with old dates and short classes)."""
    if not result.expired:
        return
    classes = sorted({c for c, _ in result.expired})
    err.print(
        f"[yellow]warning:[/yellow] {len(result.expired)} partitions written are past their "
        f"retention already (classes {', '.join(classes)}); the next `datamin dispose` deletes "
        "them",
        highlight=False,
        soft_wrap=True,
    )
