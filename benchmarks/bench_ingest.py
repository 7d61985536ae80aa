"""Ingest speed and memory on large exports: a semicolon CSV in Windows-1252 and a DATEV booking
batch, each with N rows. Prints rows/s and peak RSS.

    python benchmarks/bench_ingest.py --rows 1000000
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from dq.ingest import ingest_file

STREETS = ["Hauptstraße", "Königsallee", "Prager Str.", "Am Haagelspfädchen", "Bahnhofstr."]
CITIES = [("01067", "Dresden"), ("50999", "Köln"), ("80331", "München"), ("04109", "Leipzig")]


def write_csv(path: Path, rows: int, rng: random.Random) -> None:
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write("Kundennummer;Firma;Straße;PLZ;Ort;Telefon;E-Mail;Umsatz\r\n")
        for i in range(rows):
            postcode, city = rng.choice(CITIES)
            fh.write(
                f"{10000 + i};Müller & Söhne {i} GmbH;{rng.choice(STREETS)} {rng.randint(1, 200)};"
                f"{postcode};{city};0221/{rng.randint(100000, 999999)};info{i}@example.de;"
                f"{rng.randint(0, 99999)},{rng.randint(0, 99):02d}\r\n"
            )


def write_datev(path: Path, rows: int, rng: random.Random) -> None:
    sample = (
        Path(__file__).resolve().parents[1]
        / "tests"
        / "data"
        / "datev"
        / "EXTF_Buchungsstapel_2023_24.csv"
    )
    header, columns = sample.read_text(encoding="cp1252").splitlines()[:2]
    width = len(columns.split(";"))
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write(header + "\r\n" + columns + "\r\n")
        for i in range(rows):
            cells = [""] * width
            cells[0] = f"{rng.randint(1, 99999)},{rng.randint(0, 99):02d}"
            cells[1] = '"S"' if i % 2 else '"H"'
            cells[2] = '"EUR"'
            cells[6] = str(10000 + i % 50000)
            cells[7] = "8400" if i % 2 else "1200"
            cells[9] = f"{rng.randint(1, 28):02d}{rng.choice([10, 11, 12, 1, 2, 3]):02d}"
            cells[10] = f'"RE-{i}"'
            cells[13] = '"Rechnung Büromöbel"'
            fh.write(";".join(cells) + "\r\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, datev_path = Path(tmp) / "kunden.csv", Path(tmp) / "EXTF_Buchungen.csv"
        write_csv(csv_path, args.rows, rng)
        write_datev(datev_path, args.rows, rng)
        for path, connector in ((csv_path, "generic-csv"), (datev_path, "datev-buchungsstapel")):
            size = path.stat().st_size / 1e6
            started = time.perf_counter()
            result = ingest_file(path, connector, records_of="datev")
            secs = time.perf_counter() - started
            stats = result.stats[0]
            print(
                f"{connector:22} {args.rows:>9,} rows {size:7.1f} MB  {secs:6.1f} s  "
                f"{stats.rows_read / secs:>9,.0f} rows/s  rejects {stats.rejects}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
