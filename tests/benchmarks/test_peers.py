"""The peers' light cleaning, their candidate pairs and one small run of each peer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.suite import peers
from benchmarks.suite.gen_b2b_valid import generate
from benchmarks.suite.metrics import score_clusters


def test_light_clean_by_hand() -> None:
    records = pd.DataFrame(
        {
            "company_name": ["Müller GmbH & Co. KG", "  "],
            "first_name": [None, "Anne-Marie"],
            "last_name": [None, "O'Neill"],
            "street": ["Hauptstr.", None],
            "house_number": ["12a", None],
            "postcode": ["01067", " 8010 "],
            "phone": ["+49 (0)711 123456-26", "n/a"],
            "email": [" Info@Mueller.DE ", None],
            "vat_id": ["DE 136 695 976", None],
            "party_type": ["company", "person"],
        }
    )
    clean = peers.light_clean(records)
    assert clean["name"].tolist()[0] == "müller gmbh co kg"
    assert pd.isna(clean["name"].iloc[1])
    assert clean["first_name"].iloc[1] == "anne marie"
    assert clean["last_name"].iloc[1] == "o neill"
    assert clean["street"].iloc[0] == "hauptstr 12a"
    assert clean["postcode"].tolist() == ["01067", "8010"]
    assert clean["phone"].iloc[0] == "49071112345626"
    assert pd.isna(clean["phone"].iloc[1])
    assert clean["email"].iloc[0] == "info@mueller.de"
    assert clean["vat_id"].iloc[0] == "de136695976"
    assert clean["name_pfx"].tolist() == ["müll", "onei"]
    assert clean["unique_id"].tolist() == [0, 1]


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return generate(600, seed=4)


def test_candidate_pairs_are_unique_and_ordered(small: pd.DataFrame) -> None:
    clean = peers.light_clean(small)
    pairs = peers.candidate_pairs_rl(clean)
    assert (pairs[:, 0] < pairs[:, 1]).all()
    assert len(np.unique(pairs, axis=0)) == len(pairs)
    kinds = clean["party_type"].to_numpy()
    assert (kinds[pairs[:, 0]] == kinds[pairs[:, 1]]).all()


def test_contact_model_leaves_out_the_employers_address(small: pd.DataFrame) -> None:
    clean = peers.light_clean(small)
    persons = clean[clean["party_type"] == "person"]
    companies = clean[clean["party_type"] == "company"]
    text, exact = peers.model_fields(persons)
    assert "street" not in text and "postcode" not in exact
    text, exact = peers.model_fields(companies)
    assert "street" in text and {"postcode", "vat_id", "iban"} <= set(exact)


@pytest.mark.parametrize("tool", ["recordlinkage", "splink"])
def test_peer_runs_and_finds_duplicates(small: pd.DataFrame, tool: str) -> None:
    truth = small["entity_id"].to_numpy()
    out = peers.TOOLS[tool](lambda: small.drop(columns=["entity_id", "company_entity_id"]))
    assert len(out["labels"]) == len(small)
    assert out["candidates"] == len(out["left"]) > 0
    scores = score_clusters(out["labels"], truth)
    assert scores.pairwise.f1 > 0.5  # a working linker, not a tuned one


def test_large_data_paths(small: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a million records switch on, exercised on a small file: Splink's EM sampled to a
    pair budget, dq without its kept pairs (blocking recall then n/a)."""
    from benchmarks.suite.run_suite import score, table

    monkeypatch.setattr(peers, "SPLINK_EM_CAP_FROM", 100)
    monkeypatch.setattr(peers, "SPLINK_EM_PAIRS", 2000)
    monkeypatch.setattr(peers, "DQ_KEEP_PAIRS_UP_TO", 100)
    records = small.drop(columns=["entity_id", "company_entity_id"])
    truth = small["entity_id"].to_numpy()
    kinds = small["party_type"].to_numpy()
    splink = peers.run_splink(lambda: records)
    assert score_clusters(splink["labels"], truth).pairwise.f1 > 0.5
    dq_out = peers.run_dq(lambda: records)
    assert "left" not in dq_out and dq_out["candidates"] > 0
    rows = {}
    for tool, out in (("dq", dq_out), ("splink", splink)):
        info = {**out, "wall": 1.0, "peak_tree_mb": 100.0, "peak_pss_mb": 80.0, "maxrss_mb": 90.0}
        rows[tool] = score(info | {"children_maxrss_mb": 0.0}, truth, kinds)
    assert rows["dq"]["blocking_recall"] is None
    assert 0.5 < rows["splink"]["blocking_recall"] <= 1.0
    text = table("small", len(small), rows)
    assert "| n/a |" in text.splitlines()[4]
    assert "Pairwise F1 within party types: dq company" in text
