"""email_columns: the Arrow path for plain addresses gives exactly what the per-value path gives."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.standardize import emails

NA = pd.NA
LONG = "a" * 60 + "@" + ("b" * 60 + ".") * 3 + "b" * 10 + ".de"

# (input, email, valid, role, freemail, domain)
CASES = [
    ("info@firma.de", "info@firma.de", True, True, False, "firma.de"),
    ("Info@Firma.DE", "info@firma.de", True, True, False, "firma.de"),
    (" INFO@FIRMA.DE ", "info@firma.de", True, True, False, "firma.de"),
    ("kontakt+web@firma.de", "kontakt+web@firma.de", True, True, False, "firma.de"),
    ("info-berlin@firma.de", "info-berlin@firma.de", True, True, False, "firma.de"),
    ("info.berlin@firma.de", "info.berlin@firma.de", True, True, False, "firma.de"),
    ("information@firma.de", "information@firma.de", True, False, False, "firma.de"),
    ("no-reply@shop.example.co.uk", "no-reply@shop.example.co.uk", True, True, False, "example.co.uk"),
    ("hans.mueller@gmx.de", "hans.mueller@gmx.de", True, False, True, "gmx.de"),
    ("max@mail.gmx.net", "max@mail.gmx.net", True, False, True, "gmx.net"),
    ("max@gmx.de.evil.com", "max@gmx.de.evil.com", True, False, False, "evil.com"),
    ("max@notgmx.de", "max@notgmx.de", True, False, False, "notgmx.de"),
    ("anna@xn--mller-kva.de", "anna@xn--mller-kva.de", True, False, False, "müller.de"),
    ("anna@firma.xn--p1ai", "anna@firma.xn--p1ai", True, False, False, "firma.рф"),
    ("hans@sub.firma.at", "hans@sub.firma.at", True, False, False, "firma.at"),
    ("hans@firma.co.at", "hans@firma.co.at", True, False, False, "firma.co.at"),
    ("hans@co.at", "hans@co.at", True, False, False, "co.at"),
    ("o'brien@firma.ie", "o'brien@firma.ie", True, False, False, "firma.ie"),
    ("'hans@firma.de'", "hans@firma.de", True, False, False, "firma.de"),
    ("hans@firma.de.", "hans@firma.de", True, False, False, "firma.de"),
    ("Hans Müller <hans.mueller@firma.de>", "hans.mueller@firma.de", True, False, False, "firma.de"),
    ("mailto:Info@Firma.de", "info@firma.de", True, True, False, "firma.de"),
    ("a" * 64 + "@firma.de", "a" * 64 + "@firma.de", True, False, False, "firma.de"),
    ("a" * 65 + "@firma.de", "a" * 65 + "@firma.de", False, NA, NA, NA),
    ("hans@" + "a" * 63 + ".de", "hans@" + "a" * 63 + ".de", True, False, False, "a" * 63 + ".de"),
    ("hans@" + "a" * 64 + ".de", "hans@" + "a" * 64 + ".de", False, NA, NA, NA),
    ("hans@" + ("a" * 60 + ".") * 5 + "de", "hans@" + ("a" * 60 + ".") * 5 + "de", False, NA, NA, NA),
    (LONG, LONG, False, NA, NA, NA),  # 257 characters, domain and local part within limits
    ("hans@-firma.de", "hans@-firma.de", False, NA, NA, NA),
    ("hans@firma-.de", "hans@firma-.de", False, NA, NA, NA),
    ("Hans@Localhost", "Hans@Localhost", False, NA, NA, NA),
    ("hans@firma.d", "hans@firma.d", False, NA, NA, NA),
    ("hans@firma.de1", "hans@firma.de1", False, NA, NA, NA),
    ("hans@firma.xn--", "hans@firma.xn--", False, NA, NA, NA),
    ("hans@@firma.de", "hans@@firma.de", False, NA, NA, NA),
    ("hans@firma@de.de", "hans@firma@de.de", False, NA, NA, NA),
    ("hans..m@firma.de", "hans..m@firma.de", False, NA, NA, NA),
    (".hans@firma.de", ".hans@firma.de", False, NA, NA, NA),
    ("hans.@firma.de", "hans.@firma.de", False, NA, NA, NA),
    ("hans@firma..de", "hans@firma..de", False, NA, NA, NA),
    ("hans@müller.de", "hans@müller.de", True, False, False, "müller.de"),
    ("jürgen@firma.de", "jürgen@firma.de", False, NA, NA, NA),
    ("JÜRGEN@GMX.DE", "JÜRGEN@GMX.DE", False, NA, NA, NA),
    ("'jürgen@firma.de'", "'jürgen@firma.de'", False, NA, NA, NA),
    ("mailto:Jürgen@Firma.de", "mailto:Jürgen@Firma.de", False, NA, NA, NA),
    ("hans×@firma.de", "hans×@firma.de", False, NA, NA, NA),  # × is not a letter
    ("Hans Jäger<hans@firma.de>", "hans@firma.de", True, False, False, "firma.de"),
    ("hans@jäger@firma.de", "hans@jäger@firma.de", False, NA, NA, NA),
    ("ÿ", "ÿ", False, NA, NA, NA),
    ("user@\u212afirma.de", "user@kfirma.de", True, False, False, "kfirma.de"),  # Kelvin sign
    ("\u017f@firma.de", "\u017f@firma.de", False, NA, NA, NA),  # long s
    ("", NA, NA, NA, NA, NA),
    ("   ", NA, NA, NA, NA, NA),
    (None, NA, NA, NA, NA, NA),
]  # fmt: skip


def _frame(rows: list[tuple[object, ...]], index: pd.Index) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * 5
    return pd.DataFrame(
        {
            name: pd.array(list(column), dtype=dtype)
            for name, column, dtype in zip(
                ["email", "email_valid", "email_role", "email_freemail", "email_domain"],
                columns,
                ["string", "boolean", "boolean", "boolean", "string"],
                strict=True,
            )
        },
        index=index,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: repr(c[0])[:40])
def test_email_columns_examples(case: tuple[object, ...]) -> None:
    value, *expected = case
    # a plain neighbour row, so each case meets the Arrow path and the per-value path together
    values = pd.Series(["info@firma.de", value], index=[7, 3], dtype="string")
    got = emails.email_columns(values)
    want = _frame([("info@firma.de", True, True, False, "firma.de"), tuple(expected)], values.index)
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(got, emails._email_columns_slow(values))


def test_all_examples_in_one_column() -> None:
    values = pd.Series([c[0] for c in CASES] * 2, dtype="object")
    pd.testing.assert_frame_equal(emails.email_columns(values), emails._email_columns_slow(values))
    want = _frame([tuple(c[1:]) for c in CASES] * 2, values.index)
    pd.testing.assert_frame_equal(emails.email_columns(values), want)


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([], dtype="string"),
        pd.Series([None, None], dtype="string"),
        pd.Series(["Hans <h@firma.de>", "mailto:x@y.de"], index=["a", "b"]),
        pd.Series(["a@b.de", "c@d.de"], index=[5, 5]),
        pd.Series([12345, None], dtype="Int64"),
        pd.Series(["Info@Firma.de", None, "Jäger <j@gmx.de>"], dtype="string[pyarrow]"),
        pd.Series(["info@firma.de", "x@y.de", "info@firma.de"], dtype="category"),
    ],
    ids=["empty", "all-null", "all-per-value", "duplicate-index", "numbers", "arrow", "category"],
)
def test_shapes(values: pd.Series) -> None:
    pd.testing.assert_frame_equal(emails.email_columns(values), emails._email_columns_slow(values))


REAL = [
    "info@firma.de",
    "Hans.Mueller@GMX.DE",
    "kontakt+web@schmidt-bau.at",
    "o'neill@example.co.uk",
    "anna@xn--mller-kva.de",
    "noreply@mail.web.de",
    "buero@firma.co.at",
    "Jürgen Maier <j.maier@t-online.de>",
]
CRITICAL = [
    *"aZ09@.-_+'<>:;,()[]\" äßÉÿ×\u212a\u00a0",
    "mailto:",
    "xn--",
    "info",
    "gmx.de",
    ".de",
    ".at",
]


LOCAL_PARTS = ["info", "kontakt", "no-reply", "o'neill", "+", ".", "-", "_", "'", "ä", "É", "x"]
LABELS = ["firma", "gmx", "de", "at", "co", "xn--", "xn--p1ai", "-", "a1", "web", "ä", "q", ""]
ENDS = ["", " ", "'", ".", "..", "<", ">", '"', ")", ";", ":", "mailto:", "Hans <", "\u00a0"]


@st.composite
def _addresses(draw: st.DrawFn) -> str:
    """Near-valid addresses: role names, sub-domains, xn--, quotes and dots at the edges."""
    local = "".join(draw(st.lists(st.sampled_from(LOCAL_PARTS), min_size=0, max_size=4)))
    labels = draw(st.lists(st.sampled_from(LABELS) | st.text("ab-", max_size=3), max_size=4))
    at = draw(st.sampled_from(["@", "@", "@", "@@", ""]))
    value = (
        draw(st.sampled_from(ENDS)) + local + at + ".".join(labels) + draw(st.sampled_from(ENDS))
    )
    return value.upper() if draw(st.booleans()) else value


@st.composite
def _email_values(draw: st.DrawFn) -> str | None:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return None
    if kind == 1:
        parts = st.sampled_from(CRITICAL) | st.text(alphabet="abcXYZ019äöß.-@", max_size=3)
        return "".join(draw(st.lists(parts, max_size=12)))
    if kind == 2:
        return draw(_addresses())
    value = draw(st.sampled_from(REAL))
    for _ in range(draw(st.integers(0, 3))):  # mutations: insert, delete, upper-case a slice
        pos = draw(st.integers(0, len(value)))
        action = draw(st.integers(0, 2))
        if action == 0:
            value = value[:pos] + draw(st.sampled_from(CRITICAL)) + value[pos:]
        elif action == 1:
            value = value[:pos] + value[pos + 1 :]
        else:
            value = value[:pos] + value[pos:].upper()
    return value


@settings(max_examples=300)
@given(st.lists(_email_values(), max_size=12))
def test_arrow_path_equals_per_value_path(values: list[str | None]) -> None:
    series = pd.Series(values, dtype="string")
    pd.testing.assert_frame_equal(emails.email_columns(series), emails._email_columns_slow(series))


def _two_label_domains() -> list[str]:
    """Every ASCII top-level domain and two-label public suffix of the bundled list."""
    from dq.standardize.identifiers import _extractor

    suffixes = _extractor()._get_tld_extractor().tlds_excl_private  # type: ignore[attr-defined]
    ascii_suffixes = [s for s in suffixes if s.isascii() and s.count(".") <= 1]
    return [s if "." in s else "firma." + s for s in ascii_suffixes]


def test_two_label_domains_under_every_suffix() -> None:
    """A two-label domain is read off directly: it must be what the public-suffix list says."""
    domains = _two_label_domains()
    assert len(domains) > 1000
    values = pd.Series(["info@" + d for d in domains] + ["info@" + d.upper() for d in domains])
    pd.testing.assert_frame_equal(emails.email_columns(values), emails._email_columns_slow(values))
