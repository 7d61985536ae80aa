"""Report size and render time at 1,000,000 records, on tables synthesised with numpy.

Builds the tables a large run would hand to the report (records, rejects, issues, quality
summary and rules, gates, golden, crosswalk, contacts, review, customer_value, retention,
privacy_requests) without running the pipeline, then times ``write_report`` three times against
one state database so that the third report carries a three-point trend. Printed: seconds per
report (metrics + history + rendering + writing), the size of report.html/.json/.md, peak memory.

    nice -n 10 python benchmarks/bench_report.py [--records 1000000] [--out /tmp/bench-report]
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from dq.ingest import SourceStats
from dq.report import RunFacts, write_report
from dq.store import Store

SOURCES = np.array(["datev", "salesforce", "hubspot", "shop"])
RULES = [
    ("records", "email", "email_valid", "validity", "error"),
    ("records", "iban", "iban_valid", "validity", "error"),
    ("records", "phone", "phone_valid", "validity", "warning"),
    ("records", "mobile", "phone_valid", "validity", "warning"),
    ("records", "postcode", "postcode_valid", "validity", "error"),
    ("records", "last_activity_at", "not_older_than_days", "timeliness", "warning"),
    ("company", "vat_id", "vat_id_valid", "validity", "error"),
    ("company", "company_name", "not_blank", "completeness", "error"),
    ("company", "legal_form", "legal_form_known", "validity", "warning"),
    ("person", "last_name", "not_blank", "completeness", "error"),
    ("person", "salutation", "salutation_known", "validity", "warning"),
    ("company", "email", "email_domain_matches_website", "consistency", "warning"),
]


def _strings(prefix: str, ids: np.ndarray) -> pd.Series:
    return pd.Series(np.char.add(prefix, ids.astype(str)), dtype="string")


def synthesise(n: int, seed: int = 7) -> tuple[dict[str, pd.DataFrame], list[SourceStats]]:
    """Tables shaped like a run's outputs for ``n`` records (values random, shapes realistic)."""
    rng = np.random.default_rng(seed)
    ids = np.arange(n)
    source = SOURCES[rng.integers(0, len(SOURCES), n)]
    record_id = pd.Series(np.char.add(np.char.add(source.astype(str), ":"), ids.astype(str)))
    records = pd.DataFrame(
        {
            "record_id": record_id.astype("string"),
            "source": pd.Series(source, dtype="string"),
            "quality_score": np.round(rng.beta(20, 1, n) * 100, 1),
        }
    )
    n_golden = int(n * 0.7)
    golden_of = np.sort(rng.integers(0, n_golden, n))
    golden_ids = _strings("G", np.arange(n_golden))
    sizes = np.bincount(golden_of, minlength=n_golden)
    party = np.where(rng.random(n_golden) < 0.8, "company", "person")
    golden = pd.DataFrame(
        {
            "golden_id": golden_ids,
            "record_count": sizes,
            "sources": pd.Series(SOURCES[rng.integers(0, 4, n_golden)], dtype="string"),
            "party_type": pd.Series(party, dtype="string"),
            "company_name": _strings("Firma Beispiel ", np.arange(n_golden)).where(
                party == "company"
            ),
            "first_name": pd.Series("Erika", index=range(n_golden), dtype="string"),
            "last_name": _strings("Muster", np.arange(n_golden)),
            "merge_reason": pd.Series(
                np.array(["single record", "vat_id", "name+address", "email", "phone"])[
                    np.minimum(sizes - 1, 1) * rng.integers(1, 5, n_golden)
                ],
                dtype="string",
            ),
        }
    )
    crosswalk = pd.DataFrame(
        {
            "record_id": records["record_id"],
            "golden_id": golden_ids.to_numpy()[golden_of],
            "contact_id": pd.Series(pd.NA, index=range(n), dtype="string"),
            "band": pd.Series(np.where(sizes[golden_of] > 1, "match", "non-match"), dtype="string"),
        }
    )
    n_issues = int(n * 0.3)
    which = rng.integers(0, len(RULES), n_issues)
    rules = pd.DataFrame(RULES, columns=["rule_set", "column", "check", "dimension", "severity"])
    issues = rules.iloc[which].reset_index(drop=True).astype("category")
    issues["record_id"] = records["record_id"].to_numpy()[rng.integers(0, n, n_issues)]
    issues["value"] = pd.Series(
        np.char.add("x***", rng.integers(0, 99, n_issues).astype(str)), dtype="string"
    )
    counts = np.bincount(which, minlength=len(RULES))
    quality_rules = rules.assign(checked=n, failed=counts)
    summary = quality_rules.groupby(["column", "dimension"], as_index=False)[
        ["checked", "failed"]
    ].sum()
    n_review = n // 20
    review = pd.DataFrame(
        {
            "left_id": records["record_id"].to_numpy()[rng.integers(0, n, n_review)],
            "right_id": records["record_id"].to_numpy()[rng.integers(0, n, n_review)],
            "probability": rng.random(n_review),
            "name_core__weight": rng.normal(2, 3, n_review),
            "address__weight": rng.normal(1, 3, n_review),
            "email__weight": rng.normal(0, 3, n_review),
        }
    )
    revenue = np.where(rng.random(n_golden) < 0.6, rng.lognormal(7, 1.5, n_golden), 0.0)
    value = pd.DataFrame(
        {
            "golden_id": golden_ids,
            "revenue_12m": revenue,
            "abc": pd.Series(np.array(["A", "B", "C"])[rng.integers(0, 3, n_golden)]).where(
                revenue > 0
            ),
            "lifecycle": np.array(["prospect", "new", "active", "at_risk", "lost"])[
                rng.integers(0, 5, n_golden)
            ],
            "payment_class": np.array(["on_time", "late", "risky"])[rng.integers(0, 3, n_golden)],
            "reorder_overdue": rng.random(n_golden) < 0.05,
            "reorder_due": pd.Timestamp("2026-01-01")
            - pd.to_timedelta(rng.integers(0, 300, n_golden), unit="D"),
            "prepayment_recommended": rng.random(n_golden) < 0.03,
            "open_balance": rng.random(n_golden) * 5000,
            "overdue_balance": rng.random(n_golden) * 2000,
        }
    )
    retention = pd.DataFrame(
        {
            "golden_id": golden_ids,
            "action": np.array(["keep", "restrict", "delete"])[rng.integers(0, 3, n_golden)],
            "due_date": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 1500, n_golden), unit="D"),
            "rule": "hgb_257",
            "legal_basis": "§ 257 HGB",
        }
    )
    rejects = pd.DataFrame(
        {
            "source": "datev",
            "file": "/data/EXTF_Debitoren.csv",
            "line": np.arange(2000) + 3,
            "column": "Konto",
            "reason": "skipped: account outside the debtor range 10000-69999",
        }
    )
    tables = {
        "records": records,
        "rejects": rejects,
        "issues": issues,
        "quality_summary": summary,
        "quality_rules": quality_rules,
        "gates": pd.DataFrame(
            {"gate": ["dataset_score"], "observed": ["97.1"], "limit": ["min 95"], "passed": [True]}
        ),
        "golden": golden,
        "crosswalk": crosswalk,
        "contacts": pd.DataFrame({"contact_id": _strings("C", np.arange(n // 5))}),
        "review": review,
        "customer_value": value,
        "retention": retention,
        "privacy_requests": pd.DataFrame(
            {
                "request_id": _strings("R", np.arange(500)),
                "type": np.array(["access", "erasure", "objection"])[rng.integers(0, 3, 500)],
                "status": np.array(["matched", "ambiguous", "unmatched"])[rng.integers(0, 3, 500)],
            }
        ),
    }
    per_source = pd.Series(source).value_counts()
    stats = [
        SourceStats(str(s), "generated", f"{s}.csv", "utf-8", int(c), int(c), 0, 0, 0)
        for s, c in per_source.items()
    ]
    return tables, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-report"))
    args = parser.parse_args()
    started = time.perf_counter()
    tables, stats = synthesise(args.records)
    print(f"synthesised {args.records:,} records in {time.perf_counter() - started:.1f} s")
    args.out.mkdir(parents=True, exist_ok=True)
    state = args.out / "state.sqlite"
    state.unlink(missing_ok=True)
    with Store(state) as store:
        for i in range(3):
            facts = RunFacts(
                as_of=date(2026, 1, 15),
                workspace="bench",
                language="de",
                dq_version="bench",
                timings={"ingest": 1.0, "match": 2.0},
                files=stats,
                finished_at=datetime.now(UTC),
            )
            t0 = time.perf_counter()
            result = write_report(tables, facts, args.out, store=store)
            seconds = time.perf_counter() - t0
            sizes = ", ".join(
                f"{p.name} {p.stat().st_size / 1024:,.0f} KiB" for p in result.paths.values()
            )
            print(
                f"run {i + 1}: write_report {seconds:.2f} s; {sizes}; {len(result.metrics)} metrics"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MiB (including the synthesised tables)")


if __name__ == "__main__":
    main()
