"""The two consoles the CLI prints to, and its one-line error."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int) -> typer.Exit:
    """Print a one-line error and return the exit to raise: values never appear in `message`."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)
