"""The main job: run every stage on a workspace and write the outputs.

Stages are plain functions from DataFrames to DataFrames; this module only wires them together,
times them and writes their tables. Order: ingest → standardise → web (sources with
``connector: website``) → validate → match (golden records; transactions and interactions follow
their records to the golden record).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dq.config import Workspace
from dq.golden.crosswalk import follow_records
from dq.ingest import IngestResult, ingest
from dq.match import MatchResult, match_records
from dq.standardize import standardize_records
from dq.store import Store, default_store_path
from dq.tables import TableFormat, write_table
from dq.validate import ValidationResult, default_rule_sets, validate, with_parse_issues

__all__ = ["RunResult", "run"]


@dataclass
class RunResult:
    """What a run produced: the tables by name, where they were written, and stage timings."""

    out_dir: Path
    ingest: IngestResult
    standardize_summary: pd.DataFrame
    validation: list[ValidationResult]
    match: MatchResult
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    written: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed_gates(self) -> pd.DataFrame:
        """Quality gates that failed, over every validated table."""
        frames = [v.failed_gates for v in self.validation if len(v.failed_gates)]
        return pd.concat(frames, ignore_index=True) if frames else self.validation[0].failed_gates

    @property
    def dataset_score(self) -> float:
        """The records' dataset quality score (0–100)."""
        return self.validation[0].dataset_score


def run(
    workspace: Workspace,
    out_dir: Path,
    *,
    fmt: TableFormat = "parquet",
    as_of: str | None = None,
    show_values: bool = False,
    state: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> RunResult:
    """Run all stages on ``workspace`` and write every output table into ``out_dir``.

    ``as_of`` fixes the day date rules compare with (default: today); ``show_values`` leaves
    personal values unmasked in the issues table; ``state`` is the state database (golden-ID
    registry, review decisions, web cache), by default ``<workspace>/.dq/state.sqlite``.
    """
    state = state or default_store_path(workspace.root)
    timings: dict[str, float] = {}

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if on_stage is not None:
            on_stage(name)
        started = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - started

    with stage("ingest"):
        ingested = ingest(workspace)
    with stage("standardize"):
        standardized = standardize_records(
            ingested.records,
            default_country=workspace.default_country,
            null_placeholders=workspace.standardize.null_placeholders,
        )
    records = standardized.records
    web_sites: list[pd.DataFrame] = []
    for source in (s for s in workspace.sources if s.is_website):
        with stage(f"web:{source.name}"):
            sites, found = _crawl(workspace, state, source.name, source.records_of or "", records)
        web_sites.append(sites)
        records = pd.concat([records, found], ignore_index=True) if len(found) else records
    with stage("validate"):
        settings = workspace.validate_
        checked = [validate(records, settings=settings, as_of=as_of, show_values=show_values)]
        checked[0] = with_parse_issues(checked[0], ingested.parse_issues, show_values=show_values)
        if len(ingested.transactions):
            checked.append(
                validate(
                    ingested.transactions,
                    default_rule_sets("transactions"),
                    settings=settings,
                    as_of=as_of,
                    show_values=show_values,
                )
            )

    with stage("match"), Store(state) as store:
        matched = match_records(
            checked[0].records,
            settings=workspace.match.matching(),
            golden=workspace.golden_settings,
            store=store,
        )

    tables = {
        "records": follow_records(checked[0].records, matched.crosswalk),
        "transactions": follow_records(ingested.transactions, matched.crosswalk),
        "interactions": follow_records(ingested.interactions, matched.crosswalk),
        "rejects": ingested.rejects,
        "standardize_summary": standardized.summary,
        "issues": _concat([v.issues for v in checked]),
        "quality_summary": _concat([v.summary for v in checked]),
        "gates": _concat([v.gates for v in checked]),
        "golden": matched.golden,
        "crosswalk": matched.crosswalk,
        "review": matched.review,
    }
    if web_sites:
        tables["web_sites"] = _concat(web_sites)
    with stage("write"):
        written = {name: write_table(frame, out_dir, name, fmt) for name, frame in tables.items()}
        written["model"] = out_dir / "model.json"
        written["model"].write_text(matched.model.to_json(), encoding="utf-8")
    return RunResult(
        out_dir, ingested, standardized.summary, checked, matched, tables, written, timings
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack tables of the same shape; empty ones are left out so dtypes come from real rows."""
    filled = [f for f in frames if len(f)]
    return pd.concat(filled, ignore_index=True) if filled else frames[0]


def _crawl(
    workspace: Workspace, state: Path, name: str, records_of: str, records: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Crawl the websites of ``records_of``'s records; (sites table, canonical web records)."""
    from dq.sources.web import enrich_web, web_records  # httpx loads only when a site is crawled

    targets = records[records["source"] == records_of]
    with Store(state) as store:
        result = enrich_web(targets, workspace.web, store=store)
    return result.sites, web_records(result.sites, source=name)
