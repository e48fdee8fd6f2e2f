"""The `datamin` command: thin, with progress and a summary; the library does the work.

Errors a user can fix (a bad policy, a missing input, an unwritable output) print one line and
exit 2; a pipeline failure prints its exception class only (Beam's messages can quote data) and
exits 1. Quarantined records are not failures: the run exits 0 and the summary counts them.
"""

from __future__ import annotations

import gc
import logging
import sys
from typing import Annotated

import typer
from rich.markup import escape

from datamin import safelog
from datamin.cli import compact as compact_cli
from datamin.cli import dispose as dispose_cli
from datamin.cli import eval as eval_cli
from datamin.cli import reidentify as reidentify_cli
from datamin.cli import report as report_cli
from datamin.cli import run as run_cli
from datamin.cli import stream as stream_cli
from datamin.cli.console import err, out
from datamin.cli.keys import keys_app
from datamin.cli.policy import policy_app
from datamin.cli.quarantine import quarantine_app
from datamin.cli.strict import PassThroughCommand, StrictGroup, example
from datamin.errors import DataminError


class _BeamStepErrors(logging.Filter):
    """Beam logs a failing step's exception as the message (`str(exc)`, which can quote the value
    that caused it) with its traceback. The CLI prints the error itself: our own in full (its
    text is safe), anyone else's by class only; this drops the duplicate."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not isinstance(record.msg, BaseException)


logging.getLogger("apache_beam.runners.common").addFilter(_BeamStepErrors())

app = typer.Typer(
    name="datamin",
    cls=StrictGroup,
    help="Keep only what is needed of API traffic and message archives.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: wraps to the terminal (80 columns), no boxes
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"datamin {version('datamin')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Keep only what is needed of API traffic and message archives."""


app.add_typer(policy_app, name="policy")
app.add_typer(quarantine_app, name="quarantine")
app.add_typer(keys_app, name="keys")
# Every command is a thin function in its own module, registered here.
app.command("dispose", help=dispose_cli.HELP)(dispose_cli.dispose_command)
app.command("compact", help=compact_cli.HELP)(compact_cli.compact_command)
app.command("stream", help=stream_cli.HELP)(stream_cli.stream_command)
app.command("report", help=report_cli.HELP)(report_cli.report_command)
app.command("run", cls=PassThroughCommand, help=run_cli.HELP)(run_cli.run_command)
app.command("demo", help=run_cli.DEMO_HELP)(run_cli.demo_command)
app.command("eval", help=eval_cli.HELP)(eval_cli.eval_command)
app.command("reidentify", help=reidentify_cli.HELP)(reidentify_cli.reidentify_command)


# One example per command, shown at the end of its help (a test checks every command has one).
EXAMPLES = {
    "run": run_cli.EXAMPLE,
    "demo": "datamin demo --dir datamin-demo",
    "stream": "datamin stream -s dir:'logs/*.log' -o out/ -p api_logs --until-idle 5",
    "compact": "datamin compact -o out/",
    "dispose": "datamin dispose -o out/ --dry-run",
    "report": report_cli.EXAMPLE,
    "eval": "datamin eval --json figures.json",
    "reidentify": "datamin reidentify -o out/ tok_3fJq...",
    "policy check": "datamin policy check policies/*.yaml",
    "policy explain": "datamin policy explain -p api_logs -r capture.har --index 1",
    "policy diff": "datamin policy diff --base old.yaml --candidate new.yaml -i 'logs/*.har'",
    "policy test": "datamin policy test policies/",
    "policy schema": "datamin policy schema -o policy.schema.json",
    "policy init": "datamin policy init --from-sample 'logs/*.har' -o policy.yaml",
    "quarantine list": "datamin quarantine list -o out/",
    "quarantine export": "datamin quarantine export -o out/ --run ID --raw-quarantine-key"
    " k --to x/",
    "quarantine new-key": "datamin quarantine new-key ~/.config/datamin/raw.key",
    "keys list": "datamin keys list",
    "keys gc": "datamin keys gc --dry-run",
}


def _plain_help() -> None:
    """Every command group prints plain help, as the root does (see `app`), and every command
    ends its help with its example."""
    for info in app.registered_commands:
        _with_example(info, info.name or "")
    for group in app.registered_groups:
        if group.typer_instance is not None:
            group.typer_instance.rich_markup_mode = None
            for info in group.typer_instance.registered_commands:
                _with_example(info, f"{group.name} {info.name}")


def _with_example(info: typer.models.CommandInfo, path: str) -> None:
    if path in EXAMPLES:
        info.epilog = example(EXAMPLES[path])


def main() -> None:
    safelog.configure(logging.WARNING)
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except DataminError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - a traceback can quote values; the class is enough
        err.print(
            f"[red]error:[/red] internal error ({type(exc).__name__})",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
    finally:
        # The process ends here: what it built (Beam, pyarrow, the NER model) is left to the
        # operating system instead of being walked by Python's last collection (0.25 s).
        gc.freeze()


_plain_help()

if __name__ == "__main__":
    main()
