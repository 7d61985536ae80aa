"""E-mail addresses: syntax check and normalisation without DNS, role and free-mail flags.

No network: deliverability is not checked (email-validator would ask DNS unless told not to).
An address is valid when its local part is a dot-atom (RFC 5322, no quoted forms) of at most 64
characters and its domain is a host name with a top-level domain of letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dq.standardize._tables import load_table
from dq.standardize._vector import (
    arrow_mask,
    arrow_text,
    arrow_to_pandas,
    as_text,
    map_distinct,
    map_distinct_frame,
    patch_rows,
)
from dq.standardize.identifiers import _flat_tlds, registrable_domain
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


_COLUMNS = ["email", "email_valid", "email_role", "email_freemail", "email_domain"]
_DTYPES = ["string", "boolean", "boolean", "boolean", "string"]

# Values the column-wise path decides: printable ASCII without anything normalize_email changes
# apart from case (no space, display name, mailto:, quote at the start or dot at the end).
_ATOM = "a-z0-9!#$%&*+/=?^_`{|}~\\-"
_PLAIN = rf"^[A-Z{_ATOM}.][A-Z{_ATOM}.']*@[A-Za-z0-9.\-]*[A-Za-z0-9\-]$"
# The rules of _is_valid_normalized for such a value (lower case): dot-atom @ host labels + TLD.
_LABEL_RE2 = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_VALID = (
    rf"^[{_ATOM}']+(?:\.[{_ATOM}']+)*@(?:{_LABEL_RE2}\.)+"
    r"(?:[a-z]{2,63}|xn--[a-z0-9\-]{0,58}[a-z0-9])$"
)
_PARTS = r"^(?P<local>[^@]*)@(?P<domain>.*)$"
# Printable ASCII (no space, < or >) with a Latin-1 letter (ä, ß, é …) before the first "@":
# clean_text leaves it as it is, and the letter stays in the local part, so it is invalid.
_LATIN1 = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
_LATIN_LOCAL = rf"^[!-;=?A-~{_LATIN1}]*[{_LATIN1}][!-;=?-~{_LATIN1}]*$"


def email_columns(values: pd.Series) -> pd.DataFrame:
    """Columns ``email``, ``email_valid``, ``email_role``, ``email_freemail``, ``email_domain``.

    Invalid addresses keep their cleaned text in ``email`` and are flagged, never dropped.
    Plain ASCII values (and local parts with ä, ß …, which are invalid) are decided column-wise
    with Arrow kernels; the rest (display names, ``mailto:``, spaces, other non-ASCII, quotes
    or dots at the edges) once per distinct value by :func:`analyze_email`: the same result.
    """
    text = as_text(values)
    if len(text) == 0:
        return _email_columns_slow(text)
    raw = pa.chunked_array([arrow_text(text)])
    # no ignore_case: RE2 would fold the Kelvin sign and the long s into [a-z]
    plain = pc.match_substring_regex(raw, _PLAIN)
    latin = pc.match_substring_regex(raw, _LATIN_LOCAL)
    slow = arrow_mask(pc.invert(pc.or_(plain, latin)))  # null input: null output from Arrow too
    frame = _plain_columns(raw, plain)
    frame.index = text.index
    if slow.any():
        frame = patch_rows(frame, slow, _email_columns_slow(text[slow]))
    return frame


def _plain_columns(raw: pa.ChunkedArray, plain: pa.ChunkedArray) -> pd.DataFrame:
    """The five columns where ``plain`` (or ``_LATIN_LOCAL``) holds; other rows are overwritten."""
    lower = pc.ascii_lower(raw)
    length_ok = pc.less_equal(pc.utf8_length(lower), 254)
    parts = pc.extract_regex(lower, _PARTS)
    local = pc.struct_field(parts, "local")
    domain = pc.struct_field(parts, "domain")
    checks = pc.and_(
        pc.match_substring_regex(lower, _VALID),
        pc.and_(length_ok, pc.less_equal(pc.utf8_length(local), 64)),
    )
    valid = pc.and_kleene(plain, checks)  # false, not null, where there is no "@" to split at
    email = pc.if_else(valid, lower, raw)
    # role: the part before "+" is a role, or its head before the first of ".-_" is one
    roles = pa.array(sorted(_roles()), type=pa.string())
    base = pc.struct_field(pc.extract_regex(local, r"^(?P<base>[^+]*)"), "base")
    head = pc.struct_field(pc.extract_regex(base, r"^(?P<head>[^._\-]*)"), "head")
    role = pc.or_(
        pc.is_in(base, value_set=roles),
        pc.and_(pc.is_in(head, value_set=roles), pc.not_equal(head, base)),
    )
    free = sorted(_freemail())
    freemail = pc.or_(
        pc.is_in(domain, value_set=pa.array(free, type=pa.string())),
        pc.match_substring_regex(domain, r"\.(?:" + "|".join(map(re.escape, free)) + r")$"),
    )
    none_bool = pa.scalar(None, pa.bool_())
    return pd.DataFrame(
        {
            "email": arrow_to_pandas(email, "string"),
            "email_valid": arrow_to_pandas(valid, "boolean"),
            "email_role": arrow_to_pandas(pc.if_else(valid, role, none_bool), "boolean"),
            "email_freemail": arrow_to_pandas(pc.if_else(valid, freemail, none_bool), "boolean"),
            "email_domain": _registrable(domain, valid),
        }
    )


def _registrable(domain: pa.ChunkedArray, valid: pa.ChunkedArray) -> pd.Series:
    """``_domain_of`` of valid domains, per distinct domain unless it is read off directly.

    Without IDNA labels, a domain under a flat TLD gives its last two labels, and one of two
    labels gives itself (its registrable domain or, when it is a public suffix, the fallback).
    """
    ends = pc.extract_regex(domain, r"(?P<two>[^.]+\.(?P<tld>[^.]+))$")
    last_two, tld = pc.struct_field(ends, "two"), pc.struct_field(ends, "tld")
    flat = pc.and_(
        pc.or_(
            pc.is_in(tld, value_set=pa.array(sorted(_flat_tlds()), type=pa.string())),
            pc.equal(pc.count_substring(domain, "."), 1),
        ),
        pc.invert(pc.match_substring(domain, "xn--")),
    )
    out = arrow_to_pandas(
        pc.if_else(pc.and_(valid, flat), last_two, pa.scalar(None, pa.string())), "string"
    )
    other = arrow_mask(pc.and_(valid, pc.invert(flat)))
    if other.any():
        where = np.flatnonzero(other)
        hosts = pd.Series(
            domain.take(pa.array(where)).to_numpy(zero_copy_only=False), dtype="string"
        )
        out.array[where] = map_distinct(hosts, _domain_of).array
    return out


def _email_columns_slow(values: pd.Series) -> pd.DataFrame:
    """:func:`email_columns` once per distinct value: the reference the Arrow path must equal."""

    def row(value: str) -> tuple[object, ...]:
        if not clean_text(value):
            return (None, None, None, None, None)
        info = analyze_email(value)
        shown = info.email if info.valid else clean_text(value)
        return (shown, info.valid, info.role, info.freemail, info.domain)

    return map_distinct_frame(values, row, _COLUMNS, dtypes=_DTYPES)
