"""What a run's audit record says, built in one place for every kind of run that commits rows:
a batch run (`datamin run`), a stream's batch (`datamin stream`) and a Beam window
(`datamin.pipelines.MinimizeStream`). Counts, hashes, shapes and paths inside the output;
never a value. Its data files are counted here and listed in its manifest
(`datamin.output.manifest`), whose hash it holds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from datamin import __version__
from datamin.errors import OutputError
from datamin.output.keycheck import key_check
from datamin.output.layout import OutputLayout

if TYPE_CHECKING:
    from datamin.keys import KeyRing
    from datamin.output.replace import CommitPlan
    from datamin.policies.loader import LoadedPolicy


def staged_relative(staging: OutputLayout, paths: list[str]) -> list[str]:
    """Files a run listed, relative to its staging area (the same in the output); one anywhere
    else is not the run's to move."""
    prefix = staging.root.rstrip("/") + "/"
    if any(not p.startswith(prefix) or ".." in p[len(prefix) :].split("/") for p in paths):
        raise OutputError("the run listed a file outside its staging area; it is not committed")
    return sorted(p[len(prefix) :] for p in paths)


def run_record(
    run_id: str,
    *,
    loaded: LoadedPolicy,
    keys: KeyRing,
    key_from_env: bool,
    key_changed: bool,
    started: datetime,
    counts: dict[str, Any],
    staging: OutputLayout,
    plan: CommitPlan,
    quarantine: list[str],
    **extra: Any,
) -> dict[str, Any]:
    """The audit record of a run whose data files (`plan`, from `replace.plan_commit`: counted
    here, listed in its manifest) and staged `quarantine` files commit with it; `counts` is its
    `Stats.to_dict()`; `extra` adds what only this kind of run records (`inputs`, `stream`,
    `kind`...)."""
    balanced = counts["records_in"] == (
        counts["records_written"] + counts["records_dropped"] + counts["records_quarantined"]
    )
    return {
        "run_id": run_id,
        "datamin_version": __version__,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "policy": loaded.policy.name,
        "policy_sha256": loaded.sha256,
        "key_source": "env" if key_from_env else "file",
        "key_check": key_check(keys),
        "key_changed": key_changed,
        **counts,
        "balanced": balanced,
        **plan.audit_fields(),
        "quarantine_files": staged_relative(staging, quarantine),
        **extra,
    }
