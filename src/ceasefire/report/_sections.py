"""The report's sections: each one shows its data when it is there and says so when it is not.

A section is a function ``(ReportInputs) -> Section``. Sections whose data comes from other
commands (sensitivity, claims, calibration, the deal window) take it from
:class:`ReportInputs`; when it is absent the section stays in the report with a plain
sentence saying what is missing and how to add it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ceasefire.analysis import probability_words
from ceasefire.report import _discover
from ceasefire.report import _figures as figures
from ceasefire.report import _reduce as reduce
from ceasefire.report._deal import calculus

if TYPE_CHECKING:
    import xarray as xr

    from ceasefire.scenario import Scenario

__all__ = ["SECTIONS", "ReportInputs", "Section"]


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report may show; only the ensemble is required.

    ``window`` is the result of :func:`ceasefire.bargaining.deal_window`; ``sensitivity``,
    ``claims`` and ``calibration`` are the JSON-ready results of those analyses (shapes in
    the README of the report).
    """

    ensemble: xr.Dataset
    summary: Mapping[str, Any]
    scenario: Scenario | None = None
    window: Mapping[str, Any] | None = None
    window_note: str = "the deal window was not computed (pass the scenario and --window-draws)"
    sensitivity: Mapping[str, Any] | None = None
    claims: Mapping[str, Any] | None = None
    calibration: Mapping[str, Any] | None = None
    discovery: Mapping[str, Any] | None = None
    extra_notes: Sequence[str] = field(default_factory=tuple)

    def side_name(self, side: str) -> str:
        """Return the side's name in words (from the scenario when known)."""
        if self.scenario is not None and side in self.scenario.sides:
            return self.scenario.sides[side].name
        return side.replace("_", " ").capitalize()

    @property
    def sides(self) -> list[str]:
        """The side ids, in the ensemble's order."""
        return [str(s) for s in self.ensemble["side"].values]


@dataclass(frozen=True)
class Section:
    """One section of the report: an anchor, a heading, and its HTML body."""

    anchor: str
    title: str
    body: str
    available: bool = True


def _e(text: Any) -> str:
    return html.escape(str(text))


def _missing(anchor: str, title: str, why: str) -> Section:
    return Section(anchor, title, f'<p class="missing">Not available: {_e(why)}.</p>', False)


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _band(entry: Mapping[str, Any] | None, unit: str = "") -> str:
    if not entry or entry.get("p50") is None:
        return "–"
    fmt = "{:,.0f}" if abs(entry["p50"]) >= 100 else "{:.2f}"
    low = "–" if entry.get("p05") is None else fmt.format(entry["p05"])
    high = "–" if entry.get("p95") is None else fmt.format(entry["p95"])
    return f"{fmt.format(entry['p50'])}{unit} ({low} to {high})"


def _words(p: float) -> str:
    return f"{probability_words(p)} ({p:.0%})"


# --- sections ---------------------------------------------------------------------------


def headline(inputs: ReportInputs) -> Section:
    """Ask the question and give the headline answer in plain words."""
    summary = inputs.summary
    horizon = summary["horizon_months"]
    names = [inputs.side_name(s) for s in inputs.sides]
    question = (
        f"Over the {horizon:g} months from {summary['start']}, does either side's deployed force "
        f"fall below what it needs to hold the line (a manpower crisis)? Which side needs a deal "
        f"more, and when would a deal both sides prefer to fighting on exist?"
    )
    answers: list[str] = []
    for side in inputs.sides:
        entry = summary["sides"][side]
        crisis = entry.get("p_crisis")
        active = entry.get("active_final")
        start = entry.get("active_initial")
        if start and active and start.get("p50") and active.get("p50") is not None:
            change = active["p50"] / start["p50"] - 1.0
            answers.append(
                f"{inputs.side_name(side)}'s active force goes from {start['p50']:,.0f} to "
                f"{active['p50']:,.0f} men in the median draw ({change:+.0%})."
            )
        if crisis:
            last = max(crisis, key=float)
            p = crisis[last]["probability"]
            low, high = crisis[last]["ci95"]
            answers.append(
                f"A manpower crisis for {inputs.side_name(side)} within {last} months is "
                f"{_words(p)}; Monte-Carlo 95% interval {low:.1%}–{high:.1%}."
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
            f"in {p_open:.0%} of draws ({probability_words(p_open)}). "
            f"{inputs.side_name(more['side'])} needs the deal more: its cost of delay is the "
            f"higher in {p_side:.0%} of draws ({probability_words(p_side)})."
        )
    else:
        answers.append(f"Who needs a deal more is not answered here: {inputs.window_note}.")
    body = (
        f'<p class="question"><strong>The question.</strong> {_e(question)}</p>'
        f'<ul class="answer">{"".join(f"<li>{_e(a)}</li>" for a in answers)}</ul>'
        f'<p class="note">Probabilities are worded on the UK Defence Intelligence yardstick '
        f"(remote chance &lt;5%, highly unlikely 10–20%, unlikely 25–35%, realistic possibility "
        f"40–50%, likely 55–75%, highly likely 80–90%, almost certain &gt;95%). Sides: "
        f"{_e(', '.join(names))}. {summary['draws']:,} draws.</p>"
    )
    return Section("answer", "The question and the answer", body)


def forces(inputs: ReportInputs) -> Section:
    """Fan charts of active force per side."""
    ds = inputs.ensemble
    if not reduce.has_trajectories(ds):
        return _missing(
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
    return Section("forces", "Active force", _figure(svg, caption))


def _minimum(inputs: ReportInputs, side: str) -> float | None:
    sampled = reduce.parameter_median(inputs.ensemble, f"sides.{side}.required_minimum_force")
    if sampled is not None:
        return sampled
    if inputs.scenario is not None:
        param = inputs.scenario.sides[side].required_minimum_force
        return None if param is None else param.central()
    return None


def flows(inputs: ReportInputs) -> Section:
    """Casualties per month against recruits per month."""
    ds = inputs.ensemble
    if not reduce.has_trajectories(ds):
        return _missing("flows", "Casualties against recruits", "no trajectories in the ensemble")
    casualties = {s: reduce.monthly_flow(ds, s, ("killed", "wounded_total")) for s in inputs.sides}
    recruits = {s: reduce.monthly_flow(ds, s, ("recruited",)) for s in inputs.sides}
    names = {side: inputs.side_name(side) for side in inputs.sides}
    svg = figures.flows_figure(casualties, recruits, names)
    rows = [
        [
            names[side],
            _band(inputs.summary["sides"][side].get("casualties_per_month")),
            _band(inputs.summary["sides"][side].get("recruits_per_month")),
            _band(inputs.summary["sides"][side].get("loss_to_recruitment")),
        ]
        for side in inputs.sides
    ]
    table = _table(
        ["side", "casualties per month", "recruits per month", "permanent losses per recruit"],
        rows,
        "Horizon averages: median (5% to 95%) over draws. Above 1 permanent loss per recruit, "
        "a side shrinks.",
    )
    caption = (
        "Killed plus wounded per month (solid) and recruits per month (dashed), per side: "
        "median, 25–75% and 5–95% bands over draws. Source: the model."
    )
    return Section("flows", "Casualties against recruits", _figure(svg, caption) + table)


def crisis(inputs: ReportInputs) -> Section:
    """P(manpower crisis) by month."""
    ds = inputs.ensemble
    with_minimum = [
        s for s in str(ds.attrs.get("sides_with_minimum", "")).split(",") if s in inputs.sides
    ]
    if not with_minimum:
        return _missing(
            "crisis", "Manpower crisis", "no side has a required minimum force in the scenario"
        )
    series = {side: reduce.crisis_by_month(ds, side) for side in with_minimum}
    names = {side: inputs.side_name(side) for side in with_minimum}
    svg = figures.crisis_figure(series, names)
    rows = []
    for side in with_minimum:
        for mark, entry in inputs.summary["sides"][side].get("p_crisis", {}).items():
            low, high = entry["ci95"]
            rows.append(
                [
                    names[side],
                    f"{mark}",
                    f"{entry['probability']:.1%}",
                    entry["words"],
                    f"{low:.1%}–{high:.1%}",
                ]
            )
    table = _table(
        ["side", "within months", "probability", "in words", "Monte-Carlo 95% interval"], rows
    )
    caption = (
        "Share of draws in which the side's active force has fallen below its required minimum "
        "by each month (cumulative). The required minimum is an assumption of the scenario; "
        "see the parameters below. Source: the model."
    )
    return Section("crisis", "Manpower crisis by month", _figure(svg, caption) + table)


def territory(inputs: ReportInputs) -> Section:
    """Show the front: the area held by its holder, by month."""
    ds = inputs.ensemble
    if "front" not in ds:
        return _missing("territory", "Territory", "the scenario has no front, or no trajectories")
    holder = inputs.scenario.front.holder if inputs.scenario and inputs.scenario.front else None
    contested = (
        inputs.scenario.front.contested_area.central()
        if inputs.scenario and inputs.scenario.front
        else reduce.parameter_median(ds, "front.contested_area")
    )
    holder_name = inputs.side_name(holder) if holder else "the front's holder"
    svg = figures.front_figure(reduce.front_bands(ds), holder_name, contested)
    rows = [
        [inputs.side_name(s), _band(inputs.summary["sides"][s].get("territory_change"))]
        for s in inputs.sides
        if "territory_change" in inputs.summary["sides"][s]
    ]
    table = _table(["side", "territory change at the horizon, km²"], rows)
    caption = (
        f"Area held by {holder_name} (km²): median, 25–75% and 5–95% bands. The front moves "
        "with the ratio of effective strengths (a stylised law whose speed and stall ratio "
        "are assumptions). Source: the model."
    )
    return Section("territory", "Territory", _figure(svg, caption) + table)


def deal(inputs: ReportInputs) -> Section:
    """Show the deal window by month, the terms, and the proposed deal's support."""
    window = inputs.window
    if window is None:
        return _missing("deal", "The deal window", inputs.window_note)
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
            rows.append(
                [f"{label}: {issue}"]
                + [
                    "–" if by_month[i]["p50"] is None else f"{by_month[i]['p50']:.2f}"
                    for i in shown
                ]
            )
    table = _table(
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
            f"{opening['p05']:g}–{opening['p95']:g}); it never opens in "
            f"{opening['p_never']:.0%} of draws."
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
    body = _figure(svg, caption) + f"<p>{_e(opened)}</p>" + table
    return Section("deal", "The deal window and the terms", body)


def who_needs(inputs: ReportInputs) -> Section:
    """Who needs the deal more: each side's cost of delay."""
    window = inputs.window
    if window is None:
        return _missing("needs", "Who needs the deal more", inputs.window_note)
    delay = window["cost_of_delay"]
    by_side = {inputs.side_name(s): delay[s]["by_month_median"] for s in window["sides"]}
    svg = figures.delay_figure(window["months"], by_side)
    more = window["needs_deal_more"]
    first = window["sides"][0]
    p_first = more[f"p_{first}_cost_of_delay_higher"]
    p_side = p_first if more["side"] == first else 1.0 - p_first
    rows = [[inputs.side_name(s), _band(delay[s]["average"])] for s in window["sides"]]
    text = (
        f"{inputs.side_name(more['side'])} needs the deal more: its average cost of delay is "
        f"the higher in {p_side:.0%} of draws ({probability_words(p_side)})."
    )
    table = _table(["side", f"average cost of delay, {delay[first]['units']}"], rows)
    caption = (
        "What one more month of fighting costs each side: its casualties of the month over its "
        "resolve, plus the territory it loses times its territory weight (median over draws). "
        "The side whose delay costs more needs the deal more. Source: the model."
    )
    return Section(
        "needs", "Who needs the deal more", f"<p>{_e(text)}</p>" + _figure(svg, caption) + table
    )


def _sensitivity_shape(result: Mapping[str, Any]) -> Mapping[str, Any]:
    """Read ``ceasefire sensitivity --json`` (``SensitivityResult.to_dict``) as the tornado's input.

    The ranked factors carry their indices by name; the tornado shows the ranking index
    (``rank_by``) with its ``*_conf`` half-width as whiskers where the method gives one.
    """
    if "rank_by" not in result:
        return result
    rank_by = str(result["rank_by"])
    factors = []
    for factor in result.get("factors", []):
        value = factor.get(rank_by)
        if value is None:
            continue
        entry: dict[str, Any] = {"name": factor["factor"], "index": float(value)}
        if len(factor.get("parameters", [])) > 1:
            entry["label"] = f"{factor['factor']} ({len(factor['parameters'])} parameters)"
        conf = factor.get(f"{rank_by}_conf")
        if conf is not None:
            entry["low"] = float(value) - float(conf)
            entry["high"] = float(value) + float(conf)
        factors.append(entry)
    return {
        "measure": result.get("output"),
        "method": result.get("method"),
        "index": rank_by,
        "draws": result.get("evaluations"),
        "factors": factors,
        "top": result.get("top", 10),
    }


def sensitivity(inputs: ReportInputs) -> Section:
    """Tornado of the top drivers (global sensitivity)."""
    result = inputs.sensitivity
    if result is None:
        return _missing(
            "sensitivity",
            "What drives the results",
            "no sensitivity analysis was given (run `ceasefire sensitivity` and pass its JSON "
            "with --sensitivity)",
        )
    result = _sensitivity_shape(result)
    factors = list(result.get("factors", []))[: int(result.get("top", 10))]
    if not factors:
        return _missing("sensitivity", "What drives the results", "the analysis ranks no factor")
    measure = str(result.get("measure", "the headline measure"))
    index_name = str(result.get("index", "sensitivity index"))
    svg = figures.tornado_figure(factors, measure, index_name)
    method = result.get("method", "global sensitivity analysis")
    draws = result.get("draws")
    caption = (
        f"Top {len(factors)} drivers of {measure} by {index_name} ({method}"
        + (f", {int(draws):,} model runs" if draws else "")
        + "); whiskers: confidence intervals where the analysis gives them. Source: the model."
    )
    return Section("sensitivity", "What drives the results", _figure(svg, caption))


_CLAIM_COLUMNS = (
    ("sentence", "claim"),
    ("value", "value"),
    ("unit", "unit"),
    ("counts", "counts"),
    ("side", "side"),
    ("verdict", "against the data"),
    ("against", "compared with"),
    ("note", "note"),
)


def _claims_shape(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Read ``ceasefire claims --json``: each claim with the verdicts of the checks it is in."""
    items = []
    checks = list(result.get("checks", []))
    for index, claim in enumerate(result.get("claims", [])):
        if "value" in claim or "low" not in claim:
            items.append(dict(claim))
            continue
        low, high = claim.get("low"), claim.get("high")
        verdicts = [
            f"{check.get('name', 'check')}: {check.get('verdict', '')}"
            for check in checks
            if index in check.get("claims", [])
        ]
        items.append(
            {
                "sentence": claim.get("sentence", ""),
                "value": low if low == high else [low, high],
                "unit": " ".join(str(x) for x in (claim.get("unit"), claim.get("period")) if x),
                "counts": claim.get("counts", ""),
                "side": claim.get("entity", ""),
                "verdict": "; ".join(verdicts) or "not checked",
            }
        )
    return items


def claims(inputs: ReportInputs) -> Section:
    """List the article's claims against the data."""
    result = inputs.claims
    if result is None or not result.get("claims"):
        return _missing(
            "claims",
            "The article's claims against the data",
            "no claims check was given (run `ceasefire claims` and pass its JSON with --claims)",
        )
    items = _claims_shape(result)
    columns = [(k, label) for k, label in _CLAIM_COLUMNS if any(k in c for c in items)]
    rows = [[_cell(c.get(k, "")) for k, _ in columns] for c in items]
    source = result.get("title") or result.get("article") or result.get("source") or "the article"
    body = _table([label for _, label in columns], rows, f"Claims of {source}.")
    checks = list(result.get("checks", []))
    if checks:
        body += _table(
            ["check", "arithmetic", "verdict"],
            [
                [str(c.get("name", "")), str(c.get("arithmetic", "")), str(c.get("verdict", ""))]
                for c in checks
            ],
            "Consistency checks: each states its arithmetic. Source: ceasefire claims.",
        )
    return Section("claims", "The article's claims against the data", body)


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " to ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


def _calibration_shape(result: Mapping[str, Any]) -> Mapping[str, Any]:
    """Read ``ceasefire calibrate --json``: posterior quantiles per parameter path."""
    if "parameters" in result or "posterior" not in result:
        return result
    diagnostics = []
    if result.get("max_rhat") is not None:
        diagnostics.append(f"max R-hat {float(result['max_rhat']):.3f}")
    if result.get("min_ess_bulk") is not None:
        diagnostics.append(f"min bulk ESS {float(result['min_ess_bulk']):,.0f}")
    window = f"{result.get('window_start', '?')} to {result.get('until', '?')}"
    return {
        "method": "tempered SMC (ceasefire calibrate)"
        + (f"; {', '.join(diagnostics)}" if diagnostics else ""),
        "data": f"{', '.join(result.get('ppc', {})) or 'observed series'}, {window}",
        "parameters": [
            {
                "name": name,
                "prior": "the scenario's (see the parameters section)",
                "posterior": {
                    "p05": quantiles.get("0.05"),
                    "p50": quantiles.get("0.5"),
                    "p95": quantiles.get("0.95"),
                },
            }
            for name, quantiles in result["posterior"].items()
        ],
    }


def calibration(inputs: ReportInputs) -> Section:
    """Calibration against observed data."""
    result = inputs.calibration
    if result is not None:
        result = _calibration_shape(result)
    if result is None or not result.get("parameters"):
        return _missing(
            "calibration",
            "Calibration",
            "no calibration was given (run `ceasefire calibrate` and pass its JSON with "
            "--calibration)",
        )
    rows = [
        [p.get("name", ""), _cell(p.get("prior", "")), _band(p.get("posterior"))]
        for p in result["parameters"]
    ]
    caption = f"Method: {result.get('method', 'not stated')}; data: {result.get('data', '–')}."
    return Section(
        "calibration",
        "Calibration",
        _table(["parameter", "prior", "posterior median (5% to 95%)"], rows, caption),
    )


def parameters(inputs: ReportInputs) -> Section:
    """Every parameter with its source or assumption."""
    if inputs.scenario is not None:
        return _scenario_parameters(inputs.scenario)
    ds = inputs.ensemble
    rows = [
        [
            str(name),
            var.attrs.get("distribution", ""),
            var.attrs.get("units", ""),
            var.attrs.get("provenance", ""),
        ]
        for name, var in ds.data_vars.items()
        if var.dims == ("draw",) and "provenance" in var.attrs
    ]
    note = (
        '<p class="missing">The scenario that made this ensemble is not known, so only its '
        "sampled parameters (stored in the ensemble) are listed; fixed ones are not.</p>"
    )
    return Section(
        "parameters",
        "Every parameter and where it comes from",
        note + _table(["parameter", "distribution", "unit", "source or assumption"], rows),
    )


def _describe(param: Any) -> str:
    dist = param.dist
    if dist == "fixed":
        return f"{param.value:,.6g}"
    if dist == "uniform":
        return f"uniform {param.low:,.6g} to {param.high:,.6g}"
    if dist in ("triangular", "pert"):
        return f"{dist} {param.low:,.6g} / {param.mode:,.6g} / {param.high:,.6g}"
    if dist == "normal":
        return f"normal mean {param.mean:,.6g}, sd {param.sd:,.6g}"
    if dist == "lognormal":
        return f"lognormal median {param.median:,.6g}, σ {param.sigma:,.6g}"
    return str(dist)


def _scenario_parameters(scenario: Scenario) -> Section:
    from ceasefire.scenario import Source, iter_params

    rows = []
    sourced = 0
    for path, param in iter_params(scenario):
        if param.source is None:
            provenance = f"assumption: {param.assumption}"
        else:
            sourced += 1
            source = param.source
            if isinstance(source, str):
                source = scenario.sources[source]
            assert isinstance(source, Source)
            says = param.says or source.says
            provenance = f"source: {source.title} ({source.publisher}, {source.date}): {says}"
        rows.append(
            [".".join(str(p) for p in path), _describe(param), param.unit or "–", provenance]
        )
    caption = (
        f"{len(rows)} parameters: {sourced} from a source, {len(rows) - sourced} assumptions "
        f"(labelled as such). Scenario {scenario.name}."
    )
    return Section(
        "parameters",
        "Every parameter and where it comes from",
        _table(
            ["parameter", "value or distribution", "unit", "source or assumption"], rows, caption
        ),
    )


def method(inputs: ReportInputs) -> Section:
    """How it was computed: seed, draws, version, scenario hash."""
    attrs = inputs.ensemble.attrs
    rows = [
        ["scenario", attrs.get("scenario", "")],
        ["scenario sha256", attrs.get("scenario_sha256", "")],
        ["ceasefire version", attrs.get("ceasefire_version", "")],
        ["seed", attrs.get("seed", "")],
        ["draws", f"{int(attrs.get('draws', inputs.ensemble.sizes['draw'])):,}"],
        ["sampler", attrs.get("sampler", "")],
        ["integration", f"{attrs.get('method', '')}, step {attrs.get('step_days', '')} days"],
        ["start, horizon", f"{attrs.get('start', '')}, {attrs.get('horizon_months', 0):g} months"],
        ["information cutoff", attrs.get("information_cutoff", "") or "none"],
        ["kept", attrs.get("save", "")],
    ]
    if inputs.window is not None:
        rows.append(
            ["deal window", f"{inputs.window['draws']:,} draws, seed {inputs.window['seed']}"]
        )
    for note in inputs.extra_notes:
        rows.append(["note", note])
    return Section("method", "How it was computed", _table(["", ""], rows))


SECTIONS: tuple[Callable[[ReportInputs], Section], ...] = (
    headline,
    forces,
    flows,
    crisis,
    territory,
    deal,
    calculus,
    who_needs,
    sensitivity,
    _discover.discovery,
    claims,
    calibration,
    parameters,
    method,
)
"""The report's sections, in order."""
