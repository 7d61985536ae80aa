"""Fetching one URL politely and safely: robots.txt, rate limit, cache, redirects, size cap.

:class:`Fetcher` follows redirects itself (each hop checked by the SSRF guard and robots.txt),
streams bodies and stops at ``max_bytes``, reads only HTML pages, retries 429/503 honouring
Retry-After, and answers from the workspace cache while an entry is fresh. Failures are
:class:`FetchFailure` with the site status they stand for (``timeout``, ``too-large`` …).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from dq.errors import BlockedAddressError
from dq.sources.web.cache import CACHEABLE_STATUSES, CachedResponse, PageCache
from dq.sources.web.ratelimit import HostRateLimiter
from dq.sources.web.robots import RobotsRules, parse_robots
from dq.sources.web.settings import WebSettings
from dq.sources.web.ssrf import AddressGuard, parse_ip_literal

__all__ = ["FetchFailure", "Fetcher", "Response", "is_html", "retry_after_seconds"]


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY = frozenset({429, 503})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ROBOTS_TTL = 24 * 3600.0  # RFC 9309 2.4: a cached robots.txt should not be used for longer
_ROBOTS_MAX = 500 * 1024


class FetchFailure(Exception):
    """A URL could not be fetched; ``status`` is the site status it maps to."""

    def __init__(self, status: str, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Response:
    """A response as the crawler uses it (from the network or the cache)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: float
    from_cache: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ")
        return None


def is_html(content_type: str, body_start: bytes) -> bool:
    """HTML by its declared type, or by sniffing the body when no type is declared."""
    if content_type:
        return content_type in _HTML_TYPES
    head = body_start.lstrip()[:100].lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


async def _drain(resp: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read a small error or redirect body so the connection can be reused (keep-alive)."""
    if resp.is_stream_consumed or resp.is_closed:
        return
    size = 0
    async for chunk in resp.aiter_raw():
        size += len(chunk)
        if size > limit:
            return


def _from_cache(entry: CachedResponse) -> Response:
    return Response(entry.url, entry.status, entry.headers, entry.body, entry.fetched_at, True)


class Fetcher:
    """Fetches pages for the crawler; one instance per crawl, used inside one event loop."""

    def __init__(
        self,
        settings: WebSettings,
        transport: httpx.AsyncBaseTransport,
        guard: AddressGuard,
        limiter: HostRateLimiter,
        cache: PageCache | None = None,
    ) -> None:
        self.settings = settings
        # requests go straight to the transport: redirects, cookies and auth of httpx's client
        # are not wanted here, and its per-request bookkeeping is measurable at crawl scale
        self.transport = transport
        self.timeout = {
            "connect": settings.connect_timeout,
            "read": settings.read_timeout,
            "write": settings.read_timeout,
            "pool": settings.site_deadline,
        }
        self.guard = guard
        self.limiter = limiter
        self.cache = cache
        self.requests = 0
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def get_page(self, url: str) -> Response:
        """The HTML page at ``url`` after redirects; raises :class:`FetchFailure` otherwise."""
        response = await self._follow(url, robots=True, page=True)
        if response.status >= 400:
            raise FetchFailure("http-error", f"HTTP {response.status}")
        if response.status != 200 or not is_html(response.content_type, response.body):
            if response.status == 200:
                raise FetchFailure("not-html", f"content type {response.content_type or '?'}")
            raise FetchFailure("http-error", f"HTTP {response.status}")
        return response

    async def robots_for(self, url: str, parsed: httpx.URL | None = None) -> RobotsRules:
        """The robots.txt rules of ``url``'s origin, fetched once per origin and run."""
        parsed = parsed or httpx.URL(url)
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}/"
        if origin in self._robots:
            return self._robots[origin]
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                self._robots[origin] = await self._load_robots(origin)
        return self._robots[origin]

    async def _load_robots(self, origin: str) -> RobotsRules:
        response = await self._follow(urljoin(origin, "/robots.txt"), robots=False, page=False)
        if 200 <= response.status < 300:
            rules = parse_robots(response.body.decode("utf-8", "replace"), self.settings.user_agent)
            if rules.crawl_delay:
                host = httpx.URL(origin).host
                self.limiter.set_interval(
                    host, min(rules.crawl_delay, self.settings.max_crawl_delay)
                )
            return rules
        if 400 <= response.status < 500 and response.status != 429:
            return RobotsRules.allow_all()
        return RobotsRules.disallow_all()

    async def _follow(self, url: str, *, robots: bool, page: bool) -> Response:
        """One request plus at most ``max_redirects`` hops, each checked again."""
        current = url
        for _ in range(self.settings.max_redirects + 1):
            try:
                parsed = httpx.URL(current)
            except httpx.InvalidURL as exc:
                self._check_literal(current)  # "0177.0.0.1" is invalid to httpx, an address to us
                raise FetchFailure("http-error", f"invalid URL: {exc}") from None
            self._check(parsed)
            if robots and not (await self.robots_for(current, parsed)).allowed(current):
                raise FetchFailure("robots-disallowed", "robots.txt disallows the page")
            response = await self._get(current, parsed, page=page)
            location = response.headers.get("location")
            if response.status in _REDIRECTS and location:
                current = urljoin(current, location.strip())
                continue
            return response
        raise FetchFailure("http-error", f"more than {self.settings.max_redirects} redirects")

    def _check_literal(self, url: str) -> None:
        try:
            host = urlsplit(url).hostname or ""
            literal = parse_ip_literal(host)
            if literal is not None:
                self.guard.check_address(host, literal)
        except (BlockedAddressError, ValueError) as exc:
            raise FetchFailure("blocked-address", str(exc)) from None

    def _check(self, url: httpx.URL) -> None:
        try:
            self.guard.check_url(url)
        except BlockedAddressError as exc:
            raise FetchFailure("blocked-address", str(exc)) from None

    async def _get(self, url: str, parsed: httpx.URL, *, page: bool) -> Response:
        """One hop: from the cache when fresh, else over the network with retries."""
        entry = self.cache.get(url) if self.cache is not None else None
        ttl = self.settings.cache_ttl if page else min(self.settings.cache_ttl, _ROBOTS_TTL)
        if entry is not None and time.time() - entry.fetched_at < ttl:
            return _from_cache(entry)
        host = parsed.host
        for attempt in range(self.settings.retries + 1):
            response = await self._request(url, parsed, entry, page=page)
            if response.status not in _RETRY or attempt == self.settings.retries:
                return response
            wait = retry_after_seconds(response.headers.get("retry-after"))
            if wait is None:
                wait = self.settings.backoff * (2**attempt)
            if wait > self.settings.max_retry_after:
                return response
            self.limiter.defer(host, wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _request(
        self, url: str, parsed: httpx.URL, entry: CachedResponse | None, *, page: bool
    ) -> Response:
        host = parsed.host
        headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate"}
        if page:
            headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
        if entry is not None:
            headers.update(entry.validators())
        cap = self.settings.max_bytes if page else min(self.settings.max_bytes, _ROBOTS_MAX)
        async with self.limiter.slot(host):
            self.requests += 1
            try:
                extensions = {"timeout": self.timeout}
                request = httpx.Request("GET", parsed, headers=headers, extensions=extensions)
                resp = await self.transport.handle_async_request(request)
                try:
                    return await self._read(url, resp, entry, cap, page=page)
                finally:
                    await resp.aclose()
            except BlockedAddressError as exc:
                raise FetchFailure("blocked-address", str(exc)) from None
            except httpx.TimeoutException:
                raise FetchFailure("timeout", "the server did not answer in time") from None
            except httpx.HTTPError as exc:
                raise FetchFailure("unreachable", type(exc).__name__) from None

    async def _read(
        self,
        url: str,
        resp: httpx.Response,
        entry: CachedResponse | None,
        cap: int,
        *,
        page: bool,
    ) -> Response:
        headers = {k.lower(): v for k, v in resp.headers.items()}
        if resp.status_code == 304 and entry is not None and self.cache is not None:
            return _from_cache(self.cache.touch(entry))
        body = b""
        if resp.status_code in (200, 203):
            ctype = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if page and ctype and ctype not in _HTML_TYPES:
                return self._store(url, resp.status_code, headers, b"")
            declared = headers.get("content-length", "")
            if page and declared.isdigit() and int(declared) > cap:
                raise FetchFailure("too-large", f"declared {declared} bytes, limit {cap}")
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    if not page:  # robots.txt: parse what fits (RFC 9309 2.5)
                        chunks.append(chunk[: cap - (size - len(chunk))])
                        break
                    raise FetchFailure("too-large", f"body over {cap} bytes")
                chunks.append(chunk)
            body = b"".join(chunks)
        else:
            await _drain(resp)
        return self._store(url, resp.status_code, headers, body)

    def _store(self, url: str, status: int, headers: dict[str, str], body: bytes) -> Response:
        if self.cache is not None and status in CACHEABLE_STATUSES:
            entry = self.cache.put(url, status, headers, body)
            return Response(url, status, entry.headers, body, entry.fetched_at)
        return Response(url, status, headers, body, time.time())
