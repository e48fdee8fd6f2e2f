"""Reading a policy file: YAML parsed with line numbers, validated, errors that point at lines.

Every problem becomes a `PolicyError` naming the file, the line and the key; nothing is
read from data before this has passed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from datamin.errors import PolicyError
from datamin.policies.errors_text import translate
from datamin.policies.model import Policy

Loc = tuple[str | int, ...]


# Where each key of a (possibly merged) document was written: loc -> (file, line).
# Where each key of a (possibly merged) document was written: its file, line, and its place
# in that file (`fields[0]` of a base is `fields[2]` of the merged policy).
Lines = dict[Loc, tuple[str, int, Loc]]
MAX_EXTENDS = 8
# Bounds on one policy file, checked before any of it becomes Python objects: a policy is a page
# of YAML, and nested aliases ("billion laughs") expand a few lines into billions of nodes.
MAX_POLICY_BYTES = 1024 * 1024
MAX_ALIASES = 64
MAX_NODES = 100_000


class PolicyTooLarge(PolicyError):
    """A policy file over a resource bound: refused before it is parsed further."""


@dataclass(frozen=True)
class LoadedPolicy:
    policy: Policy
    sha256: str  # of `raw`: what audits and output metadata record
    source: str
    # The policy as validated, saved beside the output so the hash can be checked: the file's
    # bytes, or for a policy that extends others the resolved document with their hashes.
    raw: bytes


# The YAML parser's messages quote the text they stumbled on (an alias, a tag, a character),
# which can be a value the policy names: the quotes are kept, their content is not.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def load_policy(path: str | Path) -> LoadedPolicy:
    """Load and validate one policy file; raises `PolicyError` listing every problem found.
    Each file is read once: what is validated is what is hashed and saved."""
    name = str(path)
    policy, raw, errors = _load(name)
    if policy is None:
        if len(errors) == 1:
            raise errors[0]
        if all(e.file == name for e in errors):
            raise PolicyError(
                "; ".join(
                    e.message if e.line is None else f"line {e.line}: {e.message}" for e in errors
                ),
                file=name,
            )
        # Errors in the files it extends: each names its own file.
        raise PolicyError("; ".join(str(e) for e in errors), file=name)
    return LoadedPolicy(policy, hashlib.sha256(raw).hexdigest(), name, raw)


def check_policy(path: str | Path) -> list[PolicyError]:
    """Every problem of a policy file (and the files it extends), each with its line. A file over
    a resource bound (`PolicyTooLarge`) is raised instead: nothing else of it was checked."""
    errors = _load(str(path))[2]
    for e in errors:
        if isinstance(e, PolicyTooLarge):
            raise e
    return errors


def _load(name: str) -> tuple[Policy | None, bytes, list[PolicyError]]:
    try:
        data, lines, sources = _resolve(name, ())
    except PolicyError as exc:
        return None, b"", [exc]
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        return None, b"", policy_errors(exc, lines, name, Policy, data)
    if len(sources) == 1:
        return policy, sources[0][1], []
    header = "".join(
        f"# {'resolved from' if i == 0 else '      extends'} {file} "
        f"(sha256 {hashlib.sha256(raw).hexdigest()})\n"
        for i, (file, raw) in enumerate(sources)
    )
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return policy, (header + body).encode(), []


def _resolve(
    name: str, chain: tuple[str, ...]
) -> tuple[dict[str, Any], Lines, list[tuple[str, bytes]]]:
    """One file's document merged over the documents it extends, with the line of every key
    and the bytes of every file read (this one first)."""
    try:
        with open(name, "rb") as f:
            raw = f.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise PolicyError(f"cannot read policy ({type(exc).__name__})", file=name) from None
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyTooLarge(f"policy larger than {MAX_POLICY_BYTES // 1024} KiB", file=name)
    data, node = _parse_yaml(raw, name)
    lines = {loc: (name, line, loc) for loc, line in line_map(node).items()}
    base_ref = data.pop("extends", None)
    if base_ref is None:
        return data, lines, [(name, raw)]
    where = lines.get(("extends",), (name, None, ()))[1]
    if not isinstance(base_ref, str) or not base_ref:
        raise PolicyError("extends: a path or bundled:<name>", file=name, line=where)
    base_path = _base_path(base_ref, name)
    key = str(base_path.resolve())
    if key in chain or key == str(Path(name).resolve()):
        raise PolicyError("extends: policies extend each other in a cycle", file=name, line=where)
    if len(chain) + 2 > MAX_EXTENDS:  # this file, its ancestors, and the base
        raise PolicyError(
            f"extends: a chain of more than {MAX_EXTENDS} files", file=name, line=where
        )
    if not base_path.is_file():
        raise PolicyError(f"extends: no policy file '{base_ref}'", file=name, line=where)
    base, base_lines, sources = _resolve(str(base_path), (*chain, str(Path(name).resolve())))
    merged, merged_lines = _merge(base, base_lines, data, lines)
    return merged, merged_lines, [(name, raw), *sources]


def _base_path(ref: str, child: str) -> Path:
    if ref.startswith("bundled:"):
        from datamin.policies import bundled

        return bundled(ref.removeprefix("bundled:"))
    path = Path(ref)
    return path if path.is_absolute() else Path(child).parent / path


def _merge(
    base: dict[str, Any], base_lines: Lines, child: dict[str, Any], child_lines: Lines
) -> tuple[dict[str, Any], Lines]:
    """The child's keys over the base's: mappings merge key by key, `fields` lists are the
    child's rules followed by the base's (the first match decides, so the child's win), and
    every other value is replaced."""
    merged: dict[str, Any] = {}
    lines: Lines = {(): child_lines.get((), base_lines.get((), ("", 1, ())))}

    def line_of(here: Loc) -> tuple[str, int, Loc]:
        # A key from a YAML merge (`<<: *anchor`) has no line of its own: use its parent's.
        return child_lines.get(here) or base_lines.get(here) or lines[here[:-1]]

    def copy(src: Lines, old: Loc, new: Loc) -> None:
        for loc, at in src.items():
            if loc[: len(old)] == old:
                lines[(*new, *loc[len(old) :])] = at

    def walk(b: Any, c: Any, loc: Loc, out: dict[str, Any]) -> None:
        for k in list(b) + [k for k in c if k not in b]:
            here = (*loc, str(k))
            if k not in c:
                out[k] = b[k]
                copy(base_lines, here, here)
            elif k not in b:
                out[k] = c[k]
                copy(child_lines, here, here)
            elif isinstance(b[k], dict) and isinstance(c[k], dict) and loc != ("entities",):
                # (An entity's operator is replaced whole: its parameters belong to its action.)
                out[k] = {}
                lines[here] = line_of(here)
                walk(b[k], c[k], here, out[k])
            elif k == "fields" and isinstance(b[k], list) and isinstance(c[k], list):
                out[k] = c[k] + b[k]
                lines[here] = line_of(here)
                for i in range(len(c[k])):
                    copy(child_lines, (*here, i), (*here, i))
                for i in range(len(b[k])):
                    copy(base_lines, (*here, i), (*here, len(c[k]) + i))
            else:
                out[k] = c[k]
                copy(child_lines, here, here)

    walk(base, child, (), merged)
    return merged, lines


def _parse_yaml(raw: bytes, name: str) -> tuple[dict[str, Any], yaml.Node | None]:
    data, node = parse_yaml(raw, name)
    if not isinstance(data, dict):
        message = "a policy is a mapping of keys (version, name, retention, ...)"
        raise PolicyError(message, file=name, line=1)
    return data, node


def parse_yaml(raw: bytes, name: str, what: str = "policy") -> tuple[Any, yaml.Node | None]:
    """One YAML document and its node tree, within the bounds on aliases and nodes; a problem
    is a `PolicyError` at its line that quotes nothing of the text."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError(f"cannot read {what} (not UTF-8)", file=name) from None
    loader = _BoundedLoader(text, name)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except RecursionError:
        raise PolicyTooLarge("YAML nested too deeply", file=name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = _QUOTED.sub("'...'", str(getattr(exc, "problem", None) or "syntax error"))
        raise PolicyError(f"invalid YAML ({problem})", file=name, line=line) from None
    finally:
        loader.dispose()
    return data, node


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader counting, while it composes (before anything is constructed), the
    aliases and the nodes the document would expand to: an alias counts as every node of what
    it names, so nested anchors are refused at their first few lines, not after they exploded."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self._name = name
        self._aliases = 0
        self._nodes = 0
        self._expanded: dict[str, int] = {}  # anchor -> nodes it stands for

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise PolicyTooLarge(f"more than {MAX_ALIASES} YAML aliases", file=self._name)
            self._count(self._expanded.get(event.anchor, 1))
            return super().compose_node(parent, index)
        before = self._nodes
        self._count(1)
        node = super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._expanded[anchor] = self._nodes - before
        return node

    def _count(self, n: int) -> None:
        self._nodes += n
        if self._nodes > MAX_NODES:
            raise PolicyTooLarge(f"more than {MAX_NODES:,} YAML nodes", file=self._name)


_PATH_PREFIX = re.compile(r"^((?:[A-Za-z_][\w\-]*|\[\d+\])(?:\[\d+\]|\.[A-Za-z_][\w\-]*)*): ")


def policy_errors(
    exc: ValidationError, lines: Lines, file: str, model: type[BaseModel], data: Any
) -> list[PolicyError]:
    """Every problem pydantic found in `data` (a document validated as `model`), one line
    each, in the order of the files and lines they point at."""
    found = exc.errors(include_input=False, include_url=False)
    # A list too short because its items failed says nothing the items' own errors do not.
    inner = {tuple(err["loc"][:i]) for err in found for i in range(len(err["loc"]))}
    found = [err for err in found if err["type"] != "too_short" or tuple(err["loc"]) not in inner]
    errors = [e for err in found for e in _to_policy_errors(err, lines, file, model, data)]
    files = list(dict.fromkeys([file, *(at[0] for at in lines.values())]))
    return sorted(
        errors, key=lambda e: (files.index(e.file) if e.file in files else 0, e.line or 0)
    )


def _to_policy_errors(
    err: Any, lines: Lines, file: str, model: type[BaseModel], data: Any
) -> list[PolicyError]:
    loc = _data_loc(tuple(err["loc"]), lines)
    out = []
    for steps, message in translate(err, loc, model, data):
        here = (*loc, *steps) if (*loc, *steps) in lines else loc
        out.append(_located(here, message, lines, file))
    return out


def _located(loc: Loc, message: str, lines: Lines, file: str) -> PolicyError:
    """The message at the file and line where `loc` was written, naming the key as written."""
    # A check over a whole model names the key it is about: `fields[3].retention: ...`.
    prefixed = _PATH_PREFIX.match(message)
    if prefixed:
        steps = re.findall(r"[^.\[\]]+|\[\d+\]", prefixed.group(1))
        loc = (*loc, *(int(p[1:-1]) if p.startswith("[") else p for p in steps))
        message = message[prefixed.end() :]
    else:
        # A check over a whole mapping names the offending key first: point at that key.
        first_word = message.split(" ", 1)[0].rstrip(":")
        if (*loc, first_word) in lines:
            loc = (*loc, first_word)
    at = lines.get(loc)
    probe = loc
    while at is None and probe:
        probe = probe[:-1]
        at = lines.get(probe)
    where, line, original = at if at is not None else (file, None, probe)
    # The key as written in its own file, not its place in the merged policy.
    loc = (*original, *loc[len(probe) :])
    key = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
    return PolicyError(f"{key}: {message}" if key else message, file=where, line=line)


def _data_loc(loc: Loc, lines: Lines) -> Loc:
    """Pydantic's error location with the union tags it inserts (`fields.3.mask.keep_last`)
    removed, keeping only the steps that exist in the document (`fields[3].keep_last`)."""
    out: list[str | int] = []
    for step in loc:
        candidate = (*out, step)
        if candidate in lines or isinstance(step, int):
            out.append(step)
        elif step == loc[-1]:
            out.append(step)
    return tuple(out)


def line_map(node: yaml.Node | None, loc: Loc = ()) -> dict[Loc, int]:
    """1-based line of every key and list item in the document."""
    found: dict[Loc, int] = {}
    if node is None:
        return found
    found[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*loc, str(key_node.value))
            found.update(line_map(value_node, child))
            found[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.update(line_map(item, (*loc, i)))
    return found


def policy_warnings(path: str | Path) -> list[str]:
    """What `policy check` warns of in a valid policy (`datamin.policies.lint`), each line naming
    the file and key; empty for a policy that does not load (its errors say why)."""
    from datamin.policies.lint import threshold_warnings

    policy = _load(str(path))[0]
    if policy is None:
        return []
    return [f"{path}: {w}" for w in threshold_warnings(policy)]
