"""The crawler against a real HTTP server on 127.0.0.1 serving the fixture sites."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dq.sources.web import STATUSES, EnrichWebResult, WebSettings, enrich_web, web_records
from dq.sources.web.extracted import FIELDS
from dq.store import Store
from tests.sources.web.siteserver import RequestLog, SiteServer

EXPECTED: dict[str, dict[str, object]] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "data" / "web_expected.yaml").read_text("utf-8")
)
CHECKED = (*FIELDS, "social_profiles", "managing_directors", "content_responsible")


@pytest.fixture(scope="module")
def crawl_and_log(
    site_server: SiteServer, web_settings: WebSettings
) -> tuple[EnrichWebResult, RequestLog]:
    """One crawl of every fixture site, and the server's request log of exactly that crawl."""
    site_server.log.clear()
    targets = [site_server.url(host) for host in site_server.hosts()]
    result = enrich_web(targets, web_settings)
    return result, RequestLog(entries=list(site_server.log.entries))


@pytest.fixture
def crawl(crawl_and_log: tuple[EnrichWebResult, RequestLog]) -> EnrichWebResult:
    return crawl_and_log[0]


@pytest.fixture
def crawl_log(crawl_and_log: tuple[EnrichWebResult, RequestLog]) -> RequestLog:
    return crawl_and_log[1]


def _row(result: EnrichWebResult, host: str) -> dict[str, object]:
    rows = result.sites[result.sites["domain"] == host]
    assert len(rows) == 1, f"{host}: expected one row"
    return rows.iloc[0].to_dict()


def test_every_fixture_site_has_an_expectation(site_server: SiteServer) -> None:
    assert sorted(EXPECTED) == site_server.hosts()
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("host", sorted(EXPECTED))
def test_site_status_and_values(crawl: EnrichWebResult, host: str) -> None:
    expected = EXPECTED[host]
    row = _row(crawl, host)
    assert row["status"] == expected["status"], row["detail"]
    assert row["pages_fetched"] == expected["pages"]
    # the table holds standardised values; what the page said is in <column>_raw when changed
    raw = {name: row.get(f"{name}_raw", row[name]) for name in CHECKED}
    got = {name: value for name, value in raw.items() if not pd.isna(value)}
    want = {name: str(expected[name]) for name in CHECKED if name in expected}
    assert got == want


STANDARDISED = {
    "mueller-maschinenbau.test": {
        "legal_form": "GMBH_CO_KG",
        "phone": "+497111234560",
        "fax": "+4971112345699",
        "register_court": "Stuttgart",
        "register_number": "HRA 723456",
        "vat_id_valid": True,
        "register_number_valid": True,
        "phone_valid": True,
    },
    "alpen-holz.test": {"phone": "+43512123456", "country": "AT", "vat_id_valid": True},
    "stadtwerke-musterstadt.test": {"name_core": "stadtwerke musterstadt", "legal_form": "AG"},
}


@pytest.mark.parametrize("host", sorted(STANDARDISED))
def test_values_pass_through_the_standardiser(crawl: EnrichWebResult, host: str) -> None:
    row = _row(crawl, host)
    for name, value in STANDARDISED[host].items():
        assert row[name] == value, name


def test_summary_counts_every_site_once(crawl: EnrichWebResult) -> None:
    assert list(crawl.summary) == list(STATUSES)
    assert sum(crawl.summary.values()) == len(EXPECTED)
    assert crawl.summary["ok"] == sum(1 for e in EXPECTED.values() if e["status"] == "ok")


def test_provenance_names_page_method_and_time(crawl: EnrichWebResult) -> None:
    row = _row(crawl, "nordlicht-software.test")
    provenance = json.loads(str(row["provenance"]))
    assert provenance["register_number"]["method"] == "imprint"
    assert provenance["register_number"]["url"].endswith("/legal-notice")
    assert provenance["vat_id"]["method"] == "imprint"
    assert provenance["company_name"]["fetched_at"].endswith("Z")
    ostsee = json.loads(str(_row(crawl, "ostsee-logistik.test")["provenance"]))
    assert {p["method"] for p in ostsee.values()} == {"jsonld"}
    assert str(row["source_url"]).endswith("/legal-notice")


def test_robots_rules_are_obeyed(crawl_log: RequestLog) -> None:
    paths = {host: {p for p, _ in crawl_log.for_host(host)} for host in EXPECTED}
    assert paths["robots-impressum.test"] == {"/robots.txt", "/"}
    assert paths["robots-block.test"] == {"/robots.txt"}
    assert paths["robots-error.test"] == {"/robots.txt"}  # 5xx: nothing may be fetched


def test_retry_after_is_honoured(crawl_log: RequestLog) -> None:
    times = [t for p, t in crawl_log.for_host("rate-limited.test") if p == "/"]
    assert len(times) == 2
    assert times[1] - times[0] >= 1.0  # Retry-After: 1
    busy = [p for p, _ in crawl_log.for_host("busy.test") if p == "/"]
    assert busy == ["/"]  # Retry-After of an hour is more than we wait: no retry


def test_redirect_into_private_space_is_never_requested(
    crawl: EnrichWebResult, crawl_log: RequestLog
) -> None:
    assert "10.0.0.5" in str(_row(crawl, "redirect-private.test")["detail"])
    assert crawl_log.for_host("127.0.0.2") == []


def test_private_targets_are_blocked_without_opt_in(site_server: SiteServer) -> None:
    settings = WebSettings(resolve={"mueller-maschinenbau.test": "127.0.0.1"})
    result = enrich_web([site_server.url("mueller-maschinenbau.test")], settings)
    assert result.sites.loc[0, "status"] == "blocked-address"


def test_direct_private_and_unreachable_targets(web_settings: WebSettings) -> None:
    result = enrich_web(["http://intranet.test/", "http://closed-port.test:1/"], web_settings)
    assert list(result.sites["status"]) == ["blocked-address", "unreachable"]


def test_records_in_sites_out_with_record_ids(
    site_server: SiteServer, web_settings: WebSettings
) -> None:
    records = pd.DataFrame(
        {
            "record_id": ["crm:1", "crm:2", "crm:3", "datev:10001"],
            "website": [site_server.url("green-energy.test"), None, None, None],
            "email": [None, "max@gmx.de", None, "Info@green-energy.test"],
        }
    )
    result = enrich_web(records, web_settings.model_copy(update={"try_http": True}))
    # crm:2 has only a free-mail address, crm:3 nothing; datev:10001's email names the same site
    assert result.skipped_records == 2
    assert len(result.sites) == 1  # one site, crawled once, for both records
    row = result.sites.iloc[0]
    assert row["domain"] == "green-energy.test"
    assert row["record_id"] == "crm:1; datev:10001"
    assert row["status"] == "ok"


def test_web_records_are_canonical(crawl: EnrichWebResult) -> None:
    records = web_records(crawl.sites)
    assert len(records) == crawl.summary["ok"]
    row = records.set_index("record_id").loc["web:techhandel24.test"]
    assert row["source"] == "web"
    assert row["party_type"] == "company"
    assert row["company_name"] == "TechHandel24 GmbH"
    assert row["vat_id"] == "DE112233446"
    assert row["name_core"] == "techhandel24"
    assert str(records["created_at"].dtype) == "datetime64[ns]"
    assert web_records(crawl.sites.iloc[0:0]).empty


def test_rerun_with_cache_refetches_nothing_fresh(
    site_server: SiteServer, web_settings: WebSettings, tmp_path: Path
) -> None:
    targets = [site_server.url("mueller-maschinenbau.test"), site_server.url("alpen-holz.test")]
    with Store(tmp_path / "state.sqlite") as store:
        first = enrich_web(targets, web_settings, store=store)
        site_server.log.clear()
        second = enrich_web(targets, web_settings, store=store)
        assert site_server.log.entries == []
        pd.testing.assert_frame_equal(
            first.sites.drop(columns=["fetched_at", "provenance"]),
            second.sites.drop(columns=["fetched_at", "provenance"]),
        )
        # Stale entries are revalidated: the server answers 304 and the page is reused.
        stale = web_settings.model_copy(update={"cache_ttl": 0.0})
        third = enrich_web(targets, stale, store=store)
        assert len(site_server.log.entries) > 0
        assert list(third.sites["status"]) == ["ok", "ok"]
        assert third.sites.loc[0, "company_name"] == "Müller Maschinenbau GmbH & Co. KG"


def test_per_host_spacing(site_server: SiteServer, web_settings: WebSettings) -> None:
    site_server.log.clear()
    settings = web_settings.model_copy(update={"per_host_rate": 5.0})
    enrich_web([site_server.url("hausverwaltung-klein.test")], settings)
    times = [t for _, t in site_server.log.for_host("hausverwaltung-klein.test")]
    assert len(times) == 4  # robots.txt, home, Impressum, contact
    assert min(b - a for a, b in pairwise(times)) >= 0.2


def test_progress_is_reported_per_site(site_server: SiteServer, web_settings: WebSettings) -> None:
    calls: list[tuple[int, int]] = []
    hosts = ["nur-werbung.test", "not-found.test"]
    enrich_web(
        [site_server.url(h) for h in hosts],
        web_settings,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 2), (2, 2)]


def test_site_deadline_ends_a_slow_site(site_server: SiteServer, web_settings: WebSettings) -> None:
    settings = web_settings.model_copy(update={"read_timeout": 30.0, "site_deadline": 1.0})
    result = enrich_web([site_server.url("slow.test")], settings)
    assert (result.sites.loc[0, "status"], result.sites.loc[0, "detail"]) == (
        "timeout",
        "site deadline reached",
    )


def test_worker_processes_give_the_same_results(
    crawl: EnrichWebResult, site_server: SiteServer, web_settings: WebSettings
) -> None:
    hosts = ["mueller-maschinenbau.test", "ostsee-logistik.test", "hausverwaltung-klein.test"]
    settings = web_settings.model_copy(update={"parse_workers": 1})
    result = enrich_web([site_server.url(h) for h in hosts], settings)
    columns = ["domain", "status", *CHECKED]
    expected = crawl.sites[crawl.sites["domain"].isin(hosts)][columns].reset_index(drop=True)
    got = result.sites[columns].sort_values("domain").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected.sort_values("domain").reset_index(drop=True))
