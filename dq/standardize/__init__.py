"""Standardisation of German/EU customer data: names, legal forms, addresses, phones, e-mails,
identifiers; one function per kind of value plus :func:`standardize_records` for whole tables.

Every Series-level function works once per distinct value, so a million rows with a few
thousand distinct cities cost a few thousand calls. The validity predicates (``is_valid_*``,
``is_known_*``, ``is_placeholder``) return a nullable boolean Series aligned to their input, NA
where the input is null or blank; ``dq.checks`` builds pandera checks on them.
"""

from __future__ import annotations

from typing import Any

from dq._lazy import lazy_exports

# name -> submodule; loaded on first access so that importing one standardiser stays cheap.
_EXPORTS: dict[str, str] = {
    # text
    "clean_text": "text",
    "clean_text_series": "text",
    "repair_mojibake": "text",
    "fold": "text",
    "fold_series": "text",
    "is_placeholder": "text",
    "is_placeholder_value": "text",
    "placeholder_mask": "text",
    # companies
    "LegalForm": "companies",
    "LegalFormMatch": "companies",
    "canonical_legal_form": "companies",
    "company_columns": "companies",
    "company_name_core": "companies",
    "elf_code": "companies",
    "has_person_name": "companies",
    "is_known_legal_form": "companies",
    "legal_form_columns": "companies",
    "legal_forms": "companies",
    "parse_legal_form": "companies",
    # persons
    "PersonName": "persons",
    "is_known_first_name": "persons",
    "is_known_salutation": "persons",
    "name_case": "persons",
    "normalize_title": "persons",
    "parse_salutation": "persons",
    "split_person_name": "persons",
    "standardize_person": "persons",
    # addresses
    "Address": "addresses",
    "clean_city": "addresses",
    "is_po_box": "addresses",
    "is_po_box_value": "addresses",
    "is_valid_postcode": "addresses",
    "is_valid_postcode_value": "addresses",
    "normalize_country": "addresses",
    "normalize_house_number": "addresses",
    "normalize_postcode": "addresses",
    "normalize_street": "addresses",
    "parse_address_line": "addresses",
    "postcode_columns": "addresses",
    "split_street": "addresses",
    "street_key": "addresses",
    # phones
    "PhoneInfo": "phones",
    "is_valid_phone": "phones",
    "normalize_phone": "phones",
    "phone_columns": "phones",
    # emails
    "EmailInfo": "emails",
    "analyze_email": "emails",
    "email_columns": "emails",
    "is_freemail_domain": "emails",
    "is_role_local_part": "emails",
    "is_valid_email": "emails",
    "normalize_email": "emails",
    # identifiers
    "RegisterNumber": "identifiers",
    "compact_iban": "identifiers",
    "compact_vat_id": "identifiers",
    "is_valid_iban": "identifiers",
    "is_valid_iban_value": "identifiers",
    "is_valid_register_number": "identifiers",
    "is_valid_vat_id": "identifiers",
    "is_valid_vat_id_value": "identifiers",
    "normalize_register_court": "identifiers",
    "normalize_website": "identifiers",
    "parse_register_number": "identifiers",
    "registrable_domain": "identifiers",
    "website_host": "identifiers",
    "domain_series": "identifier_columns",
    "iban_columns": "identifier_columns",
    "vat_id_columns": "identifier_columns",
    "website_columns": "identifier_columns",
    # validity: the one place that decides it
    "valid_mask": "validity",
    # whole records
    "FLAG_COLUMNS": "records",
    "StandardizeSettings": "settings",
    "load_standardize_settings": "dq.config",
    "StandardizeResult": "records",
    "standardize_records": "records",
}

__all__ = sorted(_EXPORTS)
_load = lazy_exports(
    __name__, {k: m if "." in m else f"dq.standardize.{m}" for k, m in _EXPORTS.items()}
)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
