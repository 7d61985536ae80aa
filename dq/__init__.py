"""dq: customer-data quality and enrichment for German/EU customer data.

The public API is listed in ``__all__``; heavy modules load on first use so that ``import dq``
and ``dq --help`` stay fast.
"""

from __future__ import annotations

from typing import Any

from dq._lazy import lazy_exports

__version__ = "0.1.0"

# name -> module that defines it; loaded lazily on first attribute access.
_EXPORTS: dict[str, str] = {
    "DQError": "dq.errors",
    "ConfigError": "dq.errors",
    "InputError": "dq.errors",
    "QualityGateFailed": "dq.errors",
    "Workspace": "dq.config",
    "load_workspace": "dq.config",
    "ingest_file": "dq.ingest",
    "IngestResult": "dq.ingest",
    "list_connectors": "dq.sources.profiles",
    "load_connector": "dq.sources.profiles",
    "standardize_records": "dq.standardize",
    "enrich_web": "dq.sources.web",
    "match_records": "dq.match",
    "customer_value": "dq.enrich.value",
    "web_records": "dq.sources.web",
    "run": "dq.pipeline",
    "execute": "dq.pipeline",
    "write_outputs": "dq.pipeline",
}

__all__ = ["__version__", *sorted(_EXPORTS)]
_load = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
