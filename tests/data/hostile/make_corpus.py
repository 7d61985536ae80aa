"""Write the hostile-input corpus: small files in the shapes real exports and careless users
produce, each listed in manifest.yaml with the connector, the expected exit code, the data rows a
person counts in it, and what the message must say. Written from descriptions of real defects
(issue 17), not copied from anyone's file. Run from the repository root:

    python tests/data/hostile/make_corpus.py
"""

from __future__ import annotations

import codecs
from pathlib import Path

import yaml

HERE = Path(__file__).parent
FILES: dict[str, bytes] = {}
MANIFEST: dict[str, dict[str, object]] = {}


def add(name: str, data: bytes | str, connector: str = "generic-csv", **expect: object) -> None:
    FILES[name] = data.encode("utf-8") if isinstance(data, str) else data
    MANIFEST[name] = {"connector": connector, "exit": 0, **expect}


HEAD = "Kundennummer;Firma;Ort\n"
add("utf8_plain.csv", HEAD + "1;Müller GmbH;Köln\n2;Weiß AG;München\n3;Groß KG;Dresden\n", rows=3)
add(
    "utf8_bom.csv",
    codecs.BOM_UTF8 + (HEAD + "1;Müller GmbH;Köln\n2;Weiß AG;Köln\n").encode(),
    rows=2,
)
add(
    "cp1252_semicolons.csv",
    (HEAD + "1;Bäckerei Größ;Düsseldorf\n2;Café € Paris;Köln\n").encode("cp1252"),
    rows=2,
)
tab = "Kundennummer\tFirma\tOrt\r\n1\tMüller GmbH\tKöln\r\n2\tŠkoda s.r.o.\tPraha\r\n"
add("utf16_with_bom.txt", tab.encode("utf-16"), rows=2)
add("utf16le_without_bom.txt", tab.encode("utf-16-le"), rows=2)
add("utf16be_without_bom.txt", tab.encode("utf-16-be"), rows=2)
add(
    "nul_bytes_in_one_row.csv",
    b"Kundennummer;Firma;Ort\n1;Alpha GmbH;Berlin\n2;Be\x00\x00ta;Bonn\n3;Gamma AG;Trier\n",
    rows=3,
    rejects=1,
    reject_lines=[3],
    reason="NUL byte",
)
add(
    "one_cp1252_row_in_utf8.csv",
    "Kundennummer;Firma;Ort\n1;Müller;Köln\n".encode()
    + "2;Gärtner;Jena\n".encode("cp1252")
    + "3;Öztürk;Essen\n".encode(),
    rows=3,
    rejects=1,
    reject_lines=[3],
    reason="not valid UTF-8",
)
add(
    "strict_refuses_mixed_encoding.csv",
    "Kundennummer;Firma;Ort\n1;Müller;Köln\n".encode() + "2;Gärtner;Jena\n".encode("cp1252"),
    strict=True,
    exit=3,
    message="line 3",
)
add(
    "byte_undefined_in_cp1252.csv",
    b"Kundennummer;Firma;Ort\n1;B\xe4ckerei;K\xf6ln\n2;Bad\x81Byte;Ulm\n",
    rows=2,
    rejects=1,
    reject_lines=[3],
    reason="neither UTF-8 nor Windows-1252",
)
add(
    "xlsx_saved_as_csv.csv",
    b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
    exit=3,
    message="zip archive",
)
add("binary_garbage.csv", bytes([0, 0, 7, 0, 0, 1, 255, 0]) * 500, exit=3, message="NUL bytes")
add("empty.csv", b"", exit=3, message="empty")
add("blank_lines_only.csv", "\r\n\n   \n\t\n", exit=3, message="empty")
add("only_delimiters.csv", ";;;\n;;;\n", exit=3, message="empty")
add("header_only.csv", "Kundennummer;Firma;Ort\r\n", rows=0)
add(
    "ragged_rows.csv",
    HEAD + "1;A GmbH;Köln\n2;B GmbH\n3;C GmbH;Ulm;extra\n4;D GmbH;Kiel;;\n",
    rows=4,
    rejects=2,
    reject_lines=[3, 4],
    reason="fields",
)
add(
    "unclosed_quote_mid_file.csv",
    HEAD + '1;"Alpha;Berlin\n2;Beta;Bonn\n3;Gamma;Trier\n4;Delta;Jena\n',
    rows=4,
    rejects=1,
    reject_lines=[2],
    reason="quote",
)
add(
    "truncated_inside_quotes.csv",
    HEAD + '1;Alpha;Berlin\n2;"Beta GmbH',
    rows=2,
    rejects=1,
    reject_lines=[3],
    reason="quote",
)
add(
    "giant_field.csv",
    "Kundennummer;Firma;Notiz\n1;Alpha;" + "x" * 200_000 + "\n2;Beta;kurz\n",
    rows=2,
)
add(
    "decimal_commas.csv",
    "Kundennummer;Firma;Mitarbeiter\n1;Alpha;1.250\n2;Beta;12,5\n",
    rows=2,
    parse_issues=1,
)
add(
    "formula_cells.csv",
    'Kundennummer,Firma,Ort\n1,"=HYPERLINK(""http://x.example"",""klick"")",Köln\n2,+cmd|\' /C calc\'!A0,Bonn\n3,@SUM(A1:A2),-2+3\n',
    rows=3,
)
add(
    "bidi_and_zero_width.csv",
    "Kundennummer;Firma;Ort\n1;Al\u200bpha\u202e GmbH;Köln\n2;\ufeffBeta AG\u200d;Bonn\n",
    rows=2,
)
add(
    "crlf_lf_cr_mixed.csv",
    b"Kundennummer;Firma;Ort\r\n1;Alpha;Berlin\n2;Beta;Bonn\r3;Gamma;Trier\r\n",
    rows=3,
)
add(
    "duplicate_headers.csv",
    "Kundennummer;Firma;Firma;Ort\n1;Alpha;Alpha Holding;Köln\n2;Beta;;Bonn\n",
    rows=2,
)
add(
    "no_header_recognised.csv",
    "NAME,BILLINGCITY,PHONE\nAlpha GmbH,Köln,0221 1\nBeta AG,Bonn,0228 2\n",
    exit=3,
    message="salesforce-accounts",
)
add(
    "html_error_page.csv",
    "<!DOCTYPE html>\n<html><body><h1>Session expired</h1></body></html>\n",
    exit=3,
    message="connector 'generic-csv' finds 0",
)
add("tab_separated.tsv", "Kundennummer\tFirma\tOrt\n1\tAlpha; Beta\tKöln\n2\tGamma\tBonn\n", rows=2)
add("pipe_separated.csv", "Kundennummer|Firma|Ort\n1|Alpha|Köln\n2|Beta|Bonn\n", rows=2)
add("no_final_newline.csv", HEAD + "1;Alpha;Köln\n2;Beta;Bonn", rows=2)
add(
    "padded_values.csv",
    "Kundennummer ; Firma ; Ort\n 1 ;  Alpha GmbH  ; Köln \n2;Beta;Bonn\n",
    rows=2,
)
add(
    "unicode_line_separators.csv",
    "Kundennummer;Firma;Ort\n1;Alpha\u2028Zweigstelle;Köln\n2;Beta\x0bGmbH;Bonn\n3;Gamma\x1cAG;Ulm\n",
    rows=3,
)
add(
    "quoted_line_breaks.csv",
    'ID,NAME,BILLINGSTREET,BILLINGCITY,PHONE\n001A,Alpha GmbH,"Zeil 1\r\n3. OG",Frankfurt,069 1\n001B,Beta AG,"Hauptstr. 2",Bonn,0228 2\n',
    connector="salesforce-accounts",
    rows=2,
)
add(
    "unparseable_values.csv",
    "Kundennummer;Firma;Nachname;Typ;Angelegt am;Newsletter\n1;Alpha GmbH;;Firma;gestern;ja\n2;;Maier;Verein;01.02.2024;info@maier.example\n3;Beta GmbH;;Person;31.02.2024;nein\n",
    rows=3,
    parse_issues=5,
)
add(
    "us_short_dates.csv",
    "Record ID,Company name,Create Date,Last Activity Date,City,Country/Region\n101,Alpha Inc,2/23/26,2/23/26 14:05,Boston,United States\n102,Beta LLC,12/1/25,1/5/26 9:30,Austin,United States\n",
    connector="hubspot-companies",
    rows=2,
    parse_issues=0,
)
add(
    "excel_damaged_ids.csv",
    "Id,Name,BillingPostalCode,BillingCity,Phone\n1.52533E+11,Alpha GmbH,50667,Köln,0221 1\n1.52533E+11,Beta AG,53111,Bonn,0228 2\n001C,Gamma KG,89073,Ulm,0731 3\n",
    connector="salesforce-accounts",
    rows=3,
    parse_issues=2,
)
add(
    "salesforce_accounts_without_id.csv",
    "Name,BillingStreet,BillingPostalCode,BillingCity,BillingCountry,Phone\nAlpha GmbH,Ring 1,50667,Köln,DE,0221 1\nBeta AG,Weg 2,53111,Bonn,DE,0228 2\n",
    connector="salesforce-accounts",
    rows=2,
)
add(
    "hubspot_contacts_with_companies.csv",
    "Record ID - Contact,First Name,Last Name,Email,Create Date,Company name,Record ID - Company,Create Date\n11,Anna,Schmidt,anna@alpha.example,2/3/26,Alpha GmbH,901,1/2/25\n12,Jens,Koch,jens@beta.example,2/4/26,Beta AG,902,1/3/25\n",
    connector="hubspot-contacts",
    rows=2,
)
DATEV48 = (
    '"EXTF";700;48;"Diverse Adressen";2;20240115093000000;;"DQ";"tests";"";1001;456;20240101;4;;;"";"";;;;"";"";"";"";"";"";;;"";""\r\n'
    "Adressnummer;Konto;Anrede;Name (Adressattyp Unternehmen);Unternehmensgegenstand;Kurzbezeichnung;Name (Adressattyp natürl. Person);Vorname (Adressattyp natürl. Person);Name (Adressattyp keine Angabe);Adressattyp;Titel/Akad. Grad;Adelstitel;Namensvorsatz;Abweichende Anrede;Adressart;Straße;Postfach;Postleitzahl;Ort;Land\r\n"
    '"A-1";10000;"";"Alpha GmbH";"";"";"";"";"";"2";"";"";"";"";"STR";"Hauptstr. 1";"";"50667";"Köln";"DE"\r\n'
    '"A-2";10000;"Frau";"";"";"";"Maier";"Eva";"";"1";"Dr.";"";"";"";"STR";"Ring 2";"";"53111";"Bonn";"DE"\r\n'
)
add(
    "datev_diverse_adressen.csv",
    DATEV48.encode("cp1252"),
    connector="datev-diverse-adressen",
    rows=2,
)
add(
    "datev_48_with_debitoren.csv",
    DATEV48.encode("cp1252"),
    connector="datev-debitoren",
    exit=3,
    message="datev-diverse-adressen",
)
add(
    "datev_with_csv_connector.csv",
    DATEV48.encode("cp1252"),
    connector="generic-csv",
    exit=3,
    message="datev-diverse-adressen",
)
add(
    "csv_with_datev_connector.csv",
    HEAD + "1;Alpha;Köln\n",
    connector="datev-debitoren",
    exit=3,
    message="not a DATEV file",
)
add(
    "semicolon_in_comma_file.csv",
    'Kundennummer,Firma,Ort\n1,"Alpha; Beta GmbH",Köln\n2,Gamma,Bonn\n',
    rows=2,
)

if __name__ == "__main__":
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    text = yaml.safe_dump(MANIFEST, sort_keys=True, allow_unicode=True, width=100)
    (HERE / "manifest.yaml").write_text(
        "# Written by make_corpus.py: connector, expected exit code, data rows in the file, and\n"
        "# what the message, rejects or parse issues must show.\n" + text,
        encoding="utf-8",
    )
    print(f"{len(FILES)} files")
