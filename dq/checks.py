"""Registered pandera checks for customer data, each with a quality dimension and a severity.

Every check is declared once as a :class:`CheckSpec` (name, level, default dimension, statistics,
implementation) and registered on ``pandera.Check`` with ``register_check_method``, so rule files
in pandera's YAML format name them (``email_valid``) and round-trip. Two statistics every dq check
takes, ``dimension`` and ``severity``, are stored with the check's other statistics and therefore
survive ``to_yaml``/``from_yaml`` (pandera 0.35 drops column ``metadata`` and custom ``name=``).

Implementations return a nullable boolean Series: True passed, False failed, NA not checked (a
null value is not checked for validity; completeness checks check every row). Value-level logic
lives in :mod:`dq.standardize`; here it is only applied, once per distinct value.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import extensions

from dq.validate.kinds import DIMENSIONS, SEVERITIES, Dimension, Severity

__all__ = [
    "CHECKS",
    "DIMENSIONS",
    "SEVERITIES",
    "CheckLevel",
    "CheckSpec",
    "Dimension",
    "Severity",
    "make_check",
]

CheckLevel = Literal["column", "frame"]

#: A column check sees the values and its statistics; a frame check sees the whole frame.
ColumnImpl = Callable[[pd.Series, Mapping[str, Any], pd.Timestamp], pd.Series]
FrameImpl = Callable[[pd.DataFrame, Mapping[str, Any], pd.Timestamp], pd.Series]


@dataclass(frozen=True)
class CheckSpec:
    """What a dq check is: its name, level, default dimension, statistics and implementation."""

    name: str
    level: CheckLevel
    dimension: Dimension
    statistics: tuple[str, ...]
    impl: ColumnImpl | FrameImpl
    description: str
    #: statistics a rule must give (frame checks: the column they report on)
    required: tuple[str, ...] = ()

    def columns(self, stats: Mapping[str, Any]) -> list[str]:
        """The input columns a frame check reads, for error messages and scoping."""
        out: list[str] = []
        for key in ("column", "country_column", "website_column"):
            value = stats.get(key)
            if isinstance(value, str):
                out.append(value)
        for key in ("columns", "by"):
            value = stats.get(key)
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, Sequence):
                out.extend(str(v) for v in value)
        return out


# ---------------------------------------------------------------------------------------------
# helpers


def _text(values: pd.Series) -> pd.Series:
    """Values as stripped strings (Arrow-backed: vectorised in C) with blanks turned into NA."""
    text = values.astype("string[pyarrow]").str.strip()
    return text.mask(text == "")


def _result(mask: pd.Series, checked: pd.Series) -> pd.Series:
    """A nullable boolean Series: ``mask`` where ``checked``, NA elsewhere."""
    out = mask.astype("boolean")
    return out.mask(~checked.astype(bool))


def _per_distinct(values: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised value test once per distinct value and map the answers back."""
    text = _text(values)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.Series(pd.NA, index=values.index, dtype="boolean")
    answers = fn(pd.Series(uniques, dtype="string")).astype("boolean")
    # one extra slot at the end, NA, for code -1 (a null value)
    data = np.append(answers.to_numpy(dtype=bool, na_value=False), False)[codes]
    mask = np.append(answers.isna().to_numpy(), True)[codes]
    return pd.Series(pd.arrays.BooleanArray(data, mask), index=values.index)


def _as_dates(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, errors="coerce", format="ISO8601")


def _domain(values: pd.Series) -> pd.Series:
    """The host of an email address or URL, lower-cased and without ``www.``."""
    import pyarrow
    import pyarrow.compute as pc

    pattern = r"^(?:[^@]*@)?(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?(?P<host>[^/:?#@]*)"
    text = _text(values).str.lower()
    # Arrow's RE2 runs the whole column in C; pandas' str.replace would loop in Python here
    found = pc.struct_field(pc.extract_regex(pyarrow.array(text), pattern), "host")
    host = pd.Series(found.to_pandas().to_numpy(), index=values.index, dtype="string[pyarrow]")
    return host.mask(host == "")


# VAT ID prefixes that differ from the ISO country code.
_VAT_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB"}


# ---------------------------------------------------------------------------------------------
# column checks


def _not_blank(values: pd.Series, stats: Mapping[str, Any], as_of: pd.Timestamp) -> pd.Series:
    ok = _text(values).notna()
    return pd.Series(ok.to_numpy(), index=values.index, dtype="boolean")


def _std(name: str) -> Callable[..., pd.Series]:
    """A value test from :mod:`dq.standardize`, imported when first used."""
    from dq import standardize

    fn: Callable[..., pd.Series] = getattr(standardize, name)
    return fn


def _not_placeholder(values: pd.Series, stats: Mapping[str, Any], as_of: pd.Timestamp) -> pd.Series:
    is_placeholder = _std("is_placeholder")
    return _per_distinct(values, lambda v: ~is_placeholder(v).astype("boolean"))


def _value_test(std_name: str) -> ColumnImpl:
    def impl(values: pd.Series, stats: Mapping[str, Any], as_of: pd.Timestamp) -> pd.Series:
        return _per_distinct(values, _std(std_name))

    impl.__name__ = f"_{std_name}"
    return impl


def _date_not_in_future(
    values: pd.Series, stats: Mapping[str, Any], as_of: pd.Timestamp
) -> pd.Series:
    dates = _as_dates(values)
    limit = as_of.normalize() + pd.Timedelta(days=1)
    return _result(dates < limit, dates.notna())


def _not_older_than_days(
    values: pd.Series, stats: Mapping[str, Any], as_of: pd.Timestamp
) -> pd.Series:
    days = stats.get("days")
    if days is None:
        raise ValueError("not_older_than_days needs the statistic 'days'")
    dates = _as_dates(values)
    oldest = as_of.normalize() - pd.Timedelta(days=int(days))
    return _result(dates >= oldest, dates.notna())


# ---------------------------------------------------------------------------------------------
# frame checks

#: The latest activity of a record's customer over all its linked records, bookings and notes;
#: ``dq run`` adds it after linking records into customers (a lone record has none).
CUSTOMER_ACTIVITY_COLUMN = "customer_last_activity"


def _customer_active_within_days(
    frame: pd.DataFrame, stats: Mapping[str, Any], as_of: pd.Timestamp
) -> pd.Series:
    """The record's own activity date, or its customer's latest activity where the run linked
    it (a CRM contact untouched for years whose company ordered last month is active)."""
    own = _as_dates(frame[stats["column"]])
    customer = stats.get("customer_column") or CUSTOMER_ACTIVITY_COLUMN
    latest = own
    if customer in frame.columns:
        latest = pd.concat([own, _as_dates(frame[customer])], axis=1).max(axis=1)
    oldest = as_of.normalize() - pd.Timedelta(days=int(stats["days"]))
    return _result(latest >= oldest, latest.notna())


def _col(frame: pd.DataFrame, stats: Mapping[str, Any], key: str, default: str) -> pd.Series:
    name = stats.get(key) or default
    if name not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame[name]


def _country_test(std_name: str) -> FrameImpl:
    def impl(frame: pd.DataFrame, stats: Mapping[str, Any], as_of: pd.Timestamp) -> pd.Series:
        default = str(stats.get("default_country") or "DE").upper()
        country = _text(_col(frame, stats, "country_column", "country")).str.upper()
        # the standardiser tests each distinct (value, country) pair once
        return _std(std_name)(frame[stats["column"]], country=country.fillna(default))

    impl.__name__ = f"_{std_name}_per_country"
    return impl


def _any_present(frame: pd.DataFrame, stats: Mapping[str, Any], as_of: pd.Timestamp) -> pd.Series:
    columns = list(stats["columns"])
    present = pd.DataFrame({c: _text(frame[c]).notna() for c in columns}, index=frame.index)
    return pd.Series(present.any(axis=1).to_numpy(), index=frame.index, dtype="boolean")


def _unique_within(frame: pd.DataFrame, stats: Mapping[str, Any], as_of: pd.Timestamp) -> pd.Series:
    column = stats["column"]
    by = stats.get("by") or []
    keys = [by] if isinstance(by, str) else list(by)
    values = _text(frame[column])
    subset = pd.DataFrame({"__value": values, **{k: frame[k] for k in keys}}, index=frame.index)
    duplicated = subset.duplicated(keep=False)
    return _result(~duplicated, values.notna())


def _phone_country_matches(
    frame: pd.DataFrame, stats: Mapping[str, Any], as_of: pd.Timestamp
) -> pd.Series:
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    # E.164 calling codes are prefix-free: the 1-3 digits after "+" that name a code are it.
    phones = _text(frame[stats["column"]])
    digits = phones.where(phones.str.startswith("+").fillna(False)).str.replace(
        r"\D", "", regex=True
    )
    country = _text(_col(frame, stats, "country_column", "country")).str.upper()
    code = pd.Series(pd.NA, index=frame.index, dtype="string")
    for length in (1, 2, 3):
        prefix = digits.str.slice(0, length)
        known = prefix.isin([str(c) for c in COUNTRY_CODE_TO_REGION_CODE]).fillna(False)
        code = code.mask(code.isna() & known.astype(bool), prefix)
    pairs = code.fillna("") + ":" + country.fillna("")
    allowed = {
        f"{cc}:{region}"
        for cc, regions in COUNTRY_CODE_TO_REGION_CODE.items()
        for region in regions
    }
    checked = code.notna() & country.notna()
    return _result(pairs.isin(allowed), checked)


def _vat_id_country_matches(
    frame: pd.DataFrame, stats: Mapping[str, Any], as_of: pd.Timestamp
) -> pd.Series:
    vat = _text(frame[stats["column"]]).str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)
    prefix = vat.str.slice(0, 2)
    prefix = prefix.where(~prefix.isin(list(_VAT_PREFIX_COUNTRY)), prefix.map(_VAT_PREFIX_COUNTRY))
    country = _text(_col(frame, stats, "country_column", "country")).str.upper()
    has_prefix = prefix.str.fullmatch(r"[A-Z]{2}").fillna(False).astype(bool)
    checked = has_prefix & country.notna()
    return _result(prefix == country, checked)


def _email_domain_matches_website(
    frame: pd.DataFrame, stats: Mapping[str, Any], as_of: pd.Timestamp
) -> pd.Series:
    from dq.standardize import is_freemail_domain, registrable_domain

    email = _text(frame[stats["column"]])
    mail_host = _domain(email.where(email.str.contains("@", regex=False).fillna(False)))
    site_host = _domain(_col(frame, stats, "website_column", "website"))
    both = (mail_host.notna() & site_host.notna()).to_numpy(dtype=bool)
    a = mail_host[both].to_numpy(dtype=str)
    b = site_host[both].to_numpy(dtype=str)
    # cheap first: equal hosts, or one a subdomain of the other (mail.firma.de, firma.de)
    same = (
        (a == b)
        | np.char.endswith(a, np.char.add(".", b))
        | np.char.endswith(b, np.char.add(".", a))
    )
    result = pd.array(same, dtype="boolean")
    rest = ~same
    if rest.any():
        # the few that differ: free mail says nothing; else compare registrable domains
        pairs = pd.DataFrame({"a": a[rest], "b": b[rest]})
        hosts = pd.unique(np.concatenate([pairs["a"].to_numpy(), pairs["b"].to_numpy()]))
        registrable = {h: registrable_domain(h) for h in hosts}
        free = {h: is_freemail_domain(h) for h in pd.unique(pairs["a"])}
        verdict = [
            pd.NA if free[x] else (registrable[x] is not None and registrable[x] == registrable[y])
            for x, y in pairs.drop_duplicates().itertuples(index=False, name=None)
        ]
        table = pairs.drop_duplicates().assign(ok=pd.array(verdict, dtype="boolean"))
        result[rest] = pairs.merge(table, on=["a", "b"], how="left")["ok"].array
    out = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    out[both] = result
    return out


# ---------------------------------------------------------------------------------------------
# the registry

_COLUMN = ("dimension", "severity")
_FRAME_COUNTRY = ("column", "country_column", "dimension", "severity")

CHECKS: dict[str, CheckSpec] = {
    spec.name: spec
    for spec in (
        CheckSpec("not_blank", "column", "completeness", _COLUMN, _not_blank,
                  "the value is present and not only whitespace"),
        CheckSpec("not_placeholder", "column", "validity", _COLUMN, _not_placeholder,
                  'the value is not a placeholder such as "n/a", "-", "xxx", "test", "unbekannt"'),
        CheckSpec("email_valid", "column", "validity", _COLUMN, _value_test("is_valid_email"),
                  "email address syntax (no DNS lookups)"),
        CheckSpec("vat_id_valid", "column", "validity", _COLUMN, _value_test("is_valid_vat_id"),
                  "EU VAT ID with a valid check digit for its country prefix"),
        CheckSpec("iban_valid", "column", "validity", _COLUMN, _value_test("is_valid_iban"),
                  "IBAN with valid length and check digits"),
        CheckSpec("register_number_valid", "column", "validity", _COLUMN,
                  _value_test("is_valid_register_number"),
                  "German commercial register number (HRA/HRB/VR/PR/GnR + number)"),
        CheckSpec("legal_form_known", "column", "validity", _COLUMN,
                  _value_test("is_known_legal_form"), "legal form in dq's legal-form table"),
        CheckSpec("salutation_known", "column", "validity", _COLUMN,
                  _value_test("is_known_salutation"), "salutation in dq's salutation table"),
        CheckSpec("date_not_in_future", "column", "validity", _COLUMN, _date_not_in_future,
                  "the date is not after the day of validation"),
        CheckSpec("not_older_than_days", "column", "timeliness", ("days", *_COLUMN),
                  _not_older_than_days, "the date lies at most `days` days before validation",
                  required=("days",)),
        CheckSpec("customer_active_within_days", "frame", "timeliness",
                  ("column", "customer_column", "days", *_COLUMN),
                  _customer_active_within_days,
                  "the customer's latest activity (the record's own date, or over its linked "
                  "records, bookings and notes once a run linked them) lies at most `days` days "
                  "before validation", required=("column", "days")),
        CheckSpec("phone_valid", "frame", "validity", (*_FRAME_COUNTRY, "default_country"),
                  _country_test("is_valid_phone"),
                  "phone number valid for the record's country (country_column, default DE)",
                  required=("column",)),
        CheckSpec("postcode_valid", "frame", "validity", (*_FRAME_COUNTRY, "default_country"),
                  _country_test("is_valid_postcode"),
                  "postcode format valid for the record's country (country_column, default DE)",
                  required=("column",)),
        CheckSpec("any_present", "frame", "completeness", ("columns", *_COLUMN), _any_present,
                  "at least one of `columns` is filled", required=("columns",)),
        CheckSpec("unique_within", "frame", "uniqueness", ("column", "by", *_COLUMN),
                  _unique_within, "the value occurs once within each group of `by` columns",
                  required=("column",)),
        CheckSpec("phone_country_matches", "frame", "consistency", _FRAME_COUNTRY,
                  _phone_country_matches,
                  "an international phone number's country equals the record's country",
                  required=("column",)),
        CheckSpec("vat_id_country_matches", "frame", "consistency", _FRAME_COUNTRY,
                  _vat_id_country_matches,
                  "the VAT ID prefix equals the record's country (EL = GR)",
                  required=("column",)),
        CheckSpec("email_domain_matches_website", "frame", "consistency",
                  ("column", "website_column", *_COLUMN), _email_domain_matches_website,
                  "email domain equals the website's domain (free-mail addresses not checked)",
                  required=("column",)),
    )
}  # fmt: skip

# Checks whose nulls are failures; pandera must run them with ignore_na=False.
NULL_FAILS = frozenset({"not_blank", "any_present"})


def make_check(
    name: str, *, dimension: str | None = None, severity: str = "error", **statistics: Any
) -> pa.Check:
    """A pandera ``Check`` for dq check ``name`` with every statistic set explicitly.

    Unset statistics are written as ``null`` so that a saved rule file is a fixed point of
    load/save. ``dimension`` defaults to the check's own dimension.
    """
    spec = CHECKS.get(name)
    if spec is None:
        raise KeyError(f"unknown check {name!r}; known checks: {', '.join(sorted(CHECKS))}")
    stats = {key: statistics.get(key) for key in spec.statistics}
    unknown = set(statistics) - set(spec.statistics)
    if unknown:
        raise TypeError(f"check {name!r} takes no statistic(s) {sorted(unknown)}")
    stats["dimension"] = dimension or spec.dimension
    stats["severity"] = severity
    options: dict[str, Any] = {"ignore_na": False} if name in NULL_FAILS else {}
    check: pa.Check = getattr(pa.Check, name)(**stats, **options)
    return check


def _register(spec: CheckSpec) -> None:
    """Register ``spec`` on ``pandera.Check`` so plain pandera can run and serialise it."""
    if spec.name in pa.Check.REGISTERED_CUSTOM_CHECKS:
        return

    if spec.level == "column":
        column_impl: ColumnImpl = spec.impl  # type: ignore[assignment]

        def column_check(values: pd.Series, **stats: Any) -> pd.Series:
            out = column_impl(values, stats, pd.Timestamp.now())
            return out.fillna(True).astype(bool)

        fn: Callable[..., pd.Series] = column_check
        supported: type = pd.Series
    else:
        frame_impl: FrameImpl = spec.impl  # type: ignore[assignment]

        def frame_check(frame: pd.DataFrame, **stats: Any) -> pd.Series:
            out = frame_impl(frame, stats, pd.Timestamp.now())
            return out.fillna(True).astype(bool)

        fn = frame_check
        supported = pd.DataFrame

    # pandera reads the statistics from the signature: give the wrapper the spec's.
    params = [inspect.Parameter("obj", inspect.Parameter.POSITIONAL_ONLY)] + [
        inspect.Parameter(stat, inspect.Parameter.KEYWORD_ONLY, default=None)
        for stat in spec.statistics
    ]
    fn.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    fn.__name__ = spec.name
    fn.__qualname__ = spec.name
    fn.__doc__ = spec.description
    extensions.register_check_method(
        fn, statistics=list(spec.statistics), supported_types=supported
    )


for _spec in CHECKS.values():
    _register(_spec)
