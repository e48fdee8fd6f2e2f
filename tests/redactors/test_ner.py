"""NER through Presidio: names and places in free text, offline, model configurable."""

from __future__ import annotations

import socket

import pytest
import tldextract.tldextract

from datamin.redactors.code_shapes import code_like_at
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.ner import ModelNotInstalled, NerDetector, _code_like


@pytest.fixture(scope="module")
def ner() -> NerDetector:
    return NerDetector()


def test_names_and_places_in_a_sentence(ner: NerDetector) -> None:
    text = "Please call Maria Gonzalez in Springfield before delivery."
    [found] = ner.detect_batch([(text, FieldContext.of("request.body.notes", FieldKind.JSON))])
    spans = {(f.entity, text[f.start : f.end]) for f in found}
    assert ("PERSON", "Maria Gonzalez") in spans
    assert ("LOCATION", "Springfield") in spans
    assert all(f.detector == "ner" for f in found)


def test_a_batch_keeps_its_order(ner: NerDetector) -> None:
    ctx = FieldContext.of("body", FieldKind.TEXT)
    out = ner.detect_batch([("Nothing to see here.", ctx), ("Ask John Smith.", ctx)])
    assert out[0] == [] and [f.entity for f in out[1]] == ["PERSON"]


def test_a_missing_model_is_an_error_not_a_download(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(ModelNotInstalled):
        NerDetector(model="en_core_web_does_not_exist")


def test_building_ner_makes_presidio_email_validation_offline(ner: NerDetector) -> None:
    extractor = tldextract.tldextract.TLD_EXTRACTOR
    assert extractor.suffix_list_urls == ()  # the bundled snapshot, never a fetch


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The small model calls these people; a person's name has no digits.
        ("Order ORD-2026-118734 (SKU-30417-GRN) was refunded.", "ORD-2026-118734"),
        ("Order A-20931 ships Tuesday.", "A-20931"),
        ("Your order A-20931", "A-20931"),
    ],
)
def test_order_numbers_are_not_names(ner: NerDetector, text: str, code: str) -> None:
    [found] = ner.detect_batch([(text, FieldContext.of("body", FieldKind.JSON))])
    start = text.index(code)
    assert not any(f.start <= start < f.end for f in found), found


@pytest.mark.parametrize(
    ("entity", "span", "code"),
    [
        ("PERSON", "Order ORD-2026-118734", True),
        ("PERSON", "Maria Gonzalez", False),
        ("LOCATION", "221B Baker Street", False),  # a house number is part of a place
        ("LOCATION", "Route 66", False),
        ("LOCATION", "SKU-30417-GRN", True),
        ("LOCATION", "20931", True),
        ("LOCATION", "Foo::Bar", True),  # a scope operator: code, not a place
        ("PERSON", "sumOfValuesInRange", True),  # camelCase identifiers
        ("LOCATION", "NSInteger)sumOfValuesInRange", True),
        ("PERSON", "parse_street_name", True),  # snake_case
        ("PERSON", "Jean-Luc Picard", False),
        ("PERSON", "DeShawn McDonald", False),  # two humps are a name's
    ],
)
def test_code_like_spans(entity: str, span: str, code: bool) -> None:
    assert _code_like(entity, span) is code


def test_code_in_text_is_never_a_name_or_place(ner: NerDetector) -> None:
    # Identifiers and scope operators the small model reads as places and people.
    ctx = FieldContext.of("body", FieldKind.TEXT)
    texts = [
        "Use std::vector and Foo::Bar in the header",
        "Implement - (NSInteger)sumOfValuesInRange: in the category, Maria.",
        "In Berlin::Router we call Paris.open() and London_Bridge_v2",
    ]
    for text, found in zip(texts, ner.detect_batch([(t, ctx) for t in texts]), strict=True):
        for f in found:
            assert not code_like_at(text, f.start, f.end), (text, f)


def test_a_label_the_model_calls_a_person_is_kept(ner: NerDetector) -> None:
    # The small model tags these short Title Case labels as people; their last word is the
    # thing they name. A name beside them is still found.
    ctx = FieldContext.of("workflows[0].friendly_name", FieldKind.JSON)
    labels = ["Default Fifo Workflow", "Delivery Webhook"]
    for found in ner.detect_batch([(t, ctx) for t in labels]):
        assert [f for f in found if f.entity == "PERSON"] == []
    [found] = ner.detect_batch([("Maria Gonzalez", ctx)])
    assert [f.entity for f in found] == ["PERSON"]


def test_markup_is_read_as_its_text(ner: NerDetector) -> None:
    # The small model finds no name inside tags; the view NER reads blanks them out, at the
    # same offsets, and ends a line where a block ends.
    from datamin.redactors.ner_views import ner_view

    html = "<html><body><h1>Welcome back, Henrik Lindqvist!</h1><p>Your order ships.</p>"
    view = ner_view(html, code=False)
    assert len(view) == len(html) and "<" not in view and "Henrik Lindqvist" in view
    assert view[view.index("Your") - 1] != "!"  # `</h1><p>` is a line's end, not a word's gap
    ctx = FieldContext.of("response.body", FieldKind.TEXT)
    [found] = ner.detect_batch([(view, ctx)])
    assert ("PERSON", "Henrik Lindqvist") in {(f.entity, html[f.start : f.end]) for f in found}
    # a comparison in code is no tag
    assert ner_view("if (a < b && c > d) {", code=False) == "if (a < b && c > d) {"


def test_a_pages_scripts_are_read_as_code_and_its_stylesheets_not_at_all() -> None:
    from datamin.redactors.ner_views import ner_view

    html = (
        "<style>body{font-family: Roboto, Arial}</style>"
        '<SCRIPT type="module">if ("string"==typeof t) say("Hi Maria Lopez")</SCRIPT>'
        "<p>Ana Souza</p>"
    )
    view = ner_view(html, code=False)
    assert len(view) == len(html)
    assert "Roboto" not in view and "typeof" not in view  # what is neither prose nor literal
    assert '"Hi Maria Lopez"' in view and "Ana Souza" in view
    template = '<script type="text/template"><p>Dear Maria Garcia</p></script>'
    assert "Maria Garcia" in ner_view(template, code=False)  # a template's body is markup
    unclosed = "<script>var Ana Souza"  # no end tag: read as the text it is
    assert "Ana Souza" in ner_view(unclosed, code=False)


def test_the_type_a_typeof_is_compared_with_is_no_text_to_read() -> None:
    from datamin.redactors.ner_views import ner_view

    code = 'n="string"==typeof e;if(typeof x !== "function")f("fatima",{"owner":"maria"})'
    view = ner_view(code, code=True)
    assert len(view) == len(code)
    assert "string" not in view and "function" not in view
    assert '"fatima"' in view and '"maria"' in view  # other literals, lower-case names too


def test_an_address_in_angle_brackets_is_no_tag_and_a_name_ends_at_its_line(
    ner: NerDetector,
) -> None:
    # Read as a tag, `<john.smith@acme.com>` became blank space, and the model carried the name
    # over it and the line break into the next header's label (`John Smith ... Sent`).
    from datamin.redactors.ner_views import ner_view

    text = "From: John Smith <john.smith@acme.com>\nSent: Tuesday, March 5, 2024 10:14 AM"
    assert ner_view(text, code=False) == text
    ctx = FieldContext.of("body", FieldKind.TEXT)
    [found] = ner.detect_batch([(ner_view(text, code=False), ctx)])
    assert all("\n" not in text[f.start : f.end] for f in found)
    assert "Sent" not in {text[f.start : f.end] for f in found}


def test_a_name_the_model_tags_once_is_a_name_elsewhere(ner: NerDetector) -> None:
    ctx = FieldContext.of("body", FieldKind.TEXT)
    text = "Ana Souza, Li Wei and Tom Hardy joined the call; later tom left early."
    [found] = ner.detect_batch([(text, ctx)])
    spans = {text[f.start : f.end] for f in found if f.entity == "PERSON"}
    # the list's items, and the lower-case later mention
    assert {"Li Wei", "Tom Hardy", "tom"} <= spans
    assert any("Souza" in s for s in spans)


def test_the_small_model_reads_without_its_shared_embedder(ner: NerDetector) -> None:
    """Its `ner` embeds tokens itself: the `tok2vec` the tagger and parser listened to is gone,
    and the entities are those of the model with it."""
    import spacy

    from datamin.redactors.ner import UNUSED_PIPES
    from datamin.redactors.ner_model import DEFAULT_MODEL

    [nlp] = ner.nlp_engine.nlp.values()
    assert nlp.pipe_names == ["ner"]
    whole = spacy.load(DEFAULT_MODEL, exclude=list(UNUSED_PIPES))
    assert "tok2vec" in whole.pipe_names
    texts = [
        "Hi Maria Castellano, your order shipped to 5474 Magnolia Road in Springfield.",
        "Send the refund to account holder Amara Valdivia, she lives in Lisbon.",
        "Nothing here but a status update.",
    ]
    ents = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]
    assert ents == [
        [(e.start_char, e.end_char, e.label_) for e in d.ents] for d in whole.pipe(texts)
    ]
    assert any(ents)


def test_an_embedder_a_pipe_listens_to_stays() -> None:
    import spacy

    from datamin.redactors.ner import drop_unheard_embedders

    listening = {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"},
    }
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("ner", config={"model": listening})
    drop_unheard_embedders(nlp)
    assert nlp.pipe_names == ["tok2vec", "ner"]
    alone = spacy.blank("en")
    alone.add_pipe("tok2vec")
    alone.add_pipe("ner")  # spaCy's default NER embeds its own tokens
    drop_unheard_embedders(alone)
    assert alone.pipe_names == ["ner"]


def test_a_name_searched_for_in_a_url_is_found_where_it_was_written() -> None:
    from datamin.redactors.engine import DetectionEngine
    from datamin.redactors.ner_model import DEFAULT_MODEL

    engine = DetectionEngine(ner_model=DEFAULT_MODEL)
    url = "https://crm.example.com/api/v2/Contacts/Search?q=Maria%20Gonzalez&limit=20"
    for ctx, value, written in (
        (FieldContext.of("request.url", FieldKind.URL), url, "Maria%20Gonzalez"),
        (FieldContext.of("request.queryString[0].value", FieldKind.QUERY), "Maria Gonzalez", None),
        # A header that holds a URL: the page a search was made from.
        (FieldContext.of("request.headers.referer", FieldKind.HEADER), url, "Maria%20Gonzalez"),
        # ... and a path with its query logged in a field of its own (Kong's `upstream_uri`).
        (
            FieldContext.of("kong.upstream_uri", FieldKind.JSON),
            "/search?q=Maria%20Gonzalez",
            "Maria%20Gonzalez",
        ),
    ):
        [found] = engine.detect_ner([(value, ctx)])
        assert [value[f.start : f.end] for f in found if f.entity == "PERSON"] == [written or value]


def test_an_entity_is_cut_at_its_line_breaks_and_a_labels_line_dropped() -> None:
    from datamin.redactors.ner import _lines

    def pieces(text: str, entity: str) -> list[str]:
        start = text.index(entity)
        return [text[s:e] for s, e in _lines(text, start, start + len(entity))]

    assert pieces("From: John Smith\nSent: Tuesday", "John Smith\nSent") == ["John Smith"]
    assert pieces("Alexander Fleming\nPhone: 555", "Alexander Fleming\nPhone") == [
        "Alexander Fleming"
    ]
    assert pieces("Bill\nMurray said", "Bill\nMurray") == ["Bill", "Murray"]  # a name still
    assert pieces("Hi Ana Souza ", "Ana Souza ") == ["Ana Souza"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ticket opened by PRIYA RAMANATHAN yesterday", "PRIYA RAMANATHAN"),
        ("Customer MARGARET O'SULLIVAN called about invoice 4411", "MARGARET O'SULLIVAN"),
        ("Hi, this is JOHN SMITH from support", "JOHN SMITH"),
    ],
)
def test_a_name_in_capitals_is_read_as_a_name(text: str, name: str) -> None:
    """The small model reads no name in capitals; NER reads runs of words in capitals in a
    name's case, at the same offsets, unless the text is mostly capitals."""
    from datamin.redactors.engine import DetectionEngine
    from datamin.redactors.ner_model import DEFAULT_MODEL
    from datamin.redactors.ner_views import ner_view

    engine = DetectionEngine(ner_model=DEFAULT_MODEL)
    ctx = FieldContext.of("body", FieldKind.TEXT)
    assert engine.wants_ner(text, ctx)
    [found] = engine.detect_ner([(text, ctx)])
    assert name in {text[f.start : f.end] for f in found if f.entity == "PERSON"}
    assert len(ner_view(text, code=False)) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "ERROR: API KEY INVALID for tenant acme",  # capitals that are no name
        "status is PAYMENT FAILED again",
        "ALL CAPS MESSAGE FROM JOHN SMITH",  # mostly capitals: read as written
    ],
)
def test_capitals_that_are_no_name_stay(text: str) -> None:
    from datamin.redactors.engine import DetectionEngine
    from datamin.redactors.ner_model import DEFAULT_MODEL

    engine = DetectionEngine(ner_model=DEFAULT_MODEL)
    ctx = FieldContext.of("body", FieldKind.TEXT)
    found = engine.detect_ner([(text, ctx)])[0] if engine.wants_ner(text, ctx) else []
    assert [f for f in found if f.entity == "PERSON"] == []


@pytest.mark.parametrize("text", ["A-" * 20_000, "A'" * 20_000, "AB-" * 20_000 + "x"])
def test_capitals_joined_by_dashes_take_linear_time(text: str) -> None:
    """A guard against backtracking, not a benchmark: each `-` starts a word in capitals."""
    import time

    from datamin.redactors.ner_views import ner_view, reads_as_prose

    started = time.perf_counter()
    reads_as_prose(text)
    ner_view(text, code=False)
    assert time.perf_counter() - started < 1.0
