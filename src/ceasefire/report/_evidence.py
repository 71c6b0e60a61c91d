"""The report's sections on results of other commands: sensitivity, claims, calibration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ceasefire.report import _figures as figures
from ceasefire.report import _html as h
from ceasefire.report._html import ReportInputs, Section
from ceasefire.report._provenance import describe

if TYPE_CHECKING:
    from ceasefire.scenario import Scenario

__all__ = ["calibration", "claims", "sensitivity"]


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
        return h.missing(
            "sensitivity",
            "What drives the results",
            "no sensitivity analysis was given (run `ceasefire sensitivity` and pass its JSON "
            "with --sensitivity)",
        )
    result = _sensitivity_shape(result)
    factors = list(result.get("factors", []))[: int(result.get("top", 10))]
    if not factors:
        return h.missing("sensitivity", "What drives the results", "the analysis ranks no factor")
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
    return Section("sensitivity", "What drives the results", h.figure(svg, caption))


_CLAIM_COLUMNS = (
    ("number", "#"),
    ("sentence", "claim"),
    ("value", "value"),
    ("unit", "unit"),
    ("counts", "counts"),
    ("side", "side"),
    ("verdict", "against the data"),
    ("against", "compared with"),
    ("note", "note"),
)


_PERIODS = {"per_month": "a month", "per_day": "a day", "per_year": "a year"}


def _claims_shape(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Read ``ceasefire claims --json``: each claim with the verdicts of the checks it is in.

    Claims are numbered from 1, as the checks table refers to them; a sentence that holds
    several claims is printed once, and its other claims say "same sentence as #n".
    """
    items = []
    checks = list(result.get("checks", []))
    first_of: dict[str, int] = {}
    for index, claim in enumerate(result.get("claims", [])):
        number = index + 1
        sentence = str(claim.get("sentence") or "")
        if sentence in first_of:
            shown = f"(same sentence as #{first_of[sentence]})"
        else:
            first_of[sentence] = number
            shown = sentence
        if "value" in claim or "low" not in claim:
            items.append({"number": number, **dict(claim), "sentence": shown})
            continue
        low, high = claim.get("low"), claim.get("high")
        verdicts = [
            f"{check.get('name', 'check')}: {check.get('verdict', '')}"
            for check in checks
            if index in check.get("claims", [])
        ]
        period = claim.get("period")
        unit = " ".join(
            str(x)
            for x in (
                claim.get("unit"),
                None if period in (None, "cumulative") else _PERIODS.get(str(period), period),
            )
            if x
        )
        items.append(
            {
                "number": number,
                "sentence": shown,
                "value": low if low == high else [low, high],
                "unit": (unit + " (cumulative)") if period == "cumulative" else unit,
                "counts": claim.get("counts") or "–",
                "side": claim.get("entity") or "–",
                "verdict": "; ".join(verdicts) or "not checked",
            }
        )
    return items


def claims(inputs: ReportInputs) -> Section:
    """List the article's claims against the data."""
    result = inputs.claims
    if result is None or not result.get("claims"):
        return h.missing(
            "claims",
            "The article's claims against the data",
            "no claims check was given (run `ceasefire claims` and pass its JSON with --claims)",
        )
    items = _claims_shape(result)
    columns = [(k, label) for k, label in _CLAIM_COLUMNS if any(k in c for c in items)]
    rows = [[h.cell(c.get(k, "")) for k, _ in columns] for c in items]
    source = result.get("title") or result.get("article") or result.get("source") or "the article"
    body = h.table([label for _, label in columns], rows, f"Claims of {source}.")
    checks = list(result.get("checks", []))
    if checks:
        body += h.table(
            ["check", "claims", "arithmetic", "verdict"],
            [
                [
                    str(c.get("name", "")),
                    ", ".join(f"#{int(i) + 1}" for i in c.get("claims", [])) or "–",
                    str(c.get("arithmetic", "")),
                    str(c.get("verdict", "")),
                ]
                for c in checks
            ],
            "Consistency checks: each states its arithmetic. Source: ceasefire claims.",
        )
    return Section("claims", "The article's claims against the data", body)


def _calibration_shape(
    result: Mapping[str, Any], scenario: Scenario | None = None
) -> Mapping[str, Any]:
    """Read ``ceasefire calibrate --json``: posterior quantiles per parameter path.

    The prior of each parameter is the scenario's distribution, described in words, when
    the scenario is known.
    """
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
                "prior": _prior(scenario, name),
                "unit": _unit(scenario, name),
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
        result = _calibration_shape(result, inputs.scenario)
    if result is None or not result.get("parameters"):
        return h.missing(
            "calibration",
            "Calibration",
            "no calibration was given (run `ceasefire calibrate` and pass its JSON with "
            "--calibration)",
        )
    rows = [
        [p.get("name", ""), h.cell(p.get("prior", "")), h.band(p.get("posterior"), p.get("unit"))]
        for p in result["parameters"]
    ]
    caption = f"Method: {result.get('method', 'not stated')}; data: {result.get('data', '–')}."
    return Section(
        "calibration",
        "Calibration",
        h.table(["parameter", "prior", "posterior median (5% to 95%)"], rows, caption),
    )


def _param_at(scenario: Scenario | None, path: str) -> Any:
    if scenario is None:
        return None
    from ceasefire.scenario import iter_params

    for where, param in iter_params(scenario):
        if ".".join(str(p) for p in where) == path:
            return param
    return None


def _prior(scenario: Scenario | None, path: str) -> str:
    param = _param_at(scenario, path)
    if param is None:
        return "not known (the scenario was not given)"
    return describe(param)


def _unit(scenario: Scenario | None, path: str) -> str | None:
    param = _param_at(scenario, path)
    return None if param is None else param.unit
