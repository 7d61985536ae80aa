"""Golden records on Spark against the local builder: standardised generated records clustered
by their true customer, survivorship and golden IDs (``golden_spark``, or ``build_golden``),
golden records written as Parquet; wall time and peak memory of the driver and of the Spark
JVM with its Python workers.

The standardised records are ``bench_spark_standardize.py --engine spark``'s output (a Parquet
folder). Without a store: golden IDs are derived from each cluster's smallest record_id.

    flock /tmp/bench.lock env PYTHONPATH=$PWD .venv/bin/python \
        benchmarks/bench_spark_golden.py /tmp/spark4/std_spark_1000000_1.parquet --engine spark
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_spark_match import GB, TreeMemory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path, help="standardised records (Parquet) with true_id")
    parser.add_argument("--engine", choices=("local", "spark"), default="spark")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", default="16", help="spark.sql.shuffle.partitions")
    parser.add_argument("--driver-memory", default="2g", help="spark.driver.memory (the JVM)")
    args = parser.parse_args(argv)

    out = args.records.with_name(f"golden_{args.engine}.parquet")
    shutil.rmtree(out, ignore_errors=True)
    out.unlink(missing_ok=True)
    timings: dict[str, float] = {}
    with TreeMemory() as memory:
        if args.engine == "local":
            import numpy as np
            import pandas as pd

            from dq.golden.build import build_golden

            start = time.perf_counter()
            records = pd.read_parquet(args.records, dtype_backend="numpy_nullable")
            labels = pd.factorize(records["true_id"])[0].astype(np.int64)
            timings["read"] = time.perf_counter() - start
            start = time.perf_counter()
            built = build_golden(records, labels)
            timings["golden IDs and survivorship"] = time.perf_counter() - start
            start = time.perf_counter()
            built.golden.to_parquet(out, index=False)
            timings["write"] = time.perf_counter() - start
            n_records, n_golden = len(records), len(built.golden)
        else:
            from pyspark.sql import functions as F

            from dq.match.engines.spark import spark_session
            from dq.match.engines.spark_golden import golden_spark
            from dq.match.engines.spark_tables import read_parquet

            start = time.perf_counter()
            conf = {
                "spark.driver.memory": args.driver_memory,
                "spark.sql.shuffle.partitions": args.partitions,
            }
            spark = spark_session(args.master, conf)
            spark.sparkContext.setLogLevel("ERROR")
            timings["session start"] = time.perf_counter() - start
            start = time.perf_counter()
            records = read_parquet(spark, str(args.records)).select(
                "*",
                F.xxhash64("true_id").alias("cluster"),
                F.monotonically_increasing_id().alias("_pos"),
            )
            built = golden_spark(spark, records)
            timings["golden IDs (driver)"] = time.perf_counter() - start
            start = time.perf_counter()
            built.golden.write.parquet(str(out))
            timings["survivorship and write"] = time.perf_counter() - start
            n_records, n_golden = len(built.assignment.previous), len(built.assignment.ids)
            spark.stop()
    print(f"engine {args.engine}; {n_records:,} records → {n_golden:,} golden records")
    for name, seconds in timings.items():
        print(f"  {name:<28} {seconds:8.1f} s")
    print(f"peak RSS: driver {memory.driver / GB:.2f} GB, descendants {memory.others / GB:.2f} GB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
