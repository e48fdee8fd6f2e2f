"""The log formatter prints exception classes, never their messages."""

from __future__ import annotations

from datamin import safelog


def test_an_exception_chain_that_loops_is_formatted_once() -> None:
    a, b = ValueError("a@example.com"), KeyError("b")
    a.__cause__, b.__cause__ = b, a
    text = safelog.ClassOnlyFormatter().formatException((ValueError, a, None))
    assert text == "exception: ValueError <- KeyError" and "example" not in text
