"""All detectors behind one object, built once per worker.

Structured detection (validated patterns, credentials, names by field) runs on every scanned
string; NER runs only on free text, in batches. Both also read the value's decoded view
(percent-encoding, HTML references, NFKC, invisible characters, base64) and report what they find
there at the span of the original it came from. Allow lists and score thresholds are the
policy's business and are applied by the caller.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from datamin.redactors._presidio_adapter import loading_seconds, recognizers_built
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.decode import DecodedView, Plus, decode, same_span
from datamin.redactors.entities import CREDENTIALS
from datamin.redactors.findings import Applies, Finding, fills
from datamin.redactors.listed import RECURRING
from datamin.redactors.ner_model import check_installed, context_words
from datamin.redactors.ner_views import (
    is_user_agent,
    may_ask_in_words,
    ner_view,
    reads_as_prose,
    worded_parts,
)
from datamin.redactors.registry import Detector, DetectorSettings, build_detectors, family_classes
from datamin.redactors.value_parts import (
    TEXT_URL_PARAMS,
    logged_pairs,
    query_findings,
    segment_findings,
    text_url_findings,
)

if TYPE_CHECKING:
    from datamin.redactors.ner import NerDetector

_MEMO_MAX_CHARS = 256
_MEMO_ENTRIES = 100_000
_NER_MEMO_CHARS = 4_000_000  # of the texts NER read, held with their findings
_VIEW_MAX_CHARS = 10_000  # longer values are read by NER in pieces, each decoded anew
_VIEW_CHARS = 500_000  # of the values whose views are held, and of the views
# Kinds whose strings can be prose. Headers, cookies and URLs never are; code holds prose only
# in its string literals (a JSONP response, `window.__USER__ = {...}`), and NER reads only those.
_PROSE_KINDS = (FieldKind.TEXT, FieldKind.JSON, FieldKind.FORM, FieldKind.CODE)
# ... and where NER reads: a query's values too, whether alone (`q=Ann Lee`) or in their URL,
# where it reads only them (a path's and a host's words are no one's name).
_NER_KINDS = (*_PROSE_KINDS, FieldKind.QUERY, FieldKind.URL, FieldKind.URL_PATH)
_URL_HEADERS = frozenset(("referer", "referrer", "location", "content-location"))  # hold a URL
# Values the parser hands over decoded: a `+` left in one was a `%2B`, unless the value is still
# percent-encoded (some HAR writers keep `queryString` values as they were sent).
_DECODED_KINDS = (FieldKind.QUERY, FieldKind.FORM)
# Values that may be a log line: a message body, or a string in a JSON record (`"msg": ...`).
_LOG_KINDS = (FieldKind.TEXT, FieldKind.JSON)
_PLUS_JOINS_WORDS = re.compile(r"[^\W\d_]{2}\+[^\W\d_]{2}")


class DetectionEngine:
    def __init__(
        self,
        *,
        ner_model: str | None,
        settings: DetectorSettings | None = None,
        applies: Applies | None = None,
    ) -> None:
        """`ner_model=None` turns NER off (patterns, credentials and field names still run).
        `applies(finding, text)`: whether the policy replaces `finding` in `text` (its entity
        on, its threshold met, its span not allowed); given, a value that a credential fills
        whole is not read by the families that find neither a credential nor a name (see
        `_text_findings`)."""
        self.settings = settings or DetectorSettings()
        structured = _families(self.settings)
        # Per field kind, the families that read it (a family's `skips` says where not).
        self._by_kind = {
            kind: tuple(d for d in structured if kind not in getattr(d, "skips", ()))
            for kind in FieldKind
        }
        # Their bound `detect`s, looked up once: the loop runs on every new value. Those that
        # can find a credential run first.
        self._detects = {
            kind: tuple(_told(d) for d in found if not d.entities.isdisjoint(CREDENTIALS))
            for kind, found in self._by_kind.items()
        }
        self._other_detects = {
            kind: tuple(d.detect for d in found if d.entities.isdisjoint(CREDENTIALS))
            for kind, found in self._by_kind.items()
        }
        # ... and of those, the ones that find names and places, which recur in a record.
        self._seeding_detects = {
            kind: tuple(
                d.detect
                for d in found
                if d.entities.isdisjoint(CREDENTIALS) and not d.entities.isdisjoint(RECURRING)
            )
            for kind, found in self._by_kind.items()
        }
        # What reads a value's decoded view: every family, or, where a credential fills the
        # value, those that find credentials, names and places (joined once, not per value).
        self._view_detects = {
            (kind, filled): self._detects[kind]
            + (self._seeding_detects if filled else self._other_detects)[kind]
            for kind in FieldKind
            for filled in (False, True)
        }
        self._applies = applies
        self._disabled = self.settings.disabled
        self._memo: dict[tuple[str, FieldContext], list[Finding]] = {}
        # NER's model is loaded when a value first needs it, once (`_model`): a run whose
        # records never reach NER never imports spaCy. Whether it is installed is known now.
        self._ner_model = ner_model
        self._ner: NerDetector | None = None
        self._ner_lock = threading.Lock()
        if ner_model is not None:
            check_installed(ner_model)
        # NER findings per text read (and its context words), and the decoded views of prose
        # values: a value's view is made once, whether structured detection, the NER test or
        # NER itself asks for it. Bounded; in memory only.
        self._ner_memo: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
        self._ner_memo_chars = 0
        self._views: dict[tuple[str, Plus], DecodedView | None] = {}
        self._views_chars = 0

    @property
    def has_ner(self) -> bool:
        return self._ner_model is not None

    def _model(self) -> NerDetector:
        """The NER detector, built on first use (spaCy imported and the model loaded then)."""
        ner = self._ner
        if ner is None:
            with self._ner_lock:
                ner = self._ner
                if ner is None:
                    from datamin.redactors.ner import NerDetector

                    assert self._ner_model is not None
                    ner = self._ner = NerDetector(self._ner_model)
        return ner

    @staticmethod
    def loading_seconds() -> float:
        """CPU seconds this thread has spent loading what detection imports on first use
        (Presidio's checksums): a caller timing records leaves them out."""
        return loading_seconds()

    def loads(self) -> int:
        """How many things loaded on first use (the model, Presidio's recognizers) there are
        so far: a worker that sees the count grow knows its long-lived objects grew."""
        return int(self._ner is not None) + recognizers_built()

    def load_ner(self) -> None:
        """Load the model now, if NER is on (a failure here is the run's, not a record's)."""
        if self._ner_model is not None:
            self._model()

    def _view(self, text: str, ctx: FieldContext) -> DecodedView | None:
        """`decode(text)` as this context reads `+`; remembered for values NER may read next
        (prose, a query, a URL: the test of `wants_ner`, then `ner_text`), decoded once."""
        plus = _plus(text, ctx)
        if not self.reads_ner(ctx) or len(text) > _VIEW_MAX_CHARS:
            return decode(text, plus)
        key = (text, plus)
        try:
            return self._views[key]
        except KeyError:
            pass
        view = decode(text, plus)
        # Bounded by characters: a view maps each of its characters back (two ints apiece).
        size = len(text) + (len(view.text) if view is not None else 0)
        if self._views_chars + size > _VIEW_CHARS:
            self._views.clear()
            self._views_chars = 0
        self._views_chars += size
        self._views[key] = view
        return view

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        """Findings of the structured detectors. Short values repeat across records (headers,
        content types, statuses), so their findings are memoized per worker: detection is a
        pure function of text and context. The memo lives in memory only."""
        if len(text) > _MEMO_MAX_CHARS:
            return self._detect(text, ctx)
        key = (text, ctx)
        found = self._memo.get(key)
        if found is None:
            found = self._detect(text, ctx)
            if len(self._memo) >= _MEMO_ENTRIES:
                self._memo.clear()
            self._memo[key] = found
        return list(found)

    def _detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        # A URL with a query, as its own field or as a JSON value that is one URL (a callback's
        # `{"redirect": "/cb?code=...&state=..."}`): each query value under its own name.
        if "=" in text and (
            ctx.kind is FieldKind.URL or (_url_in(text, ctx) and text.count("&") < TEXT_URL_PARAMS)
        ):
            query = text.find("?")
            if query >= 0:
                return self._url_findings(text, query, ctx)
        return self._text_findings(text, ctx, whole=True)

    def _fills(self, findings: list[Finding], text: str) -> bool:
        """Whether a credential the policy replaces spans all of `text`."""
        applies = self._applies
        return applies is not None and fills(findings, text, applies, entities=CREDENTIALS)

    def _url_findings(self, url: str, query: int, ctx: FieldContext) -> list[Finding]:
        """A whole URL with a query: the part before the `?` is read as a URL, each query value
        as the parameter it is, under its own name, instead of by words that happen to stand
        near it in the URL. The families read the query once, value by value: a finding of the
        part before that reaches the `?` is read again in the whole URL, as it was written."""
        findings = self._text_findings(url[:query], ctx)
        if any(f.end >= query for f in findings):
            findings = [f for f in self._text_findings(url, ctx) if f.start <= query]
        return findings + query_findings(url, query, ctx, self.detect, self._view)

    def _text_findings(self, text: str, ctx: FieldContext, *, whole: bool = False) -> list[Finding]:
        """Findings in `text`, the whole of a value (`whole`) or a part of one. Where a
        credential the policy replaces fills the whole value (a bearer token, a private key
        under its name), what else is found inside changes nothing written but the names and
        places a record gives away, which `Minimizer._recurring` finds in its other fields:
        everything else loses to the credential (a wider span wins, and credentials win ties).
        So the families that find neither (identifiers' patterns, national ids, dates of birth)
        are not asked; a token's random characters are where their patterns cost most."""
        kind = ctx.kind
        findings = self._family_findings(
            self._detects[kind], text, ctx, self._applies if whole else None
        )
        filled = whole and bool(findings) and self._fills(findings, text)
        others = self._seeding_detects[kind] if filled else self._other_detects[kind]
        findings += self._family_findings(others, text, ctx)
        if kind in _PATH_KINDS and "/" in text:
            findings += segment_findings(text, ctx, findings, self.detect)
        if kind in _LOG_KINDS and ("=" in text or ': "' in text or ':"' in text):
            pairs, spans = logged_pairs(text, ctx, self.detect)
            if spans:
                # A pair whose key says its value is no phone (`postcode=99536-9186`,
                # `order_id=...`) is not made one by the line around it.
                findings = [
                    f for f in findings if f.entity != "PHONE_NUMBER" or not _within(f, spans)
                ]
            findings += pairs
            if whole and "?" in text:
                findings += text_url_findings(text, ctx, findings, self.detect, self._view)
        return findings + self._view_findings(text, ctx, findings, filled)

    def _view_findings(
        self,
        text: str,
        ctx: FieldContext,
        found: list[Finding],
        filled: bool,
    ) -> list[Finding]:
        """What the families find in `text`'s decoded view (those `_view_detects` names), at
        the spans of `text` it came from, that `found` does not hold already."""
        view = self._view(text, ctx)
        if view is None:
            return []
        detects = self._view_detects[(ctx.kind, filled)]
        seen = {(f.entity, f.start, f.end) for f in found}
        more: list[Finding] = []
        for f in self._family_findings(detects, view.text, ctx):
            start, end = view.span(f.start, f.end)
            if (f.entity, start, end) not in seen:
                seen.add((f.entity, start, end))
                more.append(Finding(f.entity, start, end, f.score, f.detector))
        return more

    def _family_findings(
        self,
        detects: tuple[Callable[..., list[Finding]], ...],
        text: str,
        ctx: FieldContext,
        applies: Applies | None = None,
    ) -> list[Finding]:
        """What `detects` find in `text`; those that read the policy are given `applies`."""
        findings: list[Finding] = []
        if applies is None:
            for detect in detects:
                findings.extend(detect(text, ctx))
        else:  # only the families that can find a credential (`_told`)
            for detect in detects:
                findings.extend(detect(text, ctx, applies=applies))
        if self._disabled:
            findings = [f for f in findings if f.entity not in self._disabled]
        return findings

    def ner_text(
        self, text: str, ctx: FieldContext
    ) -> tuple[str, Callable[[int, int], tuple[int, int]]]:
        """The text NER reads (the decoded view, so `John%20Smith` is a name) and the mapping of
        its spans back to `text`. Of a URL or a path, NER reads its parts of more than one
        word, a line each."""
        view = self._view(text, ctx)
        decoded, to_original = (text, same_span) if view is None else (view.text, view.span)
        if _a_url(ctx) or _a_path(text, ctx):
            return worded_parts(decoded, to_original)
        return decoded, to_original

    def reads_ner(self, ctx: FieldContext) -> bool:
        """Whether NER runs at all on values of this context (`wants_ner` says which)."""
        return self._ner_model is not None and (
            ctx.kind in _NER_KINDS or (ctx.kind is FieldKind.HEADER and ctx.name in _URL_HEADERS)
        )

    def wants_ner(self, text: str, ctx: FieldContext) -> bool:
        if not self.reads_ner(ctx) or len(text) < 5:
            return False
        if _a_url(ctx) or _a_path(text, ctx):
            if len(text) > _VIEW_MAX_CHARS or not may_ask_in_words(text):
                return False
            return reads_as_prose(self.ner_text(text, ctx)[0])
        if is_user_agent(text):
            return False  # a client's products and versions, whatever field logs them
        if reads_as_prose(text):
            return True
        view = self._view(text, ctx)
        return view is not None and reads_as_prose(view.text)

    def detect_ner(self, items: list[tuple[str, FieldContext]]) -> list[list[Finding]]:
        """NER findings for each (text, context), at spans of the given texts. A text read
        before under the same context words is not read again: NER is a function of the
        text it reads and those words (values repeat: product names, templated notes)."""
        if self._ner_model is None or not items:
            return [[] for _ in items]
        views = [self.ner_text(text, ctx) for text, ctx in items]
        keys = [
            (ner_view(decoded, ctx.kind is FieldKind.CODE), context_words(ctx))
            for (decoded, _), (_, ctx) in zip(views, items, strict=True)
        ]
        memo = self._ner_memo
        known: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
        todo: dict[tuple[str, tuple[str, ...]], FieldContext] = {}
        for key, (_, ctx) in zip(keys, items, strict=True):
            hit = memo.get(key)
            if hit is not None:
                known[key] = hit
            elif key not in known:
                todo.setdefault(key, ctx)
        if todo:
            read = list(todo.items())
            found = self._model().detect_batch([(text, ctx) for (text, _), ctx in read])
            size = sum(len(text) for (text, _), _ in read)
            if self._ner_memo_chars + size > _NER_MEMO_CHARS:
                memo.clear()
                self._ner_memo_chars = 0
            self._ner_memo_chars += size
            for (key, _), hits in zip(read, found, strict=True):
                memo[key] = known[key] = hits
        results = [known[key] for key in keys]
        out: list[list[Finding]] = []
        for (_, to_original), found in zip(views, results, strict=True):
            if to_original is same_span:
                out.append(list(found))
                continue
            mapped: dict[tuple[str, int, int], Finding] = {}
            for f in found:
                start, end = to_original(f.start, f.end)
                mapped.setdefault(
                    (f.entity, start, end), Finding(f.entity, start, end, f.score, f.detector)
                )
            out.append(list(mapped.values()))
        return out


def _within(f: Finding, spans: list[tuple[int, int]]) -> bool:
    return any(start <= f.start and f.end <= end for start, end in spans)


# Families hold only what they compiled from their tables once built: a process that builds
# engines for several policies, or one per run, builds each set of families once (50 ms).
_BUILT: dict[tuple[DetectorSettings, tuple[type, ...]], tuple[Detector, ...]] = {}


def _families(settings: DetectorSettings) -> tuple[Detector, ...]:
    key = (settings, tuple(family_classes()))
    built = _BUILT.get(key)
    if built is None:
        if len(_BUILT) >= 8:
            _BUILT.clear()
        built = _BUILT[key] = build_detectors(settings)
    return built


def _told(family: Detector) -> Callable[..., list[Finding]]:
    """`family.detect`, taking `applies=` whether or not the family reads it (a family that
    does says so with `takes_applies`)."""
    if getattr(family, "takes_applies", False):
        return family.detect
    return lambda text, ctx, applies=None: family.detect(text, ctx)


def _a_url(ctx: FieldContext) -> bool:
    """A whole URL: a URL field, or a header that holds one (`Referer`, `Location`)."""
    return ctx.kind is FieldKind.URL or (ctx.kind is FieldKind.HEADER and ctx.name in _URL_HEADERS)


def _a_path(text: str, ctx: FieldContext) -> bool:
    """A URL's path, or a string that is one URL or path on one line, logged in a field of its
    own (`"path": "/exports/Maria%20Gonzalez/contacts.csv"`): NER reads its parts of more than
    one word apart, as it reads a URL's (the small model finds no name in the whole path)."""
    return ctx.kind is FieldKind.URL_PATH or (
        ctx.kind in _LOG_KINDS
        and text.startswith(("/", "http://", "https://"))
        and "\n" not in text
    )


def _url_in(text: str, ctx: FieldContext) -> bool:
    """A string that is one URL or path with a query, logged in a field of its own (a gateway's
    `upstream_uri`): NER reads its query's values as it reads a URL's."""
    return (
        ctx.kind in _LOG_KINDS
        and text.startswith(("/", "http://", "https://"))
        and "?" in text
        and not any(c.isspace() for c in text)
    )


def _plus(text: str, ctx: FieldContext) -> Plus:
    """Whether a `+` in this value is a form-encoded space: in a query or form value still
    percent-encoded, after the `?` of a URL, and in a whole form body written into a field."""
    if "+" not in text or ctx.kind is FieldKind.URL_PATH:
        return "literal"
    if ctx.kind in _DECODED_KINDS:
        return "space" if "%" in text else "literal"
    if " " in text or "\t" in text or "\n" in text:
        return "literal"  # prose, where `+` is itself (`+1 415 ...`, `C++`)
    if ctx.kind is FieldKind.COOKIE and _PLUS_JOINS_WORDS.search(text):
        return "space"  # a cookie's value form-encoded (`name=Maria+Gonzalez`)
    if "?" in text:
        return "query"
    if "=" in text and ("&" in text or "%" in text):
        return "space"
    return "literal"


# Kinds whose values are a URL path or hold one.
_PATH_KINDS = (FieldKind.URL_PATH, FieldKind.URL)
