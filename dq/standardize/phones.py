"""Telephone numbers → E.164 with type (mobile, fixed line …) and extension; invalid ones flagged.

The record's country is the default region for numbers written nationally ("0221/1234567"). German
habits are handled before parsing: "+49 (0)221 …", "+49 0221 …", "0049 …", "Durchwahl 12",
"Tel.:" labels. Validity and type come from libphonenumber's metadata (the ``phonenumbers``
package); for the common cases the metadata patterns are applied directly, which is several times
faster than ``phonenumbers.parse`` and gives the same answers (a test checks this).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import PhoneNumberType

from dq.standardize._vector import (
    arrow_mask,
    arrow_text,
    as_text,
    broadcast,
    map_distinct,
    map_distinct_frame,
    patch_rows,
)
from dq.standardize.text import clean_text

__all__ = [
    "PhoneInfo",
    "is_valid_phone",
    "normalize_phone",
    "phone_columns",
]

_TYPE_NAMES: dict[int, str] = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: "unknown",
}

_LABEL = re.compile(
    r"^(?:tel(?:efon)?|phone|fon|ph|mobil(?:e|telefon)?|handy|cell|fax|telefax|t|m|f)\.?\s*:?\s*",
    re.IGNORECASE,
)
_EXTENSION = re.compile(
    r"\s*(?:,|;)?\s*(?:ext\.?|extension|x|durchwahl|dw\.?|app\.?|apparat|nst\.?|nebenstelle|#)"
    r"\s*:?\s*(?P<ext>\d{1,6})\s*$",
    re.IGNORECASE,
)
_TRUNK_IN_BRACKETS = re.compile(r"^(\+|00)(\d{1,3})[\s\-./]*\(0\)")
_ALLOWED = re.compile(r"^\+?[\d\s\-./()]+$")
_HAS_LETTER = re.compile(r"[^\d\s\-./()+]")
_NON_DIGIT = re.compile(r"\D")


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    """One standardised number: ``e164`` is None when the value could not be parsed."""

    e164: str | None
    valid: bool
    type: str | None
    extension: str | None


def _region(country: str | None) -> str:
    if country and len(country) == 2 and country.isalpha():
        return country.upper()
    if country:
        from dq.standardize.addresses import normalize_country

        code = normalize_country(country)
        if code:
            return code
    return "DE"


@cache
def _metadata(region: str) -> Any:
    return phonenumbers.PhoneMetadata.metadata_for_region(region, None)


@cache
def _single_region(cc: int) -> str | None:
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(cc)
    if regions and len(regions) == 1 and regions[0] != "001":
        return str(regions[0])
    return None


@cache
def _desc_matcher(region: str, field: str) -> tuple[frozenset[int], re.Pattern[str]] | None:
    desc = getattr(_metadata(region), field)
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)


def _matches(national: str, region: str, field: str) -> bool:
    matcher = _desc_matcher(region, field)
    if matcher is None:
        return False
    lengths, pattern = matcher
    if lengths and len(national) not in lengths:
        return False
    return pattern.fullmatch(national) is not None


_SPECIAL_TYPES = (
    ("premium_rate", "premium_rate"),
    ("toll_free", "toll_free"),
    ("shared_cost", "shared_cost"),
    ("voip", "voip"),
    ("personal_number", "personal_number"),
    ("pager", "pager"),
    ("uan", "uan"),
    ("voicemail", "voicemail"),
)


@cache
def _type_matcher(region: str) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """One alternation of the special and fixed-line types, in libphonenumber's order.

    Python's ``re`` tries alternatives left to right, so the first group that matches is the
    type ``_number_type_helper`` would return; possible lengths become look-aheads.
    """
    branches: list[str] = []
    for field, name in (*_SPECIAL_TYPES, ("fixed_line", "fixed_line")):
        matcher = _desc_matcher(region, field)
        if matcher is None:
            continue
        lengths, pattern = matcher
        guard = f"(?=(?:{'|'.join(f'.{{{n}}}' for n in sorted(lengths))})$)" if lengths else ""
        branches.append(f"(?P<{name}>{guard}(?:{pattern.pattern}))")
    combined = re.compile("|".join(branches)) if branches else re.compile("(?!)")
    general = _desc_matcher(region, "general_desc")
    return combined, general[1] if general else None


def _number_type(national: str, region: str) -> str:
    """libphonenumber's type decision (``_number_type_helper``) on the compiled patterns."""
    if not _matches(national, region, "general_desc"):
        return "unknown"
    combined, _ = _type_matcher(region)
    match = combined.fullmatch(national)
    same = bool(_metadata(region).same_mobile_and_fixed_line_pattern)
    if match is not None:
        kind = str(match.lastgroup)
        if kind != "fixed_line":
            return kind
        if same or _matches(national, region, "mobile"):
            return "fixed_line_or_mobile"
        return "fixed_line"
    if not same and _matches(national, region, "mobile"):
        return "mobile"
    return "unknown"


def _split_country_code(digits: str) -> tuple[int, str] | None:
    for size in (1, 2, 3):
        cc = int(digits[:size]) if len(digits) >= size else -1
        if cc in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return cc, digits[size:]
    return None


def _slow(text: str, region: str, extension: str | None) -> PhoneInfo:
    """Fall back to ``phonenumbers.parse`` for shapes the fast path does not handle."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return PhoneInfo(None, False, None, extension)
    valid = bool(phonenumbers.is_valid_number(number))
    kind = _TYPE_NAMES.get(phonenumbers.number_type(number), "unknown") if valid else None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return PhoneInfo(str(e164), valid, kind, extension or number.extension or None)


def normalize_phone(value: str, country: str | None = "DE") -> PhoneInfo:
    """Parse one number with ``country`` (ISO alpha-2 or a country name) as default region.

    ``normalize_phone("0221/1234567")`` → ``PhoneInfo("+492211234567", True, "fixed_line", None)``.
    """
    return _normalize_clean(clean_text(value), _region(country))


def _normalize_clean(text: str, region: str) -> PhoneInfo:
    """:func:`normalize_phone` for text already cleaned and a resolved region."""
    extension: str | None = None
    if _HAS_LETTER.search(text):  # labels and extensions are written with letters or "#"
        text = _LABEL.sub("", text)
        ext_match = _EXTENSION.search(text)
        if ext_match:
            extension = ext_match.group(1)
            text = text[: ext_match.start()]
        text = text.strip()
    if "(0)" in text:
        text = _TRUNK_IN_BRACKETS.sub(r"\1\2 ", text)
    if not text or not _ALLOWED.match(text):
        return _slow(text, region, extension)
    digits = _NON_DIGIT.sub("", text)
    meta = _metadata(region)
    if text.startswith("+"):
        international = digits
    elif digits.startswith("00") and meta is not None and meta.international_prefix == "00":
        international = digits[2:]
    elif meta is not None and meta.national_prefix == "0" and digits.startswith("0"):
        international = str(meta.country_code) + digits[1:]
    else:
        return _slow(text, region, extension)
    split = _split_country_code(international)
    if split is None:
        return PhoneInfo(None, False, None, extension)
    cc, national = split
    target = _single_region(cc)
    if target is None or _metadata(target) is None:
        return _slow("+" + international, region, extension)
    if _metadata(target).national_prefix == "0" and national.startswith("0"):
        national = national[1:]  # "+49 0221 …": the trunk zero written after the country code
    if not national or len(national) > 17:
        return PhoneInfo(None, False, None, extension)
    kind = _number_type(national, target)
    valid = kind != "unknown"
    return PhoneInfo(f"+{cc}{national}", valid, kind if valid else None, extension)


def _country_series(values: pd.Series, country: pd.Series | str | None) -> pd.Series:
    return broadcast(country, values.index).fillna("DE")


def is_valid_phone(values: pd.Series, country: pd.Series | str = "DE") -> pd.Series:
    """Nullable boolean per value: a valid number for its country (default region); NA where blank.

    ``country`` is one region for all rows or a Series aligned to ``values`` (e.g. the records'
    ``country`` column).
    """
    return map_distinct(
        values,
        lambda v, c: normalize_phone(v, c).valid if clean_text(v) else None,
        dtype="boolean",
        other=_country_series(values, country),
    )


def phone_columns(
    values: pd.Series, country: pd.Series | str | None = "DE", prefix: str = "phone"
) -> pd.DataFrame:
    """``<prefix>``, ``<prefix>_valid``, ``<prefix>_type``, ``<prefix>_extension`` per value.

    ``<prefix>`` holds the E.164 form of valid numbers; invalid ones keep their cleaned text.
    Plain numbers (digits, spaces, ``+-./()``) are decided column-wide with Arrow's RE2 kernels
    on libphonenumber's metadata; the rest, once per distinct value, by :func:`normalize_phone`.
    """
    names = [prefix, f"{prefix}_valid", f"{prefix}_type", f"{prefix}_extension"]
    kinds: list[Any] = ["string", "boolean", "string", "string"]
    regions = _country_series(values, country)
    fast = _fast_columns(as_text(values), regions)
    out = _frame(fast, names, kinds, values.index)
    rest = ~fast.decided & values.notna().to_numpy(dtype=bool)
    if not rest.any():
        return out
    return patch_rows(out, rest, _slow_columns(values[rest], regions[rest], names, kinds))


def _slow_columns(
    values: pd.Series, regions: pd.Series, names: list[str], kinds: list[Any]
) -> pd.DataFrame:
    def row(value: str, region: str) -> tuple[object, ...]:
        cleaned = clean_text(value)
        if not cleaned:
            return (None, None, None, None)
        info = _normalize_clean(cleaned, _region(region))
        shown = info.e164 if info.valid else cleaned
        return (shown, info.valid, info.type, info.extension)

    return map_distinct_frame(values, row, names, dtypes=kinds, other=regions)


@dataclass
class _Fast:
    """Column-wide results; rows with ``decided`` False are left to the per-value path."""

    shown: np.ndarray
    valid: np.ndarray
    kind: np.ndarray
    extension: np.ndarray
    decided: np.ndarray


def _frame(fast: _Fast, names: list[str], kinds: list[Any], index: pd.Index) -> pd.DataFrame:
    columns = (fast.shown, fast.valid, fast.kind, fast.extension)
    return pd.DataFrame(
        {n: pd.array(c, dtype=k) for n, c, k in zip(names, columns, kinds, strict=True)},
        index=index,
    )


# Values the column-wide path takes: printable ASCII already clean (no double or edge spaces).
_CLEAN_ASCII = r"^[\x21-\x7e]+(?: [\x21-\x7e]+)*$"
_ALLOWED_ASCII = r"^\+?[0-9\s\-./()]+$"
_TRUNK_IN_BRACKETS_RE2 = r"^(\+|00)([0-9]{1,3})[\s\-./]*\(0\)"


def _fast_columns(text: pd.Series, regions: pd.Series) -> _Fast:
    """The fast path of :func:`_normalize_clean` for plain ASCII numbers, over whole columns.

    Labels and extensions are cut with the same patterns (RE2 reads them as ``re`` does on
    ASCII); numbers that need ``phonenumbers.parse`` stay undecided.
    """
    n = len(text)
    empty = np.full(n, None, dtype=object)
    fast = _Fast(empty, empty.copy(), empty.copy(), empty.copy(), np.zeros(n, dtype=bool))
    array = arrow_text(text)
    rows = np.flatnonzero(arrow_mask(pc.match_substring_regex(array, _CLEAN_ASCII)))
    if len(rows) == 0:
        return fast
    cleaned = array.take(pa.array(rows))
    numbers, extension = _cut_label_and_extension(cleaned)
    numbers = pc.replace_substring_regex(numbers, _TRUNK_IN_BRACKETS_RE2, r"\1\2 ")
    allowed = arrow_mask(pc.match_substring_regex(numbers, _ALLOWED_ASCII))
    rows, cleaned, numbers, extension = (
        rows[allowed],
        *(a.filter(pa.array(allowed)) for a in (cleaned, numbers, extension)),
    )
    digits = pc.replace_substring_regex(numbers, r"[^0-9]", "")
    plus = arrow_mask(pc.starts_with(numbers, "+"))
    region_codes, region_names = pd.factorize(regions.to_numpy(dtype=object)[rows])
    for code, name in enumerate(region_names):
        meta = _metadata(_region(str(name)))
        if meta is None:
            continue
        group = np.flatnonzero(region_codes == code)
        take = pa.array(group)
        international = _international(digits.take(take), plus[group], meta)
        _decide(fast, rows[group], international, cleaned.take(take), extension.take(take))
    return fast


def _cut_label_and_extension(cleaned: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Numbers without a leading label ("Tel.:") or trailing extension, and the extensions."""
    lettered = pc.match_substring_regex(cleaned, r"[^0-9\s\-./()+]")
    label = "(?i)" + _LABEL.pattern
    unlabelled = pc.replace_substring_regex(cleaned, label, "", max_replacements=1)
    parts = pc.extract_regex(unlabelled, "(?i)^(?P<head>.*?)" + _EXTENSION.pattern)
    found = pc.is_valid(parts)
    head = pc.utf8_trim_whitespace(pc.if_else(found, pc.struct_field(parts, 0), unlabelled))
    numbers = pc.if_else(lettered, head, cleaned)
    extension = pc.if_else(pc.and_(lettered, found), pc.struct_field(parts, 1), None)
    return numbers, extension


def _international(digits: pa.Array, plus: np.ndarray, meta: Any) -> pa.Array:
    """Country code + national number, or null where the fast path does not apply."""
    double_zero = arrow_mask(pc.starts_with(digits, "00")) & (meta.international_prefix == "00")
    trunk = arrow_mask(pc.starts_with(digits, "0")) & (meta.national_prefix == "0") & ~double_zero
    national = pc.binary_join_element_wise(
        str(meta.country_code), pc.utf8_slice_codeunits(digits, 1), ""
    )
    conditions = pa.StructArray.from_arrays(
        [pa.array(plus), pa.array(~plus & double_zero), pa.array(~plus & trunk)],
        names=["plus", "double_zero", "trunk"],
    )
    return pc.case_when(conditions, digits, pc.utf8_slice_codeunits(digits, 2), national)


@cache
def _country_code_prefixes(size: int) -> pa.Array:
    """Digit strings of ``size`` that ``int()`` reads as a country code (``"049"`` → 49)."""
    codes = (str(cc) for cc in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    return pa.array(sorted({c.zfill(size) for c in codes if len(c) <= size}), type=pa.string())


def _decide(
    fast: _Fast, rows: np.ndarray, international: pa.Array, cleaned: pa.Array, extension: pa.Array
) -> None:
    """Split the country code, check the national number against the target region's metadata."""
    conditions: list[pa.Array] = []
    prefixes: list[pa.Array] = []
    for size in (1, 2, 3):
        prefix = pc.utf8_slice_codeunits(international, 0, size)
        conditions.append(pc.fill_null(pc.is_in(prefix, _country_code_prefixes(size)), False))
        prefixes.append(prefix)
    names = ["one", "two", "three"]
    cc_text = pc.case_when(pa.StructArray.from_arrays(conditions, names=names), *prefixes)
    present = arrow_mask(pc.is_valid(international))
    split = arrow_mask(pc.is_valid(cc_text))
    shown_text = np.asarray(cleaned.to_numpy(zero_copy_only=False), dtype=object)
    fast.extension[rows[present]] = np.asarray(
        extension.to_numpy(zero_copy_only=False), dtype=object
    )[present]
    unsplit = present & ~split  # no country code: invalid, like the per-value path
    fast.decided[rows[unsplit]] = True
    fast.shown[rows[unsplit]] = shown_text[unsplit]
    fast.valid[rows[unsplit]] = False
    cc_values = np.asarray(cc_text.to_numpy(zero_copy_only=False), dtype=object)
    cc_codes, cc_names = pd.factorize(cc_values[split])
    split_rows = np.flatnonzero(split)
    for code, cc in enumerate(cc_names):
        target = _single_region(int(cc))
        meta = _metadata(target) if target else None
        if target is None or meta is None:
            continue  # shared country codes (+1, +7, +44 …): phonenumbers decides
        mine = split_rows[cc_codes == code]
        national = pc.utf8_slice_codeunits(international.take(pa.array(mine)), len(cc))
        if meta.national_prefix == "0":  # "+49 0221 …": the trunk zero after the country code
            national = pc.replace_substring_regex(national, "^0", "")
        lengths = np.asarray(pc.utf8_length(national).to_numpy(zero_copy_only=False))
        kinds = _number_types(national, target)
        ok = (lengths > 0) & (lengths <= 17)
        valid = ok & (kinds != "unknown")
        e164 = np.asarray(
            pc.binary_join_element_wise(f"+{int(cc)}", national, "").to_numpy(zero_copy_only=False),
            dtype=object,
        )
        out = rows[mine]
        fast.decided[out] = True
        fast.valid[out] = valid
        fast.shown[out] = np.where(valid, e164, shown_text[mine])
        fast.kind[out] = np.where(valid, kinds, np.array(None, dtype=object))


def _number_types(national: pa.Array, region: str) -> np.ndarray:
    """:func:`_number_type` for a column of national numbers of one region."""
    lengths = pc.utf8_length(national)

    def matches(field: str) -> np.ndarray:
        matcher = _desc_matcher(region, field)
        if matcher is None:
            return np.zeros(len(national), dtype=bool)
        allowed, pattern = matcher
        hit = arrow_mask(pc.match_substring_regex(national, f"^(?:{pattern.pattern})$"))
        if allowed:
            hit &= arrow_mask(pc.is_in(lengths, pa.array(sorted(allowed), type=lengths.type)))
        return hit

    kinds = np.full(len(national), "unknown", dtype=object)
    open_ = matches("general_desc")
    same = bool(_metadata(region).same_mobile_and_fixed_line_pattern)
    for field, name in _SPECIAL_TYPES:
        hit = open_ & matches(field)
        kinds[hit] = name
        open_ &= ~hit
    fixed = open_ & matches("fixed_line")
    mobile = open_ & (matches("mobile") if not same else np.zeros(len(national), dtype=bool))
    kinds[fixed] = "fixed_line_or_mobile" if same else "fixed_line"
    kinds[fixed & mobile] = "fixed_line_or_mobile"
    kinds[~fixed & mobile] = "mobile"
    return kinds
