"""``audit:`` in dq.yaml: thresholds of the pre-migration readiness verdict (imports no engine)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AuditSettings"]


class AuditSettings(BaseModel):
    """When `dq audit` says "not ready" or "ready with warnings"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_review_share: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Not ready when more than this share of customers sits in open review pairs "
        "(unresolved duplicates would be imported twice).",
    )
    max_required_empty: float = Field(
        0.02,
        ge=0,
        le=1,
        description="Not ready when a field the target requires is empty for more than this "
        "share of a file's rows.",
    )
    max_invalid: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Not ready when more than this share of phones, e-mails or countries cannot "
        "be imported as the target expects (E.164, valid address, ISO 3166 code).",
    )
    examples: int = Field(5, ge=0, le=50, description="Examples listed per reason (masked).")
