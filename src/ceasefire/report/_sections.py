"""The report's sections: each one shows its data when it is there and says so when it is not.

A section is a function ``(ReportInputs) -> Section``. This module holds the sections about
the simulated war (the question, forces, flows, crisis, territory) and the order of all of
them; the deal window is in :mod:`._deal`, the results of other commands (sensitivity,
claims, calibration) in :mod:`._evidence`, provenance in :mod:`._provenance`. Sections whose
data comes from other commands take it from :class:`ReportInputs`; when it is absent the
section stays in the report with a plain sentence saying what is missing and how to add it.
"""

from __future__ import annotations

from collections.abc import Callable

from ceasefire.analysis import format_probability, probability_words, yardstick_legend
from ceasefire.ensemble import MEASURES, Measure
from ceasefire.report import _discover
from ceasefire.report import _figures as figures
from ceasefire.report import _html as h
from ceasefire.report import _reduce as reduce
from ceasefire.report._calculus import calculus
from ceasefire.report._costs import costs
from ceasefire.report._deal import deal, who_needs
from ceasefire.report._evidence import calibration, claims, sensitivity
from ceasefire.report._html import ReportInputs, Section
from ceasefire.report._provenance import method, parameters

__all__ = ["SECTIONS", "ReportInputs", "Section"]


def headline(inputs: ReportInputs) -> Section:
    """Ask the question and give the headline answer in plain words."""
    summary = inputs.summary
    horizon = summary.horizon_months
    names = [inputs.side_name(s) for s in inputs.sides]
    question = (
        f"Over the {horizon:g} months from {summary.start}, does either side's deployed force "
        f"fall below what it needs to hold the line (a manpower crisis)? Which side needs a deal "
        f"more, and when would a deal both sides prefer to fighting on exist?"
    )
    answers: list[str] = []
    for side in inputs.sides:
        entry = summary.sides[side]
        crisis = entry.p_crisis
        active = entry.bands.get("active_final")
        start = entry.bands.get("active_initial")
        if start and active and start.p50 and active.p50 is not None:
            change = active.p50 / start.p50 - 1.0
            answers.append(
                f"{inputs.side_name(side)}'s active force goes from {start.p50:,.0f} to "
                f"{active.p50:,.0f} men in the median draw ({change:+.0%})."
            )
        if crisis:
            last = max(crisis)
            p = crisis[last].probability
            low, high = crisis[last].ci95
            answers.append(
                f"A manpower crisis for {inputs.side_name(side)} within {last} months: "
                f"{format_probability(p)}; Monte-Carlo 95% interval {low:.1%}–{high:.1%}."
            )
        gained = entry.bands.get("territory_change")
        if gained and gained.p50 is not None:
            answers.append(
                f"Territory gained by {inputs.side_name(side)} by the horizon: "
                f"{h.band(gained, 'km2')} (negative: lost; median and 5–95% of draws)."
            )
    window = inputs.window
    if window is not None:
        more = window["needs_deal_more"]
        first = window["sides"][0]
        p_first = more[f"p_{first}_cost_of_delay_higher"]
        p_side = p_first if more["side"] == first else 1.0 - p_first
        p_open = window["p_window_open"][0]
        answers.append(
            f"A deal both sides prefer to fighting on exists at month {window['months'][0]:g} "
            f"in {format_probability(p_open)} of draws. "
            f"{inputs.side_name(more['side'])} needs the deal more: its cost of delay is the "
            f"higher in {format_probability(p_side)} of draws."
        )
    else:
        answers.append(f"Who needs a deal more is not answered here: {inputs.window_note}.")
    body = (
        f'<p class="question"><strong>The question.</strong> {h.escape(question)}</p>'
        f'<ul class="answer">{"".join(f"<li>{h.escape(a)}</li>" for a in answers)}</ul>'
        f'<p class="note">{h.escape(yardstick_legend(sentence=True))}. Sides: '
        f"{h.escape(', '.join(names))}. {summary.draws:,} draws.</p>"
    )
    return Section("answer", "The question and the answer", body)


def forces(inputs: ReportInputs) -> Section:
    """Fan charts of active force per side."""
    ds = inputs.ensemble
    if not reduce.has_trajectories(ds):
        return h.missing(
            "forces",
            "Active force",
            "the ensemble kept no trajectories (run with --save trajectories)",
        )
    bands = {side: reduce.stock_bands(ds, side) for side in inputs.sides}
    minimum = {side: _minimum(inputs, side) for side in inputs.sides}
    names = {side: inputs.side_name(side) for side in inputs.sides}
    svg = figures.fan_figure(bands, names, minimum)
    caption = (
        "Deployed personnel per side, all channels: median line, darker band 25–75% and "
        "lighter band 5–95% of draws. Dotted lines: the median of the required minimum force "
        "(a scenario assumption) below which a side is in a manpower crisis. Source: the model."
    )
    return Section("forces", "Active force", h.figure(svg, caption))


def _minimum(inputs: ReportInputs, side: str) -> float | None:
    """Return the median required minimum force (a share of the starting force where so set)."""
    ds = inputs.ensemble
    sampled = reduce.parameter_median(ds, f"sides.{side}.required_minimum_force")
    if sampled is not None:
        return sampled
    share_path = f"sides.{side}.required_minimum_share"
    if share_path in ds and "active_initial" in ds:
        minimum = ds[share_path] * ds["active_initial"].sel(side=side, drop=True)
        return float(minimum.median())
    if inputs.scenario is not None:
        param = inputs.scenario.sides[side].required_minimum_force
        return None if param is None else param.central()
    return None


# The flow measures of the "Casualties against recruits" table, as the registry defines them.
_FLOW_MEASURES = ("casualties_per_month", "recruits_per_month", "loss_to_recruitment")


def _header(measure: Measure, inputs: ReportInputs) -> str:
    """Return a table header from the measure's label in the registry (its long name if none)."""
    label = measure.label or measure.long_name
    label = label.format(horizon=inputs.summary.horizon_months)
    return label[:1].lower() + label[1:]


def flows(inputs: ReportInputs) -> Section:
    """Casualties per month against recruits per month."""
    ds = inputs.ensemble
    if not reduce.has_trajectories(ds):
        return h.missing("flows", "Casualties against recruits", "no trajectories in the ensemble")
    casualties = {s: reduce.monthly_flow(ds, s, ("killed", "wounded_total")) for s in inputs.sides}
    recruits = {s: reduce.monthly_flow(ds, s, ("recruited",)) for s in inputs.sides}
    names = {side: inputs.side_name(side) for side in inputs.sides}
    svg = figures.flows_figure(casualties, recruits, names)
    shown = [MEASURES[name] for name in _FLOW_MEASURES]
    rows = [
        [names[side], *(h.band(inputs.summary.sides[side].bands.get(m.name)) for m in shown)]
        for side in inputs.sides
    ]
    table = h.table(
        ["side", *(_header(m, inputs) for m in shown)],
        rows,
        "Horizon averages: median (5% to 95%) over draws. Above 1 permanent loss per recruit, "
        "a side shrinks.",
    )
    caption = (
        "Killed plus wounded per month (solid) and recruits per month (dashed), per side: "
        "median, 25–75% and 5–95% bands over draws; both panels share one scale from zero. "
        "Source: the model."
    )
    return Section("flows", "Casualties against recruits", h.figure(svg, caption) + table)


def crisis(inputs: ReportInputs) -> Section:
    """P(manpower crisis) by month."""
    ds = inputs.ensemble
    with_minimum = [
        s for s in str(ds.attrs.get("sides_with_minimum", "")).split(",") if s in inputs.sides
    ]
    if not with_minimum:
        return h.missing(
            "crisis", "Manpower crisis", "no side has a required minimum force in the scenario"
        )
    series = {side: reduce.crisis_by_month(ds, side) for side in with_minimum}
    names = {side: inputs.side_name(side) for side in with_minimum}
    svg = figures.crisis_figure(series, names)
    rows = []
    for side in with_minimum:
        for mark, entry in (inputs.summary.sides[side].p_crisis or {}).items():
            low, high = entry.ci95
            rows.append(
                [
                    names[side],
                    f"{mark}",
                    f"{entry.probability:.1%}",
                    probability_words(entry.probability),
                    f"{low:.1%}–{high:.1%}",
                ]
            )
    table = h.table(
        ["side", "within months", "probability", "in words", "Monte-Carlo 95% interval"],
        rows,
        yardstick_legend(sentence=True) + ".",
    )
    caption = (
        "Share of draws in which the side's active force has fallen below its required minimum "
        "by each month (cumulative); the axis is scaled to the data, as its label says. The "
        "required minimum is an assumption of the scenario; see the parameters below. "
        "Source: the model."
    )
    return Section("crisis", "Manpower crisis by month", h.figure(svg, caption) + table)


def territory(inputs: ReportInputs) -> Section:
    """Show the front: the area held by its holder, by month."""
    ds = inputs.ensemble
    if "front" not in ds:
        return h.missing("territory", "Territory", "the scenario has no front, or no trajectories")
    holder = inputs.scenario.front.holder if inputs.scenario and inputs.scenario.front else None
    contested = (
        inputs.scenario.front.contested_area.central()
        if inputs.scenario and inputs.scenario.front
        else reduce.parameter_median(ds, "front.contested_area")
    )
    holder_name = inputs.side_name(holder) if holder else "the front's holder"
    svg = figures.front_figure(reduce.front_bands(ds), holder_name, contested)
    gained = MEASURES["territory_change"]
    rows = [
        [inputs.side_name(s), h.band(inputs.summary.sides[s].bands.get(gained.name))]
        for s in inputs.sides
        if gained.name in inputs.summary.sides[s].bands
    ]
    table = h.table(
        ["side", _header(gained, inputs)],
        rows,
        "Median (5% to 95%) over draws.",
    )
    caption = (
        f"Area held by {holder_name} (km²): median, 25–75% and 5–95% bands. The front moves "
        "with the ratio of effective strengths (a stylised law whose speed and stall ratio "
        "are assumptions). Source: the model."
    )
    return Section("territory", "Territory", h.figure(svg, caption) + table)


SECTIONS: tuple[Callable[[ReportInputs], Section], ...] = (
    headline,
    forces,
    flows,
    crisis,
    territory,
    deal,
    calculus,
    who_needs,
    costs,
    sensitivity,
    _discover.discovery,
    claims,
    calibration,
    parameters,
    method,
)
"""The report's sections, in order."""
