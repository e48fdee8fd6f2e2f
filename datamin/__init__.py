"""datamin: keep only what is needed of API traffic and message archives.

    import datamin
    policy = datamin.load_policy("api_logs")             # a bundled name or a file's path
    datamin.minimize(har_entry, policy=policy, key=b"...")  # rows by retention class

`datamin.pipelines.Minimize(datamin.RunConfig(...))` is the Beam transform for pipelines of
your own. The package root holds what every layer shares (errors, keys, leak-proof logging);
the per-record core is `datamin.core`, detection and operators `datamin.redactors`, the policy
model and its authoring tools `datamin.policies`, Beam pipelines `datamin.pipelines`, the
output's lifecycle `datamin.output`, the commands `datamin.cli` (see `datamin.api`).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["RunConfig", "build_engines", "load_policy", "minimize"]


def __getattr__(name: str) -> Any:
    # The API's imports (Presidio, spaCy, Beam's) load on first use, not on `import datamin`.
    if name in __all__:
        from datamin import api

        return getattr(api, name)
    raise AttributeError(f"module 'datamin' has no attribute {name!r}")
