"""One real output for the report tests, built once: the demo sample's messages (planted values
and all) through two batch runs with a bad line each, a stream of two batches, a compaction of
those; and a copy of it after a disposal."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from datamin.leakscan import needles_for
from datamin.output.compact import compact
from datamin.output.dispose import dispose
from datamin.pipelines import batch
from datamin.policies import bundled
from datamin.report import collect
from datamin.sample import generate_sample
from datamin.stream import StreamSettings, stream


@dataclass(frozen=True)
class Built:
    out: Path  # 2 batch runs (one quarantined record each), 2 stream batches, 1 compaction
    disposed: Path  # a copy of `out` after a disposal as of `disposed_at`
    disposed_at: datetime
    needles: list[tuple[str, str]]  # every planted value of the sample, in its forms

    def audits(self, root: Path | None = None) -> list[dict[str, Any]]:
        """The committed runs' audit records, read directly (not through the report), in the
        order they committed: run ids name the second a run started, and of two runs in one
        second (stream batches) the one that finished first committed first."""
        folder = (root or self.out) / "_audit" / "runs"
        found = [json.loads(p.read_text()) for p in folder.glob("*.json")]
        return sorted(
            found, key=lambda a: (a["run_id"][:16], a.get("finished_at", ""), a["run_id"])
        )


@pytest.fixture(scope="package")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("report")
    manifest = generate_sample(root / "sample")
    policy_file = bundled("messages")  # as shipped, name recognition on: nothing leaks
    lines = (root / "sample" / "messages" / "messages.jsonl").read_text().splitlines()
    (root / "a.jsonl").write_text("\n".join([*lines[:20], "{not json"]) + "\n")
    (root / "b.jsonl").write_text("\n".join([*lines[20:30], "[1, 2]"]) + "\n")
    # Streamed messages dated now, so none is past retention whenever the suite runs and both
    # batches land in one partition per class, which the compaction then merges.
    recent = format_datetime(datetime.now(UTC) - timedelta(hours=1))
    live = [
        {**json.loads(line), "date_created": recent, "date_sent": recent} for line in lines[30:]
    ]
    logs = root / "logs"
    logs.mkdir()
    (logs / "live.jsonl").write_text("".join(json.dumps(m) + "\n" for m in live))

    out = root / "output"
    batch.run([str(root / "a.jsonl")], out, policy_file)
    batch.run([str(root / "b.jsonl")], out, policy_file)
    settings = StreamSettings(batch_size=5, max_wait=0.05, max_records=10)
    stream(f"dir:{logs}", out, policy_file, settings=settings)
    compacted = compact(out, older_than=timedelta(0))
    assert compacted.groups_merged >= 1

    # Dispose as of an hour after the first partition of the short class expired.
    first = min(p.expires for p in collect(out).partitions if p.expires is not None)
    disposed_at = datetime.fromisoformat(first).replace(tzinfo=UTC) + timedelta(hours=1)
    disposed = root / "disposed"
    shutil.copytree(out, disposed)
    assert dispose(disposed, disposed_at).partitions
    return Built(out, disposed, disposed_at, needles_for(manifest.planted))
