"""Company websites: a polite, SSRF-safe crawler and an Impressum / schema.org extractor.

``enrich_web(targets, settings)`` crawls customers' sites into a sites table; ``web_records``
turns its ok rows into canonical records of source ``web``. See docs/web.md.
"""

from __future__ import annotations

from dq.sources.web.crawler import STATUSES
from dq.sources.web.enrich import (
    PERSONAL_COLUMNS,
    SITE_COLUMNS,
    EnrichWebResult,
    enrich_web,
    enrich_web_async,
    web_records,
)
from dq.sources.web.settings import WebSettings, load_web_settings, parse_resolve

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
