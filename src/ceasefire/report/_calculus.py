"""The report's deal-calculus section: why no deal, the settlement forecast, the record.

Rendered from :func:`ceasefire.bargaining.deal_calculus`'s result (the report's ``window``);
absent keys (a window computed by the older :func:`~ceasefire.bargaining.deal_window`)
leave the section out with the reason.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ceasefire.analysis import probability_words
from ceasefire.report._style import LINESTYLES, legend_below, new_figure, side_colour, to_svg

if TYPE_CHECKING:
    from ceasefire.report._html import ReportInputs, Section

__all__ = ["calculus", "settlement_figure"]

_MONTHS = (0, 6, 12, 24)


def _e(text: Any) -> str:
    return html.escape(str(text))


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def settlement_figure(
    months: Sequence[float],
    forecast: Sequence[float],
    base_rate: Sequence[float],
    credible: Sequence[float],
) -> str:
    """P(settled by month t), the base rate alone, and P(credible window) by month."""
    figure, axes = new_figure(7.0, 3.4)
    axes.plot(months, forecast, color=side_colour(2), label="P(settled by then): forecast")
    axes.plot(
        months,
        base_rate,
        color=side_colour(3),
        linestyle=LINESTYLES[1],
        label="P(settled by then): base rate alone",
    )
    axes.plot(
        months,
        credible[: len(months)],
        color=side_colour(4),
        linestyle=LINESTYLES[2],
        label="P(a credible deal both prefer exists)",
    )
    axes.set_ylim(-0.02, 1.02)
    axes.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    axes.set_title("Settlement forecast")
    axes.set_xlabel("months after the information cutoff")
    axes.set_ylabel("probability")
    legend_below(axes, ncol=1)
    return to_svg(
        figure,
        title="Settlement forecast",
        description=f"P(settled within {months[-1]:g} months) {forecast[-1]:.0%} against "
        f"{base_rate[-1]:.0%} for the base rate alone.",
    )


def _posterior_rows(preferences: Mapping[str, Any]) -> list[list[str]]:
    rows = []
    for name, bands in preferences["parameters"].items():
        prior, post = bands["prior"], bands["posterior"]
        fmt = "{:,.0f}" if abs(post["p50"]) >= 100 else "{:.2f}"
        rows.append(
            [
                name,
                f"{fmt.format(post['p50'])} ({fmt.format(post['p05'])} to "
                f"{fmt.format(post['p95'])})",
                f"{fmt.format(prior['p05'])} to {fmt.format(prior['p95'])}",
            ]
        )
    return rows


def calculus(inputs: ReportInputs) -> Section:
    """Why no deal yet, the settlement forecast and the recorded offers' verdicts."""
    from ceasefire.report._sections import Section

    window = inputs.window
    if window is None or "settlement" not in window:
        why = inputs.window_note if window is None else "the window has no settlement forecast"
        return Section(
            "calculus",
            "Why no deal yet, and when one is likely",
            f'<p class="missing">Not available: {_e(why)}.</p>',
            False,
        )
    months = window["months"]
    shown = [m for m in _MONTHS if m < len(months)]
    rows = [
        ["a deal both prefer exists", *(f"{window['p_window_open'][i]:.0%}" for i in shown)],
        ["… and it is credible", *(f"{window['credible_window'][i]:.0%}" for i in shown)],
    ]
    for mechanism in ("optimism", "commitment", "indivisibility"):
        rows.append(
            [
                f"closed by {mechanism}",
                *(f"{window['mechanisms'][mechanism][i]:.0%}" for i in shown),
            ]
        )
    if "terms_km2" in window:
        rows.append(
            [
                f"Nash territory for {inputs.side_name(window['share_of'])}, km² (median)",
                *(
                    "–"
                    if window["terms_km2"]["nash"][i]["p50"] is None
                    else f"{window['terms_km2']['nash'][i]['p50']:,.0f}"
                    for i in shown
                ),
            ]
        )
    mechanisms = _table(
        ["share of draws", *(f"month {months[i]:g}" for i in shown)],
        rows,
        "Optimism: open under shared beliefs, closed under each side's own; commitment: a "
        "declining side would rather fight now (Powell 2006); indivisibility: open only if "
        "neutrality could be split.",
    )
    settlement = window["settlement"]
    base = settlement["base_rate"]
    svg = settlement_figure(
        settlement["months"],
        settlement["p_by_month"],
        base["p_by_month"],
        window["credible_window"],
    )
    horizons = [h for h in (6, 13, 24) if h <= len(settlement["months"])]
    words = "; ".join(
        f"within {h} months {settlement['p_by_month'][h - 1]:.0%} "
        f"({probability_words(settlement['p_by_month'][h - 1])}; base rate "
        f"{base['p_by_month'][h - 1]:.0%})"
        for h in horizons
    )
    forecast_text = (
        f"Settlement (fighting stops at war intensity): {words}. The base rate is the monthly "
        f"hazard of the {base['wars_at_risk']} Correlates of War inter-state wars that had "
        f"lasted {base['age_months']:.0f} months, as this one had at the cutoff."
    )
    caption = (
        f"{window['draws']:,} draws, seed {window['seed']}. The hazard is the base rate times "
        f"{settlement['likelihood_ratio']:g}/2 in a month with a credible window and 1/2 "
        "without (an assumption). Sources: the model, the negotiation record and COW v4.0."
    )
    backtest = ""
    if "backtest" in settlement:
        test = settlement["backtest"]
        backtest = _table(
            ["cutoff", "P(window)", "P(settled by 2024-11-30)", "base rate alone", "log scores"],
            [
                [
                    row["cutoff"],
                    f"{row['p_window']:.0%}",
                    f"{row['p_settled_forecast']:.0%}",
                    f"{row['p_settled_base_rate']:.0%}",
                    f"{row['log_score_forecast']:.3f} vs {row['log_score_base_rate']:.3f}",
                ]
                for row in test["cutoffs"]
            ],
            f"Scored on what happened (no settlement): total log score "
            f"{test['log_score_forecast']:.3f} for the forecast, {test['log_score_base_rate']:.3f} "
            f"for the base rate alone. {test['caveat'][:1].upper()}{test['caveat'][1:]}.",
        )
    offers = _table(
        ["date", "offer", "recorded outcome", *(inputs.side_name(s) for s in window["sides"])],
        [
            [
                offer["date"],
                offer["id"],
                offer["recorded_outcome"],
                *(f"{offer['accepts'][s]:.0%}" for s in window["sides"]),
            ]
            for offer in window["offers"]
        ],
        "Probability that each side prefers the offer to fighting on, at the cutoff, under the "
        "revealed preferences and its own beliefs.",
    )
    preferences = window["preferences"]
    posterior = _table(
        ["parameter", "posterior median (5–95%)", "prior 5–95%"],
        _posterior_rows(preferences),
        f"{preferences['method']}; {len(preferences['choices'])} recorded choices, effective "
        f"sample {preferences['effective_sample_size']:g}. {preferences['public_opinion']}.",
    )
    choices = _table(
        ["recorded choice", "date", "posterior probability", "constrains most"],
        [
            [
                choice["choice"],
                choice["date"],
                f"{choice['posterior_probability']:.2f}",
                choice["constrains"] or "nothing (likely under almost every prior draw)",
            ]
            for choice in preferences["choices"]
        ],
        "Each choice of the record under the posterior, and the parameter whose posterior "
        "median moves most when the choice is left out.",
    )
    opinion = _table(
        [
            "poll",
            "share ready for territorial concessions",
            "model: P(prefers a ceasefire on the line)",
        ],
        [
            [
                f"{row['date']} ({row['source']})",
                f"{row['ready_share']:.0%}",
                f"{row['model_p_prefers_ceasefire_on_the_line']:.0%}",
            ]
            for row in preferences.get("public_opinion_check", [])
        ],
        "A check of direction, not a fit: a public's share and a probability about its "
        "government are different quantities, and the polls are not in the likelihood.",
    )
    more = window["needs_deal_more"]
    first = window["sides"][0]
    p_first = more[f"p_{first}_cost_of_delay_higher"]
    p_more = p_first if more["side"] == first else 1.0 - p_first
    needs = (
        f"{inputs.side_name(more['side'])} needs the deal more (its cost of delay is the "
        f"higher) in {p_more:.0%} of draws: {probability_words(p_more)}."
    )
    body = (
        f"<p>{_e(forecast_text)}</p>"
        + f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"
        + mechanisms
        + backtest
        + f"<p>{_e(needs)}</p>"
        + offers
        + posterior
        + choices
        + opinion
    )
    return Section("calculus", "Why no deal yet, and when one is likely", body)
