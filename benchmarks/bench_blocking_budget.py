"""Blocking under a pair budget: one cap for all keys against per-key caps by yield.

Reads standardised records with their truth (``bench_match.py --standardise-only`` output, or
any parquet with the canonical columns and ``true_id``) and, per ``--budgets`` (pairs per
record), prints unique candidate pairs, true pairs found, blocking recall, time and the caps.

    PYTHONPATH=$PWD python benchmarks/bench_blocking_budget.py STD.parquet --budgets 5,7.5,10
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dq.match.blocking import block
from dq.match.columns import ColumnCache
from dq.match.comparisons import load_comparisons
from dq.match.run import arrow_strings, matching_columns
from dq.match.score import SampleScorer
from dq.match.settings import MatchSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("standardised", type=Path, help="standardised records with true_id")
    parser.add_argument("--budgets", default="5,7.5,10", help="pairs per record, comma-separated")
    args = parser.parse_args(argv)
    names = [*matching_columns(pq.read_schema(args.standardised).names), "true_id"]
    table = pq.read_table(args.standardised, columns=names)
    records = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    truth = pd.factorize(records.pop("true_id"))[0]
    records = arrow_strings(records.reset_index(drop=True))
    per_truth = np.bincount(truth)
    true_pairs = int((per_truth * (per_truth - 1) // 2).sum())
    comps = load_comparisons()
    print(f"records: {len(records):,}   true pairs: {true_pairs:,}")
    print("budget  rule          pairs        true found   recall   wall s   CPU s")
    for budget in (float(b) for b in args.budgets.split(",")):
        for rule in ("one cap", "per key"):
            settings = MatchSettings(pairs_per_record=budget)
            cache = ColumnCache(records)
            scorer = SampleScorer(records, comps, settings, cache, None)
            start, cpu = time.perf_counter(), time.process_time()
            pairs = block(
                records,
                settings=settings,
                cache=cache,
                pair_yield=scorer.probability if rule == "per key" else None,
            )
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            found = int((truth[pairs.left] == truth[pairs.right]).sum())
            print(
                f"{budget:6g}  {rule:<10}{len(pairs):>10,}  {found:>12,}  "
                f"{found / true_pairs:7.4f}  {wall:7.1f}  {cpu:6.1f}"
            )
            caps = pairs.report.key_caps or {"all block keys": pairs.report.cap_used}
            print("        caps: " + ", ".join(f"{k} {v}" for k, v in caps.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
