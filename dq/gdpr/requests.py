"""Privacy requests matched to golden customers and their contact persons.

A request's identifying fields are standardised with :func:`dq.standardize.standardize_records`
(the same code that standardised the customers), then joined to customers and contacts on the
blocking keys e-mail, phone, customer number and the matcher's phonetic person-name key.
E-mail, phone, customer number and the same name with the same postcode are evidence; a name
alone, or one that only sounds alike, is not. A request is ``matched`` when exactly one person
(a customer, or one contact at it) carries evidence, ``ambiguous`` when several do or when only
a name agrees (the candidates are listed, never guessed), ``unmatched`` when none does, and
``invalid`` when its type or date cannot be read. Every request ends in exactly one row.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.gdpr.dates import as_dates, end_of_period
from dq.gdpr.policy import REQUEST_TYPES, parse_period
from dq.schema import RECORD_COLUMNS, conform
from dq.standardize.persons import split_person_names
from dq.standardize.text import fold_series

__all__ = ["PRIVACY_REQUEST_COLUMNS", "match_requests"]

PRIVACY_REQUEST_COLUMNS = (
    "request_id",
    "type",
    "received_at",
    "answer_due",
    "status",
    "golden_id",
    "contact_id",
    "evidence",
    "candidates",
    "reason",
    "source",
    "source_row",
)
_KEYS = ("email", "phone", "customer_number")
_STRONG = {"email", "phone", "customer_number", "name+postcode"}
_ANSWER_WITHIN = parse_period("1m")  # Art. 12(3) DSGVO
_PERSON_KEY = "person_phonetic"
_SHOWN = 10  # candidates listed per ambiguous request


def _standardized(requests: pd.DataFrame) -> pd.DataFrame:
    """The requests' identifying fields standardised like customer records, keyed by position."""
    from dq.standardize import standardize_records  # heavy: loaded when requests exist

    raw = pd.DataFrame(index=requests.index)
    for name in ("email", "phone", "customer_number", "postcode", "first_name", "last_name"):
        if name in requests.columns:
            raw[name] = requests[name].astype("string")
    if "name" in requests.columns:  # a whole name in one field: its parts where none are given
        split = split_person_names(requests["name"])
        empty = pd.Series(pd.NA, index=raw.index, dtype="string")
        given = raw.get("last_name", empty).notna()
        for part in ("first_name", "last_name"):
            raw[part] = raw.get(part, empty).where(given, split[part])
    raw["record_id"] = "request:" + pd.Series(
        np.arange(len(requests)), index=requests.index
    ).astype(str)
    raw["party_type"] = "person"
    if "country" in requests.columns:
        raw["country"] = requests["country"].astype("string")
    out: pd.DataFrame = standardize_records(conform(raw, RECORD_COLUMNS)).records
    out = out.reset_index(drop=True)
    out["name_key"] = _name_key(out)
    return out


def _name_key(frame: pd.DataFrame) -> pd.Series:
    first = frame["first_name"].astype("string") if "first_name" in frame else None
    last = frame["last_name"].astype("string") if "last_name" in frame else None
    if first is None or last is None:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return fold_series((first + " " + last).where(first.notna() & last.notna()))


def _targets(golden: pd.DataFrame, contacts: pd.DataFrame | None) -> pd.DataFrame:
    """Customers and contacts with their keys: ``golden_id, contact_id, key, value``."""
    people = golden.reset_index(drop=True)
    person = people.get("party_type", pd.Series(index=people.index, dtype="string")) == "person"
    frames = [_keys(people, None, people.get("postcode"), person.fillna(False).to_numpy(bool))]
    if contacts is not None and len(contacts):
        postcodes = people.set_index("golden_id")["postcode"] if "postcode" in people else None
        cpost = (
            contacts["golden_id"].map(postcodes)
            if postcodes is not None
            else pd.Series(pd.NA, index=contacts.index)
        )
        frames.append(_keys(contacts, contacts["contact_id"], cpost, None))
    return pd.concat(frames, ignore_index=True)


def _keys(
    frame: pd.DataFrame,
    contact_id: pd.Series | None,
    postcode: pd.Series | None,
    named: np.ndarray | None,
) -> pd.DataFrame:
    """Long table of one kind of target's keys (e-mail, phones, customer number, name)."""
    gid = frame["golden_id"].astype("string").to_numpy()
    cid = (
        contact_id.astype("string").to_numpy()
        if contact_id is not None
        else np.full(len(frame), None, dtype=object)
    )
    names = _name_key(frame)
    first = _text(frame, "first_name")
    last = _text(frame, "last_name")
    if named is not None:  # a company's name is not a person's name
        names = names.where(named)
    post = (
        postcode.astype("string").to_numpy()
        if postcode is not None
        else np.full(len(frame), None, dtype=object)
    )
    parts = []
    for key, column in [("email", "email"), ("phone", "phone"), ("phone", "mobile"),
                        ("customer_number", "customer_number")]:  # fmt: skip
        if column in frame.columns:
            parts.append(pd.DataFrame({"golden_id": gid, "contact_id": cid, "key": key,
                                       "value": frame[column].astype("string").to_numpy(),
                                       "postcode": post}))  # fmt: skip
    parts.append(pd.DataFrame({"golden_id": gid, "contact_id": cid, "key": "name",
                               "value": names.to_numpy(), "postcode": post,
                               "first_name": first, "last_name": last}))  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    return out[out["value"].notna()]


def _text(frame: pd.DataFrame, column: str) -> npt.NDArray[np.object_]:
    if column not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    out: npt.NDArray[np.object_] = frame[column].astype(object).to_numpy()
    return out


@cache
def _phonetic_parts() -> tuple[str, ...]:
    """The matcher's person-name blocking key (dq/match/data/blocking.yaml), without postcode:
    a request's postcode may be the person's home, a contact's the company's."""
    from dq.match.blocking import load_blocking_keys

    key = next(k for k in load_blocking_keys() if k.name == _PERSON_KEY)
    return tuple(p for p in key.parts if not p.startswith("postcode"))


def match_requests(
    requests: pd.DataFrame,
    golden: pd.DataFrame,
    contacts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``privacy_requests`` table: each request matched, ambiguous, unmatched or invalid."""
    requests = requests.reset_index(drop=True)
    n = len(requests)
    kind = requests["type"].astype("string").str.strip().str.lower()
    received = as_dates(requests["received_at"])
    problems = np.full(n, None, dtype=object)
    problems[np.isnat(received)] = "received_at is missing or not a date"
    unknown = ~kind.isin(REQUEST_TYPES).fillna(False).to_numpy(dtype=bool)
    problems[unknown] = "unknown request type (use one of " + ", ".join(REQUEST_TYPES) + ")"
    out = pd.DataFrame(
        {
            "request_id": requests["request_id"].astype("string"),
            "type": kind,
            "received_at": received,
            "answer_due": end_of_period(received, _ANSWER_WITHIN, False),
            "source": requests.get("source", pd.Series(pd.NA, index=requests.index)).astype(
                "string"
            ),
            "source_row": requests.get("source_row", pd.Series(pd.NA, index=requests.index)).astype(
                "Int64"
            ),
        }
    )
    evidence = _evidence(requests, golden, contacts) if n else None
    status = np.full(n, "unmatched", dtype=object)
    gid = np.full(n, None, dtype=object)
    cid = np.full(n, None, dtype=object)
    ev = np.full(n, None, dtype=object)
    cand = np.full(n, None, dtype=object)
    if evidence is not None and len(evidence):
        decided = _decide(evidence)
        pos = decided.index.to_numpy()
        status[pos] = decided["status"].to_numpy()
        gid[pos] = decided["golden_id"].to_numpy()
        cid[pos] = decided["contact_id"].to_numpy()
        ev[pos] = decided["evidence"].to_numpy()
        cand[pos] = decided["candidates"].to_numpy()
    invalid = problems != None  # noqa: E711 - elementwise on an object array
    status[invalid] = "invalid"
    for arr in (gid, cid, ev, cand):
        arr[invalid] = None
    out["status"] = status
    out["golden_id"] = gid
    out["contact_id"] = cid
    out["evidence"] = ev
    out["candidates"] = cand
    out["reason"] = problems
    out = out[list(PRIVACY_REQUEST_COLUMNS)]
    for name in PRIVACY_REQUEST_COLUMNS:
        if name not in ("received_at", "answer_due", "source_row"):
            out[name] = out[name].astype("string")
    return out


def _evidence(
    requests: pd.DataFrame, golden: pd.DataFrame, contacts: pd.DataFrame | None
) -> pd.DataFrame:
    """``request, golden_id, contact_id, evidence`` for every key a request shares with a target."""
    std = _standardized(requests)
    targets = _targets(golden, contacts)
    rows = []
    for key in _KEYS:
        mine = pd.DataFrame(
            {"request": np.arange(len(std)), "value": std[key].astype("string")}
        ).dropna(subset=["value"])
        joined = mine.merge(targets[targets["key"] == key], on="value", how="inner")
        joined["evidence"] = key
        rows.append(joined[["request", "golden_id", "contact_id", "evidence"]])
    rows.append(_name_evidence(std, targets[targets["key"] == "name"]))
    return pd.concat(rows, ignore_index=True).drop_duplicates()


def _name_evidence(std: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Names that sound alike under the matcher's phonetic key are candidates ("name"); the
    same folded name with the same postcode is evidence ("name+postcode")."""
    from dq.match.blocking import key_codes

    both = pd.DataFrame(
        {
            "first_name": np.concatenate([_text(std, "first_name"), _text(people, "first_name")]),
            "last_name": np.concatenate([_text(std, "last_name"), _text(people, "last_name")]),
        }
    ).astype("string")
    codes = key_codes(both, _phonetic_parts())
    mine = pd.DataFrame(
        {
            "request": np.arange(len(std)),
            "code": codes[: len(std)],
            "req_name": std["name_key"].astype("string"),
            "req_postcode": std["postcode"].astype("string"),
        }
    )
    theirs = people.assign(code=codes[len(std) :])
    joined = mine[mine["code"] >= 0].merge(theirs[theirs["code"] >= 0], on="code", how="inner")
    same = (joined["req_name"] == joined["value"]) & (joined["req_postcode"] == joined["postcode"])
    joined["evidence"] = np.where(same.fillna(False).to_numpy(dtype=bool), "name+postcode", "name")
    return joined[["request", "golden_id", "contact_id", "evidence"]]


def _listing(entities: pd.Series) -> str:
    """Candidate IDs, sorted; beyond the first few only their number."""
    distinct = sorted(set(entities))
    more = f";(+{len(distinct) - _SHOWN} more)" if len(distinct) > _SHOWN else ""
    return ";".join(distinct[:_SHOWN]) + more


def _decide(evidence: pd.DataFrame) -> pd.DataFrame:
    """Per request: status, the person, evidence and candidates (grouped, no loop per request)."""
    ev = evidence.copy()
    ev["strong"] = ev["evidence"].isin(_STRONG)
    ev["entity"] = ev["golden_id"].astype("string") + np.where(
        ev["contact_id"].notna(), "/" + ev["contact_id"].astype("string"), ""
    )
    has_strong = ev.groupby("request")["strong"].transform("any")
    considered = ev[ev["strong"] | ~has_strong]
    per = considered.groupby("request").agg(
        golden_ids=("golden_id", "nunique"),
        contacts=("contact_id", "nunique"),
        strong=("strong", "any"),
        entities=("entity", _listing),
        evidence=("evidence", lambda s: ",".join(sorted(set(s)))),
        golden_id=("golden_id", "first"),
        contact_id=("contact_id", lambda s: s.dropna().iloc[0] if s.notna().any() else None),
    )
    # one person: every strong hit is the same customer, and at most one of its contacts
    single = per["strong"] & (per["golden_ids"] == 1) & (per["contacts"] <= 1)
    per["status"] = np.where(single, "matched", "ambiguous")
    per["candidates"] = per["entities"].where(~single)
    per.loc[~single, ["golden_id", "contact_id"]] = None
    per.loc[~single, "evidence"] = per.loc[~single, "evidence"]
    return per[["status", "golden_id", "contact_id", "evidence", "candidates"]]
