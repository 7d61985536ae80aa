"""DACH B2B customer data with ground truth: valid identifiers, realistic phone plans.

Written from a description of how duplicates arise in real CRM/ERP landscapes, not from any
matcher's code. A seeded world of companies (DE/AT/CH, legal forms and their spellings,
branches, group siblings at one address, business parks, name changes, relocations) and their
contact persons (many for large companies) is drawn first (``b2b_entities``); four source
systems then hold records about it (``b2b_records``): ERP debtors, CRM accounts, CRM contacts
and web forms, each with its own habits and defects (typos, transliteration, mojibake, upper
case, street abbreviations, lost leading zeros, OCR digits, missing fields, phone formats
``+49 (0)…``, ``0049 …``, ``(0711) …``, extensions ``-26``; VAT IDs and IBANs with valid check
digits, a few damaged by transposition, typing or OCR so that they fail their check).

Ground truth: ``entity_id`` is the real-world party a record describes — the company for ERP and
CRM account rows, the contact person for CRM contact and web-form rows (a contact person is not
the customer; see DESIGN.md). ``company_entity_id`` names the company of every record (itself
for company rows), for contact-to-company evaluations.

    python -m benchmarks.suite.gen_b2b_valid --n 10000 --seed 1 -o b2b_10k.parquet

Sources of the name pools: company names from OffeneRegister (``data/register_names.txt``;
Data from OpenCorporates / OffeneRegister, CC BY 4.0); surnames, first names, streets,
industries, legal-form spellings and places are lists written for this suite
(``data/b2b_vocab.yaml``, ``data/b2b_places.yaml``), places with their public postcode ranges
and telephone area codes. Vectorised with numpy: 1,000,000 records take about 25 s of CPU
(97 s wall on the shared 2-core machine at load 8) and 2.6 GB peak.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.suite.b2b_entities import Vocab, world
from benchmarks.suite.b2b_records import company_records, person_records

__all__ = ["OUTPUT_COLUMNS", "generate", "write"]

OUTPUT_COLUMNS = [
    "record_id", "source", "source_key", "party_type", "company_name", "legal_form",
    "register_court", "register_number", "vat_id", "industry", "employees", "salutation",
    "title", "first_name", "last_name", "position", "company_ref", "contact_person", "street",
    "house_number", "postcode", "city", "country", "email", "phone", "mobile", "fax",
    "website", "iban", "customer_number", "created_at", "entity_id", "company_entity_id",
]  # fmt: skip
_RECORDS_PER_COMPANY = 3.4  # first guess (about 3.6 at seed 1), corrected after one draw


def _keys(rng: np.random.Generator, source: np.ndarray) -> np.ndarray:
    """Source keys: ERP debtor accounts 10000…, CRM IDs as opaque numbers."""
    keys = np.empty(len(source), dtype=object)
    for name, prefix, start in (
        ("erp", "", 10000),
        ("crm", "001", 10_000_000),
        ("crm_contacts", "003", 10_000_000),
        ("webform", "wf-", 100_000),
    ):
        mask = source == name
        k = int(mask.sum())
        numbers = start + rng.permutation(k) * 3 + rng.integers(0, 3, k)
        keys[mask] = np.char.add(prefix, numbers.astype(str))
    return keys


def _contact_person(
    rng: np.random.Generator, comp: pd.DataFrame, people: pd.DataFrame, company_row: np.ndarray
) -> np.ndarray:
    """The ERP 'Ansprechpartner': a random contact of the company, as free text."""
    counts = comp["n_contacts"].to_numpy()[company_row]
    starts = np.concatenate([[0], np.cumsum(comp["n_contacts"].to_numpy())])[company_row]
    pick = starts + (rng.random(len(company_row)) * counts).astype(np.int64)
    has = counts > 0
    pick = np.where(has, pick, 0)
    first = people["first"].to_numpy(dtype=object)[pick] if len(people) else pick.astype(object)
    last = people["last"].to_numpy(dtype=object)[pick] if len(people) else pick.astype(object)
    female = people["female"].to_numpy(bool)[pick] if len(people) else np.zeros(len(pick), bool)
    style = rng.integers(0, 4, len(pick))
    text = pd.Series(first, dtype=object) + " " + pd.Series(last, dtype=object)
    polite = pd.Series(np.where(female, "Frau ", "Herr "), dtype=object) + last
    inverted = pd.Series(last, dtype=object) + ", " + first
    out = text.where(style < 2, polite.where(style == 2, inverted)).to_numpy(dtype=object)
    out[~has] = None
    return out


def _draw(rng: np.random.Generator, vocab: Vocab, n_companies: int) -> pd.DataFrame:
    comp, people = world(rng, vocab, n_companies)
    firms = company_records(rng, vocab, comp)
    firms["source_key"] = _keys(rng, firms["source"].to_numpy())
    crm = firms[firms["source"] == "crm"].drop_duplicates("company_row")
    crm_keys = np.full(len(comp), None, dtype=object)
    crm_keys[crm["company_row"].to_numpy()] = crm["source_key"].to_numpy()
    erp = (firms["source"] == "erp").to_numpy()
    firms["contact_person"] = None
    chosen = erp & (rng.random(len(firms)) < 0.45)
    firms.loc[chosen, "contact_person"] = _contact_person(
        rng, comp, people, firms["company_row"].to_numpy()[chosen]
    )
    firms["customer_number"] = np.where(erp, firms["source_key"], None)
    firms["entity_id"] = comp["entity"].to_numpy()[firms["company_row"].to_numpy()]
    persons = person_records(rng, vocab, comp, people, crm_keys)
    persons["source_key"] = _keys(rng, persons["source"].to_numpy())
    persons["entity_id"] = people["entity"].to_numpy()[persons["person_row"].to_numpy()]
    out = pd.concat([firms, persons], ignore_index=True)
    out["company_entity_id"] = comp["entity"].to_numpy()[out["company_row"].to_numpy()]
    out["group"] = comp["group"].to_numpy()[out["company_row"].to_numpy()]
    return out


def generate(n: int = 10_000, seed: int = 1, defects: bool = False) -> pd.DataFrame:
    """``n`` shuffled source records with ground truth (``entity_id``), deterministic per seed.

    Whole company groups (a company with its look-alikes and people) are kept together; the
    last group is cut when ``n`` falls inside it. With ``defects`` a ``defects`` column names
    what was done to each record ("old_address;vat_damaged", for error analysis; the suite
    drops it before a tool sees the data).
    """
    vocab = Vocab.load()
    companies = max(1, int(n / _RECORDS_PER_COMPANY))
    while True:
        rng = np.random.default_rng(seed)
        records = _draw(rng, vocab, companies)
        if len(records) >= n:
            break
        companies = int(companies * n / max(len(records), 1) * 1.05) + 1
    records = records.sort_values("group", kind="stable").iloc[:n]
    records = records.iloc[rng.permutation(len(records))].reset_index(drop=True)
    records["record_id"] = records["source"] + ":" + records["source_key"]
    for col in OUTPUT_COLUMNS:
        if col not in records:
            records[col] = None
    frame = records[OUTPUT_COLUMNS + (["defects"] if defects else [])].copy()
    frame["employees"] = pd.array(frame["employees"], dtype="Int64")
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    text = [c for c in frame.columns if c not in ("employees", "created_at")]
    frame[text] = frame[text].astype("string")
    return frame


def write(frame: pd.DataFrame, path: Path) -> None:
    """Parquet for ``.parquet``, UTF-8 CSV otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, date_format="%Y-%m-%d")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="records (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--out", type=Path, required=True, help="output .parquet or .csv")
    parser.add_argument(
        "--defects-column", action="store_true", help="add a column naming each record's defects"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    frame = generate(args.n, args.seed, defects=args.defects_column)
    write(frame, args.out)
    entities = frame["entity_id"].nunique()
    print(
        f"{len(frame):,} records of {entities:,} entities "
        f"({frame['company_entity_id'].nunique():,} companies) -> {args.out} "
        f"in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
