"""Vocabularies the extractors read: legal forms, country names, schema.org types, social sites.

Data, not logic: extend a table to teach the extractor a new legal form or social network.
"""

from __future__ import annotations

__all__ = [
    "COUNTRY_NAMES",
    "LEGAL_FORMS",
    "ORG_TYPES",
    "ORG_TYPE_SUFFIXES",
    "SOCIAL_SITES",
    "SOCIAL_SKIP_PATHS",
    "TLD_COUNTRIES",
]

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
