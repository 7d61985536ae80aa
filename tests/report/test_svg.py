"""Inline SVG charts: well-formed, escaped, scaled."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from dq.report.svg import bars, sparkline

NS = "{http://www.w3.org/2000/svg}"


def test_sparkline_draws_one_point_per_run() -> None:
    svg = ET.fromstring(
        str(sparkline([90.0, 92.5, 91.0])).replace(
            "<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1
        )
    )
    points = svg.find(f"{NS}polyline").get("points").split()  # type: ignore[union-attr]
    assert len(points) == 3
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[1] == min(ys)  # the highest value is drawn at the top


def test_sparkline_needs_two_points() -> None:
    assert str(sparkline([])) == "" and str(sparkline([99.0])) == ""


def test_bars_escape_labels_and_scale_to_the_largest() -> None:
    out = str(bars([("<script>", 10.0), ("B & C", 5.0)], width=400, label_width=100))
    assert "<script>" not in out and "&lt;script&gt;" in out and "B &amp; C" in out
    svg = ET.fromstring(out.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1))
    widths = [float(r.get("width") or 0) for r in svg.iter(f"{NS}rect")]
    assert widths == [230.0, 115.0]


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), max_size=50))
def test_sparkline_is_always_well_formed(values: list[float]) -> None:
    out = str(sparkline(values))
    if len(values) >= 2:
        ET.fromstring(out)
