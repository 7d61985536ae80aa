"""Matching end to end on an engine: generated German customers, ``match_records`` with
``--engine spark`` (or ``local``); wall time per stage, candidate pairs per record, the sizes
of the shuffled frames and peak memory of the driver and of the Spark JVM with its Python workers.

Records come from ``generate_customers.py`` (seeded) and are standardised once in a child
process (``bench_match.py --standardise-only``); both are kept in ``--data`` for the next run.
Memory is sampled every 0.2 s over this process's tree with psutil: the driver is this
process, the JVM and the Python workers are its descendants.

    flock /tmp/bench.lock nice -n 10 env PYTHONPATH=$PWD .venv/bin/python \
        benchmarks/bench_spark_match.py --n 1000000 --engine spark --master 'local[2]'

Data from OpenCorporates / OffeneRegister (CC BY 4.0) is part of the generated company names.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH = Path(__file__).resolve().parent
GB = 1024**3


class TreeMemory:
    """Peak RSS of this process and, apart, of its descendants (JVM, Python workers)."""

    def __init__(self, every: float = 0.2) -> None:
        self.me = psutil.Process(os.getpid())
        self.every = every
        self.driver = self.others = self.total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            driver = self.me.memory_info().rss
            others = 0
            for child in self.me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    others += child.memory_info().rss
            self.driver = max(self.driver, driver)
            self.others = max(self.others, others)
            self.total = max(self.total, driver + others)
            self._stop.wait(self.every)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def records_for(n: int, seed: int, data: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Standardised generated records (only what matching reads) and their true entity."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from benchmarks.generate_customers import generate_customers
    from dq.match.run import matching_columns

    data.mkdir(parents=True, exist_ok=True)
    raw, std = data / f"customers_{n}_{seed}.parquet", data / f"std_{n}_{seed}.parquet"
    if not raw.is_file():
        generate_customers(n, seed=seed).to_parquet(raw, index=False)
    if not std.is_file():
        script = BENCH / "bench_match.py"
        cmd = [sys.executable, str(script), str(raw), "--standardise-only", str(std)]
        subprocess.run(cmd, check=True, capture_output=True)
    names = [*matching_columns(pq.read_schema(std).names), "true_id"]
    table = pq.read_table(std, columns=names)
    records = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    truth = records.set_index("record_id")["true_id"]
    return records.drop(columns=["true_id"]), truth


def record_bytes(records: pd.DataFrame) -> float:
    """Bytes per record of what the Spark engine ships (text and flag columns, as Arrow)."""
    import pyarrow as pa

    from dq.match.engines.spark_frames import _shippable

    shipped = [c for c in records.columns if _shippable(records[c])]
    table = pa.Table.from_pandas(records[shipped], preserve_index=False)
    return table.nbytes / max(len(records), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="generated records")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", choices=("local", "spark"), default="spark")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", default="16", help="spark.sql.shuffle.partitions")
    parser.add_argument("--driver-memory", default="4g", help="spark.driver.memory (the JVM)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "dq-bench")
    parser.add_argument("--prepare", action="store_true", help="only generate and standardise")
    args = parser.parse_args(argv)

    from dq.match import evaluate, match_records
    from dq.match.engines.choose import engine_for
    from dq.match.settings import MatchSettings

    start = time.perf_counter()
    records, truth = records_for(args.n, args.seed, args.data)
    print(f"{len(records):,} records ready in {time.perf_counter() - start:.1f} s")
    if args.prepare:
        return 0
    conf = {
        "spark.sql.shuffle.partitions": args.partitions,
        "spark.driver.memory": args.driver_memory,
    }
    settings = MatchSettings(engine=args.engine, spark_master=args.master, spark_conf=conf)
    with TreeMemory() as memory:
        start = time.perf_counter()
        engine = engine_for(settings)
        startup = time.perf_counter() - start
        start = time.perf_counter()
        result = match_records(records, settings=settings, engine=engine)
        wall = time.perf_counter() - start
    metrics = evaluate(result.crosswalk, truth)

    n, pairs = len(records), result.blocking.pairs
    print(f"engine {args.engine} on {args.master if engine else 'this process'}; {n:,} records")
    print(f"candidate pairs: {pairs:,} ({pairs / n:.2f} per record); kept {len(result.pairs):,}")
    if engine is not None:
        print(f"Spark session start: {startup:.1f} s")
    print("stage                 seconds")
    for stage, seconds in result.timings.items():
        print(f"  {stage:<20}{seconds:8.1f}")
    print(f"  {'total (wall)':<20}{wall:8.1f}")
    print(
        f"peak RSS: driver {memory.driver / GB:.2f} GB, JVM + Python workers "
        f"{memory.others / GB:.2f} GB, together {memory.total / GB:.2f} GB"
    )
    # Spark's status store keeps no shuffle metrics with the UI off: the frames' sizes instead
    width = record_bytes(records)
    print(
        f"shuffled frames: records {n * width / GB:.2f} GB ({width:.0f} B each); candidate "
        f"pairs {pairs * 16 / GB:.3f} GB; pairs joined with both records "
        f"{pairs * (16 + 2 * width) / GB:.2f} GB (per pass: training, scoring)"
    )
    print(
        f"pairwise F1 {metrics.pairwise_f1:.4f}, cluster F1 {metrics.cluster_f1:.4f}; "
        f"{len(result.golden):,} golden records"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
