"""Street addresses by grammar: European and American forms, and what only looks like one."""

from __future__ import annotations

import pytest

from datamin.redactors.addresses import AddressDetector
from datamin.redactors.context import FieldContext, FieldKind

DETECTOR = AddressDetector()
BODY = FieldContext.of("body", FieldKind.TEXT)


def spans(text: str) -> list[str]:
    return [text[f.start : f.end] for f in DETECTOR.detect(text, BODY)]


def covered(text: str, value: str) -> bool:
    start = text.index(value)
    return any(
        f.start <= start and start + len(value) <= f.end for f in DETECTOR.detect(text, BODY)
    )


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # English: number first, type last, direction and unit after
        ("Ship to 742 Evergreen Terrace today", "742 Evergreen Terrace"),
        ("It is 1600 Pennsylvania Avenue NW, Apt 4B.", "1600 Pennsylvania Avenue NW, Apt 4B"),
        ("moved to 221B Baker Street, London NW1 6XE.", "221B Baker Street, London NW1 6XE"),
        ("at 77 Oak Ridge Rd., Unit 12 now", "77 Oak Ridge Rd., Unit 12"),
        ("at 350 West 42nd Street", "350 West 42nd Street"),
        ("send it to 039 O'Brien Turnpike", "039 O'Brien Turnpike"),  # a capital after `'`
        ("Rue D\u2019Alembert 12, Paris", "Rue D\u2019Alembert 12"),
        ("to 10 Downing St, London SW1A 2AA", "10 Downing St, London SW1A 2AA"),
        ("office: 500 Main St, Springfield IL 62704", "500 Main St, Springfield IL 62704"),
        # German, Dutch, Nordic: type glued to the name or its own word, number after
        ("Bitte an Kantstrasse 40, 10623 Berlin liefern", "Kantstrasse 40, 10623 Berlin"),
        ("Hauptstraße 112, 80331 München", "Hauptstraße 112, 80331 München"),
        ("Goethestr. 9 im Hinterhof", "Goethestr. 9"),
        ("wohnt in der Berliner Straße 12", "Berliner Straße 12"),
        ("Kaiser-Wilhelm-Ring 5, 50672 Köln", "Kaiser-Wilhelm-Ring 5, 50672 Köln"),
        ("Prinsengracht 263, 1016 GV Amsterdam", "Prinsengracht 263, 1016 GV Amsterdam"),
        ("Drottninggatan 53, 111 21 Stockholm", "Drottninggatan 53, 111 21 Stockholm"),
        ("Nørrebrogade 20, 2200 København", "Nørrebrogade 20"),
        # French: type first, number before or after; `bis`
        ("Livraison au 12 rue du Pont Simon, 75004 Paris.", "12 rue du Pont Simon, 75004 Paris"),
        ("Mon adresse: Rue du Pont Simon 172, Lyon", "Rue du Pont Simon 172"),
        ("au 4 bis avenue d'Italie", "4 bis avenue d'Italie"),
        # Spanish, Portuguese, Italian, Polish, Colombian
        ("Envie para Rua Igreja 25, apto 3, 01310-100 São Paulo", "Rua Igreja 25, apto 3"),
        ("Mi dirección es Calle Mayor 14, 3º B, 28013 Madrid", "Calle Mayor 14, 3º B"),
        ("Enviar a Av. Corrientes 1234, piso 5", "Av. Corrientes 1234, piso 5"),
        ("Moro na Rua das Flores, 88 - Centro", "Rua das Flores, 88"),
        ("Consegna in Via Garibaldi 23, 20121 Milano", "Via Garibaldi 23, 20121 Milano"),
        ("Abito in Corso Vittorio Emanuele II 45", "Corso Vittorio Emanuele II 45"),
        ("Dostawa: ul. Marszałkowska 10/12, 00-590 Warszawa", "ul. Marszałkowska 10/12"),
        ("Entregar en Carrera 15 # 93-47, Bogotá", "Carrera 15 # 93-47"),
        # USPS and British suffixes; a British unit before a street without a number
        ("resend it to 908 Kenneth Heights. My", "908 Kenneth Heights"),
        ("at 779 Evans Mountains Suite 322.", "779 Evans Mountains Suite 322"),
        ("send it to 4230 Aslan Rapid Suite 584.", "4230 Aslan Rapid Suite 584"),  # USPS: RAPID
        ("Please resend it to 692 Mitchell Rue. My", "692 Mitchell Rue"),  # USPS: RUE
        ("Please resend it to 75428 Jimenez Via. Thanks", "75428 Jimenez Via"),  # VIA(DUCT)
        ("Please resend it to Flat 2, Baker Squares.", "Flat 2, Baker Squares"),
        # USPS types that name other things too, after a house number or a unit, the line
        # ending at the type
        ("resend it to 4827 Megan Center. My", "4827 Megan Center"),
        ("resend it to 486 Rebecca Bridge, Austin TX 78701", "486 Rebecca Bridge"),
        ("resend it to Flat 54, Andrews Mission.", "Flat 54, Andrews Mission"),
        ("envíenlo a Circunvalación Ramos 800, 06500 Ciudad", "Circunvalación Ramos 800"),
        # A street starting with a capital outside ASCII, at a text's start too (RE2's `\b`
        # is ASCII's); Greek and Indonesian types; a two-letter stem before a long type
        ("Ózdi út 68.", "Ózdi út 68"),
        ("Λεωφόρος Δουλίου 966-368", "Λεωφόρος Δουλίου 966-368"),
        ("kirim ke Jl. Monginsidi No. 900, Bandung", "Jl. Monginsidi No. 900"),
        ("Ektorget 70, 111 21 Stockholm", "Ektorget 70"),
        ("Nybostræde 404", "Nybostræde 404"),
        # `-ring` after a consonant is a German ring road; `Heß` is a short stem for `str.`
        ("Bitte an Heringring 2 schicken.", "Heringring 2"),
        ("Bitte an Heßstr. 72/18 schicken.", "Heßstr. 72/18"),
        # Mexican and Brazilian street types, units spaced the way forms write them
        (
            "envíenlo a Peatonal Lozada 645 Edif. 863 , Depto. 122.",
            "Peatonal Lozada 645 Edif. 863 , Depto. 122",
        ),
        ("reenviem para Esplanada de Almeida, 92. Meu", "Esplanada de Almeida, 92"),
        # PO boxes
        ("Mail the form to PO Box 4521", "PO Box 4521"),
        ("Postfach 1234, 10115 Berlin", "Postfach 1234"),
        ("Caixa Postal 88", "Caixa Postal 88"),
        # US military mail: a PSC or unit and its box, a ship over its FPO line
        ("The office is at PSC 0413, Box 8144\nAPO AA 42323", "PSC 0413, Box 8144"),
        ("Please return to Unit 4719 Box 7394\nDPO AP 70942", "Unit 4719 Box 7394"),
        ("stillwater inc.\npsc 5420, box 2708\napo aa 33879", "psc 5420, box 2708"),
        ("Weber-Santana\nUSNS Bergman\nFPO AP 93757", "USNS Bergman"),
        # a building's number or a unit before the street line, on its line
        ("Billing address: Sara Schwarz\n    28245 Puruntie 82 Apt. 595", "28245 Puruntie 82"),
        ("my new address is 224 4966 Bond Street\n Suite 413", "224 4966 Bond Street"),
        ("Mrs. Barbara Yudina Apt. 675 62314 Mellemvej 32", "Apt. 675 62314 Mellemvej 32"),
        # Hungarian `u.` (utca)
        ("Our offices are located at 6076 Piroska u. 97.", "6076 Piroska u. 97"),
        # a unit on a quoted e-mail's next line
        (">Ella H. Snider\n>228 Ringvej 144\n>Apt. 902\n>Qaqortoq", "228 Ringvej 144\n>Apt. 902"),
        # a name and a number with no street word, a flat's number after them
        ("William Hughes\n\n20789 Allika 46\n Suite 501\n Riisa", "20789 Allika 46\n Suite 501"),
        ("20789 Allika 46\r\n Suite 501\r\n Riisa", "20789 Allika 46\r\n Suite 501"),
        ("Our offices are at 462 Stubengraben 80 Apt. 608", "462 Stubengraben 80 Apt. 608"),
        # two streets that cross, each with its type
        ("meet at the corner of ul. Cicha 86 and Leokadia Trail", "Leokadia Trail"),
        ("the corner of 3744 Retreat Avenue and Władysława Route", "Władysława Route"),
        # The phrase says both are streets: a name without its type word is one there.
        ("stop at the corner of Kuusiku 7 and Alexander Flat?", "Kuusiku 7"),
        ("meet me at the corner of Main and 5th tomorrow", "Main"),
        # a type word after the number, or a short one in lower case
        ("stop at the corner of Nieuwe Laan 47 St. and Orla Loop St.", "Orla Loop St."),
        ("the corner of 15 Ermou Kallisti str and Penn Union", "15 Ermou Kallisti str"),
        # a numbered unit after a house number written with its dot (Hungarian)
        ("my new place: 4521 Rákóczi út 66. Apt. 268, Eger", "4521 Rákóczi út 66. Apt. 268"),
        ("04862 Petőfi u. 49. Suite 638\nSzeged", "04862 Petőfi u. 49. Suite 638"),
        ("my place: 4521 Rákóczi út 66., Apt. 268", "4521 Rákóczi út 66., Apt. 268"),
        ("my place: 4521 Rákóczi út 66. #268 then", "4521 Rákóczi út 66. #268"),
        ("my place: 4521 Rákóczi út 66. Ste. 4", "4521 Rákóczi út 66. Ste. 4"),
    ],
)
def test_addresses_found(text: str, address: str) -> None:
    assert covered(text, address), spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "We are on Main Street near the park",  # a street without a door number
        "sent 2 files via email and 10 more via FTP",  # `via` after a number: no street
        "Route 66 is a song",  # a road's name: no house, no street type before a name
        "Version 2 Road map is published",  # no name word between number and type
        "Chapter 12 Place Settings",  # `Place` first with a number before is English
        "Order 4521 ships via Express Lane",  # `via` lower case, nothing after a number
        "Our Street Fighter 6 tournament",  # `Street` is no street after a name here
        "Spring 2024 release notes",  # `-ring` needs a longer stem
        "Monitoring 24 hosts",  # an English `-ring` word is a gerund: a vowel before `ring`
        "Filtering 10 Rows",
        "Top 5 National Parks",  # `Park` is not read as a street type
        "The Brigade 3 expansion",  # `-gade` glued to a two-letter stem
        "Upgrade to Windows 11 Pro",  # product names with numbers
        "Level 5 Boss Fight starts",
        "Top 10 Jurassic Park facts",
        "We run 3 Data Center sites",  # one digit: a count
        "Top 100 Jurassic Park facts",  # the title goes on in lower case
        "Call getAddress() on line 12 of Street.java",  # code
        "Room 101 Floor 3 meeting",  # units alone are no street
        "Adobe Creative Suite 5 license",  # a suite's number after no house number
        "the corner of the screen and the menu",  # crossing things that are no streets
        "Sent via DHL 3 times",  # `via` before an all-caps word and a count
        "Released v3.2.1 on 2024-05-01 at 10:00",  # versions and dates
        "123e4567-e89b-12d3-a456-426614174000",  # a UUID: no space, no type
    ],
)
def test_look_alikes_spared(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # the city and region after a unit, on its line, no comma or postcode between
        (
            "It reached 6400 12 Timms Drive Suite 215 NUNGATTA Australia last night.",
            "6400 12 Timms Drive Suite 215 NUNGATTA Australia",
        ),
        (
            "The office is at 731 ul. Lipowa 57 Apt. 819 Rzeszów Poland. It serves",
            "731 ul. Lipowa 57 Apt. 819 Rzeszów Poland",
        ),
        # ... after a form that holds its unit (a name and a number, a door after them)
        (
            "located at 06111 Άγιος Ανδρέας 198 Apt. 822 ΠΑΦΟΣ PA",
            "06111 Άγιος Ανδρέας 198 Apt. 822 ΠΑΦΟΣ PA",
        ),
        # not on the next line, and not words that run on in a sentence of their own
        ("20789 Allika 46\n Suite 501\n Riisa", "20789 Allika 46\n Suite 501"),
        ("Ship it to 12 Main Street Apt 4 Quickly Then Call", "12 Main Street Apt 4"),
        ("Ship it to 12 Main Street Apt 4 Thanks in advance", "12 Main Street Apt 4"),
        ("Ship it to 12 Main Street Apt 4 Monday works for delivery", "12 Main Street Apt 4"),
        ("Ship it to 12 Main Street Apt 4 Regards", "12 Main Street Apt 4"),
        ("Ship it to 12 Main Street Apt 4 Order Confirmed.", "12 Main Street Apt 4"),
        ("Ship it to 12 Main Street Apt 4 Kind Regards", "12 Main Street Apt 4"),
        ("Ship it to 12 Main Street Apt 4 Urgent!", "12 Main Street Apt 4"),
        ("Ship it to 12 Main Street Apt 4 Paris is lovely", "12 Main Street Apt 4"),
        ("Ship it to 12 Main Street Apt 4 Loading Dock", "12 Main Street Apt 4"),
    ],
)
def test_a_city_after_a_unit_is_the_lines(text: str, line: str) -> None:
    assert spans(text) == [line]


def test_a_corner_is_one_place() -> None:
    # Its words say nothing once its streets are gone: the phrase goes whole.
    text = "Ask the driver to stop at the corner of Kuusiku 7 and Alexander Flat?"
    assert spans(text) == ["the corner of Kuusiku 7 and Alexander Flat"]
    assert spans("meet at the corner of Main St&Elm St now") == ["the corner of Main St&Elm St"]


def test_a_street_name_is_not_taken_for_a_house_number_twice() -> None:
    # `75004` after `rue du Pont Simon,` is the postcode: one finding, not two overlapping.
    text = "Livraison au 12 rue du Pont Simon, 75004 Paris."
    assert spans(text) == ["12 rue du Pont Simon, 75004 Paris"]


def test_offsets_hold_with_non_ascii_before_the_address() -> None:
    text = "Zo\u00eb\u2019s new home: Lindenallee 7b"
    assert spans(text) == ["Lindenallee 7b"]


@pytest.mark.parametrize(
    ("text", "street"),
    [
        # Street types of more languages, written as each writes them.
        ("Levering til Sorø Allé 932 i dag", "Sorø Allé 932"),  # Danish, own word after
        ("Hämta på Parkstigen 91 imorgon", "Parkstigen 91"),  # Swedish, glued
        ("Adresse: Moehaugen 887, Oslo", "Moehaugen 887"),  # Norwegian, glued
        ("Osoite Kolubulevardi 91", "Kolubulevardi 91"),  # Finnish, glued
        ("Bezorgen op Bendreef 3 graag", "Bendreef 3"),  # Flemish, glued
        ("Kossuth utca 60. alatt", "Kossuth utca 60"),  # Hungarian, lower-case type after
        ("Bydlím Průjezdná 825 v Praze", "Průjezdná 825"),  # Czech, an adjective alone
        ("Livrare la Bulevardul Toma Nr. 19", "Bulevardul Toma Nr. 19"),  # Romanian, `Nr.`
        ("Consegna in Rotonda Claudia, 9", "Rotonda Claudia, 9"),  # Italian
        ("Enviar a Acceso Yolanda Sáez 119", "Acceso Yolanda Sáez 119"),  # Spanish
        ("Entregar na Colônia Brayan Carvalho, 53", "Colônia Brayan Carvalho, 53"),  # Brazil
        ("Deliver to 969 Rebecca Springs Apt. 492", "969 Rebecca Springs Apt. 492"),  # USPS
        ("Ship to 48, Handa Ganj today", "48, Handa Ganj"),  # Indian
        ("Osoite Lentokapteenin tie 7, Espoo", "Lentokapteenin tie 7"),  # Finnish, genitive
        # ... after a whole name, given name first (`Bertel Jungin bulevardi`), and a square.
        ("Uusi osoite: Bertel Jungin bulevardi 462, Helsinki", "Bertel Jungin bulevardi 462"),
        ("Nähdään Kalevan puistikko 3 huomenna", "Kalevan puistikko 3"),
        ("Osoite Fahlanderin puistokatu 526", "Fahlanderin puistokatu 526"),
        ("Leveren op Jonaslei 7 graag", "Jonaslei 7"),  # Flemish `lei`
        ("Entregar na Praia de Costa, 69", "Praia de Costa, 69"),  # Brazil
        # Russian and Ukrainian: a type word, the name, then the house after `д.` or `буд.`.
        ("Отправьте на ул. Вишневая, д. 19 стр. 1, спасибо", "ул. Вишневая, д. 19 стр. 1"),
        ("Адреса: вулиця Лазурний 4-й, буд. 4 кв. 5", "вулиця Лазурний 4-й, буд. 4 кв. 5"),
        # A name in a script without capitals before an English type word.
        ("Deliver to 12 الملك فهد Road, Riyadh", "12 الملك فهد Road"),
        ("Ship to 28135 સોનલ Skyway Suite 267", "28135 સોનલ Skyway Suite 267"),
        # Turkish: the type after the name, `No:` before the door, a flat after it.
        ("Adresim Atatürk Cad. No: 12 Daire 5, Moda", "Atatürk Cad. No: 12 Daire 5"),
        ("Bağdat Caddesi No 45", "Bağdat Caddesi No 45"),
        # A flat's word in Italian, French, Polish and Swedish after the street line.
        ("Via Bertolucci, 47 Appartamento 6", "Via Bertolucci, 47 Appartamento 6"),
        ("12 rue de la Paix Appartement 4", "12 rue de la Paix Appartement 4"),
        ("ul. Żabia 20 lok. 5", "ul. Żabia 20 lok. 5"),
        ("Storgatan 12 lgh 1101", "Storgatan 12 lgh 1101"),
    ],
)
def test_street_types_of_more_languages(text: str, street: str) -> None:
    assert covered(text, street)


@pytest.mark.parametrize(
    "text",
    [
        # The new types' words in ordinary text, with numbers near them, stay.
        "The Colgate 5 pack and Nova 3 phone",
        "Hong Kong Light 3 festival",  # `Light` needs a number before the name
        "Windows 10 Professional",
        "Supernova 1987A was bright",
        "Meeting at the Camp David accords, item 4",
        "Grand Prix 2026 round 5",
        "Note tie 7 later",  # a Finnish type's word after no genitive
        "the Katu 7 team",
        "пункт 3, д. 4 таблицы",  # a house's `д.` after no street type
        "Cad no 5 ok",  # a type's word with no name before it
        "The app 12 is ok",
    ],
)
def test_new_types_spare_ordinary_text(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # Korean: a province or metropolitan city first, the building's number last.
        ("주소는 경상남도 포천시 가락가 지하18입니다.", "경상남도 포천시 가락가 지하18"),
        ("서울특별시 강남구 테헤란로 152 (역삼동)", "서울특별시 강남구 테헤란로 152 (역삼동)"),
        ("배송지: 세종대로 110", "세종대로 110"),  # a road and a number alone
        # Japanese: prefecture, city, block numbers; a building and its room.
        ("住所は東京都千代田区丸の内1丁目9番2号です", "東京都千代田区丸の内1丁目9番2号"),
        ("四番町2丁目14番12号", "四番町2丁目14番12号"),
        ("住所は鳥越コート406です。", "鳥越コート406"),
        # A building's name of any words and its door, where a sentence says an address follows
        # or sends something there.
        ("住所はアーバン京橋499です。", "アーバン京橋499"),
        ("住所\uff1a東大和町シャルム648", "東大和町シャルム648"),  # a full-width colon
        ("Please send the replacement to アーバン東和町020.", "アーバン東和町020"),
        # Chinese: a road and the door's number.
        ("请寄到北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
        # ... in Taiwan's characters, with a section between.
        ("地址\uff1a台北市信義路五段7號", "台北市信義路五段7號"),
        ("寄到民生巷3段8號", "民生巷3段8號"),
        # Thai: the house's number and the road or lane glued to its name.
        ("ส่งที่ 210 ถนนถนิมมาศ แขวงบางรัก", "210 ถนนถนิมมาศ"),
        ("ที่อยู่ 925/4 ถ.มนทอง", "925/4 ถ.มนทอง"),
        # Vietnamese: `Số` and the house's number, or a number and a street word.
        ("Giao đến Số 5/15/585 Trần Hưng Đạo", "Số 5/15/585 Trần Hưng Đạo"),
        ("địa chỉ: Số 84 đường 30 Tháng 4", "Số 84 đường 30 Tháng 4"),
        ("nhà tôi ở 123 đường Lê Lợi, Quận 1", "123 đường Lê Lợi"),
        # Colombia's abbreviated types and `#`.
        ("Send to Cl. 179D # 7-61 Este", "Cl. 179D # 7-61 Este"),
        ("vivo en la Cr. 3ª # 64-87, Medellín", "Cr. 3ª # 64-87"),
    ],
)
def test_east_asian_addresses(text: str, address: str) -> None:
    assert covered(text, address)


@pytest.mark.parametrize(
    "text",
    [
        "3번 출구로 5분 걸려요",  # a number glued to its counter (minutes) is no door
        "서울로 3번 갔어요",
        "会議は3階の301号室で",  # a room without a building's name
        "価格は1200円です",
        "住所は東京です",  # a city: the policy's to keep
        "send it to 会議室3",  # a meeting room
        "please send the report to 田中 by 5pm",
        "ราคา 100 บาท",  # Thai: a price
        "có 3 người đi Hà Nội",  # Vietnamese: three people go to Hanoi
        "Số 3 là đẹp",  # "number 3 is pretty"
        "step 3 # 2-1 done",
    ],
)
def test_east_asian_text_without_addresses(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("Mijn adres is Leolei 842. Mijn rijksregisternummer volgt.", "Leolei 842"),
        ("Osoitteeni on Lentokapteenin bulevardi 767. Kiitos!", "Lentokapteenin bulevardi 767"),
        ("My address is Tessaring 17, 2000 Antwerpen", "Tessaring 17, 2000 Antwerpen"),
        ("Meine Adresse ist Am Kamp 7b.", "Am Kamp 7b"),
        # where someone lives, and an address's own label, before a building's number
        ("Tosh Olsen lives at 172 Maneeži 75, Saareküla", "172 Maneeži 75"),
        ("here's Matej's address:\n\n19902 Dobrovského 1394 Apt. 066", "19902 Dobrovského 1394"),
        ("please update the billing address with 4241 Steinfelden 73", "4241 Steinfelden 73"),
        # A text written without capitals: a house number first is enough.
        ("eva kleist lives at 255 hersnapvej 18, københavn k", "255 hersnapvej 18"),
        ("address:\n106 rúa olmos 44, belfast, south africa.", "106 rúa olmos 44"),
        # a short word with its dot before the name (`ul.`, and in Greek)
        ("please update the billing address with 24 ul. miła 131\ncodogne", "24 ul. miła 131"),
        ("Michael Tijsterman lives at 43 Ρ. Φεραίου 13, ΒΙΚΛΑ", "43 Ρ. Φεραίου 13"),  # noqa: RUF001
        # A name that took a unit's word for its own is followed by the unit's number.
        (
            "Our offices are at 6556 106 Rue Ettatawer Apt. 409\nSOUTH",
            "6556 106 Rue Ettatawer Apt. 409",
        ),
    ],
)
def test_a_sentence_that_says_whose_address_follows(text: str, street: str) -> None:
    # No street-type word the grammar knows: the sentence says it is someone's address.
    assert covered(text, street)


@pytest.mark.parametrize(
    "text",
    [
        "Your IP address is 10.0.0.1",  # an address of another kind, and nobody's
        "The address is Version 2 of the API",  # no possessive: whose?
        "my email address is John at 5pm",  # no house number: `5pm` is a time
        "my address is 5th floor",  # no name before the number
        "Invoice 2024 was sent to the billing address on file",  # a label without a street
        "Unit 7 tests passed, box 3 failed",  # no number after `Unit`'s own, no `Box`
        # Capitals elsewhere in the text: lower-case words after a number are no street name.
        "The IP address: 10 of them 5 times",
        "Billing address: 4 items, 3 left",
    ],
)
def test_address_words_without_a_persons_street(text: str) -> None:
    assert AddressDetector().detect(text, FieldContext.of("body", FieldKind.TEXT)) == []


@pytest.mark.parametrize(
    ("text", "street"),
    [
        # Where a sentence sends a parcel or a person, a street without its number is theirs.
        ("Merci de le renvoyer au rue Legros. Mon numéro : 06", "rue Legros"),
        ("Por favor reenviem para Estrada Mariane Guerra. Meu telefone", "Estrada Mariane Guerra"),
        ("Por favor reenviem para Conjunto de Nunes.", "Conjunto de Nunes"),
        ("please send the replacement to Núcleo de Casa Grande.", "Núcleo de Casa Grande"),
        ("I live on Calle Mayor, near the market", "Calle Mayor"),
        ("Bitte schicken Sie es an die Kantstraße.", "Kantstraße"),
        ("please send it to Baker Street", "Baker Street"),
        # German and Dutch put the verb last: a name and a number before it, whatever the type.
        ("Bitte an Schmiedeckering 5-5 schicken.", "Schmiedeckering 5-5"),
        ("Kunt u het naar Kerkweg 12 sturen?", "Kerkweg 12"),
        # A house number, a name and a number: a street whose type its name leaves out.
        ("Please return to 72134 Coronilla 3599\nNijmegen", "72134 Coronilla 3599"),
    ],
)
def test_a_street_a_sentence_sends_something_to(text: str, street: str) -> None:
    assert covered(text, street)


@pytest.mark.parametrize(
    "text",
    [
        "send the report to the Route Planner team",  # English words after a type word
        "ship to Via Email",
        "I moved to Place Order page",
        "please forward it to Customer Service",
        "We are on Main Street near the park",  # no sentence sends anything there
        "Bitte an Herrn Müller 5 Exemplare schicken",  # a count of things, then the verb
        "Ich werde an Montag 5 Dateien senden",
        "Please return to 3 items by Friday",  # no capitalized name between the numbers
        "Please send to 20 Members 5 reminders",  # the clause goes on after the number
        "Item is located at 3 Bay 12.",  # where a thing is, or when it came
        "Your package arrived at 3 PM on March 5.",
    ],
)
def test_no_street_where_nothing_is_sent_to_one(text: str) -> None:
    assert AddressDetector().detect(text, FieldContext.of("body", FieldKind.TEXT)) == []


@pytest.mark.parametrize(
    ("text", "street"),
    [
        # A flat's unit on the next line or the same says the line of words and numbers
        # before it is a street's, in any case and script.
        ("jared paavolainen\n\n16 salontie 6\n apt. 523\n urjala", "16 salontie 6"),
        ("Nicholas Lycett\n\n48 Αγ. Ανδρέα 34\n Apt. 932\n Mexico", "48 Αγ. Ανδρέα 34"),  # noqa: RUF001
        (
            ">Laura Pisani\n>51 1819 St. John Street\n>Apt. 327\n>Archerwill",
            "51 1819 St. John Street",
        ),
        # ... or before it on its line
        ("Mrs. Michele Johansen Apt. 870 59 Bouciña 65\nAltafulla", "Apt. 870 59 Bouciña 65"),
        ("mrs. dawn jessen suite 085 23 rúa do paseo 11\nsalteras", "suite 085 23 rúa do paseo 11"),
    ],
)
def test_a_flats_unit_marks_the_street_line_beside_it(text: str, street: str) -> None:
    assert covered(text, street)


@pytest.mark.parametrize(
    "text",
    [
        "version 2 build 5\nunit 3 tests passed",  # the line does not start with the number
        "10 tests 5\nsuite 2 ok",  # the unit's line goes on
        "ran 3 jobs 4 suite 2 ok",
        # a CI log's lines: English words between the numbers, Debian's `apt`
        "[3/14] building target jetty\napt 7 60 packages upgraded 1\n",
        "Build OK\n65 tests failed 6\nSuite 5",
        "10 tests 5\nsuite 2",
        "Flexzilla 50 Ft. Garden Hose",  # feet
    ],
)
def test_numbers_beside_a_units_word_are_no_street(text: str) -> None:
    assert AddressDetector().detect(text, FieldContext.of("body", FieldKind.TEXT)) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # The postcode beside the street's city joins the address, in the shapes and orders
        # countries write it: a region and four digits (AU), a state after a dash and a CEP
        # (BR), a colonia and `C.P.` (MX), a ward, a city and `153-0063` (JP), six digits (SG).
        ("deliver to 48 Pirrama Road, Pyrmont NSW 2009 thanks", "Pyrmont NSW 2009"),
        ("Av. Paulista 900, São Paulo - SP, 01311-000", "São Paulo - SP, 01311-000"),
        ("Rua Oscar Freire 379, Jardins, São Paulo - SP, 01426-001", "01426-001"),
        ("Calle Durango 215, Col. Roma Norte, C.P. 06700, CDMX", "Col. Roma Norte, C.P. 06700"),
        ("Av. Insurgentes Sur 1602, CP 03940 Ciudad de México", "CP 03940 Ciudad de México"),
        ("send it to 21 Tampines Street 45, Singapore 520123", "Singapore 520123"),
        ("Blk 88 Yishun Avenue 2, Singapore 760088 ok?", "Yishun Avenue 2, Singapore 760088"),
        (
            "office: 2-11-3 Meguro, Meguro-ku, Tokyo 153-0063",
            "2-11-3 Meguro, Meguro-ku, Tokyo 153-0063",
        ),
        ("Rua da Consolação 100, CEP 01302-000", "CEP 01302-000"),
        ("12 Smith Street, Fitzroy VIC 3065.", "Fitzroy VIC 3065"),
        # A street written in lower case, with its city, state and ZIP code.
        ("pls send to 1428 elm street, portland or 97205", "1428 elm street, portland or 97205"),
        ("new address: 55 maple avenue, springfield", "55 maple avenue, springfield"),
        ("it's 742 evergreen terrace, springfield.", "742 evergreen terrace, springfield"),
    ],
)
def test_the_postcode_beside_the_city_joins_the_address(text: str, address: str) -> None:
    assert covered(text, address), spans(text)


@pytest.mark.parametrize(
    ("text", "street"),
    [
        # A year after the city is no postcode: no region's letters before it, no city after.
        ("12 Main Street, Boston 2019 was fun", "12 Main Street"),
        ("Calle Mayor 14, Madrid 2024.", "Calle Mayor 14"),
    ],
)
def test_a_year_after_the_city_stays(text: str, street: str) -> None:
    assert spans(text) == [street]


@pytest.mark.parametrize(
    "text",
    [
        "we saw 2 new street signs",  # no clause ends at the type word
        "I have 3 bugs in the main st",  # small words between the number and the type
        "open 2 user dr.",  # a label's word
        "postcode 2009 and 520123 alone",  # a postcode's digits with no address beside them
        "shipped 12000 units, Sydney NSW 2000 office",  # no street line before the city
        "steps 1-2-3 Go, Play, Win",  # numbers with dashes and no ward of Japan after them
    ],
)
def test_lower_case_and_postcode_look_alikes_spared(text: str) -> None:
    assert spans(text) == []
