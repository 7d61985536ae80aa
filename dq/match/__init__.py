"""Matching: blocking, comparisons, the Fellegi–Sunter model, scoring and explanations.

The entry points: :func:`match_records` (records in; golden records, crosswalk and review queue
out), :func:`evaluate` (accuracy against ground truth), :func:`import_decisions` (a reviewed
file into the workspace) and :func:`follow_records` (transactions/interactions to golden IDs).
"""

from dq.golden.crosswalk import follow_records
from dq.match.evaluate import Metrics, evaluate
from dq.match.review import import_decisions, load_decisions
from dq.match.run import MatchResult, match_records

__all__ = [
    "MatchResult",
    "Metrics",
    "evaluate",
    "follow_records",
    "import_decisions",
    "load_decisions",
    "match_records",
]
