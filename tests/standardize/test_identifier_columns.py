"""identifier_columns: the Arrow paths give exactly what the per-value functions give."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.standardize import identifier_columns as ic
from dq.standardize.identifiers import _extractor, _registrable_domain_of_suffix_list

NA = pd.NA
LONG_LABEL = "a" * 64

# (input, website, domain)
WEBSITES = [
    ("www.firma-name.de", "https://www.firma-name.de", "firma-name.de"),
    ("https://www.firma.de/", "https://www.firma.de", "firma.de"),
    ("Firma.DE", "https://firma.de", "firma.de"),
    ("HTTP://WWW.Firma.DE/Impressum/", "http://www.firma.de/Impressum", "firma.de"),
    ("HTTPS://Firma.de/A/B//", "https://firma.de/A/B", "firma.de"),
    ("http://shop.firma.com/de/kontakt.html", "http://shop.firma.com/de/kontakt.html", "firma.com"),
    ("firma.de/pfad\\x", "https://firma.de/pfad\\x", "firma.de"),
    ("firma.de/x\"", "https://firma.de/x", "firma.de"),
    ("firma.de/x\"/", "https://firma.de/x\"", "firma.de"),
    ("<www.firma.de>", "https://www.firma.de", "firma.de"),
    (" www.firma.de ", "https://www.firma.de", "firma.de"),
    ("https://shop.example.co.uk/x?y=1#z", "https://shop.example.co.uk/x", "example.co.uk"),
    ("www.firma.com.au", "https://www.firma.com.au", "firma.com.au"),
    ("firma.co.at", "https://firma.co.at", "firma.co.at"),
    ("www.firma.at", "https://www.firma.at", "firma.at"),
    ("x.sth.ac.at", "https://x.sth.ac.at", "x.sth.ac.at"),
    ("sth.ac.at", "https://sth.ac.at", NA),
    ("co.uk", "https://co.uk", NA),
    ("www.x.sch.uk", "https://www.x.sch.uk", "www.x.sch.uk"),
    ("www.city.kawasaki.jp", "https://www.city.kawasaki.jp", "city.kawasaki.jp"),
    ("a.b.kawasaki.jp", "https://a.b.kawasaki.jp", "a.b.kawasaki.jp"),
    ("a.b.c.schools.nsw.edu.au", "https://a.b.c.schools.nsw.edu.au", "c.schools.nsw.edu.au"),
    ("firma.notatld", "https://firma.notatld", NA),
    ("firma.de:8080", "https://firma.de:8080", "firma.de"),
    ("https://firma.de:443/a/", "https://firma.de:443/a", "firma.de"),
    ("xn--mller-kva.de", "https://müller.de", "müller.de"),
    ("WWW.XN--MLLER-KVA.DE", "https://www.müller.de", "müller.de"),
    ("www.müller.de", "https://www.müller.de", "müller.de"),
    ("Müller-Bäckerei.DE/über", "https://müller-bäckerei.de/über", "müller-bäckerei.de"),
    ("firma.de.", "https://firma.de", "firma.de"),
    ("192.168.0.1", NA, NA),
    ("-firma.de", NA, NA),
    ("firma-.de", NA, NA),
    ("a..de", NA, NA),
    ("firma", NA, NA),
    ("ftp://firma.de", NA, NA),
    ("mailto:info@firma.de", NA, NA),
    ("info@firma.de", NA, NA),
    ("firma.de/x@y", NA, NA),  # read as an e-mail address: host "y"
    ("www." + LONG_LABEL + ".de", NA, NA),
    ("https://" + LONG_LABEL + ".de/x", NA, NA),
    ("www." + "a" * 63 + ".de", "https://www." + "a" * 63 + ".de", "a" * 63 + ".de"),
    ("www.firma .de", NA, NA),
    ("", NA, NA),
    (None, NA, NA),
]  # fmt: skip

# (input, value, valid)
VAT_IDS = [
    ("DE136695976", "DE136695976", True),
    ("DE 136 695 976", "DE136695976", True),
    ("de136695976", "DE136695976", True),
    ("DE-136.695.976", "DE136695976", True),
    ("DE136695975", "DE136695975", False),
    ("DE 136 695 975", "DE136695975", False),
    ("DE036695976", "DE036695976", False),
    ("DE13669597", "DE13669597", False),
    ("DE1366959761", "DE1366959761", False),
    ("DE  136695976", "DE136695976", True),
    ("USt-IdNr.: DE 136 695 976", "DE136695976", True),
    ("ATU13585627", "ATU13585627", True),
    ("ATU13585626", "ATU13585626", False),
    ("atu 135 856 27", "ATU13585627", True),
    ("NL004495445B01", "NL004495445B01", True),
    ("FR 40 303 265 045", "FR40303265045", True),
    ("BE 0403.019.261", "BE0403019261", True),
    ("CHE-116.281.710 MWST", "CHE116281710", True),
    ("CHE-116.281.711", "CHE116281711", False),
    ("XX123456789", "XX123456789", False),
    ("123456789", "123456789", False),
    ("-", NA, False),
    ("", NA, False),
    (None, NA, NA),
]  # fmt: skip

IBANS = [
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000", True),
    ("DE89370400440532013000", "DE89370400440532013000", True),
    ("de89 3704 0044 0532 0130 00", "DE89370400440532013000", True),
    ("DE88 3704 0044 0532 0130 00", "DE88370400440532013000", False),
    ("DE89 3704 0044 0532 0130 01", "DE89370400440532013001", False),
    ("DE89 3704 0044 0532 0130 0", "DE8937040044053201300", False),
    ("DE89 3704 0044 0532 0130 000", "DE893704004405320130000", False),
    ("IBAN: DE89 3704 0044 0532 0130 00", "DE89370400440532013000", True),
    ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", True),
    ("GB82 WEST 1234 5698 7654 33", "GB82WEST12345698765433", False),
    ("NL91ABNA0417164300", "NL91ABNA0417164300", True),
    ("AT61 1904 3002 3457 3201", "AT611904300234573201", True),
    ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606", True),
    ("CH93 0076 2011 6238 5295 7", "CH9300762011623852957", True),
    ("", NA, False),
    (None, NA, NA),
]  # fmt: skip


def _frame(rows: list[tuple[object, ...]], names: list[str], dtypes: list[str]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True))
    return pd.DataFrame(
        {n: pd.array(list(c), dtype=d) for n, c, d in zip(names, columns, dtypes, strict=True)}
    )


def _pair(value: object, plain: str) -> pd.Series:
    # a plain neighbour row, so each case meets the Arrow path and the per-value path together
    return pd.Series([plain, value], index=[7, 3], dtype="string")


@pytest.mark.parametrize("case", WEBSITES, ids=lambda c: repr(c[0])[:40])
def test_website_columns_examples(case: tuple[object, ...]) -> None:
    values = _pair(case[0], "www.firma.de")
    got = ic.website_columns(values)
    want = _frame(
        [("https://www.firma.de", "firma.de"), case[1:]], ["website", "domain"], ["string"] * 2
    ).set_axis(values.index)
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(got, ic._website_columns_slow(values))


@pytest.mark.parametrize("case", WEBSITES, ids=lambda c: repr(c[0])[:40])
def test_domain_series_examples(case: tuple[object, ...]) -> None:
    values = _pair(case[0], "www.firma.de").rename("domain")
    got = ic.domain_series(values)
    pd.testing.assert_series_equal(got, ic._domain_series_slow(values))
    if case[1] is not NA:  # a website's domain is the registrable domain of the value itself
        assert got.iloc[1] is case[2] if case[2] is NA else got.iloc[1] == case[2]


@pytest.mark.parametrize(
    ("columns", "cases", "plain"),
    [
        (ic.vat_id_columns, VAT_IDS, ("DE136695976", "DE136695976", True)),
        (ic.iban_columns, IBANS, ("DE89370400440532013000", "DE89370400440532013000", True)),
    ],
    ids=["vat_id", "iban"],
)
def test_id_columns_examples(
    columns: Callable[[pd.Series], pd.DataFrame],
    cases: list[tuple[object, ...]],
    plain: tuple[object, ...],
) -> None:
    slow = ic._vat_id_columns_slow if columns is ic.vat_id_columns else ic._iban_columns_slow
    for case in cases:
        values = _pair(case[0], str(plain[0]))
        got = columns(values)
        want = _frame([plain[1:], case[1:]], ["value", "valid"], ["string", "boolean"])
        pd.testing.assert_frame_equal(got, want.set_axis(values.index), obj=repr(case[0]))
        pd.testing.assert_frame_equal(got, slow(values))


def test_all_examples_in_one_column() -> None:
    for columns, slow, cases in (
        (ic.website_columns, ic._website_columns_slow, WEBSITES),
        (ic.vat_id_columns, ic._vat_id_columns_slow, VAT_IDS),
        (ic.iban_columns, ic._iban_columns_slow, IBANS),
    ):
        values = pd.Series([c[0] for c in cases] * 2, dtype="object")
        pd.testing.assert_frame_equal(columns(values), slow(values))
    values = pd.Series([c[0] for c in WEBSITES] * 2, dtype="object", name="domain")
    pd.testing.assert_series_equal(ic.domain_series(values), ic._domain_series_slow(values))


SHAPES = [
    pd.Series([], dtype="string"),
    pd.Series([None, None], dtype="string"),
    pd.Series(["www.firma.de", "DE136695976"], index=["a", "b"]),
    pd.Series(["firma.de", "firma.de"], index=[5, 5]),
    pd.Series([12345, None], dtype="Int64"),
    pd.Series(["Firma.de", None, "DE89 3704 0044 0532 0130 00"], dtype="string[pyarrow]"),
    pd.Series(["firma.de", "DE136695976", "firma.de"], dtype="category"),
]
SHAPE_IDS = ["empty", "all-null", "object", "duplicate-index", "numbers", "arrow", "category"]


@pytest.mark.parametrize("values", SHAPES, ids=SHAPE_IDS)
def test_shapes(values: pd.Series) -> None:
    pd.testing.assert_frame_equal(
        ic.website_columns(values), ic._website_columns_slow(values.astype("string"))
    )
    pd.testing.assert_frame_equal(
        ic.vat_id_columns(values), ic._vat_id_columns_slow(values.astype("string"))
    )
    pd.testing.assert_frame_equal(
        ic.iban_columns(values), ic._iban_columns_slow(values.astype("string"))
    )
    named = values.rename("domain")
    pd.testing.assert_series_equal(
        ic.domain_series(named), ic._domain_series_slow(named.astype("string"))
    )


def test_suffix_list_rules_match_tldextract() -> None:
    """Every ASCII rule of the bundled list: the rule, one label and two labels in front."""
    rules = _extractor()._get_tld_extractor().tlds_excl_private  # type: ignore[attr-defined]
    hosts = []
    for rule in (str(r) for r in rules if str(r).isascii()):
        base = rule.lstrip("*.!")
        hosts += [base, "firma." + base, "www.firma." + base]
    values = pd.Series(hosts, dtype="string")
    want = pd.Series([_registrable_domain_of_suffix_list(h) for h in hosts], dtype="string")
    pd.testing.assert_series_equal(ic.domain_series(values), want)


LABEL = st.text(alphabet="abcXYZ019-", min_size=1, max_size=5) | st.sampled_from(
    ["www", "firma", "xn--mller-kva", "müller", "a" * 63, LONG_LABEL, "-x", "x-", ""]
)
SUFFIX = st.sampled_from(
    ["de", "DE", "com", "at", "co.at", "ac.at", "sth.ac.at", "co.uk", "sch.uk", "kawasaki.jp",
     "city.kawasaki.jp", "ck", "www.ck", "com.au", "nsw.edu.au", "ch", "1", "123", "notatld",
     "xn--p1ai", "рф", "de."]
)  # fmt: skip
SCHEME = st.sampled_from(["", "", "http://", "https://", "HTTPS://", "ftp://", "//", "Http:/"])
PATH = st.sampled_from(
    ["", "", "/", "/Impressum/", "/a/b//", "/x?y=1", "#top", ":8080", ":8080/x", "/x\"", "/x'/",
     "/über", "/x@y", "/%20a", "/a b", "/>", "\\x"]
)  # fmt: skip
EDGE = st.sampled_from(["", "", " ", "<", "'", "\u00a0", "\t", "info@"])


@st.composite
def websites(draw: st.DrawFn) -> str:
    labels = draw(st.lists(LABEL, min_size=0, max_size=3))
    host = ".".join([*labels, draw(SUFFIX)])
    edge = draw(EDGE)
    return edge + draw(SCHEME) + host + draw(PATH) + edge[::-1]


@settings(max_examples=150, deadline=None)
@given(st.lists(websites() | st.text(max_size=12) | st.none(), max_size=12))
def test_website_columns_equal_per_value(values: list[str | None]) -> None:
    series = pd.Series(values, dtype="string")
    pd.testing.assert_frame_equal(ic.website_columns(series), ic._website_columns_slow(series))
    pd.testing.assert_series_equal(ic.domain_series(series), ic._domain_series_slow(series))


SEP = st.sampled_from(["", "", "", " ", ".", "-", "/", ":", ",", "_", "  ", "\t", "|"])


@st.composite
def identifiers(draw: st.DrawFn, digits: int) -> str:
    prefix = draw(st.sampled_from(["DE", "de", "De", "AT", "ATU", "FR", "GB82WEST", "CHE", "NL",
                                   "XX", "", "USt-IdNr.: DE", "IBAN DE", "DЕ"]))  # fmt: skip
    count = draw(st.sampled_from([digits, digits, digits - 1, digits + 1, 8, 11]))
    numbers = draw(st.lists(st.sampled_from("0123456789"), min_size=count, max_size=count))
    text = prefix + "".join(draw(SEP) + n for n in numbers)
    return draw(st.sampled_from(["", " ", "x"])) + text + draw(st.sampled_from(["", " ", "B01"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(identifiers(9) | identifiers(20) | st.text(max_size=8) | st.none(), max_size=12))
def test_id_columns_equal_per_value(values: list[str | None]) -> None:
    series = pd.Series(values, dtype="string")
    pd.testing.assert_frame_equal(ic.vat_id_columns(series), ic._vat_id_columns_slow(series))
    pd.testing.assert_frame_equal(ic.iban_columns(series), ic._iban_columns_slow(series))


def test_check_digits_on_many_german_numbers() -> None:
    """All check digits of some German VAT IDs and IBANs: valid exactly where stdnum says so."""
    bases = ["13669597", "81180704", "29000001", "10000000", "99999999", "03669597", "00000000"]
    vat = pd.Series([f"DE{b}{d}" for b in bases for d in range(10)], dtype="string")
    pd.testing.assert_frame_equal(ic.vat_id_columns(vat), ic._vat_id_columns_slow(vat))
    assert ic.vat_id_columns(vat)["valid"].sum() == len(bases) - 2  # none with a leading zero
    bban = ["370400440532013000", "500105175407324931", "100000000000000000"]
    iban = pd.Series([f"DE{c:02d}{b}" for b in bban for c in range(100)], dtype="string")
    pd.testing.assert_frame_equal(ic.iban_columns(iban), ic._iban_columns_slow(iban))
    assert ic.iban_columns(iban)["valid"].sum() == len(bban)
