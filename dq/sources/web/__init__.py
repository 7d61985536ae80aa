"""Company websites: a polite, SSRF-safe crawler and an Impressum / schema.org extractor.

``enrich_web(targets, settings)`` crawls customers' sites into a sites table; ``web_records``
turns its ok rows into canonical records of source ``web``. See docs/web.md.

Names load on first use, so that a parse worker process importing one extractor does not pay
for pandas and the standardisers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_EXPORTS: dict[str, str] = {
    "PERSONAL_COLUMNS": "dq.sources.web.enrich",
    "SITE_COLUMNS": "dq.sources.web.enrich",
    "STATUSES": "dq.sources.web.crawler",
    "EnrichWebResult": "dq.sources.web.enrich",
    "WebSettings": "dq.sources.web.settings",
    "enrich_web": "dq.sources.web.enrich",
    "enrich_web_async": "dq.sources.web.enrich",
    "load_web_settings": "dq.sources.web.settings",
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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dq.sources.web' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
