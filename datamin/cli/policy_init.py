"""`datamin policy init`: a commented draft policy from a sample. Thin: the library profiles the
sample and drafts the policy; this writes it and prints the table of paths."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datamin.cli.console import err, fail, out
from datamin.errors import DataminError

HELP = (
    "Draft a policy from a sample: every field path with its counts, types and the entities "
    "found in it; operational fields kept, identities pseudonymized, credentials and the rest "
    "dropped. Values are never shown."
)
EXAMPLE = "datamin policy init --from-sample 'logs/*.har' -o policy.yaml"


def init_command(
    sample: Annotated[
        list[str],
        typer.Option(
            "--from-sample",
            "-s",
            help="Sample file path or glob (HAR, JSONL, JSON, gateway logs); repeatable.",
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the draft.")],
    force: Annotated[bool, typer.Option(help="Overwrite the output file.")] = False,
    ner: Annotated[
        bool, typer.Option(help="Look for names and places in free text too (slower).")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, help="Records read from the sample.")] = 1000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
    spacy_model: Annotated[
        str | None,
        typer.Option("--ner-model", "--spacy-model", help="spaCy model package for --ner."),
    ] = None,
) -> None:
    from datamin.policies.authoring.draft import draft_policy, table_text
    from datamin.policies.authoring.profile import profile_sample

    if output.exists() and not force:
        raise fail(f"{output} exists (--force overwrites it)", 2)
    try:
        profile = profile_sample(sample, ner=ner, ner_model=spacy_model, limit=limit)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    if not profile.paths:
        unread = sum(profile.quarantined.values())
        raise fail(f"nothing in the sample to draft from (unreadable records: {unread})", 2)
    draft = draft_policy(profile, output.stem)
    try:
        with output.open("w" if force else "x", encoding="utf-8") as f:
            f.write(draft.text)
    except FileExistsError:
        raise fail(f"{output} exists (--force overwrites it)", 2) from None
    except OSError as exc:
        raise fail(f"cannot write {output} ({type(exc).__name__})", 2) from None
    if quiet:
        return
    out.print(table_text(draft.proposals), highlight=False, markup=False, soft_wrap=True, end="")
    actions = {a: sum(x.action == a for x in draft.proposals) for a in _ACTIONS}
    counts = ", ".join(f"{n} {a}" for a, n in actions.items() if n)
    err.print(
        f"wrote {output}: {len(draft.proposals)} paths from {profile.records} records "
        f"({counts}); review it, then `datamin policy check {output}`",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


_ACTIONS = ("keep", "generalize", "pseudonymize", "drop")
