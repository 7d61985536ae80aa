"""Small parsers shared by the extractors: legal forms, street lines, postcode lines, social URLs.

They read raw page text as it is written on German, Austrian and Swiss sites; cleaning the values
(E.164 phones, VAT check digits, legal-form canonical spelling) is the standardiser's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from dq.sources.web.vocab import COUNTRY_NAMES, LEGAL_FORMS, SOCIAL_SITES, SOCIAL_SKIP_PATHS

__all__ = [
    "PostalAddress",
    "clean",
    "country_code",
    "legal_form_of",
    "parse_address_text",
    "parse_postcode_city",
    "social_profile",
    "split_street",
]


def _form_pattern(form: str) -> str:
    parts = [re.escape(p) for p in form.replace(".", ". ").split()]
    return r"\s*".join(parts)


_LEGAL_RE = re.compile(
    r"(?<![\w&])(?:"
    + "|".join(_form_pattern(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True))
    + r")(?![\w])"
)
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Whitespace collapsed (incl. non-breaking spaces) and outer punctuation trimmed."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "")).strip(" ,;:|·•-–")


def legal_form_of(name: str) -> str | None:
    """The legal form a company name ends in (the last and longest match), as written."""
    best: re.Match[str] | None = None
    for match in _LEGAL_RE.finditer(name):
        if (
            best is None
            or match.end() > best.end()
            or (match.end() == best.end() and match.start() < best.start())
        ):
            best = match
    return clean(best.group(0)) if best else None


_STREET_RE = re.compile(
    r"^(?P<street>[^\d\W][\w .'’/-]*?[\w.])\s*,?\s+"
    r"(?P<no>\d{1,4}\s?[a-zA-Z]?(?:\s?[-–/]\s?\d{1,4}\s?[a-zA-Z]?)?)$"
)
_POSTCODE_RE = re.compile(
    r"^(?:(?P<prefix>D|DE|A|AT|CH|FL|L)\s?-\s?)?(?P<postcode>\d{5}|\d{4})\s+"
    r"(?P<city>[^\d\W][\w .()/'’-]*?)\s*$"
)
_PREFIX_COUNTRY = {"D": "DE", "DE": "DE", "A": "AT", "AT": "AT", "CH": "CH", "FL": "LI", "L": "LU"}


def split_street(text: str) -> tuple[str, str | None] | None:
    """``"Musterstraße 12a"`` → ``("Musterstraße", "12a")``; ``None`` when not a street line."""
    line = clean(text)
    if not line or "postfach" in line.lower() or "@" in line:
        return None
    match = _STREET_RE.match(line)
    if match is None:
        return None
    street = match.group("street").strip()
    if len(street) < 3 or len(street) > 60:
        return None
    return street, _SPACES.sub("", match.group("no"))


def parse_postcode_city(text: str) -> tuple[str, str, str | None] | None:
    """``"D-10115 Berlin"`` → ``("10115", "Berlin", "DE")``; the country only from a prefix."""
    match = _POSTCODE_RE.match(clean(text))
    if match is None:
        return None
    city = clean(match.group("city"))
    if len(city) < 2 or len(city) > 40:
        return None
    prefix = match.group("prefix")
    return match.group("postcode"), city, _PREFIX_COUNTRY.get(prefix) if prefix else None


def country_code(text: str) -> str | None:
    """ISO code of a country name or code as written (``Deutschland``, ``DE``, ``Austria``)."""
    value = clean(text).lower()
    if len(value) == 2 and value.isalpha():
        return value.upper()
    return COUNTRY_NAMES.get(value)


@dataclass(frozen=True)
class PostalAddress:
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None


_SEGMENT_SPLIT = re.compile(r"\s*(?:,|·|•|\||\s–\s|\s-\s|\n)\s*")


def parse_address_text(text: str) -> PostalAddress | None:
    """An address written on one line (``"Musterstr. 1, 12345 Berlin, Deutschland"``)."""
    segments = [s for s in _SEGMENT_SPLIT.split(text) if s]
    for i, segment in enumerate(segments):
        place = parse_postcode_city(segment)
        if place is None:
            continue
        street = split_street(segments[i - 1]) if i > 0 else None
        country = place[2]
        if country is None and i + 1 < len(segments):
            country = country_code(segments[i + 1]) if len(segments[i + 1]) > 2 else None
        return PostalAddress(
            street[0] if street else None,
            street[1] if street else None,
            place[0],
            place[1],
            country,
        )
    return None


def social_profile(url: str) -> str | None:
    """The canonical form of a social-network profile link, or ``None`` for anything else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host not in SOCIAL_SITES or parts.scheme not in ("http", "https", ""):
        return None
    path = parts.path.rstrip("/")
    low = path.lower()
    if not path or any(low.startswith(p) for p in SOCIAL_SKIP_PATHS):
        return None
    base = ".".join(host.split(".")[-2:])
    return urlunsplit(("https", f"www.{base}", path, "", ""))
