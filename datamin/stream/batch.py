"""One micro-batch of a stream, from messages to a committed batch: minimized by the same core as
`datamin run`, rows already past retention set aside, written into a staging area under the
output lock and committed with the source position after it (`datamin.output.commit`), then
acknowledged to the source. See `datamin.stream.runner` for the loop around it."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from datamin.core.config import RunConfig
from datamin.core.minimize import Minimizer, Quarantined, Written
from datamin.core.records import Item, RawRecord, Unreadable
from datamin.core.stats import Stats
from datamin.dates import saturating_day
from datamin.errors import BatchNotCommitted, OutputError
from datamin.formats.textlines import of_message
from datamin.keys import KeyRing
from datamin.output import commit
from datamin.output.boundary import refuse_links
from datamin.output.layout import OutputLayout, new_run_id
from datamin.output.lock import OutputLock
from datamin.output.policy_copy import saved_form
from datamin.output.replace import plan_commit
from datamin.output.runrecord import run_record
from datamin.policies.compiled import CompiledPolicy
from datamin.stream.sources import Message, StreamSource
from datamin.stream.status import StreamStatus

# The longest a batch waits for the output lock (a disposal or a batch run holds it).
LOCK_WAIT_SECONDS = 600.0
# Records minimized per call (NER runs over a call's texts together).
MINIMIZE_CHUNK = 128
# Tests stop the process at a named step of a batch: `DATAMIN_FAULT_KILL_AT=<step>:<n>` kills
# it (SIGKILL) the n-th time it reaches <step> (read, minimized, staged, prepared, intent,
# moved, audit, done, acknowledged).
FAULT_ENV = "DATAMIN_FAULT_KILL_AT"


@dataclass
class StreamState:
    """A runner's state between batches."""

    source: StreamSource
    source_id: str
    shown: str  # the source as audits show it
    layout: OutputLayout
    config: RunConfig
    keys: KeyRing
    raw_key: Any
    key_changed: bool
    position: dict[str, Any] | None
    status: StreamStatus = field(default_factory=StreamStatus)
    policy_saved: bool = False
    # Stopped commits the runner completed at its start: listed by its first committed batch.
    runs_completed: list[str] = field(default_factory=list)


def run_batch(state: StreamState, minimizer: Minimizer, batch: list[Message]) -> None:
    """Minimize, write and commit `batch`; the caller acknowledges it after. Raises
    `BatchNotCommitted` when it cannot be written (its staging area is gone then)."""
    started = time.monotonic()
    fault("read")
    today = datetime.now(UTC)
    minimizer.stats = Stats()
    minimizer.run_date = today.date().isoformat()
    limit = state.config.loaded.policy.limits.max_record_bytes
    items: list[Item] = [
        Unreadable(state.source.name, m.seq, "LimitExceeded: record larger than the limit")
        if len(m.data) > limit
        else of_message(RawRecord(state.source.name, m.seq, m.data))
        for m in batch
    ]
    outcomes: list[Written | Quarantined | None] = []
    for i in range(0, len(items), MINIMIZE_CHUNK):
        outcomes += minimizer.process(items[i : i + MINIMIZE_CHUNK])
    stats: Stats = minimizer.stats
    written, expired = _unexpired(
        minimizer.policy, [o for o in outcomes if isinstance(o, Written)], stats, today.date()
    )
    quarantined = [o for o in outcomes if isinstance(o, Quarantined)]
    fault("minimized")
    position = state.source.position_after(batch)
    run_id = new_run_id(today)
    with OutputLock(state.layout.root, wait=LOCK_WAIT_SECONDS):
        try:
            audit = _write_and_commit(
                state, run_id, batch, written, quarantined, stats, expired, position, today
            )
        except OSError as exc:
            commit.discard_run(state.layout, run_id)
            raise BatchNotCommitted(str(commit.write_error(state.layout.root, exc))) from None
        except OutputError as exc:
            commit.discard_run(state.layout, run_id)
            raise BatchNotCommitted(str(exc)) from None
        except BaseException:
            commit.discard_run(state.layout, run_id)
            raise
    state.position = position
    state.runs_completed = []
    committed = time.time()
    state.status.add_batch(audit, expired, time.monotonic() - started)
    state.status.add_latencies([m.published for m in batch if m.published is not None], committed)


def _write_and_commit(
    state: StreamState,
    run_id: str,
    batch: list[Message],
    written: list[Written],
    quarantined: list[Quarantined],
    stats: Stats,
    expired: int,
    position: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    from datamin.pipelines.parquet_sink import PartitionWriter, StagedFile
    from datamin.pipelines.quarantine_sink import QuarantineSink

    layout, keys = state.layout, state.keys
    refuse_links(layout.root)  # one planted since the last batch: nothing is written
    # What runs that stopped left, settled under this batch's lock and listed in its record:
    # a commit completed, a staging area deleted (a run killed before its intent).
    completed = state.runs_completed + commit.roll_forward(layout)
    rolled_back = commit.roll_back(layout)
    staging = layout.staging(run_id)
    policy = state.config.engines().policy
    writer = PartitionWriter(staging.root, policy, run_id)
    files: list[StagedFile] = []
    try:
        for w in written:
            files += writer.add(state.source_id, w.index, w.date, w.rows)
        files += writer.close_all()
    except BaseException:
        writer.abort()
        raise
    raw = state.raw_key.load() if state.raw_key is not None else None
    sink = QuarantineSink(layout.root, run_id, raw)
    for q in quarantined:
        sink.add(q)
    quarantine_files = sink.finish()
    fault("staged")
    plan = plan_commit(layout, run_id, files, dict(stats.rows))  # a stream replaces nothing
    loaded = state.config.loaded
    if not state.policy_saved:
        layout.save_policy(saved_form(loaded.raw, keys), loaded.sha256)
        state.policy_saved = True
    counts = stats.to_dict()
    audit = run_record(
        run_id,
        loaded=loaded,
        keys=keys,
        key_from_env=bool(state.config.keys.env),
        key_changed=state.key_changed,
        started=now,
        counts=counts,
        staging=staging,
        plan=plan,
        quarantine=quarantine_files,
        kind="stream",
        stream={
            "source": state.shown,
            "source_id": state.source_id,
            "first": batch[0].seq,
            "last": batch[-1].seq,
            "messages": len(batch),
            "position": position,
        },
        inputs=[],
        rows_expired=expired,
        raw_quarantine=state.raw_key is not None,
        runs_completed=completed,
        runs_rolled_back=rolled_back,
    )
    commit.commit(layout, plan.intent(audit, audit["quarantine_files"]), on_step=fault)
    return counts


def _unexpired(
    policy: CompiledPolicy, written: list[Written], stats: Stats, today: date
) -> tuple[list[Written], int]:
    """Rows already past their class's retention (an event date further back than the class
    keeps) are not written: counted, and a record left with no row counts as dropped."""
    kept, expired = [], 0
    for w in written:
        day = date.fromisoformat(w.date)
        rows = {}
        for cls, row in w.rows.items():
            duration = policy.retention.get(cls)
            if duration is not None and saturating_day(day, duration) < today:
                expired += 1
                stats.rows[cls] -= 1
            else:
                rows[cls] = row
        if len(rows) == len(w.rows):
            kept.append(w)
        elif rows:
            kept.append(dataclasses.replace(w, rows=rows))
        else:
            stats.records_written -= 1
            stats.records_dropped += 1
    stats.rows = +stats.rows  # no zero counts
    return kept, expired


_reached: dict[str, int] = {}


def fault(step: str) -> None:
    """Where tests kill the runner (see FAULT_ENV); nothing otherwise."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != step:
        return
    _reached[step] = _reached.get(step, 0) + 1
    if _reached[step] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
