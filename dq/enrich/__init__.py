"""Enrichment of golden customers: customer value from bookings and the sales dialogue.

:func:`customer_value` is the pure function, :func:`value_stage` the pipeline stage and
:func:`value_from_tables` what ``dq value`` runs. Names load lazily so that reading dq.yaml
(which imports :mod:`dq.enrich.settings`) pulls in no pandas.
"""

from __future__ import annotations

from typing import Any

from dq._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "HEADLINE_COLUMNS": "dq.enrich.stage",
    "VALUE_COLUMNS": "dq.enrich.value",
    "ValueCounts": "dq.enrich.value",
    "ValueResult": "dq.enrich.stage",
    "ValueSettings": "dq.enrich.settings",
    "compute_value": "dq.enrich.value",
    "customer_value": "dq.enrich.value",
    "value_from_tables": "dq.enrich.tables",
    "value_stage": "dq.enrich.stage",
}

__all__ = sorted(_EXPORTS)
_load = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
