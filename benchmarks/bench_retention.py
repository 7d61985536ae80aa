"""Benchmark: the retention stage on N golden customers with M bookings.

    nice -n 10 python benchmarks/bench_retention.py --customers 1000000 --bookings 10000000

Generates (vectorised, seeded) golden customers with a realistic legal-form mix (GmbH, AG, KG,
GbR, e.K., private persons), one to two source records each, bookings over 15 years, sales
notes (a fifth of them offers or orders), contacts for a third of the companies and matched
privacy requests for 1 % of the customers; then runs the retention stage's work
(:func:`dq.gdpr.retention.retention`: verdicts for customers and contacts, then
:func:`dq.gdpr.manifest.deletion_manifest`) and prints wall and CPU time of each part and peak
RSS (CPU time stays meaningful when other processes share the machine).
Tables carry ``golden_id`` as pandas ``string`` columns and records the standardiser's
``personal_data_in_name``, as the pipeline writes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time

import numpy as np
import pandas as pd

from dq.gdpr.manifest import deletion_manifest
from dq.gdpr.policy import load_policy
from dq.gdpr.retention import retention

AS_OF = dt.date(2025, 12, 7)
CORE = ["Alpen", "Nord", "Weser", "Rhein", "Spree", "Isar", "Harz", "Eifel", "Main", "Elbe"]
KIND = ["Maschinenbau", "Handel", "Logistik", "Bau", "Software", "Druck", "Technik"]
FIRST = ["Anna", "Jörg", "Petra", "Klaus", "Müge", "Lena", "Thomas", "Sabine", "Jan", "Eva"]
LAST = ["Müller", "Schmidt", "Weiß", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf"]
# legal form code, share, and whether the name is a person's (sole traders, partnerships)
FORMS = [("GMBH", 0.50, False), ("AG", 0.05, False), ("GMBH_CO_KG", 0.08, False),
         ("KG", 0.05, True), ("GBR", 0.05, True), ("EK", 0.07, True), (None, 0.05, True),
         ("PERSON", 0.15, True)]  # fmt: skip


def _days(rng: np.random.Generator, n: int, start: str, end: str) -> np.ndarray:
    lo = np.datetime64(start, "D").astype(np.int64)
    hi = np.datetime64(end, "D").astype(np.int64)
    return rng.integers(lo, hi, size=n).astype("datetime64[D]").astype("datetime64[ns]")


def _pick(rng: np.random.Generator, pool: list[str], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size=n)]


def generate(customers: int, bookings: int, seed: int = 12) -> dict[str, pd.DataFrame]:
    """Golden customers, records, bookings, notes, contacts and matched requests."""
    rng = np.random.default_rng(seed)
    n = customers
    ids = pd.array(np.char.add("G", np.arange(n).astype(str).astype(object)), dtype="string")
    form_idx = rng.choice(len(FORMS), size=n, p=[f[1] for f in FORMS])
    codes = np.asarray([f[0] for f in FORMS], dtype=object)[form_idx]
    person = codes == "PERSON"
    named = np.asarray([f[2] for f in FORMS])[form_idx] & ~person
    numbers = np.arange(n).astype(str).astype(object)
    person_name = _pick(rng, FIRST, n) + " " + _pick(rng, LAST, n)
    firm = _pick(rng, CORE, n) + " " + _pick(rng, KIND, n) + " " + numbers
    company = np.where(named, person_name + " " + numbers, firm)
    label = pd.Series(codes).map({"GMBH": "GmbH", "AG": "AG", "GMBH_CO_KG": "GmbH & Co. KG",
                                  "KG": "KG", "GBR": "GbR", "EK": "e.K."}).fillna("")  # fmt: skip
    company = np.where(label != "", company + " " + label.to_numpy(dtype=object), company)
    consent = _days(rng, n, "2015-01-01", "2025-06-01")
    consent[rng.random(n) > 0.3] = np.datetime64("NaT")
    withdrawn = consent + np.timedelta64(400, "D")
    withdrawn[rng.random(n) > 0.1] = np.datetime64("NaT")
    golden = pd.DataFrame(
        {
            "golden_id": ids,
            "party_type": np.where(person, "person", "company"),
            "company_name": pd.array(np.where(person, None, company), dtype="string"),
            "legal_form": pd.array(np.where(person, None, codes), dtype="string"),
            "first_name": pd.array(np.where(person, _pick(rng, FIRST, n), None), dtype="string"),
            "last_name": pd.array(np.where(person, _pick(rng, LAST, n), None), dtype="string"),
            "customer_number": pd.array(numbers, dtype="string"),
            "consent_at": consent,
            "consent_withdrawn_at": withdrawn,
            # survivorship lineage: the name came from the customer's DATEV record
            "company_name__from": pd.array(np.char.add("datev:", numbers.astype(str)), "string"),
        }
    )
    # one or two source records per customer; a third of prospects have an activity date
    second = rng.random(n) < 0.5
    owner = np.concatenate([np.arange(n), np.flatnonzero(second)])
    activity = _days(rng, len(owner), "2012-01-01", "2025-12-01")
    activity[rng.random(len(owner)) < 0.4] = np.datetime64("NaT")
    source = np.where(np.arange(len(owner)) < n, "datev", "crm")
    records = pd.DataFrame(
        {
            "record_id": pd.array(source + ":" + owner.astype(str).astype(object), dtype="string"),
            "source": pd.array(source, dtype="string"),
            "source_key": pd.array(owner.astype(str), dtype="string"),
            "golden_id": ids[owner],
            "last_activity_at": activity,
            "created_at": _days(rng, len(owner), "2008-01-01", "2020-01-01"),
            # what dq.standardize wrote for each record's company name
            "personal_data_in_name": pd.array(named[owner], dtype="boolean"),
        }
    )
    # bookings: 70 % of customers have any, the others are prospects
    buyers = np.flatnonzero(rng.random(n) < 0.7)
    who = buyers[rng.integers(0, len(buyers), size=bookings)]
    transactions = pd.DataFrame(
        {
            "record_id": pd.array(np.char.add("datev:", who.astype(str)), dtype="string"),
            "source": pd.array(np.full(bookings, "bookings"), dtype="string"),
            "doc_type": pd.array(np.full(bookings, "invoice"), dtype="string"),
            "doc_date": _days(rng, bookings, "2010-01-01", "2025-12-01"),
            "amount": rng.normal(500, 200, size=bookings).round(2),
            "golden_id": ids[who],
        }
    )
    notes = n * 2
    about = rng.integers(0, n, size=notes)
    interactions = pd.DataFrame(
        {
            "record_id": pd.array(np.char.add("datev:", about.astype(str)), dtype="string"),
            "date": _days(rng, notes, "2012-01-01", "2025-12-01"),
            "kind": pd.array(
                rng.choice(
                    ["other", "complaint", "offer", "order"], size=notes, p=[0.7, 0.1, 0.1, 0.1]
                ),
                dtype="string",
            ),
            "golden_id": ids[about],
        }
    )
    companies = np.flatnonzero(~person & (rng.random(n) < 0.33))
    contacts = pd.DataFrame(
        {
            "contact_id": pd.array(np.char.add("C", companies.astype(str)), dtype="string"),
            "golden_id": ids[companies],
            "last_activity_at": _days(rng, len(companies), "2015-01-01", "2025-12-01"),
            "consent_withdrawn_at": np.full(len(companies), np.datetime64("NaT"), "datetime64[ns]"),
            "record_ids": pd.array(np.char.add("crm:c", companies.astype(str)), dtype="string"),
        }
    )
    asked = rng.integers(0, n, size=max(1, n // 100))
    requests = pd.DataFrame(
        {
            "request_id": pd.array(
                np.char.add("R", np.arange(len(asked)).astype(str)), dtype="string"
            ),
            "type": pd.array(
                rng.choice(
                    ["erasure", "objection", "consent_withdrawn", "hold", "access"], size=len(asked)
                ),
                dtype="string",
            ),
            "received_at": _days(rng, len(asked), "2024-01-01", "2025-12-01"),
            "status": "matched",
            "golden_id": ids[asked],
            "contact_id": pd.array([None] * len(asked), dtype="string"),
        }
    )
    return {
        "golden": golden,
        "records": records,
        "transactions": transactions,
        "interactions": interactions,
        "contacts": contacts,
        "privacy_requests": requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--bookings", type=int, default=1_000_000)
    args = parser.parse_args()

    started = time.perf_counter()
    tables = generate(args.customers, args.bookings)
    generated = time.perf_counter() - started
    policy = load_policy()
    started, cpu = time.perf_counter(), time.process_time()
    result = retention(
        tables["golden"],
        policy,
        AS_OF,
        contacts=tables["contacts"],
        records=tables["records"],
        transactions=tables["transactions"],
        interactions=tables["interactions"],
        requests=tables["privacy_requests"],
    )
    verdicts, verdicts_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    manifest = deletion_manifest(result, tables["records"])
    manifest_time, manifest_cpu = time.perf_counter() - started, time.process_time() - cpu
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"customers {args.customers:,}, bookings {args.bookings:,}, "
        f"records {len(tables['records']):,}, notes {len(tables['interactions']):,}, "
        f"contacts {len(tables['contacts']):,}, requests {len(tables['privacy_requests']):,}"
    )
    print(f"generate     {generated:7.2f} s")
    print(f"{'':12} {'wall':>9} {'cpu':>9}")
    print(f"verdicts     {verdicts:7.2f} s {verdicts_cpu:7.2f} s  {result.counts}")
    print(f"manifest     {manifest_time:7.2f} s {manifest_cpu:7.2f} s  {len(manifest):,} rows")
    total, total_cpu = verdicts + manifest_time, verdicts_cpu + manifest_cpu
    print(f"stage total  {total:7.2f} s {total_cpu:7.2f} s  peak RSS {rss_gb:.1f} GB")


if __name__ == "__main__":
    main()
