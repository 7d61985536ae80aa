"""The canonical tables every stage reads and writes: records, transactions and interactions.

Columns and their kinds are declared once, as data (``RECORD_COLUMNS`` …); the pandera models
and the helpers that conform a DataFrame to a table are built from that declaration. A column a
source does not have is present and null, so every stage sees the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pandas as pd
import pandera.pandas as pa

__all__ = [
    "CHANNELS",
    "DOC_TYPES",
    "INTERACTION_COLUMNS",
    "INTERACTION_KINDS",
    "PARSE_ISSUE_COLUMNS",
    "PARTY_TYPES",
    "RECORD_COLUMNS",
    "REJECT_COLUMNS",
    "REQUEST_COLUMNS",
    "TRANSACTION_COLUMNS",
    "ColumnKind",
    "conform",
    "empty",
    "interactions_schema",
    "records_schema",
    "transactions_schema",
]

ColumnKind = Literal["text", "date", "int", "float", "bool"]

# Lineage columns lead back to the file and line every row came from.
_LINEAGE: dict[str, ColumnKind] = {
    "record_id": "text",  # "<source>:<key>", key = the source's own ID or a content hash
    "source": "text",
    "source_key": "text",
    "source_file": "text",
    "source_row": "int",  # physical line number of the row in its file (1-based)
}

RECORD_COLUMNS: dict[str, ColumnKind] = {
    **_LINEAGE,
    "party_type": "text",
    # company
    "company_name": "text",
    "legal_form": "text",
    "name_core": "text",
    "register_court": "text",
    "register_number": "text",
    "vat_id": "text",
    "industry": "text",
    "employees": "int",
    # person
    "salutation": "text",
    "title": "text",
    "first_name": "text",
    "last_name": "text",
    "position": "text",
    # a private customer's date of birth (CRM "Birthdate", "Geburtsdatum"): tells namesakes
    # and family members at one address apart; personal data, masked in reports
    "birth_date": "date",
    # the company a person record belongs to: the company's key in its source (Salesforce
    # AccountId, HubSpot "Record ID - Company"), resolved to a record by `companies_of`
    "company_ref": "text",
    # a contact person's full name held on a company record (DATEV "Ansprechpartner")
    "contact_person": "text",
    # address
    "street": "text",
    "house_number": "text",
    "address_extra": "text",  # second address line (c/o, building, floor)
    "postcode": "text",
    "city": "text",
    "region": "text",  # state / Bundesland / canton as exported
    "country": "text",
    # contact
    "email": "text",
    "phone": "text",
    "mobile": "text",
    "fax": "text",
    "website": "text",
    "domain": "text",
    "social_profiles": "text",
    # business
    "customer_number": "text",
    "iban": "text",
    "bic": "text",
    "tax_number": "text",  # national tax number (Steuernummer), not the VAT ID
    "created_at": "date",
    "updated_at": "date",
    "last_activity_at": "date",
    # consent
    "marketing_consent": "bool",
    "consent_at": "date",
    "consent_withdrawn_at": "date",
}

TRANSACTION_COLUMNS: dict[str, ColumnKind] = {
    "record_id": "text",
    "source": "text",
    "source_file": "text",
    "source_row": "int",
    "doc_type": "text",
    "doc_number": "text",
    "doc_date": "date",
    "due_date": "date",
    "amount": "float",  # signed: positive when what the customer owes goes up
    "currency": "text",
    "account": "text",
    "contra_account": "text",
    "text": "text",
}

INTERACTION_COLUMNS: dict[str, ColumnKind] = {
    "record_id": "text",
    "source": "text",
    "source_file": "text",
    "source_row": "int",
    "date": "date",
    "channel": "text",
    "author": "text",
    "subject": "text",
    "text": "text",
    "kind": "text",
}

# Privacy requests (access, erasure, objection …) and whatever identifies the person asking.
REQUEST_COLUMNS: dict[str, ColumnKind] = {
    "request_id": "text",
    "source": "text",
    "source_file": "text",
    "source_row": "int",
    "type": "text",  # access|erasure|objection|restriction|consent_withdrawn|hold|hold_released
    "received_at": "date",
    "email": "text",
    "name": "text",  # a whole name in one field
    "first_name": "text",
    "last_name": "text",
    "phone": "text",
    "customer_number": "text",
    "postcode": "text",
    "country": "text",
    "note": "text",
}

REJECT_COLUMNS: dict[str, ColumnKind] = {
    "source": "text",
    "file": "text",
    "line": "int",
    "column": "text",
    "reason": "text",
    "raw": "text",
}

# A value present in the source that could not be parsed (its canonical column is null) or was
# corrected on reading: visible as an issue, never silently dropped.
PARSE_ISSUE_COLUMNS: dict[str, ColumnKind] = {
    "table": "text",  # records | transactions | interactions
    "source": "text",
    "file": "text",
    "line": "int",
    "record_id": "text",
    "column": "text",  # canonical column
    "source_column": "text",  # the file's header name(s)
    "check": "text",  # parseable | party_type | excel_identifier | company_ref
    "value": "text",  # the raw value as read
    "reason": "text",
}

PARTY_TYPES = ("company", "person")
DOC_TYPES = (
    "invoice",
    "payment",
    "credit_note",
    "return",
    "refund",  # money paid back to the customer
    "discount",  # cash discount granted (Skonto)
    "write_off",  # a receivable written off as lost (Forderungsverlust)
    "reversal",  # cancels an earlier booking (DATEV Generalumkehr)
    "other",
)
CHANNELS = ("call", "email", "visit", "meeting", "note")
INTERACTION_KINDS = ("complaint", "return", "reminder", "offer", "order", "other")

_DTYPES: dict[ColumnKind, str] = {
    "text": "string",
    "date": "datetime64[ns]",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
}


def empty(columns: Mapping[str, ColumnKind]) -> pd.DataFrame:
    """An empty DataFrame with the given canonical columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=_DTYPES[kind]) for name, kind in columns.items()})


def conform(frame: pd.DataFrame, columns: Mapping[str, ColumnKind]) -> pd.DataFrame:
    """Return ``frame`` with every canonical column present (null when absent) and typed.

    Canonical columns come first, in declaration order; extra columns (``<column>_raw``, scores,
    flags) are kept after them. Values are not cleaned here: only their dtype is set.
    """
    out = pd.DataFrame(index=frame.index)
    for name, kind in columns.items():
        if name in frame.columns:
            out[name] = _as_kind(frame[name], kind)
        else:
            out[name] = pd.Series(pd.NA, index=frame.index, dtype=_DTYPES[kind])
    extras = [c for c in frame.columns if c not in columns]
    if extras:
        out = pd.concat([out, frame[extras]], axis=1)
    return out


def _as_kind(series: pd.Series, kind: ColumnKind) -> pd.Series:
    dtype = _DTYPES[kind]
    if str(series.dtype) == dtype:
        return series
    if kind == "date":
        return pd.to_datetime(series, errors="coerce")
    if kind == "int":
        return pd.to_numeric(series, errors="coerce").astype("Int64")
    if kind == "float":
        return pd.to_numeric(series, errors="coerce").astype("float64")
    if kind == "bool":
        if pd.api.types.is_bool_dtype(series.dtype):
            return series.astype("boolean")
        from dq.sources.values import parse_bool  # text from CSV: "True", "ja", "1", …

        return parse_bool(series)[0]
    text = series.astype("string")
    return text.where(text.str.strip() != "")


def _model(
    name: str, columns: Mapping[str, ColumnKind], checks: Mapping[str, pa.Check]
) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            col: pa.Column(_DTYPES[kind], checks=checks.get(col), nullable=col != "record_id")
            for col, kind in columns.items()
        },
        name=name,
        strict=False,
        ordered=False,
    )


def records_schema() -> pa.DataFrameSchema:
    """The pandera schema of canonical records (structure and closed vocabularies only)."""
    return _model(
        "records",
        RECORD_COLUMNS,
        {
            "record_id": pa.Check.str_contains(":"),
            "party_type": pa.Check.isin(PARTY_TYPES),
        },
    )


def transactions_schema() -> pa.DataFrameSchema:
    """The pandera schema of transactions from accounting sources."""
    return _model("transactions", TRANSACTION_COLUMNS, {"doc_type": pa.Check.isin(DOC_TYPES)})


def interactions_schema() -> pa.DataFrameSchema:
    """The pandera schema of interactions from sales notes and CRM activity."""
    return _model(
        "interactions",
        INTERACTION_COLUMNS,
        {"channel": pa.Check.isin(CHANNELS), "kind": pa.Check.isin(INTERACTION_KINDS)},
    )
