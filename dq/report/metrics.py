"""Run metrics, Deequ-style: each one a name, a few tags and a number.

:func:`collect_metrics` reads whatever tables a run produced and returns aggregates only (counts,
scores, shares), never a value from a record; a table the run did not produce yields no metric.
The same metrics go into report.json and the run history, where later runs compare with them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dq.ingest import SourceStats

if TYPE_CHECKING:
    from dq.config import Workspace

__all__ = [
    "Metric",
    "RunFacts",
    "collect_metrics",
    "config_hash",
    "metric_key",
    "overdue_actions",
    "rule_id",
    "run_facts",
]


@dataclass(frozen=True)
class Metric:
    """One measured number: ``name`` says what, ``tags`` which slice (source, rule, dimension)."""

    name: str
    tags: Mapping[str, str]
    value: float

    @property
    def key(self) -> str:
        """A stable text key for name and tags (the history's series key)."""
        return metric_key(self.name, self.tags)


def metric_key(name: str, tags: Mapping[str, str]) -> str:
    """``name{k=v,…}`` with tags sorted; ``name`` alone without tags."""
    if not tags:
        return name
    return name + "{" + ",".join(f"{k}={tags[k]}" for k in sorted(tags)) + "}"


@dataclass(frozen=True)
class RunFacts:
    """What a run was, besides its tables: when, on what, with which code and configuration."""

    as_of: date
    workspace: str = "dq workspace"
    language: str = "de"
    dq_version: str = ""
    config_hash: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    timings: Mapping[str, float] = field(default_factory=dict)
    files: Sequence[SourceStats] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO text)."""
        return {
            "as_of": self.as_of.isoformat(),
            "workspace": self.workspace,
            "language": self.language,
            "dq_version": self.dq_version,
            "config_hash": self.config_hash,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "timings": {k: float(v) for k, v in self.timings.items()},
            "files": [asdict(s) for s in self.files],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunFacts:
        """The inverse of :meth:`to_dict` (``dq report`` reads the facts back from report.json)."""

        def stamp(value: Any) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        return cls(
            as_of=date.fromisoformat(str(data["as_of"])),
            workspace=str(data.get("workspace", "dq workspace")),
            language=str(data.get("language", "de")),
            dq_version=str(data.get("dq_version", "")),
            config_hash=str(data.get("config_hash", "")),
            started_at=stamp(data.get("started_at")),
            finished_at=stamp(data.get("finished_at")),
            timings={str(k): float(v) for k, v in dict(data.get("timings", {})).items()},
            files=tuple(SourceStats(**f) for f in data.get("files", [])),
        )


def run_facts(
    workspace: Workspace,
    *,
    as_of: date,
    timings: Mapping[str, float] | None = None,
    files: Sequence[SourceStats] = (),
    started_at: datetime | None = None,
    finished_at: datetime | None = None,
) -> RunFacts:
    """The facts of a run on ``workspace``: its name, language, configuration hash, dq version."""
    from dq import __version__

    return RunFacts(
        as_of=as_of,
        workspace=workspace.project.name,
        language=workspace.project.language,
        dq_version=__version__,
        config_hash=config_hash(workspace.model_dump(mode="json", by_alias=True)),
        started_at=started_at,
        finished_at=finished_at,
        timings=dict(timings or {}),
        files=tuple(files),
    )


def config_hash(config: Mapping[str, Any] | str | Path) -> str:
    """A short hash of a configuration (a parsed mapping or a file), to tell runs apart."""
    if isinstance(config, Path):
        text = config.read_text(encoding="utf-8")
    elif isinstance(config, str):
        text = config
    else:
        text = json.dumps(config, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def rule_id(rule_set: Any, column: Any, check: Any) -> str:
    """The id a rule goes by in gates and thresholds: ``rule_set:column.check``."""
    return f"{rule_set}:{column}.{check}"


def collect_metrics(tables: Mapping[str, pd.DataFrame], facts: RunFacts) -> list[Metric]:
    """Every metric the run's tables and facts yield; sections without their table are skipped."""
    out: list[Metric] = []
    for part in (_run, _sources, _quality, _duplicates, _value, _gdpr):
        out.extend(part(tables, facts))
    return out


def overdue_actions(retention: pd.DataFrame, as_of: date) -> pd.Series:
    """Customers whose deletion or restriction was due before ``as_of`` (keep is never due)."""
    due = pd.to_datetime(retention["due_date"], errors="coerce")
    late = (retention["action"] != "keep") & (due < pd.Timestamp(as_of))
    return late.fillna(False).astype(bool)


def _m(name: str, value: float | int | np.number[Any], **tags: Any) -> Metric:
    return Metric(name, {k: str(v) for k, v in tags.items()}, float(value))


def _counts(frame: pd.DataFrame, column: str, name: str, tag: str) -> Iterator[Metric]:
    """One metric per distinct value of ``column`` (nulls counted as ``none``)."""
    counts = frame[column].value_counts(dropna=False, sort=False)
    labels = ["none" if pd.isna(v) else str(v) for v in counts.index.to_list()]
    for label, count in zip(labels, counts.to_numpy(), strict=True):
        yield _m(name, count, **{tag: label})


def _run(tables: Mapping[str, pd.DataFrame], facts: RunFacts) -> Iterator[Metric]:
    for stage, seconds in facts.timings.items():
        yield _m("stage_seconds", seconds, stage=stage)
    if facts.timings:
        yield _m("run_seconds", sum(facts.timings.values()))
    for name in ("records", "transactions", "interactions", "rejects"):
        if name in tables:
            yield _m(name, len(tables[name]))


def _sources(tables: Mapping[str, pd.DataFrame], facts: RunFacts) -> Iterator[Metric]:
    if facts.files:
        stats = pd.DataFrame([asdict(s) for s in facts.files])
        per_source = stats.groupby("source", sort=True)[
            ["rows_read", "records", "transactions", "interactions", "rejects"]
        ].sum()
        for source, row in per_source.iterrows():
            for column, value in row.items():
                yield _m(f"source_{column}", value, source=source)
        return
    # Without ingest facts (tables read back from disk) the tables still give records and rejects.
    for name in ("records", "rejects"):
        if name in tables and "source" in tables[name]:
            yield from _counts(tables[name], "source", f"source_{name}", "source")


def _quality(tables: Mapping[str, pd.DataFrame], facts: RunFacts) -> Iterator[Metric]:
    records = tables.get("records")
    if records is not None and "quality_score" in records and len(records):
        yield _m("dataset_score", round(float(records["quality_score"].mean()), 2))
    summary = tables.get("quality_summary")
    if summary is not None and len(summary):
        by_dim = summary.groupby("dimension", sort=True)[["checked", "failed"]].sum()
        for dim, row in by_dim.iterrows():
            if row["checked"] > 0:
                score = 100.0 * (row["checked"] - row["failed"]) / row["checked"]
                yield _m("dimension_score", round(score, 2), dimension=dim)
    issues = tables.get("issues")
    if issues is not None:
        yield from _counts(issues, "severity", "issues", "severity")
        keys = ["rule_set", "column", "check"]
        failed = issues.groupby(keys, observed=True, sort=True).size().reset_index(name="n")
        for rs, col, chk, count in failed.itertuples(index=False):
            yield _m("rule_failed", count, rule=rule_id(rs, col, chk))
    rules = tables.get("quality_rules")
    if rules is not None and len(rules):
        checked = rules["checked"].to_numpy(dtype=np.float64)
        passed = checked - rules["failed"].to_numpy(dtype=np.float64)
        scores = np.round(100.0 * passed / np.where(checked > 0, checked, 1.0), 2)
        scores[checked == 0] = 100.0
        ids = rules[["rule_set", "column", "check"]].astype(str).itertuples(index=False)
        for (rs, col, chk), score in zip(ids, scores, strict=True):
            yield _m("rule_score", score, rule=rule_id(rs, col, chk))
    gates = tables.get("gates")
    if gates is not None:
        yield _m("gates", len(gates))
        yield _m("gates_failed", int((~gates["passed"].astype(bool)).sum()))


def _duplicates(tables: Mapping[str, pd.DataFrame], facts: RunFacts) -> Iterator[Metric]:
    golden = tables.get("golden")
    if golden is not None:
        yield _m("golden_customers", len(golden))
        if "party_type" in golden:
            yield from _counts(golden, "party_type", "golden_customers_by_type", "party_type")
        if "record_count" in golden and len(golden):
            sizes = golden["record_count"].to_numpy(dtype=np.int64)
            yield _m("duplicate_clusters", int((sizes > 1).sum()))
            yield _m("largest_cluster", int(sizes.max()))
    contacts = tables.get("contacts")
    if contacts is not None:
        yield _m("contacts", len(contacts))
    crosswalk = tables.get("crosswalk")
    if crosswalk is not None and len(crosswalk):
        # An entity is a customer, or a contact person at one: (golden_id, contact_id).
        keys = [c for c in ("golden_id", "contact_id") if c in crosswalk]
        entities = len(crosswalk[keys].drop_duplicates())
        yield _m("duplicate_records", len(crosswalk) - entities)
        if "band" in crosswalk:
            yield from _counts(crosswalk, "band", "records_by_band", "band")
    review = tables.get("review")
    if review is not None:
        yield _m("review_pairs", len(review))


def _value(tables: Mapping[str, pd.DataFrame], facts: RunFacts) -> Iterator[Metric]:
    value = tables.get("customer_value")
    if value is None:
        return
    for column in ("abc", "lifecycle", "payment_class", "value_tier"):
        if column in value:
            yield from _counts(value, column, f"customers_by_{column}", column)
    if "revenue_12m" in value:
        revenue = pd.to_numeric(value["revenue_12m"], errors="coerce").fillna(0.0).to_numpy()
        yield _m("revenue_12m", round(float(revenue.sum()), 2))
        positive = np.sort(revenue[revenue > 0])[::-1]
        total = positive.sum()
        for share in (10, 20):
            top = max(1, int(np.ceil(len(positive) * share / 100))) if len(positive) else 0
            pct = 100.0 * positive[:top].sum() / total if total > 0 else 0.0
            yield _m("revenue_share_top", round(pct, 2), customers=f"{share}%")
    for flag in ("reorder_overdue", "prepayment_recommended"):
        if flag in value:
            yield _m(flag, int(value[flag].astype("boolean").fillna(False).sum()))


def _gdpr(tables: Mapping[str, pd.DataFrame], facts: RunFacts) -> Iterator[Metric]:
    retention = tables.get("retention")
    if retention is not None and "action" in retention:
        yield from _counts(retention, "action", "customers_by_action", "action")
        if "due_date" in retention:
            yield _m("actions_overdue", int(overdue_actions(retention, facts.as_of).sum()))
    requests = tables.get("privacy_requests")
    if requests is not None:
        yield _m("privacy_requests", len(requests))
        for column in ("type", "status"):
            if column in requests:
                yield from _counts(requests, column, f"privacy_requests_by_{column}", column)
