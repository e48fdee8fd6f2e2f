"""The name cues' patterns (`datamin.redactors.names`), as RE2 source: what a name looks like
(one to three capitalized words in any script, a surname's particles, a generation after it; in
lower case only inside a list or after a cue that makes it likely), the labels, greetings,
sign-offs, titles and verbs that introduce one, in the languages of the default regions, and per
cue a cheap sign (`SIGNS`) that it may be present, read together as one RE2 set. Japanese names,
written with no spaces between words, have a Python pattern of their own (`CJK_NAME`).

Kept apart from the detector so the grammar reads in one place; compiled once, there.
"""

from __future__ import annotations

import re

from datamin.redactors._name_words import PARTICIPLES, PARTICLE_ALTERNATION

# A name word: capitalized, any script's letters (`Zoë`, `O'Brien`, `Jean-Luc`, `Núñez`), and
# the Flemish and French surnames whose elided article is the capital (`D'hondt`, `L'hoir`).
_CAP = (
    r"(?:[DL]['\x{2019}]\p{Ll}|\p{Lu}(?:['\x{2019}]\p{Lu})?[\p{Ll}\p{M}])"
    r"[\p{L}\p{M}'\x{2019}\-]*"
)
_LOW = r"\p{Ll}[\p{Ll}\p{M}'\x{2019}\-]+"
# One to four name words (`Luiz Felipe Casa Grande`); particles inside a surname (`Ana de Souza`,
# `Ludwig van Beethoven`).
_PARTICLE = r"(?:" + PARTICLE_ALTERNATION + r")\s"
# After particles a surname may be one letter (`María Cristina de la O`).
# A generation after the name (`Egon Koch II`, `Sam Lee Jr.`).
_GENERATION = r"(?:,?\s(?:Jr\.|Sr\.|Jr\b|Sr\b|II\b|III\b|IV\b))?"
# A middle initial, with or without its dot (`Sari J. Paavolainen`, `Csanád P Gere`), only
# between two name words.
_INITIAL = r"\p{Lu}\.?\s"
FULL = (
    _CAP
    + r"(?:\s(?:"
    + _INITIAL
    + r")?(?:"
    + _CAP
    + r"|(?:"
    + _PARTICLE
    + r"){1,2}\p{Lu}[\p{Ll}\p{M}]*)){0,3}"
    + _GENERATION
)
# A name in capitals, two or three words (`JOHN SMITH`, `MARGARET O'SULLIVAN`), as forms and
# tickets write one in a text that is not in capitals (the detector checks that).
_CAPS_WORD = r"(?:\p{Lu}{1,2}['\x{2019}]\p{Lu}{2,}|\p{Lu}{2,}(?:-\p{Lu}{2,})?)"
CAPS_NAME = _CAPS_WORD + r"(?:[ \t]" + _CAPS_WORD + r"){1,2}"
FULL = r"(?:" + FULL + r"|" + CAPS_NAME + r")"
# One to four words of a script without capitals (Han, Hangul, Kana, Arabic, Hebrew, Thai...).
_CASELESS_NAME = r"\p{Lo}[\p{Lo}\p{M}]*(?:[ \x{3000}]\p{Lo}[\p{Lo}\p{M}]*){0,3}"
# Conjunctions stand between spaces: RE2's `\b` is ASCII's, so `\be\b` would cut `andrée`.
SEP = r"(?:\s*[,;&/]\s*|\s+(?:and|und|et|y|e|och|og|en|ve|ja|oraz)\s+)"
# A lower-case name, one to four words (`maría del carmen ojeda`): read only after a separator
# inside a list of names.
_LOW_NAME = _LOW + r"(?:\s" + _LOW + r"){0,3}"
LIST_TAIL = r"(?:" + SEP + r"(?:" + FULL + r"|" + _LOW_NAME + r"))"

# Words that head a list of people without a colon (`attendees Gemma Clark, Hannah Newton and
# caroline wallace`).
_PEOPLE_LISTS = (
    r"attendees|participants|participantes|teilnehmer|teilnehmende|asistentes|invitees|guests|"
    r"convidados|invitados|partecipanti|invit[ée]s|panelists|speakers|deelnemers|deltagare"
)
_LABELS = (
    r"name|full name|first name|last name|customer|client|contact|recipient|attn|attention|"
    r"ship to|deliver to|bill to|cardholder|card holder|account holder|signed|signed by|from|to|"
    r"cc|bcc|reply-to|author|authors|by|assignee|assignees|reviewer|reviewers|owner|guest|guests|"
    r"patient|attendees|participants|invitees|members|team|speakers|panelists|present|absent|"
    r"organi[sz]ers|contributors|people|players|host|hosts|driver|tenant|landlord|witness|"
    r"nombre|nome|nom|pr[ée]nom|vorname|nachname|destinat[áa]rio|empf[äa]nger|teilnehmer|"
    r"participantes|convidados|invitados|asistentes|partecipanti|ekip|equipe|équipe|tiimi"
)
_GREETINGS = (
    r"hi|hello|hey|hiya|dear|greetings|good morning|good afternoon|good evening|ol[áa]|oi|hola|"
    r"buenos d[íi]as|buenas tardes|hallo|liebe|lieber|sehr geehrte[rs]?|bonjour|bonsoir|salut|"
    r"cher|ch[èe]re|ciao|caro|cara|gentile|querid[oa]|estimad[oa]|prezad[oa]|hej|hoi|beste|"
    r"hei|moi|terve|merhaba|selam|sayın|dag|witam|dzień dobry"  # noqa: RUF001 - Turkish's dotless i
)
# A longer sign-off before the shorter one it starts with: RE2 takes the first alternative that
# lets the rest match, and `Best` would leave `wishes` for the name in `Best wishes\nJohn`.
_SIGNOFFS = (
    # thanks said twice over, before the thanks it starts with
    r"grazie mille|mille grazie|muchas gracias|merci beaucoup|vielen dank|muito obrigad[oa]|"
    r"thanks (?:so much|a lot|again)|thank you (?:so much|very much|again)|dank je wel|"
    r"tack så mycket|tusen takk|dziękuję|teşekkürler|kiitos|"
    r"best regards|best wishes|best|kind regards|warm regards|regards|cheers|thanks|thank you|"
    r"many thanks|thx|sincerely|yours truly|yours sincerely|yours|love|xoxo|take care|talk soon|"
    r"abra[çc]os?|beijos?|atenciosamente|cumprimentos|saludos|un saludo|atentamente|"
    r"(?:viele |liebe |beste )?gr[üu](?:ß|ss)e|mfg|lg|cordialement|bises|amicalement|merci|"
    r"cordiali saluti|saluti|grazie|obrigad[oa]|gracias|danke|groeten|h[äa]lsningar|mvh|"
    r"pozdrawiam|pozdrowienia|saygılarımla|saygılar|sevgiler|terveisin|ystävällisin terveisin|"  # noqa: RUF001 - Turkish's dotless i
    r"met vriendelijke groet|vriendelijke groeten|groet|mvg|vänliga hälsningar|hilsen|"
    r"venlig hilsen|med vennlig hilsen|"
    # German's dative (`Mit freundlichen Grüßen`), and pl, it, cs, hu, ro.
    r"(?:mit )?(?:freundlichen|besten|herzlichen|lieben|vielen) gr[üu](?:ß|ss)en|"
    r"freundliche gr[üu](?:ß|ss)e|herzliche gr[üu](?:ß|ss)e|z poważaniem|distinti saluti|"
    r"s pozdravem|üdvözlettel|cu stim[ăa]"
)
# A sign-off where it starts (`Met vriendelijke groet`: not the verb `met`).
SIGNOFF_AT = re.compile(r"(?i:" + _SIGNOFFS + r")\b")
# Verbs and relations whose object is a person, in their common forms.
_ACTION_VERBS = (
    r"call(?:ed|ing|s)?|phone|text(?:ed)?|e-?mail(?:ed)?|ping(?:ed)?|message(?:d)?|dm|"
    r"ask(?:ed|ing|s)?(?: for)?|tell|told|contact(?:ed)?|(?:speak|spoke|talk(?:ed)?) (?:to|with)|"
    r"meet(?: with)?|met(?: with)?|cc|hand it to|leave it with|"
    r"give it to|tribute to|in memory of|in honou?r of|dedicated to|condolences to|"
    r"congrats to|congratulations to|shout-?out to|loop(?:ed|ing)? in|"
    r"(?:forward|pass)(?:ed)?(?: it| this| them)?(?: on)? to"
)
_PERSON_VERBS = (
    _ACTION_VERBS
    + r"|ring|thank(?:ed|s)?(?: you)?|this is|my name is|i am|i'm|named|called|c/o|care of|"
    # What others call one (`people call me Csanád`); not a time (`call me Monday`), whose
    # words no name holds.
    r"call me|calls me|"
    r"named (?:him|her|them)|called (?:him|her|them)|"
    # "This is" and "my name is" in the languages of the default regions.
    r"je suis|je m'appelle|ich bin|ich heiße|mein name ist|hier ist|soy|me llamo|mi nombre es|"
    r"sou|me chamo|meu nome é|mi chiamo|sono|ik ben|mijn naam is|hier is|olen|nimeni on|"
    r"ben|benim adım|adım|jag heter|jeg heter|jestem|nazywam się|"  # noqa: RUF001 - Turkish's dotless i
    r"jmenuji se|a nevem|numele meu este|"
    r"attention of|gift for|"
    r"(?:my|our|your|his|her|their) (?:friend|best friend|neighbou?r|"
    r"colleague|coworker|co-worker|boss|manager|wife|husband|partner|boyfriend|girlfriend|"
    r"mom|mum|mother|dad|father|son|daughter|brother|sister|cousin|uncle|aunt|grandma|grandpa|"
    r"grandmother|grandfather|nephew|niece|fianc[ée]e?|roommate|tenant|landlord|doctor|lawyer)"
)
_TITLES = (
    r"Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sr|Sra|Srta|Herr|Frau|Mme|Mlle|Madame|Monsieur|Sig|Sig\.ra|"
    r"Dott|Dña|Doña|Dona|Don"
)

# Verbs of speech in the past, which people do and products seldom, after a two- or three-word
# name as their subject (`Amara Oyelaran asked us`, `Zeferino Cantú llamó`).
_SPEECH_VERBS = (
    r"asked|said|told|wrote|called|phoned|emailed|texted|mentioned|confirmed|requested|"
    r"complained|replied|explained|promised|agreed|insisted|llamó|dijo|escribió|pidió|ligou|"
    r"disse|escreveu|pediu|a appelé|a écrit|a dit|rief|schrieb|sagte"
)
_PERFECT = r"(?:hat|hatte)\s(?:[^.!?\n]{0,60}\s)?(?:" + PARTICIPLES + r")\b"
_FULL_TWO = (
    _CAP
    + r"(?:\s(?:"
    + _INITIAL
    + r")?(?:"
    + _CAP
    + r"|(?:"
    + _PARTICLE
    + r"){1,2}\p{Lu}[\p{Ll}\p{M}]*)){1,2}"
    + _GENERATION
)
# Japanese writes no spaces between words but often one between a family and a given name
# (`中村 裕美子`): two short runs so spaced, after anything but kanji, katakana or a Latin word
# (a particle in hiragana ends the word before), then an honorific, a copula (`です`,
# `と申します`), `と`/`が` (`高橋 あすかと斎藤 七夏が`) or the line's end (a signature), are a
# name. Python's `re` for its look-behind and look-ahead (neighbouring names share a particle);
# its repeats are bounded, so it cannot run away.
_HAN = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_NAME = re.compile(
    f"(?<![{_HAN}\u30a0-\u30ffA-Za-z0-9])([{_HAN}]{{1,3}}[ \u3000][{_HAN}\u3040-\u30ff]{{1,4}})"
    "(?=です|と申します|様|さま|さん|くん|君|ちゃん|殿|先生|氏|と|が|\n|$)"
)
# Saying one's own name, after which a lower-case word is a name too (`my name is vitoria`,
# `people call me višeslav`), in the languages of `_PERSON_VERBS`.
_INTRODUCTIONS = (
    r"my name is|call me|me llamo|mi nombre es|je m'appelle|ich heiße|mein name ist|"
    r"meu nome é|me chamo|mi chiamo|mijn naam is|jag heter|jeg heter|nazywam się|benim adım|"  # noqa: RUF001 - Turkish's dotless i
    r"nimeni on"
)
# Verbs of dwelling whose subject is a person when a door follows (`Sofie lives on 69 Av Sidi
# Lakhmi`, `Juliusz A Kwiatkowski lives at 28919 ...`).
_DWELLING = r"(?:lives|lived|resides|resided|is staying|stays) (?:at|on)"
# What a contact block holds near the name that heads it: a label of contact data, a PO box,
# an e-mail address, a unit (`Suite 464`), or a street line (a number, a capitalized word, and
# a number or street word after it: `41086 Kiannonkatu 98`, `3369 24 Clarke Avenue`).
_CONTACT_LINE = (
    r"(?i:phone|tel|telephone|mobile|cell|fax|e-?mail|personal info|address|website)[ \t]*:"
    r"|(?i:p\.?\s?o\.?\s?box|suite|apt\.?|apartment)[ \t]*#?\d"
    r"|[^\s@]+@[^\s@]+\.\p{L}{2,}"
    r"|\d{1,6}[ \t]+(?:\d{1,6}[ \t]+)?\p{Lu}\p{Ll}[^\n]*"
    r"(?:\d|\b(?:Street|St|Avenue|Ave|Road|Rd|Lane|Drive)\b)"
)
_FULL_LOW = _LOW + r"(?:\s(?:\p{Ll}\.?\s)?" + _LOW + r"){1,3}"
# Kin that only a person has, by marriage or birth, which takes that person as its possessor
# (`I'm Amanda's daughter`): no shop sells a wife. Not kids, children or a baby (`Wendy's kids
# meal`, `the Node's children`), nor parents (`Patient's mother`); lower-case, as a sentence
# writes them (not `The Farmer's Daughter`).
_KIN = (
    r"daughters?|sons?|wife|husband|fianc[ée]e?|widow|widower|boyfriend|girlfriend|"
    r"grandsons?|granddaughters?|stepsons?|stepdaughters?|nieces?|nephews?"
)


def _one_line(pattern: str) -> str:
    """`pattern` with its spaces kept to one line."""
    return pattern.replace(r"\s", r"[ \t]")


LABEL, GREETING, SIGNOFF, DASH, TITLE, DISPLAY, VERB, VERB_LOW, SUBJECT, CJK, INTRO, DWELLS = range(
    12
)
ASKED, SPEAKER, VOCATIVE, HEADING, KIN, ADDED = range(12, 18)
# What a person is added to, invited to or removed from (`add jessica taylor to the thread`).
_ADDED_TO = (
    r"(?i:\b(?:add|added|adding|invite|invited|inviting|remove|removed|include|included)[ \t]+)"
)
_GATHERING = (
    r"[ \t]+(?i:to|on|in|into|from)[ \t]+(?i:the[ \t]+|this[ \t]+|our[ \t]+|that[ \t]+)?"
    r"(?i:thread|channel|chat|group|call|meeting|email|e-mail|conversation|loop|invite|"
    r"dm|cc|slack|team|project|workspace)\b"
)
PATTERNS = {
    # `Name: X`, `Attendees: X, Y and Z`
    LABEL: r"(?i:\b(?:(?:"
    + _LABELS
    + r")\s*:|(?:"
    + _PEOPLE_LISTS
    + r"))\s*)("
    + FULL
    + LIST_TAIL
    + r"*)",
    # `Hi Maria,`: one to three words closed by punctuation or the line's end
    GREETING: r"(?i:\b(?:"
    + _GREETINGS
    + r")[ \t,]+)("
    + FULL
    + r"|"
    + _LOW
    + r")[ \t]*(?:[,!:;\n]|$|[ \t](?i:thanks|thank you|thx|how are|how's|hope|are you|can you|"
    r"could you|did you|do you|just)\b)",
    # `Best,\nJohn`, `Cheers, priya`: the name ends its line
    SIGNOFF: r"(?i:\b(?:"
    + _SIGNOFFS
    + r"))[ \t]*[,.!]?\s+("
    + FULL
    + r"|"
    + _LOW
    + r")[ \t]*(?:\n|$)",
    # `— Sam Patel`, `-- Sam`, `thanks - Sam` ending a line; a lone `- Word` line is a list item
    DASH: r"(?:(?:^|\s)(?:[\x{2014}\x{2013}~]|--)|\S[ \t]+-)[ \t]*("
    + FULL
    + r"|"
    + _LOW
    + r")[ \t]*(?:\n|$)",
    # `Dr. Okonkwo`; in lower case with its dot (`ms. Quinzia`)
    TITLE: r"(?:\b(?:" + _TITLES + r")\b\.?|\b(?i:mr|mrs|ms|dr|prof)\.)\s+(" + FULL + r")",
    # `Jane Doe <jd@example.org>`, `"Jane Doe" <...>`, and in scripts without capitals
    # (`田中 聡太郎 <...>`, `김민수 <...>`, `محمد علي <...>`)
    DISPLAY: r"(" + FULL + r"|" + _CASELESS_NAME + r")\"?\s*<[^<>\s@]{1,64}@",
    VERB: r"(?i:\b(?:" + _PERSON_VERBS + r")\b[,:]?\s+)(" + FULL + r")",
    VERB_LOW: r"(?i:\b(?:" + _ACTION_VERBS + r")\s+)(" + _LOW + r"(?:\s" + _LOW + r")?)",
    SUBJECT: r"("
    + _FULL_TWO
    + r")\s+(?:(?:"
    + _SPEECH_VERBS
    + r")(?:$|[^\p{L}])|"
    + _PERFECT
    + r")",
    CJK: r"\p{Han}[ \x{3000}][\p{Han}\p{Hiragana}\p{Katakana}]",  # read by `CJK_NAME`
    INTRO: r"(?i:\b(?:" + _INTRODUCTIONS + r")\s+)(" + _LOW + r"(?:\s" + _LOW + r")?)",
    DWELLS: r"(" + FULL + r")\s+" + _DWELLING + r"\b",
    # The answer to a question for a name (`What's your name? Jildau S Bouts`, `... on the
    # account? User: Maja S Hermansen`)
    ASKED: r"(?i:\bname\b[^?\n]{0,24}\?)[ \t]*(?:\p{L}+:[ \t]*)?(" + FULL + r")",
    # A speaker's label before a quoted line (`Maja Hermansen: "Who are you?"`), a full name:
    # one word there is a key's as often (`Title: "Hello"`, `Reason: "timeout"`)
    SPEAKER: r"(?m:^)[ \t>]*(" + _one_line(_FULL_TWO) + r")[ \t]*:[ \t]*[\"\x{201C}]",
    # A person addressed before a request (`Warrane, can I please speak to your boss?`)
    VOCATIVE: r"(?:^|[.!?\n][ \t]*)(" + FULL + r"),[ \t]+(?i:can|could|would|will|may)[ \t]"
    r"+(?i:i|you|we|someone|somebody)\b",
    # A person's name as the possessor of kin (`Amanda's daughter`); capitalized, since a
    # common noun is as often one (`the farmer's wife`)
    KIN: r"(" + FULL + r")\\?['\x{2019}]s[ \t]+(?:" + _KIN + r")(?:$|[^\p{L}])",
    ADDED: _ADDED_TO + r"(" + FULL + r"|" + _LOW + r"(?:[ \t]" + _LOW + r")?)" + _GATHERING,
    # A name alone on the line that heads a contact block: a signature, a letter's addressee, a
    # resume (`Maureen Thibault\n\n41086 Kiannonkatu 98`, `leone mazzi\n\nnurse\n\npersonal
    # info:`), the contact data within four lines
    HEADING: r"(?m:^)[ \t>]*("
    + _one_line(_FULL_TWO)
    + r"|"
    + _one_line(_FULL_LOW)
    + r")[ \t]*\r?\n"
    r"(?:[^\n]*\n){0,4}?[ \t>]*(?:" + _CONTACT_LINE + r")",
}
SIGNS = {
    LABEL: r"(?i)\b(?:(?:" + _LABELS + r")\s*:|" + _PEOPLE_LISTS + r")",
    GREETING: r"(?i)\b(?:" + _GREETINGS + r")",
    SIGNOFF: r"(?i)\b(?:" + _SIGNOFFS + r")",
    DASH: r"[\x{2014}\x{2013}~]|--|\S[ \t]+-[ \t]",
    TITLE: r"\b(?:" + _TITLES + r")\b|(?i:\b(?:mr|mrs|ms|dr|prof)\.)",
    DISPLAY: r"<[^<>\s@]{1,64}@",
    VERB: r"(?i)\b(?:" + _PERSON_VERBS + r")\b",
    VERB_LOW: r"(?i)\b(?:" + _ACTION_VERBS + r")\b",
    SUBJECT: r"[\p{Ll}I.]\s+(?:(?:" + _SPEECH_VERBS + r")(?:$|[^\p{L}])|" + _PERFECT + r")",
    CJK: PATTERNS[CJK],
    INTRO: r"(?i)\b(?:" + _INTRODUCTIONS + r")\s",
    DWELLS: _DWELLING,
    ASKED: r"(?i)\bname\b[^?\n]{0,24}\?",
    SPEAKER: r":[ \t]*[\"\x{201C}]",
    VOCATIVE: r",[ \t]+(?i:can|could|would|will|may)[ \t]",
    HEADING: r"\n[^\n]*(?:" + _CONTACT_LINE + r")",
    KIN: r"['\x{2019}]s[ \t]+(?:" + _KIN + r")(?:$|[^\p{L}])",
    ADDED: _GATHERING,
}
