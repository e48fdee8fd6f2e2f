"""Run datamin's pipelines on a Dask `distributed` cluster.

Beam 2.77's `apache_beam.runners.dask.DaskRunner` cannot run them as shipped: it puts every
tagged output of a multi-output `ParDo` into one collection, drops what `finish_bundle` emits
(the last batch of `BatchElements`, datamin's per-bundle counts and written file paths), computes
only the last transform it visits (other sinks never run) and evaluates side inputs with a
nested compute inside a task, which runs their whole upstream graph a second time, side effects
included. `DaskRunner` here keeps Beam's translation (one Beam bundle is one Dask partition, with
DoFn setup and teardown around it; `GroupByKey` is a Dask shuffle, through tasks, not a one-machine
disk shuffle) and fixes those four points; anything it does not translate fails before the first
task runs instead of passing through unchanged.

What a bundle emits reaches Dask only as the task's return value, so a task that dies with its
worker is run again elsewhere from its inputs and its first attempt's outputs never count.
Side effects of a failed attempt (files) are the DoFn's to make idempotent.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.pipeline import AppliedPTransform, PipelineVisitor
from apache_beam.runners.common import DoFnRunner, Receiver
from apache_beam.runners.dask.dask_runner import DaskOptions, DaskRunnerResult
from apache_beam.runners.dask.dask_runner import DaskRunner as _BeamDaskRunner
from apache_beam.runners.dask.overrides import (
    _Create,
    _Flatten,
    _GroupByKeyOnly,
    _Reshuffle,
    dask_overrides,
)
from apache_beam.runners.runner import PipelineState
from apache_beam.transforms.sideinputs import SideInputMap
from apache_beam.transforms.window import GlobalWindows
from apache_beam.utils.windowed_value import WindowedValue

from datamin import safelog

DASK_RUNNER = f"{__name__}.DaskRunner"
LOCAL = "local"
# Without --dask_npartitions or --dask_partition_size, a Create of n elements becomes as many
# partitions as the cluster has worker threads (at most n): datamin's Create holds file names,
# and the files of a partition are one bundle, whose rows of a class and date share a file. A
# partition per file made a file per source, class and date. Without a worker known at submit
# time, up to this many partitions.
MAX_CREATE_PARTITIONS = 256


def dask_beam_args(address: str) -> list[str]:
    """Beam options that run a pipeline on the `distributed` scheduler at `address`
    (`tcp://host:port`). Workers need datamin installed, the key (`DATAMIN_KEY` or the key
    file's path) and the inputs and output at the same paths as the driver."""
    return [f"--runner={DASK_RUNNER}", f"--dask_client_address={address}"]


@contextlib.contextmanager
def dask_cluster(address: str, workers: int = 2) -> Iterator[list[str]]:
    """The Beam options for `address`; `local` starts a cluster of `workers` single-threaded
    processes on 127.0.0.1 (no dashboard) for the duration of the block."""
    if address != LOCAL:
        yield dask_beam_args(address)
        return
    with local_cluster(workers) as cluster:
        yield dask_beam_args(cluster.scheduler_address)


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A `distributed.LocalCluster` of `workers` single-threaded processes on 127.0.0.1, with
    no dashboard and quiet logs."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster


class _Collect(Receiver):
    def __init__(self, tag: str | None, out: list[tuple[str | None, WindowedValue]]) -> None:
        self.tag = tag
        self.out = out

    def receive(self, windowed_value: WindowedValue) -> None:
        self.out.append((self.tag, windowed_value))


class _Receivers(dict):  # type: ignore[type-arg]
    """Tag -> receiver, made on first use; every output lands in one list with its tag."""

    def __init__(self) -> None:
        super().__init__()
        self.out: list[tuple[str | None, WindowedValue]] = []

    def __missing__(self, tag: str | None) -> _Collect:
        receiver = self[tag] = _Collect(tag, self.out)
        return receiver


@dataclasses.dataclass(frozen=True)
class _ParDoSpec:
    fn: beam.DoFn
    args: Sequence[Any]
    kwargs: dict[str, Any]
    windowing: Any
    label: str
    side_views: Sequence[tuple[type, dict[str, Any]]]


def _run_bundle(
    items: Iterable[WindowedValue], spec: _ParDoSpec, *side_values: list[WindowedValue]
) -> list[tuple[str | None, WindowedValue]]:
    """One Beam bundle: setup, start, every element, finish, teardown; returns every output
    (finish_bundle's too) with its tag."""
    side_inputs = [
        SideInputMap(view, options, values)
        for (view, options), values in zip(spec.side_views, side_values, strict=True)
    ]
    receivers = _Receivers()
    runner = DoFnRunner(
        spec.fn,
        spec.args,
        spec.kwargs,
        side_inputs,
        spec.windowing,
        tagged_receivers=receivers,
        step_name=spec.label,
    )
    runner.setup()
    try:
        runner.start()
        for item in items:
            runner.process(item)
        runner.finish()
    finally:
        runner.teardown()
    return receivers.out


def _select(tagged: Iterable[tuple[str | None, WindowedValue]], tag: str | None) -> list[Any]:
    return [value for t, value in tagged if t == tag]


def _concat(parts: list[list[WindowedValue]]) -> list[WindowedValue]:
    return [value for part in parts for value in part]


def _windowed(value: Any) -> WindowedValue:
    return GlobalWindows.windowed_value(value)


def _key(windowed: WindowedValue) -> Any:
    return windowed.value[0]


def _grouped(group: tuple[Any, list[WindowedValue]]) -> WindowedValue:
    key, values = group
    return GlobalWindows.windowed_value((key, [v.value[1] for v in values]))


def _drain(items: Iterable[Any]) -> list[Any]:
    for _ in items:
        pass
    return []


class _Translator(PipelineVisitor):
    """Each PCollection to a Dask bag of `WindowedValue`s."""

    def __init__(self, bag_kwargs: dict[str, Any], slots: int = 0) -> None:
        self.bag_kwargs = bag_kwargs
        self.slots = slots  # the cluster's worker threads, 0 if none is known
        self.bags: dict[pvalue.PCollection, Any] = {}
        self.consumed: set[pvalue.PCollection] = set()

    def sinks(self) -> list[Any]:
        """A bag per PCollection nothing reads, emptied: computing these runs the whole graph
        and returns nothing to the client."""
        return [
            bag.map_partitions(_drain) for pc, bag in self.bags.items() if pc not in self.consumed
        ]

    def visit_transform(self, node: AppliedPTransform) -> None:
        import dask.bag as db

        transform = node.transform
        inputs = [i for i in node.inputs if isinstance(i, pvalue.PCollection)]
        self.consumed.update(inputs)
        self.consumed.update(si.pvalue for si in node.side_inputs)
        outputs = dict(node.outputs)
        if isinstance(transform, _Create):
            self._set_single(outputs, self._create(list(transform.values)))
        elif isinstance(transform, beam.ParDo):
            self._pardo(node, inputs[0], outputs)
        elif isinstance(transform, _GroupByKeyOnly):
            # Shuffled through tasks: a "disk" shuffle only works on one machine.
            grouped = self.bags[inputs[0]].groupby(_key, shuffle="tasks")
            self._set_single(outputs, grouped.map(_grouped))
        elif isinstance(transform, _Flatten):
            bags = [self.bags[i] for i in inputs]
            self._set_single(outputs, db.concat(bags) if bags else db.from_sequence([]))
        elif isinstance(transform, _Reshuffle):
            # Identity; the bundles are already spread by partition.
            self._set_single(outputs, self.bags[inputs[0]])
        else:
            raise NotImplementedError(
                f"{type(transform).__name__} ({node.full_label}) has no Dask translation"
            )

    def _set_single(self, outputs: dict[Any, pvalue.PCollection], bag: Any) -> None:
        for pc in outputs.values():
            self.bags[pc] = bag

    def _create(self, values: list[Any]) -> Any:
        import dask.bag as db

        kwargs = dict(self.bag_kwargs)
        if not kwargs:
            kwargs["npartitions"] = max(1, min(len(values), self.slots or MAX_CREATE_PARTITIONS))
        return db.from_sequence(values, **kwargs).map(_windowed)

    def _pardo(
        self,
        node: AppliedPTransform,
        main: pvalue.PCollection,
        outputs: dict[Any, pvalue.PCollection],
    ) -> None:
        import dask

        transform = node.transform
        spec = _ParDoSpec(
            fn=transform.fn,
            args=list(transform.args),
            kwargs=dict(transform.kwargs),
            windowing=main.windowing,
            label=node.full_label,
            side_views=[(type(si), si._view_options()) for si in node.side_inputs],
        )
        # A side input is a dependency of every bundle, computed once in the same graph
        # (same keys, so nothing upstream of it runs twice).
        side_values = [
            dask.delayed(_concat)(self.bags[si.pvalue].to_delayed(optimize_graph=False))
            for si in node.side_inputs
        ]
        tagged = self.bags[main].map_partitions(_run_bundle, spec, *side_values)
        for tag, pc in outputs.items():
            # The main output is tag None (or "None" once the pipeline went through its proto).
            self.bags[pc] = tagged.map_partitions(_select, None if tag in (None, "None") else tag)


class _Result(DaskRunnerResult):
    def wait_until_finish(self, duration: int | None = None) -> str:
        """Raise the first task's error, if any; the client is closed once the run ends."""
        from distributed import as_completed

        try:
            timeout = duration / 1000 if duration is not None else None
            for _ in as_completed(
                self.futures, loop=self.client.loop, timeout=timeout, with_results=True
            ):
                pass
            self._state = PipelineState.DONE
        except BaseException:
            self._state = PipelineState.FAILED
            self.client.cancel(self.futures)
            raise
        finally:
            if self._state != PipelineState.RUNNING:
                self.client.close()
        return self._state


class DaskRunner(_BeamDaskRunner):
    """Beam's DaskRunner with tagged outputs, finish_bundle outputs, every sink and side inputs
    translated as Beam means them."""

    def run_pipeline(self, pipeline: beam.Pipeline, options: PipelineOptions) -> _Result:
        from distributed import Client

        dask_options = options.view_as(DaskOptions).get_all_options(
            drop_default=True, current_only=True
        )
        bag_kwargs = DaskOptions._extract_bag_kwargs(dask_options)
        client = Client(**dask_options, set_as_default=False)
        try:
            pipeline.replace_all(dask_overrides())
            translator = _Translator(bag_kwargs, sum(client.nthreads().values()))
            pipeline.visit(translator)
            sinks = translator.sinks()
        except BaseException:
            client.close()
            raise
        # distributed logs a failed task's exception text and arguments ("Compute Failed"):
        # every worker withholds them from the start, before any task of ours runs.
        client.register_plugin(_guard_logs(), name="datamin-guard-logs")
        safelog.guard_process()
        return _Result(client, client.compute(sinks))


def _guard_logs() -> Any:
    """A worker plugin: `safelog.guard_process()` in every worker process, as it starts."""
    from distributed import WorkerPlugin

    class GuardLogs(WorkerPlugin):
        def setup(self, worker: Any) -> None:
            from datamin import safelog

            safelog.guard_process()

    return GuardLogs()
