"""Standardise a table of canonical records: every kind of value, once per distinct value.

:func:`standardize_records` is the stage ``dq standardize`` and ``dq run`` call. Canonical
columns come back holding standardised values; the raw input of every column that changed is
kept in ``<column>_raw``; flag and key columns are added after them (listed in
:data:`FLAG_COLUMNS`, documented in docs/standardize.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from dq.memory import arrow_strings, release_unused, use_malloc_for_arrow
from dq.schema import RECORD_COLUMNS, conform
from dq.standardize._vector import (
    as_text,
    map_distinct,
    map_distinct_rows,
    map_row_chunks,
)
from dq.standardize.addresses import (
    clean_city,
    is_po_box_value,
    normalize_country,
    normalize_house_number,
    normalize_street,
    parse_address_line,
    postcode_columns,
    split_street,
    street_key,
)
from dq.standardize.companies import company_columns
from dq.standardize.emails import email_columns
from dq.standardize.identifier_columns import (
    domain_series,
    iban_columns,
    vat_id_columns,
    website_columns,
)
from dq.standardize.identifiers import parse_register_number
from dq.standardize.persons import standardize_person
from dq.standardize.phones import phone_columns
from dq.standardize.text import (
    clean_text,
    clean_text_series,
    fold,
    is_placeholder_value,
    placeholder_mask,
)

__all__ = [
    "FLAG_COLUMNS",
    "StandardizeResult",
    "raw_values",
    "standardize_chunk",
    "standardize_records",
]

log = logging.getLogger(__name__)

# Added columns, in output order: (name, dtype, what it says).
FLAG_COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("country_valid", "boolean", "country resolved to an ISO 3166-1 alpha-2 code"),
    ("postcode_valid", "boolean", "postcode has the shape its country uses"),
    ("is_po_box", "boolean", "street is a post-office box"),
    ("street_key", "string", "street folded for matching: abbreviations expanded, ä→ae"),
    ("city_fold", "string", "city folded for matching (ä→ae)"),
    ("phone_valid", "boolean", "phone is a valid number for its region"),
    ("phone_type", "string", "fixed_line, mobile, fixed_line_or_mobile, toll_free, voip, …"),
    ("phone_extension", "string", "extension split off the phone number"),
    ("mobile_valid", "boolean", "mobile is a valid number"),
    ("mobile_type", "string", "type of the mobile number"),
    ("mobile_extension", "string", "extension split off the mobile number"),
    ("fax_valid", "boolean", "fax is a valid number"),
    ("fax_type", "string", "type of the fax number"),
    ("fax_extension", "string", "extension split off the fax number"),
    ("email_valid", "boolean", "e-mail address is syntactically valid (no DNS)"),
    ("email_role", "boolean", "role mailbox (info@, kontakt@ …), not a person's address"),
    ("email_freemail", "boolean", "free-mail provider (gmx.de, gmail.com …)"),
    ("email_domain", "string", "registrable domain of the e-mail address"),
    ("website_valid", "boolean", "website is an http(s) URL with a plausible host"),
    ("vat_id_valid", "boolean", "VAT ID of an EU state or Swiss UID with a correct check digit"),
    ("iban_valid", "boolean", "IBAN with correct length, format and check digits"),
    ("register_number_valid", "boolean", "German register number (type + number, known court)"),
    ("legal_form_known", "boolean", "legal form found in the legal-form table"),
    ("legal_form_elf", "string", "ISO 20275 ELF code of the legal form in the record's country"),
    ("personal_data_in_name", "boolean", "company name carries a natural person's name"),
    ("salutation_known", "boolean", "salutation found in the salutation table"),
    ("gender", "string", "male / female / diverse, from the salutation only"),
    ("name_swapped", "boolean", "first and last name were exchanged"),
    ("first_name_fold", "string", "first name folded for matching (ä→ae)"),
    ("last_name_fold", "string", "last name folded for matching (ä→ae)"),
    ("placeholder_columns", "string", "columns whose value was a placeholder (n/a, xxx …), nulled"),
)

# Which flag says a column's value is invalid (for the summary).
_INVALID_FLAG = {
    "country": "country_valid",
    "postcode": "postcode_valid",
    "phone": "phone_valid",
    "mobile": "mobile_valid",
    "fax": "fax_valid",
    "email": "email_valid",
    "website": "website_valid",
    "vat_id": "vat_id_valid",
    "iban": "iban_valid",
    "register_number": "register_number_valid",
    "legal_form": "legal_form_known",
    "salutation": "salutation_known",
}

# Columns whose values are checked: a placeholder there fails its check, so only the failed
# values are tested for placeholders (after standardising), which saves a pass over the column.
_CHECKED = {
    "email": ["email_valid", "email_role", "email_freemail", "email_domain"],
    "phone": ["phone_valid", "phone_type", "phone_extension"],
    "mobile": ["mobile_valid", "mobile_type", "mobile_extension"],
    "fax": ["fax_valid", "fax_type", "fax_extension"],
    "website": ["website_valid"],
    "vat_id": ["vat_id_valid"],
    "iban": ["iban_valid"],
    "register_number": ["register_number_valid"],
}

# Standardised columns: their changes are counted in the summary.
_STANDARDISED = (
    "party_type",
    "company_name",
    "legal_form",
    "name_core",
    "register_court",
    "register_number",
    "vat_id",
    "industry",
    "salutation",
    "title",
    "first_name",
    "last_name",
    "position",
    "street",
    "house_number",
    "postcode",
    "city",
    "country",
    "email",
    "phone",
    "mobile",
    "fax",
    "website",
    "domain",
    "iban",
)

# Columns whose placeholder values ("n/a", "xxx", "-") are set to null before standardising:
# every standardised column but the ones dq derives itself.
_PLACEHOLDER_COLUMNS = tuple(c for c in _STANDARDISED if c not in {"party_type", "name_core"})


@dataclass(frozen=True)
class StandardizeResult:
    """Standardised records and a per-column summary (column, changed, invalid, unchanged)."""

    records: pd.DataFrame
    summary: pd.DataFrame


def _is_placeholder(value: str, column: str) -> bool:
    if column == "country" and normalize_country(value) is not None:
        return False  # "NA" is Namibia, "NO" Norway
    if column == "house_number" and value.strip().isdigit() and value.strip()[0] != "0":
        return False  # "1111" is a house number
    return is_placeholder_value(value)


# Columns whose standardised value can differ from a placeholder-free raw value in a way that
# makes it one ("Müller n/a" → last name "N/a", postcode "000" → "00000").
_DERIVED_COLUMNS = (
    "salutation", "title", "first_name", "last_name", "street", "house_number", "postcode",
)  # fmt: skip


def _null_placeholders(
    frame: pd.DataFrame, columns: tuple[str, ...] = _PLACEHOLDER_COLUMNS
) -> pd.Series:
    """Clean text columns in place and null placeholders; per row, the nulled columns' names."""
    hits = pd.Series("", index=frame.index, dtype="string")
    for column in columns:
        cleaned = clean_text_series(frame[column])
        mask = placeholder_mask(cleaned)
        if column in ("country", "house_number") and bool(mask.any()):
            keep = map_distinct(
                cleaned[mask], lambda v, c=column: not _is_placeholder(v, c), dtype=bool
            )
            mask[keep[keep].index] = False
        frame[column] = cleaned.where(~mask)
        if bool(mask.any()):
            hits = hits.mask(mask, hits + "," + column)
    joined = hits.str.lstrip(",")
    return joined.where(joined != "")


def _address(frame: pd.DataFrame, country: pd.Series) -> pd.DataFrame:
    def row(
        street: str | None, number: str | None, has_place: str | None, cc: str
    ) -> tuple[object, ...]:
        line_postcode = line_city = None
        new_street: str | None = None
        new_number = normalize_house_number(number) if number else None
        po_box = False
        if street:
            po_box = is_po_box_value(street)
            if po_box:
                new_street = normalize_street(street, cc)
            elif not number and ("," in street or "\n" in street) and not has_place:
                line = parse_address_line(street, cc)
                new_street, new_number = line.street, line.house_number
                line_postcode, line_city = line.postcode, line.city
            elif not number:
                new_street, new_number = split_street(street, cc)
            else:
                new_street = normalize_street(street, cc)
        key = street_key(new_street) if new_street and not po_box else None
        return (new_street or None, new_number or None, po_box if street else None, key,
                line_postcode, line_city)  # fmt: skip

    parts = pd.DataFrame(
        {
            "street": frame["street"],
            "house_number": frame["house_number"],
            # only whether a postcode or city is present matters here: keeps the key small
            "has_place": (frame["postcode"].notna() | frame["city"].notna()).map(
                {True: "y", False: None}
            ),
            "country": country,
        }
    )
    return map_distinct_rows(
        parts,
        row,
        ["street", "house_number", "is_po_box", "street_key", "line_postcode", "line_city"],
        dtypes=["string", "string", "boolean", "string", "string", "string"],
    )


def _person(frame: pd.DataFrame) -> pd.DataFrame:
    def row(
        salutation: str | None, title: str | None, first: str | None, last: str | None
    ) -> tuple[object, ...]:
        person = standardize_person(salutation, title, first, last)
        known = person.gender is not None or person.salutation in {
            "Herr und Frau", "Familie", "Firma", "Damen und Herren"
        } if salutation else None  # fmt: skip
        return (person.salutation, known, person.gender, person.title, person.first_name,
                person.last_name, person.swapped if (first or last) else None,
                fold(person.first_name, "expanded") if person.first_name else None,
                fold(person.last_name, "expanded") if person.last_name else None)  # fmt: skip

    parts = frame[["salutation", "title", "first_name", "last_name"]]
    return map_distinct_rows(
        parts,
        row,
        [
            "salutation",
            "salutation_known",
            "gender",
            "title",
            "first_name",
            "last_name",
            "name_swapped",
            "first_name_fold",
            "last_name_fold",
        ],
        dtypes=[
            "string",
            "boolean",
            "string",
            "string",
            "string",
            "string",
            "boolean",
            "string",
            "string",
        ],
    )


def _register(frame: pd.DataFrame) -> pd.DataFrame:
    def row(number: str | None, court: str | None) -> tuple[object, ...]:
        source = number or court  # "Amtsgericht Köln HRB 1234" sometimes sits in the court field
        if not source:
            return (None, None, None)
        parsed = parse_register_number(source, court if number else None)
        if parsed is None:
            shown_court = clean_text(court) if court else None
            return (
                clean_text(number) if number else None,
                shown_court,
                False if number else None,
            )
        return (
            parsed.formatted,
            parsed.court or (clean_text(court) if court else None),
            True,
        )

    parts = frame[["register_number", "register_court"]]
    return map_distinct_rows(
        parts,
        row,
        ["register_number", "register_court", "register_number_valid"],
        dtypes=["string", "string", "boolean"],
    )


def _changed(before: pd.Series, after: pd.Series) -> pd.Series:
    left = as_text(before)
    right = as_text(after)
    both_null = left.isna() & right.isna()
    same = (left == right).fillna(False)
    return ~(both_null | same)


def standardize_records(
    records: pd.DataFrame, *, default_country: str = "DE", null_placeholders: bool = True
) -> StandardizeResult:
    """Standardise canonical records (see module docstring and docs/standardize.md).

    ``default_country`` (ISO alpha-2) is the region for phone numbers and postcodes of records
    without a ``country``. With ``null_placeholders`` values such as "n/a" or "xxx" become null
    (listed in ``placeholder_columns``). Nothing is dropped: invalid values are flagged.
    """
    use_malloc_for_arrow()
    raw = conform(records, RECORD_COLUMNS)
    chunks = map_row_chunks(
        raw, partial(standardize_chunk, default_country=default_country,
                     null_placeholders=null_placeholders),
    )  # fmt: skip
    result = _combine(raw, chunks)
    del raw, chunks
    release_unused()  # the chunks' temporaries, before the next stage allocates its own
    return result


def standardize_chunk(
    raw: pd.DataFrame, *, default_country: str, null_placeholders: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Standardised canonical and added columns of some conformed rows, and their per-column
    counts (the summary's rows).

    Row-local: a row's result depends on that row only, so any split of the rows (worker
    processes here, Spark partitions in :mod:`dq.match.engines.spark_standardize`) gives the
    same rows. Which ``<column>_raw`` columns the output has depends on all rows; that part is
    :func:`standardize_records`' (or the Spark stage's) after the chunks.
    """
    work = raw[list(RECORD_COLUMNS)].copy()
    if null_placeholders:  # also cleans: NFC, whitespace; values cleaned to nothing are null
        placeholders = _null_placeholders(
            work, tuple(c for c in _PLACEHOLDER_COLUMNS if c not in _CHECKED)
        )
        for column in _CHECKED:
            work[column] = clean_text_series(work[column])
    else:
        for column in _PLACEHOLDER_COLUMNS:
            work[column] = clean_text_series(work[column])
        placeholders = pd.Series(pd.NA, index=work.index, dtype="string")
    out = work.copy()
    flags: dict[str, pd.Series] = {}

    # country first: phones, postcodes and addresses depend on it
    country = map_distinct(work["country"], normalize_country)
    flags["country_valid"] = country.notna().astype("boolean").mask(work["country"].isna())
    out["country"] = country.fillna(clean_text_series(work["country"]))
    region = country.fillna(default_country.upper())

    address = _address(work, region)
    out["street"] = address["street"]
    out["house_number"] = address["house_number"]
    postcode_in = work["postcode"].fillna(address["line_postcode"])
    city_in = work["city"].fillna(address["line_city"])
    postcode = postcode_columns(postcode_in, region)
    out["postcode"] = postcode["postcode"]
    flags["postcode_valid"] = postcode["valid"]
    flags["is_po_box"] = address["is_po_box"]
    flags["street_key"] = address["street_key"]
    out["city"] = map_distinct(city_in, lambda v: clean_city(v) or None)
    flags["city_fold"] = map_distinct(out["city"], lambda v: fold(v, "expanded") or None)

    for column in ("phone", "mobile", "fax"):
        cols = phone_columns(work[column], region, prefix=column)
        out[column] = cols[column]
        for suffix in ("valid", "type", "extension"):
            flags[f"{column}_{suffix}"] = cols[f"{column}_{suffix}"]

    email = email_columns(work["email"])
    out["email"] = email["email"]
    for name in ("email_valid", "email_role", "email_freemail", "email_domain"):
        flags[name] = email[name]

    site = website_columns(work["website"])
    website = site["website"]
    flags["website_valid"] = website.notna().astype("boolean").mask(work["website"].isna())
    out["website"] = website.fillna(clean_text_series(work["website"]))
    domain = domain_series(work["domain"]).fillna(site["domain"])
    business_mail = flags["email_domain"].where(flags["email_freemail"].eq(False).fillna(False))
    out["domain"] = domain.fillna(business_mail).fillna(clean_text_series(work["domain"]))

    for column, columns in (("vat_id", vat_id_columns), ("iban", iban_columns)):
        ident = columns(work[column])
        out[column] = ident["value"]
        flags[f"{column}_valid"] = ident["valid"]
    register = _register(work)
    out["register_number"] = register["register_number"]
    out["register_court"] = register["register_court"]
    flags["register_number_valid"] = register["register_number_valid"]

    company = company_columns(work["company_name"], work["legal_form"], region)
    for name in ("company_name", "legal_form", "name_core"):
        out[name] = company[name]
    for name in ("legal_form_known", "legal_form_elf", "personal_data_in_name"):
        flags[name] = company[name]

    person = _person(work)
    for name in ("salutation", "title", "first_name", "last_name"):
        out[name] = person[name]
    for name in ("salutation_known", "gender", "name_swapped", "first_name_fold", "last_name_fold"):
        flags[name] = person[name]

    for name in ("industry", "position"):
        out[name] = clean_text_series(work[name])
    # parts split off a value ("Müller n/a" → last name "N/a") can be placeholders too
    if null_placeholders:
        produced = _null_placeholders(out, _DERIVED_COLUMNS)
        for column, flag_names in _CHECKED.items():
            failed = flags[flag_names[0]].eq(False).fillna(False)
            mask = placeholder_mask(work[column].where(failed)) & failed
            if bool(mask.any()):
                out[column] = out[column].mask(mask)
                for name in flag_names:
                    flags[name] = flags[name].mask(mask)
                produced = produced.mask(mask, produced.fillna("") + "," + column)
        placeholders = placeholders.fillna(produced).where(
            produced.isna(), placeholders.fillna("") + "," + produced
        )
        placeholders = placeholders.str.replace(r",{2,}", ",", regex=True).str.strip(",")
        placeholders = placeholders.where(placeholders != "")
    has_company = out["company_name"].notna()
    has_person = out["last_name"].notna() | out["first_name"].notna()
    guessed = pd.Series(pd.NA, index=out.index, dtype="string")
    guessed = guessed.mask(has_person & ~has_company, "person").mask(has_company, "company")
    out["party_type"] = work["party_type"].fillna(guessed)
    flags["placeholder_columns"] = placeholders

    return _assemble(raw, out, flags)


def _assemble(
    raw: pd.DataFrame, out: pd.DataFrame, flags: dict[str, pd.Series]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows: list[dict[str, object]] = []
    for column in _STANDARDISED:  # a value cleaned down to nothing is no value
        text = out[column]  # blank: empty or only whitespace (isspace: no stripped copies)
        out[column] = text.where(~((text == "") | text.str.isspace()))
    for column in _STANDARDISED:
        changed = _changed(raw[column], out[column])
        n_changed = int(changed.sum())
        flag = _INVALID_FLAG.get(column)
        invalid = int(flags[flag].eq(False).fillna(False).sum()) if flag else 0
        present = raw[column].notna() | out[column].notna()
        rows.append(
            {
                "column": column,
                "changed": n_changed,
                "invalid": invalid,
                "unchanged": int((present & ~changed).sum()),
            }
        )
    canonical = conform(out[list(RECORD_COLUMNS)], RECORD_COLUMNS)
    added = pd.DataFrame(
        {name: flags[name].astype(dtype) for name, dtype, _ in FLAG_COLUMNS}, index=out.index
    )
    summary = pd.DataFrame(rows, columns=["column", "changed", "invalid", "unchanged"])
    # Arrow-backed like the connectors' text: Python strings pickled back from a worker
    # process come as an object per cell (the distinct values no longer shared), 2 GB more
    # than Arrow buffers at a million records
    return arrow_strings(pd.concat([canonical, added], axis=1)), summary


def raw_values(raw: pd.DataFrame, columns: Iterable[str]) -> dict[str, pd.Series]:
    """``<column>_raw`` for ``columns``: the input value, or the first raw value of records
    standardised before (their ``<column>_raw``)."""
    return {
        f"{column}_raw": raw[f"{column}_raw"] if f"{column}_raw" in raw else raw[column]
        for column in columns
    }


def _combine(
    raw: pd.DataFrame, chunks: list[tuple[pd.DataFrame, pd.DataFrame]]
) -> StandardizeResult:
    """One result from the chunks: counts added up, ``<column>_raw`` for every changed column."""
    summary = chunks[0][1].copy()
    for _, counts in chunks[1:]:
        summary[["changed", "invalid", "unchanged"]] += counts[["changed", "invalid", "unchanged"]]
    standardised = pd.concat([frame for frame, _ in chunks]) if len(chunks) > 1 else chunks[0][0]
    changed = summary.loc[summary["changed"] > 0, "column"]
    # records standardised before keep their first raw value; their old flags are replaced
    raw_columns = raw_values(raw, changed)
    flags = {name for name, _, _ in FLAG_COLUMNS}
    extras = [
        c
        for c in raw.columns
        if c not in RECORD_COLUMNS and c not in raw_columns and c not in flags
    ]
    n_canonical = len(RECORD_COLUMNS)
    parts = [
        standardised.iloc[:, :n_canonical],
        # input columns the reader made in Python (a legal form split off the name) as Arrow
        arrow_strings(pd.DataFrame(raw_columns, index=raw.index)),
        standardised.iloc[:, n_canonical:],
        raw[extras],
    ]
    records = pd.concat(parts, axis=1)
    log.info("standardised %d records", len(records))
    return StandardizeResult(records=records, summary=summary)
