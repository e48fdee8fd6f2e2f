"""Phase 3 of `datamin.core.minimize`, value by value: a scanned value's accepted findings
replaced by their entities' operators, then each kept value placed in the row of its rule's
retention class, in its column (converted to the column's type; one that does not convert is
dropped, not stored as something else) or under its stored key in the row's `fields` map. Counts
go to the `Stats` passed in, never held here: a pipeline swaps its minimizer's `Stats` per window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datamin.core.ner_schedule import Slot
from datamin.core.stats import Stats
from datamin.core.structure import Field
from datamin.core.trace import FindingTrace, Tracer
from datamin.core.values import as_text, convert
from datamin.policies.compiled import CompiledPolicy, CompiledRule
from datamin.policies.paths import shape
from datamin.redactors.findings import resolve_overlaps


def apply_findings(
    slot: Slot, policy: CompiledPolicy, stats: Stats, out_key: Callable[[str], str]
) -> str | None:
    """`slot`'s text with each finding the policy accepts replaced by its entity's operator;
    None if an operator removes the value."""
    text = slot.field.value
    assert isinstance(text, str)
    if not slot.findings:
        return text  # most values
    accepted = [
        f for f in slot.findings if policy.accepts(f) and not policy.allowed(text[f.start : f.end])
    ]
    if not accepted:
        return text
    # The stored key's shape: a key that is itself a secret is counted as `*`, not by name.
    path_shape = shape(out_key(slot.field.path))
    for f in accepted:
        stats.findings[f"{f.entity}\t{path_shape}"] += 1
    parts, at = [], 0  # joined once: rebuilding per finding was quadratic
    for f in resolve_overlaps(accepted):
        op, ctx = policy.entity_operation(f.entity)
        replacement = op.apply(text[f.start : f.end], ctx)
        if replacement is None:
            return None
        parts += (text[at : f.start], replacement)
        at = f.end
    parts.append(text[at:])
    return "".join(parts)


def place(
    rows: dict[str, dict[str, Any]],
    f: Field,
    rule: CompiledRule,
    value: Any,
    *,
    stats: Stats,
    out_key: Callable[[str], str],
    changed: bool,
    trace: Tracer | None,
    findings: tuple[FindingTrace, ...] = (),
    shown: str | None = None,
) -> None:
    """Puts a kept value in the row of its rule's retention class, or counts it dropped."""
    if value is None:
        stats.fields_dropped += 1
        if trace is not None:
            trace.dropped(f, rule, "the operator removed it", findings)
        return
    if rule.column is not None:
        converted = convert(value, rule.type)
        if converted is None:
            stats.fields_dropped += 1
            if trace is not None:
                trace.dropped(f, rule, f"not a {rule.type}", findings)
            return
    row = rows.get(rule.retention)
    if row is None:
        row = rows[rule.retention] = {"fields": {}}
    if changed:
        stats.fields_changed += 1
    else:
        stats.fields_kept += 1
    if trace is not None:
        stored = as_text(converted if rule.column is not None else value)
        trace.stored(
            f,
            rule,
            stored,
            changed=changed,
            value=as_text(value),
            findings=findings,
            shown=shown,
        )
    if rule.column is None:
        key = out_key(f.path)
        fields = row["fields"]
        text = as_text(value)
        fields[key] = f"{fields[key]}, {text}" if key in fields else text
    elif rule.column not in row:
        row[rule.column] = converted
    elif rule.type == "string" and converted not in row[rule.column].split(", "):
        # Two fields naming one identity (a JWT's subject and a body's user id) give it once.
        row[rule.column] = f"{row[rule.column]}, {converted}"
