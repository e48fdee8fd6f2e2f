"""People and places that structure gives away: the key (and its parent) decides, in every
spelling of the key and every spelling of the path."""

from __future__ import annotations

import pytest

from datamin.redactors.by_field import FieldNameDetector, keys_of
from datamin.redactors.context import FieldContext, FieldKind, FieldRole

DETECTOR = FieldNameDetector()
JSON, FORM, QUERY, TEXT = FieldKind.JSON, FieldKind.FORM, FieldKind.QUERY, FieldKind.TEXT


def found(text: str, path: str, kind: FieldKind) -> set[str]:
    ctx = FieldContext.of(path, kind)
    return {f.entity for f in DETECTOR.detect(text, ctx) if (f.start, f.end) == (0, len(text))}


@pytest.mark.parametrize(
    ("text", "path", "kind", "entity"),
    [
        # names: the key says so, in any spelling
        ("Hannah Müller", "request.body.customer.name", JSON, "PERSON"),
        ("Hannah Müller", "orders[0].ship_to.name", JSON, "PERSON"),
        ("Amara Okafor", "request.body.account_holder", JSON, "PERSON"),
        ("Ana", "request.body.first_name", JSON, "PERSON"),
        ("Ana", "request.body.FirstName", JSON, "PERSON"),
        ("Ana", "request.body.given-name", JSON, "PERSON"),
        ("Souza", "request.body.name.family", JSON, "PERSON"),  # a structured name's part
        ("Ms. Barbara J Jensen III", "user.name.formatted", JSON, "PERSON"),  # SCIM's whole name
        ("Egon Spengler", "user.profile.real_name", JSON, "PERSON"),
        ("octocat", "repo.owner.login", JSON, "PERSON"),  # a person's handle under a person
        # a name's parts under a person's parent, not only under `name`
        ("Maria", "response.body.customer.first", JSON, "PERSON"),
        ("Gonzalez", "response.body.customer.last", JSON, "PERSON"),
        ("van der Berg", "request.body.holder.family", JSON, "PERSON"),
        ("Maria", "request.body.contact.given", JSON, "PERSON"),
        # a sign-in name wherever it sits: Twitter's `screen_name`, WordPress's `user_login`
        ("mgonzalez", "response.body.screen_name", JSON, "PERSON"),
        ("mgonzalez", "response.body.user_login", JSON, "PERSON"),
        ("mgonzalez", "event.login", JSON, "PERSON"),
        ("@mgonzalez", "response.body.handle", JSON, "PERSON"),
        # a login that spells its owner's name, under a user's or a person's key
        ("jane.roe", "user_id", JSON, "PERSON"),  # Caddy's authenticated user
        # a bare `name` with a title or a middle initial; a surname with an apostrophe's prefix
        # or a second capital, family name first, under a person's key
        ("Dr. Maria Garcia", "response.body.name", JSON, "PERSON"),
        ("Maria J. Garcia", "response.body.name", JSON, "PERSON"),
        ("O'Neil, Sean", "request.body.owner", JSON, "PERSON"),
        ("McDonald, Ana", "request.body.recipient", JSON, "PERSON"),
        ("john_smith", "labels.authenticated_user", JSON, "PERSON"),
        ("jane.roe", "ticket.assignee", JSON, "PERSON"),
        ("Kim Lee", "message.to_name", JSON, "PERSON"),  # a message party's name
        ("Ana Souza", "event.attendees[0]", JSON, "PERSON"),  # a list of people, item by item
        ("Ana Souza", "request.body.billing_details.name", JSON, "PERSON"),  # Stripe's shape
        ("Peter", "accounts[0].parties[0].identity.name", JSON, "PERSON"),  # an account holder
        ("Ana Souza", "request.body.recipient_name", JSON, "PERSON"),
        ("Ana Souza", "request.body.contact.full_name", JSON, "PERSON"),
        ("Ana Souza", "request.body.cardholder_name", JSON, "PERSON"),
        ("Ana Souza", "request.body.account_holder_name", JSON, "PERSON"),
        ("Ana Souza", "request.body.emergencyContactName", JSON, "PERSON"),
        ("Ana Souza", "request.body.owner", JSON, "PERSON"),  # an owner that reads as a name
        ("Ana Souza", "request.body.customer", JSON, "PERSON"),  # a person's key, a full name
        ("Jane Doe", "request.body.payment.author", JSON, "PERSON"),
        # Under a person's key, a name in its wider forms: a title, particles, four words, a
        # script without capitals.
        ("Dra. Isabel Tamayo", "request.body.author", JSON, "PERSON"),
        ("Johannes van Mil", "request.body.customer", JSON, "PERSON"),
        ("Farkas Zsomborné Fehér Laura", "request.body.assignee", JSON, "PERSON"),
        ("منتصر الخماش", "request.body.author", JSON, "PERSON"),
        ("江靜宜", "request.body.author", JSON, "PERSON"),
        ("Ana Souza", "request.body.contactPerson", JSON, "PERSON"),  # `...person`, a name
        ("Dr. Fehér I. András", "request.body.signature.signedBy", JSON, "PERSON"),  # whoever did
        ("Pocius, Augustas", "request.body.shipTo.attention", JSON, "PERSON"),  # ATTN, last first
        ("ზინა კუპატაძე", "request.body.customer", JSON, "PERSON"),  # Georgian: no capitals
        ("Ana Souza", "request.headers.x-user-name", FieldKind.HEADER, "PERSON"),  # a header
        ("Ana", "request.body.kunde.vollerName", JSON, "PERSON"),  # German `full name`
        # form bracket keys, as parsed (`customer[name]`), escaped, or turned into dots
        ("Ana Souza", "request.form.customer[name]", FORM, "PERSON"),
        ("Ana Souza", "request.form.customer%5Bname%5D", FORM, "PERSON"),
        ("Ana Souza", "request.form.customer.name", FORM, "PERSON"),
        ("Ana Souza", "request.query.customer.name", QUERY, "PERSON"),
        # a bare `name` of unknown owner that reads as a full name
        ("Zoë Brennan", "request.body.name", JSON, "PERSON"),
        ("Ingrid Núñez", "response.body.results[0].name", JSON, "PERSON"),
        # addresses: the street line in any spelling
        ("742 Evergreen Terrace", "address.line1", JSON, "LOCATION"),
        ("Kantstrasse 40", "request.form.address%5Bline1%5D", FORM, "LOCATION"),
        ("Kantstrasse 40", "request.form.address[line1]", FORM, "LOCATION"),
        ("Rua Igreja 25", "request.body.shipping.address.line1", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.addr", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.street1", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.address_line_1", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.postal_address", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.shippingAddress", JSON, "LOCATION"),
        # birth dates only where the key says birth
        ("1984-07-12", "request.body.customer.dob", JSON, "DATE_OF_BIRTH"),
        ("12/07/1984", "form.date_of_birth", FORM, "DATE_OF_BIRTH"),
    ],
)
def test_found(text: str, path: str, kind: FieldKind, entity: str) -> None:
    assert entity in found(text, path, kind)


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ("Trail Runner 2", "response.body.name", JSON),  # digits: not a person's name
        ("Classic Tee", "response.body.product.name", JSON),  # a thing's name
        ("Pro", "response.body.plan.name", JSON),
        ("Classic Tee", "response.body.product_name", JSON),
        ("deploy-bot", "request.body.name", JSON),  # a bare `name` that is not a full name
        ("octocat", "request.body.owner", JSON),  # an owner that is a handle
        ("read-only", "event.attendees[0]", JSON),  # an item of a people list that is no name
        ("2026-11-04T10:00:00Z", "user.last_login", JSON),  # a time, not a handle
        ("u_4411", "user.user_id", JSON),  # ids stay
        ("1", "response.body.page.first", JSON),  # a page's first, not a person's
        ("email", "request.body.customer.preferred", JSON),  # how, not who
        ("2024-05-01", "request.body.customer.last", JSON),
        ("blue-t-shirt", "response.body.product.handle", JSON),  # a product's slug
        ("blue-t-shirt", "response.body.handle", JSON),
        ("success", "event.login", JSON),  # an outcome under `login`
        ("true", "request.body.login", JSON),
        ("mitmproxy", "response.body.organization.login", JSON),  # an organization's handle
        ("team.platform", "request.body.owner", JSON),  # a team's, not a person's, login
        ("svc_account", "event.user", JSON),
        ("cus_9s6XKzkNRiz8i3", "request.body.customer", JSON),  # an id under a person's key
        ("Support Team", "request.body.assignee", JSON),  # a team, not a person
        ("Customer Support Billing Team", "request.body.assignee", JSON),  # four words, a team's
        ("江靜宜", "response.body.product.name", JSON),  # the wider forms only under a person's key
        ("API KEY", "request.body.user", JSON),  # capitals that are no name
        ("1984-07-12", "request.body.created_at", JSON),  # a date elsewhere is no birth date
        # `address` of something that is not a place
        ("a.b@example.org", "request.body.email_address", JSON),
        ("fe80::1", "request.body.remoteAddr", JSON),
        ("10.0.0.1", "request.body.ip_address", JSON),
        ("0xAbC123", "request.body.wallet_address", JSON),
        ("0.0.0.0", "server.bind_address", JSON),
        # cities, postcodes, states, countries: shared by thousands, kept even in an address
        ("Berlin", "response.body.store.city", JSON),
        ("Berlin", "request.body.address.city", JSON),
        ("10115", "request.body.shipping.address.zip", JSON),
        ("01310-100", "request.form.billing_address[postal_code]", FORM),
        ("10115", "request.query.zip", QUERY),
        ("US", "request.body.address.country", JSON),
        ("CA", "request.body.address.state", JSON),
        # structure is read from structured fields only
        ("Ana Souza", "body", TEXT),
    ],
)
def test_not_found(text: str, path: str, kind: FieldKind) -> None:
    assert found(text, path, kind) == set()


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("request.form.customer[name]", ["customer", "name"]),
        ("request.form.customer%5Bname%5D", ["customer", "name"]),
        ("orders[0].ship_to.name", ["orders", "ship_to", "name"]),
        ("a[b][c]", ["a", "b", "c"]),
    ],
)
def test_keys_of(path: str, keys: list[str]) -> None:
    assert keys_of(path)[-len(keys) :] == keys


@pytest.mark.parametrize(
    ("text", "path", "entity"),
    [
        # Keys written in other languages say the same as their English words.
        ("Lucía", "cliente.nombre", "PERSON"),
        ("Schmidt", "kunde.nachname", "PERSON"),
        ("Kerkstraat 5", "klant.adres", "LOCATION"),
        ("Storgatan 12", "kund.adress", "LOCATION"),
        ("Jonas", "kunde.name", "PERSON"),
        ("1984-02-03", "mitarbeiter.geburtsdatum", "DATE_OF_BIRTH"),
        ("03/02/1984", "data_de_nascimento", "DATE_OF_BIRTH"),
        ("1984-02-03", "생년월일", "DATE_OF_BIRTH"),
        ("Rua Igreja 25", "endereço_residencial", "LOCATION"),
        ("Ingrid", "kunde.fornavn", "PERSON"),
        ("Popescu", "client.prenume", "PERSON"),
        ("Иванова", "клиент.фамилия", "PERSON"),
        ("Παπαδόπουλος", "πελάτης.επώνυμο", "PERSON"),
        ("山田 太郎", "会員.氏名", "PERSON"),
        ("김민수", "고객.성명", "PERSON"),
        ("Ana Beatriz Souza", "customer.이름", "PERSON"),
        ("García", "cliente.segundo_apellido", "PERSON"),
        ("Tricou Albastru", "product.nume", None),  # a thing's name in Romanian...
        ("青いシャツ", "product.名前", None),  # ...and in Japanese
        ("Kauppakatu 3 B 12", "kotiosoite", "LOCATION"),
        ("東京都千代田区1-1", "自宅住所", "LOCATION"),
        # ...and closing a compound, as German, Dutch and the Nordic languages write them.
        ("Gudering 1257", "privatanschrift", "LOCATION"),
        ("Gudering 1257", "lieferadresse", "LOCATION"),
        ("Kerkstraat 5", "woonadres", "LOCATION"),
        ("Gudering 1257", "kunde.rechnungsadresse", "LOCATION"),
        # An e-mail or IP address is no place in any language.
        ("ana@example.com", "E-Mail-Adresse", None),
        ("10.0.0.1", "ip_adresse", None),
        ("Ana Beta", "emailadresse", None),
        ("Ana Beta", "ipadresse", None),
        ("Ana Beta", "webadresse", None),
        ("Lyon", "geburtsort", None),  # a birthplace is a city, not a date
        ("Annring 880", "order.ship_to", "LOCATION"),  # where a parcel goes: a door...
        ("Ana Souza", "order.ship_to", "PERSON"),  # ...or the person it goes to
        # ...and a thing's name stays a thing's in any of them.
        ("Camiseta Azul", "producto.nombre", None),
        ("Camiseta", "product.nome", None),
    ],
)
def test_keys_in_other_languages(text: str, path: str, entity: str | None) -> None:
    assert found(text, path, JSON) == ({entity} if entity else set())


@pytest.mark.parametrize(
    ("text", "path", "entity"),
    [
        # A second line or a house number may be digits alone: it is still part of a door.
        ("274", "card.deliveryContact.address.line2", "LOCATION"),
        ("6-50", "shippingLocation.address.streetAddress2", "LOCATION"),
        ("17.3.160", "payment_source.card.billing_address.address_line_2", "LOCATION"),
        ("12", "individual.residentialAddress.street2", "LOCATION"),
        # The house number's own key, in any spelling (camelCase `houseNumberOrName`).
        ("96/A", "billingAddress.houseNumberOrName", "LOCATION"),
        ("37C", "delivery.house_no", "LOCATION"),
        # `line1`/`lines` say street only under an address parent.
        ("Unit 4", "customer.postal_address.lines[0]", "LOCATION"),
        # A birth date under any owner's prefix (`ownerDateOfBirth`, `holder_birth_date`).
        ("1981-02-27", "bankAccountDetail.ownerDateOfBirth", "DATE_OF_BIRTH"),
        ("1981-02-27", "account.holder_birth_date", "DATE_OF_BIRTH"),
        ("1981-02-27", "persona.nacimiento", "DATE_OF_BIRTH"),  # birth alone, other languages
        ("1981-02-27", "клиент.дата_рождения", "DATE_OF_BIRTH"),
        # Every message party is a person's mailbox (RFC 5322): cc, bcc and reply-to too.
        ("Jane Doe", "personalizations[0].cc[0].name", "PERSON"),
        ("Jim Doe", "personalizations[0].bcc[1].name", "PERSON"),
        ("Jim Doe", "message.reply_to.name", "PERSON"),
        ("Jane Example", "handling_events[0].teammate.name", "PERSON"),
        # Whoever did something: `<verb>_by_name`, `updatedByName`.
        ("Jane Doe", "data[0].started_by_name", "PERSON"),
        ("Joe Example", "metadata.updateByName", "PERSON"),
        # `displayName` and `nickname` are a person's under a person, or when they read as one.
        ("Ana", "user.displayName", "PERSON"),
        ("Ana Souza", "members[0].nickname", "PERSON"),
        # An account whose name reads as a full name is still read as a person's.
        ("Simone Hopper", "accounts[0].name", None),  # a ledger's list: accounts are things
        ("Simone Hopper", "account.name", "PERSON"),
        # Roles only people hold, singular or plural: a full name under them is a person's.
        ("Jean-Luc Picard", "case.witness", "PERSON"),
        ("María José García", "school.teachers[1]", "PERSON"),
        ("Oluwaseun Adeyemi", "visit.physician", "PERSON"),
        ("Dr. Isabel Tamayo", "meeting.participant", "PERSON"),
        # ... and under a role, what does not read as a full name stays.
        ("on-call rotation", "incident.manager", None),
        ("Regional Sales Team", "deal.director", None),
        ("Service Account", "binding.principal", None),  # not a role: machines hold it too
        # Not a compound key by its last word alone: systems, teams and companies hold them.
        ("Acme Corp", "account.technical_contact", None),
        ("Triage Bot", "settings.default_assignee", None),
        ("Amazon CloudFront", "request.user_agent", None),
        # The name a person signs in with: an authorizer's principal, a directory's.
        ("maria.gonzalez", "authorizer.principalId", "PERSON"),
        ("ann.lee", "consumer.name", "PERSON"),  # a login: `.lee` is no file's extension
        ("report.pdf", "message.from.name", None),  # a file's name
        ("mgonzalez", "user.sAMAccountName", "PERSON"),
        ("kweber", "konto.Benutzername", "PERSON"),  # a user name's key in other languages
        # Under a person's key, a name in capitals as booking and bank systems write one, and
        # an initial with a surname.
        ("GARCIA, MARIA", "booking.passenger", "PERSON"),
        ("M. Garcia", "ticket.contact", "PERSON"),
        ("GOLD MEMBER", "account.holder", None),  # capitals alone: a tier as often as a name
        ("jdoe84", "cuenta.nombre_de_usuario", "PERSON"),
        # Roles and full-name keys in the languages APIs are written in.
        ("Romina Scotto", "bonifico.intestatario", "PERSON"),
        ("Gereon Preiß", "brief.absender", "PERSON"),
        ("Bartek Pastuła", "firma.osoba_kontaktowa", "PERSON"),
        ("Şinasi Gülen", "randevu.hasta", "PERSON"),
        ("Antoine Royer", "client.nom_prenom", "PERSON"),
        ("Lidia Becker", "formular.vor_und_nachname", "PERSON"),
        ("Support Team", "ordine.referente", None),  # a department: no full name
        # A name typed in lower case under a person's key is still one; a desk is not.
        ("li wei", "visit.patient", "PERSON"),
        ("Ana", "form.parent_name", "PERSON"),  # `<role>_name`: the role's person's name
        ("maria da silva", "ticket.updated_by", "PERSON"),
        ("support desk", "ticket.contact", None),
        # A `name` under a person's key or a party's address is a person's, in any script.
        ("María Cristina Higueras Coronado", "ticket.requester.name", "PERSON"),
        ("יעל בלום", "shipment.to_address.name", "PERSON"),
        ("山下 香織", "label.from_address.name", "PERSON"),
        # A street line under a key for a place of any size, in any script and order.
        ("Κεσκίνη 756", "event.location", "LOCATION"),
        ("46, Subramanian", "meeting.location", "LOCATION"),
        ("Sampad 5", "venue", "LOCATION"),
        ("Conference Room 12", "event.location", None),  # a facility, not a door
        ("Terminal 2", "pickup.location", None),
        ("Berlin", "event.location", None),  # a city: the policy's to keep
        # A street's name alone, its type before or glued to it; a name and a number run
        # together where words take no spaces; a room is still a facility there.
        ("rue Victor Lebon", "event.location", "LOCATION"),
        ("Calle de la Paz", "meeting.location", "LOCATION"),
        ("Kantstrasse", "venue", "LOCATION"),
        ("シャルム東和町998", "event.location", "LOCATION"),
        ("会議室3", "meeting.location", None),
        ("Main Hall", "event.location", None),
        # A bare `name` that reads as a full name with a surname's particles.
        ("Caleb da Rocha", "results[0].name", "PERSON"),
        ("Benjamín de la O", "results[0].name", "PERSON"),
        ("Ana Cecília da Cunha", "name", "PERSON"),
        # ...or with a stop word that is also a name, capitalized (a phrase's are not).
        ("Julia May", "response.body.name", "PERSON"),
        ("Will Smith", "results[0].name", "PERSON"),
        ("Per Olsen", "name", "PERSON"),
        ("Will Call", "results[0].name", None),
        # ...or with a generation's suffix.
        ("Veit Koch II", "response.body.name", "PERSON"),
        ("John Smith, Jr.", "results[0].name", "PERSON"),
        ("not enrolled", "course.student", None),
    ],
)
def test_general_key_grammar(text: str, path: str, entity: str | None) -> None:
    assert found(text, path, JSON) == ({entity} if entity else set())


@pytest.mark.parametrize(
    ("text", "path"),
    [
        # `account` is no person: a ledger's or a bank account's name is a thing's.
        ("Accounts Receivable", "Journals[0].JournalLines[0].AccountName"),
        ("Casual Worker", "bankAccounts[0].accountName"),
        ("Inventory", "accounts[0].name"),
        ("Savings Account", "BankTransfers[0].ToBankAccount.Name"),
        # A bare `name` that reads as a label: names hold no `My`, `The`, `You`...
        ("My Device", "scaDevice.name"),
        ("The One Ring", "data[0].name"),
        ("Thank You Response", "name"),
        # ...nor the nouns of labels, products and ledgers.
        ("Media Test", "approval_requests.name"),
        ("Physical Business Address", "supporting_document[0].name"),
        ("Holiday Pay", "leaveBalances[0].name"),
        ("Default Brand", "data[0].name"),
        # `displayName` and `nickname` of things: a pay line's, a price's, a bank's.
        ("Salary", "paySlip.earningsLines[0].displayName"),
        ("Ordinary Time", "earningsLines[0].displayName"),
        ("Bank of America", "financial_instruments.banks[0].nick_name"),
        # A parent whose head word is a thing, whatever words come before it.
        ("Suppliers", "ContactGroups[0].Name"),
        ("YOUR_COMPANY HQ - POS Ops", "shippingLocation.name"),
        ("Acme", "billingEntity.name"),
        # One token with a digit, or a file's name, is nobody's name even under a person.
        ("Profile-eap-peap-1", "wifiProfiles.profiles[0].name"),
        ("eap-tls-client.pem", "eapClientCert.name"),
        ("cus_8841", "customer.name"),
        # Lists of a system's own parts: a header's, a field's, a template's name.
        ("Content-Type", "headers[0].name"),
        ("Company Size", "fields[2].name"),
        # `address` words that are not places still stay (digits allowed now, so check).
        ("10.0.0.1", "server.ip_address"),
        ("192.168.0.1", "peer.remote_addr"),
        # A city is not a street line: kept, as the policy says.
        ("94103", "customer.address.postal_code"),
    ],
)
def test_lookalikes_kept(text: str, path: str) -> None:
    assert found(text, path, JSON) == set()


def test_a_pairs_value_is_read_under_the_pairs_name() -> None:
    # `{"name": "full_name", "value": ...}`: the value's own key says nothing, the pair's does,
    # whatever script the name is written in.
    detector = FieldNameDetector()
    labelled = FieldContext.of("request.body.fields[0].value", JSON, "full_name")
    assert [f.entity for f in detector.detect("بنان خولان", labelled)] == ["PERSON"]
    # A contact's own name, whatever parent it sits under (Intercom's `data.item`).
    person = FieldContext.of("data.item.name", JSON, None, FieldRole.PERSON_NAME)
    assert [f.entity for f in detector.detect("Élodie Peltier", person)] == ["PERSON"]
    assert detector.detect("Élodie Peltier", FieldContext.of("data.item.name", JSON)) == []
    # A jCard component (`n`'s family name) is read under its label the same way.
    component = FieldContext.of("vcardArray[1][2][3][0]", JSON, "family_name")
    assert [f.entity for f in detector.detect("Souza", component)] == ["PERSON"]
    plain = FieldContext.of("request.body.settings[0].value", JSON, "plan")
    assert detector.detect("Pro Annual", plain) == []


@pytest.mark.parametrize(
    ("text", "path", "label", "entity"),
    [
        # A key behind a system's sigil is the key (Mixpanel's reserved `$first_name`, `$name`).
        ("Wai", "$set.$first_name", None, "PERSON"),
        ("Lam", "properties.$last_name", None, "PERSON"),
        ("Wai Lam", "$set.$name", None, "PERSON"),
        # A person's list of names (Plaid's `owners[].names[]`).
        ("Alberta Bobbeth Charleson", "accounts[0].owners[0].names[0]", None, "PERSON"),
        # A record's own nickname: its person's, one word or initials (OIDC, SCIM, HR).
        ("JD", "nickname", None, "PERSON"),
        ("Babs", "response.body.nickName", None, "PERSON"),
        ("Kojo", "data.nickname", None, "PERSON"),
        # A pair's value under `data` or a reference's `display`, read under the label
        # `datamin.core.pairs` gives it (`{"field": "first_name", "data": ...}`, FHIR's
        # `{"reference": "Patient/1", "display": ...}`).
        ("Obadiah", "fields[2].data", "first_name", "PERSON"),
        ("1971-06-30", "fields[4].data", "date_of_birth", "DATE_OF_BIRTH"),
        ("Thandiwe Ndlovu", "subscriber.display", "patient_name", "PERSON"),
        ("Oluwaseun Adeyemi", "generalPractitioner[0].display", "practitioner_name", "PERSON"),
        # A mother's maiden name (a security answer), FHIR's whole HumanName, a birth's date
        # after whose it is (a DICOM-like `PatientDOB`).
        ("Fitzgerald", "user_metadata.mothers_maiden_name", None, "PERSON"),
        ("Loretta Whitaker", "name[0].text", None, "PERSON"),
        ("1961-07-04", "metadata[1].Value", "patientdob", "DATE_OF_BIRTH"),
        # Look-alikes: a sigil's other keys, a thing's names, an account's nickname, a label
        # that names no person, a reference's display that is no person's, a name's text
        # that is no one's (as a bare `name`, two capitalized words would read as someone's).
        ("Newsletter 2024", "name.text", None, None),
        ("Starbucks", "places[0].displayName.text", None, None),
        ("Pro", "$set.Plan", None, None),
        ("Tempe", "$set.$city", None, None),
        ("Linen Shirt", "products[0].names[0]", None, None),
        ("Bills", "Data.Account[0].Nickname", None, None),
        ("Travel Card", "nickname", None, None),
        ("verified", "fields[3].data", "status", None),
        ("Acme Health", "payor[0].display", None, None),
    ],
)
def test_structured_records_keys(
    text: str, path: str, label: str | None, entity: str | None
) -> None:
    ctx = FieldContext.of(path, JSON, label)
    got = {f.entity for f in DETECTOR.detect(text, ctx) if (f.start, f.end) == (0, len(text))}
    assert got == ({entity} if entity else set())
