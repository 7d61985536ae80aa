"""The ``match:`` section of dq.yaml: matching settings plus a ``golden:`` subsection.

Source priorities for survivorship default to the ``priority`` of each entry under ``sources``
(lower wins), so a workspace states them once (:attr:`dq.config.Workspace.golden_settings`).
"""

from __future__ import annotations

from pydantic import Field

from dq.golden.settings import GoldenSettings
from dq.match.settings import MatchSettings

__all__ = ["MatchSection"]


class MatchSection(MatchSettings):
    """``match:`` in dq.yaml: the matching settings and, under ``golden:``, survivorship."""

    golden: GoldenSettings = Field(
        default_factory=GoldenSettings, description="Survivorship and golden-ID settings."
    )

    def matching(self) -> MatchSettings:
        """The matching settings alone."""
        return MatchSettings(**self.model_dump(exclude={"golden"}))
