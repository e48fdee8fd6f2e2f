"""A draft policy from a sample's profile (`datamin policy init`): operational fields kept for
analytics, identities pseudonymized for a short time, credentials and everything else dropped.

Each path of the profile gets one proposal, decided from its name, its value types and the
entities detection found in it, failing closed: a credential found anywhere under a path drops
it, whatever its name; a field is kept only when it is one of the exchange's own (method, route,
status...) or its name says it is operational and no entity was found in it. The draft is
written as the bundled policies are (`api_logs.yaml`), one rule a line, each with a comment
giving what the sample held at its path, never a value.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from typing import Any

import yaml

from datamin.policies.authoring.profile import PathProfile, SampleProfile
from datamin.policies.model import Policy
from datamin.redactors.entities import CREDENTIALS

ANALYTICS, DEBUG = "analytics", "debug"
RETENTION = {DEBUG: "7d", ANALYTICS: "90d"}

# The groups of the draft, in the order it lists them, with the comment heading each.
GROUPS = {
    "credential": "Credentials: dropped, named here so that no later default keeps them.",
    "operational": "Operational fields, kept for analytics (90 days); time to the hour, "
    "routes with ids templated.",
    "identity": "Who: keyed pseudonyms (same value, same token) and client networks, kept 7 days.",
    "sensitive": "Sensitive values (cards, national ids, dates of birth, names, places): dropped.",
    "free text": "Free text: dropped, names and places hide in it. To keep one, make it `scan` "
    "and set `detection.ner: true`.",
    "not needed": "Not needed for operations: dropped (a field no rule names is dropped too).",
    "pattern": "Keys that are not names (shown as `*`, so none is written here): dropped.",
}

# The exchange's own fields (HAR entries and gateway logs are walked into these), kept and
# generalized as `api_logs.yaml` keeps them.
_A = {"retention": ANALYTICS}
_KNOWN: dict[str, tuple[str, dict[str, Any]]] = {
    "started_at": (
        "operational",
        {"action": "generalize", "kind": "timestamp", "timestamp_to": "hour",
         "column": "hour", "type": "timestamp", **_A},
    ),
    "request.method": ("operational", {"action": "keep", "column": "method", **_A}),
    "request.host": ("operational", {"action": "keep", "column": "host", **_A}),
    "request.path": (
        "operational", {"action": "generalize", "kind": "url_path", "column": "route", **_A}
    ),
    "response.status": (
        "operational", {"action": "keep", "column": "status", "type": "int64", **_A}
    ),
    "response.status_text": ("operational", {"action": "keep", "column": "status_text", **_A}),
    "time": ("operational", {"action": "keep", "column": "latency_ms", "type": "float64", **_A}),
    "request.body_size": (
        "operational", {"action": "keep", "column": "request_bytes", "type": "int64", **_A}
    ),
    "response.content_size": (
        "operational", {"action": "keep", "column": "response_bytes", "type": "int64", **_A}
    ),
    "request.content_type": (
        "operational", {"action": "keep", "column": "request_content_type", **_A}
    ),
    "response.content_type": (
        "operational", {"action": "keep", "column": "response_content_type", **_A}
    ),
    "request.headers.x-forwarded-for": (
        "identity", {"action": "generalize", "kind": "ip", "column": "client_network"}
    ),
    "client.ip": (
        "identity", {"action": "generalize", "kind": "ip", "column": "client_ip_network"}
    ),
    "request.jwt.sub": ("identity", {"action": "pseudonymize", "column": "user_id"}),
    "request.jwt.email": (
        "identity", {"action": "pseudonymize", "entity": "EMAIL_ADDRESS", "column": "user_email"}
    ),
    "request.jwt.client_id": ("identity", {"action": "pseudonymize", "column": "client"}),
    "consumer.id": ("identity", {"action": "pseudonymize", "column": "consumer"}),
    "consumer.name": ("identity", {"action": "pseudonymize", "column": "consumer_name"}),
}  # fmt: skip

# Key names (lower case, `-` and `_` removed) that hold credentials: contained in the key...
_CREDENTIAL_PARTS = (
    "token", "secret", "password", "passwd", "passphrase", "apikey", "privatekey", "accesskey",
    "authorization", "cookie", "session", "credential", "signature", "userinfo", "csrf", "xsrf",
)  # fmt: skip
# ...or the whole key.
_CREDENTIAL_KEYS = frozenset({"auth", "pwd", "pass", "otp", "sig", "jwt"})
_ID_KEYS = frozenset(
    "id uid uuid guid sid sub user username userid login account customer consumer client "
    "member msisdn".split()
)
_ID_SUFFIX = re.compile(r"[-_](?:id|uid|uuid|guid|sid)$|[a-z0-9](?:Id|ID|Uuid|Sid)$")
_OPERATIONAL_KEYS = frozenset(
    "method http_method verb status status_code statuscode status_text error_code direction "
    "scheme protocol http_version host content_type mime_type currency price_unit api_version "
    "version".split()
)
_LATENCY = re.compile(r"latency|duration|elapsed|_ms$")
_SIZE = re.compile(r"size$|bytes$|length$|count$|^num_")
_BIRTH = re.compile(r"birth|^dob$|_dob$")
# Payloads and parameters are a service's business, not its operation: within them only
# credentials, identities and known exchange fields are decided by name.
_PAYLOADS = re.compile(r"^(?:request|response)\.(?:body|form|query|headers|cookies|jwt)\.")
_IDENTIFYING = ("EMAIL_ADDRESS", "PHONE_NUMBER")
_KEY_ORDER = ("action", "kind", "timestamp_to", "entity", "column", "type", "retention")


@dataclass(frozen=True)
class Proposal:
    """What the draft does with one path, and why (a key of `GROUPS`)."""

    profile: PathProfile
    group: str
    rule: dict[str, Any]  # the rule as written: path, action, parameters, column, retention

    @property
    def action(self) -> str:
        return str(self.rule["action"])

    def describe(self) -> str:
        """`keep -> method (analytics)`, `pseudonymize -> user_id (debug)`, `drop (credential)`."""
        if self.action == "drop":
            return f"drop ({self.group})"
        kind = f" {self.rule['kind']}" if "kind" in self.rule else ""
        where = self.rule.get("retention", DEBUG)
        return f"{self.action}{kind} -> {self.rule.get('column', 'fields')} ({where})"


def propose(profile: SampleProfile) -> list[Proposal]:
    """One proposal per path, in the order the draft lists them: by group, then by record kind
    (the most common first), then as first seen. Patterns (`*` keys) come last, so a concrete
    path's own rule always decides before a pattern's."""
    order = {kind: i for i, (kind, _) in enumerate(profile.kinds.most_common())}
    decided = [(p, *_decide(p)) for p in profile.paths]
    taken: set[str] = set()
    for _, _, rule, _ in decided:  # the exchange's own columns keep their names
        if "column" in rule:
            taken.add(rule["column"])
    out = []
    for p, group, rule, wanted in decided:
        if wanted is not None:
            rule["column"] = _column(wanted, taken)
        if "column" in rule and rule["action"] != "drop":
            rule.setdefault("retention", DEBUG if group == "identity" else ANALYTICS)
        written = {"path": p.path, **{k: rule[k] for k in _KEY_ORDER if k in rule}}
        out.append(Proposal(p, group, written))
    groups = list(GROUPS)

    def position(item: tuple[int, Proposal]) -> tuple[int, int, int]:
        i, x = item
        first_kind = (
            min(order.get(k, len(order)) for k in x.profile.kinds) if x.profile.kinds else 0
        )
        return (groups.index(x.group), first_kind, i)

    return [x for _, x in sorted(enumerate(out), key=position)]


def _decide(p: PathProfile) -> tuple[str, dict[str, Any], list[str] | None]:
    """The group and rule for one path, and the column names it would take, best first (None
    when it takes none or a fixed one)."""
    keys = p.path.replace("[]", "").split(".")
    key = keys[-1]
    found = set(p.entities)
    types = p.only
    if "*" in p.path:
        return "pattern", {"action": "drop"}, None
    if found & CREDENTIALS:
        return "credential", {"action": "drop"}, None
    if p.path in _KNOWN:
        group, rule = _KNOWN[p.path]
        return group, dict(rule), None
    if _credential_name(p.path):
        return "credential", {"action": "drop"}, None
    names = _column_names(keys, p)
    # An address, e-mail or phone number in most values, and nothing else: who, or where from.
    best = max(("IP_ADDRESS", *_IDENTIFYING), key=lambda e: p.entities[e])
    mostly = 2 * p.entities[best] >= p.values and "text" not in types
    if mostly and best == "IP_ADDRESS" and found == {best}:
        return "identity", {"action": "generalize", "kind": "ip"}, [f"{n}_network" for n in names]
    if mostly and best != "IP_ADDRESS" and found <= {*_IDENTIFYING, "PERSON"}:
        return "identity", {"action": "pseudonymize", "entity": best}, names
    if found or _BIRTH.search(key.lower()):
        return ("free text" if "text" in types else "sensitive"), {"action": "drop"}, None
    if "text" in types:
        return "free text", {"action": "drop"}, None
    if _id_name(key) and types and types <= {"string", "int64"}:
        return "identity", {"action": "pseudonymize"}, names
    if _PAYLOADS.match(p.path) or not types:
        return "not needed", {"action": "drop"}, None
    return _operational(p, keys, names)


def _operational(
    p: PathProfile, keys: list[str], names: list[str]
) -> tuple[str, dict[str, Any], list[str] | None]:
    key = keys[-1].lower().replace("-", "_")
    types = p.only
    keep: dict[str, Any] = {"action": "keep"}
    if types == {"timestamp"}:
        rule = {"action": "generalize", "kind": "timestamp", "timestamp_to": "hour"}
        return "operational", {**rule, "type": "timestamp"}, names
    if types <= {"int64", "float64"}:
        if keys[0] == "timings" and len(keys) == 2:
            return "operational", {**keep, "type": "float64"}, [f"{n}_ms" for n in names]
        if _LATENCY.search(key):
            return "operational", {**keep, "type": "float64"}, names
        if _SIZE.search(key) and types == {"int64"}:
            return "operational", {**keep, "type": "int64"}, names
    if key in _OPERATIONAL_KEYS and types <= {"string", "int64", "date"}:
        typed = {"type": "int64"} if types == {"int64"} else {}
        return "operational", {**keep, **typed}, names
    return "not needed", {"action": "drop"}, None


def _credential_name(path: str) -> bool:
    # A bearer token's claims are fields of their own, not the token (`datamin.core.jwt_claims`).
    path = path.removeprefix("request.jwt.")
    for key in path.replace("[]", "").split("."):
        flat = key.lower().replace("-", "").replace("_", "")
        if flat in _CREDENTIAL_KEYS or any(part in flat for part in _CREDENTIAL_PARTS):
            return True
    return False


def _id_name(key: str) -> bool:
    return key.lower() in _ID_KEYS or _ID_SUFFIX.search(key) is not None


def _column_names(keys: list[str], p: PathProfile) -> list[str]:
    """Column names for a path, best first: its last key, then with its parents', then with
    its record kind's name (`messages_status`)."""
    parts = [keys[-n:] for n in range(1, len(keys) + 1)]
    if p.kinds:
        parts.append([p.kinds.most_common(1)[0][0], keys[-1]])
    out = []
    for words in parts:
        name = re.sub(r"[^a-z0-9]+", "_", "_".join(words).lower()).strip("_")
        if name and not name[0].isalpha():
            name = f"f_{name}"
        if name and name not in out:
            out.append(name)
    return out


_RESERVED = frozenset({"record_id", "fields", "retention", "date", "source_kind"})


def _column(wanted: list[str], taken: set[str]) -> str:
    """The first wanted name no other rule writes (one column, one type and class), else the
    longest numbered."""
    wanted = [name[:40].rstrip("_") for name in wanted]
    for name in wanted:
        if name not in taken and name not in _RESERVED:
            taken.add(name)
            return name
    base = (wanted[-1] if wanted else "field")[:36]
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    taken.add(f"{base}_{n}")
    return f"{base}_{n}"


@dataclass(frozen=True)
class Draft:
    proposals: tuple[Proposal, ...]
    text: str  # the policy file, validated


def draft_policy(profile: SampleProfile, name: str = "draft") -> Draft:
    """Proposals for every path of the profile and the policy that writes them down, checked
    as `policy check` checks a file (a draft that does not validate is a bug here)."""
    proposals = propose(profile)
    text = render_draft(profile, proposals, policy_name(name))
    Policy.model_validate(yaml.safe_load(text))
    return Draft(tuple(proposals), text)


def policy_name(stem: str) -> str:
    """A policy name from a file's stem: `Shop API.v2` gives `shop_api_v2`."""
    name = re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")[:40].rstrip("_")
    return name if name[:1].isalpha() else "draft"


# -- the draft as YAML ---------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_WIDTH = 99
_EVENT_TIMES = 4


def render_draft(profile: SampleProfile, proposals: list[Proposal], name: str = "draft") -> str:
    """The draft policy's text: the bundled policies' layout, a comment per rule."""
    kinds = ", ".join(f"{k} {n}" for k, n in profile.kinds.most_common())
    unread = sum(profile.quarantined.values())
    lines = [
        f"# A draft written by `datamin policy init` from a sample of {profile.records} records "
        f"({kinds}),",
        f"# names in free text {'looked for (NER)' if profile.ner else 'not looked for (no NER)'}"
        + (f"; {unread} records could not be read." if unread else "."),
        "# It proposes, from each field's name, its types and what detection found in it: keep",
        "# operational fields, pseudonymize identities, drop credentials and everything else.",
        "# Each rule's comment: values and records holding its path, their types, and the",
        "# entities found in them (values holding one). Review every rule before use.",
        "version: 1",
        f"name: {name}",
        "description: Drafted from a sample by datamin policy init; review before use.",
        "default_action: drop",
    ]
    times = _event_times(proposals)
    if times:
        lines.append(f"event_time: [{', '.join(_scalar(t) for t in times)}]")
    lines += [
        "retention:",
        f"  default: {DEBUG}",
        "  classes:",
        f"    {DEBUG}: {RETENTION[DEBUG]}          # pseudonyms and client networks",
        f"    {ANALYTICS}: {RETENTION[ANALYTICS]}     # operational fields",
        "detection:",
        "  # No rule below keeps free text, so name recognition is off: runs are faster. Set it",
        "  # to true before making a free-text field `scan`.",
        "  ner: false",
        "entities:",
        "  default: redact",
        "fields:",
        "  # Rules apply in order; the first whose path matches decides.",
    ]
    group = None
    for x in proposals:
        if x.group != group:
            group = x.group
            lines += ["", *("  # " + line for line in textwrap.wrap(GROUPS[group], _WIDTH - 4))]
        lines.append(f"  # {x.profile.summary()}")
        lines += _rule_lines(x.rule)
    return "\n".join(lines) + "\n"


def _event_times(proposals: list[Proposal]) -> list[str]:
    """The paths of timestamps generalized, most often present first: the date partition."""
    found = [x.profile for x in proposals if x.rule.get("kind") == "timestamp"]
    found.sort(key=lambda p: -p.records)
    return [p.path for p in found if "[" not in p.path][:_EVENT_TIMES]


def _rule_lines(rule: dict[str, Any]) -> list[str]:
    """`- {path: ..., action: ...}`, continued on a second line past the width as the bundled
    policies are."""
    items = [f"{k}: {_scalar(v)}" for k, v in rule.items()]
    lines, line = [], "  - {" + items[0]
    for item in items[1:]:
        if len(line) + len(item) + 3 > _WIDTH:
            lines.append(line + ",")
            line = "     " + item
        else:
            line += ", " + item
    return [*lines, line + "}"]


def _scalar(value: Any) -> str:
    text = str(value)
    if isinstance(value, str) and not (_PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS):
        return json.dumps(text)
    return text


def table_text(proposals: list[Proposal] | tuple[Proposal, ...]) -> str:
    """The proposals as a plain table: path, values, types, entities, what the draft does."""
    rows = [("path", "count", "types", "entities", "proposed")]
    rows += [
        (x.profile.path, str(x.profile.values), x.profile.types_text(),
         x.profile.entities_text() or "-", x.describe())
        for x in proposals
    ]  # fmt: skip
    widths = [min(max(len(r[i]) for r in rows), limit) for i, limit in enumerate(_COLUMNS)]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(w) if i == 1 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


_COLUMNS = (56, 6, 24, 40, 60)  # widest a column is padded to; longer cells push the row
