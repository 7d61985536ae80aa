"""Enrichment of golden customers: customer value from bookings and the sales dialogue.

:func:`customer_value` is the pure function, :func:`value_stage` the pipeline stage and
:func:`value_from_tables` what ``dq value`` runs. Names load lazily so that reading dq.yaml
(which imports :mod:`dq.enrich.settings`) pulls in no pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dq.enrich' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
