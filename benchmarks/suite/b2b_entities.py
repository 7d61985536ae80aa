"""The true world behind gen_b2b_valid.py: companies, their look-alikes and their people.

One row per real company (``companies``) or contact person (``contacts``); the records that
source systems hold about them are drawn from these in ``b2b_records.py``. Look-alikes are
separate entities on purpose, because they are what a matcher must keep apart:

- branches: the same name (sometimes "… Niederlassung <Stadt>") and domain in another city,
  with their own phone and no VAT ID of their own on file;
- group siblings at the same address: "Schulz Bau GmbH" next to "Schulz Bau GmbH & Co. KG" or
  "Schulz Bau Verwaltungs GmbH", often on the same switchboard, with their own VAT ID and IBAN;
- namesakes: common names ("Müller Metallbau") recur in other cities by chance;
- business parks: unrelated companies at one street address.

Events that make two records of ONE company look different: a name change (rebranding) and a
relocation (records made before the move keep the old address and phone).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from benchmarks.suite.identifiers import iban, vat_ids
from benchmarks.suite.phones import subscriber_numbers

DATA = Path(__file__).resolve().parent / "data"
COUNTRIES = np.array(["DE", "AT", "CH"])
COUNTRY_SHARE = np.array([0.80, 0.12, 0.08])
CALLING_CODE = {"DE": "49", "AT": "43", "CH": "41"}


@dataclass(frozen=True)
class Vocab:
    """Name pools, places and legal forms (data files in ``data/``)."""

    raw: dict[str, Any]
    places: pd.DataFrame
    register_names: list[str]

    @classmethod
    def load(cls) -> Vocab:
        raw = yaml.safe_load((DATA / "b2b_vocab.yaml").read_text(encoding="utf-8"))
        places_raw = yaml.safe_load((DATA / "b2b_places.yaml").read_text(encoding="utf-8"))
        places = pd.DataFrame(
            [(c, *row) for c, rows in places_raw.items() for row in rows],
            columns=["country", "city", "plz_lo", "plz_hi", "area", "weight"],
        )
        lines = (DATA / "register_names.txt").read_text(encoding="utf-8").splitlines()
        names = [s for s in lines if s and not s.startswith("#")]
        return cls(raw, places, names)

    def pool(self, key: str, sub: str | None = None) -> np.ndarray:
        values = self.raw[key] if sub is None else self.raw[key][sub]
        return np.array(values, dtype=object)


def _pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), size=n)]


def _weighted(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(table), dtype=object)
    w = np.array(list(table.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=w / w.sum())]


def _cat(*parts: Any) -> np.ndarray:
    """Element-wise string concatenation of arrays and constants."""
    acc: Any = None
    for part in parts:
        piece = part if isinstance(part, str) else np.asarray(part, dtype=object)
        acc = piece if acc is None else acc + piece
    return np.asarray(acc, dtype=object)


_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "ı": "i", "ş": "s"}
)


def slug(values: np.ndarray) -> np.ndarray:
    """Domain label of a name: lower-case ASCII, words joined by hyphens."""
    s = pd.Series(values, dtype=object).str.lower().map(lambda v: v.translate(_TRANSLIT))
    s = s.str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-").str.slice(0, 40)
    return s.str.strip("-").to_numpy(dtype=object)


def places_for(
    rng: np.random.Generator, vocab: Vocab, country: np.ndarray
) -> dict[str, np.ndarray]:
    """City, postcode, street, house number and area code for companies in ``country``."""
    n = len(country)
    city_idx = np.zeros(n, dtype=np.int64)
    for c in COUNTRIES:
        mask = country == c
        rows = vocab.places.index[vocab.places["country"] == c].to_numpy()
        w = vocab.places.loc[rows, "weight"].to_numpy(float)
        city_idx[mask] = rows[rng.choice(len(rows), size=int(mask.sum()), p=w / w.sum())]
    p = vocab.places.loc[city_idx]
    lo, hi = p["plz_lo"].to_numpy(np.int64), p["plz_hi"].to_numpy(np.int64)
    plz = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    width = np.where(country == "DE", 5, 4)
    postcode = pd.Series(plz.astype(str), dtype=object).str.zfill(5).to_numpy(dtype=object)
    postcode[width == 4] = plz[width == 4].astype(str)
    street = _pick(rng, vocab.pool("streets"), n)
    ch = country == "CH"
    street[ch] = pd.Series(street[ch], dtype=object).str.replace("ß", "ss").to_numpy()
    house = (rng.geometric(0.03, size=n).clip(1, 240)).astype(str).astype(object)
    letter = rng.random(n) < 0.08
    house[letter] = _cat(house[letter], _pick(rng, np.array(["a", "b", "c"]), int(letter.sum())))
    return {
        "city": p["city"].to_numpy(dtype=object),
        "postcode": postcode,
        "street": street,
        "house_number": house,
        "area": p["area"].to_numpy(dtype=object),
    }


def _names(rng: np.random.Generator, vocab: Vocab, form: np.ndarray) -> np.ndarray:
    """Name cores (without legal form) from several naming patterns."""
    n = len(form)
    sur, ind = vocab.pool("surnames"), vocab.pool("industries")
    first = np.concatenate([vocab.pool("first_names", "m"), vocab.pool("first_names", "f")])
    stems, tails = vocab.pool("stems"), vocab.pool("stem_tails")
    fantasy = _cat(_pick(rng, stems, n), _pick(rng, tails, n))
    acro = np.array(
        ["".join(x) for x in rng.choice(list("ABCDEFGHIKLMNPRSTW"), size=(n, 3))], dtype=object
    )
    patterns = [
        _cat(_pick(rng, sur, n), " ", _pick(rng, ind, n)),
        _cat(_pick(rng, ind, n), " ", _pick(rng, sur, n)),
        _cat(_pick(rng, sur, n), " & ", _pick(rng, sur, n)),
        _cat(fantasy, " ", _pick(rng, ind, n)),
        fantasy,
        _cat(acro, " ", _pick(rng, ind, n)),
        _cat("Gebrüder ", _pick(rng, sur, n)),
        _cat(_pick(rng, sur, n), " & Söhne"),
        _pick(rng, np.array(vocab.register_names, dtype=object), n),
        _cat(_pick(rng, ind, n), " ", _pick(rng, sur, n), " & Partner"),
    ]
    weights = np.array([22, 12, 6, 18, 10, 8, 3, 3, 10, 8], dtype=float)
    choice = rng.choice(len(patterns), size=n, p=weights / weights.sum())
    core = np.empty(n, dtype=object)
    for k, values in enumerate(patterns):
        core[choice == k] = values[choice == k]
    owner = np.isin(form, vocab.raw["person_forms"]) & (rng.random(n) < 0.7)
    k = int(owner.sum())
    core[owner] = _cat(_pick(rng, first, k), " ", _pick(rng, sur, k), " ", _pick(rng, ind, k))
    return core


def companies(rng: np.random.Generator, vocab: Vocab, n: int) -> pd.DataFrame:
    """``n`` independent companies with their true attributes."""
    country = COUNTRIES[rng.choice(3, size=n, p=COUNTRY_SHARE)]
    form = np.empty(n, dtype=object)
    for c in COUNTRIES:
        mask = country == c
        table = {k: v["share"] for k, v in vocab.raw["legal_forms"][c].items()}
        form[mask] = _weighted(rng, table, int(mask.sum()))
    frame = pd.DataFrame({"country": country, "form": form})
    frame["core"] = _names(rng, vocab, form)
    for key, values in places_for(rng, vocab, country).items():
        frame[key] = values
    frame["cc"] = pd.Series(country).map(CALLING_CODE).to_numpy(dtype=object)
    frame["sub"] = subscriber_numbers(rng, frame["area"].to_numpy(str), 10)
    frame["switchboard"] = np.where(rng.random(n) < 0.6, "0", "")
    person_form = np.isin(form, vocab.raw["person_forms"])
    tld = np.empty(n, dtype=object)
    for c in COUNTRIES:
        mask = country == c
        tld[mask] = _weighted(rng, vocab.raw["tlds"][c], int(mask.sum()))
    frame["domain"] = _cat(slug(frame["core"].to_numpy()), ".", tld)
    frame.loc[rng.random(n) < np.where(person_form, 0.45, 0.1), "domain"] = None
    frame["vat"] = vat_ids(rng, country)
    frame.loc[rng.random(n) < np.where(person_form, 0.45, 0.15), "vat"] = None
    frame["iban"] = iban(rng, country)
    registered = frame["form"].isin(list(vocab.raw["register"])) & (country == "DE")
    kind = frame["form"].map(vocab.raw["register"]).fillna("HRB")
    number = rng.integers(1000, 740000, size=n).astype(str)
    frame["register_number"] = np.where(registered, kind + " " + number, None)
    courts = np.array(vocab.raw["register_courts"]["DE"], dtype=object)
    frame["register_court"] = np.where(registered, _pick(rng, courts, n), None)
    frame["industry"] = _pick(rng, vocab.pool("industries"), n)
    size = rng.choice(3, size=n, p=[0.70, 0.25, 0.05])
    size[np.isin(form, vocab.raw["person_forms"])] = 0  # sole traders and partnerships are small
    frame["employees"] = np.select(
        [size == 0, size == 1],
        [rng.integers(1, 20, n), rng.integers(20, 250, n)],
        rng.integers(250, 20000, n),
    )
    contacts = np.select(
        [size == 0, size == 1],
        [rng.poisson(0.6, n), 1 + rng.poisson(1.5, n)],
        3 + rng.geometric(0.12, n),
    )
    frame["n_contacts"] = np.minimum(contacts, 50)
    frame["created"] = pd.Timestamp("2010-01-01") + pd.to_timedelta(
        rng.integers(0, 16 * 365, n), unit="D"
    )
    frame["group"] = np.arange(n)
    frame["kind"] = "company"
    return frame


def look_alikes(rng: np.random.Generator, vocab: Vocab, base: pd.DataFrame) -> pd.DataFrame:
    """Branches and group siblings of some companies: other entities that look the same."""
    n = len(base)
    registered_forms = list(vocab.raw["sibling_forms"])
    # branches: 5 % of companies that are not sole traders, 1–3 each
    can_branch = ~base["form"].isin(vocab.raw["person_forms"]).to_numpy()
    parents = np.flatnonzero(can_branch & (rng.random(n) < 0.05))
    parents = np.repeat(parents, rng.integers(1, 4, size=len(parents)))
    br = base.iloc[parents].copy()
    moved = places_for(rng, vocab, br["country"].to_numpy())
    for key, values in moved.items():
        br[key] = values
    br["sub"] = subscriber_numbers(rng, br["area"].to_numpy(str), 10)
    suffix = rng.random(len(br)) < 0.3
    br.loc[suffix, "core"] = _cat(
        br.loc[suffix, "core"].to_numpy(), " Niederlassung ", br.loc[suffix, "city"].to_numpy()
    )
    br["vat"] = None
    br["iban"] = iban(rng, br["country"].to_numpy())
    br["register_number"] = None
    br["register_court"] = None
    br["n_contacts"] = rng.poisson(1.5, len(br))
    br["kind"] = "branch"
    # siblings: 3 % of companies with a form that has a typical group partner, same address
    parents = np.flatnonzero(
        base["form"].isin(registered_forms).to_numpy() & (rng.random(n) < 0.03)
    )
    sib = base.iloc[parents].copy()
    sib["form"] = sib["form"].map(vocab.raw["sibling_forms"])
    worded = rng.random(len(sib)) < 0.5
    sib.loc[worded, "core"] = _cat(
        sib.loc[worded, "core"].to_numpy(),
        " ",
        _pick(rng, vocab.pool("sibling_words"), int(worded.sum())),
    )
    own_phone = rng.random(len(sib)) < 0.5
    sib.loc[own_phone, "sub"] = subscriber_numbers(
        rng, sib.loc[own_phone, "area"].to_numpy(str), 10
    )
    sib["vat"] = vat_ids(rng, sib["country"].to_numpy())
    sib["iban"] = iban(rng, sib["country"].to_numpy())
    sib.loc[sib["register_number"].notna(), "register_number"] = "HRB " + rng.integers(
        1000, 740000, size=int(sib["register_number"].notna().sum())
    ).astype(str)
    sib.loc[rng.random(len(sib)) < 0.4, "domain"] = None
    sib["n_contacts"] = rng.poisson(1.0, len(sib))
    sib["kind"] = "sibling"
    return pd.concat([br, sib], ignore_index=True)


def business_parks(rng: np.random.Generator, frame: pd.DataFrame) -> None:
    """Put 8 % of companies at the street address of another company in the same city."""
    movers = np.flatnonzero(rng.random(len(frame)) < 0.08)
    by_city = frame.groupby("city", sort=False).indices
    hosts = (
        np.array(
            [
                by_city[c][rng.integers(0, len(by_city[c]))]
                for c in frame["city"].to_numpy()[movers]
            ],
            dtype=np.int64,
        )
        if len(movers)
        else np.zeros(0, dtype=np.int64)
    )
    for col in ("street", "house_number", "postcode"):
        frame.iloc[movers, frame.columns.get_loc(col)] = frame[col].to_numpy()[hosts]


def events(rng: np.random.Generator, vocab: Vocab, frame: pd.DataFrame) -> None:
    """Name changes (3 %) and relocations (8 %): the state before the event, for old records."""
    n = len(frame)
    renamed = rng.random(n) < 0.03
    frame["old_core"] = None
    frame.loc[renamed, "old_core"] = _names(rng, vocab, frame.loc[renamed, "form"].to_numpy())
    moved = rng.random(n) < 0.08
    frame["moved"] = moved
    old = places_for(rng, vocab, frame.loc[moved, "country"].to_numpy())
    same_city = rng.random(int(moved.sum())) < 0.5
    for key, values in old.items():
        current = frame.loc[moved, key].to_numpy()
        keep = key in ("city", "area") and same_city
        frame.loc[moved, f"old_{key}"] = np.where(keep, current, values)
    frame.loc[moved, "old_postcode"] = np.where(
        same_city, frame.loc[moved, "postcode"].to_numpy(), frame.loc[moved, "old_postcode"]
    )
    frame.loc[moved, "old_sub"] = subscriber_numbers(
        rng, frame.loc[moved, "old_area"].to_numpy(str), 10
    )


def contacts(rng: np.random.Generator, vocab: Vocab, comp: pd.DataFrame) -> pd.DataFrame:
    """The contact persons of every company (``n_contacts`` each)."""
    owner_of = np.repeat(np.arange(len(comp)), comp["n_contacts"].to_numpy())
    n = len(owner_of)
    female = rng.random(n) < 0.42
    first = np.where(
        female,
        _pick(rng, vocab.pool("first_names", "f"), n),
        _pick(rng, vocab.pool("first_names", "m"), n),
    )
    last = _pick(rng, vocab.pool("surnames"), n)
    c = comp.iloc[owner_of]
    scheme = (c["group"].to_numpy() * 7 + 3) % 5  # one address scheme per company
    f_slug, l_slug = slug(first), slug(last)
    local = np.select(
        [scheme == 0, scheme == 1, scheme == 2, scheme == 3],
        [
            _cat(f_slug, ".", l_slug),
            _cat(pd.Series(f_slug).str[0].to_numpy(), ".", l_slug),
            _cat(f_slug, l_slug),
            l_slug,
        ],
        _cat(pd.Series(f_slug).str[0].to_numpy(), l_slug),
    )
    domain = c["domain"].to_numpy(dtype=object)
    free = pd.isna(domain)
    free_dom = _pick(rng, vocab.pool("free_mail"), n)
    digits = rng.integers(1, 99, size=n).astype(str)
    email = np.where(
        free,
        _cat(f_slug, ".", l_slug, np.where(rng.random(n) < 0.5, digits, ""), "@", free_dom),
        _cat(local, "@", np.where(free, "", domain)),
    )
    ext = rng.integers(10, 999, size=n).astype(str)
    mobile_pfx = np.empty(n, dtype=object)
    for country in COUNTRIES:
        mask = c["country"].to_numpy() == country
        mobile_pfx[mask] = _pick(
            rng, np.array(vocab.raw["mobile_prefixes"][country], dtype=object), int(mask.sum())
        )
    return pd.DataFrame(
        {
            "company": owner_of,
            "group": c["group"].to_numpy(),
            "female": female,
            "title": _weighted(rng, vocab.raw["titles"], n),
            "first": first,
            "last": last,
            "position": _pick(rng, vocab.pool("positions"), n),
            "email": email,
            "private_email": _cat(f_slug, ".", l_slug, digits, "@", free_dom),
            "direct": np.where(rng.random(n) < 0.6, ext, ""),
            "mobile_pfx": mobile_pfx,
            "mobile": rng.integers(1_000_000, 99_999_999, size=n).astype(str),
            "has_mobile": rng.random(n) < 0.45,
        }
    )


def world(
    rng: np.random.Generator, vocab: Vocab, n_companies: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Companies (with branches and siblings) and contacts; ``entity`` ids are final."""
    base = companies(rng, vocab, n_companies)
    comp = pd.concat([base, look_alikes(rng, vocab, base)], ignore_index=True)
    business_parks(rng, comp)
    events(rng, vocab, comp)
    comp["entity"] = "C" + pd.Series(np.arange(len(comp))).astype(str).to_numpy()
    people = contacts(rng, vocab, comp)
    people["entity"] = "P" + pd.Series(np.arange(len(people))).astype(str).to_numpy()
    return comp, people
