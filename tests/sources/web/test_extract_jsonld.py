"""schema.org JSON-LD and microdata: @graph, lists, @id references, string addresses, choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dq.sources.web.extract_jsonld import extract_jsonld, is_org_type
from dq.sources.web.extract_microdata import extract_microdata

WEB = Path(__file__).resolve().parents[2] / "data" / "web"


def _page(*blocks: object, raw: str | None = None) -> BeautifulSoup:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(b)}</script>' for b in blocks
    )
    if raw is not None:
        scripts += f'<script type="application/ld+json">{raw}</script>'
    return BeautifulSoup(f"<html><head>{scripts}</head><body></body></html>", "html.parser")


def test_graph_with_id_references() -> None:
    soup = BeautifulSoup(
        (WEB / "nordlicht-software.test" / "index.html").read_bytes(), "html.parser"
    )
    found = extract_jsonld(soup, "https://www.nordlicht-software.test/")
    assert found is not None
    assert found.values == {
        "company_name": "Nordlicht Software UG (haftungsbeschränkt)",
        "legal_form": "UG (haftungsbeschränkt)",
        "street": "Großer Burstah",
        "house_number": "31",
        "postcode": "20457",
        "city": "Hamburg",
        "country": "DE",
        "phone": "+49 40 3344 5566",
        "email": "hello@nordlicht-software.test",
        "vat_id": "DE147258365",
    }
    assert found.social_profiles[0] == "https://www.linkedin.com/company/nordlicht-software"


def test_several_organisations_prefer_the_site() -> None:
    soup = BeautifulSoup((WEB / "ostsee-logistik.test" / "index.html").read_bytes(), "html.parser")
    found = extract_jsonld(soup, "http://ostsee-logistik.test:8080/")
    assert found is not None
    assert found.values["company_name"] == "Ostsee Logistik GmbH"
    assert found.values["vat_id"] == "DE258147369"
    assert found.values["country"] == "DE"  # addressCountry given as a Country node


def test_top_level_list_and_address_as_string() -> None:
    soup = BeautifulSoup((WEB / "zahnarzt-weber.test" / "index.html").read_bytes(), "html.parser")
    found = extract_jsonld(soup, "http://zahnarzt-weber.test/")
    assert found is not None
    assert found.brand_name == "Zahnarztpraxis Dr. Weber"  # no legal form: not a legal name
    assert "company_name" not in found.values
    assert (found.values["street"], found.values["house_number"]) == ("Venloer Straße", "389")
    assert (found.values["postcode"], found.values["city"]) == ("50825", "Köln")
    assert found.values["country"] == "DE"


def test_without_site_match_the_richest_organisation_wins() -> None:
    soup = _page(
        {"@type": "Organization", "name": "Brand", "logo": "x.png"},
        {
            "@type": "Organization",
            "name": "Muster GmbH",
            "address": {"streetAddress": "Hauptstraße 1", "postalCode": "12345"},
            "telephone": "030 1",
        },
    )
    found = extract_jsonld(soup, "https://muster.de/")
    assert found is not None and found.values["company_name"] == "Muster GmbH"


def test_broken_json_is_skipped_or_repaired() -> None:
    soup = _page(raw='{"@type": "Organization", "name": "Repair GmbH", "telephone": "1",}')
    found = extract_jsonld(soup, "https://x.de/")
    assert found is not None and found.values["company_name"] == "Repair GmbH"
    assert extract_jsonld(_page(raw="{not json"), "https://x.de/") is None


def test_no_organisation() -> None:
    assert (
        extract_jsonld(_page({"@type": "WebSite", "name": "x", "url": "y"}), "https://x.de/")
        is None
    )


@pytest.mark.parametrize(
    ("types", "is_org"),
    [
        ("Organization", True),
        ("http://schema.org/Corporation", True),
        (["Thing", "LocalBusiness"], True),
        ("ProfessionalService", True),
        ("AutoDealer", True),
        ("Person", False),
        ("WebPage", False),
        (None, False),
    ],
)
def test_org_types(types: object, is_org: bool) -> None:
    assert is_org_type(types) is is_org


def test_microdata_with_nested_address() -> None:
    soup = BeautifulSoup((WEB / "techhandel24.test" / "index.html").read_bytes(), "html.parser")
    found = extract_microdata(soup, "http://techhandel24.test/")
    assert found is not None
    assert found.method == "microdata"
    assert found.values == {
        "company_name": "TechHandel24 GmbH",
        "legal_form": "GmbH",
        "street": "Gewerbepark",
        "house_number": "3",
        "postcode": "04109",
        "city": "Leipzig",
        "country": "DE",
        "phone": "+49 341 555 000",
        "email": "service@techhandel24.test",
        "vat_id": "DE112233446",
    }
