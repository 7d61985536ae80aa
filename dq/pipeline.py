"""The main job: the stage list, :func:`execute` (runs it, writes nothing), :func:`write_outputs`.

A stage is a function ``(tables, context) -> StageOutput`` (see :mod:`dq.stage`): it reads the
named tables earlier stages produced and returns the tables it adds or replaces plus a small
result. Adding a stage is writing such a function and adding one line to :data:`STAGES`.
Tables whose name starts with ``_`` pass between stages and are not written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from dq.config import Workspace
from dq.enrich.stage import value_stage
from dq.gdpr.stage import retention_stage
from dq.stage import Stage, StageContext, StageOutput, Tables
from dq.store import Store, default_store_path
from dq.tables import TableFormat, write_table

__all__ = [
    "STAGES",
    "RunResult",
    "RunSummary",
    "customer_activity",
    "execute",
    "golden_stage",
    "ingest_stage",
    "match_stage",
    "run",
    "standardize_stage",
    "validate_stage",
    "web_stage",
    "write_outputs",
]


# ---------------------------------------------------------------------------------------- stages


def ingest_stage(tables: Tables, ctx: StageContext) -> StageOutput:
    """Read every file source of the workspace into the canonical tables and rejects."""
    from dq.ingest import ingest

    result = ingest(ctx.workspace)
    tables = result.tables()
    # raw values that could not be parsed: they reach the output only masked, as issues;
    # privacy requests identify people: they reach the output only as their match results
    tables["_parse_issues"] = tables.pop("parse_issues")
    if "requests" in tables:
        tables["_requests"] = tables.pop("requests")
    return StageOutput(tables=tables, result=result)


def standardize_stage(tables: Tables, ctx: StageContext) -> StageOutput:
    """Standardise the records (raw values kept in ``<column>_raw``, flags added)."""
    from dq.standardize import standardize_records

    result = standardize_records(
        tables["records"],
        default_country=ctx.workspace.default_country,
        null_placeholders=ctx.workspace.standardize.null_placeholders,
    )
    return StageOutput(
        tables={"records": result.records, "standardize_summary": result.summary}, result=result
    )


def web_stage(tables: Tables, ctx: StageContext) -> StageOutput:
    """Crawl the websites of the records of every ``connector: website`` source's ``records_of``.

    Found sites become canonical records of that source; nothing happens without such a source.
    """
    sources = [s for s in ctx.workspace.sources if s.is_website]
    if not sources:
        return StageOutput()
    from dq.sources.web import enrich_web, web_records  # httpx loads only when a site is crawled

    records = tables["records"]
    sites: list[pd.DataFrame] = []
    for source in sources:
        targets = records[records["source"] == source.records_of]
        crawled = enrich_web(targets, ctx.workspace.web, store=ctx.store)
        found = web_records(crawled.sites, source=source.name)
        sites.append(crawled.sites)
        if len(found):
            shared = [c for c in found.columns if c in records.columns]
            found = found.astype({c: records[c].dtype for c in shared})  # one dtype per column
            records = pd.concat([records, found], ignore_index=True)
    return StageOutput(tables={"records": records, "web_sites": _concat(sites)})


@dataclass
class ValidationOutcome:
    """The validation results per table kind (``records``, ``transactions``)."""

    results: dict[str, Any]

    @property
    def dataset_score(self) -> float:
        """The records' dataset quality score (0–100)."""
        return float(self.results["records"].dataset_score)

    @property
    def dimension_scores(self) -> dict[str, float]:
        """The records' score per quality dimension."""
        return dict(self.results["records"].dimension_scores)


def validate_stage(tables: Tables, ctx: StageContext) -> StageOutput:
    """Apply the rule sets to records (and transactions): issues, summary, gates, scores.

    Values the readers could not parse (``_parse_issues``) join the issues (dimension ``parse``).
    """
    from dq.validate import default_rule_sets, validate, with_parse_issues

    settings = ctx.workspace.validate_
    common = {"settings": settings, "as_of": ctx.as_of.isoformat(), "show_values": ctx.show_values}
    results = {"records": validate(tables["records"], **common)}  # type: ignore[arg-type]
    parse_issues = tables.get("_parse_issues")
    if parse_issues is not None:
        results["records"] = with_parse_issues(
            results["records"], parse_issues, show_values=ctx.show_values
        )
    transactions = tables.get("transactions")
    if transactions is not None and len(transactions):
        results["transactions"] = validate(
            transactions,
            default_rule_sets("transactions"),
            **common,  # type: ignore[arg-type]
        )
    checked = list(results.values())
    return StageOutput(
        tables={
            "records": results["records"].records,
            "issues": _concat([v.issues for v in checked]),
            "quality_summary": _concat([v.summary for v in checked]),
            "gates": _concat([v.gates for v in checked]),
            "quality_rules": _concat([v.rules for v in checked]),
        },
        result=ValidationOutcome(results),
    )


def match_stage(tables: Tables, ctx: StageContext) -> StageOutput:
    """Score, decide and cluster the records into customers.

    Contact records (persons who name their company) take part only with what they say about
    their company, and a ``company_ref`` links them to the referenced company record. The
    pair work runs on the engine ``match.engine`` names (local or spark).
    """
    from dq.golden.contacts import company_ref_links, company_view, contact_mask
    from dq.match.engines.choose import engine_for
    from dq.match.reasons import cluster_reasons
    from dq.match.run import link_records

    settings = ctx.workspace.match.matching()
    engine = engine_for(settings)
    records = tables["records"].reset_index(drop=True)
    contacts = contact_mask(records)
    companies_of = {s.name: s.companies_of for s in ctx.workspace.sources if s.companies_of}
    links = company_ref_links(records, contacts, companies_of)
    linked = link_records(
        company_view(records, contacts),
        settings=settings,
        store=ctx.store,
        decisions=links if len(links) else None,
        engine=engine,
    )
    clusters = pd.DataFrame(
        {
            "record_id": records["record_id"].astype("string").array,
            "cluster": linked.labels,
            "contact": contacts,
        }
    )
    reasons = cluster_reasons(
        linked.pairs, linked.model.comparisons, clusters["record_id"], linked.labels
    )
    clusters["reason"] = reasons.reindex(linked.labels).array
    return StageOutput(
        tables={"review": linked.review, "_pairs": linked.pairs, "_clusters": clusters},
        result=linked,
    )


@dataclass
class GoldenOutcome:
    """Counts of the golden stage: customers, contacts, and the ID changes of this run."""

    customers: int
    contacts: int
    contact_records: int
    id_events: dict[str, int]


def golden_stage(tables: Tables, ctx: StageContext) -> StageOutput:
    """Golden customers and their contacts; every record, booking and note follows its customer.

    Survivorship runs on the engine ``match.engine`` names (on Spark per bucket of whole
    clusters); golden IDs, contacts and the crosswalk are made here.
    """
    from dq.checks import CUSTOMER_ACTIVITY_COLUMN
    from dq.golden.build import build_golden
    from dq.golden.contacts import build_contacts, company_view
    from dq.golden.crosswalk import best_links, follow_records, make_crosswalk
    from dq.golden.survivorship import survive
    from dq.match.engines.choose import engine_for

    records = tables["records"].reset_index(drop=True)
    clusters = tables["_clusters"]
    pairs = tables["_pairs"]
    if not records["record_id"].astype("string").equals(clusters["record_id"].astype("string")):
        raise AssertionError("golden stage: clusters are not aligned with the records")
    labels = clusters["cluster"].to_numpy()
    contacts = clusters["contact"].to_numpy(dtype=bool)
    settings = ctx.workspace.golden_settings
    engine = engine_for(ctx.workspace.match.matching())  # the match stage's (session reused)

    built = build_golden(
        company_view(records, contacts),
        labels,
        settings=settings,
        store=ctx.store,
        survivor=survive if engine is None else engine.survive,
    )
    golden = built.golden
    reasons = pd.Series(clusters["reason"].array, index=labels).groupby(level=0).first()
    golden.insert(1, "merge_reason", reasons.reindex(built.golden_labels).to_numpy())
    people = build_contacts(records, contacts, built.golden_ids, store=ctx.store)

    crosswalk = make_crosswalk(
        records["record_id"],
        built.golden_ids,
        best_links(pairs, records["record_id"]),
        records["source"],
    )
    crosswalk.insert(2, "contact_id", people.contact_ids.to_numpy())
    crosswalk.insert(3, "role", pd.Series(["customer"] * len(crosswalk), dtype="string"))
    crosswalk.loc[contacts, "role"] = "contact"

    out = {
        "golden": golden,
        "contacts": people.contacts,
        "crosswalk": crosswalk,
        "records": follow_records(records, crosswalk),
    }
    for name in ("transactions", "interactions"):
        if name in tables:
            out[name] = follow_records(tables[name], crosswalk)
    out["records"][CUSTOMER_ACTIVITY_COLUMN] = customer_activity(
        out["records"], out.get("transactions"), out.get("interactions")
    )
    result = GoldenOutcome(
        customers=len(golden),
        contacts=len(people.contacts),
        contact_records=int(contacts.sum()),
        id_events=built.assignment.counts(),
    )
    return StageOutput(tables=out, result=result)


def customer_activity(
    records: pd.DataFrame,
    transactions: pd.DataFrame | None,
    interactions: pd.DataFrame | None,
) -> pd.Series:
    """Per record, its customer's latest activity: the latest ``last_activity_at`` of the
    customer's records, booking date or note date (all carrying ``golden_id``)."""
    dated = [records[["golden_id", "last_activity_at"]].set_axis(["golden_id", "at"], axis=1)]
    for frame, column in ((transactions, "doc_date"), (interactions, "date")):
        if frame is not None and len(frame) and "golden_id" in frame.columns:
            dated.append(frame[["golden_id", column]].set_axis(["golden_id", "at"], axis=1))
    both = pd.concat(dated, ignore_index=True)
    both["at"] = pd.to_datetime(both["at"], errors="coerce")
    latest = both.dropna().groupby("golden_id")["at"].max()
    return records["golden_id"].map(latest).astype("datetime64[ns]")


#: The main job, in order. A stage reads only what the stages before it produced. Validation
#: comes after the customers are known, so timeliness looks at the customer, not one record.
STAGES: list[tuple[str, Stage]] = [
    ("ingest", ingest_stage),
    ("standardize", standardize_stage),
    ("web", web_stage),
    ("match", match_stage),
    ("golden", golden_stage),
    ("validate", validate_stage),
    ("value", value_stage),
    ("retention", retention_stage),
]


# --------------------------------------------------------------------------------------- running


@dataclass
class RunSummary:
    """What a person wants to read after a run, built from the run's tables and stage results."""

    as_of: date
    sources: list[Any]  # dq.ingest.SourceStats per file
    standardized: list[tuple[str, int, int, int]]  # column, changed, invalid, unchanged
    dataset_score: float | None
    dimension_scores: dict[str, float]
    errors: int
    warnings: int
    records: int
    customers: int
    contacts: int
    contact_records: int
    review_pairs: int
    failed_gates: int
    headlines: list[str]
    timings: dict[str, float]
    written: dict[str, tuple[Path, int | None]]


@dataclass
class RunResult:
    """What a run produced: tables by name, stage results by name, timings, written files."""

    tables: dict[str, pd.DataFrame]
    stages: dict[str, Any]
    timings: dict[str, float]
    as_of: date
    written: dict[str, Path] = field(default_factory=dict)
    report: Any = None  # dq.report.ReportResult once the run's report is written
    facts: Any = None  # dq.report.RunFacts of that report

    @property
    def failed_gates(self) -> pd.DataFrame:
        """Quality gates that failed, over every validated table (empty: none)."""
        gates = self.tables.get("gates")
        if gates is None:
            return pd.DataFrame(columns=["gate", "observed", "limit", "passed"])
        return gates[~gates["passed"].astype(bool)]

    @property
    def dataset_score(self) -> float | None:
        """The records' dataset quality score (0–100), if the run validated."""
        outcome = self.stages.get("validate")
        return outcome.dataset_score if outcome is not None else None

    @property
    def summary(self) -> RunSummary:
        """The run in figures, for the CLI and reports."""
        tables, stages = self.tables, self.stages
        ingested = stages.get("ingest")
        std = tables.get("standardize_summary")
        changed = pd.DataFrame() if std is None else std[std["changed"] > 0]
        issues = tables.get("issues")
        severity = issues["severity"].value_counts() if issues is not None else pd.Series()
        golden = stages.get("golden")
        validated = stages.get("validate")
        return RunSummary(
            as_of=self.as_of,
            sources=list(ingested.stats) if ingested is not None else [],
            standardized=_standardized(changed),
            dataset_score=self.dataset_score,
            dimension_scores=validated.dimension_scores if validated is not None else {},
            errors=int(severity.get("error", 0)),
            warnings=int(severity.get("warning", 0)),
            records=len(tables.get("records", ())),
            customers=golden.customers if golden is not None else 0,
            contacts=golden.contacts if golden is not None else 0,
            contact_records=golden.contact_records if golden is not None else 0,
            review_pairs=len(tables.get("review", ())),
            failed_gates=len(self.failed_gates),
            headlines=[
                str(r.headline()) for r in stages.values() if callable(getattr(r, "headline", None))
            ],
            timings=dict(self.timings),
            written={
                name: (path, len(tables[name]) if name in tables else None)
                for name, path in self.written.items()
            },
        )


def execute(
    workspace: Workspace,
    *,
    as_of: date | str | None = None,
    store: Store | None = None,
    show_values: bool = False,
    stages: Sequence[tuple[str, Stage]] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> RunResult:
    """Run ``stages`` (default :data:`STAGES`) on ``workspace``; return every table, write nothing.

    ``as_of`` is the day date rules and periods compare with (default: ``project.as_of`` of the
    workspace, else today). Without a ``store`` the run is read-only: no golden-ID registry
    update, no stored decisions read, no web cache. ``show_values`` leaves personal values
    unmasked in the issues table.
    """
    if workspace.match.engine == "spark":
        from dq.match.engines.choose import require_spark

        require_spark()  # before any work, not after standardising a million records
    day = _as_date(as_of) or workspace.project.as_of or date.today()
    ctx = StageContext(workspace=workspace, as_of=day, store=store, show_values=show_values)
    tables: dict[str, pd.DataFrame] = {}
    results: dict[str, Any] = {}
    timings: dict[str, float] = {}
    for name, stage in STAGES if stages is None else stages:
        if on_stage is not None:
            on_stage(name)
        started = time.perf_counter()
        output = stage(tables, ctx)
        timings[name] = time.perf_counter() - started
        tables.update(output.tables)
        if output.result is not None:
            results[name] = output.result
    return RunResult(tables=tables, stages=results, timings=timings, as_of=day)


def write_outputs(result: RunResult, out_dir: Path, fmt: TableFormat = "parquet") -> RunResult:
    """Write every public table of ``result`` (and the matching model) into ``out_dir``."""
    started = time.perf_counter()
    for name, frame in result.tables.items():
        if not name.startswith("_"):
            result.written[name] = write_table(frame, out_dir, name, fmt)
    linked = result.stages.get("match")
    if linked is not None:
        path = out_dir / "model.json"
        path.write_text(linked.model.to_json(), encoding="utf-8")
        result.written["model"] = path
    result.timings["write"] = time.perf_counter() - started
    return result


def run(
    workspace: Workspace,
    out_dir: Path,
    *,
    fmt: TableFormat = "parquet",
    as_of: date | str | None = None,
    show_values: bool = False,
    state: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> RunResult:
    """The main job: :func:`execute` with the workspace's state database, write every table,
    then the run report (report.html/.json/.md, compared with and added to the run history).

    ``state`` is the state database (golden-ID registry, review decisions, web cache), by default
    ``<workspace>/.dq/state.sqlite``.
    """
    from dq.report import run_facts, write_report

    started = datetime.now(UTC)
    with Store(state or default_store_path(workspace.root)) as store:
        result = execute(
            workspace, as_of=as_of, store=store, show_values=show_values, on_stage=on_stage
        )
        write_outputs(result, out_dir, fmt)
        ingested = result.stages.get("ingest")
        facts = run_facts(
            workspace,
            as_of=result.as_of,
            timings=result.timings,
            files=ingested.stats if ingested is not None else (),
            started_at=started,
            finished_at=datetime.now(UTC),
        )
        result.facts = facts
        result.report = write_report(
            result.tables,
            facts,
            out_dir,
            store=store,
            show_values=show_values,
            settings=workspace.report,
        )
        result.written.update(result.report.paths)
    return result


def _as_date(value: date | str | None) -> date | None:
    """A day given as a date or as ISO text ("2026-06-30")."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        from dq.errors import ConfigError

        raise ConfigError(None, [f"as_of: {value!r} is not a date (YYYY-MM-DD)"]) from None


def _standardized(changed: pd.DataFrame) -> list[tuple[str, int, int, int]]:
    if not len(changed):
        return []
    rows = changed[["column", "changed", "invalid", "unchanged"]].itertuples(index=False)
    return [(str(c), int(a), int(i), int(u)) for c, a, i, u in rows]


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack tables of the same shape; empty ones are left out so dtypes come from real rows."""
    filled = [f for f in frames if len(f)]
    return pd.concat(filled, ignore_index=True) if filled else frames[0]
