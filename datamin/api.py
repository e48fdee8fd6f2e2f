"""datamin as a library: load a policy, minimize one record, build the engines a run uses.

    >>> import datamin
    >>> policy = datamin.load_policy("api_logs")
    >>> entry = {
    ...     "startedDateTime": "2026-12-04T10:00:00Z",
    ...     "time": 12,
    ...     "request": {
    ...         "method": "GET",
    ...         "url": "https://api.example.com/v1/customers?email=ana.souza@example.com",
    ...         "headers": [{"name": "Authorization", "value": "Bearer 4eC39HqLyjWDarjtT1zdp7dc"}],
    ...     },
    ...     "response": {"status": 200, "content": {"mimeType": "application/json"}},
    ... }
    >>> key = b"an example key: 32 bytes or more"
    >>> result = datamin.minimize(entry, policy=policy, key=key, ner=False)
    >>> result["status"], sorted(result["rows"])
    ('written', ['analytics'])
    >>> row = result["rows"]["analytics"]
    >>> row["method"], row["route"], row["status"], row["latency_ms"]
    ('GET', '/v1/customers', 200, 12.0)
    >>> "ana.souza" in repr(result) or "4eC39HqLyjWDarjtT1zdp7dc" in repr(result)
    False
    >>> datamin.minimize(b"[1, 2]", policy=policy, key=key, ner=False)["status"]
    'quarantined'

`minimize` returns plain Python data: the rows the record keeps, one per retention class (as
`datamin run` writes them to Parquet), or the quarantine entry (an error class and a
value-free message), or that the policy dropped the record. Engines are built once per policy,
key and model and reused, so calling it in a loop costs what `datamin run` costs per record.

For Beam pipelines of your own, `datamin.pipelines.Minimize(datamin.RunConfig(...))` is the
transform `datamin run` uses; `RunConfig.minimizer()` is where it (and `minimize`) get their
minimizer, over engines built once per process.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datamin.core.config import Engines, RunConfig, build_engines, without_ner
from datamin.keys import MIN_KEY_BYTES, KeyRing, KeySource

if TYPE_CHECKING:
    from datamin.core.minimize import Minimizer
    from datamin.policies.loader import LoadedPolicy

__all__ = [
    "Engines",
    "RunConfig",
    "build_engines",
    "key_ring",
    "load_policy",
    "minimize",
    "without_ner",
]

_LOCK = threading.Lock()
_MAX_MINIMIZERS = 8
# The few most recent configurations' engines and minimizers, held: a loop of calls reuses them.
_MINIMIZERS: dict[tuple[object, ...], tuple[Engines, Minimizer]] = {}


def load_policy(policy: str | Path) -> LoadedPolicy:
    """A policy by file path or by bundled name (`api_logs`, `bundled:api_logs`); raises
    `datamin.errors.PolicyError` naming every problem found."""
    from datamin.policies import bundled
    from datamin.policies.loader import load_policy as load

    name = str(policy)
    if isinstance(policy, str) and not Path(name).exists():
        short = name.removeprefix("bundled:")
        if bundled(short).is_file() and "/" not in short:
            return load(bundled(short))
    return load(policy)


def minimize(
    record: dict[str, Any] | str | bytes,
    *,
    policy: LoadedPolicy | str | Path,
    key: bytes | str | Path,
    ner: bool = True,
    ner_model: str | None = None,
    token_keys: str | Path | None = None,
    run_date: date | None = None,
) -> dict[str, Any]:
    """Minimize one record (a HAR entry, a message, any JSON object; as a dict or JSON text).

    `key`: the pseudonymization secret as bytes (at least 32), or a key file's path. `ner`:
    False turns name and place recognition off (much faster; names found by structure still
    go). `token_keys`: the token key directory, needed only by policies that tokenize.

    Returns `{"status": "written", "record_id", "date", "rows": {class: row}}`,
    `{"status": "quarantined", "error": ...}` or `{"status": "dropped"}`.
    """
    from datamin.core.minimize import Quarantined, Written
    from datamin.core.records import RawRecord

    loaded = policy if not isinstance(policy, str | Path) else load_policy(policy)
    keys = key_ring(key, token_keys)
    data = _as_bytes(record)
    day = run_date or datetime.now(UTC).date()
    minimizer = _minimizer(RunConfig(loaded, keys, day, ner_model=ner_model, ner=ner))
    (outcome,) = minimizer.process([RawRecord("<api>", 1, data)])
    if isinstance(outcome, Written):
        return {
            "status": "written",
            "record_id": outcome.record_id,
            "date": outcome.date,
            "rows": outcome.rows,
        }
    if isinstance(outcome, Quarantined):
        return {"status": "quarantined", "error": outcome.error}
    return {"status": "dropped"}


def _minimizer(config: RunConfig) -> Minimizer:
    """One minimizer per configuration, reused: its per-path rules, contexts and stored key
    paths are worked out once, as in a run, not once per call."""
    with _LOCK:
        at = (*config.tag(), config.run_date)
        found = _MINIMIZERS.get(at)
        if found is None:
            engines = config.engines()
            found = (engines, config.minimizer(engines))
            if len(_MINIMIZERS) >= _MAX_MINIMIZERS:
                _MINIMIZERS.clear()
            _MINIMIZERS[at] = found
    return found[1]


def _as_bytes(record: dict[str, Any] | str | bytes) -> bytes:
    import orjson

    if isinstance(record, bytes):
        return record
    if isinstance(record, str):
        return record.encode("utf-8", "surrogatepass")  # a lone surrogate is quarantined
    if isinstance(record, dict):
        return orjson.dumps(record)
    raise TypeError(f"a record is a dict or JSON text, not {type(record).__name__}")


def key_ring(key: bytes | str | Path, token_keys: str | Path | None = None) -> KeyRing:
    """A key ring from the secret itself or from a key file, checked as `datamin run` checks."""
    from datamin.errors import KeyConfigError

    store = str(token_keys) if token_keys is not None else None
    if isinstance(key, bytes):
        if len(key) < MIN_KEY_BYTES:
            raise KeyConfigError(f"a key must hold at least {MIN_KEY_BYTES} bytes")
        ring = KeyRing(key)
        if store is not None:
            from datamin.output.tokenkeys import TokenKeyStore

            ring = ring.with_token_store(TokenKeyStore(Path(store)))
        return ring
    return KeySource(path=str(key), token_keys=store).load()
