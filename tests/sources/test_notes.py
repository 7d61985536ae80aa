"""Note kinds from words (German and English) and categories the kinds do not know."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dq.ingest import ingest_file
from dq.schema import INTERACTION_KINDS
from dq.sources.notes import classify_kind, complete_interactions

CASES = [
    ("Reklamation", "Kunde meldet beschädigte Ware", "complaint"),
    ("", "Lieferung war mangelhaft, Kunde sehr unzufrieden", "complaint"),
    ("Retoure", "Rücksendung von 3 Kartons angekündigt", "return"),
    ("Reklamation Retoure", "Beschwerde über die Rücksendung", "complaint"),  # complaint wins
    ("2. Mahnung", "Rechnung RE-2024-11 ist überfällig", "reminder"),
    ("Zahlungserinnerung", "zur Bestellung vom 3. Mai", "reminder"),  # reminder before order
    ("Nachbestellung", "Kunde bestellt 20 Kartons", "order"),
    ("Angebot", "Kostenvoranschlag für Regalsystem geschickt", "offer"),
    ("Call", "Customer complained about a damaged pallet", "complaint"),
    ("", "Goods sent back, RMA 4411 issued", "return"),
    ("Payment reminder", "Invoice 2024-17 is past due", "reminder"),
    ("", "Purchase order received for 40 units", "order"),
    ("Quote", "Sent a quotation for the spring range", "offer"),
    ("Jahresgespräch", "Nettes Gespräch, nichts Konkretes", "other"),
]


@pytest.mark.parametrize(("subject", "text", "kind"), CASES)
def test_kind_from_words(subject: str, text: str, kind: str) -> None:
    got = classify_kind(pd.Series([subject]), pd.Series([text]))
    assert got.tolist() == [kind]


def test_unknown_categories_never_pass_through() -> None:
    frame = pd.DataFrame(
        {
            "kind": ["complaint", "Rückruf", "Mahnung", "ORDER", None],
            "subject": ["x", "Rückruf erbeten", "", "", "Angebot"],
            "text": ["", "bitte zurückrufen", "RE-5 offen", "", "Preisliste"],
            "channel": ["call"] * 5,
        }
    )
    out = complete_interactions(frame)
    assert out["kind"].tolist() == ["complaint", "other", "reminder", "order", "offer"]
    assert set(out["kind"]) <= set(INTERACTION_KINDS)
    # The source's own category is kept where it was not a kind.
    assert out["kind_raw"].fillna("-").tolist() == ["-", "Rückruf", "Mahnung", "-", "-"]


def test_sales_notes_with_an_unmapped_category(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        "Datum;Kundennummer;Kanal;Betreff;Notiz;Kategorie\n"
        "01.02.2025;10001;Anruf;Zahlung;Zweite Mahnung RE-12 verschickt;Mahnwesen\n"
        "02.02.2025;10002;Anruf;Termin;Gespräch über neue Saison;Akquise\n"
        "03.02.2025;10003;Anruf;Bruch;Palette kaputt angekommen;Reklamation\n",
        encoding="utf-8",
    )
    notes = ingest_file(path, "sales-notes", records_of="datev").interactions
    assert notes["kind"].tolist() == ["reminder", "other", "complaint"]
    assert notes["kind_raw"].fillna("-").tolist() == ["Mahnwesen", "Akquise", "-"]
