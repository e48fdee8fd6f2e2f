"""Which key an output is written under, so that a run under another key is refused.

The output records a keyed hash of a fixed label (`_audit/key.json`, and `key_check` in each
audit record): the same key gives the same value, another key another, and it tells nothing of
the key. Rows written under two keys would not join (pseudonyms differ) and a re-run under the
new key would not replace the old key's files (their names are keyed too), so a run whose key
differs from the output's is refused unless the caller allows it (`--allow-key-change`), and
its audit then says `key_changed: true`.
"""

from __future__ import annotations

import json
from typing import Any

from datamin.errors import OutputError
from datamin.keys import KeyRing
from datamin.output.layout import AUDIT, RUN_ID, OutputLayout, temp_for, write_atomic

KEY_CHECK_PURPOSE = "key-check"


def key_check(keys: KeyRing) -> str:
    return keys.mac_hex(KEY_CHECK_PURPOSE, b"datamin", 16)


def recorded_key(layout: OutputLayout) -> str | None:
    """The key check the output was last committed under: its key record, else the newest
    audit that has one; None for a new output (or one only older versions wrote)."""
    from apache_beam.io.filesystems import FileSystems

    record = read_json(layout.key_record())
    if record is not None and isinstance(record.get("key_check"), str):
        return str(record["key_check"])
    found = FileSystems.match([layout.join(AUDIT, "runs", "*.json")])[0].metadata_list
    for path in sorted((m.path for m in found), reverse=True):
        if RUN_ID.match(path.rsplit("/", 1)[-1].removesuffix(".json")):
            audit = read_json(path)
            if audit is not None and isinstance(audit.get("key_check"), str):
                return str(audit["key_check"])
    return None


def check_key(layout: OutputLayout, check: str, allow_change: bool) -> bool:
    """Refuse a key other than the output's; True when the key changes, as allowed."""
    recorded = recorded_key(layout)
    if recorded is None or recorded == check:
        return False
    if not allow_change:
        raise OutputError(
            f"the output {layout.root} was written under another key: run with that key, or "
            "pass --allow-key-change to write under this one (earlier rows keep the old key's "
            "pseudonyms and are not replaced by re-runs)"
        )
    return True


def prepare_key_record(layout: OutputLayout, check: Any) -> None:
    """The key record saying `check`, written whole under its hidden name (see
    `commit.prepare`); nothing when the output already says it."""
    from apache_beam.io.filesystems import FileSystems

    path = layout.key_record()
    if isinstance(check, str) and read_json(path) != _body(check):
        with FileSystems.create(temp_for(path)) as f:
            f.write(json.dumps(_body(check)).encode())


def record_key(layout: OutputLayout, check: Any) -> None:
    """The key record says `check`: the prepared one renamed into place, or written now."""
    from apache_beam.io.filesystems import FileSystems

    path = layout.key_record()
    if not isinstance(check, str) or read_json(path) == _body(check):
        return
    temp = temp_for(path)
    try:
        prepared = read_json(temp)
    except ValueError:  # a failed run's, cut short
        prepared = None
    if prepared == _body(check):
        FileSystems.rename([temp], [path])
    else:
        write_atomic(path, json.dumps(_body(check)).encode())


def _body(check: str) -> dict[str, str]:
    return {"key_check": check}


def read_json(path: str) -> dict[str, Any] | None:
    """A JSON object datamin wrote whole (hidden, then renamed), or None when absent."""
    from apache_beam.io.filesystems import FileSystems

    if not FileSystems.exists(path):
        return None
    with FileSystems.open(path) as f:
        try:
            body = json.loads(f.read())
        except ValueError:
            raise OutputError(f"{path} is damaged (not JSON); datamin does not act on it") from None
    return body if isinstance(body, dict) else None
