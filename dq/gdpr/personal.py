"""Whether a golden customer's data is personal data (GDPR applies) or a legal person's.

Private persons are; sole traders (e.K., e.U., Einzelunternehmen) are by their legal form;
partnerships that may be named after their partners (GbR, OHG, KG) and businesses without a
legal form (freelancers) are when their name carries a person's name; corporations are not.
The legal-form vocabulary and the person-name test are dq.standardize's.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.standardize._vector import map_distinct
from dq.standardize.companies import has_person_name, legal_forms

__all__ = ["personal_data"]


@cache
def _form_personal() -> dict[str, str]:
    """Canonical legal-form code → "always" | "maybe" | "never"."""
    return {form.code: form.personal or "never" for form in legal_forms()}


def personal_data(
    golden: pd.DataFrame, records: pd.DataFrame | None = None
) -> npt.NDArray[np.bool_]:
    """Per golden customer: True when its data is personal data (see module docstring).

    Where the legal form leaves the question open, the standardiser's answer is reused: the
    ``personal_data_in_name`` of the record the golden name came from (``company_name__from``),
    or the golden table's own column; names without either are tested here.
    """
    n = len(golden)
    person = _column(golden, "party_type").eq("person").fillna(False).to_numpy(dtype=bool)
    code = _column(golden, "legal_form")
    form = code.map(_form_personal()).astype("string").fillna("maybe")
    always = form.eq("always").to_numpy(dtype=bool)
    open_question = form.eq("maybe").to_numpy(dtype=bool) & ~person & ~always
    named = np.zeros(n, dtype=bool)
    if open_question.any():
        known = _standardizer_flags(golden, records)
        untested = open_question & known.isna().to_numpy(dtype=bool)
        named = open_question & known.fillna(False).to_numpy(dtype=bool)
        if untested.any():
            names = _column(golden, "company_name")[untested]
            forms = code[untested].where(code[untested].isin(_form_personal()))
            tested = map_distinct(
                names.fillna(""),
                lambda name, c: has_person_name(name, c or None),
                dtype="boolean",
                other=forms.fillna(""),
            )
            named[untested] = tested.fillna(False).to_numpy(dtype=bool)
    result: npt.NDArray[np.bool_] = person | always | named
    return result


def _standardizer_flags(golden: pd.DataFrame, records: pd.DataFrame | None) -> pd.Series:
    """``personal_data_in_name`` per golden row as the standardiser decided it (NA: unknown)."""
    if "personal_data_in_name" in golden.columns:
        return golden["personal_data_in_name"].astype("boolean").reset_index(drop=True)
    unknown = pd.Series(pd.NA, index=pd.RangeIndex(len(golden)), dtype="boolean")
    if (
        records is None
        or "personal_data_in_name" not in records.columns
        or "company_name__from" not in golden.columns
    ):
        return unknown
    flags = records.drop_duplicates("record_id").set_index("record_id")["personal_data_in_name"]
    source = golden["company_name__from"].astype("string").reset_index(drop=True)
    return source.map(flags.astype("boolean")).astype("boolean")


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype("string").reset_index(drop=True)
    return pd.Series(pd.NA, index=pd.RangeIndex(len(frame)), dtype="string")
