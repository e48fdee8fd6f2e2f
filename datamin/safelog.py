"""Logging that cannot carry values.

Our own code logs paths, counts and classes only. Third-party libraries are less careful
(Presidio logs candidate text at debug level; exception text can quote input), so their loggers
are held at WARNING or above, and every traceback is reduced to its exception classes.
"""

from __future__ import annotations

import logging

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
    root.setLevel(level)
