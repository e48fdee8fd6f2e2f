"""Where a stream's records come from, and what a position in it is.

A source hands the runner messages in order, each with its record number (`seq`: strictly
increasing, the same for the same message after a restart, which names its files) and its
bytes. The runner commits a batch's output and its source position together (the audit record
of the batch), then acknowledges the batch to the source. On start the runner gives the source
the position of its last committed batch, and the source resumes right after it: the output,
not the broker, owns the position.

    nats://[USER:PASS@]HOST:PORT/STREAM[?durable=NAME&subject=FILTER]   NATS JetStream
    dir:PATH_OR_GLOB                                                    growing JSON-lines files
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from datamin.errors import InputError


@dataclass(frozen=True, slots=True)
class Message:
    seq: int  # the record number: strictly increasing within a source, stable across restarts
    data: bytes
    published: float | None = None  # when the source received it (epoch seconds), if known
    where: Any = None  # the source's own note of where the message ends (file and offset)


class StreamSource(Protocol):
    """What the runner needs of a source. `name` is how records name their source (never with
    credentials); `identity` is what tells this source from another writing the same output
    (hashed with the output's key before it is stored)."""

    name: str
    identity: str

    def start(self, position: Mapping[str, Any] | None) -> None:
        """Begin right after `position` (a committed batch's, as `position_after` gave it), or
        at the beginning of the source when None."""

    def fetch(self, max_records: int, max_wait: float) -> list[Message]:
        """Up to `max_records` messages, waiting at most `max_wait` seconds for the first."""

    def position_after(self, batch: list[Message]) -> dict[str, Any]:
        """The position to resume after `batch` (JSON-able; no content, no credential)."""

    def acknowledge(self, batch: list[Message]) -> None:
        """`batch` is committed: the source may let it go."""

    def lag(self) -> tuple[int, str] | None:
        """How far the source's head is beyond the committed position, and in what unit
        (`messages`, `bytes`), if it can tell."""

    def close(self) -> None: ...


def open_source(
    spec: str, *, fingerprint: Callable[[bytes], str], max_record_bytes: int, batch_size: int = 500
) -> StreamSource:
    """The source a `--source` value names; a one-line `InputError` for anything else.
    `fingerprint`: the keyed hash a file source names a file's first line by."""
    if spec.startswith("nats://") or spec.startswith("tls://"):
        from datamin.stream.nats_source import NatsSource

        # The broker holds back past twice a batch unacknowledged: backpressure.
        return NatsSource.from_url(spec, max_ack_pending=max(2 * batch_size, 100))
    if spec.startswith("dir:"):
        from datamin.stream.dir_source import DirSource

        return DirSource(
            spec.removeprefix("dir:"), fingerprint=fingerprint, max_record_bytes=max_record_bytes
        )
    raise InputError(
        "a stream source is nats://HOST:PORT/STREAM[?durable=NAME&subject=FILTER] or dir:PATH"
    )
