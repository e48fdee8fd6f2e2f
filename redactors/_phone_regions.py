"""libphonenumber's metadata for one region, compiled to RE2: which national numbers the region
assigns and how it writes them.

Asking libphonenumber itself costs a parse, a validation and a formatting per region, and its
patterns are compiled by Python's `re` from a cache that fifty regions overflow: about a
millisecond for a digit group that is no phone anywhere. The same metadata as RE2 answers in
microseconds, so libphonenumber is asked only to confirm a number these checks accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
import re2

from datamin import quiet_re2

# The kinds of number a region assigns; a valid number matches one of their patterns.
_NUMBER_KINDS = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)
_NEVER = r"[^\s\S]"


@dataclass(frozen=True, slots=True)
class Format:
    leading: re2._Regexp | None  # the national number's start this format applies to
    pattern: re2._Regexp  # the whole national number, one capture per written group
    trunk_written: bool  # the region writes its trunk prefix before this format's numbers
    groups: int


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    trunk: str  # national (trunk) prefix, "" where there is none
    numbers: re2._Regexp  # every national number the region assigns
    mobiles: re2._Regexp
    formats: tuple[Format, ...]

    def written(self, national: str) -> tuple[tuple[int, ...], bool]:
        """Where the region puts separators in this number (digit counts from its end) and
        whether it writes the trunk prefix before it; one group when no format applies."""
        for f in self.formats:
            if f.leading is not None and f.leading.match(national) is None:
                continue
            m = f.pattern.fullmatch(national)
            if m is None:
                continue
            cuts, from_end = [], 0
            for i in range(f.groups, 1, -1):
                from_end += m.end(i) - m.start(i)
                cuts.append(from_end)
            return tuple(cuts), f.trunk_written
        return (), False


def _union(descs: list[phonenumbers.PhoneNumberDesc | None]) -> re2._Regexp:
    patterns = [d.national_number_pattern for d in descs if d and d.national_number_pattern]
    return quiet_re2.compile("|".join(f"(?:{p})" for p in patterns) or _NEVER)


class Regions:
    """Every region of a policy at once: one RE2 set pass says which regions assign a run of
    digits, read as it is and read without a trunk prefix, instead of a pass per region."""

    def __init__(self, regions: list[Region]) -> None:
        self.regions = regions
        options = quiet_re2.options()
        options.never_capture = True
        self._plain = re2.Set.FullMatchSet(options)
        self._trunked = re2.Set.FullMatchSet(options)
        for r in regions:
            self._plain.Add(r.numbers.pattern)
            trunk = r.trunk if r.trunk.isdigit() else "[^\\s\\S]"
            self._trunked.Add(f"{trunk}(?:{r.numbers.pattern})")
        self._plain.Compile()
        self._trunked.Compile()

    def assigning(self, digits: str) -> list[tuple[Region, str, bool]]:
        """(region, national number, whether `digits` carries the trunk) for each region that
        assigns the number, in the regions' order; with the trunk first where both read."""
        trunked = set(self._trunked.Match(digits) or ())  # None when nothing matches
        plain = set(self._plain.Match(digits) or ())
        found = []
        for i in sorted(trunked | plain):
            r = self.regions[i]
            if i in trunked:
                found.append((r, digits[len(r.trunk) :], True))
            else:
                found.append((r, digits, False))
        return found


@lru_cache(maxsize=512)
def region(code: str) -> Region | None:
    meta = phonenumbers.PhoneMetadata.metadata_for_region(code)
    if meta is None:
        return None
    trunk = meta.national_prefix or ""
    formats = []
    # Regions sharing a calling code may keep their formats with its main region (Canada's are
    # the United States').
    main = phonenumbers.PhoneMetadata.metadata_for_region(
        phonenumbers.region_code_for_country_code(meta.country_code)
    )
    for f in meta.number_format or (main.number_format if main else ()):
        leading = None
        if f.leading_digits_pattern:
            leading = quiet_re2.compile(f"(?:{f.leading_digits_pattern[-1]})")
        rule = f.national_prefix_formatting_rule or ""
        written = bool(trunk) and trunk in rule.split("\\1", 1)[0]
        pattern = quiet_re2.compile(f.pattern)
        formats.append(Format(leading, pattern, written, pattern.groups))
    return Region(
        code=code,
        trunk=trunk,
        numbers=_union([getattr(meta, kind, None) for kind in _NUMBER_KINDS]),
        mobiles=_union([meta.mobile]),
        formats=tuple(formats),
    )
