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


def personal_data(golden: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Per golden customer: True when its data is personal data (see module docstring).

    Uses the standardiser's ``personal_data_in_name`` column when the table has it; otherwise
    tests only the names whose legal form leaves the question open.
    """
    n = len(golden)
    person = _column(golden, "party_type").eq("person").fillna(False).to_numpy(dtype=bool)
    code = _column(golden, "legal_form")
    form = code.map(_form_personal()).astype("string").fillna("maybe")
    always = form.eq("always").to_numpy(dtype=bool)
    open_question = form.eq("maybe").to_numpy(dtype=bool) & ~person & ~always
    named = np.zeros(n, dtype=bool)
    if open_question.any():
        if "personal_data_in_name" in golden.columns:
            flags = golden["personal_data_in_name"].astype("boolean").fillna(False)
            named = flags.to_numpy(dtype=bool) & open_question
        else:
            names = _column(golden, "company_name")[open_question]
            known = code[open_question].where(code[open_question].isin(_form_personal()))
            tested = map_distinct(
                names.fillna(""),
                lambda name, c: has_person_name(name, c or None),
                dtype="boolean",
                other=known.fillna(""),
            )
            named[open_question] = tested.fillna(False).to_numpy(dtype=bool)
    result: npt.NDArray[np.bool_] = person | always | named
    return result


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype("string").reset_index(drop=True)
    return pd.Series(pd.NA, index=pd.RangeIndex(len(frame)), dtype="string")
