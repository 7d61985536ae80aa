"""One page in, its facts out (dq/sources/web/pages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.sources.web.pages import PageKind, analyse_page

WEB = Path(__file__).resolve().parents[2] / "data" / "web"


def test_homepage_with_an_impressum_link_defers_its_text() -> None:
    body = (WEB / "mueller-maschinenbau.test" / "index.html").read_bytes()
    facts = analyse_page(body, "utf-8", "http://mueller-maschinenbau.test/", "home")
    assert not facts.text_read
    assert facts.candidates[0].url == "http://mueller-maschinenbau.test/impressum"
    assert [e.method for e in facts.extracted] == ["text"]  # social links only
    assert facts.extracted[0].social_profiles[0].startswith("https://www.linkedin.com/")


def test_one_page_site_is_read_at_once() -> None:
    body = (WEB / "elektro-kaiser.test" / "index.html").read_bytes()
    facts = analyse_page(body, None, "http://elektro-kaiser.test/", "home")
    assert facts.text_read
    assert facts.extracted[0].method == "imprint"


def test_charset_from_meta_when_the_header_has_none() -> None:
    body = (WEB / "groesse-soehne.test" / "impressum.php").read_bytes()
    facts = analyse_page(body, None, "http://groesse-soehne.test/impressum.php", "imprint")
    assert facts.extracted[0].values["company_name"] == "Größe & Söhne OHG"


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["home", "home-text", "imprint", "other"]))
def test_never_raises_on_arbitrary_bytes(body: bytes, kind: PageKind) -> None:
    analyse_page(body, None, "https://x.de/", kind)


@pytest.mark.parametrize("kind", ["home", "imprint"])
def test_markup_soup(kind: PageKind) -> None:
    body = b"<html><body><p><b><i>Impressum</p></b></i><table><tr><td>Tel.<td>030 1</table>"
    analyse_page(body + b"<script>if (a < b) {}</script><<<>>>&&&", "utf-8", "https://x.de/", kind)
