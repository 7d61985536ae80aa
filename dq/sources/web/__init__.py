"""Company websites: a polite, SSRF-safe crawler and an Impressum / schema.org extractor.

``enrich_web(targets, settings)`` crawls customers' sites into a sites table; ``web_records``
turns its ok rows into canonical records of source ``web``. See docs/web.md.

Names load on first use, so that a parse worker process importing one extractor does not pay
for pandas and the standardisers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dq._lazy import lazy_exports

if TYPE_CHECKING:
    from dq.config import load_web_settings as load_web_settings
    from dq.sources.web.crawler import STATUSES as STATUSES
    from dq.sources.web.enrich import PERSONAL_COLUMNS as PERSONAL_COLUMNS
    from dq.sources.web.enrich import SITE_COLUMNS as SITE_COLUMNS
    from dq.sources.web.enrich import EnrichWebResult as EnrichWebResult
    from dq.sources.web.enrich import enrich_web as enrich_web
    from dq.sources.web.enrich import enrich_web_async as enrich_web_async
    from dq.sources.web.enrich import web_records as web_records
    from dq.sources.web.settings import WebSettings as WebSettings
    from dq.sources.web.settings import parse_resolve as parse_resolve

_EXPORTS: dict[str, str] = {
    "PERSONAL_COLUMNS": "dq.sources.web.enrich",
    "SITE_COLUMNS": "dq.sources.web.enrich",
    "STATUSES": "dq.sources.web.crawler",
    "EnrichWebResult": "dq.sources.web.enrich",
    "WebSettings": "dq.sources.web.settings",
    "enrich_web": "dq.sources.web.enrich",
    "enrich_web_async": "dq.sources.web.enrich",
    "load_web_settings": "dq.config",
    "parse_resolve": "dq.sources.web.settings",
    "web_records": "dq.sources.web.enrich",
}

__all__ = [
    "PERSONAL_COLUMNS",
    "SITE_COLUMNS",
    "STATUSES",
    "EnrichWebResult",
    "WebSettings",
    "enrich_web",
    "enrich_web_async",
    "load_web_settings",
    "parse_resolve",
    "web_records",
]
_load = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
