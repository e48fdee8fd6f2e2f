"""gitleaks' secret rules, read as data: the maintained rule set behind `credentials`.

`data/gitleaks.toml` is gitleaks' own rule file (MIT; its source, commit and licence are in its
header and `data/GITLEAKS-LICENSE`), unchanged: about 220 provider token families, each a Go
RE2 regex (RE2 here too, so every rule compiles as gitleaks wrote it), the keywords without one
of which the rule cannot match, the capture group holding the secret, an entropy floor, and
allowlists. `CredentialDetector` reads a value as gitleaks reads a file:

1. the rules' keywords sit in the detector's one prefilter set, case-insensitive, so a value
   that holds none costs nothing more (`keyword_signs`; a set of its own cost 1.5 us a value);
2. the rules of the keywords found run (`rules_of`, `scan`); the secret is the rule's
   `secretGroup`, or its first group that took part, or the whole match;
3. a secret below the rule's entropy floor, or one an allowlist accepts (the rule's or the
   file's global one: regexes on the secret, the match or the line, stopwords), is not one;
   nor, for gitleaks' generic rule only, is a UUID (`pod api-7d9f uid=<uuid>`: an id, as
   everywhere in datamin, unless a family's own rule, Heroku's say, names it a key).

A field's name counts as the text before its value (`scan_named`): a rule whose keyword is in
the name (a `twitch_client_secret` field) is also tried on `name=value`, as gitleaks reads a
line of configuration, and reports the part of the value it found. gitleaks' generic rule
(`generic-*`: any `key`, `token` or `auth` name) is not tried so: what a name alone says is
`credentials`' own judgement, which knows that an `Idempotency-Key` holds no secret.

Paths are never known here, so allowlists that need a path are left out, and so are rules that
are paths alone.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from datamin import quiet_re2
from datamin.redactors._validators import re2_safe, sign_set
from datamin.redactors.findings import Finding
from datamin.redactors.generic_tokens import entropy

RULES_FILE = "gitleaks.toml"
ENTITY = "API_KEY"
_GENERIC = "generic-"
_UUID = quiet_re2.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
SCORE = 0.9


@dataclass(frozen=True, slots=True)
class _Allow:
    """One allowlist of a rule (or the file's global one), without its paths: its regexes as
    one pattern, its stopwords as another (gitleaks' generic rule has 1,500 of them)."""

    regexes: str  # "", or one RE2 pattern of every regex
    target: str  # "secret", "match" or "line"
    stopwords: str  # "", or one RE2 pattern of every stopword, read in the lower-cased secret
    every: bool  # condition AND: regexes and stopwords must both accept

    def accepts(self, secret: str, match: str, line: str) -> bool:
        # Compiled when first asked (and kept by `quiet_re2`): most never are.
        checks = []
        if self.regexes:
            target = {"match": match, "line": line}.get(self.target, secret)
            checks.append(quiet_re2.compile(self.regexes).search(target) is not None)
        if self.stopwords:
            found = quiet_re2.compile(self.stopwords).search(secret.lower())
            checks.append(found is not None)
        if not checks:
            return False
        return all(checks) if self.every else any(checks)


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    pattern: str  # RE2; compiled when the rule first runs (most never do in a given run)
    group: int | None  # `secretGroup`; None: the first group that took part, else the match
    entropy: float
    keywords: tuple[str, ...]
    allows: tuple[_Allow, ...]

    @property
    def generic(self) -> bool:
        return self.id.startswith(_GENERIC)

    def secret_span(self, m: Any) -> tuple[int, int]:
        if self.group is not None:
            return m.span(self.group)
        for g in range(1, m.re.groups + 1):
            if m.start(g) != -1 and m.end(g) > m.start(g):
                return m.span(g)
        return m.span()


def _allow(spec: dict[str, Any]) -> _Allow | None:
    """An allowlist as this family can use it: None if it needs a path to accept anything."""
    needs_path = bool(spec.get("paths")) and spec.get("condition", "OR").upper() == "AND"
    if needs_path or not (spec.get("regexes") or spec.get("stopwords")):
        return None
    regexes, stopwords = spec.get("regexes", ()), spec.get("stopwords", ())
    return _Allow(
        regexes="|".join(f"(?:{rx})" for rx in regexes),
        target=spec.get("regexTarget", "secret"),
        stopwords="|".join(re.escape(w.lower()) for w in stopwords),
        every=spec.get("condition", "OR").upper() == "AND",
    )


@lru_cache(maxsize=1)
def load_rules() -> tuple[tuple[_Rule, ...], tuple[_Allow, ...]]:
    """The rules of the bundled file that have a regex, and the global allowlists."""
    data = tomllib.loads((files("datamin.redactors") / "data" / RULES_FILE).read_text("utf-8"))
    global_specs = [data.get("allowlist", {}), *data.get("allowlists", ())]
    global_allows = tuple(a for a in map(_allow, global_specs) if a is not None)
    rules = []
    for spec in data["rules"]:
        if not spec.get("regex"):
            continue  # a rule of paths alone
        specs = [*spec.get("allowlists", ()), *([spec["allowlist"]] if "allowlist" in spec else [])]
        rules.append(
            _Rule(
                id=spec["id"],
                pattern=spec["regex"],
                group=spec.get("secretGroup"),
                entropy=float(spec.get("entropy", 0.0)),
                keywords=tuple(k.lower() for k in spec.get("keywords", ())),
                allows=tuple(a for a in map(_allow, specs) if a is not None),
            )
        )
    return tuple(rules), global_allows


class GitleaksRules:
    """The bundled rules, ready to scan. Built once per worker; stateless; thread-safe."""

    def __init__(self) -> None:
        self._rules, self._global = load_rules()
        self.keywords = tuple(sorted({k for rule in self._rules for k in rule.keywords}))
        self._by_keyword = tuple(
            tuple(r for r, rule in enumerate(self._rules) if k in rule.keywords)
            for k in self.keywords
        )
        self._signs = sign_set(self.keyword_signs())  # for field names, each read once
        self._regexes: dict[int, Any] = {}  # each rule's, compiled when it first runs
        self.rules_of = lru_cache(maxsize=4096)(self._candidates)
        self._named = lru_cache(maxsize=4096)(self._rules_named)

    def keyword_signs(self) -> list[str]:
        """RE2 patterns of the keywords, in `keywords`' order, for a prefilter set."""
        return [f"(?i){re.escape(k)}" for k in self.keywords]

    def _candidates(self, keywords: tuple[int, ...]) -> tuple[int, ...]:
        """The rules of the keywords found (indices into `keywords`), in the file's order."""
        return tuple(sorted({r for i in keywords for r in self._by_keyword[i]}))

    def _rules_named(self, name: str) -> tuple[int, ...]:
        """The rules a field's name holds a keyword of, but the generic one."""
        found = self._signs.Match(re2_safe(name).encode())
        rules = self.rules_of(tuple(found)) if found else ()
        return tuple(r for r in rules if not self._rules[r].generic)

    def scan_named(self, text: str, name: str, source: str) -> list[Finding]:
        """Secrets in `text` that rules find reading it after its field's name."""
        rules = self._named(name)
        if not rules:
            return []
        shift = len(name) + 1
        return self.scan(re2_safe(f"{name}={text}"), rules, source, lo=shift, shift=-shift)

    def scan(
        self, line: str, rules: tuple[int, ...], source: str, *, lo: int = 0, shift: int = 0
    ) -> list[Finding]:
        """Findings of `rules` in `line` whose secret starts at `lo` or later, moved by
        `shift`; one per span where two rules find the same secret."""
        out: list[Finding] = []
        seen: set[tuple[int, int]] = set()
        for r in rules:
            rule = self._rules[r]
            regex = self._regexes.get(r)
            if regex is None:
                regex = self._regexes[r] = quiet_re2.compile(rule.pattern)
            for m in regex.finditer(line):
                start, end = rule.secret_span(m)
                if start < lo or end <= start or (start, end) in seen:
                    continue
                secret = line[start:end]
                if rule.entropy and entropy(secret) < rule.entropy:
                    continue
                if rule.generic and _UUID.fullmatch(secret):
                    continue  # an id, unless a family's own rule says whose key it is
                matched = line[m.start() : m.end()]
                own = line[line.rfind("\n", 0, m.start()) + 1 :].split("\n", 1)[0]
                if any(a.accepts(secret, matched, own) for a in (*self._global, *rule.allows)):
                    continue
                seen.add((start, end))
                out.append(Finding(ENTITY, start + shift, end + shift, SCORE, source))
        return out
