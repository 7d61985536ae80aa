"""Impressum text extraction on HTML snippets and the committed fixture pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from dq.sources.web.extract_imprint import (
    decode_cfemail,
    deobfuscate_emails,
    extract_imprint,
    find_emails,
    page_lines,
    social_links,
)

WEB = Path(__file__).resolve().parents[2] / "data" / "web"


def _imprint(body: str, url: str = "https://www.firma.de/impressum"):  # type: ignore[no-untyped-def]
    soup = BeautifulSoup(f"<html><body>{body}</body></html>", "html.parser")
    return extract_imprint(soup, url, is_imprint_page=True)


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("info [at] firma [dot] de", "info@firma.de"),
        ("info(at)firma.de", "info@firma.de"),
        ("info (at) firma (punkt) de", "info@firma.de"),
        ("info{at}firma{dot}de", "info@firma.de"),
        ("kontakt [ät] müller-bau [punkt] de", None),  # umlaut domains are not written this way
        ("vertrieb AT firma DOT co DOT uk", "vertrieb@firma.co.uk"),
        ("info at firma dot de", "info@firma.de"),
        ("E-Mail: Info@Firma.DE.", "info@firma.de"),
        ("Wir sind at home in Berlin.", None),
        ("logo@2x.png", None),
    ],
)
def test_email_obfuscations(text: str, email: str | None) -> None:
    found = find_emails(text)
    assert (found[0] if found else None) == email


def test_deobfuscate_keeps_other_text() -> None:
    assert deobfuscate_emails("Mail: a [at] b [dot] de, Tel 1") == "Mail: a@b.de, Tel 1"


def test_cloudflare_email_protection() -> None:
    assert decode_cfemail("5a313b3420363f331a383f283d3f28772a3b282e343f28742e3f292e") == (
        "kanzlei@berger-partner.test"
    )
    assert decode_cfemail("zz") is None


@pytest.mark.parametrize(
    ("html", "field", "value"),
    [
        ("<p>Tel.: 030 / 123 456-0</p>", "phone", "030 / 123 456-0"),
        ("<p>Telefon: +49 (0) 89 12 34 56</p>", "phone", "+49 (0) 89 12 34 56"),
        ("<p>Fon 0221-998877 · Fax 0221-998878</p>", "phone", "0221-998877"),
        ("<p>Fon 0221-998877 · Fax 0221-998878</p>", "fax", "0221-998878"),
        ("<p>Telefax: 040 5555-1</p>", "fax", "040 5555-1"),
        ("<p>T +49 40 1 F +49 40 2</p>", "fax", "+49 40 2"),
        ("<p><strong>Telefon:</strong><br>06131 / 22 33 44</p>", "phone", "06131 / 22 33 44"),
        ("<p>Phone: +44 20 7946 0958</p>", "phone", "+44 20 7946 0958"),
        ("<p>Registergericht: Amtsgericht Köln, HRB 1</p>", "register_court", "Amtsgericht Köln"),
        ("<p>Registergericht: Amtsgericht Köln, HRB 12345</p>", "register_number", "HRB 12345"),
        ("<p>Handelsregister B des Amtsgerichts Berlin (Charlottenburg), HRB 9 B</p>",
         "register_court", "Amtsgericht Berlin (Charlottenburg)"),
        ("<p>Handelsregister: HRB 9 B</p>", "register_number", "HRB 9 B"),
        ("<p>Eingetragen beim AG Frankfurt am Main unter HRB 77777</p>",
         "register_court", "Amtsgericht Frankfurt am Main"),
        ("<p>Vereinsregister: VR 4711, Amtsgericht Bonn</p>", "register_number", "VR 4711"),
        ("<p>Genossenschaftsregister GnR 123</p>", "register_number", "GnR 123"),
        ("<p>Firmenbuch: FN 98765 x, Handelsgericht Wien</p>", "register_court",
         "Handelsgericht Wien"),
        ("<p>USt-IdNr.: DE 123 456 789</p>", "vat_id", "DE123456789"),
        ("<p>Umsatzsteuer-ID gemäß § 27a UStG: DE123456789</p>", "vat_id", "DE123456789"),
        ("<p>UID: ATU12345678</p>", "vat_id", "ATU12345678"),
        ("<p>MWST-Nr.: CHE-123.456.789 MWST</p>", "vat_id", "CHE123456789"),
        ("<p>VAT No.: GB 123 4567 89</p>", "vat_id", "GB123456789"),
        ("<p>Steuernummer: 12/345/67890</p>", "vat_id", None),
        ("<p>Musterweg 5<br>12345 Musterstadt</p>", "postcode", "12345"),
        ("<p>Musterweg 5 - 7<br>12345 Musterstadt</p>", "house_number", "5-7"),
        ("<p>Am Alten Hafen 12 B, 27568 Bremerhaven</p>", "house_number", "12B"),
        ("<p>Postfach 10 20 30<br>12345 Musterstadt</p>", "street", None),
        ("<p>Bahnhofstrasse 1<br>CH-8001 Zürich<br>Schweiz</p>", "country", "CH"),
        ("<p>Hauptplatz 3<br>4020 Linz<br>Österreich</p>", "country", "AT"),
    ],
)  # fmt: skip
def test_fields(html: str, field: str, value: str | None) -> None:
    assert _imprint(f"<h1>Impressum</h1>{html}").values.get(field) == value


@pytest.mark.parametrize(
    ("html", "name", "form"),
    [
        ("<p>Angaben gemäß § 5 DDG:</p><p>Muster Bau GmbH</p>", "Muster Bau GmbH", "GmbH"),
        ("<p>Firma: Klein &amp; Groß OHG</p>", "Klein & Groß OHG", "OHG"),
        ("<p>Diensteanbieter:</p><p>Alpha UG (haftungsbeschränkt) &amp; Co. KG</p>",
         "Alpha UG (haftungsbeschränkt) & Co. KG", "UG (haftungsbeschränkt) & Co. KG"),
        ("<p>Beta Holding AG</p><p>Vorstand: Dr. X Y</p>", "Beta Holding AG", "AG"),
        ("<p>Gamma e. V.</p>", "Gamma e. V.", "e. V."),
        ("<p>Delta Services Ltd.</p>", "Delta Services Ltd.", "Ltd."),
        ("<p>Friseursalon Haarmonie</p><p>Inhaberin: Eva Lang</p>", "Friseursalon Haarmonie", None),
    ],
)  # fmt: skip
def test_company_name_and_legal_form(html: str, name: str, form: str | None) -> None:
    found = _imprint(f"<h1>Impressum</h1>{html}")
    assert found.values.get("company_name") == name
    assert found.values.get("legal_form") == form


@pytest.mark.parametrize(
    ("html", "people"),
    [
        ("<p>Geschäftsführer: Max Mustermann, Erika Musterfrau</p>",
         ["Max Mustermann", "Erika Musterfrau"]),
        ("<p>Vertretungsberechtigter Geschäftsführer: Dr. Hans-Peter von Bülow</p>",
         ["Dr. Hans-Peter von Bülow"]),
        ("<p>Vorstand: Prof. Dr. Anna Berg (Vorsitzende), Tom Fels</p>",
         ["Prof. Dr. Anna Berg", "Tom Fels"]),
        ("<p>Vertreten durch die Muster Verwaltungs GmbH, diese vertreten durch Jan Kurz</p>",
         ["Jan Kurz"]),
        ("<p>Inhaber: Ali Yılmaz</p>", ["Ali Yılmaz"]),
        ("<p>Managing Directors: Jane Roe &amp; John Doe</p>", ["Jane Roe", "John Doe"]),
        ("<p>Geschäftsführung:</p><p>Lena Ost</p><p>Kai West</p><p>Registergericht: Köln</p>",
         ["Lena Ost", "Kai West"]),
        ("<p>Aufsichtsratsvorsitzender: Karl Reich</p>", []),
    ],
)  # fmt: skip
def test_managing_directors(html: str, people: list[str]) -> None:
    assert _imprint(f"<h1>Impressum</h1>{html}").managing_directors == people


def test_content_responsible_is_separate() -> None:
    found = _imprint(
        "<h1>Impressum</h1><p>Muster GmbH</p>"
        "<p>Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV: Paula Presse, Adresse wie oben</p>"
    )
    assert found.content_responsible == ["Paula Presse"]
    assert found.managing_directors == []


def test_social_links_skip_share_buttons() -> None:
    soup = BeautifulSoup(
        '<a href="https://www.linkedin.com/company/acme/">in</a>'
        '<a href="https://www.linkedin.com/shareArticle?url=x">share</a>'
        '<a href="https://twitter.com/intent/tweet?text=x">tweet</a>'
        '<a href="https://www.facebook.com/sharer/sharer.php?u=x">fb</a>'
        '<a href="https://de-de.facebook.com/acme.gmbh/?ref=x">fb</a>'
        '<a href="https://www.youtube.com/watch?v=abc">video</a>'
        '<a href="https://www.xing.com/pages/acme">xing</a>'
        '<a href="https://example.com/linkedin.com/company">no</a>',
        "html.parser",
    )
    assert social_links(soup) == [
        "https://www.linkedin.com/company/acme",
        "https://www.facebook.com/acme.gmbh",
        "https://www.xing.com/pages/acme",
    ]


def test_page_lines_joins_labels_and_breaks_blocks() -> None:
    soup = BeautifulSoup(
        "<div><dt>Telefon</dt><dd>030 1</dd><p>a<br>b</p><script>x()</script><span>c</span>"
        "<span>d</span></div>",
        "html.parser",
    )
    assert page_lines(soup) == ["Telefon: 030 1", "a", "b", "cd"]


def test_homepage_without_imprint_heading_yields_contact_facts_only() -> None:
    soup = BeautifulSoup(
        "<p>Muster GmbH · Hauptstr. 1 · 12345 Berlin · Tel. 030 123456</p>"
        "<p>Geschäftsführer: Max Muster</p>",
        "html.parser",
    )
    found = extract_imprint(soup, "https://muster.de/", is_imprint_page=False)
    assert found.method == "text"
    assert found.values["company_name"] == "Muster GmbH"
    assert found.values["postcode"] == "12345"
    assert found.managing_directors == []


@pytest.mark.parametrize(
    ("path", "company"),
    [
        ("mueller-maschinenbau.test/impressum.html", "Müller Maschinenbau GmbH & Co. KG"),
        (
            "berger-partner.test/rechtliche-hinweise.html",
            "Berger & Partner Rechtsanwälte PartG mbB",
        ),
        ("alpen-holz.test/offenlegung.html", "Alpen Holz Bau GesmbH"),
        ("groesse-soehne.test/impressum.php", "Größe & Söhne OHG"),
    ],
)
def test_fixture_pages(path: str, company: str) -> None:
    soup = BeautifulSoup((WEB / path).read_bytes(), "html.parser")
    found = extract_imprint(soup, f"http://{path}", is_imprint_page=True)
    assert found.values["company_name"] == company


@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    soup = BeautifulSoup("<p></p>", "html.parser")
    soup.p.string = text  # type: ignore[union-attr]
    extract_imprint(soup, "https://x.de/impressum", is_imprint_page=True)


def test_heading_beats_a_menu_entry_of_the_same_name() -> None:
    menu = "".join(f"<li><a href='/{i}'>Menüpunkt {i}</a></li>" for i in range(20))
    soup = BeautifulSoup(
        f"<nav><ul><li><a href='/impressum'>Impressum</a></li>{menu}</ul></nav>"
        "<main><h1>Impressum</h1><p>Ganz Unten GmbH</p><p>Tiefweg 1, 12345 Berlin</p></main>",
        "html.parser",
    )
    found = extract_imprint(soup, "https://unten.de/impressum", is_imprint_page=True)
    assert found.values["company_name"] == "Ganz Unten GmbH"


def test_deeply_nested_markup() -> None:
    depth = 5000
    html = "<div>" * depth + "<h1>Impressum</h1><p>Tief GmbH<br>Grundweg 1<br>12345 Berlin</p>"
    soup = BeautifulSoup(html + "</div>" * depth, "html.parser")
    found = extract_imprint(soup, "https://tief.de/impressum", is_imprint_page=True)
    assert found.values["company_name"] == "Tief GmbH"


_ADDRESS = "<p>Hauptstraße 1<br>12345 Berlin</p>"


@pytest.mark.parametrize(
    ("html", "name", "form"),
    [
        # label lines that introduce the provider are never the name
        (
            f"<p>Anbieter dieses Internetauftritts ist</p><p>Muster Bau</p>{_ADDRESS}",
            "Muster Bau",
            None,
        ),
        (
            f"<p>Anbieter dieses Internetauftritts ist:</p><p>Muster Bau GmbH</p>{_ADDRESS}",
            "Muster Bau GmbH",
            "GmbH",
        ),
        (f"<p>Anbieterin dieser Website:</p><p>Muster Bau</p>{_ADDRESS}", "Muster Bau", None),
        (
            f"<p>Diese Website wird betrieben von:</p><p>Nordwind Segel</p>{_ADDRESS}",
            "Nordwind Segel",
            None,
        ),
        (
            f"<p>Diese Website wird betrieben von: Nordwind Segel KG</p>{_ADDRESS}",
            "Nordwind Segel KG",
            "KG",
        ),
        (
            f"<p>Betreiber dieser Seite ist</p><p>Holzwerk Lange</p>{_ADDRESS}",
            "Holzwerk Lange",
            None,
        ),
        (f"<p>Angaben gemäß § 5 TMG</p><p>Muster Bau</p>{_ADDRESS}", "Muster Bau", None),
        (f"<p>Angaben gemäß § 5 DDG:</p><p>Muster Bau</p>{_ADDRESS}", "Muster Bau", None),
        (
            f"<p>Informationen gemäß § 5 DDG</p><p>Muster Bau e.K.</p>{_ADDRESS}",
            "Muster Bau e.K.",
            "e.K.",
        ),
        (f"<p>Verantwortlich für den Inhalt</p><p>Muster Bau</p>{_ADDRESS}", "Muster Bau", None),
        (
            f"<p>This website is operated by</p><p>Alpine Tools Ltd.</p>{_ADDRESS}",
            "Alpine Tools Ltd.",
            "Ltd.",
        ),
        (f"<p>Postanschrift:</p><p>Muster Bau</p>{_ADDRESS}", "Muster Bau", None),
        # a label in front of the name on the same line is removed
        (f"<p>Unternehmensname: Muster Bau GmbH</p>{_ADDRESS}", "Muster Bau GmbH", "GmbH"),
        (
            f"<p>Firmierung: Muster Bau GmbH &amp; Co. KG</p>{_ADDRESS}",
            "Muster Bau GmbH & Co. KG",
            "GmbH & Co. KG",
        ),
        (f"<p>Name des Unternehmens: Muster AG</p>{_ADDRESS}", "Muster AG", "AG"),
        (f"<p>Rechtsträger – Muster Stiftung</p>{_ADDRESS}", "Muster Stiftung", "Stiftung"),
        (f"<p>Company name: Muster Ltd</p>{_ADDRESS}", "Muster Ltd", "Ltd"),
    ],
)
def test_label_lines_are_not_the_company_name(html: str, name: str, form: str | None) -> None:
    extracted = _imprint(f"<h1>Impressum</h1>{html}")
    assert extracted.values.get("company_name") == name
    assert extracted.values.get("legal_form") == form


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("HRB123456", "HRB 123456"),
        ("Handelsregister: HRB123456", "HRB 123456"),
        ("HRB-Nr. 12345", "HRB 12345"),
        ("HRB-Nr.: 12345", "HRB 12345"),
        ("HRB Nr. 12345", "HRB 12345"),
        ("HRB-Nummer 12345", "HRB 12345"),
        ("HR B 1234", "HRB 1234"),
        ("HR A 5678", "HRA 5678"),
        ("Registernummer: HRB:4711", "HRB 4711"),
        ("Amtsgericht Köln, HRA1234", "HRA 1234"),
        ("Vereinsregister VR4711", "VR 4711"),
        ("Registergericht Berlin HRB 9 B", "HRB 9 B"),
        ("VR-Bank Musterstadt eG", None),
        ("PROJEKT 2024", None),
        ("THRB 12345", None),
    ],
)
def test_register_numbers_as_written(line: str, number: str | None) -> None:
    extracted = _imprint(f"<h1>Impressum</h1><p>Muster GmbH</p><p>{line}</p>")
    assert extracted.values.get("register_number") == number
