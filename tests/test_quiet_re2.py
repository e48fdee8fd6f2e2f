"""RE2 writes its errors straight to the process's stderr, past every logging filter: a compile
error quotes the pattern (a policy's regex can hold the very values it protects), and at run
time it reports "DFA out of memory" once per long text. Every pattern datamin compiles goes
through `datamin.quiet_re2`, which turns that log off."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from datamin import quiet_re2

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "datamin", ROOT / "redactors", ROOT / "policies", ROOT / "pipelines"]


def test_nothing_compiles_re2_patterns_but_the_quiet_module() -> None:
    loud = re.compile(r"\bre2\.(?:compile|Options)\(")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in SOURCES
        for path in sorted(folder.rglob("*.py"))
        if path.name != "quiet_re2.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if loud.search(line)
    ]
    assert found == []


def test_a_bad_pattern_and_an_oversized_dfa_print_nothing() -> None:
    script = """
import re2
from datamin import quiet_re2
try:
    quiet_re2.compile("(secret-canary-ann.lee@example.com")
except re2.error:
    pass
import random
random.seed(1)
small = quiet_re2.options(max_mem=1 << 20)  # a DFA this small runs out on the text below
pattern = quiet_re2.compile("[ab]*a[ab]{20}c", small)  # loud RE2 logs "DFA out of memory"
pattern.search("".join(random.choice("ab") for _ in range(200_000)))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stderr == "" and done.stdout == ""


def test_a_set_whose_dfa_outgrows_its_memory_still_answers() -> None:
    """The prefilters are RE2 sets: a set that silently found nothing would let every value
    pass unchecked. A single pattern's DFA gives up on a long text that overflows its cache
    (and RE2 falls back to a slower matcher); a set's many-match DFA never gives up, it
    rebuilds its cache and goes on, and a budget too small for the set at all fails when it is
    built, not when it reads."""
    import random

    import re2

    rng = random.Random(1)
    noise = "".join(rng.choice("ab") for _ in range(200_000))  # 2^15 DFA states wanted
    for budget in (1 << 14, 1 << 16, 1 << 20):
        found = re2.Set.SearchSet(quiet_re2.options(max_mem=budget, never_capture=True))
        found.Add("a[ab]{14}c")
        found.Add("zzz")
        found.Compile()
        assert found.Match(noise + " zzz") == [1]
        assert found.Match(noise + "a" + "b" * 14 + "c") == [0]
        assert found.Match(noise) is None
    tiny = re2.Set.SearchSet(quiet_re2.options(max_mem=1 << 12, never_capture=True))
    tiny.Add(r"[a-z]{30}\d{40}foo")
    with pytest.raises(re2.error):
        tiny.Compile()


def test_a_lazy_pattern_compiles_on_first_use_and_answers_as_the_compiled_one() -> None:
    import pickle

    pattern = r"(?:^|\s)(\p{Lu}\p{Ll}+)\s+(?:Street|Road)\b"
    lazy = quiet_re2.Lazy(pattern, quiet_re2.options(max_mem=8 << 20))
    assert "finditer" not in vars(lazy)  # nothing compiled yet
    text = "Send it to Baker Street, not to Abbey Road."
    eager = quiet_re2.compile(pattern)
    assert [m.span(1) for m in lazy.finditer(text)] == [m.span(1) for m in eager.finditer(text)]
    assert lazy.search("no street here") is None
    assert "finditer" in vars(lazy)  # kept: the next call is a plain attribute
    copy = pickle.loads(pickle.dumps(lazy))
    assert copy.search(text).group(1) == "Baker"
    with pytest.raises(AttributeError):
        lazy.__no_such_thing__  # noqa: B018
