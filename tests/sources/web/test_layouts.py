"""Impressum discovery on 30 site layouts served by a real local server (tests/data/web_layouts).

Regression for issue 17: Impressum links with more words than "Impressum", combined legal pages,
language folders and nested paths ended as ``no-imprint-found``; label lines were taken for the
company name and register numbers without a space were missed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
import yaml

from dq.sources.web import EnrichWebResult, WebSettings, enrich_web
from tests.sources.web.siteserver import SiteServer

DATA = Path(__file__).resolve().parents[2] / "data"
EXPECTED: dict[str, dict[str, str]] = yaml.safe_load(
    (DATA / "web_layouts_expected.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def layouts() -> Iterator[SiteServer]:
    server = SiteServer(DATA / "web_layouts").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def crawl(layouts: SiteServer) -> EnrichWebResult:
    hosts = layouts.hosts()
    resolve = {h: "127.0.0.1" for h in hosts} | {f"www.{h}": "127.0.0.1" for h in hosts}
    settings = WebSettings(
        allowed_networks=("127.0.0.1/32",),
        resolve=resolve,
        per_host_rate=50.0,
        read_timeout=2.0,
        connect_timeout=1.0,
        site_deadline=8.0,
        retries=0,
    )
    return enrich_web([layouts.url(h) for h in hosts], settings)


def test_every_layout_has_an_expectation(layouts: SiteServer) -> None:
    assert sorted(EXPECTED) == layouts.hosts()
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("host", sorted(EXPECTED))
def test_layout(crawl: EnrichWebResult, host: str) -> None:
    expected = EXPECTED[host]
    rows = crawl.sites[crawl.sites["domain"] == host]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["status"] == "ok", row["detail"]
    source = urlsplit(str(row["source_url"]))
    taken = source.path + (f"?{source.query}" if source.query else "")
    assert taken == expected["path"]
    # the table holds standardised values; what the page said is in <column>_raw when changed
    for field in ("company_name", "register_number"):
        raw = row.get(f"{field}_raw", row[field])
        assert (None if pd.isna(raw) else raw) == expected.get(field)
