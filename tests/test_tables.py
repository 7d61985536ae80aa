"""dq's own tables as CSV: spreadsheet-safe when written, typed and unguarded when read back."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dq.cli.app import app
from dq.csv_safety import FORMULA_TRIGGERS
from dq.errors import InputError
from dq.schema import RECORD_COLUMNS
from dq.table_columns import column_kind
from dq.tables import read_table, write_table

HOSTILE = Path(__file__).parent / "data" / "csv_injection"
TABLES = (
    "records",
    "golden",
    "interactions",
    "rejects",
    "issues",
    "crosswalk",
    "review",
    "transactions",
    "quality_summary",
    "gates",
    "standardize_summary",
)
# tables whose cells carry the fixture's formula payloads
GUARDED = ("records", "golden", "interactions", "rejects", "issues")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The hostile workspace run twice, as Parquet (the raw truth) and as CSV."""
    ws = tmp_path_factory.mktemp("ws")
    shutil.copytree(HOSTILE, ws, dirs_exist_ok=True)
    out = {}
    for fmt in ("parquet", "csv"):
        out[fmt] = ws / f"out-{fmt}"
        args = ["run", str(ws), "-o", str(out[fmt]), "--format", fmt, "--as-of", "2025-06-30"]
        result = CliRunner().invoke(app, [*args, "--show-values", "-q"])
        assert result.exit_code == 0, result.output
    return out["parquet"], out["csv"]


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Dtypes a CSV cannot tell apart made equal: categories and objects as text, ints nullable."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype):
            out[column] = out[column].astype("string")
        elif pd.api.types.is_integer_dtype(dtype):
            out[column] = out[column].astype("Int64")
        elif pd.api.types.is_bool_dtype(dtype):
            out[column] = out[column].astype("boolean")
    return out


@pytest.mark.parametrize("table", TABLES)
def test_no_csv_cell_starts_a_formula(runs: tuple[Path, Path], table: str) -> None:
    for cell in _cells(runs[1] / f"{table}.csv"):
        if cell and cell[0] in FORMULA_TRIGGERS:
            float(cell.replace(",", "."))  # only a plain number may: an E.164 phone, an amount


@pytest.mark.parametrize("table", GUARDED)
def test_payloads_are_written_guarded(runs: tuple[Path, Path], table: str) -> None:
    cells = _cells(runs[1] / f"{table}.csv")
    assert any(c.startswith("'") and c[1:2] in FORMULA_TRIGGERS for c in cells)


@pytest.mark.parametrize("table", TABLES)
def test_csv_reads_back_what_parquet_holds(runs: tuple[Path, Path], table: str) -> None:
    raw = pd.read_parquet(runs[0] / f"{table}.parquet")
    back = read_table(runs[1] / f"{table}.csv")
    assert list(back.columns) == list(raw.columns)
    expected, got = _comparable(raw), _comparable(back)
    id_columns = [c for c in ("golden_id",) if c in raw.columns]
    for frame in (expected, got):  # golden IDs are the same across runs of one workspace
        frame.drop(columns=id_columns, inplace=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=True, check_exact=False, rtol=1e-12)


def test_parquet_stays_raw(runs: tuple[Path, Path]) -> None:
    names = pd.read_parquet(runs[0] / "records.parquet")["company_name"].dropna().tolist()
    assert any(n.startswith("=HYPERLINK(") for n in names)
    assert "'=schon geschützt GmbH" in names


def test_masked_issue_values_never_start_a_formula(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(HOSTILE, ws)
    result = CliRunner().invoke(app, ["run", str(ws), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0, result.output
    values = pd.read_parquet(tmp_path / "o" / "issues.parquet")["value"].dropna()
    assert len(values) and not values.str[:1].isin(list(FORMULA_TRIGGERS)).any()


@pytest.mark.parametrize(
    ("column", "kind", "bad", "message"),
    [
        ("phone_valid", "bool", "vielleicht", "not a flag (True/False)"),
        ("created_at", "date", "23.02.2026", "not an ISO date (YYYY-MM-DD)"),
        ("employees", "int", "12.5", "not a whole number"),
        ("quality_score", "float", "hoch", "not a number"),
    ],
)
def test_a_value_that_does_not_fit_names_line_and_column(
    tmp_path: Path, column: str, kind: str, bad: str, message: str
) -> None:
    assert column_kind(column, "records") == kind
    path = tmp_path / "records.csv"
    # the first record's note spans two lines, so the bad record starts on line 4
    path.write_text(
        f'record_id,text,{column}\ncrm:1,"zwei\nZeilen",\ncrm:2,,{bad}\n', encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_table(path)
    text = str(err.value)
    assert text == (
        f"{path}, line 4, column '{column}': 1 value(s) are {message} "
        "(correct the cell, or write the table again with dq)"
    )
    assert bad not in text  # values never reach messages
    assert read_table(path, strict=False)[column].tolist() == [pd.NA, bad]


def test_excel_saved_csv_with_bom_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    # German Excel saves with a BOM, semicolons and WAHR/FALSCH for flags
    path.write_bytes("\ufeffrecord_id;company_name;email_valid\ncrm:1;'=x GmbH;WAHR\n".encode())
    frame = read_table(path, RECORD_COLUMNS)
    assert frame.loc[0, "company_name"] == "=x GmbH"
    assert frame["email_valid"].dtype == "boolean" and bool(frame.loc[0, "email_valid"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (
            "record_id\ncrm:\xe4\n".encode("cp1252"),
            "line 2: not UTF-8 text \\(byte 5 of the line\\)",
        ),
    ],
)
def test_unreadable_csv_is_an_input_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_table(path)


def test_headers_are_guarded_and_restored(tmp_path: Path) -> None:
    frame = pd.DataFrame({"=cmd": ["a"], "amount": [-12.5], "phone": ["+4930123456"]})
    path = write_table(frame, tmp_path, "t", "csv")
    assert path.read_text(encoding="utf-8").splitlines() == [
        "'=cmd,amount,phone",
        "a,-12.5,+4930123456",
    ]
    back = read_table(path)
    assert list(back.columns) == ["=cmd", "amount", "phone"]


_CELLS = st.one_of(
    st.none(),
    st.text(min_size=1).filter(lambda s: "\x00" not in s),
    st.sampled_from(["=1+1", "'=x", "''@y", "+4930123456", "-12.50", "a\r\nb", "\r=cmd", '"q",']),
)


@settings(max_examples=150)
@given(st.lists(st.tuples(_CELLS, _CELLS), min_size=1, max_size=8))
def test_text_round_trips_through_csv(tmp_path_factory: pytest.TempPathFactory, rows: list) -> None:  # type: ignore[type-arg]
    frame = pd.DataFrame(rows, columns=["company_name", "=note"]).astype("string")
    out = tmp_path_factory.mktemp("rt")
    back = read_table(write_table(frame, out, "t", "csv"))
    pd.testing.assert_frame_equal(back, frame)


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.booleans()),
            st.one_of(st.none(), st.integers(-(2**53), 2**53)),
            st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
            st.one_of(
                st.none(),
                st.dates(
                    min_value=pd.Timestamp.min.date().replace(year=1700),
                    max_value=pd.Timestamp.max.date().replace(year=2260),
                ),
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_typed_columns_round_trip_through_csv(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list,  # type: ignore[type-arg]
) -> None:
    flags, counts, scores, dates = zip(*rows, strict=True)
    frame = pd.DataFrame(
        {
            "phone_valid": pd.array(flags, dtype="boolean"),
            "employees": pd.array(counts, dtype="Int64"),
            "quality_score": pd.Series(
                [float("nan") if s is None else s for s in scores], dtype="float64"
            ),
            "created_at": pd.to_datetime(pd.Series(dates, dtype=object)).astype("datetime64[ns]"),
        }
    )
    back = read_table(write_table(frame, tmp_path_factory.mktemp("rt"), "records", "csv"))
    pd.testing.assert_frame_equal(back, frame, check_exact=True)


@pytest.mark.parametrize(
    ("table", "column", "kind"),
    [
        ("records", "phone_valid", "bool"),
        ("records", "email_freemail", "bool"),
        ("records", "quality_score", "float"),
        ("records", "customer_last_activity", "date"),
        ("records", "created_at", "date"),
        ("records", "source_row", "int"),
        ("records", "postcode", "text"),
        ("records", "postcode_raw", "text"),
        ("golden", "record_count", "int"),
        ("golden", "employees__from", "text"),
        ("contacts", "consent_at", "date"),
        ("contacts", "marketing_consent", "bool"),
        ("review", "left_postcode", "text"),
        ("review", "left_employees", "int"),
        ("review", "address__weight", "float"),
        ("review", "address__level", "text"),
        ("gates", "passed", "bool"),
        ("quality_summary", "passed", "int"),
        ("quality_rules", "failed", "int"),
        ("rejects", "line", "int"),
        ("web_sites", "fetched_at", "date"),
        ("web_sites", "pages_fetched", "int"),
        ("renamed-by-user", "phone_valid", "bool"),
        ("renamed-by-user", "passed", "text"),
    ],
)
def test_column_kinds(table: str, column: str, kind: str) -> None:
    assert column_kind(column, table) == kind


def test_parquet_text_can_be_read_as_arrow_strings(tmp_path: Path) -> None:
    frame = pd.DataFrame({"record_id": ["a:1", "a:2"], "city": ["Köln", None]}, dtype="string")
    frame["created_at"] = pd.to_datetime(["2024-01-02", None])
    path = write_table(frame, tmp_path, "records", "parquet")
    plain = read_table(path, RECORD_COLUMNS)
    arrow = read_table(path, RECORD_COLUMNS, arrow_text=True)
    assert arrow["city"].dtype == pd.StringDtype("pyarrow")
    assert arrow["created_at"].dtype == plain["created_at"].dtype
    pd.testing.assert_frame_equal(
        arrow.astype({"record_id": "string", "city": "string"})[
            ["record_id", "city", "created_at"]
        ],
        plain[["record_id", "city", "created_at"]].astype(
            {"record_id": "string", "city": "string"}
        ),
    )
