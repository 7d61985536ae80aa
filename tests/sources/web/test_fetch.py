"""The fetcher at transport level (httpx.MockTransport): retries, caps, types, cache, robots."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest

from dq.sources.web.cache import PageCache
from dq.sources.web.fetch import Fetcher, FetchFailure, Response, is_html, retry_after_seconds
from dq.sources.web.ratelimit import HostRateLimiter
from dq.sources.web.settings import WebSettings
from dq.sources.web.ssrf import AddressGuard
from dq.store import Store

Handler = Callable[[httpx.Request], httpx.Response]
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _get(
    handler: Handler, url: str, settings: WebSettings | None = None, store: Store | None = None
) -> Response:
    settings = settings or WebSettings(per_host_rate=1000.0, backoff=0.01)

    async def run() -> Response:
        async with httpx.MockTransport(handler) as transport:
            cache = PageCache(store, settings.cache_ttl) if store is not None else None
            fetcher = Fetcher(
                settings,
                transport,
                AddressGuard(settings),
                HostRateLimiter(settings.per_host_rate, settings.concurrency),
                cache,
            )
            return await fetcher.get_page(url)

    return asyncio.run(run())


def _site(pages: dict[str, httpx.Response], log: list[str] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if log is not None:
            log.append(request.url.path)
        return pages.get(request.url.path, httpx.Response(404))

    return handler


def test_503_then_ok_is_retried() -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, headers=HTML, text="<p>ok</p>")])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404) if request.url.path == "/robots.txt" else next(answers)

    assert _get(handler, "https://a.de/").body == b"<p>ok</p>"


def test_retries_are_bounded() -> None:
    log: list[str] = []
    handler = _site({"/": httpx.Response(429)}, log)
    with pytest.raises(FetchFailure) as info:
        _get(handler, "https://a.de/", WebSettings(retries=2, backoff=0.01, per_host_rate=1000.0))
    assert info.value.status == "http-error"
    assert log.count("/") == 3


@pytest.mark.parametrize(
    ("value", "seconds"), [("5", 5.0), ("0", 0.0), ("soon", None), (None, None)]
)
def test_retry_after_values(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value) == seconds


def test_retry_after_as_http_date() -> None:
    seconds = retry_after_seconds(formatdate(time.time() + 30, usegmt=True))
    assert seconds is not None and 25 < seconds <= 30


@pytest.mark.parametrize(
    ("ctype", "body", "html"),
    [
        ("text/html", b"", True),
        ("application/xhtml+xml", b"", True),
        ("application/pdf", b"%PDF", False),
        ("", b"  <!DOCTYPE html><html>", True),
        ("", b"%PDF-1.7", False),
    ],
)
def test_is_html(ctype: str, body: bytes, html: bool) -> None:
    assert is_html(ctype, body) is html


def test_pdf_is_not_html() -> None:
    handler = _site(
        {"/": httpx.Response(200, headers={"Content-Type": "application/pdf"}, content=b"%PDF")}
    )
    with pytest.raises(FetchFailure) as info:
        _get(handler, "https://a.de/")
    assert info.value.status == "not-html"


def test_body_over_the_cap_is_too_large() -> None:
    big = b"<p>" + b"x" * 20_000 + b"</p>"
    handler = _site({"/": httpx.Response(200, headers=HTML, content=big)})
    with pytest.raises(FetchFailure) as info:
        _get(handler, "https://a.de/", WebSettings(max_bytes=10_000, per_host_rate=1000.0))
    assert info.value.status == "too-large"


def test_robots_4xx_allows_and_5xx_disallows() -> None:
    page = httpx.Response(200, headers=HTML, text="<p>hi</p>")
    assert (
        _get(_site({"/": page, "/robots.txt": httpx.Response(403)}), "https://a.de/").status == 200
    )
    log: list[str] = []
    with pytest.raises(FetchFailure) as info:
        _get(_site({"/": page, "/robots.txt": httpx.Response(502)}, log), "https://a.de/")
    assert info.value.status == "robots-disallowed"
    assert log == ["/robots.txt"]


def test_redirect_hops_are_counted() -> None:
    pages = {f"/{i}": httpx.Response(302, headers={"Location": f"/{i + 1}"}) for i in range(10)}
    pages["/2"] = httpx.Response(200, headers=HTML, text="<p>end</p>")
    response = _get(_site(pages), "https://a.de/0")
    assert response.url == "https://a.de/2"
    pages["/2"] = httpx.Response(302, headers={"Location": "/3"})
    with pytest.raises(FetchFailure, match="more than 5 redirects"):
        _get(_site(pages), "https://a.de/0")


def test_user_agent_is_sent() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, headers=HTML, text="<p/>")

    _get(handler, "https://a.de/", WebSettings(user_agent="AcmeBot/2.0 (+mailto:it@acme.de)"))
    assert seen == ["AcmeBot/2.0 (+mailto:it@acme.de)"] * 2


def test_cache_revalidates_with_etag(tmp_path: Path) -> None:
    requests: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, headers={**HTML, "ETag": '"v1"'}, text="<p>cached</p>")

    stale = WebSettings(cache_ttl=0.0, per_host_rate=1000.0)
    with Store(tmp_path / "s.sqlite") as store:
        first = _get(handler, "https://a.de/", stale, store)
        second = _get(handler, "https://a.de/", stale, store)
    assert not first.from_cache
    assert second.from_cache and second.body == b"<p>cached</p>"
    assert requests[-1]["if-none-match"] == '"v1"'


def test_https_unreachable_falls_back_to_http() -> None:
    from dq.sources.web import enrich_web

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url.scheme} {request.url.path}")
        if request.url.scheme == "https":
            raise httpx.ConnectError("TLS handshake failed")
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, headers=HTML, text="<h1>Impressum</h1><p>Alt GmbH</p>")

    settings = WebSettings(per_host_rate=1000.0)
    result = enrich_web(["alt-firma.de"], settings, transport=httpx.MockTransport(handler))
    assert result.sites.loc[0, "status"] == "ok"
    assert result.sites.loc[0, "url"] == "http://alt-firma.de/"
    assert seen[0] == "https /robots.txt" and "http /" in seen
    off = enrich_web(
        ["alt-firma.de"],
        settings.model_copy(update={"try_http": False}),
        transport=httpx.MockTransport(handler),
    )
    assert off.sites.loc[0, "status"] == "unreachable"
