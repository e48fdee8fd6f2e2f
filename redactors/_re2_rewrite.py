"""Regexes written for Python's `regex` made runnable by RE2: lookarounds dropped, atomic
groups made plain, back-references replaced by the group they repeat. The result can match more
than the original (`widened`); `_presidio_adapter` confirms such a match with the original."""

from __future__ import annotations


def to_re2(pattern: str) -> tuple[str, bool]:
    """`pattern` with lookarounds dropped, atomic groups made plain and back-references replaced
    by the group they repeat; and whether anything was changed (the result is then wider)."""
    out: list[str] = []
    groups: list[str] = []  # source of each capturing group, by number - 1
    stack: list[tuple[int, bool]] = []  # (start in out, capturing)
    changed = False
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt.isdigit() and nxt != "0":
                number = int(nxt)
                out.append(f"(?:{groups[number - 1]})" if number <= len(groups) else "")
                changed = True
            else:
                out.append(pattern[i : i + 2])
            i += 2
        elif c == "[":
            j = _class_end(pattern, i)
            out.append(pattern[i:j])
            i = j
        elif c == "(":
            for opener in ("(?<=", "(?<!", "(?=", "(?!"):
                if pattern.startswith(opener, i):
                    i = _group_end(pattern, i)
                    changed = True
                    break
            else:
                if pattern.startswith("(?>", i):
                    out.append("(?:")
                    stack.append((len(out), False))
                    changed = True
                    i += 3
                    continue
                capturing = not pattern.startswith("(?", i) or pattern.startswith("(?P<", i)
                stack.append((len(out), capturing))
                out.append(c)
                i += 1
        elif c == ")":
            start, capturing = stack.pop() if stack else (len(out), False)
            out.append(c)
            if capturing:
                groups.append("".join(out[start + 1 : -1]))
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out), changed


def _class_end(pattern: str, i: int) -> int:
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> int:
    depth, j = 0, i
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(pattern, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j
