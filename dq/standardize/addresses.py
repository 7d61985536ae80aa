"""Addresses: street/house-number split, street matching key, postcodes, cities, countries.

``split_street("Hauptstr. 5a")`` → ``("Hauptstraße", "5a")``; ``street_key`` folds spellings and
abbreviations together ("Hauptstr." = "Hauptstrasse" = "Haupt-Straße"); postcodes are checked per
country (DE five digits, zero-padded after Excel dropped the leading zero; AT/CH four; NL
"1234 AB"); ``parse_address_line`` reads "Waidmannstraße 1, 22769 Hamburg." into its parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pandas as pd

from dq.standardize._tables import load_table
from dq.standardize._vector import (
    as_text,
    broadcast,
    map_distinct,
    map_distinct_frame,
    patch_rows,
)
from dq.standardize.text import clean_text, fold

__all__ = [
    "Address",
    "clean_city",
    "is_po_box",
    "is_po_box_value",
    "is_valid_postcode",
    "is_valid_postcode_value",
    "normalize_country",
    "normalize_house_number",
    "normalize_postcode",
    "normalize_street",
    "parse_address_line",
    "split_street",
    "street_key",
]


@cache
def _countries() -> dict[str, dict[str, Any]]:
    return dict(load_table("countries")["countries"])


@cache
def _country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, spec in _countries().items():
        lookup[code.lower()] = code
        lookup[str(spec["alpha3"]).lower()] = code
        for name in spec.get("names", ()):
            lookup[fold(str(name))] = code
    return lookup


def normalize_country(value: str) -> str | None:
    """ISO 3166-1 alpha-2 for a code or name: ``"Deutschland"``, ``"D"``, ``"DEU"`` → ``"DE"``.

    Other ISO alpha-2 codes are accepted as they are (upper case); None when unknown.
    """
    key = fold(value)
    if not key:
        return None
    found = _country_lookup().get(key)
    if found:
        return found
    if len(key) == 2 and key.upper() in _iso_codes():
        return key.upper()
    return None


@cache
def _iso_codes() -> frozenset[str]:
    import phonenumbers

    return frozenset(str(r) for r in phonenumbers.SUPPORTED_REGIONS) | frozenset(_countries())


# --- postcodes ------------------------------------------------------------------------------

_GENERIC_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{1,9}$")


@cache
def _postcode_pattern(country: str) -> re.Pattern[str] | None:
    spec = _countries().get(country)
    if spec is None or "postcode" not in spec:
        return None
    pattern = str(spec["postcode"])
    if country == "DE":
        pattern = r"^(?!00)\d{5}$"  # German postcodes run from 01001 to 99998
    return re.compile(pattern)


@lru_cache(maxsize=1 << 17)  # pure per value; streets repeat across records
def normalize_postcode(value: str, country: str | None = "DE") -> str:
    """Country-aware clean-up: ``"1067"`` → ``"01067"`` (DE), ``"D-50667"`` → ``"50667"``,
    ``"1234ab"`` → ``"1234 AB"`` (NL), ``"A-1010"`` → ``"1010"``. Unknown shapes are kept, cleaned.
    """
    text = clean_text(value).upper().strip(" .,")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # a spreadsheet stored the postcode as a float
    text = re.sub(r"^(?:D|A|CH|FL|L|B|F|I|NL|DK|S|N|FIN|PL|CZ)\s*[-‐]\s*(?=\d)", "", text)
    code = (country or "DE").upper()
    spec = _countries().get(code, {})
    width = spec.get("postcode_digits")
    compact = re.sub(r"[\s\-]", "", text)
    if width and len(compact) == int(width) and not compact.isdigit():
        compact = _ocr_digits(compact)
    if width and compact.isdigit() and len(compact) < int(width):
        return compact.zfill(int(width))
    if width and compact.isdigit():
        return compact
    if code == "NL":
        match = re.fullmatch(r"(\d{4})\s*([A-Z]{2})", text)
        if match:
            return f"{match[1]} {match[2]}"
    if code in {"CZ", "SK", "SE", "GR"} and compact.isdigit() and len(compact) == 5:
        return f"{compact[:3]} {compact[3:]}"
    if code == "PL" and compact.isdigit() and len(compact) == 5:
        return f"{compact[:2]}-{compact[2:]}"
    return re.sub(r"\s+", " ", text)


# Letters OCR and hurried typing put for digits: O/Q for 0, I/L for 1, S for 5, B for 8, G for 6.
_OCR_DIGITS = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1", "S": "5", "B": "8", "G": "6"})


def _ocr_digits(compact: str) -> str:
    """``"23O48"`` → ``"23048"``: one letter among digits of an all-digit postcode, read as the
    digit it resembles. Anything else (two letters, other letters) is left as it is."""
    letters = sum(1 for ch in compact if not ch.isdigit())
    repaired = compact.translate(_OCR_DIGITS)
    return repaired if letters == 1 and repaired.isdigit() else compact


def is_valid_postcode_value(value: str, country: str | None = "DE") -> bool:
    """True when the normalised postcode has the shape the country uses."""
    code = normalize_country(country or "DE") or "DE"
    normalized = normalize_postcode(value, code)
    pattern = _postcode_pattern(code)
    if pattern is None:
        return bool(_GENERIC_POSTCODE.match(normalized))
    return pattern.match(normalized) is not None


def _postcode_shape_ok(normalized: str, code: str) -> bool:
    pattern = _postcode_pattern(code)
    if pattern is None:
        return bool(_GENERIC_POSTCODE.match(normalized))
    return pattern.match(normalized) is not None


def postcode_columns(values: pd.Series, country: pd.Series) -> pd.DataFrame:
    """Columns ``postcode`` (:func:`normalize_postcode`, null when blank) and ``valid``.

    ``country`` holds ISO codes aligned to ``values``. Postcodes written as plain digits in a
    country with a fixed width, nearly all of them, are padded column-wise; the others are
    normalised once per distinct value and country.
    """
    text = as_text(values)
    codes = as_text(country).reindex(text.index).fillna("DE").str.upper()
    digits = text.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
    normalized = pd.Series(pd.NA, index=text.index, dtype="string")
    fast = pd.Series(False, index=text.index)
    for code in codes[digits].unique():
        width = _countries().get(code, {}).get("postcode_digits")
        if not width or normalize_country(code) != code:
            continue
        rows = digits & (codes == code)
        normalized[rows] = text[rows].str.zfill(int(width))
        fast |= rows
    out = pd.DataFrame(
        {
            "postcode": normalized,
            "valid": map_distinct(normalized, _postcode_shape_ok, dtype="boolean", other=codes),
        },
        index=text.index,
    )
    rest = (~fast & text.notna()).to_numpy(dtype=bool)
    if not rest.any():
        return out
    computed = map_distinct_frame(
        text[rest],
        lambda v, c: (normalize_postcode(v, c) or None, is_valid_postcode_value(v, c)),
        ["postcode", "valid"],
        dtypes=["string", "boolean"],
        other=codes[rest],
    )
    return patch_rows(out, rest, computed)


def is_valid_postcode(values: pd.Series, country: pd.Series | str = "DE") -> pd.Series:
    """Nullable boolean per value: a postcode of its country's shape; NA where blank.

    ``country`` is one code for all rows or a Series aligned to ``values``; rows with no country
    are checked as ``DE``.
    """
    countries = broadcast(country, values.index).fillna("DE")
    return map_distinct(
        values,
        lambda v, c: is_valid_postcode_value(v, c or "DE") if clean_text(v) else None,
        dtype="boolean",
        other=countries,
    )


# --- streets --------------------------------------------------------------------------------


@cache
def _street_rules(section: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    table = load_table("streets")
    flags = re.IGNORECASE if section == "key" else 0
    return tuple((re.compile(p, flags), r) for p, r in table[section])


@cache
def _po_box() -> re.Pattern[str]:
    return re.compile(str(load_table("streets")["po_box"]), re.IGNORECASE)


@lru_cache(maxsize=1 << 17)  # pure per value; streets repeat across records
def is_po_box_value(value: str) -> bool:
    """True for post-office boxes: "Postfach 12 34", "Pf. 1234", "P.O. Box 12", "Postbus 5"."""
    return _po_box().match(clean_text(value)) is not None


def is_po_box(values: pd.Series) -> pd.Series:
    """Nullable boolean per value: a post-office box; NA where blank."""
    return map_distinct(
        values, lambda v: is_po_box_value(v) if clean_text(v) else None, dtype="boolean"
    )


@lru_cache(maxsize=1 << 17)  # pure per value; streets repeat across records
def normalize_street(value: str, country: str | None = "DE") -> str:
    """Display form: whitespace cleaned, "Str." → "Straße" (CH: "Strasse"); nothing else changes."""
    text = clean_text(value).strip(" ,;")
    # "Dr.Müller-Str." → "Dr. Müller-Str." (not "P.O." → "P. O.")
    text = re.sub(r"(?<=[A-Za-zÄÖÜäöüß]{2})\.(?=[A-ZÄÖÜ][a-zäöüß])", ". ", text)
    section = "display_ch" if (country or "").upper() in {"CH", "LI"} else "display"
    for pattern, replacement in _street_rules(section):
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=1 << 17)  # pure per value; streets repeat across records
def street_key(value: str) -> str:
    """A matching key for street names: ``"Hauptstr."``, ``"Haupt-Straße"`` → ``"hauptstr"``."""
    text = clean_text(value).lower()
    for pattern, replacement in _street_rules("key"):
        text = pattern.sub(replacement, text)
    return fold(text, "expanded").replace(" ", "")


_NUMBER = r"\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:\s*[-–/+]\s*\d{0,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?)?"
_TRAILING = re.compile(
    rf"^(?P<street>.*?\D)[\s,]*(?:Nr\.?|No\.?|Nummer)?\s*(?P<number>{_NUMBER})\s*$"
)
_LEADING = re.compile(r"^(?P<number>\d{1,5}[a-zA-Z]?)(?:\s*,\s*|\s+)(?P<street>[^\d\s].*)$")
_QUADRAT = re.compile(r"^(?P<street>[A-U]\s?\d{1,2})\s*,\s*(?P<number>\d{1,3}[a-zA-Z]?)$")


@lru_cache(maxsize=1 << 17)  # pure per value; streets repeat across records
def normalize_house_number(value: str) -> str:
    """``"5 A"`` → ``"5a"``, ``"12 - 14"`` → ``"12-14"``, ``"Nr. 7"`` → ``"7"``."""
    text = clean_text(value)
    text = re.sub(r"^(?:Nr\.?|No\.?|Nummer|Hausnummer)\s*", "", text, flags=re.IGNORECASE)
    text = text.replace("–", "-")
    text = re.sub(r"\s*([-/+])\s*", r"\1", text)
    text = re.sub(r"(?<=\d)\s+(?=[A-Za-z](?![A-Za-z]))", "", text)
    if re.fullmatch(r"\d+[A-Z](?:[-/+]\d+[A-Z]?)?", text):
        text = text.lower()
    return text


@lru_cache(maxsize=1 << 17)  # pure per value; streets repeat across records
def split_street(value: str, country: str | None = "DE") -> tuple[str, str | None]:
    """Split street and house number: ``"Hauptstr. 5a"`` → ``("Hauptstraße", "5a")``.

    Handles "Straße des 17. Juni 100", "Ludwigstraße 12-14", Mannheim's "Q 7, 24" and
    number-first forms ("10 Downing Street"). Post-office boxes and values without a number
    come back whole with ``None``.
    """
    text = clean_text(value).strip(" ,;")
    if not text or is_po_box_value(text):
        return normalize_street(text, country), None
    for pattern in (_QUADRAT, _TRAILING, _LEADING):
        match = pattern.match(text)
        if match:
            street = match["street"].strip(" ,;")
            if street and not street.isdigit():
                return (
                    normalize_street(street, country),
                    normalize_house_number(match["number"]),
                )
    return normalize_street(text, country), None


# --- cities and one-line addresses ----------------------------------------------------------


@cache
def _city_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p, re.IGNORECASE), r) for p, r in load_table("cities")["rewrites"])


@cache
def _city_small_words() -> frozenset[str]:
    return frozenset(str(w) for w in load_table("cities")["lowercase_words"])


def clean_city(value: str) -> str:
    """Official spelling for common abbreviations and title case for all-capitals names.

    ``"Frankfurt a. M."`` → ``"Frankfurt am Main"``; ``"KÖLN"`` → ``"Köln"``;
    ``"50667 Köln"`` → ``"Köln"`` (a leading postcode is dropped).
    """
    text = clean_text(value).strip(" ,;")
    text = re.sub(r"^(?:[A-Z]{1,2}\s*-\s*)?\d{4,5}\s+(?=\D)", "", text)
    if text.isupper() and len(text) > 1:
        words = text.lower().split(" ")
        text = " ".join(
            w if (i and w in _city_small_words()) else _capitalize(w) for i, w in enumerate(words)
        )
    for pattern, replacement in _city_rules():
        if pattern.match(text):
            return replacement
    return text


def _capitalize(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


@dataclass(frozen=True, slots=True)
class Address:
    """The parts of a one-line address; missing parts are None."""

    street: str | None
    house_number: str | None
    postcode: str | None
    city: str | None
    country: str | None
    po_box: bool = False


_POSTCODE_CITY = re.compile(
    r"^(?:(?P<prefix>[A-Z]{1,3})\s*-\s*)?(?P<postcode>\d{4,5}|\d{4}\s?[A-Z]{2})\s+(?P<city>\D.*)$"
)


def parse_address_line(value: str, country: str | None = "DE") -> Address:
    """Read a one-line address: ``"Waidmannstraße 1, 22769 Hamburg."`` → its parts.

    Parts are separated by commas, semicolons or line breaks; a trailing country name is
    recognised. Without a "postcode city" part only the street is filled.
    """
    text = clean_text(value.replace("\n", ", ")).strip(" .,;")
    parts = [p.strip(" .") for p in re.split(r"\s*[,;]\s*", text) if p.strip(" .")]
    found_country: str | None = None
    if len(parts) > 1 and not any(ch.isdigit() for ch in parts[-1]):
        candidate = normalize_country(parts[-1])
        if candidate:
            found_country = candidate
            parts = parts[:-1]
    postcode = city = None
    street_parts = parts
    for i in range(len(parts) - 1, -1, -1):
        match = _POSTCODE_CITY.match(parts[i])
        if match:
            if match["prefix"]:
                found_country = found_country or normalize_country(match["prefix"])
            code = found_country or country or "DE"
            postcode = normalize_postcode(match["postcode"], code)
            city = clean_city(match["city"])
            street_parts = parts[:i]
            break
    street_text = ", ".join(street_parts)
    if not street_text:
        return Address(None, None, postcode, city, found_country)
    if is_po_box_value(street_text):
        return Address(clean_text(street_text), None, postcode, city, found_country, True)
    street, number = split_street(street_text, found_country or country)
    return Address(street or None, number, postcode, city, found_country)
