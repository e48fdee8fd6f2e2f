"""`datamin policy ...`: the policy authors' commands. Thin: the library explains, diffs and
runs cases; these print what it returns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from datamin.cli.console import err, fail, out
from datamin.cli.run import PolicyOption
from datamin.cli.run import policy_path as named_policy
from datamin.errors import DataminError

policy_app = typer.Typer(
    help="Write and review policies: check, explain, diff, test, schema.", no_args_is_help=True
)

# Options the authoring commands share.
KeyFile = Annotated[Path | None, typer.Option(help="Key for pseudonyms.")]
NerModel = Annotated[
    str | None, typer.Option("--ner-model", "--spacy-model", help="spaCy model package for NER.")
]


@policy_app.command(
    "check",
    help="Validate policy files; one line per problem. Warns (exit 0) of thresholds no "
    "detector reaches. A cases file (x.cases.yaml, or a file of `cases:` alone) is checked as "
    "cases: its structure, and that the policy it is for loads (`policy test` runs them).",
)
def policy_check(
    files: Annotated[list[Path], typer.Argument(help="Policy or cases YAML files.")],
) -> None:
    from datamin.policies.authoring.cases import check_cases, is_cases_file
    from datamin.policies.loader import check_policy, policy_warnings

    failed = False
    for path in files:
        if is_cases_file(path):
            count, errors = check_cases(path)
            for e in errors:
                err.print(str(e), highlight=False, markup=False, soft_wrap=True)
            failed = failed or bool(errors)
            if not errors:
                cases = f"{count} case{'' if count == 1 else 's'}"
                out.print(
                    f"{path}: ok (cases file, {cases})",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
            continue
        errors = check_policy(path)
        for e in errors:
            err.print(str(e), highlight=False, markup=False, soft_wrap=True)
        if errors:
            failed = True
            continue
        for warning in policy_warnings(path):
            err.print(warning, highlight=False, markup=False, soft_wrap=True)
        out.print(f"{path}: ok", highlight=False, markup=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


@policy_app.command(
    "explain",
    help="For each record: every field with the rule that matched, the findings (entity, score, "
    "detector), the action and the retention class. Values appear only as they would be stored, "
    "non-ASCII text as is. Pseudonyms use the key `datamin run` uses (--key-file, DATAMIN_KEY, "
    "DATAMIN_KEY_FILE, else the default key file if it exists), so they match stored ones; "
    "with none configured, a throwaway key (a note says so; no key is created). Reversible "
    "tokens always use throwaway keys.",
)
def policy_explain(
    policy: PolicyOption,
    record: Annotated[
        str, typer.Option("--record", "-r", help="A file of records (JSON, JSONL, HAR).")
    ],
    index: Annotated[
        int | None,
        typer.Option(
            help="Only the record at this position, numbered as audits and quarantine entries "
            "number it (and as `#N` in this command's output): from 1 in every format (a line "
            "of JSON lines or a text log, an entry of a HAR file, an item of a JSON array)."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many records.")] = 10,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    key_file: Annotated[
        Path | None,
        typer.Option(help="Key for pseudonyms (default: the key `datamin run` would use)."),
    ] = None,
    spacy_model: NerModel = None,
) -> None:
    import json

    from datamin.policies.authoring.explain import explain_json, explain_text
    from datamin.policies.authoring.workbench import Workbench, configured_keys

    if fmt not in ("text", "json"):
        raise fail("--format is text or json", 2)
    try:
        keys, note = configured_keys(key_file)
        wb = Workbench(named_policy(policy), ner_model=spacy_model, keys=keys)
        items = wb.read([record], None if index is not None else limit)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    if index is not None:
        found = [i for i in items if i.index == index]
        if not found:
            raise fail(f"no record at index {index} in {record}{_numbered(items)}", 2)
        items = found
    if note:
        err.print(note, highlight=False, markup=False, soft_wrap=True)
    explained = list(wb.explain(items))
    if fmt == "json":
        out.print_json(json.dumps(explain_json(explained)))
    else:
        out.print(explain_text(explained), highlight=False, markup=False, soft_wrap=True, end="")


def _numbered(items: list[Any]) -> str:
    """How the records that were read are numbered, so a wrong base shows at once."""
    if not items:
        return " (no records)"
    first, last = min(i.index for i in items), max(i.index for i in items)
    return f" (its records are numbered {first} to {last}, as audits number them)"


@policy_app.command(
    "diff",
    help="Run two policies on the same sample and report what changes: fields newly kept or "
    "dropped, findings per entity, bytes stored per retention class. Exit 0 either way.",
)
def policy_diff(
    base: Annotated[
        str, typer.Option("--base", help="The policy in force (a file or a bundled name).")
    ],
    candidate: Annotated[str, typer.Option("--candidate", help="The proposed policy.")],
    inputs: Annotated[
        list[str], typer.Option("--input", "-i", help="Sample file path or glob; repeatable.")
    ],
    limit: Annotated[int, typer.Option(min=1, help="Records read from the sample.")] = 1000,
    fmt: Annotated[str, typer.Option("--format", help="text, markdown or json.")] = "text",
    key_file: KeyFile = None,
    spacy_model: NerModel = None,
) -> None:
    from datamin.policies.authoring.diff import diff_policies, render
    from datamin.policies.authoring.workbench import Workbench, read_sample

    if fmt not in ("text", "markdown", "json"):
        raise fail("--format is text, markdown or json", 2)
    try:
        a = Workbench(named_policy(base), ner_model=spacy_model, key_file=key_file)
        b = a.sibling(named_policy(candidate))
        largest = max(a.policy.limits.max_record_bytes, b.policy.limits.max_record_bytes)
        items = read_sample(inputs, limit, largest)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    report = diff_policies(a, b, items)
    out.print(render(report, fmt), highlight=False, markup=False, soft_wrap=True, end="")  # type: ignore[arg-type]


@policy_app.command(
    "test",
    help="Run the cases files (<policy>.cases.yaml) in the given files or directories, by "
    "default the bundled policies'; exit 1 on any difference.",
)
def policy_test(
    paths: Annotated[list[Path] | None, typer.Argument(help="Cases files or directories.")] = None,
    spacy_model: NerModel = None,
) -> None:
    from datamin.policies import BUNDLED_DIR
    from datamin.policies.authoring.cases import find_cases, run_cases

    files = find_cases(paths or [BUNDLED_DIR])
    if not files:
        raise fail("no cases files (*.cases.yaml) found", 2)
    engines: dict[Any, Any] = {}
    total = failed = 0
    for path in files:
        try:
            results = _run_cases_shared(path, spacy_model, engines, run_cases)
        except DataminError as exc:
            raise fail(str(exc), 2) from None
        for r in results:
            total += 1
            if r.passed:
                out.print(
                    f"ok    {path.name}: {r.name}", highlight=False, markup=False, soft_wrap=True
                )
                continue
            failed += 1
            out.print(f"FAIL  {path.name}: {r.name}", highlight=False, markup=False, soft_wrap=True)
            for problem in r.problems:
                out.print(f"        {problem}", highlight=False, markup=False, soft_wrap=True)
    out.print(f"{total} cases, {failed} failed", highlight=False)
    if failed:
        raise typer.Exit(1)


def _run_cases_shared(
    path: Path, spacy_model: str | None, engines: dict[Any, Any], run: Any
) -> Any:
    """Cases of several files share one engine per detection setting: spaCy loads once."""
    from datamin.policies.authoring.cases import load_cases
    from datamin.policies.loader import load_policy
    from datamin.redactors.engine import DetectionEngine

    _, policy_path = load_cases(path)
    detection = load_policy(policy_path).policy.detection
    wanted = (detection.ner_model_for(spacy_model), detection.settings)
    if wanted not in engines:
        engines[wanted] = DetectionEngine(ner_model=wanted[0], settings=wanted[1])
    return run(path, engine=engines[wanted])


@policy_app.command(
    "schema", help="Print the policy JSON Schema (for editor completion and validation)."
)
def policy_schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write it here.")] = None,
) -> None:
    from datamin.policies.schema import schema_text

    text = schema_text()
    if output is None:
        out.print(text, highlight=False, markup=False, soft_wrap=True, end="")
        return
    try:
        output.write_text(text)
    except OSError as exc:
        raise fail(f"cannot write {output} ({type(exc).__name__})", 2) from None


from datamin.cli import policy_init as _init  # noqa: E402

policy_app.command("init", help=_init.HELP, epilog=f"Example: {_init.EXAMPLE}")(_init.init_command)
