"""Token families and random tokens: every family of the table caught in log text and in a
neutral field, and the look-alikes of ordinary data (ids, hashes, digests, payloads) spared.

Every token here is synthetic: a documented prefix or shape around seeded random characters.
"""

from __future__ import annotations

import base64
import random
import re
import string

import pytest
import re2

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.credentials import CredentialDetector
from datamin.redactors.token_families import TABLE

DETECTOR = CredentialDetector()
_RNG = random.Random(11)
B62 = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
URLSAFE = B62 + "-_"
UPPER_DIGITS = string.ascii_uppercase + string.digits


def rnd(alphabet: str, n: int) -> str:
    """Random characters that mix every class the alphabet has (as real keys do)."""
    while True:
        s = "".join(_RNG.choice(alphabet) for _ in range(n))
        if alphabet != B62 or (
            re.search("[a-z]", s) and re.search("[A-Z]", s) and re.search("[0-9]", s)
        ):
            return s


def b64(n_bytes: int) -> str:
    return base64.b64encode(_RNG.randbytes(n_bytes)).decode()


DISCORD_ID = base64.urlsafe_b64encode(b"112233445566778899").decode().rstrip("=")

# (family, token, the span that must be found): one or more per row of the table.
POSITIVES = [
    ("aws_access_key_id", "AKIA" + rnd(UPPER_DIGITS, 16), None),
    ("aws_access_key_id", "ASIA" + rnd(UPPER_DIGITS, 16), None),
    (
        "aws_secret_after_key_id",
        "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    ("aws_session_token", "IQoJb3JpZ2luX2Vj" + b64(90), None),
    ("gcp_api_key", "AIza" + rnd(URLSAFE, 35), None),
    ("gcp_oauth_client_secret", "GOCSPX-" + rnd(URLSAFE, 28), None),
    ("gcp_oauth_access_token", "ya29." + rnd(URLSAFE, 120), None),
    (
        "azure_storage_account_key",
        "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey="
        + b64(64)
        + ";EndpointSuffix=core.windows.net",
        "<AccountKey>",
    ),
    ("azure_ad_client_secret", "abC8Q~" + rnd(B62 + "_~.-", 34), None),
    ("digitalocean", "dop_v1_" + rnd(HEX, 64), None),
    ("heroku", "HRKU-" + rnd(URLSAFE, 60), None),
    ("alibaba_access_key_id", "LTAI" + rnd(B62, 20), None),
    ("supabase", "sbp_" + rnd(HEX, 40), None),
    ("netlify", "nfp_" + rnd(B62, 36), None),
    ("terraform_cloud", rnd(B62, 14) + ".atlasv1." + rnd(URLSAFE, 67), None),
    ("pulumi", "pul-" + rnd(HEX, 40), None),
    ("planetscale", "pscale_pw_" + rnd(URLSAFE, 43), None),
    ("render", "rnd_" + rnd(B62, 32), None),
    ("prefect", "pnu_" + rnd(B62, 36), None),
    ("stripe_key", "sk_live_" + rnd(B62, 24), None),
    ("stripe_key", "rk_live_" + rnd(B62, 99), None),  # restricted key
    ("stripe_webhook_secret", "whsec_" + rnd(B62, 32), None),
    ("stripe_client_secret", "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_" + rnd(B62, 25), None),
    ("square", "sq0csp-" + rnd(URLSAFE, 43), None),
    ("square", "sq0atp-" + rnd(URLSAFE, 22), None),
    ("meta_app_access_token", "911602140448729|" + rnd(B62, 29) + "7Kq", None),
    ("meta_or_square_access_token", "EAAA" + rnd(URLSAFE, 60), None),
    (
        "braintree",
        "access_token$production$"
        + rnd("abcdefghijklmnopqrstuvwxyz0123456789", 16)
        + "$"
        + rnd(HEX, 32),
        None,
    ),
    ("adyen", "AQEyhmfxK" + rnd(B62, 20) + "." + rnd(B62, 50), None),
    ("flutterwave", "FLWSECK_TEST-" + rnd(HEX, 32) + "-X", None),
    ("plaid_access_token", "access-sandbox-de3ce8ef-33f8-452c-a685-8671031fc0f6", None),
    ("shippo", "shippo_live_" + rnd(HEX, 40), None),
    ("easypost", "EZAK" + rnd(B62, 54), None),
    ("github", "ghp_" + rnd(B62, 36), None),
    ("github", "ghs_" + rnd(B62, 36), None),  # app installation token
    ("github", "github_pat_11A" + rnd(B62 + "_", 79), None),  # fine-grained
    ("gitlab", "glpat-" + rnd(URLSAFE, 20), None),
    ("gitlab", "glrt-" + rnd(URLSAFE, 20), None),
    ("gitlab", "GR1348941" + rnd(URLSAFE, 20), None),
    ("atlassian", "ATATT3xFfGF0" + rnd(URLSAFE, 170), None),
    ("atlassian", "ATBB" + rnd(B62, 32), None),
    ("atlassian", "ATBB" + rnd(B62, 27), None),  # shorter, as trufflehog's tests write one
    ("slack_token", "xoxb-123456789012-1234567890123-" + rnd(B62, 24), None),
    ("slack_token", "xoxe.xoxp-1-" + rnd(B62, 60), None),
    (
        "slack_webhook",
        "https://hooks.slack.com/services/T00000000/B00000000/" + rnd(B62, 24),
        "<path>",
    ),
    (
        "discord_webhook",
        "https://discord.com/api/webhooks/112233445566778899/" + rnd(URLSAFE, 68),
        "<path>",
    ),
    ("discord_bot_token", DISCORD_ID + "." + rnd(URLSAFE, 6) + "." + rnd(URLSAFE, 27), None),
    ("telegram_bot_token", "123456789:AA" + rnd(URLSAFE, 33), None),
    (
        "teams_webhook",
        "https://acme.webhook.office.com/webhookb2/3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/"
        + rnd(HEX, 32)
        + "/3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f",
        "<path>",
    ),
    (
        "zapier_webhook",
        "https://hooks.zapier.com/hooks/catch/1234567/"
        + rnd("abcdefghijklmnopqrstuvwxyz0123456789", 7),
        "<path>",
    ),
    ("sendgrid", "SG." + rnd(URLSAFE, 22) + "." + rnd(URLSAFE, 43), None),
    ("mailgun", "key-" + rnd(HEX, 32), None),
    ("mailgun", rnd(HEX, 32) + "-" + rnd(HEX, 8) + "-" + rnd(HEX, 8), None),
    ("mailchimp", rnd(HEX, 32) + "-us14", None),
    ("brevo", "xkeysib-" + rnd(HEX, 64) + "-" + rnd(B62, 16), None),
    ("npm", "npm_" + rnd(B62, 36), None),
    ("pypi", "pypi-AgEIcHlwaS5vcmc" + rnd(URLSAFE, 70), None),
    ("docker_hub", "dckr_pat_" + rnd(URLSAFE, 27), None),
    ("rubygems", "rubygems_" + rnd(HEX, 48), None),
    ("nuget", "oy2" + rnd("abcdefghijklmnopqrstuvwxyz0123456789", 43), None),
    ("circleci", "CCIPAT_" + rnd(B62, 22) + "_" + rnd(HEX, 40), None),
    ("buildkite", "bkua_" + rnd(HEX, 40), None),
    ("sonarqube", "squ_" + rnd(B62, 40), None),
    ("jfrog", "AKCp" + rnd(B62, 69), None),
    ("new_relic", "NRAK-" + rnd(UPPER_DIGITS, 27), None),
    ("new_relic", rnd(HEX, 36) + "NRAL", None),
    ("sentry_token", "sntrys_" + rnd(B62, 80), None),
    ("sentry_dsn", "https://" + (dsn := rnd(HEX, 32)) + "@o123456.ingest.sentry.io/4504", dsn),
    ("grafana", "glc_" + rnd(B62, 60), None),
    ("grafana", "glsa_" + rnd(B62, 32) + "_" + rnd(HEX, 8), None),
    ("dynatrace", "dt0c01." + rnd(UPPER_DIGITS, 24) + "." + rnd(UPPER_DIGITS, 64), None),
    ("vault", "hvs." + rnd(URLSAFE, 90), None),
    ("vault", "hvb." + rnd(URLSAFE, 130), None),
    ("vault_legacy", "X-Vault-Token s." + (vt := rnd(B62, 24)) + " ok", "s." + vt),
    ("doppler", "dp.pt." + rnd(B62, 43), None),
    ("onepassword_service_account", "ops_eyJ" + rnd(URLSAFE, 120), None),
    ("age_secret_key", "AGE-SECRET-KEY-1" + rnd(UPPER_DIGITS, 58), None),
    ("openai", "sk-proj-" + rnd(URLSAFE, 74) + "T3BlbkFJ" + rnd(URLSAFE, 74), None),
    ("anthropic", "sk-ant-api03-" + rnd(URLSAFE, 93) + "AA", None),
    ("sk_dash_key", "sk-" + rnd(B62, 48), None),
    ("huggingface", "hf_" + rnd(string.ascii_letters, 34), None),
    ("replicate", "r8_" + rnd(B62, 37), None),
    ("groq", "gsk_" + rnd(B62, 52), None),
    ("xai", "xai-" + rnd(B62, 80), None),
    ("perplexity", "pplx-" + rnd(B62, 48), None),
    ("yandex_iam", "t1." + rnd(B62, 120) + "." + rnd(B62, 86), None),
    ("yandex_api_key", "AQVN" + rnd(B62, 36), None),
    ("yandex_oauth", "y0_" + rnd(B62, 58), None),
    ("langsmith", "lsv2_pt_" + rnd(HEX, 32) + "_" + rnd(HEX, 10), None),
    ("pinecone", "pcsk_" + rnd(B62, 60), None),
    ("elevenlabs", "sk_" + rnd(HEX, 48), None),
    ("shopify", "shpat_" + rnd(HEX, 32), None),
    ("linear", "lin_api_" + rnd(B62, 40), None),
    ("notion", "secret_" + rnd(B62, 43), None),
    ("notion", "ntn_" + rnd(B62, 46), None),
    ("postman", "PMAK-" + rnd(HEX, 24) + "-" + rnd(HEX, 34), None),
    ("okta", "Authorization: SSWS 00" + (ok := rnd(URLSAFE, 40)), "00" + ok),
    ("databricks", "dapi" + rnd(HEX, 32), None),
    ("airtable", "pat" + rnd(B62, 14) + "." + rnd(HEX, 64), None),
    ("figma", "figd_" + rnd(URLSAFE, 40), None),
    ("contentful", "CFPAT-" + rnd(URLSAFE, 43), None),
    ("typeform", "tfp_" + rnd(URLSAFE, 44), None),
    ("dropbox", "sl." + rnd(URLSAFE, 140), None),
    ("mapbox_secret", "sk.eyJ" + rnd(URLSAFE, 60) + "." + rnd(URLSAFE, 22), None),
    ("twitter_bearer", "AAAAAAAAAAAAAAAAAAAAA" + rnd(B62, 80), None),
    ("cli_user_password", "curl -u deploy:" + (pw := rnd(B62, 12)) + " https://api.test/", pw),
    ("cli_user_password", "curl --user=deploy:" + (pw2 := rnd(B62, 12)) + " https://x.test", pw2),
    (
        "login_password_flag",
        "docker login -u ci -p " + (pw3 := rnd(B62, 16)) + " registry.test",
        pw3,
    ),
    ("mysql_password_flag", "mysqldump -u root -p" + (pw4 := rnd(B62, 12)) + " app", pw4),
    (
        "authorization_line",
        "curl -H 'Authorization: token " + (gt := rnd(HEX, 40)) + "' https://x",
        "token " + gt,
    ),
]


def _expected(token: str, span: str | None) -> str:
    if span == "<AccountKey>":
        return token.split("AccountKey=")[1].split(";")[0]
    if span == "<path>":
        return (
            token.split("/services/")[-1]
            .split("/webhooks/")[-1]
            .split("/webhookb2/")[-1]
            .split("/catch/")[-1]
        )
    return span or token


def test_every_family_has_a_case() -> None:
    assert {row.family for row in TABLE} <= {family for family, _, _ in POSITIVES}


def test_every_row_compiles_with_re2() -> None:
    for row in TABLE:
        re2.compile(row.sign)
        re2.compile(row.pattern)
        assert 0.5 <= row.score <= 1.0 and row.source


@pytest.mark.parametrize(("family", "token", "span"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_family_caught_in_a_log_line(family: str, token: str, span: str | None) -> None:
    line = f"2026-12-04T15:11:51Z INFO job=deploy step=3 {token} done"
    expected = _expected(token, span)
    found = {
        line[f.start : f.end]
        for f in DETECTOR.detect(line, FieldContext.of("log", FieldKind.TEXT))
        if f.score >= 0.5
    }
    assert expected in found, family


@pytest.mark.parametrize(("family", "token", "span"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_family_caught_in_a_neutral_field(family: str, token: str, span: str | None) -> None:
    # `settings.value`: the field name says nothing; the token's own shape must.
    ctx = FieldContext(path="settings.value", kind=FieldKind.JSON, name="value")
    expected = _expected(token, span)
    found = [f for f in DETECTOR.detect(token, ctx) if f.score >= 0.5]
    assert any(
        token[f.start : f.end] == expected or (f.start, f.end) == (0, len(token)) for f in found
    ), family


# Random tokens of no known family -------------------------------------------------------------

GENERIC = [
    rnd(B62, 32),  # the least a neutral-field token needs: 32 mixed characters
    rnd(B62, 40),
    rnd(URLSAFE, 43) + "A1a",  # base64url, as many providers issue
    b64(48),  # 64 base64 characters of random bytes
    "tok_" + rnd(B62, 40),  # a prefix that says token
    # base64 whose `/` cuts off a short run of letters: random, not a path's words
    "wkxfrcghlAo7E4an7/KxcQOeunmKU+ryurFH/blx",
    "IOeS9FMnbm9tmZnPLlTaeaVf3vNiDrKmfDg/Rzjt",
]


# Judged whole in a field: a 40-character key without a digit (`+` and `/` are its third kind of
# character), and one whose first `/` cuts off three letters in mixed case, not a path's word.
FIELD_ONLY = [
    "krsvDkOCjRwdpDtGIBr+bK+/SHrypcyUDIjkXEEL",
    "Bkd/rBqAF9i4BNrHNV0pNWnKXVV5YaDI5W+nObkS",
]


@pytest.mark.parametrize("token", GENERIC + FIELD_ONLY)
def test_random_token_in_a_neutral_field_is_a_secret(token: str) -> None:
    for name, kind in (
        ("value", FieldKind.JSON),
        ("v", FieldKind.FORM),
        ("setting", FieldKind.QUERY),
    ):
        found = DETECTOR.detect(token, FieldContext(path=f"x.{name}", kind=kind, name=name))
        assert any(f.score >= 0.5 and (f.start, f.end) == (0, len(token)) for f in found)


@pytest.mark.parametrize("token", GENERIC)
def test_random_token_in_log_text_is_a_secret(token: str) -> None:
    line = f"configured upstream with {token} at boot"
    found = DETECTOR.detect(line, FieldContext.of("log", FieldKind.TEXT))
    assert any(f.score >= 0.5 and line[f.start : f.end] == token for f in found)


# Name/value pair structures: the walker gives the value the pair's name; by-location fires.
@pytest.mark.parametrize(
    ("name", "kind", "value", "entity"),
    [
        ("token", FieldKind.JSON, "abc123", "SECRET"),  # {"name": "token", "value": "abc123"}
        ("api_key", FieldKind.FORM, "k-42", "SECRET"),  # Key=API_KEY&Value=k-42
        ("password", FieldKind.JSON, "hunter2", "PASSWORD"),
        ("client_secret", FieldKind.FORM, "s3cr3t", "SECRET"),
        ("authorization", FieldKind.JSON, "Bearer abc", "BEARER_TOKEN"),  # a header-like array
        ("x-api-key", FieldKind.JSON, "k-42", "SECRET"),
    ],
)
def test_pair_names_fire_by_location(name: str, kind: FieldKind, value: str, entity: str) -> None:
    ctx = FieldContext(path="settings[0].value", kind=kind, name=name)
    assert any(f.entity == entity and f.score >= 0.5 for f in DETECTOR.detect(value, ctx))


# Look-alikes: ordinary values that share a length, alphabet or prefix with a credential. Each
# must survive in a neutral field and in a log line (no finding at redact_only's 0.5).
LOOK_ALIKES = [
    *(str(__import__("uuid").UUID(int=_RNG.getrandbits(128))) for _ in range(5)),  # UUIDs
    *(rnd(HEX, 32) for _ in range(3)),  # request and trace ids, MD5s
    *(rnd(HEX, 40) for _ in range(5)),  # git commit shas
    *(rnd(HEX, 64) for _ in range(5)),  # sha256 digests
    *("sha256:" + rnd(HEX, 64) for _ in range(3)),  # container image digests
    *(rnd(HEX, 24) for _ in range(4)),  # Mongo ObjectIds
    *(rnd("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 26) for _ in range(5)),  # ULIDs
    *(rnd(B62, 27) for _ in range(5)),  # KSUIDs: random but 27 characters
    *("cus_" + rnd(B62, 14) for _ in range(3)),  # Stripe object ids are not secrets
    *("pi_" + rnd(B62, 24) for _ in range(3)),
    *("ch_" + rnd(B62, 24) for _ in range(3)),
    *("cs_test_" + rnd(B62, 58) for _ in range(3)),  # Checkout session ids, long
    *("evt_" + rnd(B62, 24) for _ in range(2)),
    *("txn_" + rnd(B62, 32) for _ in range(2)),
    *("SM" + rnd(HEX, 32) for _ in range(3)),  # Twilio message SIDs
    *("MM" + rnd(HEX, 32) for _ in range(2)),
    *("CA" + rnd(HEX, 32) for _ in range(2)),  # Twilio call SIDs
    *("00-" + rnd(HEX, 32) + "-" + rnd(HEX, 16) + "-01" for _ in range(3)),  # traceparent
    *("1-" + rnd(HEX, 8) + "-" + rnd(HEX, 24) for _ in range(2)),  # X-Amzn-Trace-Id root
    *(rnd(string.digits, 19) for _ in range(3)),  # snowflake ids
    *(rnd(UPPER_DIGITS, 20) for _ in range(3)),  # upper-case reference codes
    *(rnd(string.ascii_lowercase + string.digits, 32) for _ in range(3)),  # lower-case ids
    *(
        base64.b64encode(t.encode()).decode()
        for t in (  # base64 payloads of text
            '{"user":"42","role":"viewer"}',
            "hello world from the import job",
            "page=2&size=50&sort=desc",
            '{"cursor":"abc","limit":100,"offset":200}',
            "application/vnd.api+json; charset=utf-8",
        )
    ),
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==",
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
    "MyApplicationProductionEnvironment2024",  # camelCase words
    "OrderServiceControllerV2ImplementationFactory",
    "UserProfileSettingsPageComponent42",
    "com.example.payments.CheckoutController",
    "/var/lib/docker/overlay2/" + rnd(HEX, 64) + "/merged",
    "/api/v1/orders/ORD-2024-000123/items",
    "src/main/java/com/example/AbstractTokenRepository2.java",
    "https://cdn.example.com/assets/app-" + rnd(HEX, 20) + ".js",
    "https://api.example.com/v2/customers/cus_" + rnd(B62, 14),
    "2024-01-15T10:30:00.123456789Z",
    "2026-12-04T15:11:51+01:00",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    '"33a64df551425fcc55e4d42a148795d9f25f89d4"',  # ETag
    'W/"0815-' + rnd(HEX, 20) + '"',
    "ORD-2024-000123",
    "SKU-88412-BLK-XL",
    "INV-2024-11-000981",
    "v2.31.0-rc.1+build.20240115",
    "en-US,en;q=0.9,fr;q=0.8",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
    "sha512-" + b64(64)[:86] + "==",  # npm integrity: a digest
    "md5:" + rnd(HEX, 32),
    "GA1.2.1234567890.1234567890",
    "arn:aws:iam::123456789012:role/DeployRole",
    "projects/acme-prod/locations/us-central1/keyRings/ring1",
    "user_2Nq8xJ4bVtYkFzD3hWmPc9Lr",  # Clerk-style user id: a prefix word
    "acct_1032D82eZvKYlo2C",
    "prod_NWjs8kKbJWmuuc",
    "price_1MoBy5LkdIwHu7ixZhnattbh",
    "sub_1MowQVLkdIwHu7ixeRlqHVzs",
    "in_1MtHbELkdIwHu7ixl4OzzPMv",
    "re_3MtwBwLkdIwHu7ix0bpk4Jxk",
    "seti_1Mm8s8LkdIwHu7ix0OXBfTRG",
    "file_1Mr4LDLkdIwHu7ixFCz0dZiH",
    "msg_01XFDUDYJgAACzvnptvVoYEL",  # Anthropic message id
    "chatcmpl-" + rnd(B62, 29),  # OpenAI completion id
    "run_" + rnd(B62, 24),
    "asst_" + rnd(B62, 24),
    "req_" + rnd(B62, 24),
    "order_" + rnd(B62, 32),
    "sess-" + rnd(B62, 20),
    "i-0a1b2c3d4e5f67890",  # EC2 instance id
    "vpc-0a1b2c3d4e5f67890",
    "sg-0123456789abcdef0",
    "ami-0abcdef1234567890",
    "E2QWRUHAPOMQZL",  # CloudFront distribution id
    "us-east-1:" + str(__import__("uuid").UUID(int=_RNG.getrandbits(128))),
    "1.2.840.113549.1.1.11",  # an OID
    "+14155550123",
    "4111-XXXX-XXXX-1111",
    "AKIAIOSFODNN7EXAMP",  # too short for an AWS key id
    "ghp_short",
    "sk-this-is-a-very-long-article-slug-without-digits",
    "skeleton-loading-placeholder-2024",
    "s.example.com",
    "hf_hub_download_cache_dir",
    "npm_config_registry",
    "glpat-short",
    "key-value-store-v2",
    "secret_santa_2024_gift_list",
    "y1_sales_report_final_2024_q3_summary_v2_long_name_for_test",  # snake case, one case
    "y1_QuarterlyReport_Final_Version_Approved_ByFinance_2024Q3.xlsx",  # words glued together
    "AQVNet-Ltd-Company-Registration-Number-0042",
    "AQVN_customer_onboarding_workflow_step_one",
    "part1." + "a" * 90,
    "t1.large." + "a" * 90,  # a dotted name, no random part
    "token-bucket-rate-limiter",
    "NRAK-SHORT",
    "dapi-endpoint-config",
    "xoxo-goodbye",
    "access-control-allow-origin",
    "PMAK-notes",
    "lin_api_docs",
    "r8_model_version",
    "gsk_config",
    "EAAA-2024",
    "12345:AAbc",
    "mysql -u root -p mydb_prod",  # `-p` alone prompts; `mydb_prod` is a database
    "mkdir -p /tmp/build",
    "ssh -p 2222 deploy@host",
    "docker run -p 8080:80 nginx",
    "sort -u names.txt",
    "Authorization: required for all endpoints",
    "authorization: failed for user",
    "SharedAccessKeyName=RootManageSharedAccessKey",
    # paths with a hash in them: their words sit where a path puts them
    "lib/Ab3xK9qLm2Np4Rs7Tv8Wx1Yz5Bc6De0Fg",
    "Ab3xK9qLm2Np4Rs7Tv8Wx1Yz5Bc6De0Fg/download",
    "cache/Ab3xK9qLm2Np4Rs7Tv8Wx1Yz5Bc6De0Fg/objects",
    "Users/Ab3xK9qLm2Np4Rs7Tv8Wx1Yz5Bc6De0Fg",  # a first word of five letters in any case
    # letters and `/` without a digit: a path of CamelCase names, not a key
    "Services/PaymentGateway/CheckoutHandler",
    # a record's number and a slug after a `|`: no app's secret has no digit
    "123456789012345|customer-onboarding-complete",
]


def test_the_look_alike_table_is_large() -> None:
    assert len(LOOK_ALIKES) >= 100


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_look_alike_survives_in_a_neutral_field(value: str) -> None:
    ctx = FieldContext(path="settings.note", kind=FieldKind.JSON, name="note")
    assert [f for f in DETECTOR.detect(value, ctx) if f.score >= 0.5] == []


@pytest.mark.parametrize(
    ("value", "name", "secret"),
    [
        # A whole 32, 40 or 64 hex digits where the name only says "the value of a setting" is
        # a key as often as a hash (Twilio's auth token, Datadog's keys are bare hex): it goes.
        ("3c7fa94e81dfc2592bf1ae76488f7e1b", "value", True),
        ("a74de789aba712af215c975d93b053f24f59d9b9", "data", True),
        ("75e68b92a1428e09f60bed1602fe29474f8bf86d8b6c9ab08b4453cfaba173ca", "config", True),
        # Where the name says what it holds, a hash stays: a checksum, a commit, a build, an id.
        ("a74de789aba712af215c975d93b053f24f59d9b9", "checksum", False),
        ("a74de789aba712af215c975d93b053f24f59d9b9", "commit", False),
        ("a74de789aba712af215c975d93b053f24f59d9b9", "build", False),
        ("3c7fa94e81dfc2592bf1ae76488f7e1b", "request_id", False),
        # Other lengths and mixed case are no key's hex.
        ("3c7fa94e81dfc2592bf1ae76488f7e1", "value", False),
        ("3c7fa94e81dfc2592BF1AE76488f7e1b", "value", False),
        # Random letters and digits of one case, as secret scanners write keys of a family
        # whose keyword is missing (`[a-z0-9]{32}`), go too, from 20 characters.
        ("nsfwqsyondv7icgvmc2y6rwmg26i80dw", "value", True),
        ("sxgghn9pcbeaioerirgxtav1u65wn8qi52taqt00", "data", True),
        ("DXFAG3MUE7H9TUPW2RGZJ", "config", True),
        ("nsfwqsyondv7icgvmc2y6rwmg26i80dw", "region", False),  # a name that says something
        # Ids and names of one case stay: an ObjectId, a ULID, a slug, words and a year.
        ("507f1f77bcf86cd799439011", "value", False),
        ("01ARZ3NDEKTSV4RRFFQ69G5FAV", "value", False),
        ("order-2024-11-confirmation-email-v2", "value", False),
        ("us-east-1-prod-cluster-2024-node-17", "value", False),
        ("productionreadonlyuser2024", "value", False),
        ("nsfwqsyondv7icg", "value", False),  # shorter than any key this reads
    ],
)
def test_a_bare_key_in_a_settings_container_is_a_secret(
    value: str, name: str, secret: bool
) -> None:
    ctx = FieldContext(path=f"settings.{name}", kind=FieldKind.JSON, name=name)
    found = [f for f in DETECTOR.detect(value, ctx) if f.score >= 0.5]
    assert [f.entity for f in found] == (["SECRET"] if secret else [])


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_look_alike_survives_in_a_log_line(value: str) -> None:
    line = f"2026-12-04T15:11:51Z INFO handled {value} in 37 ms"
    assert [
        f for f in DETECTOR.detect(line, FieldContext.of("log", FieldKind.TEXT)) if f.score >= 0.5
    ] == []


# Names that say id, hash, cursor or public key: a random value under them stays.
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("x-amz-id-2", FieldKind.HEADER),  # S3's extended request id
        ("x-amz-cf-id", FieldKind.HEADER),
        ("x-ms-client-request-id", FieldKind.HEADER),
        ("requestId", FieldKind.JSON),
        ("content-md5", FieldKind.HEADER),
        ("x-amz-checksum-sha256", FieldKind.HEADER),
        ("etag", FieldKind.JSON),
        ("next_page", FieldKind.JSON),  # an opaque pagination cursor
        ("cursor", FieldKind.QUERY),
        ("x", FieldKind.JSON),  # a JWK's public coordinate
        ("publicKey", FieldKind.JSON),
        ("integrity", FieldKind.JSON),
        ("code_challenge", FieldKind.QUERY),  # a PKCE hash; the verifier is the secret
        ("state", FieldKind.QUERY),
    ],
)
def test_random_value_under_an_id_or_hash_name_stays(name: str, kind: FieldKind) -> None:
    ctx = FieldContext(path=f"x.{name}", kind=kind, name=name.lower())
    assert [f for f in DETECTOR.detect(GENERIC[1], ctx) if f.score >= 0.5] == []


# Log and CI lines full of hashes, ids and paths, with no secret in them.
@pytest.mark.parametrize(
    "line",
    [
        '10.0.0.1 - - [04/Dec/2026:15:11:51 +0000] "GET /static/js/main.8f3a2b1c.chunk.js" 200',
        "Pulling registry.gitlab.com/acme/api@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba"
        "873c2f11161202b945",
        "I1204 15:11:51.123456 1 controller.go:123] pod default/api-7d9f8c6b5-x2x4z uid=3f2b8c1e-"
        "9d4a-4e5b-8c7d-1a2b3c4d5e6f",
        "Run actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11",
        "s3://acme-lake/raw/2026/12/04/part-00000-5f3c2a1b-7e8d-4c6b-9a0f-1e2d3c4b5a69-c000.parquet",
        "integrity sha512-Fs4sVdYzM3YQm5qiZJtzsK1e6s3hPW0MYHzGFaoXv8j6sYVvcZRa7ZaC1ciwWvJfDr4SOmy9"
        "aKzZ0aXJL+Y1fw==",
        "java.lang.NullPointerException at com.acme.payments.CheckoutServiceImpl.processPaymentInte"
        "ntConfirmation(CheckoutServiceImpl.java:412)",
        "traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "event=checkout.session.completed id=cs_live_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456789"
        "AbCdEfGhIjKlMn",
        "X-Amz-Cf-Id: Gx8bqc3O0U9J1e8bYyFzWSn8iZtqXrU2b9NfUdWKyJtV2Kcs1pC7Vg==",  # a request id
        "using cache key Linux-node-modules-3f8e6c9a1b2d4e5f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f",
        "https://files.pythonhosted.org/packages/3a/b4/7fd0b2cdd8a2fdb06a9e3a8f0a9b8e7c6d5f4a3b2c1d0"
        "e9f8a7b6c5d4e3f2a1b/requests-2.31.0-py3-none-any.whl",
    ],
)
def test_ci_and_log_lines_without_secrets_stay(line: str) -> None:
    found = DETECTOR.detect(line, FieldContext.of("log", FieldKind.TEXT))
    assert [f for f in found if f.score >= 0.5] == []


def test_a_discord_token_whose_id_part_is_no_snowflake_is_still_one() -> None:
    """Validation raises confidence, it does not veto: the three-part shape (base64 id, six
    characters of time, an HMAC) is a bot token's whether or not its first part decodes to a
    user id, as in scanners' own test tokens."""
    forged = "OTUyNED5MDk2MTMxNzc2MkEz" + "." + rnd(URLSAFE, 6) + "." + rnd(URLSAFE, 27)
    line = f"bot started with {forged} ok"
    found = DETECTOR.detect(line, FieldContext.of("log", FieldKind.TEXT))
    scores = {line[f.start : f.end]: f.score for f in found}
    assert scores.get(forged) == 0.75
    valid = DISCORD_ID + "." + rnd(URLSAFE, 6) + "." + rnd(URLSAFE, 27)
    assert {f.score for f in DETECTOR.detect(valid, FieldContext.of("log", FieldKind.TEXT))} >= {
        0.95
    }
