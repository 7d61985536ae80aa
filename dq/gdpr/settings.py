"""The ``gdpr:`` section of dq.yaml: which deletion concept to use and how the audit log hashes.

Imports no pandas, so loading a workspace stays cheap.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["GdprSettings"]


class GdprSettings(BaseModel):
    """Where the workspace's deletion concept lives and how identities are hashed in audit logs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: str = Field(
        "retention.yaml",
        description="The workspace's deletion concept, relative to dq.yaml; merged over the "
        "shipped rules/retention.yaml when the file exists.",
    )
    audit_salt: str = Field(
        "",
        description="Secret mixed into the hashed identities of the `dq gdpr --apply` audit "
        "log, so that hashes cannot be matched against guessed record IDs.",
    )
