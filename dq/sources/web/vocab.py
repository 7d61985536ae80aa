"""Vocabularies the extractors read: legal forms, country names, schema.org types, social sites,
and (from YAML in ``data/``) the words of Impressum links and Impressum label lines.

Data, not logic: extend a table to teach the extractor a new legal form or social network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

__all__ = [
    "COUNTRY_NAMES",
    "IMPRINT_LABELS",
    "LEGAL_FORMS",
    "LINK_WORDS",
    "ORG_TYPES",
    "ORG_TYPE_SUFFIXES",
    "SOCIAL_SITES",
    "SOCIAL_SKIP_PATHS",
    "TLD_COUNTRIES",
    "ImprintLabels",
    "LinkKind",
    "LinkWords",
]

_DATA = Path(__file__).with_name("data")
LinkKind = Literal["imprint", "contact", "about"]


def _yaml(name: str) -> Any:
    return yaml.safe_load((_DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LinkWords:
    """The link vocabulary of ``data/links.yaml`` (see the comments there)."""

    keywords: tuple[tuple[str, int, LinkKind], ...]  # strongest first
    avoid: tuple[str, ...]
    strong_url_weight: int
    combined_penalty: int
    footer_bonus: int
    min_score: int
    footer_marks: tuple[str, ...]


def _link_words() -> LinkWords:
    data = _yaml("links.yaml")
    kinds: tuple[LinkKind, ...] = ("imprint", "contact", "about")
    keywords = [
        (str(word), int(weight), kind)
        for kind in kinds
        for word, weight in (data["keywords"].get(kind) or {}).items()
    ]
    return LinkWords(
        keywords=tuple(sorted(keywords, key=lambda k: -k[1])),
        avoid=tuple(str(w) for w in data["avoid"]),
        strong_url_weight=int(data["strong_url_weight"]),
        combined_penalty=int(data["combined_penalty"]),
        footer_bonus=int(data["footer_bonus"]),
        min_score=int(data["min_score"]),
        footer_marks=tuple(str(m) for m in data["footer_marks"]),
    )


@dataclass(frozen=True)
class ImprintLabels:
    """Label lines of Impressum pages (``data/imprint_labels.yaml``)."""

    name_labels: tuple[str, ...]  # longest first
    intro_lines: tuple[str, ...]  # regular expressions


def _imprint_labels() -> ImprintLabels:
    data = _yaml("imprint_labels.yaml")
    labels = sorted((str(label) for label in data["name_labels"]), key=len, reverse=True)
    return ImprintLabels(tuple(labels), tuple(str(p) for p in data["intro_lines"]))


LINK_WORDS = _link_words()
IMPRINT_LABELS = _imprint_labels()

# Legal forms as written in Impressum lines; the extractor matches the longest at the line end.
LEGAL_FORMS: tuple[str, ...] = (
    "UG (haftungsbeschränkt) & Co. KG",
    "GmbH & Co. KGaA",
    "GmbH & Co. OHG",
    "GmbH & Co. KG",
    "AG & Co. KGaA",
    "AG & Co. KG",
    "SE & Co. KGaA",
    "SE & Co. KG",
    "UG (haftungsbeschränkt)",
    "UG (haftungsbeschraenkt)",
    "PartG mbB",
    "PartGmbB",
    "PartG",
    "gGmbH",
    "GmbH",
    "mbH",
    "KGaA",
    "e. K.",
    "e.K.",
    "e.Kfm.",
    "e.Kfr.",
    "e. V.",
    "e.V.",
    "eG",
    "GbR",
    "OHG",
    "oHG",
    "AG",
    "KG",
    "SE",
    "UG",
    "GesmbH",
    "Ges.m.b.H.",
    "OG",
    "Ltd.",
    "Ltd",
    "Limited",
    "LLC",
    "Inc.",
    "S.A.",
    "S.à r.l.",
    "SARL",
    "Sàrl",
    "Sagl",
    "SA",
    "B.V.",
    "N.V.",
    "plc",
    "S.p.A.",
    "S.r.l.",
    "A/S",
    "ApS",
    "Sp. z o.o.",
    "s.r.o.",
    "Stiftung",
)

COUNTRY_NAMES: dict[str, str] = {
    "deutschland": "DE",
    "germany": "DE",
    "bundesrepublik deutschland": "DE",
    "österreich": "AT",
    "oesterreich": "AT",
    "austria": "AT",
    "schweiz": "CH",
    "switzerland": "CH",
    "suisse": "CH",
    "liechtenstein": "LI",
    "luxemburg": "LU",
    "luxembourg": "LU",
    "niederlande": "NL",
    "netherlands": "NL",
    "belgien": "BE",
    "belgium": "BE",
    "frankreich": "FR",
    "france": "FR",
    "italien": "IT",
    "italy": "IT",
    "dänemark": "DK",
    "denmark": "DK",
    "polen": "PL",
    "poland": "PL",
}

# Country-code top-level domains whose 4-digit postcodes we can place.
TLD_COUNTRIES: dict[str, str] = {"de": "DE", "at": "AT", "ch": "CH", "li": "LI", "lu": "LU"}

ORG_TYPES: frozenset[str] = frozenset(
    {
        "Organization",
        "Corporation",
        "LocalBusiness",
        "OnlineBusiness",
        "OnlineStore",
        "NGO",
        "Store",
        "Restaurant",
        "Bakery",
        "Brewery",
        "Hotel",
        "Attorney",
        "Notary",
        "Dentist",
        "Physician",
        "Electrician",
        "Plumber",
        "Locksmith",
        "AutoDealer",
        "AutoRepair",
        "RealEstateAgent",
        "TravelAgency",
        "GeneralContractor",
        "RoofingContractor",
    }
)
# Any schema.org type with one of these endings is an organisation too (ProfessionalService …).
ORG_TYPE_SUFFIXES: tuple[str, ...] = (
    "Organization",
    "Business",
    "Service",
    "Store",
    "Agency",
    "Contractor",
    "Establishment",
)

# host (without www.) -> network name; profiles are links to these hosts.
SOCIAL_SITES: dict[str, str] = {
    "linkedin.com": "linkedin",
    "de.linkedin.com": "linkedin",
    "xing.com": "xing",
    "facebook.com": "facebook",
    "de-de.facebook.com": "facebook",
    "m.facebook.com": "facebook",
    "instagram.com": "instagram",
    "twitter.com": "x",
    "x.com": "x",
    "youtube.com": "youtube",
    "m.youtube.com": "youtube",
}
# Paths that are share buttons or platform pages, not a company's profile.
SOCIAL_SKIP_PATHS: tuple[str, ...] = (
    "/sharer",
    "/share",
    "/sharearticle",
    "/intent/",
    "/dialog/",
    "/plugins/",
    "/watch",
    "/embed",
    "/hashtag/",
    "/legal",
    "/policies",
    "/privacy",
)
