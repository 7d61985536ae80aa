"""The transcription-noise generator: deterministic, truthful, and each noise kind at its rate."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields, replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.ch import uid as stdnum_ch_uid
from stdnum.eu import vat as stdnum_vat

from benchmarks.suite.gen_transcribed import (
    Generated,
    LookalikeRates,
    NoiseRates,
    generate,
    main,
)
from benchmarks.suite.transcribed.pools import load_tables
from dq.schema import PARTY_TYPES, RECORD_COLUMNS
from dq.tables import read_table

CONTENT = [
    "party_type", "company_name", "salutation", "title", "first_name", "last_name",
    "contact_person", "street", "house_number", "postcode", "city", "country", "email", "phone",
    "vat_id", "iban",
]  # fmt: skip
NO_LOOKALIKES = LookalikeRates(family=0, junior=0, branch=0, common_name=0)


@cache
def clean(n: int = 4000, seed: int = 11) -> Generated:
    return generate(n, seed, NoiseRates.none())


@cache
def noisy(n: int = 30000, seed: int = 5) -> Generated:
    return generate(n, seed, track=True)


def frame(gen: Generated) -> pd.DataFrame:
    return pd.DataFrame({k: v.astype(object) for k, v in gen.columns.items()})


def test_same_seed_same_records_other_seed_other_records() -> None:
    a, b, c = generate(3000, 7), generate(3000, 7), generate(3000, 8)
    assert a.columns.keys() == b.columns.keys()
    for name in a.columns:
        assert np.array_equal(a.columns[name], b.columns[name]), name
    assert not np.array_equal(a.columns["company_name"], c.columns["company_name"])


def test_columns_are_canonical_and_ids_consistent() -> None:
    gen = noisy()
    df = frame(gen)
    assert len(df) == 30000
    assert set(df.columns) - {"entity_id"} <= set(RECORD_COLUMNS)
    assert df["record_id"].is_unique
    assert (df["record_id"] == df["source"] + ":" + df["source_key"]).all()
    assert set(df["party_type"]) <= set(PARTY_TYPES)
    persons = df["party_type"] == "person"
    assert (df.loc[persons, "company_name"] == "").all()
    assert (df.loc[~persons, "company_name"] != "").all()
    assert (df.loc[persons, "last_name"] != "").all()
    # records per entity as configured: 1 to 8, about half of the entities single
    sizes = df.groupby("entity_id").size()
    assert sizes.max() <= 8
    assert 0.42 < (sizes == 1).mean() < 0.62


def test_without_noise_every_record_of_an_entity_is_identical() -> None:
    df = frame(clean())
    # systems write a company's contact as one string or as columns: compare the person
    person = (df["title"] + " " + df["first_name"] + " " + df["last_name"]).str.strip()
    df["who"] = df["contact_person"].where(df["contact_person"] != "", person)
    people = {"salutation", "title", "first_name", "last_name", "contact_person"}
    content = [c for c in CONTENT if c not in people] + ["who"]
    per_entity = df.groupby("entity_id")[content].nunique()
    assert (per_entity <= 1).all().all()
    assert df.groupby("entity_id").size().gt(1).sum() > 500  # there are duplicates to compare


def test_without_noise_values_are_valid() -> None:
    df = frame(clean())
    vat = df.loc[df["vat_id"] != "", "vat_id"]
    ch = vat.str.startswith("CHE")
    assert len(vat) > 300 and ch.any()
    assert all(stdnum_vat.is_valid(v) for v in vat[~ch])
    assert all(stdnum_ch_uid.is_valid(v) for v in vat[ch])
    ibans = df.loc[df["iban"] != "", "iban"]
    assert len(ibans) > 300 and all(stdnum_iban.is_valid(v) for v in ibans)
    valid = [
        phonenumbers.is_valid_number(phonenumbers.parse(p, c))
        for p, c in zip(df["phone"], df["country"], strict=True)
    ]
    assert np.mean(valid) > 0.995
    lengths = df["postcode"].str.len()
    assert (lengths[df["country"] == "DE"] == 5).all()
    assert (lengths[df["country"] != "DE"] == 4).all()
    assert df["postcode"].str.isdigit().all()


def _kind(key: str) -> str:
    return key.split(":")[0]


def test_every_noise_kind_appears_at_its_rate() -> None:
    gen, rates = noisy(), NoiseRates()
    seen = {_kind(k) for k in gen.log.applied}
    assert seen == {f.name for f in fields(NoiseRates)}
    for key, applied in gen.log.applied.items():
        eligible = gen.log.eligible[key]
        assert not (applied & ~eligible).any(), key
        n, rate = int(eligible.sum()), getattr(rates, _kind(key))
        assert n >= 300, key
        sigma = (rate * (1 - rate) / n) ** 0.5
        assert abs(applied.sum() / n - rate) < 4 * sigma + 0.005, (key, applied.sum() / n, rate)


# kinds, each switched on alone, and the output columns they may change
KINDS = [f.name for f in fields(NoiseRates)]


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_changes_exactly_the_records_it_logs(kind: str) -> None:
    base = clean(3000, 3)
    rates = replace(NoiseRates.none(), **{kind: 0.5})
    if kind.startswith("legal_form"):  # a record gets at most one legal-form change
        rates = replace(rates, **{kind: 0.9})
    gen = generate(3000, 3, rates)
    changed = np.zeros(len(gen), dtype=bool)
    for name in CONTENT:
        changed |= gen.columns[name] != base.columns[name]
    logged = np.zeros(len(gen), dtype=bool)
    for key, applied in gen.log.applied.items():
        assert key == kind or _kind(key) == kind or not applied.any(), key
        logged |= applied
    assert logged.sum() > 20, kind
    assert np.array_equal(changed, logged), (
        kind,
        (changed & ~logged).sum(),
        (logged & ~changed).sum(),
    )
    for name in ("record_id", "entity_id"):
        assert np.array_equal(gen.columns[name], base.columns[name])


def test_noise_kinds_do_what_their_names_say() -> None:
    gen = noisy()
    col, log = gen.columns, gen.log.applied
    base = generate(30000, 5, NoiseRates.none())
    mojibake = log["mojibake"]
    text = col["company_name"]
    for name in ("first_name", "last_name", "contact_person", "street", "city", "country"):
        text = np.strings.add(text, col[name])
    assert np.mean(["Ã" in v or "Å" in v or "\ufffd" in v for v in text[mojibake]]) > 0.95
    caps = log["all_caps"] & (col["street"] != "")
    assert all(v == v.upper() for v in col["street"][caps])
    only_short = generate(3000, 5, replace(NoiseRates.none(), legal_form_short=1.0))
    short = only_short.columns["company_name"][only_short.log.applied["legal_form_short"]]
    assert len(short) > 50
    assert all(v.endswith((" KG", " UG", " & Co. KG", " PartG")) for v in short)
    respelled = generate(6000, 5, replace(NoiseRates.none(), legal_form_variant=1.0)).columns
    austrian = np.strings.endswith(respelled["company_name"], "GesmbH")
    assert austrian.any() and (respelled["country"][austrian] == "AT").all()
    dropped = log["missing_city"]
    assert (col["city"][dropped] == "").all() and (base.columns["city"][dropped] != "").all()
    vat_bad = log["vat_error"] & ~log["vat_missing"]
    assert (col["vat_id"][vat_bad] != "").all()
    truncated = log["truncation"]
    for name, longest_limit in (("company_name", 40), ("street", 30), ("city", 25)):
        assert (np.strings.str_len(col[name][truncated]) <= longest_limit).all(), name


def test_broken_identifiers_mostly_fail_their_check_digits() -> None:
    gen = generate(20000, 9, replace(NoiseRates.none(), vat_error=1.0, iban_error=1.0))
    vat = gen.columns["vat_id"][gen.columns["vat_id"] != ""].astype(object)
    iban = gen.columns["iban"][gen.columns["iban"] != ""].astype(object)
    valid_vat = [(stdnum_ch_uid if v.startswith("CHE") else stdnum_vat).is_valid(v) for v in vat]
    assert len(vat) > 1000 and np.mean(valid_vat) < 0.1
    assert len(iban) > 1000 and np.mean([stdnum_iban.is_valid(v) for v in iban]) < 0.02


def _digits(values: np.ndarray) -> list[str]:
    return ["".join(ch for ch in str(v) if ch.isdigit()) for v in values]


def _valid_phone(number: str, country: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, country))
    except phonenumbers.NumberParseException:
        return False


def test_invalid_phones_are_rejected_by_libphonenumber() -> None:
    base = generate(20000, 4, NoiseRates.none())
    gen = generate(20000, 4, replace(NoiseRates.none(), phone_invalid=1.0))
    bad = gen.log.applied["phone_invalid"]
    assert bad.sum() > 15000
    before = _digits(base.columns["phone"][bad])
    after = _digits(gen.columns["phone"][bad])
    country = gen.columns["country"][bad]
    local = [b.endswith(a) and len(b) - len(a) >= 2 for a, b in zip(after, before, strict=True)]
    assert 0.2 < np.mean(local) < 0.3  # one mode of four: the area code left out
    valid = [
        _valid_phone(p, c)
        for p, c, is_local in zip(gen.columns["phone"][bad], country, local, strict=True)
        if not is_local
    ]
    assert np.mean(valid) < 0.03


@pytest.mark.parametrize("country", ["DE", "AT", "CH"])
def test_unassigned_area_codes_are_unassigned(country: str) -> None:
    calling = load_tables().raw["countries"][country]["calling_code"]
    for area in load_tables().raw["unassigned_area_codes"][country]:
        for length in range(3, 9):
            number = phonenumbers.parse(f"+{calling}{area}{'2345678901'[:length]}")
            assert not phonenumbers.is_valid_number(number), (area, length)


def test_phone_forms_keep_the_number() -> None:
    """Every written form parses to the same number as the plain one (libphonenumber)."""
    base = clean(3000, 3)
    gen = generate(3000, 3, replace(NoiseRates.none(), phone_format=1.0))
    parsed = [
        phonenumbers.parse(p, c).national_number == phonenumbers.parse(b, c).national_number
        for p, b, c in zip(
            gen.columns["phone"], base.columns["phone"], gen.columns["country"], strict=True
        )
        if "-" not in p.split()[-1] or p.startswith("+")
    ]
    assert len(parsed) > 1500 and np.mean(parsed) > 0.99


def test_lookalikes_are_other_entities_that_share_what_they_should() -> None:
    gen = generate(20000, 2, NoiseRates.none(), LookalikeRates(0.2, 0.1, 0.1, 0.1))
    df = frame(gen)
    df["lookalike"], df["parent"] = gen.lookalike, gen.parent_entity
    first = df.drop_duplicates("entity_id").set_index("entity_id")
    for kind, same, different in (
        ("family", ["last_name", "street", "postcode", "city"], ["first_name"]),
        ("junior", ["first_name", "last_name", "street", "postcode"], []),
        ("branch", ["company_name"], ["city"]),
    ):
        kids = first[(first["lookalike"] == kind) & first["parent"].isin(first.index)]
        assert len(kids) > 30, kind
        parents = first.loc[kids["parent"]]
        assert (kids.index != parents.index).all()
        for c in same:
            assert (kids[c].to_numpy() == parents[c].to_numpy()).all(), (kind, c)
        for c in different:
            assert (kids[c].to_numpy() != parents[c].to_numpy()).all(), (kind, c)
    common = first[first["lookalike"] == "common_name"]
    assert common["company_name"].duplicated().sum() > 50


def test_entities_share_no_contact_or_identifier_unless_meant_to() -> None:
    gen = generate(40000, 6, NoiseRates.none())
    df = frame(gen)
    df["lookalike"] = gen.lookalike
    for name, meant in (
        ("email", {"branch"}),
        ("vat_id", {"branch"}),
        ("iban", set()),
        ("phone", {"family", "junior"}),  # the landline of a shared home
    ):
        held = df[df[name] != ""]
        owners = held.groupby(name)["entity_id"].nunique()
        shared = held[held[name].isin(owners[owners > 1].index)]
        assert (
            shared.groupby(name)["lookalike"].agg(lambda k, meant=meant: bool(set(k) & meant)).all()
        ), name
        if name == "vat_id":
            assert len(shared) > 0  # half of the branches share the chain's VAT ID
    domains = df["email"].str.partition("@")[2]
    companies = df[(df["party_type"] == "company") & (df["lookalike"] != "branch")]
    per_domain = companies.groupby(domains[companies.index])["entity_id"].nunique()
    free_mail = {d for ds in load_tables().raw["free_mail"].values() for d in ds}
    assert (per_domain.drop(labels=list(free_mail), errors="ignore") > 1).sum() == 0


def test_without_lookalikes_none_are_made() -> None:
    gen = generate(2000, 1, lookalikes=NO_LOOKALIKES)
    assert set(gen.lookalike) == {"none"}


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 400), seed=st.integers(0, 2**32 - 1))
def test_any_size_and_seed_gives_exactly_n_consistent_records(n: int, seed: int) -> None:
    gen = generate(n, seed)
    assert len(gen) == n
    assert len(np.unique(gen.columns["record_id"])) == n
    assert all(len(v) == n for v in gen.columns.values())
    assert (gen.columns["entity_id"] != "").all()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_writes_a_file_dq_reads(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"records{suffix}"
    main(["--n", "500", "--seed", "3", "--out", str(out), "--noise-column"])
    assert "500 records" in capsys.readouterr().out
    records = read_table(out, RECORD_COLUMNS)
    assert len(records) == 500
    assert records["entity_id"].notna().all() and records["noise"].notna().any()
    assert records["postcode"].dropna().str.len().isin([4, 5]).all()  # leading zeros kept
    assert records["record_id"].is_unique


def test_to_pandas_has_nulls_where_values_are_empty() -> None:
    gen = generate(400, 2)
    df = gen.to_pandas(noise_column=True)
    assert len(df) == 400 and "noise" in df.columns
    assert df["company_name"].isna().sum() == (gen.columns["company_name"] == "").sum()
    assert not (df.drop(columns="noise") == "").any().any()


def test_runs_as_a_script(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "r.csv"
    done = subprocess.run(
        [sys.executable, "benchmarks/suite/gen_transcribed.py", "--n", "50", "--out", str(out)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(out)) == 50


def test_cli_rejects_unknown_kinds(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="unknown kind"):
        main(["--n", "10", "--out", str(tmp_path / "x.csv"), "--rate", "bogus=1"])
    with pytest.raises(ValueError, match="noise rates"):
        generate(10, 0, replace(NoiseRates(), ocr=2.0))


def test_standardize_reads_the_records(tmp_path: Path) -> None:
    from dq.standardize import standardize_records

    out = tmp_path / "r.parquet"
    main(["--n", "300", "--seed", "1", "--out", str(out)])
    result = standardize_records(read_table(out, RECORD_COLUMNS), default_country="DE")
    assert len(result.records) == 300
    assert result.records["entity_id"].notna().all()
