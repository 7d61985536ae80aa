"""What the report shows, section by section: aggregates and top-N lists built from the tables.

Everything here is small whatever the data size (counts, scores, the N largest or most urgent),
and personal values are masked with :mod:`dq.validate.masking` unless ``show_values``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dq.report.checks import Finding
from dq.report.metrics import Metric, RunFacts, overdue_actions, rule_id
from dq.report.settings import ReportSettings
from dq.validate.masking import NON_PERSONAL_COLUMNS, mask_values

__all__ = ["build_sections"]

Row = dict[str, Any]
_QUIET = ("stage_seconds", "run_seconds")  # timings change every run; not news
_SEVERITY_WEIGHT = {"error": 1.0, "warning": 0.5}


def build_sections(
    tables: Mapping[str, pd.DataFrame],
    facts: RunFacts,
    metrics: Sequence[Metric],
    previous: pd.DataFrame | None,
    findings: Sequence[Finding],
    settings: ReportSettings,
    *,
    show_values: bool = False,
) -> dict[str, Any]:
    """The report's content by section; a section whose tables are missing is ``None``."""
    trend = _Trends(previous, metrics)
    trend_note = "no_history" if previous is None else "first_run"
    n = settings.top_n
    return {
        "overview": {**_overview(tables, metrics, trend, findings, n), "note": trend_note},
        "sources": _sources(tables, facts, trend),
        "quality": _quality(tables, trend, n, show_values),
        "duplicates": _duplicates(tables, trend, n, show_values),
        "value": _value(tables, metrics, n, show_values),
        "gdpr": _gdpr(tables, facts, metrics, n),
        "facts": {**facts.to_dict(), "runs": trend.runs, "show_values": show_values},
    }


class _Trends:
    """The stored series plus this run's value, per metric key."""

    def __init__(self, previous: pd.DataFrame | None, metrics: Sequence[Metric]) -> None:
        if previous is None:
            previous = pd.DataFrame(columns=["run_id", "key", "value"])
        self.current = {m.key: m.value for m in metrics}
        self.past = {k: list(part["value"]) for k, part in previous.groupby("key", sort=False)}
        self.runs = int(previous["run_id"].nunique()) + 1 if len(previous) else 1
        last_id = previous["run_id"].max() if len(previous) else None
        last = previous[previous["run_id"] == last_id] if last_id is not None else previous
        self.last = dict(zip(last["key"], last["value"], strict=True))

    def series(self, key: str) -> list[float]:
        now = self.current.get(key)
        return self.past.get(key, []) + ([] if now is None else [now])


def _overview(
    tables: Mapping[str, pd.DataFrame],
    metrics: Sequence[Metric],
    trend: _Trends,
    findings: Sequence[Finding],
    n: int,
) -> Row:
    values = trend.current
    gates = tables.get("gates")
    failed_gates: list[Row] = []
    if gates is not None:
        failed_gates = _rows(gates[~gates["passed"].astype(bool)].head(n))
    changes = []
    for m in metrics:
        before = trend.last.get(m.key)
        if m.name in _QUIET or before is None or before == m.value:
            continue
        pct = None if before == 0 else 100.0 * (m.value - before) / abs(before)
        changes.append({"key": m.key, "before": before, "after": m.value, "pct": pct})
    changes.sort(key=lambda c: -abs(c["pct"]) if c["pct"] is not None else -np.inf)
    new = [m.key for m in metrics if m.name not in _QUIET and m.key not in trend.last]
    return {
        "passed": not failed_gates and not any(f.level == "fail" for f in findings),
        "failed_gates": failed_gates,
        "gates": None if gates is None else len(gates),
        "findings": [f.__dict__ for f in findings],
        "score": values.get("dataset_score"),
        "score_trend": trend.series("dataset_score"),
        "headline": {
            k: values[k]
            for k in ("records", "golden_customers", "contacts", "review_pairs", "rejects")
            if k in values
        },
        "issues": {
            s: values.get(f"issues{{severity={s}}}", 0.0) for s in ("error", "warning", "info")
        },
        "first_run": not trend.last,
        "changes": changes[:n],
        "changes_total": len(changes),
        "new_series": len(new) if trend.last else 0,
    }


def _sources(tables: Mapping[str, pd.DataFrame], facts: RunFacts, trend: _Trends) -> Row | None:
    rejects = tables.get("rejects")
    if not facts.files and rejects is None:
        return None
    files = [{**s.__dict__, "file": Path(s.file).name, "balanced": s.balanced} for s in facts.files]
    reasons: list[Row] = []
    if rejects is not None and len(rejects):
        frame = rejects.assign(
            file=rejects["file"].astype("string").str.rsplit("/", n=1).str[-1],
            reason=rejects["reason"].astype("string").str.slice(0, 200),
            line=pd.to_numeric(rejects["line"], errors="coerce"),
        ).sort_values("line")
        grouped = frame.groupby(["source", "file", "reason"], sort=False, dropna=False)
        reasons = [
            {
                "source": key[0],
                "file": key[1],
                "reason": key[2],
                "count": len(part),
                "lines": [int(x) for x in part["line"].dropna().head(8)],
            }
            for key, part in grouped
        ]
        reasons.sort(key=lambda r: -int(r["count"]))
    per_source = [
        {"source": k.split("=", 1)[1].rstrip("}"), "rows": v, "trend": trend.series(k)}
        for k, v in sorted(trend.current.items())
        if k.startswith("source_rows_read{")
    ]
    return {
        "files": files,
        "per_source": per_source,
        "rejects": reasons,
        "rejects_total": _len(rejects),
    }


def _quality(
    tables: Mapping[str, pd.DataFrame], trend: _Trends, n: int, show_values: bool
) -> Row | None:
    issues = tables.get("issues")
    summary = tables.get("quality_summary")
    if issues is None and summary is None:
        return None
    dims = sorted(k for k in trend.current if k.startswith("dimension_score{"))
    dimensions = [
        {
            "name": k.split("=", 1)[1].rstrip("}"),
            "score": trend.current[k],
            "trend": trend.series(k),
        }
        for k in dims
    ]
    rules: list[Row] = []
    if issues is not None and len(issues):
        keys = ["rule_set", "column", "check", "dimension", "severity"]
        counts = issues.groupby(keys, observed=True, sort=False).size().reset_index(name="failed")
        samples = _samples(issues, show_values)
        for row in counts.to_dict("records"):
            rid = rule_id(row["rule_set"], row["column"], row["check"])
            weight = _SEVERITY_WEIGHT.get(str(row["severity"]), 0.25)
            rules.append(
                {
                    **{k: str(row[k]) for k in keys},
                    "rule": rid,
                    "failed": int(row["failed"]),
                    "cost": weight * int(row["failed"]),
                    "score": trend.current.get(f"rule_score{{rule={rid}}}"),
                    "trend": trend.series(f"rule_failed{{rule={rid}}}"),
                    "samples": samples.get((row["rule_set"], row["column"], row["check"]), []),
                }
            )
        rules.sort(key=lambda r: (-r["cost"], r["rule"]))
    return {
        "dimensions": dimensions,
        "rules": rules,
        "costliest": [(r["rule"], r["cost"]) for r in rules[: min(n, 8)]],
        "summary": [] if summary is None else _rows(summary),
    }


def _samples(issues: pd.DataFrame, show_values: bool) -> dict[tuple[Any, ...], list[str]]:
    """Up to three distinct failing values per rule, masked unless ``show_values``."""
    keys = ["rule_set", "column", "check"]
    frame = issues[[*keys, "value"]].dropna(subset=["value"])
    frame = frame.astype({k: "string" for k in keys}).drop_duplicates()
    frame = frame.groupby(keys, sort=False).head(3)
    if not show_values:
        personal = ~frame["column"].isin(NON_PERSONAL_COLUMNS)
        masked = mask_values(frame["value"])
        frame = frame.assign(value=masked.where(personal, frame["value"].astype("string")))
    out: dict[tuple[Any, ...], list[str]] = {}
    for key, part in frame.groupby(keys, sort=False):
        out[key] = [str(v) for v in part["value"]]
    return out


def _display_names(frame: pd.DataFrame, show_values: bool) -> pd.Series:
    """Company name, else first and last name; masked unless ``show_values``."""
    company = _col(frame, "company_name")
    person = _col(frame, "first_name").fillna("").str.cat(_col(frame, "last_name").fillna(""), " ")
    names = company.fillna(person.str.strip().replace("", pd.NA))
    return names if show_values else mask_values(names)


def _duplicates(
    tables: Mapping[str, pd.DataFrame], trend: _Trends, n: int, show_values: bool
) -> Row | None:
    golden = tables.get("golden")
    if golden is None:
        return None
    clusters: list[Row] = []
    if "record_count" in golden and len(golden):
        big = golden[golden["record_count"] > 1].nlargest(n, "record_count")
        clusters = _rows(
            big.assign(name=_display_names(big, show_values))[
                [
                    c
                    for c in ("golden_id", "record_count", "sources", "party_type", "name")
                    if c in big or c == "name"
                ]
            ]
        )
    reasons: list[tuple[str, float]] = []
    if "merge_reason" in golden:
        merged = golden["merge_reason"].dropna().astype("string")
        reasons = [(str(k), float(v)) for k, v in merged.value_counts().head(n).items()]
    review = tables.get("review")
    pairs: list[Row] = []
    if review is not None and len(review):
        top = review.nlargest(n, "probability") if "probability" in review else review.head(n)
        weights = [c for c in top.columns if c.endswith("__weight")]
        for row in top.to_dict("records"):
            agree = sorted(((row[c], c[: -len("__weight")]) for c in weights), reverse=True)
            pairs.append(
                {
                    "left_id": row.get("left_id"),
                    "right_id": row.get("right_id"),
                    "probability": row.get("probability"),
                    "agree": [name for w, name in agree[:3] if pd.notna(w) and w > 0],
                }
            )
    funnel = [("records", float(_len(tables.get("records"))))]
    funnel.append(("golden", float(len(golden))))
    if "contacts" in tables:
        funnel.append(("contacts", float(len(tables["contacts"]))))
    return {
        "funnel": funnel,
        "trends": {
            k: trend.series(k)
            for k in ("golden_customers", "duplicate_records", "review_pairs")
            if k in trend.current
        },
        "clusters": clusters,
        "merge_reasons": reasons,
        "review_total": _len(review),
        "review_pairs": pairs,
    }


def _value(
    tables: Mapping[str, pd.DataFrame], metrics: Sequence[Metric], n: int, show_values: bool
) -> Row | None:
    value = tables.get("customer_value")
    if value is None:
        return None
    golden = tables.get("golden")
    counts = {
        column: _tagged(metrics, f"customers_by_{column}", column)
        for column in ("abc", "lifecycle", "payment_class", "value_tier")
        if column in value
    }
    shares = {m.tags["customers"]: m.value for m in metrics if m.name == "revenue_share_top"}
    return {
        "counts": counts,
        "concentration": shares,
        "revenue_12m": next((m.value for m in metrics if m.name == "revenue_12m"), None),
        "reorder_overdue": _flagged(
            value,
            golden,
            "reorder_overdue",
            "revenue_12m",
            ["reorder_due", "revenue_12m"],
            n,
            show_values,
        ),
        "prepayment": _flagged(
            value,
            golden,
            "prepayment_recommended",
            "overdue_balance",
            ["payment_class", "open_balance", "overdue_balance"],
            n,
            show_values,
        ),
    }


def _flagged(
    frame: pd.DataFrame,
    golden: pd.DataFrame | None,
    flag: str,
    order: str,
    show: list[str],
    n: int,
    show_values: bool,
) -> Row | None:
    """The ``n`` customers with ``flag`` set, largest ``order`` first, with their (masked) name."""
    if flag not in frame:
        return None
    hit = frame[frame[flag].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    top = hit.nlargest(n, order) if order in hit else hit.head(n)
    if golden is not None and "golden_id" in top:
        # Names only for the rows shown: masking is per distinct value, the list is short.
        found = golden[golden["golden_id"].isin(top["golden_id"])]
        names = found[["golden_id"]].assign(name=_display_names(found, show_values))
        top = top.merge(names, on="golden_id", how="left")
    columns = [c for c in ["golden_id", "name", *show] if c in top]
    return {"total": len(hit), "columns": columns, "rows": _rows(top[columns])}


def _gdpr(
    tables: Mapping[str, pd.DataFrame], facts: RunFacts, metrics: Sequence[Metric], n: int
) -> Row | None:
    retention = tables.get("retention")
    requests = tables.get("privacy_requests")
    if retention is None and requests is None:
        return None
    out: Row = {"actions": [], "overdue": None, "requests": None}
    if retention is not None and "action" in retention:
        out["actions"] = _tagged(metrics, "customers_by_action", "action")
        if "due_date" in retention:
            due = pd.to_datetime(retention["due_date"], errors="coerce")
            late = due[overdue_actions(retention, facts.as_of)]
            first = late.nsmallest(n).index
            rows = retention.loc[first].assign(due_date=late[first].dt.strftime("%Y-%m-%d"))
            columns = [
                c for c in ("golden_id", "action", "due_date", "rule", "legal_basis") if c in rows
            ]
            out["overdue"] = {"total": len(late), "columns": columns, "rows": _rows(rows[columns])}
    if requests is not None:
        by = [c for c in ("type", "status") if c in requests]
        if by:
            counts = requests.astype({c: "string" for c in by}).groupby(by, dropna=False).size()
            out["requests"] = [
                {
                    "key": " · ".join(str(k) for k in (key if isinstance(key, tuple) else (key,))),
                    "count": int(v),
                }
                for key, v in counts.items()
            ]
        else:
            out["requests"] = [{"key": "all", "count": len(requests)}]
    return out


def _tagged(metrics: Sequence[Metric], name: str, tag: str) -> list[tuple[str, float]]:
    """(tag value, value) of one metric's series, largest first: the counts behind a bar chart."""
    items = [(m.tags[tag], m.value) for m in metrics if m.name == name]
    return sorted(items, key=lambda item: -item[1])


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return frame[name].astype("string")
    return pd.Series(pd.NA, index=frame.index, dtype="string")


def _len(frame: pd.DataFrame | None) -> int:
    return 0 if frame is None else len(frame)


def _rows(frame: pd.DataFrame) -> list[Row]:
    """Records with JSON-friendly values (dates as ISO text, missing as None)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return [{str(k): _plain(v) for k, v in row.items()} for row in out.to_dict("records")]


def _plain(value: Any) -> Any:
    if not isinstance(value, list | tuple | np.ndarray) and pd.isna(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value
