"""The public corpora are the same in every process: nothing in building them may depend on
PYTHONHASHSEED (set iteration order of strings, `hash()`), or figures move between runs.

Only digests cross the process boundary, so no frozen record is ever shown."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.util import find_spec

import pytest

from datamin.evaluation.public import PARTS

# 60 records reach every template of both parts and several locales of each.
_DIGEST = """
import hashlib, json
from datamin.evaluation.public import FROZEN_SEED, PARTS, public_records
out = []
for part in PARTS:
    recs = public_records(part, FROZEN_SEED if part == "public-frozen" else 11, 60)
    for what in (
        [r.record for r in recs],
        [[repr(label) + label.value + label.written for label in r.planted] for r in recs],
        [[repr(look) for look in r.lookalikes] for r in recs],
    ):
        text = json.dumps(what, sort_keys=True, ensure_ascii=False)
        out.append(part + ":" + hashlib.sha256(text.encode()).hexdigest())
print("\\n".join(out))
"""


def _digests(hash_seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _DIGEST], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


@pytest.mark.skipif(find_spec("faker") is None, reason="Faker is not installed")
def test_public_records_do_not_depend_on_the_hash_seed():
    first, second = _digests("1"), _digests("2")
    assert len(first) == 3 * len(PARTS)
    assert first == second
