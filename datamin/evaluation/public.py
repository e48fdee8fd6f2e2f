"""The public corpora `datamin eval` measures on, beside the project's own generator.

Built from public, permissively licensed material (see `datamin/evaluation/corpora/README.md` and
`LICENSES.md`): people, phones, streets, IBANs, cards and national numbers from Faker's locales
(MIT); credentials in the formats their providers document; records shaped after public API
descriptions, messages in several languages, log and CI text, and neutral-name config fields;
harmless look-alikes (ids, shas, ETags, timestamps, prices, SKUs...) in the same placements.
Every planted value is fresh, so leak rates are rates by occurrence.

Two parts, never mixed:
- `public-dev` (`_eval_templates_dev`, seed from the caller, default 11): templates, locales and
  placements anyone may look at while working on detectors.
- `public-frozen` (`_eval_templates_frozen`, `FROZEN_SEED`): other templates, other locales, other
  placements. RULE: nobody tunes on it. Do not look at its records or at what datamin leaves of
  them while changing a detector; report its figures as they come. Its seed is not a parameter.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datamin.evaluation import templates_dev as dev
from datamin.evaluation import templates_frozen as frozen
from datamin.evaluation.corpus import HAR, EvalCorpus, EvalRecord, _write
from datamin.evaluation.values import Ctx, faker_for

PARTS = ("public-dev", "public-frozen")
FROZEN_SEED = 20261204  # fixed; changing it makes a new frozen corpus (see the docstring)
_Template = Callable[[Ctx], tuple[str, dict[str, Any]]]
# part -> (templates, every locale, the locales of templates that build in only some of them)
_SETS: dict[str, tuple[tuple[_Template, ...], tuple[str, ...], dict[_Template, tuple[str, ...]]]]
_SETS = {
    "public-dev": (dev.TEMPLATES, dev.LOCALES, dev.TEMPLATE_LOCALES),
    "public-frozen": (frozen.TEMPLATES, frozen.LOCALES, {}),
}


def public_records(part: str, seed: int, n: int) -> list[EvalRecord]:
    """`n` labelled records of `part`: template i % T in locale (i // T) % L of its locales
    (L of them), so that any prefix of T * L records, L the least common multiple of the
    templates' locale counts, holds every template, and every template meets each of its
    locales."""
    templates, locales, own = _SETS[part]
    fakers = {loc: faker_for(loc, f"{part}:{seed}") for loc in locales}
    rng = random.Random(f"{part}:{seed}")
    taken: set[str] = set()
    records = []
    for i in range(n):
        template = templates[i % len(templates)]
        mine = own.get(template, locales)
        locale = mine[(i // len(templates)) % len(mine)]
        c = Ctx(fakers[locale], rng, locale, taken)
        source, record = template(c)
        records.append(EvalRecord(source, record, tuple(c.planted), tuple(c.lookalikes)))
    return records


def build_public_corpus(
    out_dir: Path, part: str, *, seed: int = 11, records: int = 200
) -> EvalCorpus:
    """Write `part`'s records under `out_dir` (`traffic.har` and `messages.jsonl`, the latter
    holding every JSON-line record: messages, logs, configs). `seed` is ignored for the frozen
    part, which always uses `FROZEN_SEED`."""
    if part not in _SETS:
        raise ValueError(f"unknown public corpus part {part!r}")
    seed = FROZEN_SEED if part == "public-frozen" else seed
    built = public_records(part, seed, records)
    _, har_path, jsonl_path = _write(out_dir, built)
    har_n = sum(r.source == HAR for r in built)
    return EvalCorpus(out_dir, har_path, jsonl_path, built, seed, har_n, len(built) - har_n)
