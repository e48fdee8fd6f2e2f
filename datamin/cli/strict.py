"""What makes the command line strict: a mistyped option or command is an error of one line
with a suggestion (exit 2), never passed on to Beam; Beam's own options come only after `--`.

Typer's default prints usage errors in a framed panel of several lines and, for `run`, used to
hand every unknown option to Beam, which discarded a mistyped one with a warning and ran on.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

from rich.markup import escape
from typer import Abort
from typer._click import Command, Context  # typer carries its own copy of click
from typer._click.exceptions import ClickException, NoSuchOption
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from datamin.cli.console import err

PASS_THROUGH = "pass_through"  # noqa: S105 - a context key, not a secret


def one_line(exc: ClickException) -> str:
    """A usage error as one line: what was wrong, a suggestion when there is one, where to look.
    Click quotes what the user typed (an option's name, a command's), never data."""
    if isinstance(exc, NoSuchOption):
        text = f"no such option: {exc.option_name}"
        if exc.possibilities:
            text += f" (did you mean {', '.join(sorted(exc.possibilities)[:3])}?)"
    else:
        text = exc.format_message().replace("\n", " ").strip()
        text = text[:1].lower() + text[1:]
        text = re.sub(r"\. (Did you mean [^?]*\?)$", lambda m: f" ({m[1].lower()})", text)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        text += f"; see '{ctx.command_path} --help'"
    return text


def example(text: str) -> str:
    """A command's epilog: its example, printed as written (not rewrapped)."""
    return f"\b\nExample:\n  {text}\n"


def _metavars(command: Command) -> None:
    """Plain words for what an option takes (`PATH`, `N`, `TEXT`) where typer would print a
    Python type (`<list[str]>`); an option's own metavar stays. Arguments show their names."""
    for param in command.params:
        if isinstance(param, TyperOption) and not param.is_flag and param.metavar is None:
            kind = param.type_descriptor
            if kind.is_choice:
                continue
            if kind.is_path:
                param.metavar = "PATH"
            elif kind.annotation in (int, float):
                param.metavar = "N"
            else:
                param.metavar = "TEXT"
        elif isinstance(param, TyperArgument):
            param.display_type_rich = _no_type  # type: ignore[method-assign]  # `OUT`, not `OUT <path>`
    for sub in getattr(command, "commands", {}).values():
        _metavars(sub)


def _no_type(ctx: Context) -> None:
    return None


class StrictGroup(TyperGroup):
    """The root command: usage errors of every sub-command end here as one line, exit 2
    (typer suggests the closest command, click the closest option)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        _metavars(self)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as exc:
            err.print(f"[red]error:[/red] {escape(one_line(exc))}", highlight=False, soft_wrap=True)
            code = exc.exit_code
        except Abort:
            err.print("interrupted", highlight=False)
            code = 130
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


class PassThroughCommand(TyperCommand):
    """A command whose arguments after `--` are not its own: they are kept, unparsed, in
    `ctx.meta[PASS_THROUGH]` (Beam's pipeline options for `run`). Before `--`, every option
    must be the command's own."""

    # Options whose value may be left out (`--fail-on-quarantine` means `=0`): typer's click
    # has no optional values, so the default is put in before parsing.
    optional_values = {"--fail-on-quarantine": "0"}

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            args, ctx.meta[PASS_THROUGH] = args[:cut], args[cut + 1 :]
        else:
            ctx.meta[PASS_THROUGH] = []
        given: list[str] = []
        for i, arg in enumerate(args):
            given.append(arg)
            following = args[i + 1] if i + 1 < len(args) else None
            if arg in self.optional_values and (following is None or not following.isdigit()):
                given.append(self.optional_values[arg])
        return super().parse_args(ctx, given)
