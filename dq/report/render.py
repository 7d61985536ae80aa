"""Write the run report: report.html (one self-contained file), report.json and report.md.

:func:`write_report` is the one function ``dq run`` calls after writing its tables: it measures
the run (:mod:`dq.report.metrics`), compares with the stored history (:mod:`dq.report.checks`),
renders, and stores this run's metrics for the next one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dq.report.checks import Finding, check_metrics, failed
from dq.report.content import build_sections
from dq.report.metrics import Metric, RunFacts, collect_metrics
from dq.report.runs import HISTORY_COLUMNS, load_history, save_run
from dq.report.settings import ReportSettings
from dq.report.svg import bars, sparkline
from dq.store import Store

__all__ = ["REPORT_FILES", "ReportResult", "render_report", "write_report"]

REPORT_FILES = ("report.html", "report.json", "report.md")
_FALLBACK = "en"
_EMPTY = pd.DataFrame(columns=HISTORY_COLUMNS)


@dataclass
class ReportResult:
    """What :func:`write_report` produced: files, metrics, findings and the stored run's id."""

    paths: dict[str, Path] = field(default_factory=dict)
    metrics: list[Metric] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    run_id: int | None = None

    @property
    def failed(self) -> bool:
        """Whether a threshold or change check at level ``fail`` was hit."""
        return failed(self.findings)


def write_report(
    tables: Mapping[str, pd.DataFrame],
    facts: RunFacts,
    out_dir: Path,
    *,
    store: Store | None = None,
    show_values: bool = False,
    settings: ReportSettings | None = None,
    record: bool = True,
) -> ReportResult:
    """Measure the run, check it, write report.html/.json/.md into ``out_dir``; with a ``store``
    compare with the stored runs and (``record``) store this one; without: no history kept."""
    settings = settings or ReportSettings()
    metrics = collect_metrics(tables, facts)
    previous = (
        load_history(store, settings.trend_runs, before=facts.finished_at)
        if store is not None
        else None
    )
    findings = check_metrics(metrics, _EMPTY if previous is None else previous, settings)
    texts = render_report(
        tables, facts, metrics, previous, findings, settings, show_values=show_values
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in texts.items():
        paths[name] = out_dir / name
        paths[name].write_text(text, encoding="utf-8")
    run_id = save_run(store, facts, metrics) if store is not None and record else None
    return ReportResult(paths, metrics, findings, run_id)


def render_report(
    tables: Mapping[str, pd.DataFrame],
    facts: RunFacts,
    metrics: Sequence[Metric],
    previous: pd.DataFrame | None,
    findings: Sequence[Finding],
    settings: ReportSettings,
    *,
    show_values: bool = False,
) -> dict[str, str]:
    """The three report files' text by file name; writes nothing. ``previous`` is the stored
    history (empty on a first run), None when the run keeps no history (read-only)."""
    sections = build_sections(
        tables, facts, metrics, previous, findings, settings, show_values=show_values
    )
    labels = _labels(facts.language)
    lang = facts.language if facts.language in _data("labels") else _FALLBACK
    context = {
        "s": sections,
        "t": labels,
        "lang": lang,
        "hints": _hints(lang),
        "verdict": sections["overview"]["passed"],
    }
    document = {
        "facts": facts.to_dict(),
        "passed": sections["overview"]["passed"],
        "findings": [asdict(f) for f in findings],
        "metrics": [{"name": m.name, "tags": dict(m.tags), "value": m.value} for m in metrics],
    }
    return {
        "report.html": _env(lang, html=True).get_template("report.html.j2").render(context),
        "report.json": json.dumps(document, ensure_ascii=False, indent=1) + "\n",
        "report.md": _env(lang, html=False).get_template("report.md.j2").render(context),
    }


@cache
def _data(name: str) -> dict[str, dict[str, str]]:
    """A YAML table shipped in dq/report/data: labels or hints, by key and language."""
    text = resources.files("dq.report").joinpath(f"data/{name}.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


def _labels(language: str) -> dict[str, str]:
    """Labels in ``language``, English where a key or the language is missing."""
    every = _data("labels")
    return {**every[_FALLBACK], **every.get(language, {})}


def _hints(language: str) -> dict[str, str]:
    """The fix hint per check in ``language`` (``default`` for checks without one)."""
    return {check: t.get(language) or t[_FALLBACK] for check, t in _data("hints").items()}


def _number(value: Any, digits: int, lang: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    text = f"{float(value):,.{digits}f}"
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _finding_text(finding: Mapping[str, Any], labels: Mapping[str, str], lang: str) -> str:
    """A finding as a sentence in the report's language (``message`` is the English one)."""
    kind = finding["kind"]
    runs = int(finding["runs"])
    # The median of a single run is that run's value.
    against = labels["against_median"].format(runs=runs) if runs > 1 else labels["against_last"]
    change = finding["change_pct"]
    return labels[f"finding_{kind}"].format(
        key=finding["key"],
        value=_number(finding["value"], 0 if float(finding["value"]).is_integer() else 2, lang),
        limit=_number(finding["limit"], 0 if float(finding["limit"]).is_integer() else 2, lang),
        base=_number(finding["base"], 0 if float(finding["base"] or 0).is_integer() else 2, lang),
        pct=_number(abs(change) if change is not None else None, 1, lang),
        against=against,
        level=labels[f"level_{finding['level']}"],
    )


@cache
def _env(lang: str, *, html: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("dq.report", "templates"),
        autoescape=select_autoescape(["j2"]) if html else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["int"] = lambda v: _number(v, 0, lang)
    env.filters["num"] = lambda v, d=1: _number(v, d, lang)
    env.filters["val"] = lambda v: _number(v, 0 if float(v).is_integer() else 2, lang)
    env.filters["md"] = lambda v: str(v).replace("|", "\\|").replace("<", "&lt;")
    env.filters["finding"] = lambda f: _finding_text(f, _labels(lang), lang)
    env.globals.update(sparkline=sparkline, bars=bars)
    return env
