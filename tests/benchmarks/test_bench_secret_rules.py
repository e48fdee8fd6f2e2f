"""The secret-rules benchmark's harness on rules written here: examples are what the rule itself
reports, and each placement is tallied. (gitleaks' own files are read from a mirror at run time,
which the suite does not need.)"""

from __future__ import annotations

from benchmarks.bench_secret_rules import PLACEMENTS, Example, entropy, generated, run

# A family datamin's tables have (Sourcegraph's prefix) and one nobody has (a keyword rule).
KNOWN = {"id": "sourcegraph", "regex": r"\b(sgp_[a-f0-9]{40})\b", "keywords": ["sgp_"]}
UNKNOWN = {
    "id": "acme",
    "regex": r"(?i)acme(?:[\w.-]{0,20})[\s'\"]{0,3}(?:=|:)[\s'\"]{0,5}([a-z]{12})(?:['\"\s]|$)",
    "keywords": ["acme"],
    "entropy": 3.0,
}


def test_generated_examples_are_reported_by_their_own_rule() -> None:
    examples = generated([KNOWN, UNKNOWN], samples=3, seed=5)
    assert {e.rule for e in examples} == {"sourcegraph", "acme"}
    for e in examples:
        assert e.secret in e.line
        if e.rule == "acme":
            assert entropy(e.secret) >= 3.0 and e.secret.isalpha()


def test_each_placement_is_tallied_and_a_known_family_is_never_left() -> None:
    examples = generated([KNOWN], samples=3, seed=5)
    tally, missed = run(examples)
    assert {p: tally[p]["total"] for p in PLACEMENTS} == dict.fromkeys(PLACEMENTS, 3)
    assert not any(missed.values())
    # Twelve letters after an unknown word, alone in a neutral field: nothing says secret.
    plain = Example("acme", "acme = qwertzuiopas", "qwertzuiopas", "acme")
    tally, missed = run([plain])
    assert tally["neutral"]["left"] == 1 and missed["neutral"] == [plain]
