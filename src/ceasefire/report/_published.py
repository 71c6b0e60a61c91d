"""The report's section that sets the model beside published figures (a scenario's checks)."""

from __future__ import annotations

import html

from ceasefire.report import _html as h
from ceasefire.report import _reduce as reduce
from ceasefire.report._sections import ReportInputs, Section

__all__ = ["NO_SCENARIO", "published"]

NO_SCENARIO = "the scenario that made this ensemble was not given or not found (pass --scenario)"


def _figure(low: float, high: float) -> str:
    return f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}"


def published(inputs: ReportInputs) -> Section:
    """Set the scenario's published figures beside the model's first year, a verdict each."""
    title = "Against published figures"
    scenario = inputs.scenario
    if scenario is None:
        return h.missing("published", title, h.NO_SCENARIO)
    if not scenario.checks:
        return h.missing("published", title, "the scenario lists no published figures (checks:)")
    if not reduce.has_trajectories(inputs.ensemble):
        return h.missing("published", title, "the ensemble has no trajectories (--save summary)")
    from ceasefire.analysis import published_checks

    rows = published_checks(inputs.ensemble, scenario)
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "side",
            "per month",
            "published",
            "kind",
            "model (median, 5–95%)",
            "verdict",
            "source",
        )
    )
    body = ""
    for row in rows:
        model = row["model"]
        body += (
            "<tr>"
            f"<td>{html.escape(inputs.side_name(row['side']))}</td>"
            f"<td>{html.escape(row['measure'])}</td>"
            f"<td>{_figure(*row['published'])}</td>"
            f"<td>{html.escape(row['bound'])}</td>"
            f"<td>{model['median']:,.0f} ({model['q05']:,.0f}–{model['q95']:,.0f})</td>"
            f"<td>{html.escape(row['verdict'])}</td>"
            f"<td>{html.escape(row['source_title'])}, {html.escape(row['source_date'])}: "
            f"{html.escape(row['says'])}</td>"
            "</tr>"
        )
    window = rows[0]["months"] if rows else 12
    caption = (
        f"Published figures about each side's men per month beside the model's mean over its "
        f"first {window:.0f} months. A floor (a count known to undercount) should lie at or "
        "below the model's median, a ceiling (a count known to overcount) at or above it, an "
        "estimate within the model's 5–95% band. Sources: as listed; the model."
    )
    body = (
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
    return Section("published", title, body)
