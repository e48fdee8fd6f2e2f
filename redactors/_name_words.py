"""Word tables the name cues read (`datamin.redactors.names`): words that are no names, endings
of abstract nouns, a surname's particles, conjunctions of lists, German participles of speech and
the articles that make a subject a role rather than a name."""

from __future__ import annotations

# German tells of a call or a letter in the perfect, the participle last (`Irma Drewes hat wegen
# Bestellung 123 angerufen`).
PARTICIPLES = (
    r"angerufen|zurückgerufen|geschrieben|gesagt|gefragt|nachgefragt|angefragt|gebeten|"
    r"gemeldet|bestätigt|beschwert|reklamiert|erklärt|versprochen|mitgeteilt|geantwortet"
)
# Articles and possessives of the languages above: `Die Kundin hat angerufen` names no one.
DETERMINERS = frozenset(
    "der die das den dem des ein eine einer einem einen mein meine unser unsere ihr ihre sein "
    "seine kein keine el la los las un una le les une il lo gli o a os as um uma".split()
)

# Capitalized words that follow the same cues in UI, support and code text but are no names.
NOT_NAME_WORDS = frozenset(
    "support team teams center centre service services customer customers sales desk help hours "
    "office department billing shipping delivery order orders account accounts store shop "
    "security admin admins user users now today tomorrow tonight back please reply stop code care "
    "line hotline number world folks guys everybody staff management marketing engineering ops "
    "devops finance legal hr it qa dev prod product products company client clients friends "
    "family mr mrs ms mx miss dr prof sr sra srta herr frau mme mlle sig dott don dona sir "
    "madam madame monsieur todos todas alle tous tutti equipe equipo refund details "
    "info information assistance advice directions permission access approval confirmation "
    "status update updates bot system server api app application error warning note notes "
    "subject re fw fwd date time morning afternoon evening night week weekend month year "
    "monday tuesday wednesday thursday friday saturday sunday january february march april june "
    "july august september october november december "
    # Nouns of labels, settings and ledgers that NER tags in short structured values (`In
    # Progress`, `Company size`, `Customer Profile Address`); no one's name.
    "name size industry website profile address progress default test demo sample webhook "
    "template segment income expenses payable receivable representative authorized content "
    "report request response message settings workflow "
    # A unit's word, which follows a name in one-line addresses (`mrs. dawn jessen suite 085`).
    "apt apartment suite "
    # Roles a record names people by (`Patient's wife`, `Employee's husband`), and what a
    # family calls its own (`I told Dad's wife`).
    "patient patients employee employees tenant tenants victim officer member members driver "
    "owner resident student guest applicant caller sender buyer seller "
    "dad mom mum daddy mommy mummy papa mama grandma grandpa granny".split()
)
# Titles before a name, which a name's finding takes with it (`Miss Ada Quinn`): no name's word.
TITLE_WORDS = frozenset(
    "mr mrs ms mx miss dr prof sr sra srta herr frau mme mlle madame monsieur".split()
)
# Nouns that head a label or a ledger's line (`Delivery Webhook`, `Customer Profile`,
# `Accounts Payable`): an English noun phrase ends in its head, and a span ending in one of these
# is a thing's name. Left out: words a placeholder person takes as a surname (`Ana Test`, `Joe
# Customer`), surnames in some language (`Sales`, `March`), titles, dates and adverbs, which
# NER may glue to a real name (`Maria Today`).
THING_HEADS = frozenset(
    "account accounts address api app application approval billing bot confirmation content "
    "default delivery department details error expenses hotline income industry info "
    "information message notes number order orders payable product products profile progress "
    "receivable refund report request response segment server service services settings "
    "shipping status system template update updates warning webhook website workflow".split()
)
# Word endings of English nouns, adverbs and verb forms; a lower-case word with one is no name.
# Endings of English abstract nouns and adjectives; a lower-case word with one is no name.
# (Not `-ly`, `-ed`, `-ise`: Kelly, Fred, Louise.) `-ing` only on longer words (not King, Jing).
NOT_NAME_ENDINGS = (
    "tion", "tions", "ment", "ments", "ness", "ity", "ance", "ence", "ship", "ful", "less",
    "able", "ible", "ize", "'s", "\u2019s",
)  # fmt: skip
# Small words inside a surname (`da cruz`, `del carmen`, `le roux`, `van dijk`), as a set and as
# a regex alternation (longest first).
NAME_PARTICLES = frozenset(
    "de da do dos das del della di du van von der den ten ter le la bin al".split()
)
# English stop words that are also people's given or family names (`Julia May`, `Will Smith`,
# `Else Lasker`, `Per Olsen`): written capitalized inside a full name, they do not make it a
# phrase as `My Device` or `The One Ring` is.
NAME_STOP_WORDS = frozenset("May Will Else Per".split())
PARTICLE_ALTERNATION = "|".join(sorted(NAME_PARTICLES, key=lambda w: (-len(w), w)))
# Words after which a lower-case item continues a list of names.
CONJUNCTIONS = frozenset("and und et y e och og &".split())
