"""Peak memory of ``dq ingest`` on a large CSV export (issue 17: 2,000,000 rows, ~340 MB).

Writes a UTF-8, comma-separated customer export of ``--rows`` rows (about 170 bytes a row, 15
columns in generic-csv's German headers, one quoted field with a comma) unless the file exists,
then runs ``python -m dq ingest -f FILE -c generic-csv`` in a child process and prints its peak RSS.

    python benchmarks/bench_ingest_memory.py --rows 2000000 --file /tmp/dq-2m.csv
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "Kundennummer,Firma,Anrede,Vorname,Nachname,Straße,Hausnummer,PLZ,Ort,Land,Telefon,"
    "E-Mail,Webseite,Angelegt am,Newsletter\n"
)
FIRST = ["Anna", "Jürgen", "Sabine", "Özlem", "Thomas", "Marie-Luise", "Kai", "Björn"]
LAST = ["Müller", "Schmidt", "Weiß", "Schäfer", "Koch", "Bauer", "Groß", "Lehmann"]
STREETS = ["Hauptstraße", "Königsallee", "Prager Str.", "Am Haagelspfädchen", "Bahnhofstr."]
CITIES = [("01067", "Dresden"), ("50999", "Köln"), ("80331", "München"), ("04109", "Leipzig")]


def write_export(path: Path, rows: int, seed: int = 1) -> None:
    """A customer export with ``rows`` data rows, deterministic for a seed."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            postcode, city = rng.choice(CITIES)
            company = f'"{last}, {first} & Partner {i} GmbH"' if i % 3 else ""
            fh.write(
                f"K{100000 + i},{company},{rng.choice(['Herr', 'Frau'])},{first},{last},"
                f"{rng.choice(STREETS)},{rng.randint(1, 200)},{postcode},{city},DE,"
                f"+49 221 {rng.randint(100000, 999999)},{first.lower()}.{i}@example.de,"
                f"https://www.firma{i}.de,{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.20"
                f"{rng.randint(10, 25)},{rng.choice(['ja', 'nein', ''])}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--file", type=Path, default=None, help="Reuse or write the file here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / "export.csv"
        if not path.exists():
            write_export(path, args.rows)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "dq",
                "ingest",
                "-f",
                str(path),
                "-c",
                "generic-csv",
                "-o",
                str(Path(tmp) / "out"),
                "--quiet",
            ],
            check=True,
        )
        secs = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = path.stat().st_size / 1e6 if path.exists() else float("nan")
    print(f"{args.rows:,} rows, {size:.0f} MB: {secs:.1f} s, peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
