"""The one exception hierarchy.

Every message names a path, a file, a line or a class, never a value: these exceptions cross
process boundaries in Beam, land in logs and in quarantine entries. Each class pickles cleanly
(Beam ships exceptions between workers), which is why they keep their arguments in `args`.
"""

from __future__ import annotations


class DataminError(Exception):
    """Root of datamin's own errors; `str()` is safe to print."""


class PolicyError(DataminError):
    """A policy that cannot be loaded, validated or compiled. Raised before any record is read."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message, file, line)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = self.file or "<policy>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class InputError(DataminError):
    """A record or file that cannot be read safely; its message names a problem, never content."""


class LimitExceeded(InputError):
    """A record over a size, depth, field-count or string-length limit."""


class DeadlineExceeded(InputError):
    """A record whose detection took longer than the policy's time limit."""


class KeyConfigError(DataminError):
    """A missing, unreadable or malformed secret key."""


class TokenError(DataminError):
    """A reversible token that cannot be made (no retention class or date to key it) or read
    (not a datamin token); the message says which, never what the token or value is."""


class OutputError(DataminError):
    """The output directory cannot be written (permissions, full disk, a lock held)."""


def describe(exc: BaseException) -> str:
    """What may be said about an exception: its class only, or its message if it is our own.

    Third-party exceptions are reduced to their class name, because their text can carry the
    value that caused them (a `KeyError` holding an email, a `JSONDecodeError` quoting a line).
    """
    if isinstance(exc, DataminError):
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__


class BatchNotCommitted(OutputError):
    """A streaming runner's batch that could not be written or committed: nothing of it was
    acknowledged, and the next start resumes before it."""


class SourceError(InputError):
    """A streaming source that failed mid-run (a lost broker connection that did not come back,
    an acknowledgement that could not be sent): the runner stops; what it committed stands, and
    the next start resumes after it."""
