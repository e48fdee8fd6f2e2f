"""Names the words around them give away, and words in the same places that are no names."""

from __future__ import annotations

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.listed import record_terms
from datamin.redactors.names import (
    NameCueDetector,
    elsewhere,
    labels_a_thing,
    list_siblings,
    only_common_words,
)

DETECTOR = NameCueDetector()
BODY = FieldContext.of("body", FieldKind.TEXT)


def names(text: str) -> set[str]:
    return {text[f.start : f.end] for f in DETECTOR.detect(text, BODY) if f.entity == "PERSON"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # labels, and lists after them
        ("Name: Hannah Müller", {"Hannah Müller"}),
        ("Attendees: Ana Souza, Li Wei and Tom Hardy", {"Ana Souza", "Li Wei", "Tom Hardy"}),
        ("cc: Tomás Alves; Yuki Mori", {"Tomás Alves", "Yuki Mori"}),
        # a people list without a colon; its last item in lower case; one-letter surnames
        (
            "notes: attendees Gemma Clark, Hannah Newton and caroline wallace; next call",
            {"Gemma Clark", "Hannah Newton", "caroline wallace"},
        ),
        ("asistentes María Cristina de la O y bianca ulloa.", {"María Cristina de la O"}),
        ("participants Adèle Carpentier et roland bailly ; prochain", {"roland bailly"}),
        ("Please call Sinead O'Connor today", {"Sinead O'Connor"}),
        # lower-case list items with a surname's particles, two-letter words, endings of
        # abstract nouns, letters RE2's ASCII word boundary would cut (`andrée`), generations
        (
            "ata: participantes Bruna Borges e gabrielly da cruz; próxima",
            {"gabrielly da cruz"},
        ),
        (
            "acta: asistentes Ana Partida y maría del carmen ojeda; próxima",
            {"maría del carmen ojeda"},
        ),
        ("participants Marc Pineau et clémence bazin ; prochain", {"clémence bazin"}),
        ("participants Marc Pineau et andrée hoarau ; prochain", {"andrée hoarau"}),
        ("participantes Bruna Borges e maria isis sá; próxima", {"maria isis sá"}),
        (
            "Teilnehmer Egon Koch II, Christl Stumpf und tülay werner; nächster",
            {"Egon Koch II", "Christl Stumpf", "tülay werner"},
        ),
        # greetings closed by punctuation; any script's letters; lower case after a comma
        ("Hi Maria,\nthe parcel is at the door.", {"Maria"}),
        ("Hi Zoë Brennan, your order shipped", {"Zoë Brennan"}),
        ("Olá Beatriz, o pacote chegou.", {"Beatriz"}),
        ("hey maria, quick one", {"maria"}),
        # signatures end their line
        ("the door.\nBest,\nJohn", {"John"}),
        ("Thanks, Priya Whitfield", {"Priya Whitfield"}),
        ("Cheers, priya", {"priya"}),
        ("Viele Grüße, Anke", {"Anke"}),
        ("Thanks for the help — Sam Patel", {"Sam Patel"}),
        ("thanks a lot — marco", {"marco"}),
        # titles, display names
        ("Please ask Dr. Okonkwo to sign, or Mrs. Lindqvist.", {"Dr. Okonkwo", "Mrs. Lindqvist"}),
        ("From: Jane Doe <jd@example.org>", {"Jane Doe"}),
        # a display name in a script without capitals
        ("To: 田中 聡太郎 <tanaka@example.jp>", {"田中 聡太郎"}),
        ("김민수 <kim@example.kr>", {"김민수"}),
        ('Reply-To: "Oskar Nyberg" <on@example.net>', {"Oskar Nyberg"}),
        # verbs and relations that take a person, lower case after a verb used as one
        ("Please call Kwame Valdivia before delivery", {"Kwame Valdivia"}),
        ("Leave it with Noémie Núñez if nobody answers", {"Noémie Núñez"}),
        ("can you call john smith about the refund", {"john smith"}),
        ("if he is out, ask for maria at the desk", {"maria"}),
        ("This song is a tribute to Camila Restrepo and her band", {"Camila Restrepo"}),
        ("My friend Joaquín Ferreira will pick it up", {"Joaquín Ferreira"}),
        ("Hi, this is Tomasz Lindqvist. My new number", {"Tomasz Lindqvist"}),
        # "this is", greetings, lists and signatures in more of the default regions' languages
        ("Hei, olen Marika Ahonen. Tilaukseni ei ole tullut.", {"Marika Ahonen"}),
        ("Merhaba, ben Ercihan Ülker. Siparişim gelmedi.", {"Ercihan Ülker"}),
        (
            "Merhaba Muktedir,\n\nekip: Nurmelek Hançer ve Idık İhsanoğlu.",  # noqa: RUF001
            {
                "Muktedir",
                "Nurmelek Hançer",
                "Idık İhsanoğlu",  # noqa: RUF001
            },
        ),
        ("Bel me op 0286-930173.\n\nMet vriendelijke groet,\nTibo Reynders", {"Tibo Reynders"}),
        # a Flemish surname whose capital is an elided article
        ("Bel me op 0286-930173.\n\nMet vriendelijke groet,\nElke D'hondt", {"Elke D'hondt"}),
        ("Soita minulle.\n\nYstävällisin terveisin\nElmeri Salo", {"Elmeri Salo"}),
        # a given name that is a common word too, where a sign-off or greeting puts a name
        ("Met vriendelijke groet,\nAn Lenaerts", {"An Lenaerts"}),
        ("Best regards,\nWill Smith", {"Will Smith"}),
        # German's dative sign-off, Czech's, and a Czech introduction
        ("Bitte um Rückruf.\n\nMit freundlichen Grüßen\nKlaus Weber", {"Klaus Weber"}),
        ("Děkuji.\n\nS pozdravem\nJana Nováková", {"Jana Nováková"}),
        ("Dobrý den, jmenuji se Petr Novák.", {"Petr Novák"}),
        # four words of a name, and the list goes on after it
        (
            "participantes Ana Souza, Luiz Felipe Casa Grande e theodoro santos; próxima",
            {"Ana Souza", "Luiz Felipe Casa Grande", "theodoro santos"},
        ),
        # a two- or three-word name as the subject of a verb of speech
        ("Amara Oyelaran asked us to send it", {"Amara Oyelaran"}),
        ("aviso: Zeferino Cantú llamó por el pedido", {"Zeferino Cantú"}),
        # German tells it in the perfect, the participle last
        ("Hinweis: Irma Drewes hat wegen Bestellung 8 angerufen", {"Irma Drewes"}),
        ("Leo Koch II hatte uns gestern geschrieben", {"Leo Koch II"}),
        # a name found once is a name at its other occurrences, in any case
        (
            "Ms. Aiko Tanaka asked that Aiko gets it; aiko is away.",
            {"Ms. Aiko Tanaka", "Aiko", "aiko"},
        ),
        # a middle initial, with or without its dot, inside a name
        ("Directed By:    Gladys L. Leblanc", {"Gladys L. Leblanc"}),
        ("Name: Csanád P Gere", {"Csanád P Gere"}),
        # a sentence that starts with its cue is no Title Case button
        ("My name is Rubija", {"Rubija"}),
        # saying one's own name, in lower case
        ("my name is vitoria", {"vitoria"}),
        ("sometimes people call me višeslav", {"višeslav"}),
        # ... and capitalized, one word (what others call one)
        ("Sometimes people call me Csanád", {"Csanád"}),
        ("You can call me Natasja, everyone does", {"Natasja"}),
        # a title in lower case, with its dot
        ("I'd like to join accounts with ms. Quinzia", {"ms. Quinzia"}),
        # the subject of a verb of dwelling before its door
        ("Sofie lives on 69 Av Sidi Lakhmi street.", {"Sofie"}),
        ("Juliusz A Kwiatkowski lives at 28919 136 Filadelfeos Str.", {"Juliusz A Kwiatkowski"}),
        # the answer to a question for a name, a speaker's label, a person addressed
        ("What's your name? Jildau S Bouts", {"Jildau S Bouts"}),
        ("What's the name on the account? User: Maja S Hermansen", {"Maja S Hermansen"}),
        ('Maja Hermansen: "Who are you?"\nTom Ek:"I\'m her son".', {"Maja Hermansen", "Tom Ek"}),
        ("Warrane, can I please speak to your boss?", {"Warrane"}),
        ("She named him Luís", {"Luís"}),
        # a name alone on the line that heads a contact block
        ("Maureen Thibault\n\n41086 Kiannonkatu 98\n Suite 464\n OULU", {"Maureen Thibault"}),
        (">Ella H. Snider\n>Otc Markets\n>228 Ringvej 144\n>Apt. 902", {"Ella H. Snider"}),
        ("leone mazzi\n\nnurse\n\npersonal info:\nphone:\n0393 1144137", {"leone mazzi"}),
        # Windows line ends, as e-mail is often stored
        ("Maureen Thibault\r\n\r\n41086 Kiannonkatu 98\r\n Suite 464", {"Maureen Thibault"}),
        ("Best wishes\nJohn Carter\nSales\njohn.carter@example.com", {"John Carter"}),
        ("Alexander Fleming\nPhone: 555 0100", {"Alexander Fleming"}),  # a surname in -ing
        # a longer sign-off is not cut to its first word, leaving the second for a name
        ("Yours truly\nAnna Berg", {"Anna Berg"}),
        # the possessor of kin (inside a sentence, one word; anywhere, two), also where a
        # logged JSON string escapes its quotes; a flat's word ends a name
        ("Elizabeth:\"I'm Amanda's daughter\".", {"Amanda"}),
        ("It was a done thing between him and Asya's son; and", {"Asya"}),
        ("Wisława Szczepańska's widower spoke to the press", {"Wisława Szczepańska"}),
        ("Jordan:\\\"I\\'m Mary\\'s daughter\\\".", {"Mary"}),
        ("Mrs. Dawn Jessen Suite 085 23 Rúa do Paseo 11", {"Mrs. Dawn Jessen"}),
        # thanks said twice over before a sign-off's name
        ("Grazie mille, Francesca Bianchi", {"Francesca Bianchi"}),
        ("Thanks so much,\nOwen Pryce", {"Owen Pryce"}),
        ("Muchas gracias, Inés Robles", {"Inés Robles"}),
        # handing a message on to someone, particles and all
        ("Please forward to María de la Cruz in billing", {"María de la Cruz"}),
        ("can you pass it on to tariq haddad", {"tariq haddad"}),
    ],
)
def test_names_found(text: str, expected: set[str]) -> None:
    assert expected <= names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order for Trail Runner 2 shipped",  # "for" is not a person cue
        "Thanks so much for the update",  # thanks, then no name
        "please forward to the billing team",
        "Call Center Hours apply",  # organisational words are no names
        "Please call Support Team",
        "Call Stack depth exceeded",  # Title Case UI text: a capitalized verb and one word
        "Ask Question button moved",
        "Hello World program in Rust",  # a greeting's word not closed by punctuation
        "Hi team, the deploy is done.",
        "Hi there, build 5521 is green",
        "Thanks, everyone!",
        "Cheers, and see you next week",  # the signature's word does not end the line
        "Best regards,\nThe Support Team",
        "Cheers,\nAn Introduction",  # a sign-off before a title, not a name
        "Met vriendelijke groet,\nde klantenservice",  # nobody `met` the Dutch sign-off's words
        "Ask for a refund within 30 days",  # stop words and common nouns after a verb
        "please call back tomorrow",
        "the text field is empty",  # a verb's noun use: after an article
        "we asked for directions",  # a noun's ending
        "- Cleanup\n- Refactor\n",  # markdown list items are no signatures
        "Attendees: 12, Rooms: 3",  # a list label with no names after it
        "participants were asked to wait",  # a people word heading no list
        "Tags: Backend, Urgent",  # not a label of people
        "In Berlin::Router we call Paris.open()",  # code
        "Dear customer, your order shipped.",
        "Dark Mode works on iOS",  # products do things too: only speech verbs count
        "Google Maps says 5 min",  # and only in the past tense
        "Release Notes said nothing",  # every word of the subject must be a name's
        "Ring twice, then wait",  # `ring` is no cue for a lower-case name
        "Die Kundin hat gestern angerufen",  # an article: a role, not a name
        "Release Notes hat geschrieben",
        "Ich bin zufrieden mit dem Service",  # "I am" before no name
        "Sono arrivati ieri",
        "Contact Us Today",  # Title Case text whose every word is capitalized
        "call me tomorrow",  # no name after `call me`
        "Call me Monday",  # nor a day, capitalized
        "Please call me ASAP",
        "Call Me Now",  # Title Case text
        "my name is not important",
        "it took 35 ms. Then we retried",  # milliseconds, not a title
        "The Office lives at 5 High St",  # an article: a place, not a person
        "What is the name of the file? Report.pdf",  # a question for a file's name
        "Sorry, can I ask something?",  # an interjection, not a person addressed
        'Note: "quoted" text follows',  # a label's word, not a speaker
        'Status: "ok"\nReason: "timeout"\nDescription: "Blue widget"',  # keys, one word each
        'Product Name: "Blue widget"',  # a key of two words
        "Release Notes\n\nPhone: support line",  # a heading of common words
        "Getting Started\n\nEmail: support@example.com",  # a gerund heads a section
        "Acme Corporation\n123 Market St\nSan Francisco",  # an abstract noun's ending
        "getting started\n\nemail: support@example.com",  # in lower case too
        "Order Summary\nSuite 12 items",
        # a capital letter between capitalized words: products', machines' and sentences'
        # words as often as a middle initial (`Galaxy S Ultra`, `Replica B. Restarting`)
        "the Galaxy S Ultra is out of stock",
        "INFO starting Worker A Thread",
        "WARN disk usage high on Node B Primary",
        "failed over to Replica B. Restarting workers",
        "Assigned to Queue A. Retry later",
        # kin of a common noun, or in a title's capitals; an answer that is no name
        "the farmer's wife called twice",
        "The Farmer's Daughter is on tonight",
        "bot: what's the name of the file? user: thanks for asking",
        "see the dr. tomorrow about it",
        # kin of a role at a sentence's start or after a determiner, of a shop, of a node
        "Note: Doctor's son requested a callback.",
        "Patient's wife called twice",
        "the Employee's husband signed",
        "I told Dad's wife about it",
        "I ordered a Wendy's kids meal",
        "Returns the Node's children. Each node has an id",
        # lower-case titles and answers are left to NER: `ms.` is milliseconds as often
        "request completed in 12 ms. redis pool ok",
        "what's the name of that file? final draft",
        "They named her employee of the month",
    ],
)
def test_not_names(text: str) -> None:
    assert names(text) == set()


def test_a_possessive_is_not_part_of_the_name() -> None:
    assert names("Hi, this is Dr. Patel's office") == {"Dr. Patel"}
    assert names("Call Mr. Okafor\u2019s assistant") == {"Mr. Okafor"}
    assert names("Dear Mr. O'Brien,") == {"Mr. O'Brien"}  # an apostrophe inside a name stays


def test_a_title_goes_with_the_name_but_is_no_term_of_the_record() -> None:
    # The title says a gender; with the name gone, it names nobody else.
    assert names("Please ask Dr. Okonkwo to sign") == {"Dr. Okonkwo"}
    assert names("Mr. Martin is a 50 year old man") == {"Mr. Martin"}
    # The record's other fields lose the name's words, not the title's (`I miss you`).
    assert record_terms([("PERSON", "Miss Ada Quinn")]) == {
        "miss ada quinn": "PERSON",
        "quinn": "PERSON",
    }


def test_a_lower_case_list_item_of_common_words_is_no_name() -> None:
    assert names("attendees Ana Souza and the conference team; next") == {"Ana Souza"}
    assert names("participants Ana Souza et la conférence ; prochain") == {"Ana Souza"}


def test_a_lower_case_word_after_a_semicolon_ends_the_list() -> None:
    assert names("Teilnehmer René Butte; nächster Termin") == {"René Butte"}


def test_list_siblings_and_other_occurrences() -> None:
    text = "Ana Souza, Li Wei and Tom Hardy met; later tom left."
    known = [(text.index("Li Wei"), text.index("Li Wei") + len("Li Wei"))]
    siblings = {text[s:e] for s, e in list_siblings(text, known)}
    assert siblings == {"Ana Souza", "Tom Hardy"}
    tom = (text.index("Tom Hardy"), text.index("Tom Hardy") + len("Tom Hardy"))
    assert {text[s:e] for s, e in elsewhere(text, [tom])} == {"tom"}


def test_a_sibling_whose_given_name_is_a_common_word() -> None:
    # `An` (Flemish) is a stop word; coordinated with a name and followed by one, it is a name.
    text = "morgen komen An Colman en Pieter Janssens installatie doen, met The Team"
    known = [(text.index("Pieter"), text.index("Pieter") + len("Pieter Janssens"))]
    assert {text[s:e] for s, e in list_siblings(text, known)} == {"An Colman"}
    text = "Ana Souza, The Team and Li Wei"  # ...but a team is no one
    known = [(0, len("Ana Souza"))]
    assert {text[s:e] for s, e in list_siblings(text, known)} == {"Li Wei"}


def test_an_ordinary_value_costs_one_scan() -> None:
    # No cue word: the set prefilter answers and no pattern runs.
    for value in ("application/json", "123e4567-e89b-12d3-a456-426614174000", "2024-05-01"):
        assert DETECTOR.detect(value, BODY) == []


@pytest.mark.parametrize(
    ("span", "common"),
    [
        # What NER tags in short labels of API payloads (`In Progress`, `Company size`,
        # `Customer Profile Address`): made of label nouns only, no one's name.
        ("Progress", True),
        ("size", True),
        ("Profile Address", True),
        ("Delivery Webhook", True),
        # A name next to a label noun is still a name.
        ("Ana Test", False),
        ("Maria", False),
    ],
)
def test_only_common_words(span: str, common: bool) -> None:
    assert only_common_words(span) is common


@pytest.mark.parametrize(
    ("span", "thing"),
    [
        # Labels NER tags as people in API payloads: their last word is the noun they name.
        ("Default Fifo Workflow", True),
        ("Engagement Webhook", True),
        ("Starter Customer Profile", True),
        ("Wages Payable", True),
        # Names, including those whose surname is a common noun or a placeholder's.
        ("Rose Baker", False),
        ("Ana Test", False),
        ("Joe Customer", False),
        ("Maria Sales", False),
        ("Jane March", False),
        # One word is judged by `only_common_words`, not by its head.
        ("Workflow", False),
    ],
)
def test_a_span_ending_in_a_label_noun_names_a_thing(span: str, thing: bool) -> None:
    assert labels_a_thing(span) is thing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("こんにちは、中村 裕美子です。注文#39788569がまだ届いていません。", {"中村 裕美子"}),
        (
            "明日の設置は高橋 あすかと斎藤 七夏が担当します。\n"
            "よろしくお願いいたします。\n三浦 裕美子",
            {"高橋 あすか", "斎藤 七夏", "三浦 裕美子"},
        ),
        ("担当: 佐藤 まことさん", {"佐藤 まこと"}),  # a given name that ends in `と`
        ("山田　花子と申します。", {"山田　花子"}),  # an ideographic space
    ],
)
def test_japanese_names_spaced_between_family_and_given_name(text: str, expected: set[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "東京 大阪間の新幹線",  # no honorific, copula or particle after
        "東京 大阪は晴れ",  # `は` is a topic, not a person
        "新宿 渋谷から乗り換え",
        "第1章 概要\n",  # a numbered heading
        "設定画面 変更が必要",  # a longer kanji run is a word, not a family name
    ],
)
def test_spaced_japanese_words_that_are_no_names(text: str) -> None:
    assert names(text) == set()


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("Julia May", True),  # a stop word that is also a surname, capitalized
        ("Will Julia", True),
        ("Julia The Great", False),  # a phrase's stop word
    ],
)
def test_value_of_a_recurring_name_is_taken_whole(text: str, whole: bool) -> None:
    from datamin.redactors.listed import term_findings

    spans = {(text[f.start : f.end]) for f in term_findings(text, {"julia": "PERSON"})}
    assert (text in spans) is whole


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A name in capitals after a cue, where the text around is not in capitals.
        ("Customer: DEREK O'CONNELL wants a refund", {"DEREK O'CONNELL"}),
        ("thanks JOHN SMITH", {"JOHN SMITH"}),
        # A lower-case name after a greeting, before thanks or a question.
        ("hi tobias thanks for the update", {"tobias"}),
        ("hey marisol can you check?", {"marisol"}),
        # Added to, invited to or removed from a conversation: a person.
        ("can you add marisol fuentes to the channel", {"marisol fuentes"}),
        ("please invite Dana Okafor to the meeting", {"Dana Okafor"}),
        ("please loop in dmitri volkov on this", {"dmitri volkov"}),
        # A common word as a name after a verb that takes a person, the sentence going on in
        # lower case: no button's Title Case text.
        ("Tell Faith the meeting moved to 4pm", {"Faith"}),
        ("Ask Joy to send the deck", {"Joy"}),
    ],
)
def test_names_after_cues_in_messages(text: str, expected: set[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "URGENT: SERVER DOWN, CALL JOHN SMITH",  # all in capitals: its capitals say nothing
        "Call Stack",  # a button's text
        "Contact Sales",
        "hey team thanks for the update",  # a group, not a person
        "hi there can you help",
        "add milk to the list",  # not a conversation a person is added to
        "add support to the thread",  # a label's word
        "Tell us what you think",
    ],
)
def test_message_look_alikes_are_not_names(text: str) -> None:
    assert names(text) == set()
