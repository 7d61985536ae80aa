"""Finding the Impressum, contact and about pages among a homepage's links."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from dq.sources.web.links import find_candidates, same_site

HOME = "https://www.firma.de/"


def _best(html: str) -> tuple[str, str] | None:
    found = find_candidates(BeautifulSoup(html, "html.parser"), HOME)
    return (found[0].url, found[0].kind) if found else None


@pytest.mark.parametrize(
    ("html", "best"),
    [
        ('<a href="/impressum">Impressum</a>', ("https://www.firma.de/impressum", "imprint")),
        ('<a href="/de/imprint/">Imprint</a>', ("https://www.firma.de/de/imprint/", "imprint")),
        ('<a href="/legal">Legal Notice</a>', ("https://www.firma.de/legal", "imprint")),
        ('<a href="/info">Anbieterkennzeichnung</a>', ("https://www.firma.de/info", "imprint")),
        ('<a href="/offenlegung">Offenlegung</a>', ("https://www.firma.de/offenlegung", "imprint")),
        ('<a href="/x" title="Impressum">§</a>', ("https://www.firma.de/x", "imprint")),
        ('<a href="/kontakt">Kontakt</a>', ("https://www.firma.de/kontakt", "contact")),
        ('<a href="/ueber-uns">Über uns</a>', ("https://www.firma.de/ueber-uns", "about")),
        ('<a href="/datenschutz">Datenschutz</a>', None),
        ('<a href="/impressum-datenschutz">Datenschutz</a>', None),
        ('<a href="https://other.de/impressum">Impressum</a>', None),
        ('<a href="mailto:info@firma.de">Kontakt</a>', None),
        ('<a href="#impressum">Impressum</a>', None),
        (
            '<a href="https://firma.de/impressum">Impressum</a>',
            ("https://firma.de/impressum", "imprint"),
        ),
    ],
)
def test_best_candidate(html: str, best: tuple[str, str] | None) -> None:
    assert _best(html) == best


def test_footer_link_wins_over_body_link() -> None:
    html = (
        '<main><a href="/impressum-alt">Impressum</a></main>'
        '<footer><a href="/impressum">Impressum</a></footer>'
    )
    assert _best(html) == ("https://www.firma.de/impressum", "imprint")


def test_imprint_before_contact_before_about() -> None:
    html = (
        '<a href="/about">About us</a><a href="/kontakt">Kontakt</a>'
        '<a href="/impressum">Impressum</a>'
    )
    kinds = [c.kind for c in find_candidates(BeautifulSoup(html, "html.parser"), HOME)]
    assert kinds == ["imprint", "contact", "about"]


@pytest.mark.parametrize(
    ("url", "same"),
    [
        ("https://firma.de/x", True),
        ("http://www.firma.de/x", True),
        ("https://shop.firma.de/x", True),
        ("https://firma.de.evil.com/x", False),
        ("https://andere-firma.de/", False),
    ],
)
def test_same_site(url: str, same: bool) -> None:
    assert same_site(url, HOME) is same
