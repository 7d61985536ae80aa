"""The library entry points: crawl customers' websites into a sites table, and turn ok sites
into canonical records of source ``web``.

The sites table has one row per site with the extracted facts under their canonical column names,
a status from :data:`~dq.sources.web.crawler.STATUSES`, the pages fetched and per-field provenance.
List-valued columns (``social_profiles``, ``managing_directors``, ``content_responsible``) are
joined with ``"; "``. ``managing_directors`` and ``content_responsible`` name persons: personal
data (:data:`PERSONAL_COLUMNS`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
import pandas as pd

from dq.schema import RECORD_COLUMNS, conform
from dq.sources.web.crawler import STATUSES, SiteResult, crawl_sites
from dq.sources.web.extracted import FIELDS
from dq.sources.web.normalize import standardize_sites
from dq.sources.web.settings import WebSettings
from dq.sources.web.ssrf import Resolver
from dq.sources.web.targets import sites_from_targets
from dq.store import Store

__all__ = [
    "LIST_SEPARATOR",
    "PERSONAL_COLUMNS",
    "SITE_COLUMNS",
    "EnrichWebResult",
    "enrich_web",
    "enrich_web_async",
    "web_records",
]

LIST_SEPARATOR = "; "
#: Columns of the sites table that name natural persons.
PERSONAL_COLUMNS: tuple[str, ...] = ("managing_directors", "content_responsible")
#: Columns of the sites table, in order.
SITE_COLUMNS: tuple[str, ...] = (
    "domain",
    "url",
    "status",
    "detail",
    *FIELDS,
    "social_profiles",
    "managing_directors",
    "content_responsible",
    "pages_fetched",
    "source_url",
    "fetched_at",
    "provenance",
    "record_id",
)


@dataclass(frozen=True)
class EnrichWebResult:
    """The sites table, counts per status, and how many records named no crawlable site."""

    sites: pd.DataFrame
    summary: dict[str, int] = field(default_factory=dict)
    skipped_records: int = 0

    @property
    def records(self) -> pd.DataFrame:
        """The ok sites as canonical records of source ``web`` (see :func:`web_records`)."""
        return web_records(self.sites)


def _row(result: SiteResult) -> dict[str, object]:
    home = result.pages[0] if result.pages else None
    newest = max((p.fetched_at for p in result.pages), default=None)
    row: dict[str, object] = {
        "domain": result.site.key,
        "url": home.url if home is not None else result.site.start_urls[0],
        "status": result.status,
        "detail": result.detail or None,
        **{name: result.values.get(name) for name in FIELDS},
        "social_profiles": LIST_SEPARATOR.join(result.social_profiles) or None,
        "managing_directors": LIST_SEPARATOR.join(result.managing_directors) or None,
        "content_responsible": LIST_SEPARATOR.join(result.content_responsible) or None,
        "pages_fetched": len(result.pages),
        "source_url": result.imprint_url or (home.url if home is not None else None),
        "fetched_at": pd.Timestamp(newest, unit="s", tz="UTC") if newest is not None else pd.NaT,
        "provenance": json.dumps(result.provenance, ensure_ascii=False)
        if result.provenance
        else None,
        "record_id": LIST_SEPARATOR.join(result.site.record_ids) or None,
    }
    return row


def _frame(results: Sequence[SiteResult], default_country: str) -> pd.DataFrame:
    rows = [_row(r) for r in results]
    frame = pd.DataFrame(rows, columns=list(SITE_COLUMNS))
    for name in SITE_COLUMNS:
        if name == "pages_fetched":
            frame[name] = frame[name].astype("Int64")
        elif name == "fetched_at":
            frame[name] = pd.to_datetime(frame[name], utc=True)
        else:
            frame[name] = frame[name].astype("string")
    return standardize_sites(frame, default_country)


async def enrich_web_async(
    targets: pd.DataFrame | Sequence[str],
    settings: WebSettings,
    *,
    store: Store | None = None,
    progress: Callable[[int, int], None] | None = None,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> EnrichWebResult:
    """:func:`enrich_web` for callers that already run an event loop."""
    sites, skipped = sites_from_targets(targets, try_http=settings.try_http)
    results = await crawl_sites(
        sites, settings, store=store, progress=progress, resolver=resolver, transport=transport
    )
    frame = _frame(results, settings.default_country)
    counts = frame["status"].value_counts()
    summary = {status: int(counts.get(status, 0)) for status in STATUSES}
    return EnrichWebResult(frame, summary, skipped)


def enrich_web(
    targets: pd.DataFrame | Sequence[str],
    settings: WebSettings,
    *,
    store: Store | None = None,
    progress: Callable[[int, int], None] | None = None,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> EnrichWebResult:
    """Crawl the websites of ``targets`` and extract company facts, one row per site.

    ``targets`` are canonical records (``website``, else the domain of a non-free-mail ``email``;
    their ``record_id`` is carried to the site row) or plain domains/URLs. With ``store`` pages are
    cached in the workspace so a rerun refetches nothing fresh. ``progress(done, total)`` is
    called after each site. ``resolver`` replaces DNS (tests, benchmarks); ``transport`` replaces
    the network transport (``httpx.MockTransport``).

    >>> result = enrich_web(["mueller-maschinenbau.de"], WebSettings())  # doctest: +SKIP
    >>> result.sites.loc[0, ["status", "company_name", "register_number"]]  # doctest: +SKIP
    """
    return asyncio.run(
        enrich_web_async(
            targets,
            settings,
            store=store,
            progress=progress,
            resolver=resolver,
            transport=transport,
        )
    )


def web_records(sites: pd.DataFrame, source: str = "web") -> pd.DataFrame:
    """Canonical records of ``source`` (``record_id`` ``<source>:<domain>``) from the ok sites.

    The target records a site was found for are kept in the extra column ``linked_record_ids``
    so that matching can use them as evidence.
    """
    ok = sites[sites["status"] == "ok"].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "record_id": source + ":" + ok["domain"].astype("string"),
            "source": source,
            "source_key": ok["domain"],
            "source_file": ok["source_url"],
            "party_type": "company",
            **{name: ok[name] for name in FIELDS},
            "name_core": ok["name_core"] if "name_core" in ok.columns else None,
            "website": ok["url"],
            "domain": ok["domain"],
            "social_profiles": ok["social_profiles"],
            "updated_at": ok["fetched_at"].dt.tz_convert(None) if len(ok) else ok["fetched_at"],
            "linked_record_ids": ok["record_id"],
        }
    )
    return conform(frame, RECORD_COLUMNS)
