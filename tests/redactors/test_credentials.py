"""CredentialDetector: secrets found by where they sit and by their shape, and the ordinary values
that share a name or a look with them."""

from __future__ import annotations

import base64
import json
import logging
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.credentials import CredentialDetector
from datamin.redactors.entities import CREDENTIALS

TEXT = FieldKind.TEXT
JSON = FieldKind.JSON
QUERY = FieldKind.QUERY
FORM = FieldKind.FORM
HEADER = FieldKind.HEADER
COOKIE = FieldKind.COOKIE
URL = FieldKind.URL

DETECTOR = CredentialDetector()

OPENSSH_KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----"
)


def b64url(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


JWT = f"{b64url({'alg': 'HS256', 'typ': 'JWT'})}.{b64url({'sub': '42', 'iat': 1})}.c2lnbmF0dXJl"
BASIC = base64.b64encode(b"alice:s3cret!").decode()  # YWxpY2U6czNjcmV0IQ==
UUID = "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f"
RANDOM = "aB3dE5fG7hJ9kL1mN0pQ"  # 20 chars, mixed classes
HEX32 = "0123456789abcdef" * 2
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n"
PEM = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}-----END RSA PRIVATE KEY-----"


def spans(text: str, path: str = "body", kind: FieldKind = TEXT) -> list[tuple[str, str]]:
    """(entity, matched text) for each finding."""
    findings = DETECTOR.detect(text, FieldContext.of(path, kind))
    return [(f.entity, text[f.start : f.end]) for f in findings]


# By location: (value, field path, kind, entity, expected span) --------------------------------

BY_LOCATION = [
    # Authorization headers: the whole value, typed by its scheme.
    (f"Bearer {JWT}", "request.headers.authorization", HEADER, "BEARER_TOKEN", f"Bearer {JWT}"),
    ("Bearer abc", "request.headers.authorization", HEADER, "BEARER_TOKEN", "Bearer abc"),
    (f"Basic {BASIC}", "request.headers.authorization", HEADER, "BASIC_AUTH", f"Basic {BASIC}"),
    (
        f"Basic {BASIC}",
        "request.headers.proxy-authorization",
        HEADER,
        "BASIC_AUTH",
        f"Basic {BASIC}",
    ),
    (
        'Digest username="a", response="6629fae4"',
        "request.headers.authorization",
        HEADER,
        "SECRET",
        'Digest username="a", response="6629fae4"',
    ),
    (
        "AWS4-HMAC-SHA256 Credential=x",
        "request.headers.Authorization",
        HEADER,
        "SECRET",
        "AWS4-HMAC-SHA256 Credential=x",
    ),
    (
        "Bearer abc",
        "request.body.headers.authorization",
        JSON,
        "BEARER_TOKEN",
        "Bearer abc",
    ),  # a logged headers object
    # Credential headers: whatever they hold.
    ("k-123", "request.headers.x-api-key", HEADER, "SECRET", "k-123"),
    ("k-123", "request.headers.api-key", HEADER, "SECRET", "k-123"),
    ("t", "request.headers.x-auth-token", HEADER, "SECRET", "t"),
    ("t", "request.headers.x-access-token", HEADER, "SECRET", "t"),
    # Vendors' key headers without a credential's word in their names.
    ("AKC-123", "request.headers.X-JFrog-Art-Api", HEADER, "SECRET", "AKC-123"),
    ("hc-123", "request.headers.X-Honeycomb-Team", HEADER, "SECRET", "hc-123"),
    ("t", "request.headers.x-csrf-token", HEADER, "SECRET", "t"),
    ("t", "request.headers.X-XSRF-TOKEN", HEADER, "SECRET", "t"),
    (
        "FwoGZXIvYXdzEJr",
        "request.headers.x-amz-security-token",
        HEADER,
        "SECRET",
        "FwoGZXIvYXdzEJr",
    ),
    # Parameter and JSON names, compared without case, `-` or `_`.
    ("hunter2", "request.body.password", JSON, "PASSWORD", "hunter2"),
    ("hunter2", "request.body.user.newPassword", JSON, "PASSWORD", "hunter2"),
    ("hunter2", "request.body.passwd", FORM, "PASSWORD", "hunter2"),
    ("hunter2", "request.query.pwd", QUERY, "PASSWORD", "hunter2"),
    ("hunter2", "request.body.pass", FORM, "PASSWORD", "hunter2"),
    (" hunter2 ", "request.body.password", JSON, "PASSWORD", " hunter2 "),  # spaces are in it
    ("s3cr3t", "request.body.client_secret", FORM, "SECRET", "s3cr3t"),
    ("s3cr3t", "request.body.secret", JSON, "SECRET", "s3cr3t"),
    ("abc", "request.body.token", JSON, "SECRET", "abc"),
    ("abc", "request.body.access_token", JSON, "SECRET", "abc"),
    ("abc", "request.body.refresh-token", JSON, "SECRET", "abc"),
    ("abc", "request.body.id_token", JSON, "SECRET", "abc"),
    ("abc", "request.query.api_key", QUERY, "SECRET", "abc"),
    ("abc", "request.query.apiKey", QUERY, "SECRET", "abc"),
    ("abc", "request.body.auth", JSON, "SECRET", "abc"),
    ("abc", "request.body.credentials", JSON, "SECRET", "abc"),
    ("abc", "request.body.private_key", JSON, "SECRET", "abc"),
    ("abc", "request.body.csrf", FORM, "SECRET", "abc"),
    ("abc", "request.body.csrfmiddlewaretoken", FORM, "SECRET", "abc"),
    ("abc", "request.query.X-Amz-Signature", QUERY, "SECRET", "abc"),
    ("abc", "request.query.session", QUERY, "SESSION_ID", "abc"),
    ("abc", "request.query.sessionid", QUERY, "SESSION_ID", "abc"),
    ("abc", "request.query.session_id", QUERY, "SESSION_ID", "abc"),
    ("abc", "request.query.jsessionid", QUERY, "SESSION_ID", "abc"),
    ("abc", "request.body.PHPSESSID", FORM, "SESSION_ID", "abc"),
    # Cookies: session-ish names, and random-looking values whatever the name.
    ("abc", "request.cookies.sid", COOKIE, "SESSION_ID", "abc"),
    ("abc", "request.cookies.connect.sid", COOKIE, "SESSION_ID", "abc"),
    # Signs a person picks, under any name with a credential's word (detect-secrets' keyword
    # plugin's cases): a password with no digit is still one.
    ("A,.:-¨@*¿?!", "request.body.secrete", JSON, "SECRET", "A,.:-¨@*¿?!"),
    (
        "m{{h}o)p${e]nob(ody[finds}}",
        "config.apikey_myservice",
        JSON,
        "SECRET",
        "m{{h}o)p${e]nob(ody[finds}}",
    ),
    # A name ending in `sid`, as Google's sign-in cookies are (`HSID`, `SSID`, `APISID`): a
    # value of letters alone, as theirs often are, is no less a session's.
    ("AOiDlkphfGSlvWKsu", "request.cookies.HSID", COOKIE, "SESSION_ID", "AOiDlkphfGSlvWKsu"),
    (
        "AOiDlkphfGSlvWKsu",
        "request.cookies.__Secure-3PSID",
        COOKIE,
        "SESSION_ID",
        "AOiDlkphfGSlvWKsu",
    ),
    ("abc", "request.cookies.laravel_session", COOKIE, "SESSION_ID", "abc"),
    ("abc", "request.cookies.__Host-next-auth.session-token", COOKIE, "SESSION_ID", "abc"),
    ("abc", "request.cookies.remember_user_token", COOKIE, "SESSION_ID", "abc"),
    (RANDOM, "request.cookies.x9", COOKIE, "SESSION_ID", RANDOM),
    (UUID, "request.cookies.device", COOKIE, "SESSION_ID", UUID),
    # A `*token*`, `*secret*` or `*key*` name holding a random-looking value.
    (RANDOM, "request.body.upload_key", JSON, "SECRET", RANDOM),
    (RANDOM, "request.body.stripeSigningKey", JSON, "SECRET", RANDOM),
    # Well-known formats that need their name to be told apart.
    (
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "request.body.aws_secret_access_key",
        JSON,
        "API_KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    ("SK" + HEX32, "request.body.api_key_sid", JSON, "API_KEY", "SK" + HEX32),  # Twilio API key
    # A password's and a secret's names in the languages fields are labelled in.
    ("Tr0ub4dor", "request.form.contraseña", FORM, "PASSWORD", "Tr0ub4dor"),
    ("Tr0ub4dor", "request.body.usuario.mot_de_passe", JSON, "PASSWORD", "Tr0ub4dor"),
    ("Tr0ub4dor", "request.body.Kennwort", JSON, "PASSWORD", "Tr0ub4dor"),
    ("Tr0ub4dor", "request.body.login.senha", JSON, "PASSWORD", "Tr0ub4dor"),
    ("Tr0ub4dor", "request.body.hasło", JSON, "PASSWORD", "Tr0ub4dor"),
    ("Tr0ub4dor", "request.body.パスワード", JSON, "PASSWORD", "Tr0ub4dor"),
    ("Tr0ub4dor", "request.body.пароль", JSON, "PASSWORD", "Tr0ub4dor"),
    (RANDOM, "request.body.clave_api", JSON, "SECRET", RANDOM),
    (RANDOM, "request.body.API-Schlüssel", JSON, "SECRET", RANDOM),
    (RANDOM, "request.body.jeton", JSON, "SECRET", RANDOM),
    # A payment card's security code: digits PCI DSS forbids storing after authorization.
    ("123", "request.body.card.cvc", JSON, "PASSWORD", "123"),
    ("4567", "request.body.payment_method.card.cvv2", JSON, "PASSWORD", "4567"),
    ("321", "request.form.card.security_code", FORM, "PASSWORD", "321"),  # card[security_code]
    ("999", "request.body.creditCard.cardCode", JSON, "PASSWORD", "999"),  # Authorize.net
    ("111", "request.body.csc", JSON, "PASSWORD", "111"),
    ("222", "request.query.card_cvn", QUERY, "PASSWORD", "222"),
    ("cvv=123 declined", "log", TEXT, "PASSWORD", "123"),
]


@pytest.mark.parametrize(("text", "path", "kind", "entity", "expected"), BY_LOCATION)
def test_finds_by_location(
    text: str, path: str, kind: FieldKind, entity: str, expected: str
) -> None:
    assert (entity, expected) in spans(text, path, kind)


# Cookie headers: one finding per qualifying cookie value, never the attributes.
@pytest.mark.parametrize(
    ("header", "path", "expected"),
    [
        ("theme=dark; sessionid=abc123; lang=en", "request.headers.cookie", ["abc123"]),
        (f"_ga=GA1.2.1234567890.1234567890; x={RANDOM}", "request.headers.cookie", [RANDOM]),
        ('csrftoken="q1w2e3"', "request.headers.Cookie", ["q1w2e3"]),  # quotes are not the value
        ("theme=dark; lang=en", "request.headers.cookie", []),  # harmless cookies stay
        ("sid=; theme=dark", "request.headers.cookie", []),  # an empty value is nothing
        ("sid=abc123; Path=/; HttpOnly", "response.headers.set-cookie", ["abc123"]),
        ("theme=dark; Max-Age=0; Path=/", "response.headers.set-cookie", []),
        ("sid=a,b; Secure", "response.headers.set-cookie", ["a,b"]),  # a comma in the value
        # Two Set-Cookie headers folded into one value; `Expires` holds a comma too.
        (
            "sid=abc; Expires=Wed, 21 Oct 2015 07:28:00 GMT, auth_token=xyz; Path=/",
            "response.headers.set-cookie",
            ["abc", "xyz"],
        ),
        ("sid=abc\ntheme=dark\nsession=def; Path=/", "response.headers.set-cookie", ["abc", "def"]),
        # Cookie headers joined as a log joins any header's values (Kong logs HTTP/2's one
        # header a cookie as a list): a cookie's value holds no comma, a `,` before a name ends it.
        (f"theme=dark, connect.sid=s%3A{RANDOM}", "request.headers.cookie", [f"s%3A{RANDOM}"]),
        ("theme=dark,\nsid=abc", "request.headers.cookie", ["abc"]),
        ("prefs=a,b; sid=abc", "request.headers.cookie", ["abc"]),  # `a,b`: no name after it
    ],
)
def test_cookie_headers_give_value_spans(header: str, path: str, expected: list[str]) -> None:
    assert spans(header, path, HEADER) == [("SESSION_ID", value) for value in expected]


# A cookie header logged under a name of the log's own, its header's name last (Traefik's
# `request_Cookie` and `downstream_Set-Cookie` held an Express session in a gateway review).
@pytest.mark.parametrize(
    ("header", "path", "expected"),
    [
        (f"connect.sid=s%3A{RANDOM}", "request_Cookie", [f"s%3A{RANDOM}"]),
        (f"connect.sid=s%3A{RANDOM}; Path=/", "downstream_Set-Cookie", [f"s%3A{RANDOM}"]),
        ("theme=dark; sid=abc", "http_cookie", ["abc"]),
        ("theme=dark; sid=abc", "log.req_cookies", ["abc"]),
        ("theme=dark; lang=en-GB; _ga=GA1.2.1234567890.1234567890", "request_Cookie", []),
        # Not a header's value: no `name=`, a flag, or a name that is no header's.
        ("You will travel far", "fortune_cookie", []),
        ("true", "accept_cookies", []),
        ("analytics=1; ads=0", "cookie_consent", []),
    ],
)
def test_a_cookie_header_under_a_logs_name_is_read_as_one(
    header: str, path: str, expected: list[str]
) -> None:
    assert spans(header, path, JSON) == [("SESSION_ID", value) for value in expected]


def test_a_session_cookies_name_still_names_its_whole_value() -> None:
    assert spans("abcdef123", "session_cookie", JSON) == [("SESSION_ID", "abcdef123")]


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ("", "request.body.password", JSON),  # empty values produce no finding
        ("   ", "request.body.password", JSON),
        ("null", "request.body.token", JSON),  # a JSON literal is no secret
        ("abc", "request.query.sid", QUERY),  # `sid` is a session only as a cookie name
        ("SM" + HEX32, "request.body.MessageSid", FORM),  # Twilio message SID: an id
        ("SM" + HEX32, "request.body.message_sid", JSON),
        # Twilio's Account SID is an account's public name, in every Twilio URL.
        ("AC" + HEX32, "request.body.AccountSid", FORM),
        ("AC" + HEX32, "account_sid", JSON),
        ("Bearer", "response.body.token_type", JSON),  # OAuth token type
        ("256", "request.body.max_tokens", JSON),  # a count
        ("1234", "response.body.usage.total_tokens", JSON),
        ("monkey business", "request.body.keyword", JSON),
        (RANDOM, "request.body.monkey", JSON),  # `key` inside a word
        (RANDOM, "request.body.api_key_id", JSON),  # the name of a key, not the key
        (UUID, "request.headers.idempotency-key", HEADER),  # a retry token, not a credential
        ("small", "request.body.upload_key", JSON),  # not random-looking
        # Program's text under a `key` name: a dotted message key, a JSONPath, a pattern.
        ("checkout.errors.card-declined", "response.body.message_key", JSON),
        ("$.data[*].id", "request.body.key_path", JSON),
        ("^[a-z0-9_]+$", "request.body.key_pattern", JSON),
        ("ctrl+shift+k", "settings.key", JSON),  # a key chord
        ("*.orange.*", "queue.binding_key", JSON),  # a broker's binding pattern
        ("repo,user,gist", "response.headers.x-oauth-scopes", HEADER),  # a list of words
        ("%Y-%m-%dT%H:%M:%S", "log.timestamp_key", JSON),  # a format
        ("{tenant}-{env}-{id}", "cache.key_template", JSON),  # placeholders
        ("dark", "request.cookies.theme", COOKIE),
        ("en", "request.cookies.lang", COOKIE),
        ("GA1.2.1234567890.1234567890", "request.cookies._ga", COOKIE),  # analytics id
        ("true", "request.cookies.sidebar_collapsed", COOKIE),  # `sid` inside a word
        ("0", "request.cookies._uetsid", COOKIE),  # a flag under a name ending in `sid`
        ("hunter2", "request.body.password", TEXT),  # names mean nothing in free text
        ("hunter2", "response.status", FieldKind.META),
        ("application/json", "request.headers.content-type", HEADER),
        (USER_AGENT, "request.headers.user-agent", HEADER),
        ("max-age=0", "response.headers.cache-control", HEADER),
        ("en-US,en;q=0.9", "request.headers.accept-language", HEADER),
        (UUID, "request.headers.x-request-id", HEADER),
        ("ORD-2024-000123", "request.body.order_id", JSON),
        ("SKU-88412-BLK", "request.body.sku", JSON),
        ("2.31.0", "request.body.version", JSON),
        ("2024-01-15T10:30:00Z", "request.body.created_at", JSON),
        ("19.99", "request.body.price", JSON),
        ("pass", "response.body.card.checks.cvc_check", JSON),  # a check's outcome, not the code
        ("unavailable", "response.body.cvv_result", JSON),
    ],
)
def test_leaves_alone_by_location(text: str, path: str, kind: FieldKind) -> None:
    assert spans(text, path, kind) == []


# By shape, anywhere: (text, entity, expected span) ---------------------------------------------

BY_SHAPE = [
    (f"token {JWT} expired", "JWT", JWT),
    (f"https://app.test/cb#id_token={JWT}&state=1", "JWT", JWT),  # in a URL fragment
    ("curl -H 'Authorization: Bearer abcdef123456'", "BEARER_TOKEN", "abcdef123456"),
    ("bearer Zm9vYmFyYmF6cXV4", "BEARER_TOKEN", "Zm9vYmFyYmF6cXV4"),
    (f"Authorization: Basic {BASIC}", "BASIC_AUTH", BASIC),
    (f"use basic {BASIC} here", "BASIC_AUTH", BASIC),
    (f"key:\n{PEM}\nend", "PRIVATE_KEY", PEM),
    (
        OPENSSH_KEY,
        "PRIVATE_KEY",
        OPENSSH_KEY,
    ),
    (
        '{"key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\\n"}',
        "PRIVATE_KEY",
        "-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----",
    ),
    # Cut off before its END line (a truncated log): the rest of the body goes too.
    (
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk",
        "PRIVATE_KEY",
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk",
    ),
    ("id AKIAIOSFODNN7EXAMPLE", "API_KEY", "AKIAIOSFODNN7EXAMPLE"),  # AWS access key id
    ("ASIAY34FZKBOKMUTVV7A", "API_KEY", "ASIAY34FZKBOKMUTVV7A"),  # AWS temporary key id
    (
        "https://maps.test/js?key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
        "API_KEY",
        "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    ),
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "API_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),  # Stripe
    ("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "API_KEY", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
    ("rk_live_4eC39HqLyjWDarjtT1zdp7dc", "API_KEY", "rk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("pk_live_4eC39HqLyjWDarjtT1zdp7dc", "API_KEY", "pk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("whsec_4eC39HqLyjWDarjtT1zdp7dc", "API_KEY", "whsec_4eC39HqLyjWDarjtT1zdp7dc"),
    ("git clone https://ghp_" + "A1b2" * 9 + "@github.com/o/r", "API_KEY", "ghp_" + "A1b2" * 9),
    ("gho_" + "A1b2" * 9, "API_KEY", "gho_" + "A1b2" * 9),
    (
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv",
        "API_KEY",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv",
    ),
    (
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "API_KEY",
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    ),
    ("xoxp-1234567890-abcdefghij", "API_KEY", "xoxp-1234567890-abcdefghij"),
    ("xapp-1-A0123456789-0123456789", "API_KEY", "xapp-1-A0123456789-0123456789"),
    (
        "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",
        "API_KEY",
        "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",
    ),
    ("OPENAI_API_KEY sk-proj-" + "Ab3dEf6h" * 5, "API_KEY", "sk-proj-" + "Ab3dEf6h" * 5),
    # Passwords in URLs: the password only.
    ("postgres://admin:s3cr3t@db.internal:5432/app", "PASSWORD", "s3cr3t"),
    ("redis://:pw123@cache:6379/0", "PASSWORD", "pw123"),
    ("https://bob:p@ss@example.com/x", "PASSWORD", "p@ss"),  # an unencoded `@` in it
    # A `#` written raw into a connection string's password: the password, not a fragment.
    ("postgresql://orders:Falcon#x9Zq@10.0.4.12:5432/orders", "PASSWORD", "Falcon#x9Zq"),
    # `key=value` pairs written into text.
    ("password=hunter2&user=bob", "PASSWORD", "hunter2"),
    ("login failed for bob, password: hunter2.", "PASSWORD", "hunter2"),
    ('{"client_secret": "abc 123", "x": 1}', "SECRET", "abc 123"),
    ('{"access_token":"abc\\"def"}', "SECRET", 'abc\\"def'),  # an escaped quote inside
    ('"{\\"password\\":\\"hunter2\\"}"', "PASSWORD", "hunter2"),  # JSON escaped in a string
    ("https://api.test/v1?token=abc123&page=2", "SECRET", "abc123"),
    ("api_key: 'xyz789'", "SECRET", "xyz789"),
    ("DB_PASSWORD=correct-horse", "PASSWORD", "correct-horse"),
    ("session_id=9f8e7d", "SESSION_ID", "9f8e7d"),
    # Names whose stem the pair scan once missed (they were found only as field names).
    ("verify with otp=482913 now", "SECRET", "482913"),
    ("grant client_assertion=eyJhbGciOi.abc.def", "SECRET", "eyJhbGciOi.abc.def"),
    ("oauth_verifier=hfdp7dh39dks9884", "SECRET", "hfdp7dh39dks9884"),
    (
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "API_KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    # Connection strings: the password, whatever the driver's syntax.
    ("mongodb+srv://admin:pa55w0rd@cluster0.abcde.mongodb.net/test", "PASSWORD", "pa55w0rd"),
    (
        "Server=tcp:sql.test,1433;Database=app;User ID=app;Password=Pa55word!;",
        "PASSWORD",
        "Pa55word!",
    ),
    ("Data Source=db;Initial Catalog=app;User Id=sa;Pwd=hunter2;", "PASSWORD", "hunter2"),
    (
        "Endpoint=sb://ns.test/;SharedAccessKey=" + "Zm9vYmFy" * 5 + "=",
        "SECRET",
        "Zm9vYmFy" * 5 + "=",
    ),
    (
        "https://acct.test/c/f.txt?sv=2022-11-02&sig=AbCdEf0123%2B456789",
        "SECRET",
        "AbCdEf0123%2B456789",
    ),
    # Command lines in CI logs: `-u user:pass`, `-H 'Name: value'`, `login -p`.
    ("curl -sS -u admin:hunter2 https://jenkins.test/api/json", "PASSWORD", "hunter2"),
    ('curl --user "ci-bot:Tr0ub4dor&3" https://x.test', "PASSWORD", "Tr0ub4dor&3"),
    ('curl -H "X-Api-Key: abc123def456" https://api.test', "SECRET", "abc123def456"),
    (
        "curl -H 'Authorization: token 9944b09199c62bcf9418ad84'",
        "SECRET",
        "token 9944b09199c62bcf9418ad84",
    ),
    ("docker login -u ci --password Pa55word registry.test", "PASSWORD", "Pa55word"),
    ("export GITHUB_TOKEN=abc123", "SECRET", "abc123"),
]


@pytest.mark.parametrize(("text", "entity", "expected"), BY_SHAPE)
def test_finds_by_shape(text: str, entity: str, expected: str) -> None:
    assert (entity, expected) in spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bearer token",  # the word, not a token
        "Use Bearer authentication for the API",
        "Basic information about the plan",
        "basic plan",
        "Basic dGVzdA==",  # decodes to `test`: no `user:password`
        "Basic //////",  # not text once decoded
        "eyJub3QiOiJqc29uIn0.eyJhbHNvIjp9.c2ln",  # second part is not JSON
        "eyJhbGciOi.eyJzdWIiOi.sig",  # truncated base64 in both parts
        "SM" + HEX32,  # Twilio message SID
        "MessageSid=SM" + HEX32,
        "AKIAIOSFODNN7EXAMP",  # too short
        "akiaiosfodnn7example",  # lower case
        "ghp_short",
        "sk-this-is-a-very-long-article-slug-without-digits",  # a slug, not a key
        "task-1234567890abcdefghijklmnopqrstuvwxyz",  # `sk-` inside a word
        "https://example.com:8443/path",  # a port, not a password
        "mailto:user@example.com",
        "jane@example.com",
        "Forgot your password? Click here.",  # no value
        "password reset requested",
        "token_type=bearer",
        "tokens_used=1234",
        "keyword=shoes",
        "max-age=0",
        "application/json",
        "en-US,en;q=0.9",
        "keep-alive",
        USER_AGENT,
        UUID,
        "ORD-2024-000123",
        "SKU-88412-BLK",
        "2.31.0",
        "2024-01-15T10:30:00Z",
        "19.99",
        '{"password": null}',
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkq\n-----END CERTIFICATE-----",
        "echo $TOKEN | docker login --username ci --password-stdin",  # no value on the line
        'curl -H "Authorization: Bearer $TOKEN" https://x.test',  # a variable, not a token
        "mysql -u root -p app_db",  # `-p` alone prompts for the password
    ],
)
def test_leaves_alone_by_shape(text: str) -> None:
    assert spans(text) == []


def test_known_key_outscores_location_on_the_same_span() -> None:
    # Both say credential; the more specific entity wins the tie in resolve_overlaps on score.
    key = "AKIAIOSFODNN7EXAMPLE"
    findings = DETECTOR.detect(key, FieldContext.of("request.headers.x-api-key", HEADER))
    best = max(findings, key=lambda f: f.score)
    assert (best.entity, best.start, best.end) == ("API_KEY", 0, len(key))


def test_every_finding_is_a_credential_from_this_detector() -> None:
    text = f"{JWT} password=x {PEM} AKIAIOSFODNN7EXAMPLE postgres://a:b@h"
    findings = DETECTOR.detect(text, FieldContext.of("body", TEXT))
    assert {f.entity for f in findings} == {"JWT", "PASSWORD", "PRIVATE_KEY", "API_KEY"}
    assert all(f.entity in CREDENTIALS and f.detector == "credentials" for f in findings)


def test_nothing_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        DETECTOR.detect("password=planted-Secret-42 and Basic !!!", FieldContext.of("b", TEXT))
        DETECTOR.detect("planted-Secret-42", FieldContext.of("request.body.password", JSON))
    assert "planted-Secret-42" not in caplog.text


def test_lone_surrogate_keeps_offsets() -> None:
    text = "\udc80 password=hunter2"
    assert spans(text) == [("PASSWORD", "hunter2")]


# Property tests ---------------------------------------------------------------------------

FILLER = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,;!?()", max_size=40)
PASSWORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%*+-_~@:/"


@settings(deadline=None)
@given(
    # `password=null` and its kin (JSON's and Python's literals) are deliberately no finding.
    password=st.text(alphabet=PASSWORD_CHARS, min_size=1, max_size=40).filter(
        lambda p: p not in ("null", "true", "false", "None")
    ),
    before=FILLER,
    after=FILLER,
)
def test_any_password_in_a_query_string_is_found(password: str, before: str, after: str) -> None:
    text = f"{before} ?user=bob&password={password}&next=/ {after}"
    assert ("PASSWORD", password) in spans(text)


JSON_VALUES = st.one_of(st.integers(), st.text(max_size=20), st.booleans())


@settings(deadline=None)
@given(
    header=st.dictionaries(st.text(min_size=1, max_size=8), JSON_VALUES, max_size=4),
    payload=st.dictionaries(st.text(min_size=1, max_size=8), JSON_VALUES, max_size=6),
    before=FILLER,
    after=FILLER,
)
def test_any_jwt_in_text_is_found(header: dict, payload: dict, before: str, after: str) -> None:
    token = f"{b64url({'alg': 'RS256', **header})}.{b64url({'sub': 'x', **payload})}.c2ln"
    assert ("JWT", token) in spans(f"{before} {token} {after}")


def test_a_jwt_whose_signature_was_cut_off_is_found() -> None:
    # Header and claims alone (detect-secrets' JWT tests hold such lines): the claims are still
    # there. Two base64 words that are no JSON are no JWT.
    token = f"{b64url({'alg': 'HS256'})}.{b64url({'sub': '1234567890', 'name': 'Ana'})}"
    assert ("JWT", token) in spans(f"auth failed for {token} at 10:00")
    assert spans("eyJub3Q.eyJqc29u") == []


@settings(deadline=None, max_examples=300)
@given(
    text=st.text(max_size=300),
    path=st.sampled_from(
        ["body", "request.headers.cookie", "response.headers.set-cookie", "request.body.token"]
    ),
    kind=st.sampled_from(list(FieldKind)),
)
def test_any_text_gives_wellformed_findings(text: str, path: str, kind: FieldKind) -> None:
    for f in DETECTOR.detect(text, FieldContext.of(path, kind)):
        assert 0 <= f.start < f.end <= len(text)
        assert 0.0 < f.score <= 1.0
        assert f.entity in CREDENTIALS


# Linear time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ("a." * 25_000, "body", TEXT),
        ("." * 50_000, "body", TEXT),
        ("@" * 50_000, "body", TEXT),
        ("a:" * 25_000 + "@", "body", TEXT),
        ("-----BEGIN PRIVATE KEY-----!" * 1_800, "body", TEXT),  # many BEGINs, no END
        ("password=" * 5_500, "body", TEXT),
        ("eyJa.eyJa." * 5_000, "body", TEXT),
        ("Bearer " * 7_000, "body", TEXT),
        ("a=b;" * 12_500, "request.headers.cookie", HEADER),
        ("x, y=z" * 8_000, "response.headers.set-cookie", HEADER),
        (("aB3dE5fG7hJ9kL1mN0pQ" * 2 + " ") * 1_200, "body", TEXT),  # many random tokens
        ("aB3dE5fG7hJ9kL1mN0pQ" * 2_500, "body", TEXT),  # one endless token
        ("login -p" * 6_000, "body", TEXT),
        ("mysql -u " * 5_500, "body", TEXT),
        ("Authorization: " * 3_300, "body", TEXT),
        ("AKIA" * 12_500, "body", TEXT),
        ("hooks.slack.com/services/" * 2_000, "body", TEXT),
    ],
    ids=(
        "a.a. dots ats userinfo pem pairs jwt bearer cookie set-cookie tokens endless login "
        "mysql authorization akia webhook"
    ).split(),
)
def test_pathological_input_takes_linear_time(text: str, path: str, kind: FieldKind) -> None:
    # A guard against catastrophic backtracking, not a benchmark: the bound is 10x the budget.
    started = time.perf_counter()
    DETECTOR.detect(text, FieldContext.of(path, kind))
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("My password is Tr0ub4dor&3, please reset it", "Tr0ub4dor&3"),
        ("Password is: hunter2", "hunter2"),
        ("Your PIN is 4821.", "4821"),
        ("la contraseña es Lm9#x2 gracias", "Lm9#x2"),
        ("mein Passwort ist Sommer2024!", "Sommer2024!"),
    ],
)
def test_a_password_said_in_a_sentence(text: str, secret: str) -> None:
    found = CredentialDetector().detect(text, FieldContext.of("body", FieldKind.TEXT))
    assert [(f.entity, text[f.start : f.end]) for f in found] == [("PASSWORD", secret)]


@pytest.mark.parametrize(
    "text",
    ["the password is incorrect", "the password is Required", "Your PIN is too short"],
)
def test_a_word_after_password_is_no_password(text: str) -> None:
    assert CredentialDetector().detect(text, FieldContext.of("body", FieldKind.TEXT)) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a log line names the secret right before it, with no `=` or `:` between
        ("login ann token Xk9fQ2pLm7RtY4vB8nC3", ("SECRET", "Xk9fQ2pLm7RtY4vB8nC3")),
        ("using api key zx_live_7Qx9Lm2Rt5 today", ("SECRET", "zx_live_7Qx9Lm2Rt5")),
        ("auth with password hunter2secret.", ("PASSWORD", "hunter2secret")),
        (
            "refresh token 550e8400-e29b-41d4-a716-446655440000",
            ("SECRET", "550e8400-e29b-41d4-a716-446655440000"),
        ),
        # a word, a time, a date, a version, a number or an address after the same words
        ("token expired at 10:00:01 for user 12", None),
        ("api key rotated 2024-09-19", None),
        ("token v1.2.3 deployed", None),
        ("token count 4096", None),
        ("token 1234567890", None),
        ("secret santa 2024", None),
        ("password reset for ann.lee2@example.com", None),
    ],
)
def test_a_secret_named_right_before_it_in_a_log_line(
    text: str, found: tuple[str, str] | None
) -> None:
    findings = CredentialDetector().detect(text, FieldContext.of("body", FieldKind.TEXT))
    assert [(f.entity, text[f.start : f.end]) for f in findings] == ([found] if found else [])


# Keyword lines of the shapes detect-secrets' own keyword tests write (Apache-2.0, Yelp), with
# secrets of ours: code and configuration assign, compare and pass a secret in more ways than
# `key=value`.
@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('password_super_secure = "correct horse battery"', "correct horse battery"),
        ("apikey = m{{h}o)p$e]n(b[x>-_$#q}", "m{{h}o)p$e]n(b[x>-_$#q}"),
        ("(token=m{h}o)", "m{h}o"),
        ("db_pass: Zq8(w]e{r,", "Zq8(w]e{r"),
        ('if (api_key != "Zq8wEr7tYu") {', "Zq8wEr7tYu"),
        ('if ("Zq8wEr7tYu" === private_key) {', "Zq8wEr7tYu"),
        ('std::string secret("Zq8wEr7tYu");', "Zq8wEr7tYu"),
        ('password "Zq8wEr7tYu";', "Zq8wEr7tYu"),
        ('password = @"Zq8wEr7tYu";', "Zq8wEr7tYu"),
        ('password => "Zq8wEr7tYu"', "Zq8wEr7tYu"),
        ("api_key := `Zq8wEr7tYu`", "Zq8wEr7tYu"),
        ("cloudant_pw='Zq8wEr7tYu'", "Zq8wEr7tYu"),
        ("softlayer_api_key := Zq8wEr7tYu", "Zq8wEr7tYu"),
        ("mysql -u root --password Zq8wEr7tYu -h db", "Zq8wEr7tYu"),
        ('--softlayer-api-key "Zq8wEr7tYu"', "Zq8wEr7tYu"),
        ("(token=Zq8wEr7tYu)", "Zq8wEr7tYu"),
        ("password:focus42", "focus42"),  # a word that is no selector's state goes on
        # A selector's state alone, or without a rule's `{` after it, is a value (a review's).
        ("2024-05-01 WARN auth failed user=admin password:root", "root"),
        ("login password:hover, user=bob", "hover"),
        ("vault secret:not(secure) loaded", "not(secure)"),
        ("session:before.a8F3kd9Qz1Lm5Pw7 set", "before.a8F3kd9Qz1Lm5Pw7"),
        ('The password "hunter2" was rejected', "hunter2"),
        # trufflehog's detector tests write these (AGPL-3.0; shapes only, secrets ours):
        # a dash before the literal, a table's cell, a subscript, an XML element in text.
        ("nutritionix token - 'Zq8wEr7tYu'", "Zq8wEr7tYu"),
        ("apiKey |e9e0f062f587b423bb6cc6328eb786d75b4", "e9e0f062f587b423bb6cc6328eb786d75b4"),
        ("os.environ[\"OPENAI_API_KEY\"] = 'Zq8wEr7tYu'", "Zq8wEr7tYu"),
        ("<secret>{acme AQAAABAAA Zq8wEr7tYu}</secret>", "{acme AQAAABAAA Zq8wEr7tYu}"),
        ('<password type="plain">hunter2</password>', "hunter2"),
        # A vendor's key header written into a command line (detect-secrets' Artifactory case).
        ('curl -H "X-JFrog-Art-Api: Zq8wEr7tYu" https://repo.example.com/api', "Zq8wEr7tYu"),
        # A YAML tag is the value's type, the value follows (detect-secrets' test data).
        ("binary_secret: !!binary MjNjcnh1IDJieXJpdXYy", "MjNjcnh1IDJieXJpdXYy"),
        ("password: !!str Zq8wEr7tYu", "Zq8wEr7tYu"),
    ],
)
def test_a_secret_in_a_line_of_code_or_configuration(text: str, secret: str) -> None:
    found = DETECTOR.detect(text, FieldContext.of("msg", TEXT))
    assert secret in {text[f.start : f.end] for f in found}
    at = text.index(secret)
    # The key and what follows the value stay (a finding may take the value's quotes).
    assert all(at - 1 <= f.start and f.end <= at + len(secret) + 1 for f in found)


@pytest.mark.parametrize(
    "text",
    [
        # What a name says about a password, and words that only contain `pass`.
        "password_changed_at=2024-01-02T10:00:00Z password_min_length=12 bypass=true",
        "boarding_passenger=Ana compass=north",
        # A call that takes a variable, and a quoted word after a word that is no credential's.
        "refreshToken(userId) getToken(user)",
        'Authentication "failed" for user',
        # A table's header row is words; an element that closes another name is not a pair.
        "| password | description |",
        "<tokenizer>Zq8wEr7tYu</tokenizer> <secret>Zq8wEr7tYu</note>",
        # A style rule's selector whose class names a credential (a real capture's Font Awesome).
        '.fa-user-secret:before{content:"\\f21b"}.password:focus,.api-token:hover{color:red}',
    ],
)
def test_no_secret_in_a_line_of_code_or_configuration(text: str) -> None:
    assert DETECTOR.detect(text, FieldContext.of("msg", TEXT)) == []


@pytest.mark.parametrize(
    ("path", "value", "found"),
    [
        # A password's word anywhere in a field's name, or a short one last.
        ("config.password_super_secure", "correct horse battery", True),
        ("config.myPasswordSec", "correct horse battery", True),
        ("db.db_pass", "Zq8wEr7tYu", True),
        ("cloudant_pw", "Zq8wEr7tYu", True),
        ("user.password_pin", "48213", True),
        # Short names of a password and a PIN, alone or last (a hostile-input review's `pw`)
        ("login.pw", "Zq9!hostilePw_7781", True),
        ("pswd", "Zq9!hostilePw_7781", True),
        ("db_pswd", "Zq9!hostilePw_7781", True),
        ("card.pin", "4821", True),
        ("atm_pin", "4821", True),
        ("pin_number", "4821", True),
        # ... not India's postcode, a flag, or a word the letters are inside
        ("address.pincode", "560001", False),
        ("note.pinned", "true", False),
        ("shipping", "express", False),
        ("spin_count", "3", False),
        # What such a name says about a password: a flag, a count, a date.
        ("policy.password_required", "true", False),
        ("policy.password_min_length", "12", False),
        ("user.password_changed_at", "2024-01-02T10:00:00Z", False),
        ("trip.compass", "north", False),
    ],
)
def test_a_password_named_by_one_word_of_a_field(path: str, value: str, found: bool) -> None:
    findings = DETECTOR.detect(value, FieldContext.of(path, FieldKind.JSON))
    assert bool(findings) is found


@pytest.mark.parametrize(
    ("path", "value", "entity"),
    [
        # A SIM's PINs and PUKs by number (`pin1`, `puk2`), a form's second password, and a
        # SIM's secret keys (3GPP's Ki and OPc) as SIM inventories list them.
        ("sims[0].pin1", "1234", "PASSWORD"),
        ("sims[0].pin2", "4321", "PASSWORD"),
        ("sims[0].puk1", "12345678", "PASSWORD"),
        ("sim.puk", "87654321", "PASSWORD"),
        ("signup.password2", "correct horse battery", "PASSWORD"),
        ("sims[0].ki", "465B5CE8B199B49FAA5F0A2EE238A6BC", "SECRET"),
        ("sims[0].opc", "CD63CB71954A9F4E48A5994E37A02BAF", "SECRET"),
        # Look-alikes: numbered keys that are no password's, words the letters are inside.
        ("page2", "3", None),
        ("spin1", "3", None),
        ("kind", "user", None),
        ("kids", "2", None),
        ("skip", "10", None),
        ("kiosk_id", "K-12", None),
        ("pukcount", "3", None),
    ],
)
def test_a_sims_codes_and_numbered_passwords(path: str, value: str, entity: str | None) -> None:
    findings = DETECTOR.detect(value, FieldContext.of(path, FieldKind.JSON))
    assert {f.entity for f in findings} == ({entity} if entity else set())
