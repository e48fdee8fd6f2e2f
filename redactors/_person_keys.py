"""The keys that say a field holds a person's name, and the parents that say a `name` is a
thing's: data for `datamin.redactors.by_field`, in the languages APIs and forms are written in."""

from __future__ import annotations

NAME_FIELDS = frozenset(
    "name fullname firstname lastname givenname familyname surname middlename forename "
    "fname lname legalname maidenname nameoncard customername contactname cardholder "
    "cardholdername holdername recipientname billingname shippingname username "
    "accountholder accountholdername beneficiary beneficiaryname payername payeename "
    "sendername receivername passengername guestname patientname personname realname "
    "realnamenormalized displaynamenormalized formattedname preferredname birthname "
    # The name a person signs in with, as gateways and directories log it: an authorizer's
    # principal, Active Directory's, a web server's authenticated user.
    "principalid principalname userprincipalname upn samaccountname remoteuser "
    # ... and a user name's key in other languages: es, fr, de, it, nl, pl, tr, sv, da/no, fi,
    # cs, ja, zh, ko, ru.
    "nombredeusuario nombreusuario nomdutilisateur nomutilisateur benutzername nomeutente "
    "gebruikersnaam nazwauzytkownika nazwaużytkownika kullaniciadi anvandarnamn användarnamn "
    "brugernavn brukernavn käyttäjätunnus kayttajatunnus uzivatelskejmeno ユーザー名 用户名 "
    "사용자이름 имяпользователя логин "
    # The same keys in the languages APIs are written in: es, pt, fr, de, it, nl, pl, sv, fi,
    # cs, tr.
    "apellido apellidos nombrecompleto sobrenome nomecompleto prenom prénom "
    "nomdefamille vorname nachname familienname cognome voornaam achternaam imie imię nazwisko "
    "fornamn förnamn efternamn etunimi sukunimi jmeno jméno prijmeni příjmení adsoyad soyad "
    "soyadi vollername nomcomplet volledigenaam "
    # da, no, ro, hu, el, ru, uk, ja, ko, zh, he, id; the second names and surnames of Spanish
    # and Portuguese forms.
    "fornavn efternavn etternavn mellemnavn mellomnavn prenume vezeteknev vezetéknév "
    "keresztnev keresztnév επώνυμο ονοματεπώνυμο фамилия отчество фио прізвище по-батькові "
    "氏名 姓名 성명 성함 שםמשפחה שםפרטי namalengkap primerapellido segundoapellido "
    "primernombre segundonombre primeironome ultimonome últimonome nomesocial "
    # A full name's keys that name both its parts: fr, de, es, pt, pl, tr, it, nl, sv.
    "nomprenom nometprenom prenomnom vorundnachname nachnameundvorname vollstaendigername "
    "vollständigername apellidosynombre "
    "nombreyapellidos nomedocliente nomecliente imieinazwisko imięinazwisko isimsoyisim "
    "adisoyadi nominativo tenaamstelling fullstandigtnamn fullständigtnamn".split()
)
# "Name" itself, in the languages APIs are written in, and names that things have as often as
# people (`displayName` of a pay line, `nickname` of a price or bank): a person's only under a
# person, or when the value reads as a full name.
NAME_WORDS = frozenset(
    "name nombre nome nom naam namn navn nimi nazwa jmeno jméno displayname nickname "
    # A directory's and a calendar's common name (LDAP's `CN=`, iCalendar's `ATTENDEE;CN=`):
    # a person's or a host's, a group's.
    "cn commonname "
    "displaynamenormalized nume név όνομα имя ім'я 名前 名字 이름 الاسم שם nama isim".split()
)
# Parts of a structured name: `name.first`, `name.given`, `name.family`.
NAME_PARTS = frozenset("first last given family middle full formatted display preferred".split())
# Words in a key or parent that make its `name` a person's: `billing_details.name`,
# `shipping_contact_name`, `account_holder_name`.
PERSON_STEMS = (
    "customer", "user", "contact", "billing", "shipping", "recipient", "sender",
    "receiver", "owner", "member", "profile", "person", "patient", "employee", "holder", "buyer",
    "payer", "payee", "client", "consignee", "addressee", "guest", "passenger", "traveler",
    "traveller", "applicant", "student", "tenant", "beneficiary", "attendee",
    "participant", "signer", "signatory", "spouse", "author",
    # The same in other languages (`cliente` holds `client`).
    "kund", "klant", "klient", "asiakas", "usuario", "utilisateur", "benutzer", "utente",
    "gebruiker", "paciente", "empleado", "destinatario", "remitente", "titular",
)  # fmt: skip
# Keys whose value, when it reads as a full name, is a person: `"customer": "Ana Souza"`.
PERSON_KEYS = frozenset(
    "customer recipient sender author assignee reporter contact attendee passenger guest "
    "patient employee payer payee beneficiary signer tenant member user from to cc createdby "
    "updatedby modifiedby requester requestedby approvedby submittedby reviewedby assignedto "
    "agent driver shipto billto consignee addressee client buyer seller person spouse "
    # The attention line of an address (`ATTN:`), a person to reach there.
    "attention attn holder cardholder "
    # Lists of people: each item that reads as a full name is one (`attendees[0]`).
    "attendees participants members recipients guests contacts passengers assignees reviewers "
    "authors signers owners customers users people persons employees "
    # The same roles in the languages APIs are written in (a holder, a recipient, a sender, a
    # contact person, an applicant, a patient): es, pt, fr, de, it, nl, pl, tr, sv.
    "titular destinatario destinatário remitente remetente solicitante interesado responsavel "
    "responsável paciente titulaire destinataire expediteur expéditeur demandeur interlocuteur "
    "kontoinhaber inhaber empfaenger empfänger absender ansprechpartner antragsteller "
    "intestatario mittente referente richiedente paziente rekeninghouder ontvanger afzender "
    "contactpersoon aanvrager wlasciciel właściciel odbiorca nadawca osobakontaktowa "
    "wnioskodawca pacjent alici al\u0131c\u0131 gonderen gönderen yetkili basvuran başvuran hasta "
    "hesapsahibi kontoinnehavare mottagare avsandare avsändare kontaktperson sokande "
    "sökande".split()
) | frozenset(
    # Roles only people hold, in the singular and the plural (a list's items): a value under
    # them that reads as a full name is a person's (`"witness": "Jean-Luc Picard"`).
    f"{role}{plural}"
    for role in (
        # Not roles that machines, companies or accounts hold as often (host, speaker,
        # principal, partner, sponsor, executor, child).
        "participant reviewer witness physician doctor nurse teacher student director manager "
        "landlord officer representative parent guardian referrer inviter invitee organizer "
        "organiser instructor caller callee subscriber candidate applicant tenant resident "
        "occupant traveler traveller attorney lawyer notary clinician practitioner caregiver "
        "nominee shareholder cosigner guarantor trustee heir interviewer interviewee "
        "supervisor approver sender recipient respondent claimant insured policyholder"
    ).split()
    for plural in ("", "s")
)
# A structured name's parts that, under a person's parent, are that person's
# (`customer.first`, `holder.given`, `contact.family`); not `display` or `preferred`, which
# say how (`customer.preferred: email`).
NAME_PARTS_OF_PEOPLE = frozenset("first last given family middle".split())
# Keys that hold a person's handle under a person's parent (`owner.login`, `user.handle`).
HANDLE_KEYS = frozenset("login handle screenname".split())
# Keys that hold a user's sign-in name wherever they sit (Twitter's `screen_name`,
# WordPress's `user_login`); `handle` only with its `@` (a product's slug otherwise).
LOGIN_KEYS = frozenset("screenname userlogin loginname login handle".split())
# Message parties whose `<party>_name` is a person's name (`to_name`, `from_name`).
PARTY_PREFIXES = frozenset("to from cc bcc replyto".split())
# A message's parties (`to[0].name`, `cc[].name`, `reply_to.name`: RFC 5322's mailboxes, whose
# display name is a person's) and the people a record is about (`parties[].identity.name`, as
# open banking gives an account's holders).
PERSON_PARENTS = frozenset(
    "from to cc bcc replyto sender shipto billto deliverto cardholder teammate teammates "
    "admin admins identity "
    # A gateway's caller, as formats map it (`consumer.name`): who signed in.
    "consumer".split()
)


# Parents whose `name` is a thing's, never a person's.
THING_PARENTS = frozenset(
    "product products item items sku plan plans category categories file files project repo "
    "repository team org organization organisation company merchant store shop service services "
    "app application event events tag tags feature features role roles group groups bucket key "
    "keys device devices integration integrations webhook webhooks environment region "
    "producto productos produto produtos produit produits produkt produkte prodotto prodotti "
    "artikel articulo artículo artigo articolo servicio serviço categoria categoría "
    # Lists of a system's own settings and labels: `headers[].name`, `fields[].name`,
    # `accounts[].name` of a ledger, `templates[].name`.
    "header headers param params parameter parameters field fields attribute attributes "
    "property properties setting settings option options label labels type types template "
    "templates rate rates accounts channel channels topic topics brand brands "
    "segment segments list lists folder folders calendar calendars action actions location "
    "locations entity entities".split()
)
