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
        # a combined page, named by its URL although the label says privacy
        (
            '<a href="/impressum-datenschutz">Datenschutz</a>',
            ("https://www.firma.de/impressum-datenschutz", "imprint"),
        ),
        ('<a href="/legal/privacy">Datenschutz</a>', None),
        ('<a href="/cookies">Cookie-Einstellungen</a>', None),
        ('<a href="/agb">AGB</a>', None),
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


@pytest.mark.parametrize(
    ("html", "path"),
    [
        (
            '<a href="/impressum-datenschutz/">Impressum &amp; Datenschutz</a>',
            "/impressum-datenschutz/",
        ),
        ('<a href="/datenschutz-impressum">Datenschutz | Impressum</a>', "/datenschutz-impressum"),
        ('<a href="/rechtliches.html">Rechtliches</a>', "/rechtliches.html"),
        ('<a href="/en/legal-notice/">Legal notice</a>', "/en/legal-notice/"),
        ('<a href="/imprint">Imprint</a>', "/imprint"),
        ('<a href="/anbieter.php">Anbieterkennzeichnung</a>', "/anbieter.php"),
        ('<a href="/kontakt-impressum/">Kontakt &amp; Impressum</a>', "/kontakt-impressum/"),
        ('<a href="/de/impressum/">Impressum</a>', "/de/impressum/"),
        (
            '<a href="/unternehmen/rechtliches/impressum.html">Impressum</a>',
            "/unternehmen/rechtliches/impressum.html",
        ),
        ('<a href="/IMPRESSUM.HTML">IMPRESSUM</a>', "/IMPRESSUM.HTML"),
        ('<a href="/index.php?id=impressum">§</a>', "/index.php?id=impressum"),
        ('<a href="/index.php?id=42">Impressum</a>', "/index.php?id=42"),
        ('<a href="/s/7"><img src="i.svg" alt="Impressum"></a>', "/s/7"),
        ('<a href="/s/8" aria-label="Impressum"><i class="icon"></i></a>', "/s/8"),
        ('<a href="/fr/mentions-legales/">Mentions légales</a>', "/fr/mentions-legales/"),
        ('<a href="/it/note-legali">Note legali</a>', "/it/note-legali"),
        ('<a href="/pflichtangaben">Pflichtangaben</a>', "/pflichtangaben"),
        ('<a href="/legal-privacy">Legal &amp; Privacy</a>', "/legal-privacy"),
        ('<a href="/info">Rechtliche Hinweise</a>', "/info"),
        ('<a href="/ueber-uns/impressum">Über uns / Impressum</a>', "/ueber-uns/impressum"),
        ('<a href="/x"><span class="i"></span><span>Impressum</span></a>', "/x"),
        ('<a href="/legal-notice">Info</a>', "/legal-notice"),
    ],
)
def test_imprint_links_in_the_wild(html: str, path: str) -> None:
    assert _best(html) == (f"https://www.firma.de{path}", "imprint")


def test_plain_imprint_beats_combined_and_privacy_is_not_taken() -> None:
    html = (
        '<footer><a href="/datenschutz">Datenschutz</a><a href="/cookies">Cookies</a>'
        '<a href="/impressum-datenschutz">Impressum &amp; Datenschutz</a>'
        '<a href="/impressum">Impressum</a><a href="/agb">AGB</a></footer>'
    )
    found = find_candidates(BeautifulSoup(html, "html.parser"), HOME)
    assert [c.url.rsplit("/", 1)[1] for c in found] == ["impressum", "impressum-datenschutz"]


def test_base_href_and_colophon_footer() -> None:
    html = (
        '<head><base href="/de/"></head><main><a href="impressum-alt.html">Impressum</a></main>'
        '<div id="colophon"><a href="impressum.html">Impressum</a></div>'
    )
    found = find_candidates(BeautifulSoup(html, "html.parser"), HOME)
    assert found[0].url == "https://www.firma.de/de/impressum.html"
    assert found[1].url == "https://www.firma.de/de/impressum-alt.html"


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
