"""The README's commands are real: every `datamin ...` line of its shell blocks, and every
command's help example, parses against the CLI as it is (commands and options exist, required
options are given); the Quick start is the two commands CI runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.main import get_command

from datamin.cli.app import EXAMPLES, app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def _datamin_commands(block: str) -> list[str]:
    """Each `datamin` invocation of a shell block: continuation lines joined, comments and
    `[optional]` parts removed, from `datamin` on (after a pipe or a venv path)."""
    joined = re.sub(r"\\\n\s*", " ", block)
    found = []
    for line in joined.splitlines():
        line = re.sub(r"\[[^\]]*\]", "", line.split(" # ", 1)[0])
        for part in re.split(r"\||&&", line):
            match = re.match(r"^(?:\S*/)?datamin (.*)$", part.strip())
            if match:
                found.append(match[1].strip())
    return found


README_COMMANDS = [cmd for block in _shell_blocks(README) for cmd in _datamin_commands(block)]


def _parses(command_line: str) -> None:
    args = shlex.split(command_line)
    command = get_command(app)
    path = []
    while hasattr(command, "commands") and args and args[0] in command.commands:
        path.append(args[0])
        command = command.commands[args.pop(0)]
    assert not hasattr(command, "commands"), f"no such command: {command_line}"
    command.make_context(" ".join(["datamin", *path]), args)


@pytest.mark.parametrize("line", README_COMMANDS)
def test_every_readme_command_parses(line: str) -> None:
    _parses(line)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_help_example_parses(name: str) -> None:
    example = EXAMPLES[name]
    for part in example.split("&&"):
        _parses(part.strip().removeprefix("datamin "))


def test_the_readme_names_many_commands() -> None:
    assert len(README_COMMANDS) >= 10
    names = {line.split()[0] for line in README_COMMANDS}
    assert names >= {"demo", "run", "dispose", "stream", "compact", "reidentify"}


def test_the_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (block,) = _shell_blocks(quick)
    setup, suite = block.strip().splitlines()
    assert setup.startswith("python3.11 -m venv .venv") and "datamin demo" in setup
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == suite
