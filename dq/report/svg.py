"""Charts as inline SVG text: sparklines for trends, horizontal bars for counts.

No JavaScript, no external resources: the report stays one file that prints. Labels are escaped
here because the result is inserted into the page as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["bars", "sparkline"]


def sparkline(values: Sequence[float], *, width: int = 120, height: int = 24) -> Markup:
    """A trend line over ``values`` (oldest first), the last point marked; empty for < 2 points."""
    points = [float(v) for v in values]
    if len(points) < 2:
        return Markup("")
    lo, hi = min(points), max(points)
    span = (hi - lo) or 1.0
    pad = 3
    step = (width - 2 * pad) / (len(points) - 1)
    coords = [
        (pad + i * step, height - pad - (v - lo) / span * (height - 2 * pad))
        for i, v in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    lx, ly = coords[-1]
    title = escape(f"{points[0]:g} → {points[-1]:g} over {len(points)} runs")
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{path}"/>'
        f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.5" fill="currentColor"/></svg>'
    )


def bars(
    items: Sequence[tuple[str, float]],
    *,
    width: int = 360,
    label_width: int = 140,
    row: int = 18,
    fmt: str = "{:,.0f}",
) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    if not items:
        return Markup("")
    label_w, value_w = label_width, 70
    bar_w = width - label_w - value_w
    top = max((v for _, v in items), default=0.0) or 1.0
    height = row * len(items)
    parts = [
        f'<svg class="bars" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img">'
    ]
    for i, (label, value) in enumerate(items):
        y = i * row
        w = max(0.0, bar_w * float(value) / top)
        text = escape(label)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row * 0.7:.1f}" text-anchor="end">{text}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" rx="2"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + row * 0.7:.1f}">'
            f"{escape(fmt.format(value))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
