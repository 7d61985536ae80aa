"""From entities to records: which system holds each record, and how it writes the values.

``expand`` gives one row of value *parts* per record (the entity's values, to be disturbed by
the noise stages); ``compose`` writes the parts into the output columns: company name with its
legal form, the contact person as columns or as one string, the phone in one of the written
forms, identifiers as printed, the country as the system spells it.
"""

from __future__ import annotations

import numpy as np

from benchmarks.suite.transcribed.entities import PERSON, Entities
from benchmarks.suite.transcribed.names import by_country, const, join
from benchmarks.suite.transcribed.pools import COUNTRIES, TEXT, Tables, draw, normalise, text

s = np.strings
Parts = dict[str, np.ndarray]

# Written forms of a phone number: A area code without trunk 0, S subscriber number,
# P subscriber in pairs (or the Swiss 3-2-2 grouping), C country calling code, X extension.
# The first one is how the number is written when nothing varies (DIN 5008 national form).
PHONE_FORMS = (
    "0A S",
    "+C A S",
    "+C (0)A S",
    "00C A S",
    "(0A) S",
    "0A/S",
    "0A-S",
    "0AS",
    "+CAS",
    "0A/S-0",
    "0A S-X",
    "0A / S",
    "+C-A-S",
    "0A P",
    "Tel. 0A S",
    "+C A P",
)


def expand(rng: np.random.Generator, t: Tables, ent: Entities, sizes: np.ndarray) -> Parts:
    """One row per record (shuffled): entity values, source system and key."""
    eidx = np.repeat(np.arange(len(ent)), sizes)
    eidx = eidx[rng.permutation(len(eidx))]
    n = len(eidx)
    sources = t.raw["sources"]
    source_names = list(sources)
    src = draw(rng, normalise([v["weight"] for v in sources.values()]), n)
    key = const("", n)
    contact_text = np.zeros(n, dtype=bool)
    for i, name in enumerate(source_names):
        rows = np.flatnonzero(src == i)
        spec = sources[name]
        number = (spec["key_start"] + np.arange(len(rows))).astype(TEXT)
        key[rows] = s.add(spec["key_prefix"], number) if spec["key_prefix"] else number
        contact_text[rows] = spec["contact"] == "text"
    source = text(source_names)[src]
    legal = t.legal
    offsets = np.cumsum([0] + [len(sp) for sp in legal.spellings])
    spelled = np.concatenate(legal.spellings)
    form = ent.legal_form[eidx]
    suffix = np.where(form >= 0, spelled[offsets[np.maximum(form, 0)] + ent.spelling[eidx]], "")
    parts: Parts = {
        "entity": eidx,
        "kind": ent.kind[eidx],
        "contact_text": contact_text,
        "source": source,
        "source_key": key,
        "record_id": s.add(s.add(source, ":"), key),
        "entity_id": s.add("E", s.zfill(eidx.astype(TEXT), 7)),
        "legal_form": form,
        "legal_suffix": suffix.astype(TEXT),
    }
    for col in ("country", "base_name", "salutation", "title", "first_name", "last_name"):
        parts[col] = getattr(ent, col)[eidx]
    for col in ("street", "house_number", "postcode", "city", "email", "second_email"):
        parts[col] = getattr(ent, col)[eidx]
    for col in ("phone_area", "phone_sub", "vat_id", "iban"):
        parts[col] = getattr(ent, col)[eidx]
    parts["phone_form"] = np.zeros(n, dtype=np.int64)
    parts["vat_form"] = np.zeros(n, dtype=np.int64)
    parts["iban_form"] = np.zeros(n, dtype=np.int64)
    parts["country_form"] = np.zeros(n, dtype=np.int64)  # 0: ISO code, k: k-th spelling
    parts["contact_swapped"] = np.zeros(n, dtype=bool)
    return parts


def _grouped(sub: np.ndarray, swiss: np.ndarray) -> np.ndarray:
    """Subscriber numbers in pairs from the right (DE/AT) or as 3-2-2 (CH)."""
    length = s.str_len(sub)
    head = s.slice(sub, 0, np.maximum(length - 4, 0))
    mid = s.slice(sub, np.maximum(length - 4, 0), np.maximum(length - 2, 0))
    end = s.slice(sub, np.maximum(length - 2, 0), None)
    pairs = join(join(head, mid), end)
    if swiss.any():
        pairs[swiss] = join(
            join(s.slice(sub[swiss], 0, 3), s.slice(sub[swiss], 3, 5)), s.slice(sub[swiss], 5, None)
        )
    return pairs


def phones(parts: Parts, t: Tables, rng: np.random.Generator) -> np.ndarray:
    """The phone column: each record's number in its written form ("" where none)."""
    area, sub, form = parts["phone_area"], parts["phone_sub"], parts["phone_form"]
    n = len(sub)
    cc = by_country({c: t.raw["countries"][c]["calling_code"] for c in COUNTRIES}, parts["country"])
    swiss = parts["country"] == "CH"
    grouped = _grouped(sub, swiss)
    direct = rng.integers(10, 100, n).astype(TEXT)
    out = const("", n)
    for k, template in enumerate(PHONE_FORMS):
        rows = np.flatnonzero(form == k)
        if not len(rows):
            continue
        values = {
            "C": cc[rows],
            "A": area[rows],
            "S": sub[rows],
            "P": grouped[rows],
            "X": direct[rows],
        }
        if k == 0:  # the Swiss national form groups the subscriber number ...
            values["S"] = np.where(swiss[rows], grouped[rows], sub[rows])
        if template == "0A P":  # ... so its variant is the ungrouped one
            values["P"] = np.where(swiss[rows], sub[rows], grouped[rows])
        piece = const("", len(rows))
        for ch in template:
            piece = s.add(piece, values.get(ch, np.asarray(ch, dtype=TEXT)))
        local = area[rows] == ""  # written without area code: only the subscriber number
        out[rows] = np.where(local, sub[rows], piece)
    out[sub == ""] = ""
    return out


def contact_person(parts: Parts) -> np.ndarray:
    """The contact as one string ("Dr. Hans Meier", swapped: "Meier, Hans")."""
    first, last = parts["first_name"], parts["last_name"]
    straight = join(parts["title"], first, last)
    swapped = join(last, join(parts["title"], first), sep=", ")
    return np.where(parts["contact_swapped"], swapped, straight).astype(TEXT)


def compose(parts: Parts, t: Tables, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The output columns of every record from its (disturbed) parts."""
    from benchmarks.suite.transcribed import ids

    n = len(parts["kind"])
    person = parts["kind"] == PERSON
    as_text = ~person & parts["contact_text"]
    columns = {c: parts[c] for c in ("source", "source_key", "record_id")}
    columns["party_type"] = np.where(person, "person", "company").astype(TEXT)
    columns["company_name"] = np.where(
        person, "", join(parts["base_name"], parts["legal_suffix"])
    ).astype(TEXT)
    for col in ("salutation", "title", "first_name", "last_name"):
        columns[col] = np.where(as_text, "", parts[col]).astype(TEXT)
    columns["contact_person"] = np.where(as_text, contact_person(parts), "").astype(TEXT)
    for col in ("street", "house_number", "postcode", "city"):
        columns[col] = parts[col]
    spellings = t.raw["country_spellings"]
    country = parts["country"].copy()
    for code in COUNTRIES:
        options = text(spellings[code])
        rows = np.flatnonzero((parts["country"] == code) & (parts["country_form"] > 0))
        country[rows] = options[(parts["country_form"][rows] - 1) % len(options)]
    columns["country"] = country
    columns["email"] = parts["email"]
    columns["phone"] = phones(parts, t, rng)
    columns["vat_id"] = ids.format_vat(parts["vat_id"], parts["country"], parts["vat_form"])
    columns["iban"] = ids.format_iban(parts["iban"], parts["iban_form"])
    columns["entity_id"] = parts["entity_id"]
    assert all(len(v) == n for v in columns.values())
    return columns
