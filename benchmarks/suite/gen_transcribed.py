"""Customer records of DACH companies and persons, duplicated by hand-typing and system migrations.

An independent test-data generator for the matcher's evaluation suite, written from descriptions
of real-world defects (not from the matcher). Ground truth is the ``entity_id`` column; columns
follow ``dq.schema.RECORD_COLUMNS``, so ``dq standardize`` and ``dq match --truth entity_id``
read the output as it is::

    PYTHONPATH=. python benchmarks/suite/gen_transcribed.py --n 10000 --seed 1 --out t.parquet

Entities (who the customers are)
    Companies (52 %: name patterns from surnames, trades, invented names, acronyms, regions and
    OffeneRegister names, with DE/AT/CH legal forms), private persons (33 %) and sole traders
    (15 %: "Bäckerei Huber, Inh. Josef Huber e.K."), 78 % DE, 13 % AT, 9 % CH. Real cities with
    their postcodes and area codes, compound street names, house numbers with letters, ranges
    and Viennese door numbers; phones valid under the national numbering plans (mobiles
    included); e-mail at the company's domain (personal or role address) or at a free-mail
    provider; VAT IDs and IBANs with correct check digits. 1 to 8 records per entity
    (52 % singletons), spread over four systems (ERP, CRM, legacy, scanned forms) whose keys
    make the ``record_id``.

Look-alikes that are *not* duplicates (``LookalikeRates``)
    another member of a family at the same address and landline (6 % of persons); a son with
    his father's first and last name, address and phone (1 % of men); branches of a chain with
    the same name and domain in other cities, half of them sharing the VAT ID (3 % of companies,
    1-3 branches each); unrelated companies with very common names ("Müller GmbH", 3 %).

Noise (``NoiseRates``; each kind has its own rate and random stream, applied in this order)
    what the systems hold — another contact person on a company record; legal form dropped,
    changed, shortened ("KG" for "GmbH & Co. KG") or spelled differently; a role address
    instead of the personal one; first and last name swapped; misspellings by ear (Meier/Mayer,
    Schmidt/Schmitt); abbreviations (Str./Strasse, Gebr., Dr.-Ing./Dr. Ing., Hr.); the house
    number inside the street field; city, postcode, phone, e-mail, VAT ID or IBAN missing;
    phones invalid (too short, too long, without area code, an unassigned area code),
    mistyped, or written in one of 15 other forms ("0049 2078 288354", "+49 (0)2078 288354",
    "(02078) 288354", "02078/288354-0");
    VAT IDs and IBANs with an OCR letter, a transposition or a wrong digit (check digits fail),
    or written with blanks, dashes, in lower case or without country prefix; the country
    spelled out ("Deutschland", "A").
    how the text was typed, scanned and moved — keyboard slips (QWERTZ neighbours, dropped,
    doubled, swapped letters) and e-mail domain typos; OCR confusions (0/O, 1/l/I, 5/S, 8/B,
    rn/m) in names, streets, postcodes and house numbers of scanned forms; umlauts
    transliterated (ü → ue), stripped (ü → u) or garbled by an encoding mix-up ("MÃ¼ller",
    "M�ller"); the legacy system writing upper case only and cutting values at its field
    limits.

A kind is drawn per record (or per field) with its rate and applied where it can change the
value; ``--noise-column`` adds the kinds that changed each record. Everything is drawn column by
column with numpy (no Python loop per record): one million records take well under two minutes.

Name and place knowledge: see ``transcribed/data.yaml`` (frequency sources cited there).
Company names partly from OffeneRegister — "Data from OpenCorporates / OffeneRegister",
CC BY 4.0.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from benchmarks.suite.transcribed import noise, render
from benchmarks.suite.transcribed.entities import (
    KIND_NAMES,
    LOOKALIKE_NAMES,
    LookalikeRates,
    draw_entities,
)
from benchmarks.suite.transcribed.noise import NoiseLog, NoiseRates
from benchmarks.suite.transcribed.pools import load_tables

__all__ = ["Generated", "LookalikeRates", "NoiseRates", "generate", "main", "write"]


@dataclass
class Generated:
    """Output columns (numpy string arrays, "" = empty), the noise log and entity facts."""

    columns: dict[str, np.ndarray]
    log: NoiseLog
    entity_kind: np.ndarray  # per record: company, person or sole_trader
    lookalike: np.ndarray  # per record: none, family, junior, branch or common_name
    parent_entity: np.ndarray  # per record: entity_id its entity copies from, "" for none

    def __len__(self) -> int:
        return len(self.columns["record_id"])

    def to_arrow(self, noise_column: bool = False) -> pa.Table:
        """The records as an Arrow table; empty strings become nulls."""
        arrays = {}
        for name, values in self.columns.items():
            arr = pa.array(values.astype(object), type=pa.string())
            arrays[name] = pc.if_else(pc.equal(arr, ""), None, arr)
        if noise_column:
            arrays["noise"] = pa.array(self.log.column().astype(object), type=pa.string())
        return pa.table(arrays)

    def to_pandas(self, noise_column: bool = False) -> pd.DataFrame:
        """The records as a DataFrame (text columns, nulls where empty), as written to files."""
        return self.to_arrow(noise_column).to_pandas()


def generate(
    n: int,
    seed: int = 0,
    rates: NoiseRates | None = None,
    lookalikes: LookalikeRates | None = None,
    track: bool = False,
) -> Generated:
    """``n`` records with ground truth; the same arguments always give the same records.

    ``track`` also records which records each noise kind *could* have changed (for checking
    rates; costs time at large ``n``). Each noise kind draws from its own seeded stream, so
    changing one rate leaves the other kinds' choices as they were.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    rates = rates or NoiseRates()
    lookalikes = lookalikes or LookalikeRates()
    t = load_tables()
    ent, sizes = draw_entities(np.random.default_rng([seed, 1]), t, n, lookalikes)
    parts = render.expand(np.random.default_rng([seed, 2]), t, ent, sizes)
    nz = noise.Noise(rates, seed, t, parts["source"], track)
    noise.parts_noise(nz, parts)
    columns = render.compose(parts, t, np.random.default_rng([seed, 3]))
    noise.column_noise(nz, columns)
    eidx = parts["entity"]
    parent = ent.parent[eidx]
    parent_id = np.where(
        parent >= 0, np.strings.add("E", np.strings.zfill(parent.astype("T"), 7)), ""
    )
    return Generated(
        columns=columns,
        log=nz.log,
        entity_kind=np.asarray(KIND_NAMES)[ent.kind[eidx]],
        lookalike=np.asarray(LOOKALIKE_NAMES)[ent.lookalike[eidx]],
        parent_entity=parent_id,
    )


def write(gen: Generated, out: Path, noise_column: bool = False) -> None:
    """Write CSV (UTF-8, header) or Parquet, chosen by the file suffix."""
    table = gen.to_arrow(noise_column)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".parquet":
        pq.write_table(table, out)
    elif out.suffix.lower() == ".csv":
        pacsv.write_csv(table, out)
    else:
        raise SystemExit(f"--out must end in .csv or .parquet, not {out.suffix!r}")


def _rates(pairs: list[str]) -> tuple[NoiseRates, LookalikeRates]:
    rates, looks = NoiseRates(), LookalikeRates()
    noise_names = {f.name for f in fields(NoiseRates)}
    look_names = {f.name for f in fields(LookalikeRates)}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name == "all":
            factor = float(value)
            rates = NoiseRates(**{k: min(getattr(rates, k) * factor, 1.0) for k in noise_names})
        elif name in noise_names:
            rates = replace(rates, **{name: float(value)})
        elif name in look_names:
            looks = replace(looks, **{name: float(value)})
        else:
            known = ", ".join(sorted(noise_names | look_names))
            raise SystemExit(f"--rate {pair!r}: unknown kind; known: all, {known}")
    return rates, looks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of records")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="output .csv or .parquet")
    parser.add_argument(
        "--rate",
        action="append",
        default=[],
        metavar="KIND=X",
        help="set a noise or look-alike rate (repeatable); all=F scales every noise rate by F",
    )
    parser.add_argument(
        "--noise-column", action="store_true", help="add a column naming each record's noise"
    )
    args = parser.parse_args(argv)
    rates, looks = _rates(args.rate)
    started = time.perf_counter()
    gen = generate(args.n, args.seed, rates, looks)
    generated = time.perf_counter() - started
    write(gen, args.out, args.noise_column)
    entities = len(np.unique(gen.columns["entity_id"]))
    print(
        f"{len(gen):,} records of {entities:,} entities -> {args.out} "
        f"(generate {generated:.1f} s, total {time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
