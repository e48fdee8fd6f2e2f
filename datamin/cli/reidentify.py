"""`datamin reidentify`: thin; `datamin.output.reidentify` reads the tokens back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datamin.cli.console import fail
from datamin.errors import DataminError

HELP = (
    "Read reversible tokens back into the values they replaced, for holders of the token "
    "keys. Prints `token<TAB>value` per token: personal data, on purpose; mind where it goes. "
    "A token that cannot be read back prints why and the command exits 1: `(unrecoverable: "
    "key disposed)` when the output's disposal records name its key, `(unrecoverable: no key "
    "for this class and day in the store)` otherwise (a wrong output or store?). No store for "
    "the output is a one-line error (exit 2)."
)


def reidentify_command(
    tokens: Annotated[list[str] | None, typer.Argument(help="Tokens (tok_...).")] = None,
    from_file: Annotated[
        str | None,
        typer.Option("--from-file", help="A file of tokens, one a line; - for standard input."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The output the tokens came from: finds its keys by its id."
        ),
    ] = None,
    token_keys: Annotated[
        Path | None,
        typer.Option(help="Directory of token keys, if given to `run` as --token-keys."),
    ] = None,
    entity: Annotated[
        list[str] | None,
        typer.Option(
            "--entity",
            help="The entity the tokenize rule named; repeatable (default: none, then every "
            "catalogue entity). Needed for a policy's own entities.",
        ),
    ] = None,
) -> None:
    """Printing values is what this command is for: its output is as sensitive as the input
    datamin minimized, and goes to stdout only, never to a log."""
    from datamin.errors import KeyConfigError, OutputError
    from datamin.output.keystores import owning_output
    from datamin.output.layout import OutputLayout
    from datamin.output.reidentify import format_line, read_tokens, reidentify
    from datamin.output.tokenkeys import TokenKeyStore, store_of

    given = [(t.strip(), f"argument {i}") for i, t in enumerate(tokens or [], 1)]
    try:
        if from_file is not None:
            given += read_tokens(from_file)
        if not given:
            raise fail("give tokens as arguments or with --from-file", 2)
        if token_keys is None and output is None:
            raise fail("give --output (the run's output directory) or --token-keys", 2)
        if output is None:
            assert token_keys is not None
            store = TokenKeyStore(token_keys.expanduser())
            # Its output, found where the store records it, tells a disposed key.
            audits = owning_output(store.root)
        elif OutputLayout(str(output)).looks_like_output():
            # The store named by the output's id (wherever it now is), refused if it belongs
            # to another output.
            store = TokenKeyStore(store_of(output, token_keys))
            if not store.root.is_dir():
                raise KeyConfigError(
                    f"no token-key store for this output ({store.root} does not exist)"
                )
            audits = output
        else:
            raise OutputError(f"{output} is not a datamin output directory")
        results = reidentify(given, store, entity, output=audits)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    for result in results:
        typer.echo(format_line(result))
    if any(r.value is None for r in results):
        raise typer.Exit(1)
