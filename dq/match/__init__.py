"""Matching: blocking, comparisons, the Fellegi–Sunter model, scoring and explanations.

The entry points: :func:`match_records` (records in; golden records, crosswalk and review queue
out), :func:`evaluate` (accuracy against ground truth), :func:`import_decisions` (a reviewed
file into the workspace) and :func:`follow_records` (transactions/interactions to golden IDs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dq._lazy import lazy_exports

if TYPE_CHECKING:
    from dq.golden.crosswalk import follow_records as follow_records
    from dq.match.accuracy import Metrics as Metrics
    from dq.match.accuracy import evaluate as evaluate
    from dq.match.review import import_decisions as import_decisions
    from dq.match.review import load_decisions as load_decisions
    from dq.match.run import MatchResult as MatchResult
    from dq.match.run import match_records as match_records

_EXPORTS: dict[str, str] = {
    "MatchResult": "dq.match.run",
    "Metrics": "dq.match.accuracy",
    "evaluate": "dq.match.accuracy",
    "follow_records": "dq.golden.crosswalk",
    "import_decisions": "dq.match.review",
    "load_decisions": "dq.match.review",
    "match_records": "dq.match.run",
}
__all__ = sorted(_EXPORTS)
_load = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
