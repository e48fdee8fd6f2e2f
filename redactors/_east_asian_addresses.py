"""Addresses as Korea, Japan, China, Thailand and Vietnam write them: largest unit first, no
spaces needed, the door's number last (`서울특별시 강남구 테헤란로 152`,
`東京都千代田区丸の内1丁目9番2号`, `北京市朝阳区建国路88号`), or a building's name and a room
(`メゾン北青山403`). Their words of
place (`도`, `구`, `로`, `県`, `丁目`, `路`, `号`) are the grammar; no capital letter marks a
name, so the European forms (`datamin.redactors.addresses`) cannot read them.
"""

from __future__ import annotations

from datamin import quiet_re2

_HANGUL = r"[\x{AC00}-\x{D7A3}]"
_KANJI = r"[\x{4E00}-\x{9FFF}]"
_KANA = r"[\x{3041}-\x{3096}\x{30A1}-\x{30FA}\x{30FC}]"
_JA = r"(?:" + _KANJI + r"|" + _KANA + r")"
# A building's name: kanji and katakana, not the hiragana particles that join it to a sentence.
_NAME = r"[\x{4E00}-\x{9FFF}\x{30A1}-\x{30FA}\x{30FC}]"
_FORMS = (
    # Korean, a province or metropolitan city first, then its city or district, a road and
    # the building's number (`지하` for a basement), and a note in parentheses.
    _HANGUL + r"{1,6}(?:특별시|광역시|특별자치시|특별자치도|도)\s+" + _HANGUL + r"{1,6}(?:시|군|구)"
    r"(?:\s+" + _HANGUL + r"{1,6}(?:구|읍|면|동))?\s+[\x{AC00}-\x{D7A3}0-9]{1,15}"
    r"\s*(?:지하\s*)?\d{1,4}(?:-\d{1,4})?(?:\s*\([^)\n]{1,20}\))?",
    # Korean, a road (`...로`, `...길`, `...대로`) and a number alone.
    r"[\x{AC00}-\x{D7A3}0-9]{1,15}(?:로|길)\s(?:지하\s?)?\d{1,4}(?:-\d{1,4})?",
    # Japanese, a prefecture first, then a city or ward and the block numbers.
    _KANJI + r"{1,3}[都道府県]" + _JA + r"{1,12}?[市区町村郡]" + _JA + r"{0,12}?"
    r"\d{1,4}(?:丁目|-)\d{1,4}(?:番地?|-)?(?:\d{1,4}号?)?",
    # Japanese, the block numbers alone (`四番町2丁目14番12号`).
    _JA + r"{0,10}\d{1,4}丁目\d{1,4}番(?:地)?(?:\d{1,4}号)?",
    # Japanese, a building's name and a room (`パレス北青山403`, `鳥越コート406号室`).
    _NAME + r"{0,10}(?:コート|パーク|ハイツ|パレス|シティ|クレスト|コーポ|マンション|レジデンス|"
    r"ハウス|ビル|荘|タワー|ヒルズ|メゾン|ハイム|テラス)" + _NAME + r"{0,6}\d{3,4}(?:号室?)?",
    # Chinese, a road or street and the door's number (`建国路88号`); in Taiwan's characters,
    # with a section, a lane and an alley between (`信義路五段7號`, `民生巷3段8號`).
    _KANJI + r"{1,12}(?:路|街|大道|巷|弄|胡同)(?:[一二三四五六七八九十0-9]{1,3}段)?"
    r"(?:\d{1,4}巷)?(?:\d{1,4}弄)?\d{1,5}[号號](?:之\d{1,3})?",
)
_PATTERNS = tuple(quiet_re2.compile(form) for form in _FORMS)
# Thai: the house's number (`123/39`) and a road or lane word glued to its name (`ถ.มนทอง`,
# `ถนนถนิมมาศ`, `ซอยสุขุมวิท 11`), or a village's number (`หมู่ 4`).
_THAI = quiet_re2.compile(
    r"\d{1,5}(?:/\d{1,5})?\s*(?:ถ\.|ถนน|ซ\.|ซอย|หมู่(?:ที่)?\s*\d{1,3})\s?[\x{0E00}-\x{0E7F}]*"
    r"(?:\s?\d{1,4})?"
)
# Vietnamese: `Số 5/15/585 Trần Hưng Đạo`, `Số 84 đường 30 Tháng 4`, `12 phố Huế`: the house's
# number after `Số` ("number") and before a capitalized name or a street word, or before a
# street word alone. RE2's `\b` is ASCII's: the words are bounded by what is no letter.
_VI_STREET = r"(?:đường|phố|ngõ|ngách|hẻm|Đường|Phố|Ngõ|Hẻm)"
_VI_WORD = r"(?:\p{Lu}[\p{Ll}\p{M}]*|\d{1,4})"
_VIETNAMESE = quiet_re2.compile(
    r"(?:(?:^|[^\pL])Số\s+\d{1,5}(?:/\d{1,5}){0,3}[A-Z]?,?\s+(?:" + _VI_STREET + r"\s+)?"
    r"|(?:^|[^\pL\d/])\d{1,5}(?:/\d{1,5}){0,3}[A-Z]?,?\s+"
    + _VI_STREET
    + r"\s+)"
    + _VI_WORD
    + r"(?:\s+"
    + _VI_WORD
    + r"){0,4}"
)
_VI_SIGNS = ("Số", "đường", "phố", "ngõ", "ngách", "hẻm", "Đường", "Phố", "Ngõ", "Hẻm")
# A building's or a street's name in these scripts and the door's number, whatever its words
# (`アーバン京橋499`, `東大和町シャルム648`): an address where a sentence says one follows. (Two
# digits at least: `会議室3` is a meeting room.)
DOOR = (
    r"[\x{4E00}-\x{9FFF}\x{30A1}-\x{30FA}\x{30FC}\x{AC00}-\x{D7A3}]"
    r"[\x{4E00}-\x{9FFF}\x{30A1}-\x{30FA}\x{30FC}\x{AC00}-\x{D7A3}0-9\-]{0,30}?\d{2,5}"
    r"(?:-\d{1,5})?(?:号室?|호|번지)?"
)
# `住所は…です`, `주소는 …`, `地址是…`, `my address is …`: the words that say an address follows.
_SAID_DOOR = quiet_re2.compile(
    r"(?:ご?住所|주소|地址|(?i:address))\s*(?:は|는|은|是|:|\x{FF1A}|(?i:is))\s*(" + DOOR + r")"
)


def east_asian_addresses(text: str) -> list[tuple[int, int]]:
    """The spans of addresses in `text`; none unless it holds Hangul, CJK or Thai characters
    or Vietnamese street words."""
    if text.isascii():
        return []
    spans = []
    if any("\u0e00" <= c <= "\u0e7f" for c in text):
        spans += [m.span() for m in _THAI.finditer(text)]
    if any(sign in text for sign in _VI_SIGNS):
        for m in _VIETNAMESE.finditer(text):
            start = m.start() + (not text[m.start()].isalnum())  # the boundary is no address
            spans.append((start, m.end()))
    if not any(c >= "\u3040" for c in text):
        return spans
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            end = m.end()
            if end < len(text) and "\uac00" <= text[end] <= "\ud7a3" and text[end - 1].isdigit():
                # `출구로 5분`, `서울로 3번`: a number glued to a counter word is no door.
                if not text.startswith(("입니다", "이에요", "예요", "번지"), end):
                    continue
            spans.append((m.start(), end))
    spans += [m.span(1) for m in _SAID_DOOR.finditer(text)]
    return list(dict.fromkeys(spans))


# Japan's block numbers in Latin letters (`3-12-8 Shibuya, Shibuya-ku`, `1-4-2 Umeda, Kita-ku`):
# the chōme, block and house numbers, the district's name, and its ward, city or town.
_ROMANIZED_BLOCKS = quiet_re2.compile(
    r"(?:^|[^\p{L}\p{N}\-/.])(\d{1,2}-\d{1,3}-\d{1,4}(?:-\d{1,4})?,?[ \t]+\p{Lu}\p{Ll}+"
    r"(?:[ \t\-]\p{Lu}?\p{Ll}+){0,2},?[ \t]+\p{Lu}\p{Ll}+-(?:ku|shi|cho|machi|gun))\b"
)


def romanized_blocks(text: str) -> list[tuple[int, int]]:
    """The spans of Japanese block addresses written in Latin letters."""
    return [m.span(1) for m in _ROMANIZED_BLOCKS.finditer(text)]
