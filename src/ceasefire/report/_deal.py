"""The report's sections on the deal: the window by month, the terms, who needs it more."""

from __future__ import annotations

from collections.abc import Sequence

from ceasefire.analysis import format_probability
from ceasefire.report import _figures as figures
from ceasefire.report import _html as h
from ceasefire.report._html import ReportInputs, Section

__all__ = ["deal", "who_needs"]


def deal(inputs: ReportInputs) -> Section:
    """Show the deal window by month, the terms, and the proposed deal's support."""
    window = inputs.window
    if window is None:
        return h.missing("deal", "The deal window", inputs.window_note)
    months = window["months"]
    series: dict[str, Sequence[float]] = {}
    proposal = window.get("deal")
    if proposal is not None:
        label = proposal.get("name", "the proposed deal")
        for side in window["sides"]:
            series[f"{inputs.side_name(side)} prefers {label}"] = proposal[side]
    svg = figures.deal_window_figure(months, window["p_window_open"], series)
    shown = sorted({0, *range(6, len(months), 6), len(months) - 1})
    rows = []
    for solution, label in (("nash", "Nash"), ("kalai_smorodinsky", "Kalai–Smorodinsky")):
        for issue, by_month in window["terms"][solution].items():
            rows.append([f"{label}: {issue}", *h.format_row([by_month[i]["p50"] for i in shown])])
    table = h.table(
        ["terms (median over draws with a deal)"] + [f"month {months[i]:g}" for i in shown],
        rows,
        f"Each issue's outcome is {inputs.side_name(window['share_of'])}'s share of it.",
    )
    opening = window["opening_month"]
    if opening["p_never"] >= 1.0:
        opened = "The window does not open within the horizon in any draw."
    else:
        opened = (
            f"The window opens at month {opening['p50']:g} in the median draw (5–95%: "
            f"{opening['p05']:g}–{opening['p95']:g})"
        )
        opened += (
            f"; it does not open within the horizon in {format_probability(opening['p_never'])} "
            "of draws."
            if opening["p_never"] > 0
            else "; it opens within the horizon in every draw."
        )
    beliefs = window.get("beliefs")
    belief_text = (
        " Beliefs: " + ", ".join(f"{inputs.side_name(s)} {b}" for s, b in beliefs.items()) + "."
        if beliefs
        else ""
    )
    caption = (
        f"Share of draws in which a deal both sides prefer to fighting on exists, by decision "
        f"month ({window['draws']:,} draws, seed {window['seed']}).{belief_text} The sides' "
        "resolve and issue weights are assumptions of the scenario. Source: the model and "
        "the bargaining coupling."
    )
    body = h.figure(svg, caption) + f"<p>{h.escape(opened)}</p>" + table
    return Section("deal", "The deal window and the terms", body)


def who_needs(inputs: ReportInputs) -> Section:
    """Who needs the deal more: each side's cost of delay."""
    window = inputs.window
    if window is None:
        return h.missing("needs", "Who needs the deal more", inputs.window_note)
    delay = window["cost_of_delay"]
    by_side = {inputs.side_name(s): delay[s]["by_month_median"] for s in window["sides"]}
    svg = figures.delay_figure(window["months"], by_side)
    from ceasefire.bargaining import needs_more

    more = needs_more(window)
    first = window["sides"][0]
    # One precision for both sides' bands, so different costs never print alike.
    averages = [delay[s]["average"] for s in window["sides"]]
    shown = h.format_row([a.get(k) for a in averages for k in ("p50", "p05", "p95")])
    rows = [
        [inputs.side_name(s), f"{shown[3 * i]} ({shown[3 * i + 1]} to {shown[3 * i + 2]})"]
        for i, s in enumerate(window["sides"])
    ]
    text = (
        f"{inputs.side_name(more.side)} needs the deal more: its average cost of delay is "
        f"the higher in {format_probability(more.probability)} of draws."
    )
    if more.decides is not None:
        text += f" {more.decides.capitalize()} decides it (share of the difference: {more.shares})."
    table = h.table(
        ["side", f"average cost of delay, {delay[first]['units']}"],
        rows,
        "Median (5% to 95%) over draws.",
    )
    caption = (
        "What one more month of fighting costs each side: its casualties of the month over its "
        "resolve, plus the territory it loses times its territory weight, plus (with the "
        "scenario's costs) its money per month at its own price of a casualty and the political "
        "weight of its dead, each over its resolve (median over draws). "
        "The side whose delay costs more needs the deal more. Source: the model."
    )
    return Section(
        "needs",
        "Who needs the deal more",
        f"<p>{h.escape(text)}</p>" + h.figure(svg, caption) + table,
    )
