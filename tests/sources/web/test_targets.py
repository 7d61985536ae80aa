"""Which sites are crawled for records or domains (dq/sources/web/targets.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from dq.sources.web.targets import site_key, sites_from_targets, start_urls


@pytest.mark.parametrize(
    ("value", "urls"),
    [
        ("firma.de", ("https://firma.de/", "http://firma.de/")),
        ("www.Firma.de", ("https://www.firma.de/", "http://www.firma.de/")),
        ("https://www.firma.de/de/start", ("https://www.firma.de/de/start",)),
        ("http://shop.test:8080", ("http://shop.test:8080/",)),
        ("http://[::1]/", ("http://[::1]/",)),
        ("http://2130706433/", ("http://2130706433/",)),  # the guard will judge it
        ("n/a", ()),
        ("keine", ()),
        ("", ()),
        ("firma de", ()),
    ],
)
def test_start_urls(value: str, urls: tuple[str, ...]) -> None:
    assert start_urls(value) == urls


def test_no_http_fallback_when_disabled() -> None:
    assert start_urls("firma.de", try_http=False) == ("https://firma.de/",)


@pytest.mark.parametrize(
    ("netloc", "key"),
    [("www.Firma.de", "firma.de"), ("firma.de:8443", "firma.de"), ("[::1]:80", "::1")],
)
def test_site_key(netloc: str, key: str) -> None:
    assert site_key(netloc) == key


def test_records_website_then_domain_then_business_email() -> None:
    records = pd.DataFrame(
        {
            "record_id": ["a:1", "a:2", "a:3", "a:4", "a:5", "a:6", "a:7"],
            "website": ["www.firma.de", None, None, None, "n/a", "https://firma.de/x", None],
            "domain": [None, "zweite.de", None, None, None, None, None],
            "email": [None, "x@dritte.de", "info@mail.dritte.de", "max@gmx.de", None, None, None],
        }
    )
    sites, skipped = sites_from_targets(records)
    assert [(s.key, s.record_ids) for s in sites] == [
        ("firma.de", ("a:1", "a:6")),
        ("zweite.de", ("a:2",)),
        ("dritte.de", ("a:3",)),
    ]
    assert sites[0].start_urls == ("https://www.firma.de/", "http://www.firma.de/")
    assert skipped == 3  # a:4 free mail only, a:5 placeholder, a:7 nothing


def test_plain_domains_are_deduplicated() -> None:
    sites, skipped = sites_from_targets(["firma.de", "www.firma.de", "andere.de", ""])
    assert [s.key for s in sites] == ["firma.de", "andere.de"]
    assert skipped == 1
