"""Generate the dq demo workspace: customers of "Schmitt Großhandel GmbH", a fictional wholesaler
in Köln, as they appear in five exports (DATEV master data and bookings, HubSpot, Salesforce,
sales notes), with the overlaps and mistakes real exports have, and the data-protection officer's
log of privacy requests. A few customers carry planted behaviours for the value and retention
stages (see ``plant_roles`` and README.md).

Seeded and deterministic: running it twice writes byte-identical files. Python standard library
only. Run from the repository root:

    python examples/demo/generate.py [--register PATH/TO/companies.csv]

Company names, legal forms and addresses come from the OffeneRegister slice in
``shared/fixtures/offeneregister/companies.csv``. Licence: CC BY 4.0,
"Data from OpenCorporates / OffeneRegister" (https://offeneregister.de, https://opencorporates.com).
The companies are real register entries; everything else about them here (customer relationship,
phone numbers, e-mails, websites, IBANs, VAT IDs, bookings, notes) is invented. Private persons,
contact persons and sales staff are invented.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20260115
PLANTED_SEED = SEED + 2  # the planted behaviours draw from their own stream: the rest stays put
HERE = Path(__file__).resolve().parent
OUT = HERE / "data"
EXPORT_DAY = date(2026, 1, 15)  # the day the exports were taken
YEARS = (2022, 2023, 2024, 2025)  # 2022: the archived bookings of customers who left that year
LEDGER_YEARS = (2023, 2024, 2025)
END = date(2025, 12, 31)
DORMANT = date(2022, 12, 31)  # last_active of customers without bookings in 2023-2025

ATTRIBUTION = (
    'Company names, legal forms and addresses: CC BY 4.0, "Data from OpenCorporates / '
    'OffeneRegister" (https://offeneregister.de, https://opencorporates.com).'
)

# Shell companies make implausible wholesale customers; well-known groups and names that carry
# a private owner's name ("Inhaberin ...") are left out too.
_SKIP_NAMES = re.compile(
    r"Verwaltung|Beteiligung|Holding|Fonds|e\.V\.|Verein|Stiftung|Bank|Sparkasse|Schiff|"
    r"Treuhand|Projekt|\bPG\b|MS |Asset|Invest|Capital|Real Estate|Immobilien|Windpark|Inhaber|"
    r"Limited|Boehringer|Oetker|DZ HYP|Eurofins|NXP|YASKAWA|ElectronicPartner|Veolia|Rheinbahn|"
    r"Sasol|Bioscientia|Dressman|Pieroth|Antal|Precitec|Muehlhan|iProspect|Molten|Tchibo|Siemens|Dentsu|Methode",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<postcode>\d{5})\s+(?P<city>.+?)\.?$")

AREA_CODES = {
    "Köln": "0221", "Hamburg": "040", "Mainz": "06131", "Gau-Algesheim": "06725",
    "Ingelheim am Rhein": "06132", "Ingelheim": "06132", "Düsseldorf": "0211",
    "Wiesbaden": "0611", "Bielefeld": "0521", "Bremen": "0421", "Bad Kreuznach": "0671",
    "Berlin": "030", "Eschborn": "06196", "Darmstadt": "06151", "Koblenz": "0261",
    "Hilden": "02103", "Dresden": "0351", "Leipzig": "0341", "Chemnitz": "0371",
    "Jena": "03641", "Bonn": "0228", "Leverkusen": "0214", "Frechen": "02234",
    "Bergisch Gladbach": "02202", "Erfurt": "0361", "Gera": "0365", "Stuttgart": "0711",
}  # fmt: skip

# Private customers: (street, postcode, city). Leading-zero postcodes on purpose.
PERSON_ADDRESSES = [
    ("Prager Straße 14", "01069", "Dresden"), ("Königsbrücker Straße 58", "01099", "Dresden"),
    ("Schloßstraße 5", "01067", "Dresden"), ("Bautzner Straße 21", "01099", "Dresden"),
    ("Karl-Liebknecht-Straße 8", "04107", "Leipzig"), ("Grimmaische Straße 2", "04109", "Leipzig"),
    ("Eisenbahnstraße 112", "04315", "Leipzig"), ("Brühl 33", "04109", "Leipzig"),
    ("Straße der Nationen 12", "09111", "Chemnitz"), ("Reichenhainer Straße 41", "09126", "Chemnitz"),
    ("Wagnergasse 9", "07743", "Jena"), ("Sorge 17", "07545", "Gera"),
    ("Anger 4", "99084", "Erfurt"), ("Aachener Straße 220", "50931", "Köln"),
    ("Venloer Straße 301", "50823", "Köln"), ("Deutzer Freiheit 73", "50679", "Köln"),
    ("Bonner Straße 188", "50968", "Köln"), ("Frankfurter Straße 540", "51145", "Köln"),
    ("Neusser Straße 412", "50733", "Köln"), ("Dürener Straße 87", "50931", "Köln"),
    ("Berliner Straße 95", "51063", "Köln"), ("Am Römerturm 3", "50667", "Köln"),
    ("Kölner Straße 12", "50226", "Frechen"), ("Hauptstraße 61", "51465", "Bergisch Gladbach"),
    ("Poppelsdorfer Allee 30", "53115", "Bonn"), ("Wiesdorfer Platz 6", "51373", "Leverkusen"),
    ("Kaiserstraße 19", "53113", "Bonn"), ("Am Mühlenbach 7", "50996", "Köln"),
    ("Bergstraße 3a", "51503", "Rösrath"), ("Lindenallee 44", "50968", "Köln"),
]  # fmt: skip

FIRST_F = ["Bärbel", "Käthe", "Jürgen", "Dörte", "Ursula", "Anja", "Jülide", "Sünje", "Gesine",
           "Ines", "Hannelore", "Märta", "Renate", "Lea", "Birgit", "Sophie", "Claudia", "Özlem"]  # fmt: skip
FIRST_F = [n for n in FIRST_F if n != "Jürgen"]
FIRST_M = ["Jürgen", "Björn", "Sören", "Jörg", "Günter", "Uwe", "Rüdiger", "Götz", "Hans-Peter",
           "Klaus", "Matthias", "Lutz", "Frank", "Malte", "Ömer", "Reinhard", "Thomas", "Jens"]  # fmt: skip
LAST = ["Müller", "Schäfer", "Köhler", "Krüger", "Böhm", "Weiß", "Groß", "Jäger", "Schröder",
        "Wöhler", "Lübke", "Brückner", "Hößl", "Görtz", "Bäcker", "Öztürk", "Dreßler", "Fuß",
        "Schütz", "Möller", "Hübner", "Kühn", "Seifert", "Förster", "Wendt", "Pöhlmann",
        "Günther", "Haßelbach", "Vogt", "Nüßlein", "Rößler", "Lang", "Zöllner", "Fröhlich",
        "Bräuer", "Sommer", "Kästner", "Tümmler", "Engelhardt", "Straßburger"]  # fmt: skip
TITLES = ["Dr.", "Dr.", "Prof. Dr.", "Dipl.-Ing.", "Dr.-Ing."]
INDUSTRIES = [
    ("Gastronomie", "RESTAURANTS"), ("Einzelhandel", "RETAIL"), ("Handwerk", "CONSTRUCTION"),
    ("Hotellerie", "HOSPITALITY"), ("Catering", "FOOD_BEVERAGES"), ("Großhandel", "WHOLESALE"),
    ("Industrie", "MACHINERY"), ("Dienstleistung", "MANAGEMENT_CONSULTING"),
]  # fmt: skip
SALES_STAFF = ["M. Schmitt", "S. Yılmaz", "K. Becker", "J. Wagner"]
BLZ = ["37050198", "37040044", "37060590", "10010010", "50010517", "20050550", "30050110",
       "55050120", "85050300", "86055592", "12030000", "37069520"]  # fmt: skip


@dataclass
class Customer:
    """One customer of the wholesaler, as the truth behind all exports."""

    account: int
    kind: str  # "company" or "person"
    name: str = ""  # company name with legal form
    salutation: str = ""
    title: str = ""
    first: str = ""
    last: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    domain: str = ""
    iban: str = ""
    vat: str = ""  # 9 digits without DE
    industry: tuple[str, str] = ("", "")
    employees: int | None = None
    created: date = date(2020, 1, 1)
    first_year: int = 2023
    last_active: date = END
    late_payer: bool = False
    volume: float = 1000.0
    invoices_per_year: int = 4
    invoices: list[tuple[str, date, float]] = field(default_factory=list)
    role: str = ""  # a planted behaviour (see plant_roles)
    second_account: int = 0  # the account it was created a second time on


# -- check digits -------------------------------------------------------------------------------


def iban_de(blz: str, account: str) -> str:
    """A German IBAN with correct ISO 13616 check digits."""
    bban = blz + account.zfill(10)
    check = 98 - int(bban + "131400") % 97  # "DE00" as digits: D=13, E=14
    return f"DE{check:02d}{bban}"


def vat_check_digit(eight: str) -> str:
    """The check digit of a German USt-IdNr. (ISO 7064 MOD 11,10)."""
    product = 10
    for ch in eight:
        total = (int(ch) + product) % 10 or 10
        product = (2 * total) % 11
    check = 11 - product
    return "0" if check == 10 else str(check % 10)


def vat_number(rng: random.Random) -> str:
    eight = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return eight + vat_check_digit(eight)


# -- small helpers ------------------------------------------------------------------------------

_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def transliterate(text: str) -> str:
    return text.translate(_TRANSLIT)


def slug(text: str) -> str:
    text = transliterate(text.lower())
    text = re.sub(
        r"\b(gmbh|mbh|ug|haftungsbeschraenkt|e\.\s?k\.|kg|ohg|ag|se|co)(?=\W|$)", " ", text
    )
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    out = words[:1]
    for word in words[1:]:
        if len("-".join([*out, word])) > 24:
            break
        out.append(word)
    return "-".join(out) or "firma"


def phone_number(rng: random.Random, city: str, style: int | None = None) -> str:
    area = AREA_CODES.get(city, "0" + str(rng.randint(2, 9)) + str(rng.randint(100, 999)))
    local = str(rng.randint(20000, 9999999))
    style = rng.randrange(5) if style is None else style
    if style == 0:
        return f"{area}/{local}"
    if style == 1:
        return f"+49 (0){area[1:]} {local}"
    if style == 2:
        return f"0049 {area[1:]} {local}"
    if style == 3:
        return f"{area} {local[:-2]}-{local[-2:]}"
    return f"+49 {area[1:]} {local}"


def mobile_number(rng: random.Random) -> str:
    prefix = rng.choice(["0151", "0160", "0171", "0176", "0152"])
    number = str(rng.randint(1000000, 99999999))
    return rng.choice([f"{prefix} {number}", f"+49 {prefix[1:]} {number}", f"{prefix}-{number}"])


def typo(rng: random.Random, text: str) -> str:
    """Swap two neighbouring letters or drop one (never the first)."""
    positions = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not positions:
        return text
    i = rng.choice(positions)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def legal_form_variant(rng: random.Random, name: str) -> str:
    if re.search(r"GmbH & Co\. KG$", name):
        return name.replace("GmbH & Co. KG", rng.choice(["GmbH & Co KG", "GmbH u. Co. KG"]))
    if name.endswith(" GmbH"):
        return name[:-5] + rng.choice(
            [" G.m.b.H.", " Gesellschaft mit beschränkter Haftung", " Gmbh"]
        )
    if name.endswith("Gesellschaft mit beschränkter Haftung"):
        return name.replace("Gesellschaft mit beschränkter Haftung", "GmbH")
    if name.endswith("UG (haftungsbeschränkt)"):
        return name.replace("UG (haftungsbeschränkt)", "UG")
    if name.endswith(" e.K."):
        return name[:-5] + " e. K."
    return name


def abbreviate_street(street: str) -> str:
    return re.sub(
        r"(?i)stra(ß|ss)e\b", lambda m: "Str." if m.group(0)[0] == "S" else "str.", street
    )


HOLIDAYS = {(1, 1), (5, 1), (10, 3), (12, 24), (12, 25), (12, 26), (12, 31)}


def workday(d: date) -> date:
    """The next working day (no weekends, no fixed holidays): bookkeeping happens on those."""
    while d.weekday() >= 5 or (d.month, d.day) in HOLIDAYS:
        d += timedelta(days=1)
    return d


def ddmm(d: date) -> str:
    return d.strftime("%d%m")


def money(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


# -- the customers ------------------------------------------------------------------------------


def load_register(path: Path) -> list[dict[str, str]]:
    """Register rows with a parseable address and a plausible operating-business name."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    out = []
    for row in rows:
        name = row["name"].strip()
        if len(name) > 2 and name[0] == name[-1] == '"':
            name = name[1:-1].strip()
        match = _ADDRESS.match((row["registered_address"] or "").strip())
        if not match or name in seen or _SKIP_NAMES.search(name) or len(name) > 55:
            continue
        seen.add(name)
        out.append({"name": name, **match.groupdict()})
    return out


def make_customers(
    rng: random.Random, register: list[dict[str, str]]
) -> tuple[list[Customer], list[dict[str, str]]]:
    """~110 companies and 40 persons; returns the customers and the unused register rows."""
    picked = rng.sample(register, 113)
    companies, creditors = picked[:110], picked[110:]
    customers: list[Customer] = []
    for row in companies:
        name = row["name"]
        dom = slug(name) + ".de"
        c = Customer(account=0, kind="company", name=name, street=row["street"],
                     postcode=row["postcode"], city=row["city"].strip(), domain=dom)  # fmt: skip
        c.phone = phone_number(rng, c.city)
        c.email = rng.choice(["info", "info", "kontakt", "buchhaltung", "einkauf"]) + "@" + dom
        c.website = rng.choice(["www.", "www.", "https://www.", ""]) + dom
        c.industry = rng.choice(INDUSTRIES)
        c.employees = rng.choice([3, 5, 8, 12, 20, 35, 50, 80, 120, 250])
        c.vat = vat_number(rng) if rng.random() < 0.75 else ""
        c.volume = round(rng.lognormvariate(7.0, 0.7), 2)
        c.invoices_per_year = rng.randint(2, 6)
        customers.append(c)
    women = rng.sample(FIRST_F, 17)
    men = rng.sample(FIRST_M, 17)
    firsts = (
        [("Frau", n) for n in women]
        + [("Herr", n) for n in men]
        + [("Frau", rng.choice(FIRST_F)) for _ in range(3)]
        + [("Herr", rng.choice(FIRST_M)) for _ in range(3)]
    )
    lasts = rng.sample(LAST, 40)
    for i, ((salutation, first), last) in enumerate(zip(firsts, lasts, strict=True)):
        street, postcode, city = PERSON_ADDRESSES[i % len(PERSON_ADDRESSES)]
        if i >= len(PERSON_ADDRESSES):
            street = re.sub(r"\d+\w?$", str(rng.randint(1, 120)), street)
        c = Customer(account=0, kind="person", salutation=salutation, first=first, last=last,
                     street=street, postcode=postcode, city=city)  # fmt: skip
        c.title = rng.choice(TITLES) if rng.random() < 0.3 else ""
        c.phone = phone_number(rng, city) if rng.random() < 0.8 else ""
        local = transliterate(f"{first}.{last}".lower()).replace(" ", "")
        c.email = (
            local + "@" + rng.choice(["web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de"])
        )
        c.volume = round(rng.lognormvariate(5.3, 0.6), 2)
        c.invoices_per_year = rng.randint(1, 3)
        customers.append(c)
    rng.shuffle(customers)
    account = 10000
    for c in customers:
        account += rng.randint(3, 60)
        c.account = account
        c.iban = (
            iban_de(rng.choice(BLZ), str(rng.randint(10**7, 10**10 - 1)))
            if rng.random() < 0.7
            else ""
        )
        c.created = date(rng.randint(2012, 2022), rng.randint(1, 12), rng.randint(1, 28))
        c.late_payer = rng.random() < 0.1
    # Activity: some only since 2024/2025 (new), some stopped buying (stale), some never bought.
    order = customers[:]
    rng.shuffle(order)
    for c in order[:12]:
        c.last_active = date(2023, rng.randint(4, 12), rng.randint(1, 28))  # stale since 2023
    for c in order[12:20]:
        c.last_active = date(2024, rng.randint(1, 6), rng.randint(1, 28))
    for c in order[20:32]:
        c.first_year = rng.choice([2024, 2025])
        c.created = date(c.first_year, rng.randint(1, 3), rng.randint(1, 28))
    for c in order[32:40]:
        c.last_active = DORMANT  # master data only: no bookings in the three years
    return customers, creditors


# -- planted behaviours -------------------------------------------------------------------------

# Roles for the customers without bookings in 2023-2025 (by account, companies and persons apart):
# what each one shows in `dq demo`. Their bookings, notes and requests come from PLANTED_SEED.
DORMANT_ROLES = {
    "company": ["restricted", "regular", "prepayment"],
    "person": ["restricted", "restricted", "prospect_erasure"],
}
# Private customers active to the end (by account) and the privacy request each one files.
REQUEST_ROLES = ["access", "erasure", "consent_withdrawn", "objection", "hold", "name_only"]


def plant_roles(customers: list[Customer]) -> dict[str, list[Customer]]:
    """Give the planted behaviours to customers chosen by rule; returns them by role."""
    by_role: dict[str, list[Customer]] = {}
    dormant = sorted((c for c in customers if c.last_active == DORMANT), key=lambda c: c.account)
    for kind, roles in DORMANT_ROLES.items():
        for c, role in zip([c for c in dormant if c.kind == kind], roles, strict=False):
            c.role = role
            by_role.setdefault(role, []).append(c)
    active = sorted(
        (
            c
            for c in customers
            if c.last_active == END and c.first_year == 2023 and not c.late_payer and not c.role
        ),
        key=lambda c: c.account,
    )
    complainer = next(c for c in active if c.kind == "company" and not c.second_account)
    complainer.role = "complaints"
    by_role["complaints"] = [complainer]
    people = [c for c in active if c.kind == "person" and c.email][: len(REQUEST_ROLES)]
    for c, role in zip(people, REQUEST_ROLES, strict=True):
        by_role["request_" + role] = [c]  # requests only: bookings and notes stay as they are
    by_role["twin"] = [c for c in customers if c.second_account]
    return by_role


def planted_invoice_days(rng: random.Random, c: Customer) -> list[date]:
    """Invoice days of a planted customer: a rhythm that shows its behaviour."""
    if c.role == "restricted":  # bought in 2022 only: purpose ended, books still kept
        return sorted(workday(date(2022, rng.randint(1, 10), rng.randint(1, 28))) for _ in range(5))
    if c.role == "regular":  # monthly from 2023 until September 2025: the reorder is overdue
        return [workday(date(y, m, 3)) for y in LEDGER_YEARS for m in range(1, 13)][:33]
    if c.role == "prepayment":  # every six weeks from 2024, paying two to four months late
        return [workday(date(2024, 1, 8) + timedelta(days=42 * i)) for i in range(15)]
    return []


# -- DATEV --------------------------------------------------------------------------------------


def _fixture_layout(path: Path) -> tuple[list[str], list[bool]]:
    """Column names (line 2) and, per column, whether the sample row (line 3) quotes it."""
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    names = lines[1].split(";")
    quoted = [f.startswith('"') for f in lines[2].split(";")]
    return names, quoted


def _datev_line(values: dict[str, object], names: list[str], quoted: list[bool]) -> str:
    out = []
    for name, q in zip(names, quoted, strict=True):
        value = values.get(name, "")
        text = "" if value is None else str(value)
        out.append('"' + text.replace('"', '""') + '"' if q else text)
    return ";".join(out)


def _write_datev(
    path: Path, header: str, names: list[str], quoted: list[bool], rows: list[dict[str, object]]
) -> None:
    lines = [header, ";".join(names), *(_datev_line(r, names, quoted) for r in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def _header(
    category: int,
    fmt_name: str,
    version: int,
    created: datetime,
    fy: int,
    period: tuple[str, str],
    label: str,
) -> str:
    stamp = created.strftime("%Y%m%d%H%M%S") + "000"
    return (
        f'"EXTF";700;{category};"{fmt_name}";{version};{stamp};;"RE";"Schmitt";"";29098;55003;'
        f'{fy}0101;4;{period[0]};{period[1]};"{label}";"";1;;0;"EUR";"";"";"";"";"";;;"";""'
        if category == 21
        else f'"EXTF";700;{category};"{fmt_name}";{version};{stamp};;"RE";"Schmitt";"";29098;55003;'
        f'{fy}0101;4;;;"{label}";"";;;;"";"";"";"";"";"";;;"";""'
    )


def datev_debitoren(
    rng: random.Random, customers: list[Customer], creditors: list[dict[str, str]], fixture: Path
) -> list[str]:
    """Write EXTF_Debitoren.csv; returns the planted problems."""
    names, quoted = _fixture_layout(fixture)
    rows: list[dict[str, object]] = []
    planted: list[str] = []
    for c in customers:
        r: dict[str, object] = {
            "Konto": c.account, "Adressatentyp": "2" if c.kind == "company" else "1",
            "Adressart": "STR", "Straße": c.street, "Postleitzahl": c.postcode, "Ort": c.city,
            "Land": "DE", "Telefon": c.phone, "E-Mail": c.email, "Internet": c.website,
            "IBAN 1": c.iban, "Sprache": 1,
        }  # fmt: skip
        if c.kind == "company":
            r["Name (Adressatentyp Unternehmen)"] = c.name
            r["Kurzbezeichnung"] = c.name[:15]
            r["Unternehmensgegenstand"] = c.industry[0]
            r["Briefanrede"] = "Sehr geehrte Damen und Herren"
            if c.vat:
                r["EU-Land"], r["EU-USt-IdNr."] = "DE", c.vat
        else:
            r["Name (Adressatentyp natürl. Person)"] = c.last
            r["Vorname (Adressatentyp natürl. Person)"] = c.first
            r["Kurzbezeichnung"] = c.last[:15]
            r["Anrede"], r["Titel/Akad. Grad"] = c.salutation, c.title
            dear = "Sehr geehrte Frau" if c.salutation == "Frau" else "Sehr geehrter Herr"
            r["Briefanrede"] = " ".join(p for p in (dear, c.title, c.last) if p)
        rows.append(r)
    # Planted: a customer created twice (typo, abbreviated street, no e-mail) on a new account.
    twin = next(
        c
        for c in customers
        if c.kind == "company" and c.last_active == END and c.first_year == 2023
    )
    dup = dict(next(r for r in rows if r["Konto"] == twin.account))
    dup["Konto"] = max(c.account for c in customers) + 17
    dup["Name (Adressatentyp Unternehmen)"] = typo(rng, twin.name)
    dup["Straße"] = abbreviate_street(twin.street) if "traße" in twin.street else twin.street + " "
    dup["E-Mail"] = ""
    rows.append(dup)
    twin.second_account = int(str(dup["Konto"]))
    planted.append(
        f"DATEV: account {dup['Konto']} is a second account for {twin.account} (typo in the name)"
    )
    # Planted: a wrong IBAN check (one digit off), a wrong VAT check digit, a broken e-mail.
    taken = {twin.account, dup["Konto"]}
    bad_iban = next(r for r in rows if r["IBAN 1"] and r["Konto"] not in taken)
    taken.add(bad_iban["Konto"])
    iban = str(bad_iban["IBAN 1"])
    bad_iban["IBAN 1"] = iban[:-1] + str((int(iban[-1]) + 1) % 10)
    planted.append(f"DATEV: account {bad_iban['Konto']} has an IBAN with a wrong check")
    bad_vat = next(r for r in rows if r.get("EU-USt-IdNr.") and r["Konto"] not in taken)
    taken.add(bad_vat["Konto"])
    vat = str(bad_vat["EU-USt-IdNr."])
    bad_vat["EU-USt-IdNr."] = vat[:-1] + str((int(vat[-1]) + 1) % 10)
    planted.append(f"DATEV: account {bad_vat['Konto']} has a VAT ID with a wrong check digit")
    bad_mail = next(
        r
        for r in rows
        if "@" in str(r["E-Mail"]) and r["Adressatentyp"] == "2" and r["Konto"] not in taken
    )
    bad_mail["E-Mail"] = str(bad_mail["E-Mail"]).replace(".de", ",de")
    planted.append(f"DATEV: account {bad_mail['Konto']} has a broken e-mail address")
    missing = [r for r in rows if r["Adressatentyp"] == "1" and r["Telefon"]][:3]
    for r in missing:
        r["Straße"] = ""
    planted.append(f"DATEV: {len(missing)} private customers have no street")
    # Creditors (suppliers) are part of the same export; dq skips them.
    for i, row in enumerate(creditors):
        rows.append({
            "Konto": 70001 + i * 3, "Name (Adressatentyp Unternehmen)": row["name"],
            "Adressatentyp": "2", "Kurzbezeichnung": row["name"][:15], "Adressart": "STR",
            "Straße": row["street"], "Postleitzahl": row["postcode"], "Ort": row["city"], "Land": "DE",
            "IBAN 1": iban_de(rng.choice(BLZ), str(rng.randint(10**7, 10**10 - 1))),
            "Briefanrede": "Sehr geehrte Damen und Herren", "Sprache": 1,
        })  # fmt: skip
    header = _header(
        16,
        "Debitoren/Kreditoren",
        5,
        datetime(2026, 1, 15, 9, 12, 4),
        2025,
        ("", ""),
        "Debitoren und Kreditoren",
    )
    _write_datev(OUT / "EXTF_Debitoren.csv", header, names, quoted, rows)
    return planted


BOOKING_ROLES = {"restricted", "regular", "prepayment"}


def _planted_invoice(
    rng: random.Random,
    c: Customer,
    number: str,
    d: date,
    add: Callable[[date, dict[str, object]], None],
) -> None:
    """The booking lines of one invoice of a planted customer, per its role."""
    amount = round(c.volume * rng.uniform(0.8, 1.2), 2)
    due = d + timedelta(days=14 if c.kind == "person" else 30)
    c.invoices.append((number, d, amount))
    n = len(c.invoices)
    invoice: dict[str, object] = {
        "Umsatz (ohne Soll/Haben-Kz)": money(amount), "Soll/Haben-Kennzeichen": "S",
        "Konto": c.account, "Gegenkonto (ohne BU-Schlüssel)": 8400, "Belegfeld 1": number,
        "Belegfeld 2": due.strftime("%d%m%y"), "Buchungstext": f"Rechnung {number}",
    }  # fmt: skip
    add(d, invoice)
    payment: dict[str, object] = {
        "Umsatz (ohne Soll/Haben-Kz)": money(amount), "Soll/Haben-Kennzeichen": "H",
        "Konto": c.account, "Gegenkonto (ohne BU-Schlüssel)": 1200, "Belegfeld 1": number,
        "Buchungstext": f"Zahlung {number}",
    }  # fmt: skip
    if c.role == "prepayment":
        if n == 3:  # issued by mistake and cancelled: the same line again, Generalumkehr set
            add(workday(d + timedelta(days=2)),
                {**invoice, "Generalumkehr": 1, "Buchungstext": f"Storno {number}"})  # fmt: skip
            return
        if d >= date(2025, 7, 1):
            return  # still open at as-of, more than 60 days past due
        paid = workday(d + timedelta(days=rng.randint(75, 110)))
    elif c.role == "regular":
        paid = workday(d + timedelta(days=rng.randint(6, 20)))
        if n == 18:  # paid within 8 days, 2 % Skonto taken: the invoice closes
            discount = round(amount * 0.02, 2)
            paid = workday(d + timedelta(days=7))
            payment["Umsatz (ohne Soll/Haben-Kz)"] = money(round(amount - discount, 2))
            payment["Skonto"] = money(discount)
            payment["Buchungstext"] = f"Zahlung {number} abzgl. 2 % Skonto"
        if n == 27:  # the bank transfer named no invoice: settles the oldest open one
            payment["Belegfeld 1"] = ""
            payment["Buchungstext"] = "Überweisung ohne Verwendungszweck"
    else:
        paid = workday(d + timedelta(days=rng.randint(5, 25)))
    add(paid, payment)


def bookings(
    rng: random.Random,
    planted_rng: random.Random,
    customers: list[Customer],
    roles: dict[str, list[Customer]],
    fixture: Path,
) -> dict[int, int]:
    """Write one Buchungsstapel per year; returns booking lines per year."""
    names, quoted = _fixture_layout(fixture)
    lines: dict[int, list[tuple[date, dict[str, object]]]] = {y: [] for y in YEARS}
    counter = {y: 0 for y in YEARS}
    credit_counter = {y: 0 for y in YEARS}

    def add(d: date, row: dict[str, object]) -> None:
        lines[d.year].append((d, {"Belegdatum": ddmm(d), **row}))

    buyers = [c for c in customers if c.last_active.year >= 2023]
    credit_note_for = set(c.account for c in rng.sample(buyers, 9))
    planned: list[tuple[date, int, Customer]] = []
    for c in sorted(buyers, key=lambda c: c.account):
        start = date(c.first_year, 1, 1)
        stop = min(c.last_active, END)
        for year in YEARS:
            lo, hi = max(start, date(year, 1, 1)), min(stop, date(year, 12, 31))
            if lo > hi:
                continue
            span = (hi - lo).days
            n = max(1, round(c.invoices_per_year * (span + 1) / 365 * rng.uniform(0.6, 1.4)))
            planned += [
                (workday(lo + timedelta(days=rng.randint(0, span))), c.account, c) for _ in range(n)
            ]
    for c in sorted(customers, key=lambda c: c.account):
        if c.role in BOOKING_ROLES:
            planned += [(d, c.account, c) for d in planted_invoice_days(planted_rng, c)]
    for d, _, c in sorted(planned, key=lambda t: t[:2]):  # invoice numbers in date order
        if d > END:
            continue
        counter[d.year] += 1
        number = f"RE{d.year}-{counter[d.year]:04d}"
        if c.role in BOOKING_ROLES:
            _planted_invoice(planted_rng, c, number, d, add)
            continue
        # The customer created twice: from 2025 on, its invoices went to the second account.
        konto = c.second_account if c.second_account and d.year == 2025 else c.account
        amount = round(c.volume * rng.uniform(0.3, 1.7), 2)
        terms = 14 if c.kind == "person" else 30
        due = d + timedelta(days=terms)
        c.invoices.append((number, d, amount))
        add(d, {"Umsatz (ohne Soll/Haben-Kz)": money(amount), "Soll/Haben-Kennzeichen": "S",
                "Konto": konto, "Gegenkonto (ohne BU-Schlüssel)": 8400,
                "Belegfeld 1": number, "Belegfeld 2": due.strftime("%d%m%y"),
                "Buchungstext": f"Rechnung {number}"})  # fmt: skip
        delay = rng.randint(45, 130) if c.late_payer else rng.randint(4, terms + 6)
        paid = workday(d + timedelta(days=delay))
        if paid > END or rng.random() < 0.02:
            continue  # still open at the end of 2025
        if c.account in credit_note_for and rng.random() < 0.4:
            credit_note_for.discard(c.account)
            part = round(amount * rng.choice([0.1, 0.2, 0.5]), 2)
            cd = min(workday(d + timedelta(days=rng.randint(3, 12))), paid)
            credit_counter[cd.year] += 1
            gs = f"GS{cd.year}-{credit_counter[cd.year]:03d}"
            add(cd, {"Umsatz (ohne Soll/Haben-Kz)": money(part), "Soll/Haben-Kennzeichen": "H",
                     "Konto": konto, "Gegenkonto (ohne BU-Schlüssel)": 8400,
                     "Belegfeld 1": gs, "Buchungstext": f"Gutschrift Retoure zu {number}"})  # fmt: skip
            amount = round(amount - part, 2)
        text = f"Zahlung {number}"
        if rng.random() < 0.5:
            row = {
                "Soll/Haben-Kennzeichen": "H",
                "Konto": konto,
                "Gegenkonto (ohne BU-Schlüssel)": 1200,
            }
        else:
            row = {
                "Soll/Haben-Kennzeichen": "S",
                "Konto": 1200,
                "Gegenkonto (ohne BU-Schlüssel)": konto,
            }
        add(
            paid,
            {
                "Umsatz (ohne Soll/Haben-Kz)": money(amount),
                **row,
                "Belegfeld 1": number,
                "Buchungstext": text,
            },
        )
    # The complaint-heavy customer sent goods back: a credit note on its last invoice of 2025.
    for c in roles["complaints"]:
        in_2025 = [i for i in c.invoices if date(2025, 1, 1) <= i[1] < date(2025, 12, 1)]
        number, d, amount = in_2025[-1]
        cd = workday(d + timedelta(days=6))
        credit_counter[cd.year] += 1
        gs = f"GS{cd.year}-{credit_counter[cd.year]:03d}"
        add(cd, {"Umsatz (ohne Soll/Haben-Kz)": money(round(amount * 0.3, 2)),
                 "Soll/Haben-Kennzeichen": "H", "Konto": c.account,
                 "Gegenkonto (ohne BU-Schlüssel)": 8400, "Belegfeld 1": gs,
                 "Buchungstext": f"Gutschrift Retoure zu {number}"})  # fmt: skip
    # General-ledger lines without a debtor (dq skips them with the reason).
    ledger = [
        (4930, "Büromaterial"),
        (4210, "Miete Lager Niehl"),
        (4920, "Telefon/Internet"),
        (4530, "Tankkarte Lieferwagen"),
    ]
    for year in LEDGER_YEARS:
        for month in (2, 5, 9, 11):
            account, text = ledger[(month + year) % len(ledger)]
            d = date(year, month, rng.randint(1, 28))
            add(d, {"Umsatz (ohne Soll/Haben-Kz)": money(round(rng.uniform(40, 1900), 2)),
                    "Soll/Haben-Kennzeichen": "S", "Konto": account,
                    "Gegenkonto (ohne BU-Schlüssel)": 1200, "Buchungstext": text})  # fmt: skip
    counts = {}
    for year in YEARS:
        rows = [r for _, r in sorted(lines[year], key=lambda t: t[0])]
        header = _header(21, "Buchungsstapel", 9, datetime(year + 1, 1, 14, 16, 40, 0), year,
                         (f"{year}0101", f"{year}1231"), f"Buchungen {year}")  # fmt: skip
        _write_datev(OUT / f"EXTF_Buchungsstapel_{year}.csv", header, names, quoted, rows)
        counts[year] = len(rows)
    return counts


# -- CRM exports --------------------------------------------------------------------------------


def _write_csv(
    path: Path, header: list[str], rows: list[list[object]], delimiter: str = ","
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def _stamp(rng: random.Random, lo: date, hi: date) -> datetime:
    day = lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))
    return datetime(
        day.year, day.month, day.day, rng.randint(7, 18), rng.randint(0, 59), rng.randint(0, 59)
    )


HUBSPOT_COLUMNS = [
    "Record ID", "Company name", "Company Domain Name", "Website URL", "Phone Number",
    "Street Address", "City", "Postal Code", "Country/Region", "Industry", "Number of Employees",
    "Lifecycle Stage", "Create Date", "Last Modified Date", "Last Activity Date",
]  # fmt: skip

MOVES = [("Hansaring 61", "50670", "Köln"), ("Gutenbergstraße 12", "04178", "Leipzig")]


def hubspot(
    rng: random.Random, customers: list[Customer], leads: list[dict[str, str]]
) -> dict[str, int]:
    """Write hubspot-companies.csv; returns counts of what was planted."""
    companies = [c for c in customers if c.kind == "company"]
    chosen = sorted(rng.sample(companies, round(len(companies) * 0.7)), key=lambda c: c.account)
    rows: list[list[object]] = []
    stats = {"customers": len(chosen), "leads": 0, "duplicates": 0, "moved": 0, "variants": 0}
    record_id = 5100000000
    for i, c in enumerate(chosen):
        record_id += rng.randint(1000, 900000)
        name, street, postcode, city = c.name, c.street, c.postcode, c.city
        changes = rng.sample(
            ["legal", "umlaut", "typo", "street", "upper", "none", "none", "none"],
            rng.randint(1, 2),
        )
        if "legal" in changes:
            name = legal_form_variant(rng, name)
        if "umlaut" in changes:
            name, street = transliterate(name), transliterate(street)
        if "typo" in changes:
            name = typo(rng, name)
        if "street" in changes:
            street = abbreviate_street(street)
        if "upper" in changes:
            name = name.upper()
        stats["variants"] += name != c.name or street != c.street
        if i < len(MOVES):  # moved: HubSpot has the newer address
            street, postcode, city = MOVES[i]
            stats["moved"] += 1
        created = _stamp(rng, date(2019, 1, 1), date(2023, 6, 30))
        modified = _stamp(rng, created.date(), date(2025, 12, 20))
        activity = _stamp(rng, created.date(), c.last_active) if rng.random() < 0.8 else None
        website = rng.choice(
            [
                f"https://www.{c.domain}",
                f"http://{c.domain}",
                f"www.{c.domain}/",
                f"https://{c.domain}",
            ]
        )
        row: list[object] = [
            record_id, name, c.domain, website, phone_number(rng, c.city, style=4), street, city,
            postcode, rng.choice(["Germany", "Germany", "Deutschland", ""]), c.industry[1],
            c.employees, "customer", created.strftime("%Y-%m-%d %H:%M:%S"),
            modified.strftime("%Y-%m-%d %H:%M:%S"), activity.strftime("%Y-%m-%d %H:%M:%S") if activity else "",
        ]  # fmt: skip
        for col in (3, 4, 7, 9, 10):  # missing fields
            if rng.random() < 0.12:
                row[col] = ""
        rows.append(row)
    for row in rng.sample(rows, 3):  # exact duplicates (imported twice)
        rows.append(list(row))
        stats["duplicates"] += 1
    for lead in leads:
        record_id += rng.randint(1000, 900000)
        dom = slug(lead["name"]) + ".de"
        created = _stamp(rng, date(2024, 1, 1), date(2025, 11, 30))
        rows.append([
            record_id, lead["name"], dom, f"https://www.{dom}", phone_number(rng, lead["city"], style=4),
            lead["street"], lead["city"], lead["postcode"], "Germany", rng.choice(INDUSTRIES)[1], "",
            "lead", created.strftime("%Y-%m-%d %H:%M:%S"), created.strftime("%Y-%m-%d %H:%M:%S"), "",
        ])  # fmt: skip
        stats["leads"] += 1
    rows.sort(key=lambda r: str(r[1]).casefold())
    _write_csv(OUT / "hubspot-companies.csv", HUBSPOT_COLUMNS, rows)
    stats["rows"] = len(rows)
    return stats


SALESFORCE_COLUMNS = [
    "Id", "Salutation", "FirstName", "LastName", "Title", "Email", "Phone", "MobilePhone",
    "Account Name", "MailingStreet", "MailingPostalCode", "MailingCity", "MailingCountry",
    "HasOptedOutOfEmail", "LastActivityDate", "CreatedDate",
]  # fmt: skip
POSITIONS = [("Geschäftsführer", "Geschäftsführerin"), ("Einkauf", "Einkauf"),
             ("Einkaufsleiter", "Einkaufsleiterin"), ("Inhaber", "Inhaberin"), ("Buchhaltung", "Buchhaltung"),
             ("Küchenchef", "Küchenchefin"), ("Filialleitung", "Filialleitung"), ("Assistenz der GF", "Assistenz der GF")]  # fmt: skip
_SF_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _sf_id(rng: random.Random) -> str:
    return "003" + "5g00000" + "".join(rng.choice(_SF_CHARS) for _ in range(8))


def salesforce(rng: random.Random, customers: list[Customer]) -> dict[str, int]:
    """Write salesforce-contacts.csv; returns counts of what was planted."""
    rows: list[list[object]] = []
    stats = {"company_contacts": 0, "companies": 0, "persons": 0, "opted_out": 0, "duplicates": 0}

    def contact(first: str, last: str, salutation: str, c: Customer, **kw: object) -> list[object]:
        created = _stamp(rng, date(2018, 1, 1), date(2024, 12, 31))
        activity = (
            _stamp(rng, created.date(), c.last_active).date() if rng.random() < 0.75 else None
        )
        opted_out = rng.random() < 0.12
        stats["opted_out"] += opted_out
        street = c.street
        if rng.random() < 0.15:
            street += "\n" + rng.choice(["Hinterhaus", "2. OG", "Anlieferung über Hof", "Tor 3"])
        row = {
            "Id": _sf_id(rng), "Salutation": salutation, "FirstName": first, "LastName": last,
            "Title": "", "Email": "", "Phone": "", "MobilePhone": mobile_number(rng) if rng.random() < 0.5 else "",
            "Account Name": c.name, "MailingStreet": street, "MailingPostalCode": c.postcode,
            "MailingCity": c.city, "MailingCountry": rng.choice(["Germany", "Deutschland", "DE"]),
            "HasOptedOutOfEmail": "1" if opted_out else "0",
            "LastActivityDate": activity.isoformat() if activity else "",
            "CreatedDate": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }  # fmt: skip
        row.update(kw)
        return [row[col] for col in SALESFORCE_COLUMNS]

    companies = sorted(
        rng.sample([c for c in customers if c.kind == "company"], 50), key=lambda c: c.account
    )
    for c in companies:
        stats["companies"] += 1
        for _ in range(rng.choice([1, 1, 2])):
            female = rng.random() < 0.45
            first = rng.choice(FIRST_F if female else FIRST_M)
            last = rng.choice(LAST)
            position = rng.choice(POSITIONS)[female]
            local = transliterate(
                f"{first[0]}.{last}" if rng.random() < 0.5 else f"{first}.{last}"
            ).lower()
            name = c.name if rng.random() < 0.7 else legal_form_variant(rng, c.name)
            rows.append(contact(first, last, "Frau" if female else "Herr", c, Title=position,
                                Email=f"{local}@{c.domain}", Phone=phone_number(rng, c.city, style=rng.choice([0, 4])) + "-" + str(rng.randint(10, 49)),
                                **{"Account Name": name}))  # fmt: skip
            stats["company_contacts"] += 1
    persons = sorted(
        rng.sample([c for c in customers if c.kind == "person"], 15), key=lambda c: c.account
    )
    for i, c in enumerate(persons):
        first, last = c.first, c.last
        if i % 4 == 0:
            first, last = transliterate(first), transliterate(last)
        salutation = c.salutation if i % 5 else ""
        postcode = c.postcode
        if postcode.startswith("0") and stats.get("zero_lost", 0) == 0:
            postcode = postcode.lstrip("0")  # went through Excel once
            stats["zero_lost"] = 1
        email = c.email if i % 3 else c.email.replace("@", "1@")
        rows.append(contact(first, last, salutation, c, Email=email, Phone=c.phone, MailingPostalCode=postcode,
                            **{"Account Name": "Privatkunden" if i % 5 == 1 else ""}))  # fmt: skip
        stats["persons"] += 1
    for row in rng.sample(rows[: stats["company_contacts"]], 2):  # the same person entered twice
        twin = list(row)
        twin[0] = _sf_id(rng)
        twin[5] = str(twin[5]).upper()
        twin[14] = ""
        rows.append(twin)
        stats["duplicates"] += 1
    rows.sort(key=lambda r: str(r[0]))
    _write_csv(OUT / "salesforce-contacts.csv", SALESFORCE_COLUMNS, rows)
    stats["rows"] = len(rows)
    return stats


# -- sales notes --------------------------------------------------------------------------------

NOTE_TEMPLATES = {
    "Reklamation": [
        ("Reklamation Lieferung {n}", "Kunde reklamiert beschädigte Ware aus Lieferung {n}. Fotos per Mail erhalten, Ersatz zugesagt."),
        ("Reklamation", "Kunde beschwert sich über verspätete Lieferung, zweites Mal in diesem Quartal."),
        ("Mängel an Ware", "Mängel an {p} festgestellt, Kunde unzufrieden. Prüfung durch Lager veranlasst."),
    ],
    "Retoure": [
        ("Retoure {n}", "Rücksendung von {q} Kartons {p} angekündigt, Gutschrift nach Wareneingang."),
        ("Rückgabe Überlieferung", "Zu viel geliefert, Kunde schickt {q} Einheiten zurück."),
    ],
    "Angebot": [
        ("Angebot {p}", "Angebot über {q} Einheiten {p} erstellt und per Mail verschickt."),
        ("Preisanfrage", "Kunde fragt Staffelpreise für {p} an, Angebot folgt bis Freitag."),
    ],
    "Bestellung": [
        ("Bestellung {p}", "Bestellung über {q} Einheiten {p} telefonisch aufgenommen, Lieferung KW {w}."),
        ("Nachbestellung", "Nachbestellung wie letzte Lieferung, bitte wieder mit Palette."),
    ],
    "Sonstiges": [
        ("Kontaktpflege", "Allgemeines Gespräch, Kunde zufrieden. Nächster Besuch im Frühjahr."),
        ("Neue Ansprechpartnerin", "Einkauf wird ab nächstem Monat von Frau {l} übernommen."),
        ("Zahlungserinnerung", "Offene Posten besprochen, Kunde sagt Zahlung bis Monatsende zu."),
        ("Messe", "Auf der Messe getroffen, Interesse am neuen Sortiment."),
        ("Adressänderung", "Kunde teilt mit, dass die Rechnungsadresse sich ändert. Neue Adresse folgt per Mail."),
    ],
}  # fmt: skip
PRODUCTS = ["Kaffeebohnen", "Spülmittel", "Servietten", "Einweghandschuhe", "Olivenöl",
            "Reinigungstücher", "Kopierpapier", "Mehl Type 550", "Mineralwasser", "Gewürze"]  # fmt: skip
CHANNELS = ["Anruf", "Anruf", "E-Mail", "E-Mail", "Besuch", "Termin", "Notiz"]


def planted_notes(
    rng: random.Random, roles: dict[str, list[Customer]]
) -> list[tuple[date, list[object]]]:
    """Notes that go with the planted behaviours: complaints, a return, payment reminders."""
    rows: list[tuple[date, list[object]]] = []

    def note(d: date, c: Customer, kind: str, template: int) -> None:
        subject, text = NOTE_TEMPLATES[kind][template]
        fill = {"n": c.invoices[-1][0], "p": rng.choice(PRODUCTS), "q": rng.randint(2, 40),
                "w": rng.randint(2, 51), "l": rng.choice(LAST)}  # fmt: skip
        rows.append((d, [d.strftime("%d.%m.%Y"), c.account, rng.choice(CHANNELS), rng.choice(SALES_STAFF),
                         subject.format(**fill), text.format(**fill)]))  # fmt: skip

    for c in roles["complaints"]:  # four complaints in 2025 and a return
        for month, template in ((3, 0), (6, 1), (8, 2), (10, 0)):
            note(workday(date(2025, month, rng.randint(1, 25))), c, "Reklamation", template)
        note(workday(date(2025, 11, rng.randint(1, 20))), c, "Retoure", 0)
    for c in roles["prepayment"]:  # payment reminders while invoices stay open
        for month in (9, 11, 12):
            note(workday(date(2025, month, rng.randint(1, 20))), c, "Sonstiges", 2)
    return rows


def sales_notes(
    rng: random.Random, customers: list[Customer], planted: list[tuple[date, list[object]]]
) -> dict[str, int]:
    """Write sales-notes.csv; returns counts."""
    rows: list[tuple[date, list[object]]] = []
    stats = {"notes": 0, "no_customer": 0}
    active = [c for c in customers if c.last_active.year >= 2023]
    kinds = list(NOTE_TEMPLATES)
    weights = [12, 6, 14, 16, 52]
    for _ in range(296):
        c = rng.choice(active)
        lo = max(date(c.first_year, 1, 1), date(2023, 1, 1))
        hi = min(c.last_active, END)
        d = lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))
        kind = rng.choices(kinds, weights)[0]
        if c.late_payer and rng.random() < 0.3:
            kind = "Sonstiges"
        subject, text = rng.choice(NOTE_TEMPLATES[kind])
        if c.late_payer and kind == "Sonstiges":
            subject, text = NOTE_TEMPLATES["Sonstiges"][2]
        earlier = [number for number, day, _ in c.invoices if day <= d][-3:]
        invoice = (
            rng.choice(earlier) if earlier else (d - timedelta(days=3)).strftime("vom %d.%m.%Y")
        )
        fill = {
            "n": invoice,
            "p": rng.choice(PRODUCTS),
            "q": rng.randint(2, 40),
            "w": rng.randint(2, 51),
            "l": rng.choice(LAST),
        }
        rows.append((d, [d.strftime("%d.%m.%Y"), c.account, rng.choice(CHANNELS), rng.choice(SALES_STAFF),
                         subject.format(**fill), text.format(**fill)]))  # fmt: skip
    # Stale customers: the last note says why they left.
    for c in [c for c in customers if c.last_active.year == 2023][:3]:
        d = c.last_active + timedelta(days=20)
        rows.append((d, [d.strftime("%d.%m.%Y"), c.account, "Anruf", SALES_STAFF[0], "Kunde abgesprungen",
                         "Kunde bestellt nicht mehr, Wettbewerber ist günstiger. Rückgewinnung im Herbst versuchen."]))  # fmt: skip
    # A note with a semicolon and a line break inside quotes.
    c = next(c for c in active if c.invoices)
    rows.append((date(2024, 3, 7), ["07.03.2024", c.account, "Anruf", SALES_STAFF[1], "Reklamation Lieferung",
                                    "Kunde ruft an; Lieferung unvollständig, 3 Kartons fehlen.\nBitte Rückruf bis Freitag."]))  # fmt: skip
    # Two notes without a customer number (dq rejects them).
    rows.append((date(2024, 6, 12), ["12.06.2024", "", "Besuch", SALES_STAFF[2], "Messe Köln",
                                     "Interessent am Stand, Visitenkarte verloren."]))  # fmt: skip
    rows.append((date(2025, 2, 3), ["03.02.2025", "", "Notiz", SALES_STAFF[3], "Anfrage",
                                    "Anruf eines Interessenten, Rückrufnummer unleserlich."]))  # fmt: skip
    stats["no_customer"] = 2
    rows += planted
    stats["planted"] = len(planted)
    rows.sort(key=lambda t: (t[0], str(t[1][1])))
    _write_csv(OUT / "sales-notes.csv", ["Datum", "Kundennummer", "Kanal", "Autor", "Betreff", "Notiz"],
               [r for _, r in rows], delimiter=";")  # fmt: skip
    stats["notes"] = len(rows)
    return stats


# -- privacy requests ---------------------------------------------------------------------------

REQUEST_COLUMNS = ["Anfrage-ID", "Typ", "Eingang", "Vorname", "Nachname", "E-Mail", "Telefon",
                   "Kundennummer", "PLZ", "Bemerkung"]  # fmt: skip


def privacy_requests(roles: dict[str, list[Customer]]) -> list[str]:
    """Write privacy-requests.csv, the data-protection officer's request log; returns what it shows."""

    def req(
        rid: int, kind: str, day: str, c: Customer | None, note: str, **given: str
    ) -> list[object]:
        values = {"Vorname": c.first, "Nachname": c.last, "E-Mail": c.email} if c else {}
        values.update(given)
        return [
            f"DS-{rid:03d}",
            kind,
            day,
            *(values.get(k, "") for k in REQUEST_COLUMNS[3:-1]),
            note,
        ]

    first = {role: people[0] for role, people in roles.items()}
    prospect = first["prospect_erasure"]
    hold = first["request_hold"]
    rows = [
        req(1, "Auskunft", "02.10.2025", first["request_access"], "Auskunft nach Art. 15 per Post versandt"),
        req(2, "Löschung", "01.12.2025", first["request_erasure"], "Kunde möchte gelöscht werden"),
        req(3, "Löschung", "05.01.2026", prospect, "Interessent, nie bestellt",
            **{"E-Mail": "", "Kundennummer": str(prospect.account), "PLZ": prospect.postcode}),
        req(4, "Widerruf Einwilligung", "14.11.2025", first["request_consent_withdrawn"], "keine Werbe-Mails mehr"),
        req(5, "Widerspruch", "20.10.2025", first["request_objection"], "Widerspruch gegen Werbung per Post"),
        req(6, "Rechtsstreit", "15.09.2025", hold, "Mahnverfahren, Akte beim Anwalt"),
        req(7, "Löschung", "03.12.2025", hold, "Löschung verlangt, Rechtsstreit läuft noch"),
        req(8, "Löschung", "10.12.2025", None, "nicht in unseren Daten", Vorname="Erika", Nachname="Mustermann",
            **{"E-Mail": "erika.mustermann@example.org"}),
        req(9, "Auskunft", "08.01.2026", first["request_name_only"], "Brief ohne Anschrift", **{"E-Mail": ""}),
    ]  # fmt: skip
    _write_csv(OUT / "privacy-requests.csv", REQUEST_COLUMNS, rows, delimiter=";")
    return [f"privacy request {r[0]} ({r[1]}): {r[-1]}" for r in rows]


# -- main ---------------------------------------------------------------------------------------


def _find(name: str, given: str | None) -> Path:
    if given:
        return Path(given)
    root = HERE.parent.parent
    for base in (root.parent / "shared", root.parent.parent / "shared", Path("/work/shared")):
        candidate = base / "fixtures" / name
        if candidate.exists():
            return candidate
    raise SystemExit(f"cannot find shared/fixtures/{name}; pass its path")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--register", help="path to offeneregister/companies.csv")
    parser.add_argument(
        "--datev", help="folder with the DATEV sample files (EXTF_Stammdaten.csv ...)"
    )
    args = parser.parse_args()
    register = _find("offeneregister/companies.csv", args.register)
    datev = _find("datev", args.datev)
    rng = random.Random(SEED)
    OUT.mkdir(exist_ok=True)
    pool = load_register(register)
    customers, creditors = make_customers(rng, pool)
    used = {c.name for c in customers} | {r["name"] for r in creditors}
    leads = sorted((r for r in pool if r["name"] not in used), key=lambda r: r["name"])
    leads = random.Random(SEED + 1).sample(leads, 10)
    planted = datev_debitoren(rng, customers, creditors, datev / "EXTF_Stammdaten.csv")
    roles = plant_roles(customers)
    planted_rng = random.Random(PLANTED_SEED)
    counts = bookings(rng, planted_rng, customers, roles, datev / "EXTF_Buchungsstapel.csv")
    hs = hubspot(rng, customers, leads)
    sf = salesforce(rng, customers)
    notes = sales_notes(rng, customers, planted_notes(planted_rng, roles))
    planted += privacy_requests(roles)
    (OUT / "ATTRIBUTION.md").write_text(
        "# Attribution\n\n" + ATTRIBUTION + "\n\nThe companies are real register entries; their "
        "relationship to the fictional wholesaler and every other value (contacts, phone numbers, "
        "e-mails, websites, IBANs, VAT IDs, bookings, notes) is invented by `../generate.py`.\n"
        "The DATEV files copy the column layout of the samples in ledermann/datev (MIT).\n",
        encoding="utf-8",
    )
    n_comp = sum(c.kind == "company" for c in customers)
    print(f"customers: {len(customers)} ({n_comp} companies, {len(customers) - n_comp} persons)")
    print("stale since 2023:", sum(c.last_active.year == 2023 for c in customers),
          "| stopped mid-2024:", sum(c.last_active.year == 2024 for c in customers),
          "| no bookings:", sum(c.last_active.year < 2023 for c in customers),
          "| late payers:", sum(c.late_payer and c.last_active.year >= 2023 for c in customers))  # fmt: skip
    print("booking lines per year:", counts)
    print("hubspot:", hs)
    print("salesforce:", sf)
    print("notes:", notes)
    for role, people in sorted(roles.items()):
        planted.append(f"{role}: " + ", ".join(f"{c.account}" for c in people))
    for line in planted:
        print("planted:", line)


if __name__ == "__main__":
    main()
