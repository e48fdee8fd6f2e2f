"""`datamin policy explain`: every field of a record with the rule that matched, the findings,
the action and the retention class. Values appear only as they would be stored."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from datamin.core.trace import FieldTrace
from datamin.policies.authoring.workbench import Explained

_VALUE_CHARS = 72


def explain_json(explained: Iterable[Explained]) -> list[dict[str, Any]]:
    return [e.trace.to_json() for e in explained]


def explain_text(explained: Iterable[Explained]) -> str:
    blocks = []
    for e in explained:
        t = e.trace
        head = f"{t.source} #{t.index}  kind {t.kind or '-'}  -> {t.outcome}"
        if t.error:
            head += f" ({t.error})"
        elif t.outcome == "written":
            classes = sorted({f.retention for f in t.fields if f.retention})
            head += f" (classes {', '.join(classes)})"
        lines = [head]
        width = max((len(f.path) for f in t.fields), default=0)
        width = min(max(width, 12), 48)
        for f in t.fields:
            lines.append("  " + _field_line(f, width))
            for x in f.findings:
                what = f"{x.entity} {x.score:.2f} {x.detector} [{x.start}:{x.end}] {x.status}"
                if x.replacement is not None:
                    what += f" -> {_show(x.replacement)}"
                lines.append(" " * (width + 4) + what)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _field_line(f: FieldTrace, width: int) -> str:
    path = f.path if len(f.path) <= width else f.path[: width - 1] + "~"
    rule = f"{f.rule} ({f.pattern})" if f.rule != "default_action" else "default"
    if f.outcome == "dropped":
        return f"{path:<{width}}  {f.action:<12}  {rule}  dropped: {f.reason}"
    where = f.retention or ""
    if f.column:
        where += f"/{f.column}"
    return f"{path:<{width}}  {f.action:<12}  {rule}  {f.outcome} in {where}  {_show(f.shown)}"


def _show(value: str | None) -> str:
    """A stored value on one line, as it is: letters of any script as themselves; a backslash,
    a line break or any other character that does not print (controls, bidi overrides,
    zero-width marks) as its escape, so the line cannot be rewritten by what it shows."""
    if value is None:
        return "-"
    text = "".join(c if c.isprintable() and c != "\\" else _escape(c) for c in value)
    if len(text) > _VALUE_CHARS:
        text = text[: _VALUE_CHARS - 1] + "~"
    return f'"{text}"'


def _escape(c: str) -> str:
    return c.encode("unicode_escape").decode("ascii")
