"""The run report: metrics, run history, thresholds, and report.html/.json/.md.

``write_report(tables, facts, out_dir, store=…)`` is what ``dq run`` calls after writing its
tables; ``build_report(out_dir)`` rebuilds the report from the tables of an earlier run. Names load
on first use, so ``dq.report.settings`` (read by dq.config) stays free of pandas.
"""

from __future__ import annotations

from typing import Any

from dq._lazy import lazy_exports

# name -> module that defines it
_EXPORTS: dict[str, str] = {
    "REPORT_FILES": "dq.report.render",
    "Finding": "dq.report.checks",
    "Metric": "dq.report.metrics",
    "ReportResult": "dq.report.render",
    "ReportSettings": "dq.report.settings",
    "RunFacts": "dq.report.metrics",
    "build_report": "dq.report.rebuild",
    "check_metrics": "dq.report.checks",
    "collect_metrics": "dq.report.metrics",
    "history": "dq.report.runs",
    "load_history": "dq.report.runs",
    "one_line": "dq.report.checks",
    "render_report": "dq.report.render",
    "run_facts": "dq.report.metrics",
    "save_run": "dq.report.runs",
    "write_report": "dq.report.render",
}

__all__ = sorted(_EXPORTS)
_load = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
