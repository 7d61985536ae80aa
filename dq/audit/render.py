"""The audit as a page a consultant forwards: Markdown for a ticket, one self-contained HTML file.

The HTML has no script, no external resource and a Content-Security-Policy that forbids loading
any; every value is escaped. Examples are IDs or masked values (see :mod:`dq.audit.verdict`).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dq.audit.assess import AuditResult

__all__ = ["render_html", "render_markdown"]

_BADGE = {"ready": "#1a7f37", "ready with warnings": "#9a6700", "not ready": "#cf222e"}


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def render_markdown(result: AuditResult) -> str:
    """A short summary: verdict, reasons with counts, figures, files."""
    f = result.figures
    lines = [
        f"# Migration audit: {result.target.label}",
        "",
        f"**Verdict: {result.verdict}** (as of {result.as_of.isoformat()})",
        "",
        f"{f['records']:,} records → {f['customers']:,} customers ({f['companies']:,} companies, "
        f"{f['private_persons']:,} private persons) and {f['contacts']:,} contacts; duplicate "
        f"rate {f['duplicate_rate']:.1%}; {f['review_pairs']:,} review pairs open.",
        "",
        "## Reasons",
        "",
    ]
    if not result.reasons:
        lines.append("None: every check passed.")
    for r in result.reasons:
        share = f" ({_share(r.share)})" if r.share is not None else ""
        examples = f" — e.g. {', '.join(r.examples)}" if r.examples else ""
        lines.append(f"- **{r.level}** `{r.code}`: {r.message}{share}{examples}")
    lines += ["", "## Import files", ""]
    for name, frame in result.files.items():
        lines.append(f"- `{name}`: {len(frame):,} rows")
    lines += ["", f"Target rules: {result.target.source}", ""]
    return "\n".join(lines)


def render_html(result: AuditResult) -> str:
    """One self-contained, printable page."""
    f = result.figures
    colour = _BADGE[result.verdict]
    reasons = (
        "".join(
            f"<tr><td class='{escape(r.level)}'>{escape(r.level)}</td><td><code>{escape(r.code)}"
            f"</code></td><td>{escape(r.message)}</td><td class='n'>{r.count:,}</td>"
            f"<td class='n'>{escape(_share(r.share))}</td>"
            f"<td>{escape(', '.join(r.examples))}</td></tr>"
            for r in result.reasons
        )
        or "<tr><td colspan='6'>None: every check passed.</td></tr>"
    )
    sources = "".join(
        f"<tr><td>{escape(s)}</td>"
        + "".join(f"<td class='n'>{roles.get(k, 0):,}</td>" for k in ("customer", "contact"))
        + "</tr>"
        for s, roles in f["records_per_source"].items()
    )
    fields = "".join(
        f"<tr><td>{escape(str(row.file))}</td><td>{escape(str(row.column))}</td>"
        f"<td>{escape(str(row.dq_field))}</td><td>{'yes' if row.required else ''}</td>"
        f"<td class='n'>{row.filled_share:.1%}</td></tr>"
        for row in result.field_map.itertuples()
    )
    files = "".join(
        f"<li><code>{escape(name)}</code>: {len(frame):,} rows</li>"
        for name, frame in result.files.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Migration audit: {escape(result.target.label)}</title>
<style>
body{{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1f2328}}
.badge{{display:inline-block;padding:.3rem .8rem;border-radius:1rem;color:#fff;
background:{colour};font-weight:600}}
table{{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}}
th,td{{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}}
td.n{{text-align:right;font-variant-numeric:tabular-nums}}
td.blocker{{color:#cf222e;font-weight:600}} td.warning{{color:#9a6700}}
@media print{{body{{margin:0}}}}
</style></head><body>
<h1>Migration audit: {escape(result.target.label)}</h1>
<p><span class="badge">{escape(result.verdict)}</span> as of {result.as_of.isoformat()}</p>
<p>{f["records"]:,} records → {f["customers"]:,} customers ({f["companies"]:,} companies,
{f["private_persons"]:,} private persons) and {f["contacts"]:,} contacts; duplicate rate
{f["duplicate_rate"]:.1%}; {f["review_pairs"]:,} review pairs open;
{f["rejected_rows"]:,} rows could not be read.</p>
<h2>Reasons</h2>
<table><tr><th>level</th><th>code</th><th>finding</th><th>count</th><th>share</th>
<th>examples</th></tr>{reasons}</table>
<h2>Records per source</h2>
<table><tr><th>source</th><th>customer records</th><th>contact records</th></tr>{sources}</table>
<h2>Import files</h2><ul>{files}</ul>
<h2>Field map</h2>
<table><tr><th>file</th><th>target column</th><th>dq field</th><th>required</th>
<th>filled</th></tr>{fields}</table>
<p><small>Target rules: {escape(result.target.source)}</small></p>
</body></html>
"""
