"""Benchmark: standardise 1,000,000 realistic raw canonical records; print wall time and peak RSS.

Company names, register numbers and addresses are drawn from the OffeneRegister sample in
shared/fixtures/offeneregister/companies.csv (OffeneRegister.de, CC BY 4.0; data from the German
company register) and varied synthetically; person names, streets, phones, e-mails, websites,
VAT IDs and IBANs are synthetic, written in the messy ways CRM exports write them. About as many
distinct phone numbers, e-mails and company names as rows, like a real customer base.

    nice -n 10 python benchmarks/bench_standardize.py --rows 1000000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CANDIDATES = [
    ROOT / "tests" / "data" / "offeneregister_companies.csv",
    ROOT.parent.parent / "shared" / "fixtures" / "offeneregister" / "companies.csv",
    Path("/work/shared/fixtures/offeneregister/companies.csv"),
]

FIRST = [
    "Hans",
    "Anna",
    "Peter",
    "Maria",
    "Thomas",
    "Sabine",
    "Michael",
    "Julia",
    "Klaus",
    "Petra",
    "Stefan",
    "Claudia",
    "Andreas",
    "Monika",
    "Jürgen",
    "Ursula",
    "Karl-Heinz",
    "Hans-Peter",
    "Anna Maria",
    "Lukas",
    "Leonie",
    "Mehmet",
    "Ayşe",
    "Jan",
    "Sophie",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "von der Heide",
    "zu Salm",
    "Yılmaz",
    "Öztürk",
    "Groß",
    "Weiß",
    "Jäger",
    "Kaiser",
]
STREETS = [
    "Hauptstr.",
    "Hauptstraße",
    "Bahnhofstrasse",
    "Schulstr.",
    "Gartenweg",
    "Dorfstraße",
    "Am Markt",
    "Lindenallee",
    "Kirchpl.",
    "Berliner Str.",
    "Goethestraße",
    "Ringstr.",
    "Straße des 17. Juni",
    "Am Haagelspfädchen",
    "Mühlenweg",
    "Industriestr.",
    "Karl-Marx-Str.",
    "Friedrich-Ebert-Straße",
    "Lange Reihe",
    "Postfach",
]
CITIES = [
    "Berlin",
    "Hamburg",
    "München",
    "KÖLN",
    "Frankfurt a. M.",
    "Stuttgart",
    "Düsseldorf",
    "Leipzig",
    "Dortmund",
    "Essen",
    "Bremen",
    "Dresden",
    "Hannover",
    "Nürnberg",
    "Freiburg i. Br.",
    "Halle (Saale)",
    "Wien",
    "Zürich",
    "Graz",
    "Basel",
]
COUNTRIES = ["DE", "Deutschland", "D", "Germany", None, None, "AT", "CH", "Österreich", "n/a"]
SALUTATIONS = ["Herr", "Frau", "Herrn", "Mr.", "Mrs.", "Divers", None, None, "Firma"]
TITLES = [None, None, None, None, "Dr.", "Prof. Dr.", "Dipl.-Ing.", "dr.", "Mag."]
LEGAL_SPELLINGS = [None, None, None, "GmbH", "Gesellschaft mit beschränkter Haftung", "KG", "AG"]
FREEMAIL = ["gmx.de", "web.de", "t-online.de", "gmail.com", "outlook.com"]
ROLES = ["info", "kontakt", "office", "vertrieb"]
NOISE = [
    "Nord",
    "Süd",
    "Technik",
    "Service",
    "Bau",
    "Handel",
    "Verwaltungs",
    "Consulting",
    "Logistik",
    "Immobilien",
    "Holding",
    "IT",
    "Medien",
    "Solar",
    "Pflege",
]
LEGAL_SUFFIX = [
    "GmbH",
    "GmbH & Co. KG",
    "UG (haftungsbeschränkt)",
    "AG",
    "e.K.",
    "GbR",
    "KG",
    "G.m.b.H.",
    "mbH",
    "OHG",
    "eG",
    "e.V.",
    "SE",
    "GmbH u. Co. KG",
    "",
]


def _pick(rng: np.random.Generator, pool: list[object], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _digits(rng: np.random.Generator, n: int, width: int) -> pd.Series:
    return pd.Series(rng.integers(0, 10**width, n)).astype(str).str.zfill(width)


def _fixture() -> pd.DataFrame:
    for path in FIXTURE_CANDIDATES:
        if path.is_file():
            return pd.read_csv(path, dtype=str, keep_default_na=False)
    sys.exit("OffeneRegister fixture not found (shared/fixtures/offeneregister/companies.csv)")


def generate(rows: int, seed: int = 7) -> pd.DataFrame:
    """``rows`` raw canonical records with realistic duplication and mess."""
    rng = np.random.default_rng(seed)
    reg = _fixture()
    idx = rng.integers(0, len(reg), rows)
    names = reg["name"].to_numpy(dtype=object)[idx]
    noise = _pick(rng, NOISE, rows)
    suffix = _pick(rng, LEGAL_SUFFIX, rows)
    serial = pd.Series(rng.integers(0, 2000, rows)).astype(str).to_numpy(dtype=object)
    core = pd.Series(names).str.replace(r"\s+(?:GmbH.*|AG|mbH|KG|e\.K\.|UG.*|SE)$", "", regex=True)
    company = (core + " " + noise + " " + serial + " " + suffix).str.strip()
    is_company = rng.random(rows) < 0.7
    company = company.where(is_company, None)

    first = pd.Series(_pick(rng, FIRST, rows))
    last = pd.Series(_pick(rng, LAST, rows))
    combined = rng.random(rows) < 0.1
    swapped = rng.random(rows) < 0.03
    last_out = last.where(~combined, first + " " + last).where(~swapped, first)
    first_out = first.where(~combined, None).where(~swapped, last)

    street = pd.Series(_pick(rng, STREETS, rows))
    number = pd.Series(rng.integers(1, 250, rows)).astype(str)
    letter = pd.Series(_pick(rng, ["", "", "", "a", "b", " A"], rows))
    house = number + letter
    joined = rng.random(rows) < 0.6
    street_out = street.where(~joined, street + " " + house)
    house_out = house.where(~joined, None)

    postcode = pd.Series(rng.integers(1067, 99999, rows)).astype(str)
    postcode = postcode.where(rng.random(rows) < 0.05, postcode.str.zfill(5))

    phone_digits = _digits(rng, rows, 7)
    area = pd.Series(_pick(rng, ["221", "30", "40", "89", "351", "711", "69", "611"], rows))
    fmt = rng.integers(0, 5, rows)
    phone = pd.Series(np.select(
        [fmt == 0, fmt == 1, fmt == 2, fmt == 3],
        ["0" + area + "/" + phone_digits, "+49 (0)" + area + " " + phone_digits,
         "0049 " + area + " " + phone_digits, "+49" + area + phone_digits],
        "0" + area + " " + phone_digits + " Durchwahl 12",
    ))  # fmt: skip
    phone = phone.where(rng.random(rows) < 0.8, None)
    mobile = ("0" + pd.Series(_pick(rng, ["151", "160", "171", "176"], rows)) + " "
              + _digits(rng, rows, 8)).where(rng.random(rows) < 0.3, None)  # fmt: skip
    fax = ("0" + area + " " + _digits(rng, rows, 7) + "-99").where(rng.random(rows) < 0.2, None)

    slug = (core.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
            + "-" + serial)  # fmt: skip
    domain = slug + pd.Series(_pick(rng, [".de", ".com", ".at", ".de", ".ch"], rows))
    local = (first.str.lower() + "." + last.str.lower()).str.replace(" ", "", regex=False)
    mailbox = pd.Series(_pick(rng, ROLES, rows)).where(rng.random(rows) < 0.4, local)
    free = pd.Series(_pick(rng, FREEMAIL, rows))
    email = (mailbox + "@" + domain.where(is_company, free)).where(rng.random(rows) < 0.7, None)
    email = email.where(rng.random(rows) < 0.9, email.str.upper())
    website = ("www." + domain).where(is_company & (rng.random(rows) < 0.6), None)

    vat = ("DE" + _digits(rng, rows, 9)).where(is_company & (rng.random(rows) < 0.3), None)
    iban = ("DE" + _digits(rng, rows, 2) + " " + _digits(rng, rows, 4) + " "
            + _digits(rng, rows, 4) + " " + _digits(rng, rows, 4) + " " + _digits(rng, rows, 4)
            + " " + _digits(rng, rows, 2)).where(rng.random(rows) < 0.2, None)  # fmt: skip
    register = pd.Series(reg["native_company_number"].to_numpy(dtype=object)[idx])
    register = ("Amtsgericht " + register).where(rng.random(rows) < 0.5, register)
    register = register.where(is_company & (rng.random(rows) < 0.4), None)

    return pd.DataFrame(
        {
            "record_id": "bench:" + pd.Series(np.arange(rows)).astype(str),
            "source": "bench",
            "company_name": company,
            "legal_form": _pick(rng, LEGAL_SPELLINGS, rows),
            "salutation": _pick(rng, SALUTATIONS, rows),
            "title": _pick(rng, TITLES, rows),
            "first_name": first_out.where(~is_company | (rng.random(rows) < 0.5), None),
            "last_name": last_out.where(~is_company | (rng.random(rows) < 0.5), None),
            "street": street_out,
            "house_number": house_out,
            "postcode": postcode,
            "city": _pick(rng, CITIES, rows),
            "country": _pick(rng, COUNTRIES, rows),
            "email": email,
            "phone": phone,
            "mobile": mobile,
            "fax": fax,
            "website": website,
            "vat_id": vat,
            "iban": iban,
            "register_number": register,
        }
    )


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from dq.schema import RECORD_COLUMNS, conform
    from dq.standardize import standardize_records

    started = time.perf_counter()
    raw = conform(generate(args.rows, args.seed), RECORD_COLUMNS)
    generated = time.perf_counter() - started
    print(f"generated {len(raw):,} records in {generated:.1f} s")
    distinct = {c: raw[c].nunique() for c in ("company_name", "phone", "email", "street")}
    print("distinct values: " + ", ".join(f"{k} {v:,}" for k, v in distinct.items()))

    started = time.perf_counter()
    cpu_started = time.process_time()
    children_started = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = standardize_records(raw)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (children.ru_utime - children_started.ru_utime) + (
        children.ru_stime - children_started.ru_stime
    )
    print(f"standardised {len(result.records):,} records in {elapsed:.1f} s "
          f"({len(result.records) / elapsed:,.0f} records/s)")  # fmt: skip
    print(f"CPU time {cpu:.1f} s, parent and worker processes "
          "(wall time above includes waiting for a shared CPU)")  # fmt: skip
    print(f"peak RSS {_peak_rss_mb():,.0f} MB "
          f"(largest worker process {_peak_rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB)")  # fmt: skip
    print(result.summary.to_string(index=False))


if __name__ == "__main__":
    main()
