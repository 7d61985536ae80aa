"""Settings of customer value (the ``value:`` section of dq.yaml); imports no pandas.

Every threshold the issue names lives here with its default, so a workspace can tune payment
classes, ABC shares, lifecycle windows and value tiers without touching code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["PaymentClass", "TierRule", "ValueSettings"]

PaymentClass = Literal["on_time", "late", "risky"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TierRule(_Strict):
    """One value tier: a customer gets the first tier whose conditions all hold."""

    name: str = Field(description="Tier name written to `value_tier` (e.g. gold).")
    min_revenue_12m: float | None = Field(
        None, description="Lowest `revenue_12m` (inclusive) in the main currency; none: any."
    )
    payment_class: list[PaymentClass] | None = Field(
        None, description="Payment classes the tier admits; none: any (also customers without)."
    )


def _default_tiers() -> list[TierRule]:
    return [
        TierRule(name="watch", payment_class=["risky"]),
        TierRule(name="gold", min_revenue_12m=10_000, payment_class=["on_time"]),
        TierRule(name="silver", min_revenue_12m=2_000, payment_class=["on_time", "late"]),
        TierRule(name="bronze", min_revenue_12m=0.01),
    ]


class ValueSettings(_Strict):
    """Thresholds of the customer-value stage (``value:`` in dq.yaml)."""

    main_currency: str = Field(
        "EUR", description="Currency every amount is reported in (ISO 4217)."
    )
    exchange_rates: dict[str, float] = Field(
        default_factory=dict,
        description="Main-currency value of one unit of another currency (USD: 0.92). "
        "Transactions in a currency without a rate are kept apart and flagged.",
    )
    payment_term_days: int = Field(
        14, ge=0, description="Due date = invoice date + this, where the booking has none."
    )
    min_invoices_for_rhythm: int = Field(
        3, ge=2, description="Invoice days needed for an order gap and a reorder flag."
    )
    reorder_gap_percentile: float = Field(
        80, gt=0, le=100, description="The customer's usual gap: this percentile of its gaps."
    )
    new_days: int = Field(90, ge=0, description="`new`: first invoice within this many days.")
    lost_months: int = Field(24, ge=1, description="`lost`: no invoice for this many months.")
    at_risk_gap_factor: float = Field(
        2.0, gt=0, description="`at_risk`: no invoice for more than this many usual gaps."
    )
    risky_days_past_due: int = Field(
        60, ge=0, description="`risky`: an invoice more than this many days past due is open."
    )
    risky_open_share: float = Field(
        0.5, ge=0, description="`risky`: open balance above this share of `revenue_12m`."
    )
    late_days: float = Field(7, description="`late`: median days late above this.")
    abc_shares: tuple[float, float] = Field(
        (0.8, 0.95),
        description="Cumulative shares of `revenue_12m` that end class A and class B.",
    )
    segment_labels: Literal["en", "de"] = Field(
        "en", description="Language of the `rfm_segment` labels."
    )
    segments: str | None = Field(
        None, description="RFM segment table (YAML, relative to dq.yaml); default: shipped."
    )
    tiers: list[TierRule] = Field(
        default_factory=_default_tiers, description="Value tiers, first match wins."
    )

    @field_validator("main_currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError("must be an ISO 4217 code such as EUR")
        return value.upper()

    @field_validator("exchange_rates")
    @classmethod
    def _rates(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in value.items() if v <= 0 or len(k) != 3]
        if bad:
            raise ValueError(f"rates must be positive and keyed by ISO 4217 codes: {bad}")
        return {k.upper(): v for k, v in value.items()}

    @model_validator(mode="after")
    def _shares(self) -> ValueSettings:
        a, b = self.abc_shares
        if not 0 < a <= b <= 1:
            raise ValueError("abc_shares must satisfy 0 < A <= B <= 1")
        return self
