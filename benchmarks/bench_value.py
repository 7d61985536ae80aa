"""Benchmark: customer value for N transactions over M golden customers.

    nice -n 10 python benchmarks/bench_value.py --transactions 10000000 --customers 1000000

Prints generation time, wall and CPU time of ``compute_value``, the resident memory with the
inputs and the peak during the computation (VmHWM reset after generating; Linux). The generator
is vectorised and seeded: each customer gets a share of invoices (skewed: a few large buyers,
many small ones), about 85 % of invoices are paid (70 % of payments carry the invoice number,
some partially), 4 % credit notes, 1 % reversals, 1 % write-offs, 2 % in USD, and two
interactions per customer on average.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np
import pandas as pd

from dq.enrich.settings import ValueSettings
from dq.enrich.value import compute_value

AS_OF = date(2025, 6, 30)


def generate(
    n_tx: int, n_cust: int, seed: int = 7
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(golden, transactions, interactions) with ``n_tx`` transactions over ``n_cust`` customers."""
    rng = np.random.default_rng(seed)
    ids = pd.array([f"G{i:07d}" for i in range(n_cust)], dtype="string")
    golden = pd.DataFrame({"golden_id": ids, "last_activity_at": pd.NaT})
    # Invoices per customer: Zipf-like weights so revenue concentrates (ABC has something to do).
    n_inv = int(n_tx * 0.52)
    weight = 1.0 / np.arange(1, n_cust + 1) ** 0.6
    cust = rng.choice(n_cust, size=n_inv, p=weight / weight.sum())
    start = np.datetime64("2021-01-01")
    days = (np.datetime64("2025-06-30") - start).astype(int)
    inv_date = start + rng.integers(0, days, size=n_inv).astype("timedelta64[D]")
    amount = np.round(rng.lognormal(6, 1.2, size=n_inv), 2)
    number = pd.array(np.char.add("R", np.arange(n_inv).astype(str)), dtype="string")
    currency = np.where(rng.random(n_inv) < 0.02, "USD", "EUR")

    paid = rng.random(n_inv) < 0.85
    delay = rng.gamma(2.0, 12.0, size=n_inv).astype(int)
    partial = rng.random(n_inv) < 0.1
    pay_amount = np.where(partial, np.round(amount * 0.5, 2), amount)
    with_number = rng.random(n_inv) < 0.7
    n_pay = int(paid.sum())
    rest = n_tx - n_inv - n_pay
    n_cn, n_rev, n_wo = int(rest * 0.4), int(rest * 0.1), int(rest * 0.1)
    n_other = rest - n_cn - n_rev - n_wo
    pick = lambda k: rng.integers(0, n_inv, size=k)  # noqa: E731
    cn, rev, wo, oth = pick(n_cn), pick(n_rev), pick(n_wo), pick(n_other)
    parts = [
        ("invoice", cust, number, inv_date, amount, currency),
        (
            "payment",
            cust[paid],
            pd.array(np.where(with_number[paid], number[paid].to_numpy(str), None), dtype="string"),
            inv_date[paid] + delay[paid].astype("timedelta64[D]"),
            -pay_amount[paid],
            currency[paid],
        ),
        (
            "credit_note",
            cust[cn],
            pd.array([None] * n_cn, dtype="string"),
            inv_date[cn] + 20,
            -np.round(amount[cn] * 0.2, 2),
            currency[cn],
        ),
        ("reversal", cust[rev], number[rev], inv_date[rev] + 2, -amount[rev], currency[rev]),
        ("write_off", cust[wo], number[wo], inv_date[wo] + 200, -amount[wo], currency[wo]),
        (
            "payment",
            cust[oth],
            pd.array([None] * n_other, dtype="string"),
            inv_date[oth] + 30,
            -np.round(amount[oth] * 0.1, 2),
            currency[oth],
        ),
    ]
    frames = [
        pd.DataFrame(
            {
                "golden_id": ids[c],
                "doc_type": kind,
                "doc_number": num,
                "doc_date": d.astype("datetime64[ns]"),
                "due_date": pd.NaT,
                "amount": a,
                "currency": cur,
            }
        )
        for kind, c, num, d, a, cur in parts
    ]
    # text as the pipeline hands it on: Arrow-backed (the readers' and follow_records' dtype)
    text = ["golden_id", "doc_type", "doc_number", "currency"]
    tx = pd.concat(frames, ignore_index=True).astype(dict.fromkeys(text, "string[pyarrow]"))
    n_it = 2 * n_cust
    interactions = pd.DataFrame(
        {
            "golden_id": ids[rng.integers(0, n_cust, size=n_it)],
            "date": (start + rng.integers(0, days, size=n_it).astype("timedelta64[D]")).astype(
                "datetime64[ns]"
            ),
            "kind": np.array(["complaint", "return", "order", "offer", "other", "reminder"])[
                rng.integers(0, 6, size=n_it)
            ],
        }
    )
    interactions = interactions.astype(dict.fromkeys(["golden_id", "kind"], "string[pyarrow]"))
    return golden, tx, interactions


def _status_gb(key: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in GB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024**2
    return float("nan")


def _reset_peak() -> None:
    """Reset VmHWM so that the peak measured next is the computation's, not the generator's."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    golden, tx, interactions = generate(args.transactions, args.customers)
    t1 = time.perf_counter()
    print(
        f"generated {len(tx):,} transactions, {len(golden):,} customers, "
        f"{len(interactions):,} interactions in {t1 - t0:.1f} s"
    )
    base = _status_gb("VmRSS")
    _reset_peak()
    settings = ValueSettings(exchange_rates={"USD": 0.92})
    c1 = time.process_time()
    result = compute_value(golden, tx, interactions, settings, AS_OF)
    c2, t2 = time.process_time(), time.perf_counter()
    peak = _status_gb("VmHWM")
    table = result.table
    print(
        f"customer_value: {t2 - t1:.1f} s wall, {c2 - c1:.1f} s CPU for {len(table):,} customers; "
        f"RSS {base:.2f} GB with the inputs, peak {peak:.2f} GB during the computation "
        f"(+{peak - base:.2f} GB)"
    )
    print(f"  not counted: {result.counts}")
    print(f"  lifecycle: {table['lifecycle'].value_counts().to_dict()}")
    print(f"  payment_class: {table['payment_class'].value_counts().to_dict()}")
    print(f"  abc: {table['abc'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
