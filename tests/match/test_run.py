"""What match_records reads from a standardised frame."""

from __future__ import annotations

from dq.match.run import matching_columns
from dq.schema import RECORD_COLUMNS


def test_matching_columns_keep_canonical_keys_and_flags_only() -> None:
    available = [
        *RECORD_COLUMNS,
        "last_name_fold",
        "street_key",
        "city_fold",
        "vat_id_valid",
        "email_freemail",
        "email_role",
        "company_name_raw",
        "email_domain",
        "phone_type",
    ]
    wanted = matching_columns(available)
    assert set(RECORD_COLUMNS) <= set(wanted)
    assert {"last_name_fold", "street_key", "city_fold", "vat_id_valid"} <= set(wanted)
    assert {"email_freemail", "email_role"} <= set(wanted)  # the e-mail evidence reads them
    assert not {"company_name_raw", "email_domain", "phone_type"} & set(wanted)
    assert wanted == [c for c in available if c in wanted]  # the caller's order
