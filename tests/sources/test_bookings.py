"""DATEV booking semantics: each case is a hand-made booking batch read through the real reader
and connector (refund, Generalumkehr, Skonto, write-off, discount, Fälligkeit, creditors)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dq.ingest import ingest_file
from dq.schema import DOC_TYPES

DATA = Path(__file__).parent.parent / "data" / "datev"
HEADER = (
    '"EXTF";700;21;"Buchungsstapel";9;20250102120000000;;"DQ";"tests";"";1001;456;20250101;4;'
    '20250101;20251231;"Testbuchungen 2025";"";1;;0;"EUR";"";"";"";"";"";;;"";""'
)


def _columns() -> list[str]:
    lines = (DATA / "EXTF_Buchungsstapel_2023_24.csv").read_bytes().decode("cp1252").splitlines()
    return lines[1].split(";")


def batch(tmp_path: Path, rows: list[dict[str, str]], name: str = "EXTF_Buchungen.csv") -> Path:
    """Write a format-9 Buchungsstapel with ``rows`` (column name → value) in cp1252."""
    columns = _columns()
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for row in rows:
        assert set(row) <= set(columns), set(row) - set(columns)
        writer.writerow([row.get(c, "") for c in columns])
    text = HEADER + "\r\n" + ";".join(columns) + "\r\n" + buf.getvalue()
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def line(amount: str, side: str, konto: str, gegen: str, datum: str, **more: str) -> dict[str, str]:
    return {
        "Umsatz (ohne Soll/Haben-Kz)": amount,
        "Soll/Haben-Kennzeichen": side,
        "WKZ Umsatz": "EUR",
        "Konto": konto,
        "Gegenkonto (ohne BU-Schlüssel)": gegen,
        "Belegdatum": datum,
        **{k.replace("_", " "): v for k, v in more.items()},
    }


def read(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = ingest_file(path, "datev-buchungsstapel", source="bookings", records_of="datev")
    return result.transactions, result.rejects


def test_refund_to_the_customer_is_not_an_invoice(tmp_path: Path) -> None:
    # Invoice 1190, credit note 200 (return), then 200 paid back: debtor debited against bank.
    path = batch(
        tmp_path,
        [
            line("1190,00", "S", "10001", "8400", "1502", Belegfeld_1="RE-1"),
            line("200,00", "H", "10001", "8400", "2002", Belegfeld_1="GS-1"),
            line("200,00", "S", "10001", "1200", "2502", Buchungstext="Erstattung Gutschrift"),
        ],
    )
    tx, _ = read(path)
    assert tx["doc_type"].tolist() == ["invoice", "credit_note", "refund"]
    assert tx["amount"].tolist() == [1190.0, -200.0, 200.0]


@pytest.mark.parametrize(
    "flag",
    [{"Generalumkehr": "1"}, {"BU-Schlüssel": "20"}],
    ids=["gu-column", "bu-key-2x"],
)
def test_generalumkehr_cancels_the_original(tmp_path: Path, flag: dict[str, str]) -> None:
    # The reversal repeats the original booking (same side, same accounts) flagged GU.
    original = line("595,00", "S", "10002", "8400", "0303", Belegfeld_1="RE-7")
    reversal = {**original, "Belegdatum": "0503", **flag}
    tx, _ = read(batch(tmp_path, [original, reversal]))
    assert tx["doc_type"].tolist() == ["invoice", "reversal"]
    assert tx["amount"].tolist() == [595.0, -595.0]
    assert tx["amount"].sum() == 0
    assert tx["doc_number"].tolist() == ["RE-7", "RE-7"]


def test_bu_key_of_tax_rate_two_is_no_reversal(tmp_path: Path) -> None:
    # A one-digit BU-Schlüssel 2 is a tax key (7 % VAT), not a correction key.
    tx, _ = read(
        batch(tmp_path, [line("107,00", "S", "10002", "8300", "0303", **{"BU-Schlüssel": "2"})])
    )
    assert tx["doc_type"].tolist() == ["invoice"]
    assert tx["amount"].tolist() == [107.0]


def test_skonto_on_a_payment_closes_the_invoice(tmp_path: Path) -> None:
    # 1000 invoiced; the customer pays 980 and takes 20 cash discount (Skonto field).
    path = batch(
        tmp_path,
        [
            line("1000,00", "S", "10003", "8400", "0104", Belegfeld_1="RE-9"),
            line("980,00", "S", "1200", "10003", "1004", Belegfeld_1="RE-9", Skonto="20,00"),
        ],
    )
    tx, _ = read(path)
    assert tx["doc_type"].tolist() == ["invoice", "payment"]
    assert tx["amount"].tolist() == [1000.0, -1000.0]


def test_write_off_is_not_a_credit_note(tmp_path: Path) -> None:
    # SKR03 2400 and SKR04 6930 (Forderungsverluste): the receivable is lost, nothing returned.
    path = batch(
        tmp_path,
        [
            line("500,00", "S", "10004", "8400", "0105", Belegfeld_1="RE-11"),
            line("300,00", "H", "10004", "2400", "0111", Belegfeld_1="RE-11"),
            line("200,00", "S", "6930", "10004", "0111", Belegfeld_1="RE-11"),
        ],
    )
    tx, _ = read(path)
    assert tx["doc_type"].tolist() == ["invoice", "write_off", "write_off"]
    assert tx["amount"].tolist() == [500.0, -300.0, -200.0]


def test_discount_booked_on_its_own_line(tmp_path: Path) -> None:
    path = batch(tmp_path, [line("30,00", "H", "10005", "8736", "0106", Belegfeld_1="RE-12")])
    tx, _ = read(path)
    assert tx["doc_type"].tolist() == ["discount"]
    assert tx["amount"].tolist() == [-30.0]


def test_faelligkeit_is_the_due_date(tmp_path: Path) -> None:
    path = batch(
        tmp_path,
        [
            line(
                "100,00", "S", "10006", "8400", "0107", Belegfeld_1="RE-13", Fälligkeit="31072025"
            ),
            line("100,00", "S", "10006", "8400", "0207", Belegfeld_1="RE-14", Belegfeld_2="150825"),
            # Both given: the Fälligkeit column wins over Belegfeld 2.
            line(
                "100,00", "S", "10006", "8400", "0307", Fälligkeit="01092025", Belegfeld_2="150825"
            ),
            line("100,00", "S", "10006", "8400", "0407", Belegfeld_2="K-4711"),
        ],
    )
    tx, _ = read(path)
    assert tx["due_date"].dt.strftime("%Y-%m-%d").fillna("-").tolist() == [
        "2025-07-31",
        "2025-08-15",
        "2025-09-01",
        "-",
    ]


def test_creditor_bookings_are_named_as_supplier_bookings(tmp_path: Path) -> None:
    path = batch(
        tmp_path,
        [
            line("119,00", "H", "70001", "3400", "0108", Belegfeld_1="ER-1"),  # supplier invoice
            line("119,00", "S", "70001", "1200", "1508"),  # paid to the supplier
            line("50,00", "S", "4930", "1200", "1508"),  # plain ledger booking
            line(
                "80,00", "H", "10007", "70001", "2008"
            ),  # customer's debt offset with its own supplier account
        ],
    )
    tx, rejects = read(path)
    assert rejects["reason"].tolist() == [
        "skipped: a supplier booking (creditor account), not a customer's",
        "skipped: a supplier booking (creditor account), not a customer's",
        "skipped: no debtor account (a general-ledger booking)",
    ]
    assert rejects["line"].tolist() == [3, 4, 5]
    # Offsetting against a creditor account settles the customer's invoices like a payment.
    assert tx["doc_type"].tolist() == ["payment"]
    assert tx["amount"].tolist() == [-80.0]
    assert tx["record_id"].tolist() == ["datev:10007"]


def test_every_line_ends_in_exactly_one_output(tmp_path: Path) -> None:
    rows = [
        line("1,00", "S", "10001", "8400", "0101"),
        line("1,00", "H", "10001", "1200", "0201"),
        line("1,00", "S", "70001", "1200", "0301"),
        line("x", "S", "10001", "8400", "0401"),
    ]
    tx, rejects = read(batch(tmp_path, rows))
    assert len(tx) + len(rejects) == len(rows)


_accounts = st.sampled_from(
    ["10001", "10002", "70001", "1200", "1800", "8400", "4400", "2400", "6930", "8736", "4930"]
)
_lines = st.lists(
    st.builds(
        lambda amount, side, konto, gegen, gu, skonto: {
            **line(amount, side, konto, gegen, "1503"),
            "Generalumkehr": gu,
            "Skonto": skonto,
        },
        st.sampled_from(["1,00", "119,00", "2.380,50", "0,00", "x"]),
        st.sampled_from(["S", "H"]),
        _accounts,
        _accounts,
        st.sampled_from(["", "0", "1"]),
        st.sampled_from(["", "2,00"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_lines)
def test_any_batch_keeps_every_line_and_known_types(
    tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    tx, rejects = read(batch(tmp_path, rows))
    assert len(tx) + len(rejects) == len(rows)
    assert set(tx["doc_type"]) <= set(DOC_TYPES)
    # The sign follows the meaning: invoices and refunds raise what the customer owes.
    raises = tx["doc_type"].isin(["invoice", "refund"])
    assert (tx.loc[raises, "amount"] > 0).all()
    assert (tx.loc[tx["doc_type"].isin(["payment", "credit_note"]), "amount"] < 0).all()
