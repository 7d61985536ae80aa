"""What one extractor found on one page: raw field values, profiles and persons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["FIELDS", "Extracted", "Method"]

#: How a value was found, best first when the same field comes from several places.
Method = Literal["imprint", "jsonld", "microdata", "text"]

#: Single-valued fields under their canonical record column names.
FIELDS: tuple[str, ...] = (
    "company_name",
    "legal_form",
    "street",
    "house_number",
    "postcode",
    "city",
    "country",
    "phone",
    "fax",
    "email",
    "vat_id",
    "register_court",
    "register_number",
)


@dataclass
class Extracted:
    """Raw values from one page by one method; ``brand_name`` is a name that may not be legal."""

    method: Method
    values: dict[str, str] = field(default_factory=dict)
    brand_name: str | None = None
    social_profiles: list[str] = field(default_factory=list)
    managing_directors: list[str] = field(default_factory=list)  # personal data
    content_responsible: list[str] = field(default_factory=list)  # personal data

    def set(self, name: str, value: str | None) -> None:
        """Keep the first non-empty value for ``name``."""
        if value and value.strip() and name not in self.values:
            self.values[name] = value.strip()

    def __bool__(self) -> bool:
        return bool(
            self.values or self.brand_name or self.social_profiles or self.managing_directors
        )
