"""Retention verdicts: per golden customer and contact, keep, restrict or delete, from when, why.

A customer is kept while a purpose remains (or a legal hold lasts); once the purpose ended it is
restricted while any retention duty runs, otherwise deleted. Everything is computed for all
customers at once: events are reduced per customer with ``np.maximum.at`` over integer codes,
verdicts are chosen with ``np.select``; there is no Python loop per customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.gdpr.dates import DateArray, as_dates, earliest_per, end_of_period, later, latest_per
from dq.gdpr.personal import personal_data
from dq.gdpr.policy import RetentionPolicy, RetentionRule

__all__ = ["CONTACT_VERDICT_COLUMNS", "RETENTION_COLUMNS", "RetentionResult", "retention"]

RETENTION_COLUMNS = (
    "golden_id",
    "personal_data",
    "customer_status",
    "last_booking",
    "last_contact",
    "action",
    "due_date",
    "delete_after",
    "rule",
    "legal_basis",
    "marketing_action",
    "marketing_due",
    "next_action",
    "next_due",
)
# contacts get the verdict columns; status and dates of bookings describe the customer only
CONTACT_VERDICT_COLUMNS = tuple(
    c
    for c in RETENTION_COLUMNS
    if c not in ("golden_id", "customer_status", "last_booking", "last_contact")
)
_NAT = np.datetime64("NaT", "ns")
Codes = npt.NDArray[np.intp]
DayOf = Callable[[pd.DataFrame, str], "DateArray"]
Bools = npt.NDArray[np.bool_]


@dataclass
class RetentionResult:
    """The ``retention`` table, ``contacts`` with verdict columns, and counts per action."""

    retention: pd.DataFrame
    contacts: pd.DataFrame
    as_of: dt.date
    running_rules: pd.Series  # per retention row: retention rules running when restricted
    kept_groups: pd.Series  # per retention row: the field groups those rules keep
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    record_codes: Codes | None = None  # per row of the records passed: its customer's position


@dataclass(frozen=True)
class _Requests:
    """Matched privacy requests received by the as-of day, split into customers and contacts."""

    customers: pd.DataFrame
    contacts: pd.DataFrame


def retention(
    golden: pd.DataFrame,
    policy: RetentionPolicy,
    as_of: dt.date,
    *,
    contacts: pd.DataFrame | None = None,
    records: pd.DataFrame | None = None,
    transactions: pd.DataFrame | None = None,
    interactions: pd.DataFrame | None = None,
    requests: pd.DataFrame | None = None,
) -> RetentionResult:
    """Apply ``policy`` on ``as_of`` to every golden customer and contact.

    ``records``/``transactions``/``interactions`` carry ``golden_id``; ``requests`` is the
    ``privacy_requests`` table (only ``status == "matched"`` rows count). Returns the
    ``retention`` table (one row per customer) and ``contacts`` with the verdict columns.
    """
    today = _day(as_of)
    golden = golden.reset_index(drop=True)
    ids = pd.Index(golden["golden_id"].astype("string"))
    n = len(ids)
    split = _split_requests(requests, today)

    cache: dict[int, Codes] = {}

    def codes(frame: pd.DataFrame | None) -> Codes:
        """Row → customer position (-1: none), once per table: hashing 10M IDs is the cost."""
        if frame is None or not len(frame):
            return np.empty(0, dtype=np.intp)
        if id(frame) not in cache:
            cache[id(frame)] = ids.get_indexer(pd.Index(frame["golden_id"].astype("string")))
        return cache[id(frame)]

    days: dict[tuple[int, str], DateArray] = {}

    def day_of(frame: pd.DataFrame, column: str) -> DateArray:
        """A date column as days, converted once per table and column."""
        key = (id(frame), column)
        if key not in days:
            days[key] = as_dates(frame[column])
        return days[key]

    tx_codes = codes(transactions)
    booked = np.bincount(tx_codes[tx_codes >= 0], minlength=n).astype(bool)
    last_booking = _latest_of(transactions, tx_codes, ["doc_date"], n, day_of)
    last_contact = _last_contact(
        golden, policy, n, contacts, records, transactions, interactions, codes, day_of
    )

    customer_rule = policy.purpose_rules("customer")[0]
    prospect_rule = policy.purpose_rules("prospect")[0]
    purpose_end = np.where(
        booked, _end(customer_rule, last_contact), _end(prospect_rule, last_contact)
    )
    purpose_rule = np.where(booked, customer_rule.name, prospect_rule.name).astype(object)

    req_codes = codes(split.customers)
    erasure_rule, erasure, deadline = _request(policy, "erasure", split.customers, req_codes, n)
    restrict_rule, restriction, restrict_deadline = _request(
        policy, "restriction", split.customers, req_codes, n
    )
    by_erasure = ~np.isnat(erasure) & (np.isnat(purpose_end) | (erasure <= purpose_end))
    purpose_end = np.where(by_erasure, erasure, purpose_end)
    if erasure_rule is not None:
        purpose_rule[by_erasure] = erasure_rule.name
    hold = _hold(policy, split.customers, req_codes, n)

    ret_end, ret_rule, ends = _retention_end(
        policy, golden, transactions, tx_codes, interactions, codes(interactions), n, day_of
    )
    ended = ~np.isnat(purpose_end) & (purpose_end <= today)
    runs = ~np.isnat(ret_end) & (ret_end > today)
    started = np.where(by_erasure, deadline, purpose_end)
    retention_wins = ~np.isnat(ret_end) & (np.isnat(started) | (ret_end > started))
    restricted_by_request = ~np.isnat(restriction)

    conditions = [hold, restricted_by_request, ended & runs, ended]
    action = np.select(conditions, ["keep", "restrict", "restrict", "delete"], "keep")
    rule = np.select(
        conditions,
        [
            _names(policy.of_kind("hold"), n),
            np.full(n, restrict_rule.name if restrict_rule else None, dtype=object),
            ret_rule,
            np.where(retention_wins, ret_rule, purpose_rule),
        ],
        purpose_rule,
    )
    due_date = np.select(
        conditions,
        [np.full(n, _NAT), restrict_deadline, started, later(started, ret_end)],
        np.full(n, _NAT),
    )
    blocked_for_retention = (action == "restrict") & runs & ~restricted_by_request & ~hold
    delete_after = np.where(blocked_for_retention, ret_end, _NAT)

    underlying = np.select([ended & runs, ended], ["restrict", "delete"], "keep")
    next_from_purpose = _choose(
        ~np.isnat(purpose_end), np.where(retention_wins, "restrict", "delete")
    )
    is_kept = action == "keep"
    next_action = np.where(
        hold & (underlying != "keep"), underlying, _choose(is_kept, next_from_purpose)
    )
    next_due = np.where(is_kept & ~hold, purpose_end, _NAT)
    marketing_due = _marketing_due(policy, split.customers, req_codes, golden, today, n)

    table = pd.DataFrame(
        {
            "golden_id": ids.to_numpy(),
            "personal_data": personal_data(golden, records),
            "customer_status": np.where(booked, "customer", "prospect"),
            "last_booking": last_booking,
            "last_contact": last_contact,
            "action": action,
            "due_date": due_date.astype("datetime64[ns]"),
            "delete_after": delete_after.astype("datetime64[ns]"),
            "rule": rule,
            "legal_basis": _legal_basis(policy, rule),
            "marketing_action": np.where(np.isnat(marketing_due), "none", "restrict"),
            "marketing_due": marketing_due,
            "next_action": next_action,
            "next_due": next_due.astype("datetime64[ns]"),
        }
    )
    table = _typed(table)
    contact_table = _contact_verdicts(contacts, table, purpose_end, hold, policy, split, today)
    counts = {a: int((table["action"] == a).sum()) for a in ("keep", "restrict", "delete")}
    overdue = int((table["due_date"] < pd.Timestamp(today)).sum())
    running, kept = _kept_groups(policy, ends, np.where(ended, today, purpose_end))
    out = RetentionResult(table, contact_table, as_of, running, kept, counts, overdue)
    out.record_codes = codes(records) if records is not None else None
    return out


def _day(day: dt.date) -> np.datetime64:
    """A date as a ``datetime64[ns]`` scalar, comparable with the date arrays."""
    return np.datetime64(dt.datetime(day.year, day.month, day.day), "ns")


def _choose(mask: npt.NDArray[np.bool_], values: npt.NDArray[Any]) -> npt.NDArray[np.object_]:
    """``values`` where ``mask``, None elsewhere (text columns with gaps)."""
    out = np.full(len(mask), None, dtype=object)
    out[mask] = values[mask]
    return out


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    for name in ("golden_id", "customer_status", "action", "rule", "legal_basis"):
        table[name] = table[name].astype("string")
    for name in ("marketing_action", "next_action"):
        if name in table.columns:
            table[name] = table[name].astype("string")
    table["personal_data"] = table["personal_data"].astype(bool)
    return table


def _split_requests(requests: pd.DataFrame | None, today: np.datetime64) -> _Requests:
    """Matched requests received by ``today``: for customers (no contact_id) and for contacts."""
    columns = ["type", "received_at", "golden_id", "contact_id"]
    if requests is None or not len(requests):
        empty = pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
        empty["received_at"] = pd.Series(dtype="datetime64[ns]")
        return _Requests(empty, empty)
    frame = requests.copy()
    if "contact_id" not in frame.columns:
        frame["contact_id"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["received_at"] = as_dates(frame["received_at"])
    status = frame["status"] if "status" in frame.columns else pd.Series("matched", frame.index)
    frame = frame[(status == "matched") & (frame["received_at"] <= today)]
    for_contact = frame["contact_id"].notna()
    return _Requests(frame[~for_contact][columns], frame[for_contact][columns])


def _latest_of(
    frame: pd.DataFrame | None,
    codes: Codes,
    columns: list[str],
    n: int,
    day_of: DayOf | None = None,
) -> DateArray:
    """Per customer the latest date over ``columns`` of ``frame`` (rows keyed by ``codes``)."""
    found = [
        latest_per(codes, day_of(frame, c) if day_of else as_dates(frame[c]), n)
        for c in columns
        if frame is not None and len(frame) and c in frame.columns
    ]
    return later(*found) if found else np.full(n, _NAT)


def _last_contact(
    golden: pd.DataFrame,
    policy: RetentionPolicy,
    n: int,
    contacts: pd.DataFrame | None,
    records: pd.DataFrame | None,
    transactions: pd.DataFrame | None,
    interactions: pd.DataFrame | None,
    code_of: Callable[[pd.DataFrame | None], Codes],
    day_of: DayOf,
) -> DateArray:
    """The latest contact over all linked records, contacts, bookings and interactions."""
    spec = policy.last_contact
    own = np.arange(n)
    found = [
        _latest_of(golden, own, spec.records, n, day_of),
        _latest_of(records, code_of(records), spec.records, n, day_of),
        _latest_of(contacts, code_of(contacts), spec.records, n, day_of),
        _latest_of(transactions, code_of(transactions), spec.transactions, n, day_of),
        _latest_of(interactions, code_of(interactions), spec.interactions, n, day_of),
    ]
    latest = later(*found)
    fallback = later(
        _latest_of(golden, own, spec.fallback, n, day_of),
        _latest_of(records, code_of(records), spec.fallback, n, day_of),
    )
    return np.where(np.isnat(latest), fallback, latest)


def _end(rule: RetentionRule, start: DateArray) -> DateArray:
    return end_of_period(start, rule.parsed_period, rule.from_ == "end_of_year")


def _request(
    policy: RetentionPolicy, kind: str, requests: pd.DataFrame, codes: Codes, n: int
) -> tuple[RetentionRule | None, DateArray, DateArray]:
    """The rule for a request type, the earliest such request per customer, and its deadline."""
    rules = [r for r in policy.of_kind("request") if r.request == kind]
    if not rules:
        return None, np.full(n, _NAT), np.full(n, _NAT)
    rule = rules[0]
    mask = (requests["type"] == kind).to_numpy(dtype=bool)
    received = earliest_per(codes[mask], as_dates(requests["received_at"][mask]), n)
    return rule, received, _end(rule, received)


def _hold(policy: RetentionPolicy, requests: pd.DataFrame, codes: Codes, n: int) -> Bools:
    """True where a legal hold was placed and not released since (on the same day or later)."""
    rules = policy.of_kind("hold")
    if not rules:
        return np.zeros(n, dtype=bool)
    types = requests["type"]
    dates = as_dates(requests["received_at"])
    placing = types.isin(rules[0].requests).to_numpy(dtype=bool)
    placed = latest_per(codes[placing], dates[placing], n)
    releasing = (types == "hold_released").to_numpy(dtype=bool)
    released = latest_per(codes[releasing], dates[releasing], n)
    held: Bools = ~np.isnat(placed) & (np.isnat(released) | (released < placed))
    return held


def _retention_end(
    policy: RetentionPolicy,
    golden: pd.DataFrame,
    transactions: pd.DataFrame | None,
    tx_codes: Codes,
    interactions: pd.DataFrame | None,
    ix_codes: Codes,
    n: int,
    day_of: DayOf,
) -> tuple[DateArray, npt.NDArray[np.object_], dict[str, DateArray]]:
    """Per customer the day its last retention duty ends, that rule's name, and every rule's end."""
    rules = policy.of_kind("retention")
    claimed = {s for r in rules if r.start == "last_booking" and r.sources for s in r.sources}
    ends: list[DateArray] = []
    for rule in rules:
        start = _retention_start(
            rule, claimed, golden, transactions, tx_codes, interactions, ix_codes, n, day_of
        )
        ends.append(_end(rule, start))
    if not ends:
        return np.full(n, _NAT), np.full(n, None, dtype=object), {}
    stacked = np.vstack([e.view(np.int64) for e in ends])
    winner = stacked.argmax(axis=0)
    end: DateArray = stacked.max(axis=0).view("datetime64[ns]")
    names = np.array([r.name for r in rules], dtype=object)[winner]
    names[np.isnat(end)] = None
    return end, names, {r.name: e for r, e in zip(rules, ends, strict=True)}


def _kept_groups(
    policy: RetentionPolicy, ends: dict[str, DateArray], when: DateArray
) -> tuple[pd.Series, pd.Series]:
    """Per customer the retention rules still running on ``when`` and the field groups they keep.

    Rules combine as bits of one integer per customer, so the text is built once per combination.
    """
    n = len(when)
    bits = np.zeros(n, dtype=np.int64)
    names = list(ends)
    for i, name in enumerate(names):
        running = ~np.isnat(ends[name]) & ~np.isnat(when) & (ends[name] > when)
        bits |= running.astype(np.int64) << i
    groups_of: dict[int, str | None] = {}
    rules_of: dict[int, str | None] = {}
    for combo in np.unique(bits).tolist():
        chosen = [name for i, name in enumerate(names) if combo >> i & 1]
        groups: list[str] = []
        for name in chosen:
            groups += [g for g in policy.rules[name].keeps if g not in groups]
        groups_of[combo] = ",".join(groups) or None
        rules_of[combo] = ",".join(chosen) or None
    codes = pd.Series(bits)
    return codes.map(rules_of).astype("string"), codes.map(groups_of).astype("string")


def _retention_start(
    rule: RetentionRule,
    claimed: set[str],
    golden: pd.DataFrame,
    transactions: pd.DataFrame | None,
    tx_codes: Codes,
    interactions: pd.DataFrame | None,
    ix_codes: Codes,
    n: int,
    day_of: DayOf,
) -> DateArray:
    """The event a retention rule counts from, per customer."""
    if rule.start == "last_booking":
        if transactions is None or not len(transactions):
            return np.full(n, _NAT)
        source = transactions["source"].astype("string")
        if rule.sources is None:
            mask = ~source.isin(claimed).fillna(False).to_numpy(dtype=bool)
        else:
            mask = source.isin(rule.sources).fillna(False).to_numpy(dtype=bool)
        return latest_per(tx_codes[mask], day_of(transactions, "doc_date")[mask], n)
    if rule.start == "last_interaction":
        if interactions is None or not len(interactions):
            return np.full(n, _NAT)
        mask = np.ones(len(interactions), dtype=bool)
        if rule.kinds is not None:
            mask = (
                interactions["kind"]
                .astype("string")
                .isin(rule.kinds)
                .fillna(False)
                .to_numpy(dtype=bool)
            )
        return latest_per(ix_codes[mask], day_of(interactions, "date")[mask], n)
    if rule.start == "consent":
        own = np.arange(n)
        return _latest_of(golden, own, ["consent_at", "consent_withdrawn_at"], n, day_of)
    raise ValueError(f"retention rule {rule.name}: start {rule.start} is not a retention event")


def _marketing_due(
    policy: RetentionPolicy,
    requests: pd.DataFrame,
    codes: Codes,
    people: pd.DataFrame,
    today: np.datetime64,
    n: int,
) -> DateArray:
    """The day marketing use stopped: the earliest objection, withdrawal request or date."""
    rules = policy.of_kind("marketing")
    if not rules:
        return np.full(n, _NAT)
    types = {t for r in rules for t in r.requests}
    mask = requests["type"].isin(types).to_numpy(dtype=bool)
    by_request = earliest_per(codes[mask], as_dates(requests["received_at"])[mask], n)
    withdrawn = (
        as_dates(people["consent_withdrawn_at"].reset_index(drop=True))
        if "consent_withdrawn_at" in people.columns
        else np.full(n, _NAT)
    )
    withdrawn = np.where(withdrawn <= today, withdrawn, _NAT)
    both = np.vstack([by_request.view(np.int64), withdrawn.astype("datetime64[ns]").view(np.int64)])
    both = np.where(both == np.iinfo(np.int64).min, np.iinfo(np.int64).max, both)
    first = both.min(axis=0)
    first[first == np.iinfo(np.int64).max] = np.iinfo(np.int64).min
    result: DateArray = first.view("datetime64[ns]")
    return result


def _names(rules: list[RetentionRule], n: int) -> npt.NDArray[np.object_]:
    return np.full(n, rules[0].name if rules else None, dtype=object)


def _legal_basis(policy: RetentionPolicy, rule: npt.NDArray[np.object_]) -> pd.Series:
    bases = {name: r.legal_basis for name, r in policy.rules.items()}
    return pd.Series(rule, dtype="string").map(bases).astype("string")


def _contact_verdicts(
    contacts: pd.DataFrame | None,
    customers: pd.DataFrame,
    purpose_end: DateArray,
    hold: Bools,
    policy: RetentionPolicy,
    split: _Requests,
    today: np.datetime64,
) -> pd.DataFrame:
    """``contacts`` with verdict columns: deleted when their customer's purpose ends."""
    if contacts is None:
        contacts = pd.DataFrame(
            {"contact_id": pd.Series(dtype="string"), "golden_id": pd.Series(dtype="string")}
        )
    out = contacts.reset_index(drop=True).copy()
    m = len(out)
    pos = pd.Index(customers["golden_id"]).get_indexer(pd.Index(out["golden_id"].astype("string")))
    known = pos >= 0
    customer_end = np.full(m, _NAT)
    customer_end[known] = purpose_end[pos[known]]
    customer_hold = np.zeros(m, dtype=bool)
    customer_hold[known] = hold[pos[known]]

    cids = pd.Index(out["contact_id"].astype("string"))
    ccodes = cids.get_indexer(pd.Index(split.contacts["contact_id"].astype("string")))
    erasure_rule, erasure, deadline = _request(policy, "erasure", split.contacts, ccodes, m)
    own_hold = _hold(policy, split.contacts, ccodes, m)
    held = customer_hold | own_hold
    by_erasure = ~np.isnat(erasure) & (np.isnat(customer_end) | (erasure <= customer_end))
    end = np.where(by_erasure, erasure, customer_end)
    ended = ~np.isnat(end) & (end <= today)

    contact_rule = policy.of_kind("contact")
    base_rule = contact_rule[0].name if contact_rule else None
    rule = np.full(m, base_rule, dtype=object)
    if erasure_rule is not None:
        rule[by_erasure] = erasure_rule.name
    hold_name = _names(policy.of_kind("hold"), m)
    action = np.select([held, ended], ["keep", "delete"], "keep")
    out["personal_data"] = True
    out["action"] = pd.Series(action, dtype="string").to_numpy()
    out["due_date"] = np.where(~held & ended, np.where(by_erasure, deadline, end), _NAT).astype(
        "datetime64[ns]"
    )
    out["delete_after"] = np.full(m, _NAT)
    rule = np.where(held, hold_name, rule)
    out["rule"] = pd.Series(rule, dtype="string").to_numpy()
    out["legal_basis"] = _legal_basis(policy, rule).to_numpy()
    marketing = _marketing_due(policy, split.contacts, ccodes, out, today, m)
    out["marketing_action"] = pd.Series(
        np.where(np.isnat(marketing), "none", "restrict"), dtype="string"
    ).to_numpy()
    out["marketing_due"] = marketing
    upcoming = (held & ended) | (~held & ~ended & ~np.isnat(end))
    out["next_action"] = pd.array(
        _choose(upcoming, np.full(m, "delete", dtype=object)), dtype="string"
    )
    out["next_due"] = np.where(~held & ~ended, end, _NAT).astype("datetime64[ns]")
    return out
