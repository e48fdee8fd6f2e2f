"""Logging that cannot carry values.

Our own code logs paths, counts and classes only. Third-party libraries are less careful
(Presidio logs candidate text at debug level; exception text can quote input), so their loggers
are held at WARNING or above, and every traceback is reduced to its exception classes.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any, TextIO

# Loggers known to print text under analysis; held at ERROR.
NOISY = ("presidio-analyzer", "presidio-anonymizer", "presidio_analyzer", "spacy", "tldextract")


class ClassOnlyFormatter(logging.Formatter):
    """Formats a record without traceback text: only the chain of exception class names."""

    def formatException(self, ei: object) -> str:
        exc = ei[1] if isinstance(ei, tuple) and len(ei) > 1 else None
        names = []
        seen: set[int] = set()
        while isinstance(exc, BaseException) and id(exc) not in seen:  # chains can loop
            seen.add(id(exc))
            names.append(type(exc).__name__)
            exc = exc.__cause__ or exc.__context__
        return "exception: " + " <- ".join(names) if names else ""

    def formatStack(self, stack_info: str) -> str:
        return ""


# Import-time notices from libraries about extras we do not use.
_NOISE = ("apitools not found",)


class _DropNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(_NOISE))


_TRACEBACK = "Traceback (most recent call last)"
OURS = frozenset(("datamin", "benchmarks"))
# Task schedulers whose warnings and errors carry a task's arguments and exception as text.
_TASK_LOGGERS = frozenset(("distributed", "dask"))


class WithholdErrorText(logging.Filter):
    """For handlers that are not ours (Beam's in its worker processes, which log a failing
    step's exception as the message and its traceback as text): a record that carries an
    exception, or a traceback as text, is reduced to the exception's classes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".", 1)[0] in OURS:  # our messages are value-free by rule
            return True
        if record.name.split(".", 1)[0] in _TASK_LOGGERS and record.levelno >= logging.WARNING:
            # distributed's "Compute Failed" gives a task's arguments and exception as text.
            if record.args or record.exc_info:
                first = str(record.msg).split("\n", 1)[0]
                record.msg = f"{first} (details withheld; they may quote data)"
                record.args = ()
                record.exc_info = record.exc_text = record.stack_info = None
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        carried = [a for a in (record.msg, *args) if isinstance(a, BaseException)]
        if record.exc_info and isinstance(record.exc_info, tuple):
            carried.insert(0, record.exc_info[1])
        texts = any(isinstance(a, str) and _TRACEBACK in a for a in (record.msg, *args))
        if not carried and not texts:
            return True
        names = ClassOnlyFormatter().formatException((None, carried[0], None)) if carried else ""
        record.msg = f"details withheld (they may quote data); {names or 'a traceback'}"
        record.args = ()
        record.exc_info = record.exc_text = record.stack_info = None
        return True


class _WithholdTracebacks:
    """`sys.stderr` for a process whose libraries print tracebacks themselves (Beam's worker
    prints a failed bundle's with `print`, past logging): any write holding one is withheld."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if _TRACEBACK in text:
            text = "traceback withheld (it may quote data)\n"
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_process() -> None:
    """In a process whose logging Beam set up (a worker): quiet the libraries that print text,
    withhold exception text from every handler and tracebacks from stderr. Idempotent; DoFns
    call it in `setup()`."""
    quiet_third_party()
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    for handler in {h for lg in loggers for h in lg.handlers}:  # some do not propagate
        if not any(isinstance(f, WithholdErrorText) for f in handler.filters):
            handler.addFilter(WithholdErrorText())
    if not isinstance(sys.stderr, _WithholdTracebacks):
        sys.stderr = _WithholdTracebacks(sys.stderr)  # type: ignore[assignment]
    # Uncaught exceptions (main thread and others) print their classes, not their text.
    sys.excepthook = _print_classes
    threading.excepthook = lambda args: _print_classes(args.exc_type, args.exc_value, None)


def _print_classes(kind: type[BaseException], exc: BaseException | None, tb: Any) -> None:
    text = ClassOnlyFormatter().formatException((kind, exc, tb)) or f"exception: {kind.__name__}"
    if sys.__stderr__ is not None:
        sys.__stderr__.write(f"uncaught {text}\n")


def quiet_third_party() -> None:
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.ERROR)


def configure(level: int = logging.WARNING) -> None:
    """Install the class-only formatter on the root handler and quiet noisy libraries."""
    quiet_third_party()
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for handler in root.handlers:
        handler.setFormatter(ClassOnlyFormatter("%(levelname)s %(name)s: %(message)s"))
        handler.addFilter(_DropNoise())
        handler.addFilter(WithholdErrorText())
    root.setLevel(level)
