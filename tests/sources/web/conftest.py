"""Fixtures for the web tests: the fixture-site server on 127.0.0.1 and settings that reach it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dq.sources.web import WebSettings
from tests.sources.web.siteserver import SiteServer


@pytest.fixture(scope="session")
def site_server() -> Iterator[SiteServer]:
    server = SiteServer().start()
    yield server
    server.stop()


def resolve_map(server: SiteServer) -> dict[str, str]:
    """Every fixture host (and its www. form) mapped to the test server's address."""
    hosts = server.hosts()
    mapping = {h: "127.0.0.1" for h in hosts}
    mapping.update({f"www.{h}": "127.0.0.1" for h in hosts})
    mapping["closed-port.test"] = "127.0.0.1"
    mapping["intranet.test"] = "10.1.2.3"
    return mapping


@pytest.fixture(scope="session")
def web_settings(site_server: SiteServer) -> WebSettings:
    """Only 127.0.0.1 is allowed (the test server); every other private address stays blocked."""
    return WebSettings(
        allowed_networks=("127.0.0.1/32",),
        resolve=resolve_map(site_server),
        per_host_rate=50.0,
        read_timeout=2.0,
        connect_timeout=1.0,
        site_deadline=8.0,
        max_bytes=1_000_000,
        backoff=0.05,
        max_retry_after=2.0,
        retries=2,
    )
