"""Standardisation on Spark against the local stage: generated German customers read from
Parquet, standardised (``standardise_spark`` per partition, or ``standardize_records``) and
written to Parquet; wall time and peak memory of the driver and of the Spark JVM with its
Python workers (or the local stage's forked workers).

Records come from ``generate_customers.py`` (seeded), written once to ``--data`` in row groups
of 50,000 so that Spark reads the file in several partitions.

    flock /tmp/bench.lock env PYTHONPATH=$PWD .venv/bin/python \
        benchmarks/bench_spark_standardize.py --n 1000000 --engine spark --master 'local[2]'
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_spark_match import GB, TreeMemory


def raw_records(n: int, seed: int, data: Path) -> Path:
    """The generated raw records' Parquet file (made on first use)."""
    from benchmarks.generate_customers import generate_customers

    data.mkdir(parents=True, exist_ok=True)
    path = data / f"raw_{n}_{seed}.parquet"
    if not path.is_file():
        generate_customers(n, seed=seed).to_parquet(path, index=False, row_group_size=50_000)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="generated records")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", choices=("local", "spark"), default="spark")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="2g", help="spark.driver.memory (the JVM)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "dq-bench")
    parser.add_argument("--prepare", action="store_true", help="only generate the records")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    path = raw_records(args.n, args.seed, args.data)
    print(f"{args.n:,} raw records ready in {time.perf_counter() - start:.1f} s: {path}")
    if args.prepare:
        return 0
    out = args.data / f"std_{args.engine}_{args.n}_{args.seed}.parquet"
    shutil.rmtree(out, ignore_errors=True)
    out.unlink(missing_ok=True)
    timings: dict[str, float] = {}
    with TreeMemory() as memory:
        if args.engine == "local":
            import pandas as pd

            from dq.standardize import standardize_records

            start = time.perf_counter()
            raw = pd.read_parquet(path)
            timings["read"] = time.perf_counter() - start
            start = time.perf_counter()
            result = standardize_records(raw)
            timings["standardise"] = time.perf_counter() - start
            start = time.perf_counter()
            result.records.to_parquet(out, index=False)
            timings["write"] = time.perf_counter() - start
            changed = int(result.summary["changed"].sum())
        else:
            from dq.match.engines.spark import spark_session
            from dq.match.engines.spark_standardize import standardise_spark

            start = time.perf_counter()
            spark = spark_session(args.master, {"spark.driver.memory": args.driver_memory})
            spark.sparkContext.setLogLevel("ERROR")
            timings["session start"] = time.perf_counter() - start
            start = time.perf_counter()
            done = standardise_spark(spark, path)
            timings["standardise (and count)"] = time.perf_counter() - start
            start = time.perf_counter()
            done.records.write.parquet(str(out))
            timings["write"] = time.perf_counter() - start
            changed = int(done.summary["changed"].sum())
            partitions = done.cached.rdd.getNumPartitions()
            done.unpersist()
            spark.stop()
    print(f"engine {args.engine}; {args.n:,} records; {changed:,} values changed")
    if args.engine == "spark":
        print(f"partitions read: {partitions}")
    for name, seconds in timings.items():
        print(f"  {name:<26} {seconds:8.1f} s")
    print(f"peak RSS: driver {memory.driver / GB:.2f} GB, descendants {memory.others / GB:.2f} GB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
