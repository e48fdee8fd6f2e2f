"""Credential detection, by where a value sits and by what it looks like.

By location, the whole value is the secret: an `Authorization` header, a `password` parameter, a
session cookie. By shape, a credential is found anywhere, prose and URLs included: JWTs, Bearer
and Basic credentials, PEM private keys, provider token families
(`datamin.redactors.token_families`), gitleaks' maintained rules
(`datamin.redactors.secret_rules`), passwords in URLs, command lines and connection strings,
`password=...` pairs written into text, and random tokens of no known family in neutral fields
and log text (`datamin.redactors.generic_tokens`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from string import ascii_letters, digits
from typing import Any

from datamin import quiet_re2
from datamin.redactors import _said_secrets, generic_tokens
from datamin.redactors._credential_names import (
    ANY_STEM,
    AUTH_HEADERS,
    COOKIE_HEADERS,
)
from datamin.redactors._validators import (
    SignSet,
    is_basic_credentials,
    is_jwt,
    looks_random,
    password_like,
    re2_safe,
    squash,
)
from datamin.redactors._written_pairs import (
    FLAG,
    PAIR,
    PAIR_CELL,
    PAIR_ELEMENT,
    PAIR_LITERAL,
    PAIR_REVERSED,
    PASSWORD_INFIXES,
    a_selectors_state,
    names_a_password,
    says_what,
    trimmed,
)
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.cookies import cookie_values
from datamin.redactors.credential_fields import (
    HEADER_LIKE_KINDS,
    cookie_header_of,
    cookie_score,
    credential_word_in,
    entity_for_name,
    has_any,
    is_cookie_field,
    located,
    stemmed,
)
from datamin.redactors.entities import CREDENTIALS
from datamin.redactors.findings import Applies, Finding, fills
from datamin.redactors.registry import DetectorSettings
from datamin.redactors.secret_rules import SCORE as RULE_SCORE
from datamin.redactors.secret_rules import GitleaksRules
from datamin.redactors.token_families import CHECKS, TABLE

_NAMED_KINDS = (FieldKind.HEADER, FieldKind.COOKIE, FieldKind.QUERY, FieldKind.FORM, FieldKind.JSON)
# Kinds whose values can be log or prose text, where random tokens are looked for between words.
_PROSE_KINDS = (FieldKind.TEXT, FieldKind.CODE, FieldKind.JSON, FieldKind.FORM, FieldKind.QUERY)

# The prefilter: one RE2 set pass says which shape scans a value is worth: these signs, one per
# token family (`token_families`), the generic token's, then gitleaks' keywords (`secret_rules`).
_JWT_SIGN, _BEARER_SIGN, _BASIC_SIGN, _PEM_SIGN, _URL_SIGN, _PAIR_SIGN, _SAID_SIGN = range(7)
_SIGNS = (
    r"eyJ",
    r"(?i)bearer\s",
    r"(?i)basic\s",
    r"-----BEGIN",
    r"://[^\s/?#@]*:[^\s/?]+@",
    rf"(?i){ANY_STEM}",
    _said_secrets.SIGN,
)
_FAMILY_BASE = len(_SIGNS)
_GENERIC_SIGN = _FAMILY_BASE + len(TABLE)
_KEYWORD_BASE = _GENERIC_SIGN + 1  # gitleaks' keywords follow, in `GitleaksRules.keywords`
# A JWT, or its header and claims alone (a log that cut the signature off still holds the claims).
_JWT = r"eyJ[A-Za-z0-9_\-]{2,}\.eyJ[A-Za-z0-9_\-]{2,}(?:\.[A-Za-z0-9_\-]*)?"
_BEARER = r"(?i)\bbearer[ \t]+([A-Za-z0-9\-._~+/]+=*)"
_BASIC = r"(?i)\bbasic[ \t]+([A-Za-z0-9+/]+={0,2})"
_PEM_BEGIN = r"-----BEGIN[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----"
_PEM_END = r"-----END[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----"
_PEM_BODY = frozenset(ascii_letters + digits + "+/=\\:,- \t\r\n")
# A password written raw into a connection string may hold `#` (a URL parser would read a
# fragment there; the person who wrote it meant a password): it runs to the `@`.
_URL_USERINFO = r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#@:]*:([^\s/?]+)@"
_AWS_KEY_BODY = r"[A-Za-z0-9/+]{40}"
# Twilio's API key SID (gitleaks' rule). Not the Account SID (`AC`), a public name in every
# Twilio URL (`/2010-04-01/Accounts/AC...`), as message (`SM`) and service SIDs are.
_TWILIO_KEY = r"SK[0-9a-fA-F]{32}"
_JSON_LITERALS = frozenset(("null", "true", "false", "None"))  # `"password": null`


class CredentialDetector:
    """Built once per worker; stateless; thread-safe.

    For a `Cookie` or `Set-Cookie` header the findings are per cookie value, not the whole
    header: session and auth cookies (by name) and random-looking values are found, `theme=dark`
    stays, and Set-Cookie attributes (`Path=/; HttpOnly`) are never part of a span. This keeps
    the header useful for debugging while each cookie gets the same judgement it would get as a
    COOKIE field; a policy that wants the header gone names it.
    """

    name = "credentials"
    entities = CREDENTIALS
    takes_applies = True  # `detect(..., applies=)`: see there

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._gitleaks = GitleaksRules()
        self._signs = SignSet(
            (
                *_SIGNS,
                *(row.sign for row in TABLE),
                generic_tokens.SIGN,
                *self._gitleaks.keyword_signs(),
            ),
            alone=(_GENERIC_SIGN,),
        )
        self._families = tuple(quiet_re2.compile(row.pattern) for row in TABLE)
        self._jwt = quiet_re2.compile(_JWT)
        self._bearer = quiet_re2.compile(_BEARER)
        self._basic = quiet_re2.compile(_BASIC)
        self._pem_begin = quiet_re2.compile(_PEM_BEGIN)
        self._pem_end = quiet_re2.compile(_PEM_END)
        self._url_userinfo = quiet_re2.compile(_URL_USERINFO)
        self._pair = quiet_re2.compile(PAIR)
        self._pair_literal = quiet_re2.compile(PAIR_LITERAL)
        self._pair_cell = quiet_re2.compile(PAIR_CELL)
        self._pair_element = quiet_re2.compile(PAIR_ELEMENT)
        self._pair_reversed = quiet_re2.compile(PAIR_REVERSED)
        self._flag = quiet_re2.compile(FLAG)
        self._aws_key_body = quiet_re2.compile(_AWS_KEY_BODY)
        self._twilio_key = quiet_re2.compile(_TWILIO_KEY)

    def detect(
        self, text: str, ctx: FieldContext, *, applies: Applies | None = None
    ) -> list[Finding]:
        """`applies(finding, text)`: whether the policy replaces a finding (the engine passes
        it for a whole value). Where what the field's place says fills the value and is
        replaced, gitleaks' rules are not run on it: they find nothing wider, and score no
        higher than that finding (which comes first, and so wins a tie)."""
        if not text or text.isspace():
            return []
        # The random-token sign has a set of its own, read only where such a token is looked
        # for: prose kinds (headers, cookies and URLs have grammars of their own).
        generic = ctx.kind in _PROSE_KINDS
        try:
            signs = self._signs.Match(text, apart=generic)
        except UnicodeEncodeError:  # a lone surrogate; offsets survive the replacement
            text = re2_safe(text)
            signs = self._signs.Match(text, apart=generic)
        findings: list[Finding] = []
        named = ctx.kind in _NAMED_KINDS and bool(ctx.name)
        scan_named = True
        if (
            signs
            and _GENERIC_SIGN in signs
            and (ctx.kind not in _PROSE_KINDS or (named and generic_tokens.is_token(text)))
        ):
            signs.remove(_GENERIC_SIGN)  # one value is judged with its field's name below
        if named:
            if located(ctx.kind, ctx.name):
                findings.extend(self._by_location(text, ctx))
            if signs and _GENERIC_SIGN in signs and _whole(findings, text):
                signs.remove(_GENERIC_SIGN)  # the value is a secret whole: no token inside it
            if applies is not None and fills(findings, text, applies, at_least=RULE_SCORE):
                signs = [s for s in signs or () if s < _KEYWORD_BASE] or None
                scan_named = False
            # A random token of no family in a neutral field; one case (UUIDs, hex) never is.
            if not findings and len(text) >= 32 and not (text.islower() or text.isupper()):
                score = generic_tokens.field_score(text)
                if score and not generic_tokens.keeps_name(ctx.name):
                    findings.append(self._finding("SECRET", 0, len(text), score))
            elif not findings and generic_tokens.container_key(text, ctx.name):
                findings.append(self._finding("SECRET", 0, len(text), generic_tokens.FIELD_SCORE))
            if signs and _PAIR_SIGN in signs and is_cookie_field(ctx):
                signs.remove(_PAIR_SIGN)  # each `name=value` was judged as a cookie above
            if scan_named:
                findings.extend(self._gitleaks.scan_named(text, ctx.name, self.name))
        if signs:
            findings.extend(self._by_shape(text, signs))
        return findings

    def _finding(self, entity: str, start: int, end: int, score: float) -> Finding:
        return Finding(entity, start, end, score, self.name)

    # By location ---------------------------------------------------------------------------

    def _by_location(self, text: str, ctx: FieldContext) -> Iterator[Finding]:
        key = squash(ctx.name)
        if ctx.kind in HEADER_LIKE_KINDS and key in AUTH_HEADERS:
            scheme = text.split(None, 1)[0].lower()
            entity = {"bearer": "BEARER_TOKEN", "basic": "BASIC_AUTH"}.get(scheme, "SECRET")
            yield self._finding(entity, 0, len(text), 0.95)
        elif ctx.kind in HEADER_LIKE_KINDS and key in COOKIE_HEADERS:
            yield from self._cookie_header(text, key)
        elif ctx.kind is FieldKind.COOKIE:
            score = cookie_score(ctx.name, text)
            if score:
                yield self._finding("SESSION_ID", 0, len(text), score)
        else:
            judged = self._judge(key, text, ctx.kind, ctx.name)
            if judged:
                yield self._finding(judged[0], 0, len(text), judged[1])
            elif (
                ctx.kind in HEADER_LIKE_KINDS and "=" in text and (header := cookie_header_of(key))
            ):
                # A cookie header logged under a name of the log's own (Traefik's
                # `request_Cookie`), read as the header it is.
                yield from self._cookie_header(text, header)

    def _cookie_header(self, text: str, header: str) -> Iterator[Finding]:
        """Each session or random-looking cookie value of a Cookie or Set-Cookie value."""
        for name, start, end in cookie_values(text, set_cookie=header == "setcookie"):
            score = cookie_score(name, text[start:end])
            if score:
                yield self._finding("SESSION_ID", start, end, score)

    def _judge(
        self, key: str, value: str, kind: FieldKind, raw: str = "", *, unquoted: bool = False
    ) -> tuple[str, float] | None:
        """The credential a value is, given the squashed name it sits under (and the name as
        written, `raw`, whose words say more than its squashed letters), with a score.
        `unquoted`: after its name in text, where signs are code's as often (`keys=function(){`)."""
        if not stemmed(key):
            return None  # the usual case, settled once per field name
        bare = value.strip()
        if not bare or bare in _JSON_LITERALS:
            return None
        if ("secretaccesskey" in key or ("aws" in key and "secret" in key)) and (
            self._aws_key_body.fullmatch(bare)
        ):
            return "API_KEY", 0.95
        if has_any(key, ("key", "sid", "account")) and self._twilio_key.fullmatch(bare):
            return "API_KEY", 0.9
        entity = entity_for_name(key, kind)
        if entity:
            return entity, 0.9
        if credential_word_in(key) and (
            looks_random(bare) or (not unquoted and password_like(bare))
        ):
            return "SECRET", 0.75
        if (
            has_any(key, ("pass", "pw", "pswd", "pin"))
            and (has_any(key, PASSWORD_INFIXES) or names_a_password(raw))
            and not says_what(bare)
        ):
            return "PASSWORD", 0.8
        return None

    # By shape ------------------------------------------------------------------------------

    def _by_shape(self, text: str, signs: list[int]) -> Iterator[Finding]:
        if _JWT_SIGN in signs:
            for m in self._jwt.finditer(text):
                if is_jwt(text[m.start() : m.end()]):
                    yield self._finding("JWT", *m.span(), 1.0)
        if _BEARER_SIGN in signs:
            for m in self._bearer.finditer(text):
                token = text[m.start(1) : m.end(1)]
                # `Bearer token`, `Bearer Authentication`: words, not tokens.
                if len(token) >= 8 and not (token.isalpha() and token[1:].islower()):
                    yield self._finding("BEARER_TOKEN", *m.span(1), 0.9)
        if _BASIC_SIGN in signs:
            for m in self._basic.finditer(text):
                if is_basic_credentials(text[m.start(1) : m.end(1)]):
                    yield self._finding("BASIC_AUTH", *m.span(1), 1.0)
        keys: list[Finding] = []
        if _PEM_SIGN in signs:
            keys = list(self._private_keys(text))
            yield from keys
        if _URL_SIGN in signs:
            for m in self._url_userinfo.finditer(text):
                yield self._finding("PASSWORD", *m.span(1), 0.95)
        if _PAIR_SIGN in signs:
            yield from self._pairs(text)
        if _SAID_SIGN in signs:
            for start, end in _said_secrets.said_passwords(text):
                yield self._finding("PASSWORD", start, end, 0.85)
            for start, end, entity in _said_secrets.named_secrets(text):
                yield self._finding(entity, start, end, 0.85)
        for sign in signs:
            if _FAMILY_BASE <= sign < _GENERIC_SIGN:
                yield from self._family(text, sign - _FAMILY_BASE)
        keywords = tuple(sign - _KEYWORD_BASE for sign in signs if sign >= _KEYWORD_BASE)
        if keywords:
            yield from self._gitleaks.scan(text, self._gitleaks.rules_of(keywords), self.name)
        if _GENERIC_SIGN in signs:
            # A private key's body is one secret, found above: not a token per line.
            for key in keys:
                text = text[: key.start] + " " * (key.end - key.start) + text[key.end :]
            for start, end, score in generic_tokens.in_text(text):
                yield self._finding("SECRET", start, end, score)

    def _family(self, text: str, index: int) -> Iterator[Finding]:
        """Tokens of one family of the table: the group's span where the row has one."""
        row = TABLE[index]
        check = CHECKS.get(row.check)
        for m in self._families[index].finditer(text):
            group = next((g for g in range(1, m.re.groups + 1) if m.start(g) != -1), 0)
            start, end = m.span(group)
            if check is None or check(text[start:end]):
                yield self._finding(row.entity, start, end, row.score)
            elif row.doubted:
                yield self._finding(row.entity, start, end, row.doubted)

    def _private_keys(self, text: str) -> Iterator[Finding]:
        """PEM private key blocks, BEGIN to END; a block cut off before its END line (a truncated
        log) runs to the end of its base64 body. Linear: every END is located once."""
        ends = [m.span() for m in self._pem_end.finditer(text)]
        end_starts = [s for s, _ in ends]
        covered = 0
        for m in self._pem_begin.finditer(text):
            start = m.start()
            if start < covered:
                continue
            i = bisect_left(end_starts, m.end())
            if i < len(ends):
                covered = ends[i][1]
            else:
                covered = m.end()
                while covered < len(text) and text[covered] in _PEM_BODY:
                    covered += 1
            yield self._finding("PRIVATE_KEY", start, covered, 1.0)

    def _pairs(self, text: str) -> Iterator[Finding]:
        for m in self._pair.finditer(text):
            start, end = _quoted_span(m, 2)
            bare = start < 0
            if bare:
                start, end = m.span(6)
                if a_selectors_state(text, start):
                    continue
                end = start + len(trimmed(text[start:end]))
            yield from self._pair_finding(text[m.start(1) : m.end(1)], text, start, end, bare)
        if '"' in text or "'" in text or "`" in text:
            for m in self._pair_literal.finditer(text):
                yield from self._pair_finding(m.group(1), text, *_quoted_span(m, 2))
        if "==" in text or "!=" in text:
            for m in self._pair_reversed.finditer(text):
                yield from self._pair_finding(m.group(5), text, *_quoted_span(m, 1))
        if "|" in text:
            for m in self._pair_cell.finditer(text):
                if looks_random(text[m.start(2) : m.end(2)]):
                    yield from self._pair_finding(text[m.start(1) : m.end(1)], text, *m.span(2))
        if "</" in text:
            for m in self._pair_element.finditer(text):
                if text[m.start(1) : m.end(1)].lower() == text[m.start(3) : m.end(3)].lower():
                    yield from self._pair_finding(text[m.start(1) : m.end(1)], text, *m.span(2))
        if "--" in text:
            for m in self._flag.finditer(text):
                start, end = m.span(2)
                end = start + len(trimmed(text[start:end]))
                yield from self._pair_finding(text[m.start(1) : m.end(1)], text, start, end)

    def _pair_finding(
        self, key: str, text: str, start: int, end: int, bare: bool = False
    ) -> Iterator[Finding]:
        judged = self._judge(squash(key), text[start:end], FieldKind.TEXT, key, unquoted=bare)
        if judged:
            yield self._finding(judged[0], start, end, min(judged[1], 0.85))


def _quoted_span(m: Any, first: int) -> tuple[int, int]:
    """The span of the one of `QUOTED`'s four groups, from group `first`, that matched (a
    double-quoted, an escaped, a single-quoted or a back-quoted value); (-1, -1) for none."""
    return next((m.span(g) for g in range(first, first + 4) if m.start(g) != -1), (-1, -1))


def _whole(findings: list[Finding], text: str) -> bool:
    return any(f.start == 0 and f.end >= len(text.rstrip()) for f in findings)
