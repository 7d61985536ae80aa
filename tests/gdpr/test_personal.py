"""personal_data: private persons, sole traders and named partnerships vs legal persons."""

from __future__ import annotations

import pandas as pd
import pytest

from dq.gdpr.personal import personal_data


@pytest.mark.parametrize(
    ("party_type", "name", "form", "expected"),
    [
        ("person", None, None, True),
        ("company", "Hans Meier e.K.", "EK", True),
        ("company", "Blumen Berger Einzelunternehmen", "EINZELFIRMA", True),
        ("company", "Anna Schmidt & Jürgen Weber GbR", "GBR", True),
        ("company", "Nordlicht Events GbR", "GBR", False),
        ("company", "Dr. Petra Klein Steuerberatung", None, True),
        ("company", "Hans Müller GmbH", "GMBH", False),
        ("company", "Müller Werkzeugbau GmbH & Co. KG", "GMBH_CO_KG", False),
        ("company", "Rheinmetall AG", "AG", False),
        ("company", "Weser Logistik", None, False),
    ],
)
def test_personal_data(party_type: str, name: str | None, form: str | None, expected: bool) -> None:
    golden = pd.DataFrame(
        {
            "golden_id": ["G1"],
            "party_type": [party_type],
            "company_name": [name],
            "legal_form": [form],
        }
    )
    assert personal_data(golden).tolist() == [expected]


def test_the_standardisers_answer_is_reused() -> None:
    """Where the golden name came from a record, that record's personal_data_in_name decides."""
    golden = pd.DataFrame(
        {
            "golden_id": ["G1", "G2", "G3"],
            "party_type": ["company"] * 3,
            "company_name": ["Weser Logistik", "Weser Logistik", "Weser Logistik"],
            "legal_form": [None, None, "GMBH"],
            "company_name__from": ["crm:1", "crm:2", "crm:3"],
        }
    )
    records = pd.DataFrame(
        {
            "record_id": ["crm:1", "crm:2", "crm:3"],
            "personal_data_in_name": pd.array([True, pd.NA, True], dtype="boolean"),
        }
    )
    # G1: the standardiser said so; G2: unknown there, tested here; G3: a GmbH is a legal person
    assert personal_data(golden, records).tolist() == [True, False, False]
