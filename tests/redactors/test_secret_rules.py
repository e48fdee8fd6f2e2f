"""gitleaks' rules in the credentials family: the bundled file loads whole, its rules find the
families our own table lacks (in log text, in a line of configuration, under a name that holds
the family's keyword), and its entropy floors and allowlists hold. Every token is synthetic: a
documented prefix around seeded random characters."""

from __future__ import annotations

import random
import string
from importlib.resources import files

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.credentials import CredentialDetector
from datamin.redactors.engine import DetectionEngine
from datamin.redactors.generic_tokens import entropy
from datamin.redactors.secret_rules import GitleaksRules, load_rules

DETECTOR = CredentialDetector()
RULES = GitleaksRules()
_RNG = random.Random(23)
LOWER_DIGITS = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
B62 = string.ascii_letters + string.digits


def rnd(alphabet: str, n: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


# Families `token_families` does not have, each by its own prefix.
PREFIXED = {
    "sourcegraph": "sgp_" + rnd(HEX, 40),
    "shippo": "shippo_live_" + rnd(HEX, 40),
    "settlemint": "sm_pat_" + rnd(B62, 16),
    "readme": "rdme_" + rnd(LOWER_DIGITS, 70),
    "infracost": "ico-" + rnd(B62, 32),
    "huggingface org": "api_org_" + rnd(string.ascii_letters, 34),
}


def spans(text: str, ctx: FieldContext) -> list[str]:
    """What the credentials family replaces (score 0.5 or more), each span once."""
    found = {(f.start, f.end) for f in DETECTOR.detect(text, ctx) if f.score >= 0.5}
    return [text[a:b] for a, b in sorted(found)]


def gitleaks(text: str) -> list[str]:
    """What gitleaks' rules alone find in `text`."""
    signs = [i for i, k in enumerate(RULES.keywords) if k in text.lower()]
    return [text[f.start : f.end] for f in RULES.scan(text, RULES.rules_of(tuple(signs)), "t")]


def test_the_bundled_rule_file_loads_every_rule_with_a_regex() -> None:
    rules, global_allows = load_rules()
    assert len(rules) >= 200
    assert all(rule.keywords for rule in rules)  # nothing runs on every value
    assert global_allows  # the file's own allowlist is read
    data = files("datamin.redactors") / "data"
    header = (data / "gitleaks.toml").read_text("utf-8").splitlines()[:3]
    assert "github.com/gitleaks/gitleaks" in header[0] and "MIT" in header[2]
    assert "MIT License" in (data / "GITLEAKS-LICENSE").read_text("utf-8")


@pytest.mark.parametrize("family", sorted(PREFIXED))
def test_a_prefixed_token_is_found_in_log_text_and_in_a_neutral_field(family: str) -> None:
    token = PREFIXED[family]
    line = f"2026-12-06 INFO deploy: using {token} for the upload"
    assert gitleaks(line) == [token]  # gitleaks' rule, not datamin's own table
    assert spans(line, FieldContext.of("message", FieldKind.TEXT)) == [token]
    assert spans(token, FieldContext.of("data.value", FieldKind.JSON)) == [token]


def test_a_keyword_rule_reads_a_configuration_line_and_a_name_that_holds_its_keyword() -> None:
    secret = rnd(LOWER_DIGITS, 30)
    assert entropy(secret) >= 3  # the Twitch rule's floor
    line = f'TWITCH_CLIENT_SECRET = "{secret}"'
    assert spans(line, FieldContext.of("line", FieldKind.JSON)) == [secret]
    # The field's name says what a line's key would.
    assert spans(secret, FieldContext.of("config.twitch_api_secret", FieldKind.JSON)) == [secret]
    # Without the keyword, the same characters are not Twitch's.
    assert spans(secret, FieldContext.of("config.region_hint", FieldKind.JSON)) == []


def test_a_secret_below_its_rules_entropy_floor_is_not_reported() -> None:
    # 1Password's secret key: entropy floor 3.8 bits per character.
    weak = "A3-AAAAAA-AAAAAAAAAAA-AAAAA-AAAAA-AAAAA"
    strong = "A3-" + "-".join(
        rnd(string.ascii_uppercase + string.digits, n) for n in (6, 11, 5, 5, 5)
    )
    assert entropy(weak) < 3.8 <= entropy(strong)
    assert gitleaks(f"key {weak} here") == []
    assert gitleaks(f"key {strong} here") == [strong]


def test_allowlists_keep_placeholders_and_the_files_stopwords() -> None:
    # generic-api-key: a template placeholder (global allowlist), an api version (its own
    # regexes), a word of its 1,500 stopwords in the secret.
    assert gitleaks('api_token = "${DEPLOY_API_TOKEN}"') == []
    assert gitleaks('api_version = "2024-06-20.acacia"') == []
    assert gitleaks('api_token = "Xq7dashboard9Lk2Pz"') == []
    secret = rnd(B62, 40)
    assert gitleaks(f'api_token = "{secret}"') == [secret]


def test_a_generic_name_alone_is_left_to_credentials_own_judgement() -> None:
    # gitleaks' generic rule would read `Idempotency-Key=<random>` as a key; datamin's names
    # say an idempotency key is none (and 20 characters are too few for a token of no family).
    value = rnd(B62, 20)
    ctx = FieldContext.of("request.headers.Idempotency-Key", FieldKind.HEADER)
    assert gitleaks(f"Idempotency-Key={value}") == [value]
    assert spans(value, ctx) == []


def test_the_generic_rule_leaves_uuids_that_a_family_rule_takes() -> None:
    uuid = "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f"
    assert gitleaks(f"pod default/api-7d9f8c6b5-x2x4z uid={uuid}") == []
    assert gitleaks(f'heroku_api_key = "{uuid}"') == [uuid]  # Heroku's keys are UUIDs


def test_the_engine_replaces_what_the_family_finds() -> None:
    engine = DetectionEngine(ner_model=None)
    token = PREFIXED["sourcegraph"]
    found = engine.detect(token, FieldContext.of("settings.value", FieldKind.JSON))
    assert any(f.start == 0 and f.end == len(token) and f.score >= 0.5 for f in found)


def test_a_bare_twilio_api_key_sid_counts_as_gitleaks_says() -> None:
    # gitleaks' `twilio-api-key`: `SK` and 32 hex digits, wherever it sits. A message SID stays.
    sid = "SK" + rnd(HEX, 32)
    line = f"rotated {sid} at 10:00"
    assert spans(line, FieldContext.of("message", FieldKind.TEXT)) == [sid]
    assert spans("SM" + rnd(HEX, 32), FieldContext.of("message", FieldKind.TEXT)) == []
