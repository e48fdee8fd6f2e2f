"""The street-type words the address grammar reads (`datamin.redactors.addresses`): English
types written after a street's name, the types other languages write before it, and the
phrases of a sentence that say a street follows. Data only, kept apart so the grammar reads in
one place."""

from __future__ import annotations

# English street types, written after the name: the USPS list of street suffixes (Publication
# 28, C1) and common British ones, without those that title other things as often (`Park`,
# `Club`, `Center`, `Point`, `Station`, `Run`, `Key`...).
EN_TYPES = (
    "Street Streets St Avenue Ave Av Road Roads Rd Boulevard Blvd Lane Ln Drive Drives Dr Court "
    "Courts Ct Place Pl Terrace Ter Way Ways Square Squares Sq Parkway Pkwy Circle Circles Cir "
    "Highway Hwy Close Crescent Cres Row Trail Trl Alley Aly Plaza Grove Groves Mews Heights Hts "
    "Glen Glens Land Landing Mountain Mountains Mount Mtn Ridge Ridges Mill Mills Port Ports View "
    "Views Lake Lakes Falls Fork Forks Ford Fords Field Fields Meadow Meadows Manor Manors Valley "
    "Valleys Village Villages Ville Vista Crossing Xing Creek Cove Coves Brook Brooks Burg Burgs "
    "Rapid "
    "Bypass Canyon Cape Causeway Cliff Cliffs Common Commons Corner Corners Crest Curve Dale "
    "Divide Estate Estates Expressway Expy Extension Ext Ferry Forest Forge Forges Freeway Fwy "
    "Gardens "
    "Gdns Gateway Green Greens Harbor Harbors Haven Hill Hills Hollow Inlet Island Islands Isle "
    "Junction Jct Knoll Knolls Loop Lodge Mall Meadow Motorway Neck Orchard Oval Overpass Pass "
    "Pike Pine Pines Plain Plains Prairie Ranch Rapids Ridge River Shoal Shoals Shore Shores "
    "Skyway Spur Spurs Stravenue Stream Summit Trace Trafficway Tunnel Turnpike Underpass "
    "Viaduct Walk Walks Wells Wharf Wynd Gate Gardens Parade Embankment Rise Quay "
    # More of the USPS list, and Australian and Indian street types.
    "Lights Light Springs Spring Camp Quays Locks Lock Flats Ramp Unions Union Throughway Keys "
    "Ronde Esplanade Promenade Chowk Ganj Nagar Marg Gali Enclave Vihar Bazar Bazaar "
    "Anex Arcade Bayou Bluff Bluffs Centers Crossroad Crossroads Extensions Junctions Parkways "
    "Radial Stravenue Trailer"
).split()
# USPS types that name other things as often (`3 Data Center`, `2 Key Points`, `Cloud Run`):
# a street only after a house number of two digits or more, or after a unit (`Flat 54,
# Andrews Mission`).
EN_AMBIGUOUS_TYPES = (
    "Center Centre Club Course Dam Flat Key Mission Park Parks Point Points Run Station Bridge "
    "Wall Well Branch Beach Bend Bottom Fort Garden Loaf Passage Path Rest Route Track Fall "
    # USPS's RUE, and VIA (its abbreviation of VIADUCT), written after the name.
    "Rue Via"
).split()

# Street types written before the name (French, Spanish and Mexican, Portuguese and Brazilian,
# Italian, Polish, Catalan, Albanian). Those that are also English or common words (`via`,
# `place`, `route`, `parque`) count only capitalized.
PREFIX_TYPES_ANY_CASE = (
    "rue avenue boulevard bd bld chemin allée allee impasse quai calle c/ avenida avda avda. rua "
    "r. travessa tv. praça praca estrada carrera cra. kra. carretera paseo camino viale piazza "
    "piazzale vicolo ul. ulica aleja al. strada rambla rúa rruga diagonal transversal "
    "periférico periferico corredor peatonal ampliación ampliacion andador callejón callejon "
    "calzada cerrada circuito privada prolongación prolongacion retorno viaducto continuación "
    "esplanada viela ladeira rodovia alameda passeig carrer "
    # Spanish, Italian, Portuguese, Polish and Romanian types seen less often.
    "acceso vial ronda pasaje glorieta cuesta urbanización urbanizacion senda rotonda stretto "
    "contrada borgo vico viaduto plac rondo osiedle os. bulevardul bulevard soseaua șoseaua "
    "calea aleea piața piata splaiul intrarea drumul pl. canale incrocio cañada canada "
    # Mexico's road types (INEGI's catalogue) not above.
    "circunvalación circunvalacion"
).split()
PREFIX_TYPES_CAPITALIZED = (
    "Av Av. Via Place Pl. Plaza Corso Largo Route Cours Passage Jirón Jiron Pasaje Feira Morro "
    "Jardim Parque Vale Lago Lagoa Quadra Setor Trecho Vila Residencial Conjunto Condomínio "
    "Chácara Fazenda Sítio Núcleo Recanto Vereda Travesía Campo Área Colônia Distrito Estação "
    "Favela Loteamento Passarela Pátio Trevo Praia "
    # Greek (odos, leoforos, plateia, parodos) and Indonesian/Malay (jalan, gang) types.
    "Οδός Οδ. Λεωφόρος Λεωφ. Πλατεία Πλ. Πάροδος Jalan Jl. Jln. Gg. Gang Lorong"
).split()

# Russian and Ukrainian street types, written before the name (`ул. Вишневая, д. 19`, `вулиця
# Саймона Літмана, буд. 83`): a house then follows as `д.` (дом) or `буд.` (будинок).
SLAVIC_TYPES = (
    "ул улица пр просп проспект пер переулок наб набережная ш шоссе бул бульв бульвар пл "
    "площадь алл аллея туп тупик проезд мкр микрорайон тракт вул вулиця провулок пров узвіз "
    "майдан парк сквер набережна проїзд шосе площа алея"
).split()

# A sentence that says whose address follows (`my address is`, `mijn adres is`, not `the IP
# address is`): then a capitalized name of up to four words and a house number is a street line
# whatever its type word, or with none (`Leolei 842`, `Lentokapteenin bulevardi 767`).
ADDRESS_SAID = (
    r"(?i:\b(?:(?:my|our|mijn|onze|meine|unsere|mon|notre|mi|nuestra|meu|nosso|il mio|min|mitt|"
    r"mój|moje)\s+(?:address|adres|adresse|dirección|direccion|endereço|endereco|indirizzo|"
    r"adress)\s+(?:is|ist|est|es|é|è|er|är|to)|osoitteeni on|osoite on|adresim"
    # Where someone lives, and an address's own label (`Tosh Olsen lives at 172 Maneeži 75`,
    # `my new address is`, `Billing address: ... `, `Address:\n19902 Dobrovského 1394`).
    r"|(?:lives|lived|living|resides|resided|stays|staying)\s+(?:at|on)"
    r"|(?:new|billing|shipping|mailing|postal|home|delivery)\s+address(?:\s+(?:is|with|to))?"
    r"|address:"
    r"))\s*:?\s+"
)

# A sentence that sends a parcel or a person somewhere (English, French, Portuguese, Spanish,
# German, Dutch, Italian: `please send the replacement to`, `renvoyer au`, `reenviem para`,
# `schicken Sie es an die`, `I moved to`, `I live on`), then a street with or without its
# number: a type word before the name, a type glued to it, or an English type after it.
SENT_TO = (
    r"(?i:\b(?:(?:re-?)?send|ship|deliver|mail|post|forward|return|bring|move[ds]?|moving|"
    r"envoy\pL*|renvoy\pL*|livr\pL*|exp[ée]di\pL*|(?:re)?envi\pL*|entreg\pL*|mand\pL*|"
    r"schick\pL*|liefer\pL*|stuur\pL*|bezorg\pL*|spedi\pL*|consegn\pL*)"
    r"(?:\s+[\pL'\x{2019}]+){0,3}?\s+(?:to|au|à|a|para|ao|al|an|naar|nach|in)\s+"
    r"(?:the\s+|la\s+|l['\x{2019}]|a\s+|o\s+|die\s+|den\s+)?"
    r"|\b(?:i|we)\s+(?:live|lived|moved)\s+(?:on|at|in|to)\s+)"
)
