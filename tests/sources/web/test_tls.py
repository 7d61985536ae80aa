"""HTTPS through the guarded transport: the connection goes to the checked IP address while TLS
still verifies the certificate for the hostname (SNI and hostname check)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from dq.sources.web import WebSettings, enrich_web
from tests.sources.web.siteserver import SiteServer

TLS = Path(__file__).resolve().parents[2] / "data" / "web_tls"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    root = tmp_path_factory.mktemp("tls-sites")
    for host in ("tls-site.test", "other-name.test"):
        (root / host).mkdir()
        (root / host / "index.html").write_text(
            "<html><body><h1>Impressum</h1><p>Sicher Verbunden GmbH</p>"
            "<p>Schlüsselweg 1, 10115 Berlin</p><p>Tel. 030 1234567</p></body></html>",
            encoding="utf-8",
        )
    server = SiteServer(root)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    yield server.start()
    server.stop()


def _settings(**extra: object) -> WebSettings:
    return WebSettings(
        allowed_networks=("127.0.0.1/32",),
        resolve={"tls-site.test": "127.0.0.1", "other-name.test": "127.0.0.1"},
        per_host_rate=50.0,
        try_http=False,
        **extra,  # type: ignore[arg-type]
    )


def test_https_to_the_checked_address_with_the_hostname_verified(tls_server: SiteServer) -> None:
    url = f"https://tls-site.test:{tls_server.port}/"
    result = enrich_web([url], _settings(ca_bundle=str(TLS / "ca.pem")))
    row = result.sites.iloc[0]
    assert row["status"] == "ok", row["detail"]
    assert row["company_name"] == "Sicher Verbunden GmbH"


def test_certificate_for_another_name_is_refused(tls_server: SiteServer) -> None:
    url = f"https://other-name.test:{tls_server.port}/"
    result = enrich_web([url], _settings(ca_bundle=str(TLS / "ca.pem")))
    assert result.sites.iloc[0]["status"] == "unreachable"
    assert tls_server.log.for_host("other-name.test") == []  # no request was sent


def test_unknown_certificate_authority_is_refused(tls_server: SiteServer) -> None:
    url = f"https://tls-site.test:{tls_server.port}/"
    assert enrich_web([url], _settings()).sites.iloc[0]["status"] == "unreachable"
