"""A Beam filesystem, `fake://`, over a local folder (`ROOT`): an output no `os` call can
reach, as a `gs://` one, to run the code paths remote outputs take (Beam's own calls only)."""

from __future__ import annotations

import os

from apache_beam.io.filesystem import FileMetadata
from apache_beam.io.localfilesystem import LocalFileSystem

ROOT = "/nonexistent"  # set by the test
P = "fake://"


def _l(path: str) -> str:
    return os.path.join(ROOT, path[len(P) :]) if path.startswith(P) else path


def _r(path: str) -> str:
    return P + os.path.relpath(path, ROOT)


class FakeFS(LocalFileSystem):
    @classmethod
    def scheme(cls):
        return "fake"

    def join(self, base, *paths):
        return "/".join([base.rstrip("/"), *paths])

    def split(self, path):
        head, tail = path.rsplit("/", 1)
        return head, tail

    def has_dirs(self):
        return False

    def mkdirs(self, path):
        os.makedirs(_l(path), exist_ok=True)

    def _list(self, prefix):
        if not os.path.exists(_l(prefix)):
            return
        for m in super()._list(_l(prefix)):
            yield FileMetadata(_r(m.path), m.size_in_bytes, m.last_updated_in_seconds)

    def create(self, path, *a, **k):
        return super().create(_l(path), *a, **k)

    def open(self, path, *a, **k):
        return super().open(_l(path), *a, **k)

    def rename(self, s, d):
        for x in d:
            os.makedirs(os.path.dirname(_l(x)), exist_ok=True)
        return super().rename([_l(x) for x in s], [_l(x) for x in d])

    def copy(self, s, d):
        return super().copy([_l(x) for x in s], [_l(x) for x in d])

    def exists(self, path):
        return os.path.exists(_l(path))

    def delete(self, paths):
        import shutil

        from apache_beam.io.filesystem import BeamIOError

        errors = {}
        for p in paths:
            path = _l(p).rstrip("/")
            try:
                shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
            except OSError as e:
                errors[p] = e
        if errors:
            raise BeamIOError("Delete operation failed", errors)

    def size(self, path):
        return super().size(_l(path))

    def last_updated(self, path):
        return super().last_updated(_l(path))

    def checksum(self, path):
        return super().checksum(_l(path))
