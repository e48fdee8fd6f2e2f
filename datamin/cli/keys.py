"""`datamin keys ...`: the keys datamin keeps outside outputs, and the stores whose output is gone.

`list` shows where the pseudonym key is looked for and every token key store under the default
root (`~/.config/datamin/token-keys`): its output's id and recorded path, whether that output
still exists, and how many days of keys each retention class holds. `gc` deletes the stores
whose output is gone, after a prompt (`--yes` skips it; `--dry-run` only lists): a store whose
output exists, or whose owner or output cannot be told for sure, is kept and said so (see
`datamin.output.keystores` for how an output that moved is treated). Stores given to `run` as
`--token-keys` elsewhere are not under the root, and not seen here. The pseudonym key is shared
by every output and is never deleted. Nothing printed is a key or a value: paths, ids, counts.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from datamin.cli.console import fail, out
from datamin.errors import DataminError
from datamin.output.keystores import EXISTS, GC_PREFIX, GONE, StoreInfo

HELP = (
    "Where datamin's keys are: the pseudonym key and each output's token key store (list); "
    "delete stores whose output is gone (gc)."
)
EXAMPLE = "datamin keys list && datamin keys gc --dry-run"

keys_app = typer.Typer(help=HELP, no_args_is_help=True)


def _say(text: str) -> None:
    out.print(text, highlight=False, markup=False, soft_wrap=True)


def _keys(info: StoreInfo) -> str:
    if not info.keys:
        return "none"
    return ", ".join(f"{cls} {n} day(s)" for cls, n in info.keys.items())


def _output(info: StoreInfo) -> str:
    where = str(info.output) if info.output is not None else "not recorded"
    if info.status == EXISTS:
        state = f"exists, now at {info.moved_to}" if info.moved_to else "exists"
    elif info.status == GONE:
        state = "gone"
    else:
        state = f"unknown: {info.reason}"
    return f"{where} ({state})"


@keys_app.command(
    "list",
    help="The pseudonym key's location and every token key store under "
    "~/.config/datamin/token-keys: its output (id, path, whether it exists) and its keys' "
    "classes and day counts. Shows no key. Stores given to `run` as --token-keys elsewhere "
    "are not listed.",
)
def keys_list(
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    from datamin.keys import pseudonym_key_locations
    from datamin.output.keystores import survey
    from datamin.output.tokenkeys import token_keys_root

    if fmt not in ("text", "json"):
        raise fail("--format is text or json", 2)
    try:
        stores = survey()
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    root = token_keys_root()
    locations = pseudonym_key_locations()
    if fmt == "json":
        body = {
            "pseudonym_key": [
                {"what": what, "where": where, "present": present}
                for what, where, present in locations
            ],
            "token_key_root": str(root),
            "stores": [s.to_json() for s in stores],
        }
        out.print_json(json.dumps(body))
        return
    for what, where, present in locations:
        _say(f"pseudonym key, {what}: {where} ({'present' if present else 'absent'})")
    if not stores:
        _say(f"token-key stores in {root}: none")
        return
    _say(f"token-key stores in {root}: {len(stores)}")
    for info in stores:
        _say(str(info.path))
        _say(f"  output id: {info.output_id or 'not recorded'}")
        _say(f"  output: {_output(info)}")
        _say(f"  keys: {_keys(info)}")


@keys_app.command(
    "gc",
    help="Delete the token key stores under ~/.config/datamin/token-keys whose output is "
    "gone (nothing at its recorded path): their tokens can never be read back. Asks first. "
    "A store whose output exists, or whose owner or output cannot be told (no path "
    "recorded, its directory missing, another output there), is kept and listed. An output "
    "moved to another directory looks gone until a run or dispose uses it there: do that "
    "first, or its tokens become unrecoverable.",
)
def keys_gc(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be deleted; delete nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    from datamin.output.keystores import delete_store, survey
    from datamin.output.tokenkeys import token_keys_root

    try:
        stores = survey()
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    gone = [s for s in stores if s.status == GONE]
    keep = "would keep" if dry_run else "kept"
    for info in stores:
        if info.status == GONE:
            why = (
                "left by an interrupted keys gc"
                if info.path.name.startswith(GC_PREFIX)
                else f"its output {info.output} is gone"
            )
            _say(f"would delete {info.path}: {why} (keys: {_keys(info)})")
        elif info.status != EXISTS:
            _say(f"{keep} {info.path}: {info.reason}")
    kept = sum(1 for s in stores if s.status == EXISTS)
    if kept:
        _say(f"{keep} {kept} store(s) whose output exists")
    if not gone:
        _say(f"no token-key store in {token_keys_root()} whose output is gone")
        return
    if dry_run:
        _say(f"dry run: would delete {len(gone)} store(s); nothing deleted")
        return
    if not yes and not _confirm(len(gone)):
        _say("nothing deleted")
        raise typer.Exit(1)
    incomplete = 0
    for info in gone:
        try:
            done = delete_store(info)
        except (DataminError, OSError) as exc:
            incomplete += 1
            _say(f"kept {info.path}: cannot delete it ({type(exc).__name__})")
            continue
        if done.reason:
            _say(f"kept {info.path}: {done.reason}")
        elif not done.whole:
            incomplete += 1
            _say(
                f"partly deleted {info.path}: {done.keys} key(s); links inside were left "
                f"alone, in {done.left}"
            )
        else:
            _say(f"deleted {info.path}: {done.keys} key(s)")
    if incomplete:
        raise typer.Exit(1)


def _confirm(count: int) -> bool:
    try:
        return typer.confirm(
            f"Delete {count} token-key store(s)? Tokens made with their keys can never be read "
            "back.",
            default=False,
        )
    except typer.Abort:  # no answer (end of input): nothing is deleted
        return False
