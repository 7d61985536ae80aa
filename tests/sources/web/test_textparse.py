"""Street lines, postcode lines, legal forms and social URLs (dq/sources/web/textparse.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.sources.web.textparse import (
    legal_form_of,
    parse_address_text,
    parse_postcode_city,
    social_profile,
    split_street,
)


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("Musterstraße 12", ("Musterstraße", "12")),
        ("Hauptstr. 5a", ("Hauptstr.", "5a")),
        ("Am Alten Hafen 12 B", ("Am Alten Hafen", "12B")),
        ("Straße des 17. Juni 135", ("Straße des 17. Juni", "135")),
        ("Kaiser-Joseph-Straße 241", ("Kaiser-Joseph-Straße", "241")),
        ("Musterweg 5 - 7", ("Musterweg", "5-7")),
        ("Postfach 10 20 30", None),
        ("12345 Berlin", None),
        ("info@firma.de 1", None),
    ],
)
def test_split_street(text: str, split: tuple[str, str] | None) -> None:
    assert split_street(text) == split


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("10115 Berlin", ("10115", "Berlin", None)),
        ("D-70173 Stuttgart", ("70173", "Stuttgart", "DE")),
        ("A-6020 Innsbruck", ("6020", "Innsbruck", "AT")),
        ("CH-8001 Zürich", ("8001", "Zürich", "CH")),
        ("60311 Frankfurt am Main", ("60311", "Frankfurt am Main", None)),
        ("Tel. 030 123456", None),
        ("HRB 12345", None),
    ],
)
def test_parse_postcode_city(text: str, parsed: tuple[str, str, str | None] | None) -> None:
    assert parse_postcode_city(text) == parsed


def test_parse_address_text() -> None:
    address = parse_address_text("Venloer Straße 389, 50825 Köln, Deutschland")
    assert address is not None
    assert (address.street, address.house_number, address.postcode, address.city) == (
        "Venloer Straße",
        "389",
        "50825",
        "Köln",
    )
    assert address.country == "DE"
    assert parse_address_text("no address here") is None


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Müller GmbH & Co. KG", "GmbH & Co. KG"),
        ("Alpha UG (haftungsbeschränkt)", "UG (haftungsbeschränkt)"),
        ("Beta AG", "AG"),
        ("Kanzlei X PartG mbB", "PartG mbB"),
        ("Bäckerei Schmidt e.K.", "e.K."),
        ("Verein e. V.", "e. V."),
        ("AGRAR Handel", None),
        ("Gaststätte zum Hirsch", None),
    ],
)
def test_legal_form_of(name: str, form: str | None) -> None:
    assert legal_form_of(name) == form


@pytest.mark.parametrize(
    ("url", "profile"),
    [
        ("https://www.linkedin.com/company/acme/", "https://www.linkedin.com/company/acme"),
        ("http://de.linkedin.com/company/acme", "https://www.linkedin.com/company/acme"),
        ("https://m.facebook.com/acme?ref=x", "https://www.facebook.com/acme"),
        ("https://x.com/acme", "https://www.x.com/acme"),
        ("https://www.youtube.com/@acme", "https://www.youtube.com/@acme"),
        ("https://twitter.com/intent/tweet?url=x", None),
        ("https://www.youtube.com/watch?v=1", None),
        ("https://www.linkedin.com/", None),
        ("https://example.com/acme", None),
    ],
)
def test_social_profile(url: str, profile: str | None) -> None:
    assert social_profile(url) == profile


@given(st.text(max_size=80))
def test_parsers_never_raise(text: str) -> None:
    split_street(text)
    parse_postcode_city(text)
    parse_address_text(text)
    legal_form_of(text)
    social_profile(text)
