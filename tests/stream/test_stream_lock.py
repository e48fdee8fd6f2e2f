"""The stream lock lives inside the output: its folder is never reached through a link."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from datamin.errors import OutputError
from datamin.output.lock import StreamLock, stream_live


def test_a_linked_streams_folder_is_refused_and_nothing_is_made_outside(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    (out / "_audit").mkdir(parents=True)
    outside.mkdir()
    (out / "_audit" / "streams").symlink_to(outside)
    with pytest.raises(OutputError, match="never follows a link"):
        StreamLock(out, "abc").__enter__()
    assert list(outside.iterdir()) == []


def test_stream_live_does_not_look_through_a_link(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    (out / "_audit").mkdir(parents=True)
    outside.mkdir()
    held = outside / "x.lock"
    held.touch()
    fd = os.open(held, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        (out / "_audit" / "streams").symlink_to(outside)
        assert not stream_live(out)  # a lock held outside the output is not this output's
        (out / "_audit" / "streams").unlink()
        with StreamLock(out, "abc"):
            assert stream_live(out)
        assert not stream_live(out)
    finally:
        os.close(fd)
