"""The report's provenance sections: every parameter with its source, and how it was run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ceasefire.analysis import format_values, unit_words
from ceasefire.report import _html as h
from ceasefire.report._html import ReportInputs, Section

if TYPE_CHECKING:
    from ceasefire.scenario import Scenario

__all__ = ["describe", "method", "parameters"]


def parameters(inputs: ReportInputs) -> Section:
    """Every parameter with its source or assumption."""
    if inputs.scenario is not None:
        return _scenario_parameters(inputs.scenario)
    ds = inputs.ensemble
    rows = [
        [
            str(name),
            var.attrs.get("distribution", ""),
            unit_words(str(var.attrs.get("units", ""))) or "–",
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
        note + h.table(["parameter", "distribution", "unit", "source or assumption"], rows),
    )


def describe(param: Any) -> str:
    """Describe a parameter's value or distribution in words, with its unit."""
    dist = param.dist
    unit = unit_words(param.unit)
    tail = f" {unit}" if unit else ""
    if dist == "fixed":
        return f"{format_values([param.value], 6)[0]}{tail}"
    if dist == "uniform":
        low, high = format_values([param.low, param.high], 6)
        return f"uniform {low} to {high}{tail}"
    if dist in ("triangular", "pert"):
        low, mode, high = format_values([param.low, param.mode, param.high], 6)
        return f"{dist} {low} / {mode} / {high}{tail}"
    if dist == "normal":
        mean, sd = format_values([param.mean, param.sd], 6)
        return f"normal mean {mean}, sd {sd}{tail}"
    if dist == "lognormal":
        median = format_values([param.median], 6)[0]
        return f"lognormal median {median}{tail}, σ {param.sigma:.3g}"
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
            [
                ".".join(str(p) for p in path),
                describe(param),
                unit_words(param.unit) or "–",
                provenance,
            ]
        )
    caption = (
        f"{len(rows)} parameters: {sourced} from a source, {len(rows) - sourced} assumptions "
        f"(labelled as such). Scenario {scenario.name}."
    )
    return Section(
        "parameters",
        "Every parameter and where it comes from",
        h.table(
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
    for key, label in (("whatifs", "what-ifs"), ("overrides", "--set"), ("posterior", "posterior")):
        value = str(attrs.get(key, "") or "")
        if value not in ("", "[]", "null"):
            rows.append([label, value])
    if inputs.window is not None:
        rows.append(
            ["deal window", f"{inputs.window['draws']:,} draws, seed {inputs.window['seed']}"]
        )
    for note in inputs.extra_notes:
        rows.append(["note", note])
    return Section("method", "How it was computed", h.table(["", ""], rows))
