"""One run's configuration, frozen, and the one place a minimizer is built from it.

`datamin run` (every Beam worker), `datamin stream`, the Python API and the policy tools all
build their `Minimizer` here. Engines (compiled policy, detection engine, and the spaCy model
it loads when a value first needs NER) take seconds to build, so a process shares them, keyed
by policy, key and model, for as long as anything holds them (a worker's DoFns during a run,
the Python API's few most recent): a run that ends lets its engines go, so the next run starts
from the token key store as it is now.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from datamin.keys import KeyRing, KeySource

if TYPE_CHECKING:
    from datamin.core.minimize import Minimizer
    from datamin.policies.compiled import CompiledPolicy
    from datamin.policies.loader import LoadedPolicy
    from datamin.redactors.engine import DetectionEngine

_ENGINES: weakref.WeakValueDictionary[tuple[str, str, str | None, bool, str], Engines] = (
    weakref.WeakValueDictionary()
)
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Engines:
    """What minimizing under one policy and key needs: the key ring, the compiled policy and the
    detection engine. Built once per process; thread-safe to share."""

    keys: KeyRing
    policy: CompiledPolicy
    engine: DetectionEngine

    def minimizer(self, run_date: date, *, keep_raw: bool = False) -> Minimizer:
        """The one place a minimizer is made: its own statistics and per-path caches, over
        these shared engines."""
        from datamin.core.minimize import Minimizer

        return Minimizer(self.policy, self.engine, self.keys, run_date, keep_raw=keep_raw)


def build_engines(loaded: LoadedPolicy, keys: KeyRing, ner_model: str | None) -> Engines:
    """A policy, a key and a model as engines (`ner_model`: a spaCy package name overriding the
    policy's, or None for the policy's own; NER off if the policy says so). Uncached."""
    from datamin.policies.compiled import CompiledPolicy
    from datamin.redactors.engine import DetectionEngine

    detection = loaded.policy.detection
    policy = CompiledPolicy(loaded, keys)
    engine = DetectionEngine(
        ner_model=detection.ner_model_for(ner_model),
        settings=detection.settings,
        applies=policy.applies,
    )
    return Engines(keys, policy, engine)


@dataclass(frozen=True)
class RunConfig:
    """What every record of a run is minimized with. Picklable when `keys` is a `KeySource`
    (a run's workers load the key themselves; the secret never travels with the pipeline);
    the Python API passes a `KeyRing` it holds in memory.

    `ner`: False turns name and place recognition off whatever the policy says. `keep_raw`:
    quarantine entries carry the record's bytes, for an encrypted raw quarantine only."""

    loaded: LoadedPolicy
    keys: KeySource | KeyRing
    run_date: date
    ner_model: str | None = None
    ner: bool = True
    keep_raw: bool = False
    # Engines are shared only within one scope: a run's id, so a key file or token key store
    # changed between two runs in one process is read afresh by the next.
    scope: str = ""

    def tag(self) -> tuple[str, str, str | None, bool, str]:
        """What tells this configuration's engines from another's: policy, key, model, scope."""
        return (self.loaded.sha256, self._key_tag(), self.ner_model, self.ner, self.scope)

    def engines(self) -> Engines:
        """This configuration's engines: the ones this process already holds, or new ones.
        Hold the result for as long as it is used."""
        tag = self.tag()
        with _LOCK:
            found = _ENGINES.get(tag)
            if found is None:
                keys = self.keys.load() if isinstance(self.keys, KeySource) else self.keys
                loaded = self.loaded if self.ner else without_ner(self.loaded)
                found = build_engines(loaded, keys, self.ner_model if self.ner else None)
                _ENGINES[tag] = found
        return found

    def minimizer(self, engines: Engines | None = None) -> Minimizer:
        """A new minimizer over `engines` (this configuration's, by default)."""
        engines = engines or self.engines()
        return engines.minimizer(self.run_date, keep_raw=self.keep_raw)

    def _key_tag(self) -> str:
        # Where the key comes from, or a keyed hash of it: never the key.
        if isinstance(self.keys, KeySource):
            return f"source:{self.keys.env}:{self.keys.path}:{self.keys.token_keys}"
        store = self.keys.token_store
        where = getattr(store, "root", None) if store is not None else None
        return f"ring:{self.keys.mac('engines-cache', b'').hex()}:{where}"


def without_ner(loaded: LoadedPolicy) -> LoadedPolicy:
    """The same policy with name and place recognition off."""
    detection = loaded.policy.detection.model_copy(update={"ner": False})
    policy = loaded.policy.model_copy(update={"detection": detection})
    return replace(loaded, policy=policy, sha256=hashlib.sha256(loaded.sha256.encode()).hexdigest())
