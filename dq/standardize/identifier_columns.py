"""Websites, domains, VAT IDs and IBANs of whole columns: Arrow kernels for the plain shapes.

The common shapes (``www.firma.de``, ``DE 123 456 789``, ``DE89 3704 0044 0532 0130 00``) are
read with pyarrow.compute (RE2 regexes, lower/upper case, ``is_in``) and check digits computed
with numpy; everything else goes once per distinct value through the per-value functions of
:mod:`dq.standardize.identifiers`, which stay the reference (tests compare both).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dq.standardize._vector import (
    arrow_mask,
    arrow_text,
    arrow_to_pandas,
    as_text,
    map_distinct,
    map_distinct_frame,
    patch_rows,
)
from dq.standardize.identifiers import (
    _extractor,
    _flat_tlds,
    _registrable_domain_of_host,
    compact_iban,
    compact_vat_id,
    is_valid_iban_value,
    is_valid_vat_id_value,
    normalize_website,
    registrable_domain,
)

__all__ = ["domain_series", "iban_columns", "vat_id_columns", "website_columns"]

# What website_host and normalize_website read directly (_PLAIN_URL, _PLAIN_SITE) and clean-up
# leaves as it is: no space, port, user, query or fragment, no <>"' at the end of the path.
# Labels are checked apart (RE2 is slow on counted repetitions inside a repeated group).
_SCHEME = r"^(?P<scheme>[Hh][Tt][Tt][Pp][Ss]?)://"
_LOOSE_SITE = (
    r"^(?:[A-Za-z0-9\-]+\.)+[A-Za-z0-9\-]+(?:/(?:[!\"$->A-~]*[!$-&(-;=A-~])?)?$"  # after _SCHEME
)
_SITE_PARTS = r"^(?P<host>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)(?P<path>/.*)?$"  # one-pass: fast
# Hosts of that shape read by parsing: IDNA labels, IP-like, a label with a hyphen at an edge
_SLOW_HOST = r"xn--|\.[0-9]+$|(?:^|\.)-|-(?:\.|$)"
# ... and with a label longer than 63 characters: no host (the IDNA codec refuses it).
_LONG_LABEL = r"[A-Za-z0-9\-]{64}"
_WEBSITE_COLUMNS = ["website", "domain"]
_ID_COLUMNS = ["value", "valid"]
_ID_DTYPES = ["string", "boolean"]
# "DE123456789", "de 123 456 789", "DE89 3704 0044 …": one separator at most between characters
_SEP = r"[ .\-/:,_]"
_FAST_DE_VAT = rf"^[Dd][Ee](?:{_SEP}?[0-9]){{9}}$"
_FAST_DE_IBAN = rf"^[Dd][Ee](?:{_SEP}?[0-9]){{20}}$"


def website_columns(values: pd.Series) -> pd.DataFrame:
    """Columns ``website`` (:func:`normalize_website`) and ``domain`` (its registrable domain).

    Plain ASCII URLs and hosts (``www.firma.de``, ``https://www.firma.de/``, ``Firma.DE``) are
    read with Arrow kernels; the rest (ports, IDNA, umlauts, spaces, queries …) once per
    distinct value by the per-value functions: the same result (a test checks).
    """
    text = as_text(values)
    if len(text) == 0:
        return _website_columns_slow(text)
    raw = pa.chunked_array([arrow_text(text)])
    scheme, host, path, fast, decided = _site_parts(raw)
    scheme = pc.fill_null(pc.ascii_lower(scheme), "https")  # null where the value has none
    path = pc.utf8_rtrim(path, "/")
    site = pc.binary_join_element_wise(pc.binary_join_element_wise(scheme, host, "://"), path, "")
    frame = pd.DataFrame(
        {
            "website": arrow_to_pandas(pc.if_else(pa.array(fast), site, _NULL_TEXT)),
            "domain": _domains_of_hosts(host, fast),
        }
    )
    frame.index = text.index
    return _patched(frame, text, decided, _website_columns_slow)


def domain_series(values: pd.Series) -> pd.Series:
    """:func:`registrable_domain` per value (a ``domain`` column); null where there is none.

    Plain ASCII hosts and URLs are read with Arrow kernels, the rest once per distinct value.
    """
    text = as_text(values)
    if len(text) == 0:
        return _domain_series_slow(text)
    _, host, _, fast, decided = _site_parts(pa.chunked_array([arrow_text(text)]))
    out = _domains_of_hosts(host, fast)
    out.index = text.index
    out.name = text.name
    slow = ~decided & text.notna().to_numpy(dtype=bool)
    if slow.any():
        out.array[np.flatnonzero(slow)] = _domain_series_slow(text[slow]).array
    return out


def _site_parts(
    raw: pa.ChunkedArray,
) -> tuple[pa.ChunkedArray, pa.ChunkedArray, pa.ChunkedArray, np.ndarray, np.ndarray]:
    """Scheme, lower-case host and path of plain URLs, where they are plain, and where decided.

    Decided are the plain rows and those of the plain shape with an over-long label (no host).
    """
    scheme = pc.struct_field(pc.extract_regex(raw, _SCHEME), "scheme")
    rest = pc.replace_substring_regex(raw, _SCHEME, "", max_replacements=1)
    parts = pc.extract_regex(rest, _SITE_PARTS)
    host = pc.ascii_lower(pc.struct_field(parts, "host"))
    shaped = arrow_mask(pc.match_substring_regex(rest, _LOOSE_SITE))
    long = shaped & arrow_mask(pc.match_substring_regex(host, _LONG_LABEL))
    fast = shaped & ~long & ~arrow_mask(pc.match_substring_regex(host, _SLOW_HOST))
    path = pc.struct_field(parts, "path")
    return scheme, host, path, fast, fast | long


def vat_id_columns(values: pd.Series) -> pd.DataFrame:
    """Columns ``value`` (:func:`compact_vat_id`, null when empty) and ``valid``.

    German VAT IDs of the plain shape (``DE123456789``, ``de 123.456.789``) are compacted with
    Arrow kernels and checked (ISO 7064 MOD 11,10) with numpy; other countries, labels and
    Swiss UIDs once per distinct value by :func:`is_valid_vat_id_value`: the same result.
    """
    text = as_text(values)
    if len(text) == 0:
        return _vat_id_columns_slow(text)
    raw = pa.chunked_array([arrow_text(text)])
    fast = arrow_mask(pc.match_substring_regex(raw, _FAST_DE_VAT))
    compact = pc.ascii_upper(pc.replace_substring_regex(raw, _SEP, ""))
    digits = _digit_matrix(compact.filter(pa.array(fast)), 11)[:, 2:]
    check = np.full(len(digits), 5, dtype=np.int64)
    for column in range(9):  # stdnum.iso7064.mod_11_10.checksum, all rows at once
        check = ((np.where(check == 0, 10, check) * 2) % 11 + digits[:, column]) % 10
    valid = (check == 1) & (digits[:, 0] != 0)  # a leading zero is no German VAT ID
    frame = _id_frame(compact, fast, valid, text.index)
    return _patched(frame, text, fast, _vat_id_columns_slow)


def iban_columns(values: pd.Series) -> pd.DataFrame:
    """Columns ``value`` (:func:`compact_iban`, null when empty) and ``valid``.

    German IBANs of the plain shape (``DE89 3704 0044 0532 0130 00``) are compacted with Arrow
    kernels and checked (mod 97) with numpy; the rest once per distinct value by
    :func:`is_valid_iban_value`: the same result.
    """
    text = as_text(values)
    if len(text) == 0:
        return _iban_columns_slow(text)
    raw = pa.chunked_array([arrow_text(text)])
    fast = arrow_mask(pc.match_substring_regex(raw, _FAST_DE_IBAN))
    compact = pc.ascii_upper(pc.replace_substring_regex(raw, _SEP, ""))
    digits = _digit_matrix(compact.filter(pa.array(fast)), 22)
    # the BBAN, then "DE" as 13 14, then the check digits: the number must be 1 modulo 97
    order = [*range(4, 22), None, None, None, None, 2, 3]
    rest = np.zeros(len(digits), dtype=np.int64)
    for column, fixed in zip(order, (0,) * 18 + (1, 3, 1, 4) + (0, 0), strict=True):
        rest = (rest * 10 + (fixed if column is None else digits[:, column])) % 97
    frame = _id_frame(compact, fast, rest == 1, text.index)
    return _patched(frame, text, fast, _iban_columns_slow)


_NULL_TEXT = pa.scalar(None, pa.string())


@cache
def _flat_tld_array() -> pa.Array:
    return pa.array(sorted(_flat_tlds()), type=pa.string())


def _domains_of_hosts(host: pa.ChunkedArray, fast: np.ndarray) -> pd.Series:
    """:func:`_registrable_domain_of_host` of the plain hosts where ``fast`` holds, else null.

    Under a flat TLD it is the last two labels; under others the public suffix is the longest
    rule of the list (ICANN part) ending the host, as tldextract finds it, unless a wildcard
    rule could apply or no rule does: those hosts go to tldextract, once per distinct host.
    """
    ends = pc.extract_regex(host, r"(?P<two>[^.]+\.(?P<tld>[^.]+))$")
    flat = arrow_mask(pc.is_in(pc.struct_field(ends, "tld"), value_set=_flat_tld_array())) & fast
    out = arrow_to_pandas(pc.if_else(pa.array(flat), pc.struct_field(ends, "two"), _NULL_TEXT))
    other = fast & ~flat
    if other.any():
        where = np.flatnonzero(other)
        domain, per_host = _suffix_list_domains(host.take(pa.array(where)))
        out.array[where[~per_host]] = domain[~per_host].array
        if per_host.any():
            hosts = arrow_to_pandas(host.take(pa.array(where[per_host])))
            out.array[where[per_host]] = map_distinct(hosts, _registrable_domain_of_host).array
    return out


def _suffix_list_domains(host: pa.ChunkedArray) -> tuple[pd.Series, np.ndarray]:
    """Registrable domains by the longest plain suffix rule, and the rows this cannot decide
    (a wildcard rule may match, or no rule does). Hosts are compared reversed, so the labels
    of a suffix are at the start.
    """
    plain, wildcard, depth = _suffix_rules()
    reverse = pc.utf8_reverse(host)
    suffix = np.zeros(len(host), dtype=np.int64)
    wild = np.zeros(len(host), dtype=bool)
    heads = []  # the last k labels, reversed, for k = 1 … depth + 1 (null when fewer)
    for k in range(1, depth + 2):
        head = pc.struct_field(
            pc.extract_regex(reverse, rf"^(?P<h>[^.]+(?:\.[^.]+){{{k - 1}}})"), "h"
        )
        heads.append(head)
        if k <= depth:
            suffix[arrow_mask(pc.is_in(head, value_set=plain))] = k
            more = pc.greater(pc.utf8_length(reverse), pc.utf8_length(head))
            wild |= arrow_mask(pc.and_(pc.is_in(head, value_set=wildcard), more))
    chosen = pc.choose(pa.array(np.minimum(suffix, depth)), *heads)
    domain = pc.utf8_reverse(pc.if_else(pa.array(suffix > 0), chosen, _NULL_TEXT))
    return arrow_to_pandas(domain), wild | (suffix == 0)


@cache
def _suffix_rules() -> tuple[pa.Array, pa.Array, int]:
    """ASCII public suffixes (ICANN part) reversed: plain rules, wildcard parents, most labels."""
    rules = _extractor()._get_tld_extractor().tlds_excl_private  # type: ignore[attr-defined]
    ascii_rules = [str(r) for r in rules if str(r).isascii()]
    plain = sorted(r[::-1] for r in ascii_rules if "*" not in r and "!" not in r)
    wildcard = sorted(r[2:][::-1] for r in ascii_rules if r.startswith("*."))
    depth = max(r.count(".") + 1 for r in [*plain, *wildcard])
    return pa.array(plain, pa.string()), pa.array(wildcard, pa.string()), depth


def _digit_matrix(strings: pa.ChunkedArray, width: int) -> np.ndarray:
    """Digit values, one row per string: all strings are ASCII and ``width`` characters long."""
    array = pc.cast(strings.combine_chunks(), pa.string())
    if len(array) == 0:
        return np.zeros((0, width), dtype=np.int64)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)
    offsets = offsets[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.reshape(-1, width).astype(np.int64) - ord("0")


def _id_frame(
    compact: pa.ChunkedArray, fast: np.ndarray, valid: np.ndarray, index: pd.Index
) -> pd.DataFrame:
    """``value`` and ``valid`` of the fast rows (``valid`` holds them in order), null elsewhere."""
    flags = np.zeros(len(fast), dtype=bool)
    flags[fast] = valid
    return pd.DataFrame(
        {
            "value": arrow_to_pandas(pc.if_else(pa.array(fast), compact, _NULL_TEXT)),
            "valid": pd.Series(pd.arrays.BooleanArray(flags, ~fast)),
        }
    ).set_axis(index)


def _patched(
    frame: pd.DataFrame,
    text: pd.Series,
    fast: np.ndarray,
    slow: Callable[[pd.Series], pd.DataFrame],
) -> pd.DataFrame:
    """``frame`` with the non-null rows off the fast path computed by ``slow``."""
    rest = ~fast & text.notna().to_numpy(dtype=bool)
    return patch_rows(frame, rest, slow(text[rest])) if rest.any() else frame


def _site_row(value: str) -> tuple[str | None, str | None]:
    site = normalize_website(value)
    return site, registrable_domain(site) if site else None


def _website_columns_slow(values: pd.Series) -> pd.DataFrame:
    """:func:`website_columns` once per distinct value: the reference the fast path must equal."""
    return map_distinct_frame(values, _site_row, _WEBSITE_COLUMNS)


def _domain_series_slow(values: pd.Series) -> pd.Series:
    """:func:`domain_series` once per distinct value: the reference."""
    return map_distinct(values, registrable_domain)


def _compact_columns_slow(
    values: pd.Series, compact: Callable[[str], str], valid: Callable[[str], bool]
) -> pd.DataFrame:
    return map_distinct_frame(
        values, lambda v: (compact(v) or None, valid(v)), _ID_COLUMNS, dtypes=_ID_DTYPES
    )


def _vat_id_columns_slow(values: pd.Series) -> pd.DataFrame:
    """:func:`vat_id_columns` once per distinct value: the reference."""
    return _compact_columns_slow(values, compact_vat_id, is_valid_vat_id_value)


def _iban_columns_slow(values: pd.Series) -> pd.DataFrame:
    """:func:`iban_columns` once per distinct value: the reference."""
    return _compact_columns_slow(values, compact_iban, is_valid_iban_value)
