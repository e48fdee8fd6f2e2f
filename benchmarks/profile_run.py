"""Where a record's time goes: one `datamin run` (a library call in this process, pinned to one
core) with a timer on each stage, or under cProfile.

    python -m benchmarks.profile_run [--corpus api|messages] [--policy redact_only]
                                     [--entries 2000] [--cprofile 40] [--json out.json]

Stages are timed by wrapping the functions that do them; time is charged to the innermost
stage running (a family's scan inside the engine is the family's, not the engine's), and what
no stage claims is Beam's: its bundles, coders, `BatchElements`, and the runner's set-up and
tear-down. Imports before the run (Beam, pyarrow, datamin) are timed apart; spaCy and Presidio,
imported when the engines are built, are in `start-up: NER model`. The timers cost about a
microsecond per wrapped call (`timer events` says how many there were); read small stages as
approximate. `--corpus api` is generated HAR traffic (`datamin.sample.iter_har_entries`),
`messages` generated Twilio message records as JSONL (`iter_messages`).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import functools  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

BEAM = "Beam and other (unclaimed)"
# Stage -> (module, attribute path) of what it wraps; the first word groups the table's rows.
WRAPPED: dict[str, tuple[tuple[str, str], ...]] = {
    "start-up: engines (policy, detectors)": (
        ("datamin.core.config", "build_engines"),
        ("datamin.core.config", "Engines.minimizer"),
    ),
    "start-up: Presidio's checksums (import Presidio, spaCy)": (
        ("datamin.redactors._presidio_adapter", "_recognizer"),
    ),
    "read records": (("datamin.pipelines.transforms", "_ReadFileFn.process"),),
    "parse": (
        ("datamin.core.strictjson", "loads"),  # JSON lines, and JSON held in strings
        ("datamin.formats.har_entry", "HarEntry.parse"),
        ("datamin.formats.kinds", "JsonRecord.parse"),
        ("datamin.formats.exchange", "ApiExchange.parse"),
    ),
    "structure walk": (
        ("datamin.core.minimize", "record_fields"),
        ("datamin.core.minimize", "claim_fields"),
        ("datamin.core.minimize", "kind_of"),
        ("datamin.core.minimize", "Minimizer._event_date"),
    ),
    "rules, contexts, bookkeeping": (("datamin.core.minimize", "Minimizer._process"),),
    "detect: engine (memo, URLs, log pairs)": (
        ("datamin.redactors.engine", "DetectionEngine.detect"),
    ),
    "detect: decode": (
        ("datamin.redactors.engine", "decode"),
        ("datamin.policies.compiled", "decode"),
    ),
    "detect: deny lists, policy patterns, recurring": (
        ("datamin.core.minimize", "deny_findings"),
        ("datamin.core.minimize", "pattern_findings"),
        ("datamin.core.minimize", "Minimizer._recurring"),
    ),
    "NER: choosing texts, pieces": (("datamin.core.ner_schedule", "NerScheduler.run"),),
    "NER: spaCy and Presidio": (("datamin.redactors.engine", "DetectionEngine.detect_ner"),),
    "operators, findings applied, rows": (
        ("datamin.core.minimize", "Minimizer._finish"),
        ("datamin.core.minimize", "Minimizer._route_params"),
    ),
    "write Parquet": (
        ("datamin.pipelines.transforms", "_WriteFn.start_bundle"),
        ("datamin.pipelines.transforms", "_WriteFn.process"),
        ("datamin.pipelines.transforms", "_WriteFn.finish_bundle"),
    ),
    "commit and audit": (("datamin.pipelines.batch", "_commit"),),
}
MODEL_STAGE = "start-up: NER model (spaCy, Presidio)"


class Clock:
    """Exclusive time per stage on the main thread: a stack of running stages; the time
    between two events goes to the stage on top."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.events = 0
        self._stack: list[str] = []
        self._last = time.perf_counter()
        self._main = threading.get_ident()

    def push(self, stage: str) -> bool:
        if threading.get_ident() != self._main:
            return False
        now = time.perf_counter()
        if self._stack:
            self.totals[self._stack[-1]] += now - self._last
        self._stack.append(stage)
        self._last = now
        self.events += 1
        return True

    def pop(self) -> None:
        now = time.perf_counter()
        self.totals[self._stack.pop()] += now - self._last
        self._last = now

    def timed(self, fn: Callable[..., Any], stage: str) -> Callable[..., Any]:
        clock = self
        if _is_generator(fn):

            @functools.wraps(fn)
            def gen(*args: Any, **kwargs: Any) -> Iterator[Any]:
                it = fn(*args, **kwargs)
                while True:
                    pushed = clock.push(stage)
                    try:
                        item = next(it)
                    except StopIteration:
                        return
                    finally:
                        if pushed:
                            clock.pop()
                    yield item

            return gen

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            pushed = clock.push(stage)
            try:
                return fn(*args, **kwargs)
            finally:
                if pushed:
                    clock.pop()

        return call


def _is_generator(fn: Callable[..., Any]) -> bool:
    import inspect

    return inspect.isgeneratorfunction(fn)


def _wrap(clock: Clock, module: str, attr: str, stage: str) -> None:
    owner: Any = importlib.import_module(module)
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part)
    fn = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
    if fn is None:  # not in this version of the code (a profile of an older checkout)
        return
    setattr(owner, name, clock.timed(fn, stage))


def _wrap_families(clock: Clock) -> None:
    from datamin.redactors.registry import family_classes

    for cls in family_classes():
        _wrap_class(clock, cls, "detect", f"detect: {cls.name}")


def _wrap_class(clock: Clock, cls: type, name: str, stage: str) -> None:
    setattr(cls, name, clock.timed(cls.__dict__[name], stage))


class _AfterImport:
    """Wraps the NER detector's construction when its module is first imported (spaCy is
    imported then, if at all), so the model's load is a stage of its own."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "datamin.redactors.ner":
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        loader, clock = spec.loader, self.clock
        run = loader.exec_module

        def exec_module(module: Any) -> None:
            pushed = clock.push(MODEL_STAGE)
            try:
                run(module)
            finally:
                if pushed:
                    clock.pop()
            _wrap_class(clock, module.NerDetector, "__init__", MODEL_STAGE)

        loader.exec_module = exec_module
        return spec


def corpus(kind: str, n: int, seed: int, work: Path) -> Path:
    from datamin.sample import iter_har_entries, iter_messages, write_har

    if kind == "api":
        path = work / "corpus.har"
        write_har(path, [e for e, _ in iter_har_entries(seed, n)])
    else:
        path = work / "messages.jsonl"
        lines = (json.dumps(m, ensure_ascii=False) for m, _ in iter_messages(seed, n))
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def table(totals: dict[str, float], records: int, wall: float, imports: float) -> list[dict]:
    rows = [{"stage": "start-up: imports (Beam, pyarrow, datamin)", "seconds": imports}]
    rows += [{"stage": s, "seconds": t} for s, t in sorted(totals.items(), key=_order)]
    for row in rows:
        row["ms_per_record"] = 1000 * row["seconds"] / records
        row["share"] = row["seconds"] / (wall + imports)
    return rows


def _order(item: tuple[str, float]) -> tuple[int, str]:
    stage = item[0]
    groups = ("start-up", "read", "parse", "structure", "rules", "detect", "NER", "operators")
    for i, prefix in enumerate(groups):
        if stage.startswith(prefix):
            return i, stage
    return (len(groups) + (stage == BEAM), stage)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("api", "messages"), default="api")
    parser.add_argument("--policy", default=None, help="bundled name or path (default by corpus)")
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cprofile", type=int, default=0, help="cProfile instead; top N rows")
    parser.add_argument("--all-cores", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    policy = args.policy or ("redact_only" if args.corpus == "api" else "messages")
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    started = time.perf_counter()
    import pyarrow.parquet  # noqa: F401

    from datamin.pipelines import batch

    imports = time.perf_counter() - started
    from datamin import safelog
    from datamin.policies import bundled

    safelog.configure()
    os.environ.setdefault("DATAMIN_KEY", "benchmark-key-not-secret-0123456789abcdef")
    work = Path(tempfile.mkdtemp(prefix="datamin-profile-"))
    path = corpus(args.corpus, args.entries, args.seed, work)
    policy_path = bundled(policy) if Path(policy).suffix == "" else Path(policy)

    clock = Clock()
    if args.cprofile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        began = time.perf_counter()
        profile.enable()
        run = batch.run([str(path)], work / "out", policy_path)
        profile.disable()
        wall = time.perf_counter() - began
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(args.cprofile)
        stats.sort_stats("cumulative").print_stats(r"(datamin|redactors|policies)/", args.cprofile)
        print(f"{args.entries} records, {wall:.2f} s under cProfile")
        shutil.rmtree(work, ignore_errors=True)
        return {"wall": wall}

    for stage, targets in WRAPPED.items():
        for module, attr in targets:
            _wrap(clock, module, attr, stage)
    _wrap_families(clock)
    sys.meta_path.insert(0, _AfterImport(clock))
    began = time.perf_counter()
    clock.push(BEAM)
    run = batch.run([str(path)], work / "out", policy_path)
    clock.pop()
    wall = time.perf_counter() - began
    shutil.rmtree(work, ignore_errors=True)
    assert run.audit["records_in"] == args.entries, run.audit["records_in"]

    rows = table(clock.totals, args.entries, wall, imports)
    print(
        f"{args.corpus} corpus, {args.entries} records, policy {policy}: run {wall:.2f} s "
        f"({args.entries / wall:.0f} records/s), imports before it {imports:.2f} s, "
        f"{clock.events:,} timer events"
    )
    print("\n| stage | seconds | ms/record | share |\n|---|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['stage']} | {row['seconds']:.2f} | {row['ms_per_record']:.3f} | "
            f"{100 * row['share']:.1f}% |"
        )
    result = {
        "corpus": args.corpus,
        "policy": policy,
        "records": args.entries,
        "wall": wall,
        "imports": imports,
        "events": clock.events,
        "rows": rows,
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
