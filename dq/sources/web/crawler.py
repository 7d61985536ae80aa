"""Crawling sites: per site the homepage, then the Impressum and, if facts are missing, a contact
page; every page through the polite, guarded :class:`~dq.sources.web.fetch.Fetcher`.

Each site ends in exactly one status (:data:`STATUSES`) and one :class:`SiteResult` holding the
merged raw facts with their provenance (page URL, method, fetch time).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import ssl
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime

import certifi
import httpx

from dq.sources.web.cache import PageCache
from dq.sources.web.extracted import FIELDS, Extracted
from dq.sources.web.fetch import Fetcher, FetchFailure, Response
from dq.sources.web.pages import PageFacts, PageKind, analyse_page
from dq.sources.web.ratelimit import HostRateLimiter
from dq.sources.web.settings import WebSettings
from dq.sources.web.ssrf import AddressGuard, Resolver
from dq.sources.web.textparse import legal_form_of
from dq.sources.web.transport import GuardedTransport
from dq.store import Store

__all__ = ["STATUSES", "Site", "SiteResult", "crawl_sites", "merge_extractions"]

log = logging.getLogger(__name__)

#: Every site ends in exactly one of these.
STATUSES: tuple[str, ...] = (
    "ok",
    "robots-disallowed",
    "unreachable",
    "timeout",
    "no-imprint-found",
    "blocked-address",
    "too-large",
    "not-html",
    "http-error",
)
_RANK = {"imprint": 0, "jsonld": 1, "microdata": 2, "text": 3}
_ADDRESS = ("street", "house_number", "postcode", "city", "country")


@dataclass(frozen=True)
class Site:
    """One site to crawl: its key (host without ``www.``), start URLs in order, target records."""

    key: str
    start_urls: tuple[str, ...]
    record_ids: tuple[str, ...] = ()


@dataclass
class SiteResult:
    """What the crawl of one site produced."""

    site: Site
    status: str = "ok"
    detail: str = ""
    pages: list[Response] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, dict[str, str]] = field(default_factory=dict)
    social_profiles: list[str] = field(default_factory=list)
    managing_directors: list[str] = field(default_factory=list)
    content_responsible: list[str] = field(default_factory=list)
    imprint_url: str | None = None


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_extractions(found: Sequence[tuple[Extracted, Response]], result: SiteResult) -> None:
    """Choose per field the value from the best method (Impressum text, JSON-LD, microdata, other
    text); an address is taken whole from one extraction, never mixed from two."""
    ranked = sorted(found, key=lambda item: _RANK[item[0].method])

    def note(name: str, extracted: Extracted, page: Response) -> None:
        result.provenance[name] = {
            "url": page.url,
            "method": extracted.method,
            "fetched_at": _iso(page.fetched_at),
        }

    for extracted, page in ranked:
        if "postcode" in extracted.values or "street" in extracted.values:
            for name in _ADDRESS:
                if name in extracted.values:
                    result.values[name] = extracted.values[name]
                    note(name, extracted, page)
            break
    for name in FIELDS:
        if name in _ADDRESS or name == "legal_form":
            continue
        for extracted, page in ranked:
            if name in extracted.values:
                result.values[name] = extracted.values[name]
                note(name, extracted, page)
                if name == "company_name":
                    form = extracted.values.get("legal_form") or legal_form_of(
                        extracted.values[name]
                    )
                    if form:
                        result.values["legal_form"] = form
                        note("legal_form", extracted, page)
                break
    if "company_name" not in result.values:
        for extracted, page in ranked:
            if extracted.brand_name:
                result.values["company_name"] = extracted.brand_name
                note("company_name", extracted, page)
                break
    for extracted, page in ranked:
        for profile in extracted.social_profiles:
            if profile not in result.social_profiles:
                result.social_profiles.append(profile)
                note("social_profiles", extracted, page)
        for person in extracted.managing_directors:
            if person not in result.managing_directors:
                result.managing_directors.append(person)
                note("managing_directors", extracted, page)
        for person in extracted.content_responsible:
            if person not in result.content_responsible:
                result.content_responsible.append(person)


def _complete(values: dict[str, str]) -> bool:
    return all(k in values for k in ("company_name", "street", "city")) and (
        "phone" in values or "email" in values
    )


class _Crawl:
    def __init__(
        self, settings: WebSettings, fetcher: Fetcher, pool: Executor | None = None
    ) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.pool = pool

    async def _analyse(self, page: Response, kind: PageKind) -> PageFacts:
        if self.pool is None:
            return analyse_page(page.body, page.charset, page.url, kind)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.pool, analyse_page, page.body, page.charset, page.url, kind
        )

    async def site(self, site: Site) -> SiteResult:
        result = SiteResult(site)
        try:
            async with asyncio.timeout(self.settings.site_deadline):
                await self._crawl(site, result)
        except TimeoutError:
            result.status, result.detail = "timeout", "site deadline reached"
        except FetchFailure as failure:
            result.status, result.detail = failure.status, failure.detail
        except (ValueError, LookupError, RecursionError, BrokenProcessPool) as exc:
            # a page no parser or extractor could cope with must not end the whole crawl
            log.warning(  # record IDs only: a domain can name a person
                "a page could not be read (%s); records %s",
                type(exc).__name__,
                ", ".join(site.record_ids) or "-",
            )
            result.status = "not-html"
            result.detail = f"the page could not be read ({type(exc).__name__})"
        return result

    async def _home(self, site: Site) -> Response:
        for i, url in enumerate(site.start_urls):
            try:
                return await self.fetcher.get_page(url)
            except FetchFailure as failure:
                if failure.status != "unreachable" or i == len(site.start_urls) - 1:
                    raise
        raise FetchFailure("unreachable", "no start URL")

    async def _crawl(self, site: Site, result: SiteResult) -> None:
        home = await self._home(site)
        result.pages.append(home)
        facts = await self._analyse(home, "home")
        candidates = facts.candidates
        imprint_links = [c for c in candidates if c.kind == "imprint"][:2]
        home_text = facts.text_read
        found = [(e, home) for e in facts.extracted]
        imprint_found = any(e.method == "imprint" for e, _ in found)
        if imprint_found:
            result.imprint_url = home.url
        budget = self.settings.max_pages_per_site - 1
        failure: FetchFailure | None = None
        for candidate in imprint_links:
            if imprint_found or budget <= 0:
                break
            budget -= 1
            try:
                page = await self.fetcher.get_page(candidate.url)
            except FetchFailure as exc:
                failure = exc
                continue
            result.pages.append(page)
            found.extend((e, page) for e in (await self._analyse(page, "imprint")).extracted)
            imprint_found, result.imprint_url = True, page.url
        _remerge(found, result)
        if not home_text and not _complete(result.values):
            found.extend((e, home) for e in (await self._analyse(home, "home-text")).extracted)
            _remerge(found, result)
        for candidate in [c for c in candidates if c.kind != "imprint"]:
            if budget <= 0 or _complete(result.values):
                break
            if any(p.url == candidate.url for p in result.pages):
                continue
            budget -= 1
            try:
                page = await self.fetcher.get_page(candidate.url)
            except FetchFailure:
                continue
            result.pages.append(page)
            found.extend((e, page) for e in (await self._analyse(page, "other")).extracted)
            _remerge(found, result)
        structured = any(e.method in ("jsonld", "microdata") for e, _ in found)
        if (imprint_found or structured) and result.values:
            result.status = "ok"
        elif failure is not None:
            result.status, result.detail = failure.status, failure.detail
        else:
            result.status = "no-imprint-found"
            result.detail = "no Impressum link or schema.org organisation found"


def _parse_pool(workers: int) -> Executor:
    """Worker processes for parsing and extraction; forkserver keeps them free of our threads."""
    context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _remerge(found: Sequence[tuple[Extracted, Response]], result: SiteResult) -> None:
    result.values.clear()
    result.provenance.clear()
    result.social_profiles.clear()
    result.managing_directors.clear()
    result.content_responsible.clear()
    merge_extractions(found, result)


async def crawl_sites(
    sites: Sequence[Site],
    settings: WebSettings,
    *,
    store: Store | None = None,
    progress: Callable[[int, int], None] | None = None,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[SiteResult]:
    """Crawl ``sites`` concurrently; results in the order of ``sites``.

    ``resolver`` replaces DNS for the SSRF guard; ``transport`` replaces the guarded network
    transport altogether (``httpx.MockTransport`` in tests: URL checks still apply).
    """
    guard = AddressGuard(settings, resolver)
    limiter = HostRateLimiter(settings.per_host_rate, settings.concurrency)
    cache = PageCache(store, settings.cache_ttl) if store is not None else None
    network = transport or GuardedTransport(
        guard,
        max_hosts=2 * settings.site_concurrency,
        ssl_context=ssl.create_default_context(cafile=settings.ca_bundle or certifi.where()),
    )
    results: list[SiteResult | None] = [None] * len(sites)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(sites)):
        queue.put_nowait(i)
    done = 0
    pool = _parse_pool(settings.parse_workers) if settings.parse_workers and sites else None
    crawl = _Crawl(settings, Fetcher(settings, network, guard, limiter, cache), pool)

    async def worker() -> None:
        nonlocal done
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            results[i] = await crawl.site(sites[i])
            done += 1
            if progress is not None:
                progress(done, len(sites))

    try:
        workers = min(settings.site_concurrency, max(1, len(sites)))
        await asyncio.gather(*(worker() for _ in range(workers)))
    finally:
        if transport is None:  # ours to close; a caller's transport stays open
            await network.aclose()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    log.info("crawled %d sites with %d requests", len(sites), crawl.fetcher.requests)
    return [r for r in results if r is not None]
