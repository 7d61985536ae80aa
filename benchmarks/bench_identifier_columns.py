"""CPU time of the website/domain and VAT-ID/IBAN columns: Arrow path against per-value path.

Run: ``PYTHONPATH=. python benchmarks/bench_identifier_columns.py --rows 200000``. The input is
the benchmark data of bench_standardize.py after clean-up, as standardize_records sees it; the
per-value path is what records.py ran before (``map_distinct_frame`` of the per-value functions).
CPU time of this process (``time.process_time``), best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def _best(func: Callable[[], object], repeat: int) -> float:
    from dq.standardize.identifiers import _registrable_domain_of_suffix_list

    times = []
    for _ in range(repeat):
        _registrable_domain_of_suffix_list.cache_clear()  # no answers left from the last run
        started = time.process_time()
        func()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_standardize import generate

    from dq.schema import RECORD_COLUMNS, conform
    from dq.standardize import identifier_columns as ic
    from dq.standardize.text import clean_text_series

    raw = conform(generate(args.rows, args.seed), RECORD_COLUMNS)
    work = {c: clean_text_series(raw[c]) for c in ("website", "domain", "vat_id", "iban")}
    ic.website_columns(work["website"].head(100))  # load the suffix list outside the timing

    def sites(fast: bool) -> tuple[pd.DataFrame, pd.Series]:
        if fast:
            return ic.website_columns(work["website"]), ic.domain_series(work["domain"])
        return ic._website_columns_slow(work["website"]), ic._domain_series_slow(work["domain"])

    def ids(fast: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
        if fast:
            return ic.vat_id_columns(work["vat_id"]), ic.iban_columns(work["iban"])
        return ic._vat_id_columns_slow(work["vat_id"]), ic._iban_columns_slow(work["iban"])

    print(f"{len(raw):,} records, CPU seconds (best of {args.repeat})")
    for name, part in (("website + domain", sites), ("vat_id + iban", ids)):
        slow = _best(lambda p=part: p(False), args.repeat)
        fast = _best(lambda p=part: p(True), args.repeat)
        print(f"{name:18} per value {slow:6.3f}   Arrow {fast:6.3f}   {slow / fast:4.1f}x")


if __name__ == "__main__":
    main()
