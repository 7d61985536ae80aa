"""Writes the DATEV test fixtures in this folder from the column layout of the MIT-licensed samples
in shared/fixtures/datev (ledermann/datev). Run from the repository root:
``python tests/data/datev/make_fixtures.py /path/to/shared/fixtures/datev``."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
QUOTE_NUMBERS = {"Konto"}


def _columns(sample: Path) -> list[str]:
    return sample.read_text(encoding="cp1252").splitlines()[1].split(";")


def _row(columns: list[str], values: dict[str, str], unquoted: set[str]) -> str:
    cells = []
    for name in columns:
        value = values.get(name, "")
        cells.append(value if name in unquoted else f'"{value}"')
    return ";".join(cells)


DEBTORS = [
    {
        "Konto": "10001",
        "Name (Adressatentyp Unternehmen)": "Bäckerei Müller GmbH & Co. KG",
        "Adressatentyp": "2",
        "EU-Land": "DE",
        "EU-USt-IdNr.": "136695976",
        "Straße": "Königsallee 12",
        "Postleitzahl": "40212",
        "Ort": "Düsseldorf",
        "Land": "DE",
        "Telefon": "0211/4711-0",
        "E-Mail": "info@baeckerei-mueller.de",
        "Internet": "www.baeckerei-mueller.de",
        "IBAN 1": "DE89370400440532013000",
        "Kundennummer": "K-10001",
    },
    {
        "Konto": "10002",
        "Name (Adressatentyp natürl. Person)": "Weiß",
        "Vorname (Adressatentyp natürl. Person)": "Jürgen",
        "Adressatentyp": "1",
        "Anrede": "Herr",
        "Titel/Akad. Grad": "Dipl.-Ing.",
        "Straße": "Prager Straße 3",
        "Postleitzahl": "01067",
        "Ort": "Dresden",
        "Land": "DE",
        "Telefon": "+49 (0)351 123456",
        "E-Mail": "j.weiss@example.org",
        "Briefanrede": "Sehr geehrter Herr Weiß",
    },
    {
        "Konto": "10003",
        "Name (Adressatentyp Unternehmen)": "Öko-Handel Sachsen UG (haftungsbeschränkt)",
        "Adressatentyp": "2",
        "EU-Land": "DE",
        "EU-USt-IdNr.": "DE811569869",
        "Straße": "Karl-Liebknecht-Str. 5",
        "Postleitzahl": "04107",
        "Ort": "Leipzig",
        "Land": "DE",
    },
    {
        "Konto": "10004",
        "Name (Adressatentyp natürl. Person)": "Schröder",
        "Vorname (Adressatentyp natürl. Person)": "Anneliese",
        "Adressatentyp": "1",
        "Anrede": "Frau",
        "Titel/Akad. Grad": "Prof. Dr.",
        "Namensvorsatz": "von",
        "Straße": "Hauptstr. 5a",
        "Postleitzahl": "09111",
        "Ort": "Chemnitz",
        "Land": "DE",
    },
    {
        "Konto": "10005",
        "Name (Adressatentyp keine Angabe)": "Gärtnerei Blümchen",
        "Adressatentyp": "0",
        "Straße": "Am Haagelspfädchen 14",
        "Postleitzahl": "50999",
        "Ort": "Köln",
        "Land": "DE",
    },
    {
        "Konto": "70010",
        "Name (Adressatentyp Unternehmen)": "Lieferant Süd AG",
        "Adressatentyp": "2",
    },
]

U, SH, K, G = (
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
)
D, B1, B2, T, W = "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Buchungstext", "WKZ Umsatz"
BOOKINGS = [
    {
        U: "1190,00",
        SH: "S",
        W: "EUR",
        K: "10001",
        G: "8400",
        D: "1510",
        B1: "RE-2023-101",
        B2: "141123",
        T: "Rechnung Brötchenkörbe",
    },
    {
        U: "1190,00",
        SH: "H",
        W: "EUR",
        K: "10001",
        G: "1200",
        D: "0911",
        B1: "RE-2023-101",
        T: "Zahlung RE-2023-101",
    },
    {
        U: "2.380,50",
        SH: "S",
        W: "EUR",
        K: "10002",
        G: "8400",
        D: "0502",
        B1: "RE-2024-007",
        B2: "060324",
        T: "Rechnung Werkzeug",
    },
    {
        U: "119,00",
        SH: "H",
        W: "",
        K: "10002",
        G: "8400",
        D: "2002",
        B1: "GS-2024-001",
        T: "Gutschrift Rücksendung",
    },
    {
        U: "500,00",
        SH: "S",
        W: "EUR",
        K: "1200",
        G: "10003",
        D: "0103",
        B1: "RE-2024-011",
        T: "Zahlung (Bank an Debitor)",
    },
    {U: "89,90", SH: "S", W: "EUR", K: "4930", G: "1200", D: "1212", B1: "B-77", T: "Büromaterial"},
]

# Header records: format, header version, category, name, format version, created, ..., fiscal
# year start, account length, period from/to, description, ..., currency.
DEBTOR_HEADER = '"EXTF";700;16;"Debitoren/Kreditoren";{v};20240115093000000;;"DQ";"tests";"";1001;456;20240101;4;;;"Testkunden";"";;;;"";"";"";"";"";"";;;"";""'
BOOKING_HEADER = '"EXTF";700;21;"Buchungsstapel";9;20240402120000000;;"DQ";"tests";"";1001;456;20231001;4;20231001;20240331;"Buchungen WJ 2023/24";"";1;;0;"EUR";"";"";"";"";"";;;"";""'


def main(samples: Path) -> None:
    debtor_cols = _columns(samples / "EXTF_Stammdaten.csv")
    rows = [_row(debtor_cols, d, {"Konto", "Adressatentyp"}) for d in DEBTORS]
    text = "\r\n".join([DEBTOR_HEADER.format(v=5), ";".join(debtor_cols), *rows]) + "\r\n"
    (HERE / "EXTF_Debitoren_v5_cp1252.csv").write_bytes(text.encode("cp1252"))
    (HERE / "EXTF_Debitoren_v5_utf8bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    drift = (
        ";".join(debtor_cols)
        .replace("Adressatentyp", "Adressattyp")
        .replace("EU-USt-IdNr.", "EU-UStID")
        .replace("Kundennummer", "Kunden-/Lief.-Nr.")
    )
    drift_cols = drift.split(";")
    renamed = [{drift_cols[debtor_cols.index(k)]: v for k, v in d.items()} for d in DEBTORS[:3]]
    rows = [_row(drift_cols, d, {"Konto", "Adressattyp"}) for d in renamed]
    text = "\r\n".join([DEBTOR_HEADER.format(v=4), drift, *rows]) + "\r\n"
    (HERE / "EXTF_Debitoren_v4_drift.csv").write_bytes(text.encode("cp1252"))

    booking_cols = _columns(samples / "EXTF_Buchungsstapel.csv")
    numbers = {U, K, G, D}
    rows = [_row(booking_cols, b, numbers) for b in BOOKINGS]
    text = "\r\n".join([BOOKING_HEADER, ";".join(booking_cols), *rows]) + "\r\n"
    (HERE / "EXTF_Buchungsstapel_2023_24.csv").write_bytes(text.encode("cp1252"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
