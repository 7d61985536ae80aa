"""The bridge from raw extracted values to standardised ones.

INTERIM: a minimal, clearly separated normalisation used until ``dq.standardize`` lands on this
branch (issue 6 asks that every value pass through it). It only trims values, lower-cases emails
and knows a short list of free-mail providers.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FREE_MAIL_DOMAINS", "is_free_mail_domain", "standardize_sites"]

FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com", "googlemail.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de",
        "t-online.de", "freenet.de", "arcor.de", "yahoo.com", "yahoo.de", "outlook.com",
        "outlook.de", "hotmail.com", "hotmail.de", "live.com", "live.de", "icloud.com",
        "me.com", "aol.com", "aol.de", "posteo.de", "mailbox.org", "protonmail.com",
        "proton.me", "online.de", "email.de", "vodafone.de", "kabelmail.de", "bluewin.ch",
        "aon.at", "chello.at",
    }
)  # fmt: skip


def is_free_mail_domain(domain: str) -> bool:
    """Whether ``domain`` belongs to a free-mail provider rather than to a company."""
    return domain.lower().strip().rstrip(".") in FREE_MAIL_DOMAINS


def standardize_sites(frame: pd.DataFrame, default_country: str = "DE") -> pd.DataFrame:
    """Standardise the canonical columns of the sites table (interim: trimming only)."""
    out = frame.copy()
    if "email" in out.columns:
        out["email"] = out["email"].str.lower()
    if "country" in out.columns:
        out["country"] = out["country"].fillna(default_country).where(out["company_name"].notna())
    return out
