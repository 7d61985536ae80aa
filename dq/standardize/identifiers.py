"""Identifiers: VAT IDs (EU and the Swiss UID), IBANs, German register numbers, websites/domains.

Checks are offline only (python-stdnum's VIES and OffeneRegister look-ups stay off). The German
register-number parser accepts what Impressum pages and CRMs contain and stdnum does not:
``"Amtsgericht München HRB 73315"``, ``"HRB 12345 B"`` (Berlin), ``"AG Köln, HRB-Nr. 1234"``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

import pandas as pd
from stdnum import iban as _iban
from stdnum.ch import uid as _ch_uid
from stdnum.de.handelsregisternummer import GERMAN_COURTS
from stdnum.eu import vat as _eu_vat
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_11_10 as _mod_11_10

from dq.standardize._vector import map_distinct
from dq.standardize.text import clean_text

__all__ = [
    "RegisterNumber",
    "compact_iban",
    "compact_vat_id",
    "is_valid_iban",
    "is_valid_iban_value",
    "is_valid_register_number",
    "is_valid_vat_id",
    "is_valid_vat_id_value",
    "normalize_register_court",
    "normalize_website",
    "parse_register_number",
    "registrable_domain",
    "website_host",
]

# "USt-IdNr.:", "VAT ID", "UID-Nr." … in front of the number.
_VAT_LABEL = re.compile(
    r"^\s*(?:ust\.?[\s-]*id(?:ent)?\.?[\s-]*(?:nr|nummer)?\.?|ust-?idnr\.?|umsatzsteuer[\s-]*"
    r"(?:identifikations)?(?:nummer|id)\.?|vat[\s-]*(?:id|no|number|reg\.? no)?\.?|uid[\s-]*"
    r"(?:nr|nummer)?\.?|mwst[\s-]*(?:nr|nummer)?\.?|tva)\s*[:.]?\s*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s.\-/:,_]+")


def compact_vat_id(value: str) -> str:
    """Upper case, label and separators removed.

    ``"USt-IdNr.: DE 136 695 976"`` → ``"DE136695976"``.

    Swiss numbers keep their ``CHE`` prefix and drop the ``MWST``/``TVA``/``IVA`` suffix.
    """
    text = _VAT_LABEL.sub("", clean_text(value))
    text = _SEPARATORS.sub("", text).upper()
    if text.startswith("CHE"):
        text = re.sub(r"(MWST|TVA|IVA|VAT)$", "", text)
    again = clean_text(text) if not text.isascii() else text
    return text if again == text else compact_vat_id(again)  # separators joined mojibake


_DE_VAT = re.compile(r"DE[1-9]\d{8}")
_DE_IBAN = re.compile(r"DE\d{20}")


def is_valid_vat_id_value(value: str) -> bool:
    """True for a VAT ID of an EU member state or a Swiss UID with a correct check digit."""
    compact = compact_vat_id(value)
    if _DE_VAT.fullmatch(compact):  # the common case, checked as python-stdnum does (tested)
        return bool(_mod_11_10.is_valid(compact[2:]))
    if compact.startswith("CHE"):
        return bool(_ch_uid.is_valid(compact))
    if len(compact) < 4 or not compact[:2].isalpha():
        return False
    try:
        return bool(_eu_vat.is_valid(compact))
    except (ValidationError, ValueError, KeyError, IndexError):
        return False


def is_valid_vat_id(values: pd.Series) -> pd.Series:
    """Nullable boolean per value: a valid EU VAT ID or Swiss UID; NA where blank."""
    return map_distinct(
        values, lambda v: is_valid_vat_id_value(v) if clean_text(v) else None, dtype="boolean"
    )


def compact_iban(value: str) -> str:
    """``"IBAN: DE89 3704 0044 0532 0130 00"`` → ``"DE89370400440532013000"``."""
    text = _SEPARATORS.sub("", clean_text(value)).upper()
    if text.startswith("IBAN") and re.match(r"[A-Z]{2}\d{2}", text[4:]):
        text = text[4:]  # the label "IBAN:" in front of the number
    again = clean_text(text) if not text.isascii() else text
    return text if again == text else compact_iban(again)  # separators joined mojibake


def is_valid_iban_value(value: str) -> bool:
    """True for an IBAN with a known country length, BBAN format and mod-97 check digits."""
    compact = compact_iban(value)
    if _DE_IBAN.fullmatch(compact):  # German IBAN: mod 97 as python-stdnum checks it (tested)
        return int(compact[4:] + "1314" + compact[2:4]) % 97 == 1
    try:
        return bool(_iban.is_valid(compact))
    except (ValidationError, ValueError, KeyError):
        return False


def is_valid_iban(values: pd.Series) -> pd.Series:
    """Nullable boolean per value: a valid IBAN; NA where blank."""
    return map_distinct(
        values, lambda v: is_valid_iban_value(v) if clean_text(v) else None, dtype="boolean"
    )


# --- German register numbers ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisterNumber:
    """A German register entry: court (canonical name or None), register type, number, suffix."""

    court: str | None
    register_type: str
    number: str
    suffix: str | None = None

    @property
    def formatted(self) -> str:
        """``"HRB 12345"`` or ``"HRB 12345 B"``: the canonical ``register_number`` value."""
        base = f"{self.register_type} {self.number}"
        return f"{base} {self.suffix}" if self.suffix else base


_TYPES = {"HRA": "HRA", "HRB": "HRB", "VR": "VR", "GNR": "GnR", "GENR": "GnR", "PR": "PR"}
_REGISTER = re.compile(
    r"(?<![A-Za-z])(?P<type>H\s?R\s?A|H\s?R\s?B|V\s?R|G\s?n\s?R|Gen\s?R|P\s?R)"
    r"(?:\s*-?\s*(?:Nr\.?|Nummer|No\.?))?\s*[:.\-]?\s*(?P<number>\d{1,6})"
    r"(?:\s*(?P<suffix>[A-Z]{1,2})(?![A-Za-zÄÖÜäöüß]))?",
    re.IGNORECASE,
)
_COURT_NOISE = re.compile(
    r"\b(?:amtsgericht|registergericht|handelsregister|vereinsregister|genossenschaftsregister|"
    r"partnerschaftsregister|eingetragen(?:\s+(?:im|beim|in))?|register|gericht|sitz|"
    r"registernummer|reg\.?-?nr|ag|beim|im|am|des|in|nr|abteilung|abt)\b\.?",
    re.IGNORECASE,
)


def _court_key(court: str) -> str:
    """Letters only, after dropping words like "Amtsgericht", "am", "im" (in tables and input)."""
    text = _COURT_NOISE.sub(" ", court)
    return "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if "a" <= ch <= "z")


@cache
def _courts() -> dict[str, str]:
    courts = {_court_key(c): c for c in GERMAN_COURTS}
    aliases = {
        "Berlin": "Berlin (Charlottenburg)",
        "Charlottenburg": "Berlin (Charlottenburg)",
        "Berlin-Charlottenburg": "Berlin (Charlottenburg)",
        "Charlottenburg (Berlin)": "Berlin (Charlottenburg)",
        "Kempten": "Kempten (Allgäu)",
        "Bad Homburg": "Bad Homburg v.d.H.",
        "Bad Homburg vor der Höhe": "Bad Homburg v.d.H.",
        "Ludwigshafen": "Ludwigshafen a.Rhein (Ludwigshafen)",
        "Ludwigshafen am Rhein": "Ludwigshafen a.Rhein (Ludwigshafen)",
        "Oldenburg": "Oldenburg (Oldenburg)",
        "Weiden": "Weiden i. d. OPf.",
        "Weiden in der Oberpfalz": "Weiden i. d. OPf.",
        "Muenchen": "München",
        "Koeln": "Köln",
        "Duesseldorf": "Düsseldorf",
        "Nuernberg": "Nürnberg",
        "Wuerzburg": "Würzburg",
        "Luebeck": "Lübeck",
        "Saarbruecken": "Saarbrücken",
        "Osnabrueck": "Osnabrück",
        "Zweibruecken": "Zweibrücken",
        "Frankfurt": "Frankfurt am Main",
        "Frankfurt a.M.": "Frankfurt am Main",
        "Frankfurt/Main": "Frankfurt am Main",
        "Frankfurt a. M.": "Frankfurt am Main",
        "Freiburg im Breisgau": "Freiburg",
    }
    courts.update({_court_key(alias): name for alias, name in aliases.items()})
    return courts


def normalize_register_court(value: str) -> str | None:
    """The canonical court name (stdnum's list) for ``"Amtsgericht München"``, ``"AG Köln"``…

    None when the text names no known German register court.
    """
    key = _court_key(clean_text(value))
    return _courts().get(key) if key else None


def parse_register_number(value: str, court: str | None = None) -> RegisterNumber | None:
    """Parse ``"Amtsgericht München HRB 73315"``, ``"HRB 12345 B"``, ``"VR 1234, AG Bonn"``.

    ``court`` (e.g. the record's ``register_court``) is used when the value names none. Returns
    None when no register type and number are found or a named court is unknown.
    """
    text = clean_text(value)
    match = _REGISTER.search(text)
    if match is None:
        return None
    reg_type = _TYPES[re.sub(r"\s", "", match["type"]).upper()]
    suffix = match["suffix"].upper() if match["suffix"] else None
    rest = (text[: match.start()] + " " + text[match.end() :]).strip(" ,;:-")
    court_name: str | None = None
    if rest:
        court_name = normalize_register_court(rest)
        if court_name is None:
            return None
    elif court:
        court_name = normalize_register_court(court)
    if court_name is None and suffix == "B":
        court_name = "Berlin (Charlottenburg)"  # the "B" suffix marks Charlottenburg entries
    number = match["number"].lstrip("0") or "0"
    return RegisterNumber(court_name, reg_type, number, suffix)


def is_valid_register_number(values: pd.Series) -> pd.Series:
    """Nullable boolean per value: a parseable German register number; NA where blank."""
    return map_distinct(
        values,
        lambda v: parse_register_number(v) is not None if clean_text(v) else None,
        dtype="boolean",
    )


# --- websites and domains ------------------------------------------------------------------

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9\-]{1,63}(?<!-)$")


@cache
def _extractor() -> object:
    import tldextract

    # the bundled public-suffix snapshot only: never fetch the list over the network
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


# The common case: an ASCII host, optionally after http(s):// and before a path, no port, user
# or IDNA label. Read directly, it gives what urlsplit + the IDNA codec give (a test checks).
_PLAIN_URL = re.compile(
    r"(?:https?://)?((?:(?!-)[a-z0-9\-]{1,63}(?<!-)\.)+(?!-)[a-z0-9\-]{1,63}(?<!-))(?:/[!-?A-~]*)?",
    re.IGNORECASE,
)


def website_host(value: str) -> str | None:
    """The lower-case host name of a URL, e-mail address or bare host (``www.`` kept).

    Internationalised names are returned in Unicode (``xn--mller-kva.de`` → ``müller.de``).
    None when no plausible host name is found.
    """
    text = clean_text(value).strip("<>\"' ")
    plain = _PLAIN_URL.fullmatch(text) if text.isascii() else None
    if plain is not None:
        host = plain.group(1).lower()
        if "xn--" not in host and not host.rsplit(".", 1)[1].isdigit():
            return host
    return _website_host_parsed(text)


def _website_host_parsed(text: str) -> str | None:
    if "@" in text and "://" not in text:
        text = text.rsplit("@", 1)[1]
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.strip(".").lower()
    try:
        ascii_host = host.encode("idna").decode("ascii")
        unicode_host = ascii_host.encode("ascii").decode("idna")
    except UnicodeError:
        return None
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit():
        return None  # an IP address is not a website of a company
    return unicode_host


@cache
def _flat_tlds() -> frozenset[str]:
    """Top-level domains under which the public-suffix list (ICANN part) has no further rule."""
    suffixes = set(_extractor()._get_tld_extractor().tlds_excl_private)  # type: ignore[attr-defined]
    nested = {s.rsplit(".", 1)[-1] for s in suffixes if "." in s}
    return frozenset(s for s in suffixes if "." not in s and s.isascii() and s not in nested)


def _registrable_domain_of_host(host: str) -> str | None:
    # "www.firma.de" → "firma.de" when ".de" has no second-level suffixes (same as tldextract)
    head, _, tld = host.rpartition(".")
    if head and host.isascii() and tld in _flat_tlds():
        label = head.rpartition(".")[2]
        if label:
            return f"{label}.{tld}"
    return _registrable_domain_of_suffix_list(host)


@lru_cache(maxsize=65536)
def _registrable_domain_of_suffix_list(host: str) -> str | None:
    result = _extractor()(host)  # type: ignore[operator]
    domain = str(result.top_domain_under_public_suffix)
    return domain or None


def registrable_domain(value: str) -> str | None:
    """The registrable domain (public suffix + one label) of a URL, e-mail address or host.

    ``registrable_domain("https://www.shop.example.co.uk/x")`` → ``"example.co.uk"``; uses
    tldextract's bundled public-suffix snapshot, never the network.
    """
    host = website_host(value)
    return _registrable_domain_of_host(host) if host is not None else None


def normalize_website(value: str) -> str | None:
    """``"HTTP://WWW.Firma.DE/Impressum/"`` → ``"http://www.firma.de/Impressum"``.

    Scheme lower case (``https`` when missing), host lower case, path kept without trailing
    slash, query and fragment dropped. None when there is no plausible host.
    """
    text = clean_text(value).strip("<>\"' ")
    host = website_host(text)
    if host is None or "@" in text.split("/")[0]:
        return None
    plain = _PLAIN_SITE.fullmatch(text) if text.isascii() else None
    if plain is not None:  # no port, query or fragment: what urlsplit gives (a test checks)
        scheme, path = plain.group(1), plain.group(2)
        return f"{(scheme or 'https').lower()}://{host}{(path or '').rstrip('/')}"
    return _normalize_website_parsed(text, host)


# An http(s) URL or bare host of _PLAIN_URL's kind whose path has no query or fragment.
_PLAIN_SITE = re.compile(
    r"(?:(https?)://)?(?:[a-z0-9\-]{1,63}\.)+[a-z0-9\-]{1,63}(/[!\"$->A-~]*)?", re.IGNORECASE
)


def _normalize_website_parsed(text: str, host: str) -> str | None:
    scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*)://", text)
    scheme = scheme_match.group(1).lower() if scheme_match else "https"
    if scheme not in {"http", "https"}:
        return None
    try:
        parts = urlsplit(text if scheme_match else "//" + text)
        port = parts.port
    except ValueError:
        return None
    path = parts.path.rstrip("/")
    netloc = f"{host}:{port}" if port else host
    return f"{scheme}://{netloc}{path}"
