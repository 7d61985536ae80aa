"""E-mail addresses: syntax check and normalisation without DNS, role and free-mail flags.

No network: deliverability is not checked (email-validator would ask DNS unless told not to).
An address is valid when its local part is a dot-atom (RFC 5322, no quoted forms) of at most 64
characters and its domain is a host name with a top-level domain of letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from dq.standardize._tables import load_table
from dq.standardize._vector import map_distinct, map_distinct_frame
from dq.standardize.identifiers import registrable_domain
from dq.standardize.text import clean_text

__all__ = [
    "EmailInfo",
    "analyze_email",
    "email_columns",
    "is_freemail_domain",
    "is_role_local_part",
    "is_valid_email",
    "normalize_email",
]

_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9\-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9\-]{1,59})$")
_DISPLAY = re.compile(r"<([^<>]+)>\s*$")


def normalize_email(value: str) -> str:
    """Trim, drop ``mailto:`` and a display name, lower-case.

    ``"Hans <Hans@Firma.DE>"`` → ``"hans@firma.de"``.

    Local parts are lower-cased too: providers treat them case-insensitively in practice.
    """
    text = clean_text(value)
    display = _DISPLAY.search(text)
    if display:
        text = display.group(1)
    text = re.sub(r"^mailto:", "", text.strip(), flags=re.IGNORECASE)
    text = text.strip(" <>\"',;:()[]").rstrip(".").replace(" ", "")
    return text.lower()


def _ascii_domain(domain: str) -> str | None:
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _is_valid_normalized(address: str) -> bool:
    if address.count("@") != 1 or len(address) > 254:
        return False
    local, domain = address.split("@")
    if not local or len(local) > 64 or not _LOCAL.match(local):
        return False
    return _domain_ok(domain)


@lru_cache(maxsize=65536)
def _domain_ok(domain: str) -> bool:
    ascii_domain = _ascii_domain(domain)
    if ascii_domain is None or len(ascii_domain) > 253:
        return False
    labels = ascii_domain.split(".")
    return (
        len(labels) >= 2
        and all(_LABEL.match(label) for label in labels)
        and bool(_TLD.match(labels[-1]))
    )


@cache
def _freemail() -> frozenset[str]:
    return frozenset(str(d).lower() for d in load_table("freemail")["domains"])


@cache
def _roles() -> frozenset[str]:
    return frozenset(str(n).lower() for n in load_table("role_mailboxes")["names"])


@lru_cache(maxsize=65536)
def is_freemail_domain(domain: str) -> bool:
    """True for free-mail providers' domains (``gmx.de``, ``gmail.com`` …, incl. sub-domains)."""
    host = domain.lower().strip(".")
    free = _freemail()
    return host in free or any(host.endswith("." + d) for d in free if d in host)


def is_role_local_part(local: str) -> bool:
    """True for role mailboxes: ``info``, ``kontakt``, ``office``, ``info-berlin``, ``sales+x``."""
    base = local.lower().split("+", 1)[0]
    roles = _roles()
    if base in roles:
        return True
    head = re.split(r"[.\-_]", base, maxsplit=1)[0]
    return head in roles and head != base


@lru_cache(maxsize=65536)
def _domain_of(domain: str) -> str:
    return registrable_domain(domain) or domain


@dataclass(frozen=True, slots=True)
class EmailInfo:
    """What standardisation knows about one e-mail value."""

    email: str
    valid: bool
    role: bool | None
    freemail: bool | None
    domain: str | None


def analyze_email(value: str) -> EmailInfo:
    """Normalise and classify one address; role/freemail/domain are None when it is invalid."""
    address = normalize_email(value)
    if not _is_valid_normalized(address):
        return EmailInfo(address, False, None, None, None)
    local, domain = address.split("@")
    return EmailInfo(
        address,
        True,
        is_role_local_part(local),
        is_freemail_domain(domain),
        _domain_of(domain),
    )


def is_valid_email(values: pd.Series) -> pd.Series:
    """Nullable boolean per value: a syntactically valid address after trimming; NA where blank.

    No DNS look-up is made. ``"Hans <hans@firma.de>"`` and ``" INFO@Firma.de "`` count as valid.
    """
    return map_distinct(
        values,
        lambda v: _is_valid_normalized(normalize_email(v)) if clean_text(v) else None,
        dtype="boolean",
    )


def email_columns(values: pd.Series) -> pd.DataFrame:
    """Columns ``email``, ``email_valid``, ``email_role``, ``email_freemail``, ``email_domain``.

    Invalid addresses keep their cleaned text in ``email`` and are flagged, never dropped.
    """

    def row(value: str) -> tuple[object, ...]:
        if not clean_text(value):
            return (None, None, None, None, None)
        info = analyze_email(value)
        shown = info.email if info.valid else clean_text(value)
        return (shown, info.valid, info.role, info.freemail, info.domain)

    return map_distinct_frame(
        values,
        row,
        ["email", "email_valid", "email_role", "email_freemail", "email_domain"],
        dtypes=["string", "boolean", "boolean", "boolean", "string"],
    )
