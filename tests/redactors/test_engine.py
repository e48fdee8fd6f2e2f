"""DetectionEngine: detection through encodings, with every finding at a span of the original
value that covers all of the encoded identifier."""

from __future__ import annotations

import base64
import time

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.engine import DetectionEngine
from datamin.redactors.findings import Finding, resolve_overlaps

ENGINE = DetectionEngine(ner_model=None)
URL = FieldKind.URL
B64_EMAIL = base64.b64encode(b"ann.lee@example.com").decode()
FULLWIDTH_PHONE = "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "+1 415 555 0123")
BASIC = base64.b64encode(b"ann@example.com:hunter2hunter2").decode()


def found(text: str, path: str, kind: FieldKind) -> set[tuple[str, str]]:
    """(entity, replaced original text) for each finding left after overlaps are resolved."""
    findings = resolve_overlaps(ENGINE.detect(text, FieldContext.of(path, kind)))
    return {(f.entity, text[f.start : f.end]) for f in findings}


@pytest.mark.parametrize(
    ("text", "path", "kind", "entity", "original"),
    [
        # Percent-encoded, in a query value, in a whole URL, doubly encoded, in free text.
        ("ann%40example.com", "request.query.q", FieldKind.QUERY, "EMAIL_ADDRESS", None),
        ("ann%2540example.com", "request.query.q", FieldKind.QUERY, "EMAIL_ADDRESS", None),
        (
            "https://shop.example/a?to=ann%40example.com&n=2",
            "request.url",
            FieldKind.URL,
            "EMAIL_ADDRESS",
            "ann%40example.com",
        ),
        ("card 4111%201111%201111%201111 ok", "body", FieldKind.TEXT, "CREDIT_CARD",
         "4111%201111%201111%201111"),
        # HTML references: decimal, hex, named.
        ("ann&#64;example.com", "body", FieldKind.TEXT, "EMAIL_ADDRESS", None),
        ("mail ann&#x40;example.com.", "body", FieldKind.TEXT, "EMAIL_ADDRESS",
         "ann&#x40;example.com"),
        ("ann&commat;example.com", "body.note", FieldKind.JSON, "EMAIL_ADDRESS", None),
        # A zero-width space or soft hyphen splitting the value.
        ("ann\u200b@example.com", "body", FieldKind.TEXT, "EMAIL_ADDRESS", None),
        ("ann@exam\u00adple.com", "body", FieldKind.TEXT, "EMAIL_ADDRESS", None),
        # Full-width digits (NFKC).
        (FULLWIDTH_PHONE, "body.note", FieldKind.JSON, "PHONE_NUMBER", None),
        (f"call {FULLWIDTH_PHONE} now", "body", FieldKind.TEXT, "PHONE_NUMBER", FULLWIDTH_PHONE),
        # Unicode dashes between digits, as a word processor or a chat app writes `-`.
        ("SSN 123\u201345\u20136789.", "body", FieldKind.TEXT, "US_SSN", "123\u201345\u20136789"),
        ("call +1\u2011415\u2011555\u20110132", "body", FieldKind.TEXT, "PHONE_NUMBER",
         "+1\u2011415\u2011555\u20110132"),
        ("card 4111\u22121111\u22121111\u22121111", "body", FieldKind.TEXT, "CREDIT_CARD",
         "4111\u22121111\u22121111\u22121111"),
        # Base64 in a data field and inside a JSON-looking body: the whole token.
        (B64_EMAIL, "request.body.data", FieldKind.JSON, "EMAIL_ADDRESS", None),
        (f'{{"data": "{B64_EMAIL}"}}', "body", FieldKind.TEXT, "EMAIL_ADDRESS", B64_EMAIL),
    ],
)  # fmt: skip
def test_found_through_the_encoding(
    text: str, path: str, kind: FieldKind, entity: str, original: str | None
) -> None:
    assert (entity, original or text) in found(text, path, kind)


def test_every_finding_covers_the_whole_encoded_value() -> None:
    # The email is found twice (the raw `%40` pattern and the decoded view); both cover all of it.
    text = "ann%40example.com"
    findings = ENGINE.detect(text, FieldContext.of("request.query.q", FieldKind.QUERY))
    assert findings and all((f.start, f.end) == (0, len(text)) for f in findings)
    assert len({(f.entity, f.start, f.end) for f in findings}) == len(findings)  # deduplicated


def test_basic_auth_is_still_a_credential() -> None:
    header = f"Basic {BASIC}"
    ctx = FieldContext.of("request.headers.authorization", FieldKind.HEADER)
    [kept] = resolve_overlaps(ENGINE.detect(header, ctx))
    assert (kept.entity, kept.start, kept.end) == ("BASIC_AUTH", 0, len(header))
    # In text, the token is a credential too, and the address inside it wins no partial span.
    text = f"retrying with Basic {BASIC}"
    assert found(text, "body", FieldKind.TEXT) == {("BASIC_AUTH", BASIC)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100%", set()),  # a percent sign, no escape
        ("a & b", set()),  # a bare ampersand
        ("50% off & free shipping", set()),
        ("+14155550123", {("PHONE_NUMBER", "+14155550123")}),  # `+` is no space in text
        ("application/json", set()),  # base64 alphabet, not base64 text
        ("3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f", set()),
        ("Tom &amp; Jerry", set()),
    ],
)
def test_no_spurious_findings(text: str, expected: set[tuple[str, str]]) -> None:
    assert found(text, "body", FieldKind.TEXT) == expected


def test_a_literal_plus_in_a_decoded_query_value_stays_a_phone() -> None:
    # parse_qsl made `%2B14155550123` this value: the `+` is a plus sign.
    assert found("+14155550123", "request.query.phone", FieldKind.QUERY) == {
        ("PHONE_NUMBER", "+14155550123")
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The two digits of an escape are no number's: a date after `%20` is no phone.
        ("https://api.example/a/Screen%20Shot%202019-03-04%20at%209.00.06%20AM.png", set()),
        ("https://x.example/a?text=call%20415-555-0100%20now", {("PHONE_NUMBER", "415-555-0100")}),
        ("my%20ssn%20is%20078-05-1120", {("NATIONAL_ID", "078-05-1120")}),
    ],
)
def test_an_escapes_digits_are_not_a_numbers(text: str, expected: set[tuple[str, str]]) -> None:
    assert found(text, "note", FieldKind.JSON) == expected


@pytest.mark.parametrize(
    "text",
    [
        "%" * 50_000,
        "&#" * 25_000,
        "\u200b" * 50_000,
        "%4" * 25_000,
        "&#6" * 16_000,
        ("a\u200b%40&#64;" * 5_000)[:50_000],
        "QUFB" * 12_500,  # one 50,000-char base64 token of `AAA...`
    ],
)
def test_long_hostile_values_finish(text: str) -> None:
    ctx = FieldContext.of("body", FieldKind.TEXT)
    started = time.perf_counter()
    ENGINE.detect(text, ctx)
    assert time.perf_counter() - started < 2.0  # generous: this guards against blow-ups only


# -- NER reads the decoded text and reports spans of the original --------------------------------


class _FakeNer:
    """Finds `Maria Gonzalez` wherever it is spelled out plainly in the text it is given."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def detect_batch(self, items: list[tuple[str, FieldContext]]) -> list[list[Finding]]:
        self.seen.extend(text for text, _ in items)
        out = []
        for text, _ in items:
            i = text.find("Maria Gonzalez")
            out.append([] if i < 0 else [Finding("PERSON", i, i + 14, 0.85, "ner")])
        return out


@pytest.fixture
def ner_engine() -> tuple[DetectionEngine, _FakeNer]:
    engine = DetectionEngine(ner_model=None)
    fake = _FakeNer()
    # NER on, its model already built: the fake stands for it.
    engine._ner_model = "fake"
    engine._ner = fake  # type: ignore[assignment]
    return engine, fake


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("Please call Maria%20Gonzalez today", FieldKind.TEXT, "Maria%20Gonzalez"),
        ("Please call Maria&nbsp;Gonzalez today", FieldKind.TEXT, "Maria&nbsp;Gonzalez"),
        ("Please call Ma\u200bria Gonzalez today", FieldKind.TEXT, "Ma\u200bria Gonzalez"),
        ("msg=call+Maria+Gonzalez&x=%21", FieldKind.JSON, "Maria+Gonzalez"),
        ("Please call Maria Gonzalez today", FieldKind.TEXT, "Maria Gonzalez"),
    ],
)
def test_ner_findings_map_back(
    ner_engine: tuple[DetectionEngine, _FakeNer], text: str, kind: FieldKind, name: str
) -> None:
    engine, _ = ner_engine
    ctx = FieldContext.of("body", kind)
    assert engine.wants_ner(text, ctx)
    [findings] = engine.detect_ner([(text, ctx)])
    assert [(f.entity, text[f.start : f.end]) for f in findings] == [("PERSON", name)]


def test_ner_reads_prose_whose_names_are_not_ascii(
    ner_engine: tuple[DetectionEngine, _FakeNer],
) -> None:
    engine, _ = ner_engine
    ctx = FieldContext.of("body", FieldKind.TEXT)
    # No capitalized ASCII word before a space: the gate read ASCII letters only.
    assert engine.wants_ner("Stefanía K. Oddgeirsdóttir will be talking in the conference", ctx)
    assert engine.wants_ner("Ágnes Földesy írt", ctx)
    assert not engine.wants_ner("application/json; charset=utf-8", ctx)


@pytest.mark.parametrize(
    "text",
    [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        " Version/17.1 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Mobile Safari/537.36",
        "MyApp/3.2 (iPhone; iOS 17.0; Scale/3.00) Alamofire/5.8.0",
    ],
)
def test_ner_leaves_a_user_agent_whatever_field_logs_it(
    ner_engine: tuple[DetectionEngine, _FakeNer], text: str
) -> None:
    # Under a JSON log's own name (`userAgent`, `http_user_agent`) the small model read
    # `like Gecko` as a place; a User-Agent is products, versions and comments.
    engine, _ = ner_engine
    assert not engine.wants_ner(text, FieldContext.of("userAgent", FieldKind.JSON))


@pytest.mark.parametrize(
    "text",
    [
        "Mozilla/5.0 John Smith went home",  # words, not products
        "Hello/1 John Smith",
        "Maria Gonzalez/2 Bob/3",  # a name first, no product
    ],
)
def test_ner_reads_what_only_starts_like_a_user_agent(
    ner_engine: tuple[DetectionEngine, _FakeNer], text: str
) -> None:
    engine, _ = ner_engine
    assert engine.wants_ner(text, FieldContext.of("userAgent", FieldKind.JSON))


def test_ner_text_is_the_decoded_view(ner_engine: tuple[DetectionEngine, _FakeNer]) -> None:
    engine, _ = ner_engine
    ctx = FieldContext.of("body", FieldKind.TEXT)
    decoded, to_original = engine.ner_text("Hi Maria%20Gonzalez", ctx)
    assert decoded == "Hi Maria Gonzalez"
    assert to_original(3, 17) == (3, 19)
    plain, same = engine.ner_text("Hi there", ctx)
    assert plain == "Hi there" and same(0, 2) == (0, 2)


def test_ner_reads_a_urls_query_values_a_line_each(
    ner_engine: tuple[DetectionEngine, _FakeNer],
) -> None:
    """A search's `q=` is what a person typed: NER reads it, and only the query's values, so a
    path's or a host's words are never taken for a name."""
    engine, _ = ner_engine
    ctx = FieldContext.of("request.url", FieldKind.URL)
    url = "https://api.example.com/v1/Users/Search?id=5&q=Maria%20Gonzalez&sort=Created+Date"
    assert engine.wants_ner(url, ctx)
    text, to_original = engine.ner_text(url, ctx)
    assert text == "Maria Gonzalez\nCreated Date"  # one word (`5`) is nobody's name
    assert url[slice(*to_original(0, 14))] == "Maria%20Gonzalez"
    assert url[slice(*to_original(15, 27))] == "Created+Date"
    assert url[slice(*to_original(15, 99))] == "Created+Date"  # a span stays within its line
    assert not engine.wants_ner("https://api.example.com/v1/Users/Profile", ctx)
    assert not engine.wants_ner("https://api.example.com/v1/Users?id=5&sort=desc", ctx)
    # A token's capitals beside the next value's word are no sentence.
    assert not engine.wants_ner("https://x.example/e?token=O-Fk-lW8imGcfw&format=csv", ctx)
    query = FieldContext.of("request.queryString[1].value", FieldKind.QUERY)
    assert engine.wants_ner("Maria Gonzalez", query)


@pytest.mark.parametrize(
    ("value", "ctx", "lines"),
    [
        # a path's segment of more than one word: a folder or a file named after someone
        (
            "https://files.example.com/exports/Maria%20Gonzalez/contacts.csv?v=2",
            FieldContext.of("request.url", FieldKind.URL),
            ["Maria Gonzalez"],
        ),
        (
            "/users/Maria%20Gonzalez/profile",
            FieldContext.of("request.path", FieldKind.URL_PATH),
            ["Maria Gonzalez"],
        ),
        # a JSON value that is one path, with or without a query, encoded or not
        (
            "/files/Maria Gonzalez resume.pdf",
            FieldContext.of("link", FieldKind.JSON),
            ["Maria Gonzalez resume.pdf"],
        ),
        (
            "/exports/Ana%20Souza/a.csv?q=Li%20Wei",
            FieldContext.of("path", FieldKind.JSON),
            ["Ana Souza", "Li Wei"],
        ),
    ],
)
def test_ner_reads_a_paths_segments_of_more_than_one_word_a_line_each(
    ner_engine: tuple[DetectionEngine, _FakeNer], value: str, ctx: FieldContext, lines: list[str]
) -> None:
    """The small model finds no name in a whole path (`/exports/Maria Gonzalez/contacts.csv`)
    and finds it in the segment alone; a segment of one word (an id, a resource) is not read."""
    engine, _ = ner_engine
    assert engine.wants_ner(value, ctx)
    text, to_original = engine.ner_text(value, ctx)
    assert text.split("\n") == lines
    first = lines[0]
    written = value[slice(*to_original(0, len(first)))]
    assert written in (first, first.replace(" ", "%20"))
    assert not engine.wants_ner("/v1/users/8812731/profile", ctx)


def test_ner_is_off_without_a_model() -> None:
    ctx = FieldContext.of("body", FieldKind.TEXT)
    assert not ENGINE.wants_ner("Please call Maria%20Gonzalez", ctx)
    assert ENGINE.detect_ner([("Please call Maria%20Gonzalez", ctx)]) == [[]]


@pytest.mark.parametrize(
    "text",
    [
        "A" * 200_000,  # one letter run: quadratic under a backtracking `[A-Za-z]{2,}\s+`
        "QUFB" * 50_000,  # base64 of a letter run, and its decoded view
        "1 Aaaa " * 30_000,  # almost a street address, many times
    ],
)
@pytest.mark.timeout(30)
def test_values_built_to_backtrack_are_judged(text: str) -> None:
    """With Python's `re` the first two took minutes (8 s at a tenth of this length); with RE2
    they take milliseconds. The timeout is a guard against a backtracking pattern coming back,
    not a measurement: benchmarks/bench_adversarial.py has the figures."""
    from datamin.redactors.ner_views import reads_as_prose

    engine = DetectionEngine(ner_model=None)
    assert engine.detect(text, FieldContext.of("note", FieldKind.JSON)) == []
    assert not reads_as_prose(text)  # what decides whether NER reads a value


@pytest.mark.parametrize(
    ("url", "entity", "value"),
    [
        # The parameter's name is the context, bracketed, encoded or dotted as forms write it.
        ("https://api.example/v1/c?customer%5Bphone%5D=4155550123&n=2", "PHONE_NUMBER", None),
        ("https://api.example/v1/c?customer[phone]=4155550123", "PHONE_NUMBER", None),
        ("https://api.example/v1/c?a=1&api_key=Zx8PqL2mN7vR4tY9wK3sH6jD1fG5bC0a", "SECRET", None),
        # A raw URL writes spaces as `+`: the value is read with them.
        ("https://api.example/v1/s?phone=03+80+54+07+82&limit=239", "PHONE_NUMBER", None),
        # A parameter's parent counts as a JSON key's does: `customer[name]` is a person's.
        ("https://api.example/v1/c?customer%5Bname%5D=Ana+Souza&n=2", "PERSON", None),
        ("https://api.example/v1/c?customer_name=Ana%20Souza", "PERSON", None),
    ],
)
def test_a_urls_query_values_are_judged_under_their_names(
    url: str, entity: str, value: str | None
) -> None:
    got = found(url, "request.url", FieldKind.URL)
    assert {e for e, _ in got} == {entity}
    assert all(url.endswith(text) or f"{text}&" in url for _, text in got)


@pytest.mark.parametrize(
    ("url", "entity", "text"),
    [
        # A parameter's name that is data: an address as a key, plain or encoded
        ("https://api.shop.example/v1/x?mallory.planted@example.org=1", "EMAIL_ADDRESS", None),
        ("https://api.shop.example/v1/x?page=2&ann.lee%40example.org=1", "EMAIL_ADDRESS", None),
        ("https://api.shop.example/v1/x?+14155550142=mobile", "PHONE_NUMBER", "+14155550142"),
    ],
)
def test_a_query_parameters_name_that_is_data_is_read(
    url: str, entity: str, text: str | None
) -> None:
    got = found(url, "request.url", FieldKind.URL)
    assert {e for e, _ in got} == {entity}
    if text is not None:
        assert [t for _, t in got] == [text]


OAUTH_CODE = "XdcvQHc6cam511jPwj0v9XibstsU"  # an authorization code's make-up: 28 random


# An OAuth message's `code` (RFC 6749 4.1.2 and 4.1.3, OpenID Connect's responses) is an
# authorization code, a credential while it lives: an ALB's log of a sign-in callback kept one
# (a gateway review). Its siblings say so; `code` alone is a country's, a coupon's, an error's.
@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        (f"https://a.example/oauth/callback?code={OAUTH_CODE}&state=af0ifjsl", "request.url", URL),
        (f"https://a.example/cb?state=af0ifjsl&code={OAUTH_CODE}", "request.url", URL),
        (f"https://a.example/cb?code={OAUTH_CODE}&id_token=x&login_hint=y", "request.url", URL),
        (f"callback code={OAUTH_CODE} state=af0ifjsl", "message", FieldKind.TEXT),
    ],
)
def test_an_oauth_messages_code_is_a_credential(text: str, path: str, kind: FieldKind) -> None:
    assert ("SECRET", OAUTH_CODE) in found(text, path, kind)


@pytest.mark.parametrize(
    "url",
    [
        f"https://a.example/x?code={OAUTH_CODE}",  # no OAuth sibling: a neutral name
        "https://a.example/stores?code=90210&state=CA",  # a postcode and a state
        "https://a.example/promo?code=SUMMER2024SALE&state=active",  # a coupon
        "https://a.example/cb?error=access_denied&code=invalid_request&state=af0ifjsl",
    ],
)
def test_a_code_that_is_no_oauth_messages_stays(url: str) -> None:
    assert found(url, "request.url", URL) == set()


def test_an_oauth_forms_code_is_labelled_a_credential() -> None:
    """A token request's form (or a callback's query as a gateway logs it apart) labels its
    `code` a credential's; under the label a token is one, a postcode is not."""
    from datamin.core.forms import form_fields

    token_request = [("grant_type", "authorization_code"), ("code", OAUTH_CODE)]
    labels = {p: label for p, _, label in form_fields("request.form", token_request, 8)}
    assert labels == {"request.form.grant_type": None, "request.form.code": "oauth_code"}
    assert ("SECRET", OAUTH_CODE) in found(OAUTH_CODE, "request.form.oauth_code", FieldKind.FORM)
    assert not found("90210", "request.query.oauth_code", FieldKind.QUERY)
    search = [("code", "90210"), ("country", "US")]
    assert [label for _, _, label in form_fields("request.query", search, 8)] == [None, None]


def test_a_query_parameters_name_of_words_is_not_read() -> None:
    url = "https://api.example/v1/c?utm_source=mail&page_size=50"
    assert not found(url, "request.url", FieldKind.URL)


@pytest.mark.parametrize(
    "url",
    [
        # A word near a value in the URL is not its name: `id` and `since` are not phones.
        "https://api.example/v1/x?phone_verified=true&id=123456789012",
        "https://api.example/v1/orders?order_id=1234567890&since=1700000000",
    ],
)
def test_query_values_of_neutral_names_stay(url: str) -> None:
    assert found(url, "request.url", FieldKind.URL) == set()


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        # Twilio Lookup's `/v2/PhoneNumbers/{PhoneNumber}`: the segment before names the value.
        ("/v2/PhoneNumbers/+14159929960", FieldKind.URL_PATH, "+14159929960"),
        ("/v1/phones/07700%20900461/status", FieldKind.URL_PATH, "07700%20900461"),
        ("https://api.example/v1/phone/4155550123?fields=carrier", FieldKind.URL, "4155550123"),
        # A `+` and a valid number speak for themselves in any segment, as in any value.
        ("/v1/users/+442079460958/orders", FieldKind.URL_PATH, "+442079460958"),
    ],
)
def test_a_url_paths_segments_are_judged_under_the_segment_before(
    text: str, kind: FieldKind, number: str
) -> None:
    assert found(text, "request.path", kind) == {("PHONE_NUMBER", number)}


@pytest.mark.parametrize(
    "text",
    [
        "/v1/users/4155550123/orders/20240115",  # ids under names that say nothing of phones
        "/repos/octocat/hello-world/commits/7fd1a60b01f91b314f59955a4e4d4e80d8edf11d",
        "https://api.example/v1/invoices/2024-000123/lines/987654321",
    ],
)
def test_a_url_paths_ids_stay(text: str) -> None:
    kind = FieldKind.URL if text.startswith("https") else FieldKind.URL_PATH
    assert found(text, "request.path", kind) == set()


def test_families_are_not_called_on_kinds_they_skip() -> None:
    """Protocol fields (methods, statuses, timings) hold no one's name or street: the engine
    does not ask the families that say so, while IP addresses there are still found."""
    text = "Call Ana Souza at 12 Main Street from 203.0.113.9"
    meta = {f.entity for f in ENGINE.detect(text, FieldContext.of("server_ip", FieldKind.META))}
    body = {f.entity for f in ENGINE.detect(text, FieldContext.of("body", FieldKind.TEXT))}
    assert "IP_ADDRESS" in meta and not meta & {"PERSON", "LOCATION"}
    assert {"PERSON", "LOCATION", "IP_ADDRESS"} <= body


def test_a_log_lines_pairs_are_judged_as_fields() -> None:
    # `key=value` in a log line reads as the field its key names, quoted or not, and an
    # unquoted number printed in groups is taken whole.
    line = (
        "2026-06-23T04:41:07Z WARN kyc.verify: document_number=AB 12 34 56 C did not match "
        'holder="Louise Harris" ref=79226567 contact_number=+33 4 72 35 38 46 build=v7.33.55'
    )
    got = found(line, "msg", FieldKind.JSON)
    assert ("PERSON", "Louise Harris") in got
    assert any(e == "PHONE_NUMBER" and o.startswith("+33 4 72 35 38 46") for e, o in got)
    assert any("AB 12 34 56 C" in o for _, o in got)
    assert not any("79226567" in o or "v7.33.55" in o for _, o in got)  # a reference, a build
    # HMRC's other printed form holds a group of six (`ZZ 083015 T`): whole, not `ZZ` alone.
    got = found("kyc: document_number=ZZ 083015 T did not match", "msg", FieldKind.JSON)
    assert any("ZZ 083015 T" in o for _, o in got)


def test_quoted_arguments_are_judged_as_fields() -> None:
    """`key: "value"` as GraphQL's arguments write one: read under the key, as `key=value`."""
    query = 'mutation { updateUser(id: 42, name: "Ana Souza", phone: "4155550123") { id } }'
    got = found(query, "request.body.query", FieldKind.JSON)
    assert ("PERSON", "Ana Souza") in got and ("PHONE_NUMBER", "4155550123") in got
    # A time, a status: their keys say what they are.
    assert found('time: "12:00" status: "ok" order: "4155550123"', "msg", FieldKind.JSON) == set()


def test_a_common_name_is_read_to_its_delimiter() -> None:
    """LDAP's distinguished names and iCalendar's attendees hold a person's name, spaces and
    all, after `CN=`; a host's and a directory group's common names are no one's."""
    for line, name in (
        ("bind ok: CN=Lynn Mitchell,OU=Users,DC=corp,DC=example,DC=com", "Lynn Mitchell"),
        ("ATTENDEE;CN=Dominique Renaud:mailto:d@example.com", "Dominique Renaud"),
    ):
        assert ("PERSON", name) in found(line, "body", FieldKind.TEXT)
    for line in ("subject: CN=api.example.com, O=Example Inc", "CN=Domain Admins,CN=Users"):
        assert not any(e == "PERSON" for e, _ in found(line, "body", FieldKind.TEXT))


@pytest.mark.parametrize(
    ("url", "person"),
    [
        # After a collection of people, a segment is that person's: a login that spells a name,
        # a full name (percent-encoded as written).
        ("https://api.example.com/v1/users/jane.roe/repos", "jane.roe"),
        ("/v1/authors/Ana%20Souza", "Ana%20Souza"),
        # ... but not an id, a word of the API's, another collection's segment
        ("https://api.example.com/v1/users/8812/orders", None),
        ("https://api.example.com/v1/users/me", None),
        ("https://api.example.com/v1/products/Blue%20Widget", None),
    ],
)
def test_a_segment_after_a_collection_of_people_is_a_persons(url: str, person: str | None) -> None:
    kind = FieldKind.URL if url.startswith("https") else FieldKind.URL_PATH
    got = {text for entity, text in found(url, "request.url", kind) if entity == "PERSON"}
    assert got == ({person} if person else set())


@pytest.mark.parametrize(
    "url",
    [
        # A JSON filter in a whole URL's query, percent-encoded or not: each leaf is read under
        # its own key, as the walker reads it as a field of its own.
        "https://api.example.com/v1/users?where=%7B%22ssn%22%3A%22536228841%22%7D&limit=10",
        'https://api.example.com/v1/users?filter={"where":{"ssn":"536228841"}}',
    ],
)
def test_a_json_filter_in_a_url_is_read_leaf_by_leaf(url: str) -> None:
    assert "536228841" in {text for _, text in found(url, "request.url", FieldKind.URL)}


def test_json_in_a_url_that_is_no_object_is_left_alone() -> None:
    url = "https://api.example.com/v1/items?ids=[3,4,5]&q={broken"
    assert found(url, "request.url", FieldKind.URL) == set()


def test_a_cookie_carries_what_its_name_says_form_encoded_or_not() -> None:
    assert found("Maria+Gonzalez", "request.cookies.name", FieldKind.COOKIE) == {
        ("PERSON", "Maria+Gonzalez")
    }
    raw = [
        f.entity
        for f in ENGINE.detect("Maria%20Gonzalez", FieldContext.of("name", FieldKind.COOKIE))
    ]
    assert "PERSON" in raw
    assert ("DATE_OF_BIRTH", "1984-03-12") in found(
        "1984-03-12", "request.cookies.dob", FieldKind.COOKIE
    )
    # A session's base64 with `+` in it is no one's name.
    assert not any(
        e == "PERSON"
        for e, _ in found("AbC+dEf/ghIjk+lmn=", "request.cookies.session", FieldKind.COOKIE)
    )


def test_phones_glued_to_words_of_unspaced_scripts() -> None:
    text = "문제가 있으면 054-037-7549로 연락 주세요. 何かあれば080-5880-5997までご連絡ください"
    got = {o for e, o in found(text, "body", FieldKind.TEXT) if e == "PHONE_NUMBER"}
    assert got == {"054-037-7549", "080-5880-5997"}


def test_a_pair_whose_key_says_no_phone_is_not_made_one_by_its_line() -> None:
    line = 'INFO checkout: ship_to="Viaducto Indonesia 862" postcode=99536-9186 city=Puebla'
    got = found(line, "msg", FieldKind.JSON)
    assert not any("99536-9186" in o for _, o in got)
    assert ("LOCATION", "Viaducto Indonesia 862") in got
    # Pairs whose key says nothing leave the line's own findings in place.
    assert found("src=:: dst=::1", "body", FieldKind.TEXT) == {
        ("IP_ADDRESS", "::"),
        ("IP_ADDRESS", "::1"),
    }


def test_an_svg_drawings_measures_are_no_phones() -> None:
    # A page's inline SVG (a real capture's): attributes read as pairs, each alone, still
    # hold measures by their names, not numbers to call.
    page = '<circle cx="74.7095305" cy="24.6950828" r="2.73270676"></circle>'
    assert found(page, "response.body", FieldKind.TEXT) == set()
    # A name that says phone is not a measure's.
    got = found('<input name="tel" data-phone="74.7095305">', "response.body", FieldKind.TEXT)
    assert ("PHONE_NUMBER", "74.7095305") in got


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("/oauth/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz", "SplxlOBeZQQYbYS6WxSbIA"),
        (
            "https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=x",
            "SplxlOBeZQQYbYS6WxSbIA",
        ),
        ("/search?phone=4155550123&page=2", "4155550123"),
    ],
)
def test_a_json_value_that_is_one_url_has_its_query_read_by_name(text: str, secret: str) -> None:
    # A callback logged in a JSON field (`redirect`) kept its OAuth code: a query's values were
    # judged by their names only in a URL field of its own (a gateway review).
    ctx = FieldContext.of("redirect", FieldKind.JSON)
    found = [text[f.start : f.end] for f in resolve_overlaps(ENGINE.detect(text, ctx))]
    assert secret in found


def test_a_json_url_of_ordinary_parameters_stays() -> None:
    text = (
        "https://api.example.com/v1/orders?page=2&limit=50&status=open&customer=cus_NffrFeUfNV2Hib"
    )
    assert ENGINE.detect(text, FieldContext.of("next", FieldKind.JSON)) == []


@pytest.mark.parametrize(
    "text",
    [
        "redirected to https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz",
        'GET /cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz HTTP/1.1" 302',
    ],
)
def test_a_url_written_in_text_has_its_query_read_by_name(text: str) -> None:
    # An OAuth callback in a log line kept its code: only a URL field's query, or a value that
    # is one URL, was read by its parameters' names.
    found = [
        text[f.start : f.end] for f in ENGINE.detect(text, FieldContext.of("msg", FieldKind.TEXT))
    ]
    assert "SplxlOBeZQQYbYS6WxSbIA" in found


def test_a_url_in_text_of_ordinary_parameters_stays() -> None:
    text = "fetched https://api.example.com/v1/orders?page=2&limit=50&status=open in 12 ms"
    assert ENGINE.detect(text, FieldContext.of("msg", FieldKind.TEXT)) == []
