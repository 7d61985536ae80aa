"""Contact persons: the people who belong to a customer company, as their own level.

B2B customer data has two levels: a customer company (Account) and its contact persons (Contacts).
A person record that names its company (a CRM contact with its account name or ``company_ref``)
is a *contact record*: it is matched among the customers only by what it says about its company
(:func:`company_view`), so it links to that company's golden customer, and its person fields
become a row of ``contacts``. A company record that names a contact person (DATEV
``Ansprechpartner``, a person name on a company record) adds a contact too. Contacts of one
customer are de-duplicated among themselves (same person: same name, or same e-mail) and get a
``contact_id`` that stays stable across runs (the ``contact`` registry of the state database).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.golden.registry import IdAssignment, stable_golden_ids
from dq.standardize.persons import split_person_names
from dq.store import Store

__all__ = [
    "CONTACT_COLUMNS",
    "PERSON_FIELDS",
    "ContactsResult",
    "build_contacts",
    "company_ref_links",
    "company_view",
    "contact_mask",
]

BoolArray = npt.NDArray[np.bool_]

# What a contact record says about the person, not the company: hidden from customer matching
# and survivorship, kept for the contacts table.
PERSON_FIELDS: tuple[str, ...] = (
    "salutation",
    "title",
    "first_name",
    "last_name",
    "position",
    "email",
    "mobile",
    "marketing_consent",
    "consent_at",
    "consent_withdrawn_at",
)
# Person fields whose standardiser flags and keys (``email_valid``, ``last_name_fold`` …) go too.
_FLAGGED = ("first_name", "last_name", "email", "mobile")

CONTACT_COLUMNS: tuple[str, ...] = (
    "contact_id",
    "golden_id",
    "salutation",
    "title",
    "first_name",
    "last_name",
    "position",
    "email",
    "phone",
    "mobile",
    "marketing_consent",
    "consent_at",
    "consent_withdrawn_at",
    "last_activity_at",
    "record_ids",
    "sources",
)
_VALUES = CONTACT_COLUMNS[2:-2]


@dataclass
class ContactsResult:
    """The contacts table, each record's ``contact_id`` (NA unless it is a contact record) and the
    contact-ID changes against the previous run."""

    contacts: pd.DataFrame
    contact_ids: pd.Series
    assignment: IdAssignment


def contact_mask(records: pd.DataFrame) -> BoolArray:
    """Person records that belong to a company: they name its company or its key.

    A catch-all account such as "Privatkunden" names no company: such persons stay private
    customers (the names are data: ``dq/standardize/data/private_accounts.yaml``).
    """
    from dq.standardize._tables import load_table
    from dq.standardize.text import fold_series

    person = records["party_type"].astype("string").eq("person").fillna(False)
    name = records["company_name"].astype("string")
    folded = fold_series(name).str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()
    catch_all = folded.isin(set(load_table("private_accounts"))).fillna(False).astype(bool)
    company = (_present(records, "company_name") & ~catch_all) | _present(records, "company_ref")
    return (person & company).to_numpy(dtype=bool)


def company_view(records: pd.DataFrame, contacts: BoolArray) -> pd.DataFrame:
    """``records`` with each contact record reduced to what it says about its company.

    The row keeps company name, address, phone and domain (a business e-mail's domain) and
    becomes ``party_type`` company; name, e-mail, mobile, position and consent of the person
    are nulled, so matching and survivorship see the company and nothing of the person.
    """
    if not contacts.any():
        return records
    out = records.copy()
    rows = pd.Series(contacts, index=out.index)
    out["party_type"] = out["party_type"].astype("string").mask(rows, "company")
    derived = [
        c
        for c in out.columns
        if any(c.startswith(f"{f}_") for f in _FLAGGED) and not c.endswith("_raw")
    ]
    for name in [c for c in PERSON_FIELDS if c in out.columns] + derived:
        out[name] = out[name].mask(rows)
    return out


def company_ref_links(
    records: pd.DataFrame, contacts: BoolArray, companies_of: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Clerical-style "match" links from contact records to the company record they reference.

    ``company_ref`` is the company's key in ``companies_of[source]`` (default: the contact's own
    source); references to records that are not in ``records`` are left to matching by name.
    """
    rows = contacts & _present(records, "company_ref").to_numpy(dtype=bool)
    source = records["source"].astype("string")[rows]
    target_source = source.map(dict(companies_of or {})).fillna(source).astype("string")
    target = target_source + ":" + records["company_ref"].astype("string")[rows].str.strip()
    known = target.isin(pd.Index(records["record_id"].astype("string"))).to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "left_id": records["record_id"].astype("string")[rows][known].array,
            "right_id": target[known].array,
            "decision": pd.array(["match"] * int(known.sum()), dtype="string"),
        }
    )


def build_contacts(
    records: pd.DataFrame,
    contacts: BoolArray,
    golden_ids: pd.Series,
    *,
    store: Store | None = None,
    prefix: str = "C",
) -> ContactsResult:
    """The ``contacts`` table of clustered ``records`` (``golden_ids``: per record, same order).

    Candidates are the contact records (their person fields) and the other records that name a
    contact person (``contact_person``, or a person name on a company record). Within one
    customer, candidates with the same folded first and last name, or the same e-mail, are one
    contact; values survive from the most recently active candidate that has them.
    """
    records = records.reset_index(drop=True)
    gids = golden_ids.astype("string").reset_index(drop=True)
    candidates = _candidates(records, contacts, gids)
    labels = _person_labels(candidates)
    assignment = stable_golden_ids(
        candidates["record_id"], labels, store, prefix=prefix, kind="contact"
    )
    cid = assignment.ids.reindex(labels).to_numpy(dtype=object)
    candidates["contact_id"] = pd.array(cid, dtype="string")

    ordered = candidates.sort_values(
        ["contact_id", "_own", "last_activity_at", "record_id"],
        ascending=[True, False, False, True],
        na_position="last",
        kind="stable",
    )
    grouped = ordered.groupby("contact_id", sort=True)
    table = grouped[["golden_id", *_VALUES]].first()
    table["record_ids"] = grouped["record_id"].agg(";".join)
    table["sources"] = grouped["source"].agg(lambda s: ";".join(sorted(set(s))))
    table = table.reset_index()[list(CONTACT_COLUMNS)]

    per_record = pd.Series(pd.NA, index=records.index, dtype="string")
    own = candidates[candidates["_own"]]
    per_record.iloc[own["_pos"].to_numpy()] = own["contact_id"].to_numpy()
    return ContactsResult(contacts=table, contact_ids=per_record, assignment=assignment)


def _present(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    text = frame[column].astype("string").str.strip()
    return (text.notna() & (text != "")).fillna(False).astype(bool)


def _candidates(records: pd.DataFrame, contacts: BoolArray, gids: pd.Series) -> pd.DataFrame:
    """One row per contact candidate: ``_own`` for contact records (the record *is* the contact),
    otherwise a contact person named on a customer record."""
    columns = [c for c in (*_VALUES, "source", "record_id") if c in records.columns]
    own = records.loc[contacts, columns].copy()
    own["_own"] = True
    own["_pos"] = np.flatnonzero(contacts)

    named_on = ~contacts & (
        _present(records, "contact_person")
        | (
            records["party_type"].astype("string").eq("company").fillna(False)
            & _present(records, "last_name")
        )
    ).to_numpy(dtype=bool)
    named = records.loc[named_on, ["record_id", "source"]].copy()
    has_name = _present(records, "last_name")[named_on]
    split = split_person_names(records.loc[named_on, "contact_person"])
    for field in ("salutation", "title", "first_name", "last_name"):
        given = records.loc[named_on, field].astype("string")
        named[field] = given.where(has_name, split[field].astype("string"))
    named["position"] = records.loc[named_on, "position"].astype("string")
    named["last_activity_at"] = records.loc[named_on, "last_activity_at"]
    named["_own"] = False
    named["_pos"] = np.flatnonzero(named_on)

    both = pd.concat([own, named], ignore_index=True)
    for field in _VALUES:
        if field not in both.columns:
            both[field] = pd.NA
    both["golden_id"] = gids.to_numpy(dtype=object)[both["_pos"].to_numpy(dtype=np.int64)]
    both["golden_id"] = both["golden_id"].astype("string")
    both["record_id"] = both["record_id"].astype("string")
    both["source"] = both["source"].astype("string")
    return both


def _person_labels(candidates: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Connected components over "same customer and same name" and "same customer and e-mail"."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from dq.standardize.text import fold_series

    n = len(candidates)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    gid = candidates["golden_id"].fillna("")
    last = fold_series(candidates["last_name"].astype("string")).str.replace(" ", "")
    first = fold_series(candidates["first_name"].astype("string")).str.replace(" ", "")
    email = candidates["email"].astype("string").str.strip().str.lower()
    keys = [
        (gid + "|" + last + "|" + first.fillna("")).where(last.notna() & (last != "")),
        (gid + "|" + email).where(email.notna() & (email != "")),
    ]
    rows, cols = [np.arange(n)], [np.arange(n)]
    for key in keys:
        present = key.notna().to_numpy(dtype=bool)
        idx = np.flatnonzero(present)
        codes = pd.factorize(key[present])[0]
        first_of = np.full(codes.max() + 1 if len(codes) else 0, -1, dtype=np.int64)
        first_of[codes[::-1]] = idx[::-1]
        rows.append(idx)
        cols.append(first_of[codes])
    graph = coo_matrix(
        (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n, n),
    )
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)
