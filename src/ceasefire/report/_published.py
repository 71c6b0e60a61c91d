"""The report's section that sets the model beside published figures (a scenario's checks)."""

from __future__ import annotations

from ceasefire.report import _html as h
from ceasefire.report import _reduce as reduce
from ceasefire.report._sections import ReportInputs, Section

__all__ = ["published"]


def _model(model: dict[str, float]) -> str:
    return f"{model['median']:,.0f} ({model['q05']:,.0f}–{model['q95']:,.0f})"


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

    found = published_checks(inputs.ensemble, scenario)
    rows = [
        [
            inputs.side_name(row["side"]),
            row["measure"],
            _figure(*row["published"]),
            row["bound"],
            _model(row["model"]),
            row["verdict"],
            f"{row['source_title']}, {row['source_date']}: {row['says']}",
        ]
        for row in found
    ]
    window = found[0]["months"] if found else 12
    caption = (
        f"Published figures about each side's men per month beside the model's mean over its "
        f"first {window:.0f} months. A floor (a count known to undercount) should lie at or "
        "below the model's median, a ceiling (a count known to overcount) at or above it, an "
        "estimate within the model's 5–95% band. Sources: as listed; the model."
    )
    header = ["side", "per month", "published", "kind", "model (median, 5–95%)", "verdict"]
    body = h.table([*header, "source"], rows, caption)
    return Section("published", title, body)
