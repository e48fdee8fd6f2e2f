"""The names a credential is kept under, squashed (`X-Api-Key` -> `xapikey`), in the languages
fields are labelled in: data for `datamin.redactors.credentials`."""

from __future__ import annotations

# A password's name in other languages: es, fr, de, pt, it, nl, pl, tr, sv, fi, da/no, cs, hu,
# hr/sr/sl, ro, ja, zh, ko, ru/uk, el, he, ar (`contraseña`, `mot_de_passe`, `Kennwort`,
# `senha`, `hasło`, `şifre`, `lösenord`, `パスワード`, `密码`, `비밀번호`, `пароль`).
_PASSWORDS_ABROAD = (
    "contraseña contrasena clave motdepasse passwort kennwort senha wachtwoord haslo hasło "
    "sifre şifre lösenord losenord salasana adgangskode passord parola heslo jelszó jelszo "
    "lozinka geslo parolă パスワード 密码 密碼 비밀번호 пароль κωδικός סיסמה كلمةالمرور"
).split()
# A secret's, an API key's and a token's names abroad (`clave_api`, `clé_api`,
# `API-Schlüssel`, `chave_api`, `jeton`, `Geheimnis`, `segredo`, `gizli_anahtar`, `トークン`).
_SECRETS_ABROAD = (
    "claveapi cleapi cléapi apischluessel apischlüssel chaveapi chiaveapi apisleutel kluczapi "
    "apianahtari apianahtar\u0131 apinyckel apiavain jeton geheimnis secreto segredo segreto "
    "geheim sekret gizlianahtar hemlighet hemmelighed hemmelighet salaisuus tajemstvi tajemství "
    "токен секрет トークン 令牌 토큰 秘密"
).split()

# Field names are squashed (`X-Api-Key` -> `xapikey`) before they are compared.
AUTH_HEADERS = frozenset(("authorization", "proxyauthorization"))
COOKIE_HEADERS = frozenset(("cookie", "setcookie"))
# A cookie name's words that say it holds a session.
SESSION_COOKIE_WORDS = frozenset(
    "session sess sid sessid sessionid jsessionid phpsessid auth token jwt login logged remember "
    "csrf xsrf secret credentials identity refresh access bearer aspxauth sso saml".split()
)

# A payment card's security code (CVV2, CVC2, CID, CSC, CVN: the digits printed on the card,
# which PCI DSS forbids storing once a payment is authorized), by the names payment APIs give it
# (`cvc`, `cvv2`, `card_security_code`, Authorize.net's `cardCode`). Not `cid`, a content's or
# a client's id as often.
CARD_CODE_NAMES = ("cvv", "cvc", "cvv2", "cvc2", "cvn", "csc", "securitycode", "cardcode")
# A card's or a phone's PIN is one too (`pin`, `card_pin`); not a `pincode`, India's postcode.
PASSWORD_NAMES = frozenset(
    [
        *CARD_CODE_NAMES,
        "password",
        "passwd",
        "pwd",
        "pswd",
        "pw",
        "pass",
        "passphrase",
        "passcode",
        "pin",
        "pinnumber",
        # A SIM's PIN unlock key (`puk`, `puk1`), which resets its PIN.
        "puk",
        "pukcode",
        *_PASSWORDS_ABROAD,
    ]
)
# (`clave` ends ordinary words too: `autoclave`.)
PASSWORD_ENDINGS = (
    *CARD_CODE_NAMES,  # `card_cvc`, `cardSecurityCode`, `payment.card_cvv2`
    "password",
    "passwd",
    "passphrase",
    *(w for w in _PASSWORDS_ABROAD if w != "clave"),
)
SESSION_NAMES = frozenset(
    "session sessionid sessid jsessionid phpsessid sessiontoken sessionkey sessioncookie".split()
)
SESSION_ENDINGS = ("sessionid", "sessid", "sessiontoken")
SECRET_NAMES = frozenset(
    "secret token auth bearer credential credentials apikey apisecret apitoken privatekey "
    "secretkey accesskey signingkey encryptionkey masterkey csrf csrftoken xsrftoken "
    "csrfmiddlewaretoken authenticitytoken xamzsecuritytoken securitytoken xgoogapikey "
    "ocpapimsubscriptionkey xfunctionskey xvaulttoken privatetoken secretaccesskey signature "
    "xamzsignature xamzcredential sig otp samlresponse clientassertion oauthverifier "
    # Vendors' documented key headers without a credential's word: JFrog Artifactory's API key,
    # Honeycomb's ingest key.
    "xjfrogartapi xhoneycombteam "
    # A SIM's secret key and its operator's (3GPP's Ki and OPc), as SIM inventories list them.
    "ki opc".split()
) | frozenset(_SECRETS_ABROAD)
SECRET_ENDINGS = (
    "secret",
    "token",
    "apikey",
    "secretkey",
    "privatekey",
    "accesskey",
    *_SECRETS_ABROAD,
)
# Every name any rule below accepts contains one of these; the rest are ordinary at a glance.
STEMS = (
    "cvv",
    "cvc",
    "cvn",
    "csc",
    "securitycode",
    "cardcode",
    "pass",
    "pw",
    "pswd",
    "pin",
    "secret",
    "token",
    "key",
    "auth",
    "sess",
    "sid",
    "csrf",
    "xsrf",
    "credential",
    "sig",
    "otp",
    "saml",
    "bearer",
    "assertion",
    "verifier",
    "account",
    "jfrog",
    "honeycomb",
)
# In text (`key=value` pairs of a log line) the English stems only: the prefilter set that
# holds them runs on every value. The words abroad are for field names, settled once a name.
ANY_STEM = "|".join(STEMS)
# Field names only: a SIM's keys (`puk`, `ki`, `opc`), too short to look for in a log line.
STEMS = (*STEMS, "puk", "ki", "opc", *_PASSWORDS_ABROAD, *_SECRETS_ABROAD)
CREDENTIAL_WORDS = ("token", "secret", "key", "auth", "credential", "signature", *_SECRETS_ABROAD)
# Names that contain a credential word and hold no credential: counts, ids, pagination cursors,
# public keys, keyboard and database keys, idempotency keys, authors.
NOT_CREDENTIAL_WORDS = (
    "keyword",
    "monkey",
    "keyboard",
    "keystroke",
    "keycode",
    "hotkey",
    "keyframe",
    "turkey",
    "donkey",
    "whiskey",
    "hockey",
    "jockey",
    "keynote",
    "publickey",
    "publishablekey",
    "idempotency",
    "cachekey",
    "sortkey",
    "partitionkey",
    "primarykey",
    "foreignkey",
    "rangekey",
    "hashkey",
    "routingkey",
    "bindingkey",
    "keybinding",
    "shortcutkey",
    "objectkey",
    "tokens",
    "tokenizer",
    "tokentype",
    "pagetoken",
    "nexttoken",
    "continuationtoken",
    "synctoken",
    "author",
    "secretary",
)
