"""Golden records: survivorship per field with lineage, and golden IDs that stay stable.

``build_golden`` turns clustered records into one golden record per cluster; the registry in
the workspace database (:mod:`dq.golden.registry`) keeps ``golden_id`` stable across runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dq._lazy import lazy_exports

if TYPE_CHECKING:
    from dq.golden.build import GoldenResult as GoldenResult
    from dq.golden.build import build_golden as build_golden
    from dq.golden.crosswalk import best_links as best_links
    from dq.golden.crosswalk import follow_records as follow_records
    from dq.golden.crosswalk import make_crosswalk as make_crosswalk
    from dq.golden.registry import IdAssignment as IdAssignment
    from dq.golden.registry import stable_golden_ids as stable_golden_ids
    from dq.golden.settings import GoldenSettings as GoldenSettings
    from dq.golden.survivorship import survive as survive

_EXPORTS: dict[str, str] = {
    "GoldenResult": "dq.golden.build",
    "build_golden": "dq.golden.build",
    "best_links": "dq.golden.crosswalk",
    "follow_records": "dq.golden.crosswalk",
    "make_crosswalk": "dq.golden.crosswalk",
    "IdAssignment": "dq.golden.registry",
    "stable_golden_ids": "dq.golden.registry",
    "GoldenSettings": "dq.golden.settings",
    "survive": "dq.golden.survivorship",
}
__all__ = sorted(_EXPORTS)
_load = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
