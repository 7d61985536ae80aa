"""Benchmark: validate N generated canonical records with every shipped record rule set.

    nice -n 10 python benchmarks/bench_validate.py --rows 1000000

Prints generation and validation wall time, issue count and peak RSS. The generator is
vectorised and seeded: emails and phones are distinct per row (as in real customer data, so
the per-distinct-value checks do real work), about 5 % of values carry a defect.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd
from stdnum.iso7064 import mod_11_10

from dq.schema import RECORD_COLUMNS, conform
from dq.validate import load_rule_set, shipped_rule_sets, validate

FIRST = ["Anna", "Jörg", "Petra", "Klaus", "Müge", "Lena", "Thomas", "Sabine", "Jan", "Eva"]
LAST = ["Müller", "Schmidt", "Weiß", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf"]
CORE = ["Alpen", "Nord", "Weser", "Rhein", "Spree", "Isar", "Harz", "Eifel", "Main", "Elbe"]
KIND = ["Maschinenbau", "Handel", "Logistik", "Bau", "Software", "Druck", "Technik"]
LEGAL = ["GmbH", "AG", "KG", "GmbH & Co. KG", "UG (haftungsbeschränkt)", "e.K.", "OHG", "Gmbh."]
SALUTATION = ["Herr", "Frau", "Frau", "Herr", "Divers", ""]
CITY = ["München", "Berlin", "Hamburg", "Köln", "Leipzig", "Dresden", "Bremen", "n/a"]
STREET = ["Hauptstraße", "Bahnhofstr.", "Leopoldstraße", "Am Markt", "Gartenweg", "-"]


def _iban(n: int, rng: np.random.Generator) -> list[str]:
    """German IBANs with correct check digits (ISO 13616 mod 97)."""
    out = []
    for bban in rng.integers(10**17, 10**18 - 1, size=n):
        check = 98 - int(f"{bban}131400") % 97  # "DE" = 13 14, check digits 00
        out.append(f"DE{check:02d}{bban}")
    return out


def _vat(n: int, rng: np.random.Generator) -> list[str]:
    """German VAT IDs with a correct ISO 7064 mod 11,10 check digit."""
    out = []
    for body in rng.integers(10**7, 10**8 - 1, size=n):
        digits = f"1{body}"
        out.append(f"DE{digits}{mod_11_10.calc_check_digit(digits)}")
    return out


def _choice(rng: np.random.Generator, pool: list[str], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size=n)]


def _sparse(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    out = values.astype(object)
    out[rng.random(len(out)) > share] = None
    return out


def _corrupt(rng: np.random.Generator, values: np.ndarray, share: float, bad: str) -> np.ndarray:
    out = values.astype(object)
    out[rng.random(len(out)) < share] = bad
    return out


def generate_records(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` canonical records, about 60 % companies, with realistic gaps and defects."""
    rng = np.random.default_rng(seed)
    idx = np.arange(n)
    ids = idx.astype(str).astype(object)
    company = rng.random(n) < 0.6
    first = _choice(rng, FIRST, n)
    last = _choice(rng, LAST, n)
    core = _choice(rng, CORE, n) + " " + _choice(rng, KIND, n)
    legal = _choice(rng, LEGAL, n)
    domain = np.char.lower(core.astype(str)).astype(object)
    domain = pd.Series(domain).str.replace(" ", "-").str.replace("ü", "ue").to_numpy() + ids
    country = np.where(rng.random(n) < 0.9, "DE", np.where(rng.random(n) < 0.5, "AT", "CH"))
    postcode = rng.integers(1067, 99999, size=n).astype(str).astype(object)
    postcode = np.where(country == "DE", np.char.zfill(postcode.astype(str), 5), postcode)
    local = rng.integers(10**6, 10**8, size=n).astype(str)
    prefix = np.where(country == "DE", "+4930", np.where(country == "AT", "+431", "+4144"))
    phone = np.char.add(prefix.astype(str), local).astype(object)
    phone[rng.random(n) < 0.03] = "+4915"  # too short
    email = np.where(
        company,
        "info@" + domain.astype(str) + ".de",
        np.char.lower(first.astype(str)) + "." + ids.astype(str) + "@gmx.de",
    ).astype(object)
    email[rng.random(n) < 0.02] = "kein@mail"
    days = pd.to_datetime("2026-06-01") - pd.to_timedelta(rng.integers(-30, 4000, size=n), "D")
    frame = pd.DataFrame(
        {
            "record_id": "bench:" + ids,
            "source": np.where(idx % 3 == 0, "datev", "crm"),
            "source_row": idx + 2,
            "party_type": np.where(company, "company", "person"),
            "company_name": np.where(company, core + " " + legal, None),
            "legal_form": np.where(company, legal, None),
            "register_number": _sparse(rng, "HRB " + (idx % 99999 + 1).astype(str), 0.4),
            "vat_id": _sparse(rng, np.asarray(_vat(50_000, rng), dtype=object)[idx % 50_000], 0.5),
            "salutation": np.where(company, None, _choice(rng, SALUTATION, n)),
            "first_name": np.where(company, None, first),
            "last_name": np.where(company, None, _corrupt(rng, last, 0.01, "unbekannt")),
            "street": _choice(rng, STREET, n),
            "house_number": _sparse(rng, (idx % 200 + 1).astype(str).astype(object), 0.9),
            "postcode": _corrupt(rng, postcode, 0.01, "123"),
            "city": _choice(rng, CITY, n),
            "country": country,
            "email": _sparse(rng, email, 0.8),
            "phone": _sparse(rng, phone, 0.7),
            "mobile": _sparse(rng, np.char.add("+49151", local).astype(object), 0.3),
            "website": np.where(company, "https://www." + domain.astype(str) + ".de", None),
            "customer_number": (10000 + idx % (n - n // 100)).astype(str),
            "iban": _sparse(rng, np.asarray(_iban(50_000, rng), dtype=object)[idx % 50_000], 0.4),
            "created_at": days - pd.to_timedelta(365, "D"),
            "updated_at": days,
            "last_activity_at": days,
        }
    )
    return conform(frame, RECORD_COLUMNS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    started = time.perf_counter()
    records = generate_records(args.rows)
    generated = time.perf_counter() - started

    sets = [load_rule_set(p) for p in shipped_rule_sets().values()]
    sets = [s for s in sets if s.table == "records"]
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    result = validate(records, sets, as_of="2026-06-01")
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"rows:            {len(records):,}")
    print(f"rule sets:       {', '.join(result.rule_sets)} ({len(result.rules)} rules)")
    print(f"issues:          {len(result.issues):,}")
    print(f"dataset score:   {result.dataset_score:.1f}")
    print(f"generate:        {generated:.1f} s")
    print(f"validate:        {elapsed:.1f} s wall, {cpu:.1f} s CPU")
    print(f"peak RSS:        {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
