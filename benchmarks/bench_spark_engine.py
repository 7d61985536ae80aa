"""The Spark engine against the local engine, step by step, on generated German records.

Generates ``--n`` records (``benchmarks/generate_customers.py``), standardises them, then times
candidate pairs, comparison levels, training (u + EM) and pair scores on both engines and checks
that the answers agree. Spark runs on ``--master`` (default ``local[2]``).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_spark_engine.py --n 20000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_customers import generate_customers
from dq.match.blocking import load_blocking_keys
from dq.match.comparisons import load_comparisons
from dq.match.engines.local import LocalEngine
from dq.match.engines.spark import SparkEngine
from dq.match.engines.train import train_with
from dq.match.run import arrow_strings
from dq.match.settings import MatchSettings
from dq.standardize import standardize_records


def _steps(name: str, engine: Any, records: Any) -> tuple[Any, ...]:
    """Every engine step in turn, timed and printed; the answers for the comparison."""
    keys, comps, settings = load_blocking_keys(), load_comparisons(), MatchSettings()
    times = []
    start = time.perf_counter()
    pairs = engine.candidate_pairs(records, keys, settings)
    left, right = pairs.left, pairs.right
    times.append(time.perf_counter() - start)
    levels = engine.comparison_levels(records, left, right, comps)
    times.append(time.perf_counter() - start - sum(times))
    model = train_with(engine, records, left, right, comps, settings)
    times.append(time.perf_counter() - start - sum(times))
    scores = engine.pair_scores(records, left, right, model, settings)
    times.append(time.perf_counter() - start - sum(times))
    matched = scores["band"] == 0
    labels = engine.components(len(records), left[matched], right[matched])
    times.append(time.perf_counter() - start - sum(times))
    steps = ("pairs", "levels", "train", "scores", "components")
    shown = "  ".join(f"{step} {t:6.1f} s" for step, t in zip(steps, times, strict=True))
    print(f"{name:5s}  {len(left):>9,} pairs  {shown}  total {sum(times):6.1f} s")
    return pairs, levels, model, scores, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    raw = generate_customers(args.n, seed=args.seed)
    records = arrow_strings(standardize_records(raw).records.reset_index(drop=True))
    comps = load_comparisons()
    start = time.perf_counter()
    spark = SparkEngine(master=args.master, options={"spark.sql.shuffle.partitions": "8"})
    startup = time.perf_counter() - start
    spark.spark.sparkContext.setLogLevel("ERROR")
    local = LocalEngine()
    print(f"{len(records):,} records; Spark session on {args.master} in {startup:.1f} s")
    rows = [
        (name, *_steps(name, engine, records))
        for name, engine in (("local", local), ("spark", spark))
    ]
    (_, p0, l0, m0, s0, c0), (_, p1, l1, m1, s1, c1) = rows
    same_pairs = np.array_equal(p0.left, p1.left) and np.array_equal(p0.right, p1.right)
    same_levels = all(np.array_equal(l0[c.name], l1[c.name]) for c in comps)
    same_bands = np.array_equal(s0["band"], s1["band"])
    weight_diff = float(np.max(np.abs(s0["match_weight"] - s1["match_weight"]), initial=0.0))
    print(
        f"equal: pairs {same_pairs}, levels {same_levels}, bands {same_bands}, "
        f"components {np.array_equal(c0, c1)}; prior {m0.prior:.6g} vs {m1.prior:.6g}; "
        f"largest weight difference {weight_diff:.2g} bits"
    )


if __name__ == "__main__":
    main()
