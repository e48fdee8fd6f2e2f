"""NER over a batch's free text, scheduled: which kept fields it reads (not those one finding
already replaces whole), in pieces of bounded length (`ner_pieces`) grouped into model calls of
bounded size (`calls`). A record is charged its share of each call's time; one out of time, or
whose own NER fails, is marked to be quarantined, never let through unscanned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from datamin.core.records import RawRecord
from datamin.core.structure import Field
from datamin.core.trace import Tracer
from datamin.errors import DeadlineExceeded, describe
from datamin.redactors.context import FieldContext
from datamin.redactors.findings import Finding

if TYPE_CHECKING:
    from datamin.policies.compiled import CompiledPolicy, CompiledRule
    from datamin.redactors.engine import DetectionEngine

NER_PIECE_CHARS = 10_000
NER_OVERLAP_CHARS = 200
NER_CALL_CHARS = 20_000
NER_CALL_TEXTS = 64


@dataclass(slots=True)
class Slot:
    """A kept string field waiting for its findings."""

    field: Field
    rule: CompiledRule
    ctx: FieldContext
    findings: list[Finding]


@dataclass(slots=True)
class Pending:
    item: RawRecord
    kind: str
    event_date: str
    values: list[tuple[Field, CompiledRule, Any]] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    error: str | None = None  # set when NER failed on this record: it is quarantined
    trace: Tracer | None = None  # only when explaining
    spent: float = 0.0  # seconds of detection so far, its share of NER calls included


class NerScheduler:
    """Runs NER for one minimizer: its engine, its policy (what a finding replaces) and its
    clock and per-record time limit."""

    def __init__(
        self,
        engine: DetectionEngine,
        policy: CompiledPolicy,
        clock: Callable[[], float],
        time_limit: float,
    ) -> None:
        self.engine = engine
        self.policy = policy
        self.clock = clock
        self.time_limit = time_limit

    def run(self, batch: list[Pending]) -> None:
        """NER over the batch's free text, in calls of bounded size. A record is charged its
        share of each call's time (by characters); one out of time is not read further and is
        quarantined. If a call fails, its texts are read record by record, and a record whose
        own NER fails is quarantined: a model error must neither stop the run nor let a record
        through unscanned."""
        pieces: list[Piece] = []
        for p in batch:
            try:
                slots = self._slots(p)
            except Exception as exc:  # noqa: BLE001 - this record is quarantined, not the batch
                p.error = describe(exc)
                continue
            for slot in slots:
                text = slot.field.value
                assert isinstance(text, str)
                pieces += [Piece(p, slot, start, end) for start, end in ner_pieces(text)]
        if pieces:
            # The model loads when a batch first has text for it, outside any record's time
            # and outside the guard below: a model that cannot load fails the run, as it did
            # when it loaded at start-up, instead of quarantining record after record.
            self.engine.load_ner()
        for call in calls(pieces):
            call = [piece for piece in call if piece.record.error is None]
            if call:
                self._call(call)

    def _call(self, call: list[Piece]) -> None:
        started = self.clock()
        try:
            self._apply_ner(call)
        except Exception:  # noqa: BLE001 - retried record by record below
            for p in {id(piece.record): piece.record for piece in call}.values():
                try:
                    self._apply_ner([piece for piece in call if piece.record is p])
                except Exception as exc:  # noqa: BLE001
                    p.error = describe(exc)
        elapsed = self.clock() - started
        chars = sum(piece.end - piece.start for piece in call) or 1
        for piece in call:
            p = piece.record
            p.spent += elapsed * (piece.end - piece.start) / chars
            if p.error is None and p.spent > self.time_limit:
                p.error = describe(out_of_time())

    def _slots(self, p: Pending) -> list[Slot]:
        return [
            slot
            for slot in p.slots
            if slot.rule.mode == "scan"
            and self.engine.reads_ner(slot.ctx)  # the cheap test first: most kinds never are
            and not self._covered(slot)
            and self.engine.wants_ner(slot.field.value, slot.ctx)  # type: ignore[arg-type]
        ]

    def _apply_ner(self, pieces: list[Piece]) -> None:
        texts = [
            (str(piece.slot.field.value)[piece.start : piece.end], piece.slot.ctx)
            for piece in pieces
        ]
        results = self.engine.detect_ner(texts)
        seen: dict[int, set[tuple[str, int, int]]] = {}  # per slot, built once per call
        for piece, found in zip(pieces, results, strict=True):
            have = seen.get(id(piece.slot))
            if have is None:
                have = seen[id(piece.slot)] = {
                    (f.entity, f.start, f.end) for f in piece.slot.findings
                }
            for f in found:
                start, end = f.start + piece.start, f.end + piece.start
                if (f.entity, start, end) not in have:  # pieces overlap: found twice
                    have.add((f.entity, start, end))
                    piece.slot.findings.append(Finding(f.entity, start, end, f.score, f.detector))

    def _covered(self, slot: Slot) -> bool:
        """A value that one accepted finding already replaces whole (a name under
        `customer.name`, a private key) gains nothing from NER."""
        text = slot.field.value
        assert isinstance(text, str)
        end = len(text.rstrip())
        return any(f.start == 0 and f.end >= end and self.policy.accepts(f) for f in slot.findings)


@dataclass(slots=True)
class Piece:
    """A stretch of a slot's text that NER reads in one go."""

    record: Pending
    slot: Slot
    start: int
    end: int


def ner_pieces(text: str) -> list[tuple[int, int]]:
    """The spans NER reads a text in: whole up to `NER_PIECE_CHARS`, else pieces cut at a
    space near that length, each running on `NER_OVERLAP_CHARS` (to a space) into the next."""
    n = len(text)
    if n <= NER_PIECE_CHARS:
        return [(0, n)]
    spans = []
    start = 0
    while start < n:
        cut = min(start + NER_PIECE_CHARS, n)
        if cut < n:
            space = max(text.rfind(c, start + NER_PIECE_CHARS // 2, cut) for c in _SPACES)
            cut = space if space > 0 else cut
        end = min(cut + NER_OVERLAP_CHARS, n)
        found = [i for c in _SPACES if 0 <= (i := text.find(c, end, end + NER_OVERLAP_CHARS))]
        end = min(found, default=end)
        spans.append((start, end))
        start = cut
    return spans


_SPACES = (" ", "\n", "\t")


def calls(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into model calls of at most `NER_CALL_TEXTS` texts and about
    `NER_CALL_CHARS` characters (a piece is never split further)."""
    calls: list[list[Piece]] = []
    size = 0
    for piece in pieces:
        length = piece.end - piece.start
        if not calls or len(calls[-1]) >= NER_CALL_TEXTS or size + length > NER_CALL_CHARS:
            calls.append([])
            size = 0
        calls[-1].append(piece)
        size += length
    return calls


def out_of_time() -> DeadlineExceeded:
    return DeadlineExceeded("record took longer than limits.max_record_seconds")
