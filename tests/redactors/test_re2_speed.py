"""What makes RE2 cheaper must not change an answer: ASCII text matched as its bytes, sign
sets split in chunks, contexts that hash once."""

from __future__ import annotations

import pickle

import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin import quiet_re2
from datamin.redactors._validators import SignSet, sign_set
from datamin.redactors.context import FieldContext, FieldKind, FieldRole
from datamin.redactors.national_ids import NationalIdDetector

PATTERNS = [
    r"\d{3}-\d{2}-\d{4}",
    r"(?i)\b(iban|konto)\b\s*([a-z]{2}\d\d)?",
    r"(a)|(b)|(c*)",  # groups that do not take part; an empty match
    r"x*",  # empty matches everywhere: the search steps on by one character
    r"^\s*$",
    r"[\p{L}\p{N}._%+\-']+@[\p{L}\p{N}\-]+\.[A-Za-z]{2,}",
    r"(?P<key>[A-Za-z_]\w*)=(?P<value>[^&\s]*)",
    r"\bBearer\s+([A-Za-z0-9._~+/\-]+=*)",
]
TEXT = st.text(alphabet="ab cx09-@.=&_\t\n\u00e9\u4e00Bearer", max_size=40)


def _matches(pattern: object, text: str, pos: int | None, endpos: int | None) -> list[object]:
    out: list[object] = []
    for name in ("search", "match", "fullmatch"):
        m = getattr(pattern, name)(text, pos, endpos)
        out.append(None if m is None else [m.span(i) for i in range(m.re.groups + 1)])
    out.append([(m.span(), m.groups(), m.group()) for m in pattern.finditer(text, pos, endpos)])  # type: ignore[attr-defined]
    return out


@settings(max_examples=300, deadline=None)
@given(
    text=TEXT,
    pos=st.none() | st.integers(-2, 45),
    endpos=st.none() | st.integers(-2, 45),
)
def test_ascii_text_is_matched_as_re2_matches_it(
    text: str, pos: int | None, endpos: int | None
) -> None:
    for source in PATTERNS:
        ours = quiet_re2.compile(source)
        theirs = re2._Regexp(source, re2.Options())
        assert _matches(ours, text, pos, endpos) == _matches(theirs, text, pos, endpos)


def test_a_compiled_pattern_survives_pickling() -> None:
    pattern = quiet_re2.compile(r"(a)(b)?")
    again = pickle.loads(pickle.dumps(pattern))
    assert again.groups == 2 and again.search("xab").span(2) == (2, 3)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="0123456789 -./ABCDEFGHKLMNPRSTUVXZabcdeiklmnorst", max_size=60))
def test_sign_sets_in_chunks_find_what_one_set_finds(text: str) -> None:
    signs = [rule.pattern for rule in _NATIONAL._rules]
    whole = sorted(_WHOLE.Match(text) or [])
    assert sorted(SignSet(signs, chunk=16).Match(text) or []) == whole
    assert sorted(_NATIONAL._set.Match(text) or []) == whole


_NATIONAL = NationalIdDetector()
_WHOLE = sign_set(rule.pattern for rule in _NATIONAL._rules)


def test_a_context_hashes_by_its_fields_and_pickles() -> None:
    a = FieldContext.of("request.body.phone", FieldKind.JSON, role=FieldRole.PARTY)
    b = FieldContext("request.body.phone", FieldKind.JSON, "phone", FieldRole.PARTY)
    assert a == b and hash(a) == hash(b) and {a: 1}[b] == 1
    again = pickle.loads(pickle.dumps(a))
    assert again == a and hash(again) == hash(a)
    assert a != FieldContext("request.body.phone", FieldKind.TEXT, "phone", FieldRole.PARTY)
