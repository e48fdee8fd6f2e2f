"""The log formatter prints exception classes, never their messages."""

from __future__ import annotations

import io
import logging

import pytest

from datamin import safelog


def test_an_exception_chain_that_loops_is_formatted_once() -> None:
    a, b = ValueError("a@example.com"), KeyError("b")
    a.__cause__, b.__cause__ = b, a
    text = safelog.ClassOnlyFormatter().formatException((ValueError, a, None))
    assert text == "exception: ValueError <- KeyError" and "example" not in text


def _record(msg: object, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, None) if exc is not None else None
    return logging.LogRecord("apache_beam.runners.common", logging.ERROR, "f", 1, msg, args, info)


@pytest.mark.parametrize(
    "record",
    [
        _record(KeyError("ann@example.com")),  # Beam logs a step's exception as the message
        _record("failed: %s", "Traceback (most recent call last):\n KeyError: 'ann@example.com'"),
        _record("step %s failed", "x", exc=ValueError("ann@example.com")),
    ],
)
def test_records_of_other_loggers_carrying_exceptions_keep_only_classes(
    record: logging.LogRecord,
) -> None:
    assert safelog.WithholdErrorText().filter(record)
    text = logging.Formatter().format(record)
    assert "ann@example.com" not in text and text.startswith("details withheld")


def test_our_own_records_and_plain_ones_pass_unchanged() -> None:
    ours = logging.LogRecord(
        "datamin.pipelines.batch", logging.ERROR, "f", 1, "run %s", ("r1",), None
    )
    plain = _record("bundle %s done", "b1")
    for record in (ours, plain):
        safelog.WithholdErrorText().filter(record)
    assert ours.getMessage() == "run r1" and plain.getMessage() == "bundle b1 done"


def test_a_traceback_printed_to_stderr_is_withheld() -> None:
    sink = io.StringIO()
    stream = safelog._WithholdTracebacks(sink)
    stream.write("Traceback (most recent call last):\n  ...\nKeyError: 'ann@example.com'\n")
    stream.write("an ordinary line\n")
    assert sink.getvalue() == "traceback withheld (it may quote data)\nan ordinary line\n"
