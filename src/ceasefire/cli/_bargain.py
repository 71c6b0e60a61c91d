"""``ceasefire bargain``: the deal window of a scenario and the closed-form models."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ceasefire._errors import InputError
from ceasefire.cli._app import (
    ScenarioArgument,
    SetOption,
    WithOption,
    _friendly,
    _load,
    with_examples,
)

__all__ = ["bargain_app", "register"]


class _BargainGroup(TyperGroup):
    """Route ``ceasefire bargain [SCENARIO] …`` to ``window``.

    ``models`` and ``solve`` stay subcommands; anything else starts the window command.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["window", *args]
        return super().parse_args(ctx, args)


bargain_app = typer.Typer(
    rich_markup_mode=None,
    cls=_BargainGroup,
    help="The deal window of a scenario (`ceasefire bargain [SCENARIO]`), and the closed-form "
    "models of the literature (`bargain models`, `bargain solve`).",
)


@bargain_app.command("window")
@with_examples(
    "ceasefire bargain window --draws 500",
    "ceasefire bargain --beliefs-a russia-official-recruitment --beliefs-b "
    "ukraine-western-figures --draws 500",
)
@_friendly
def bargain_window(
    scenario: ScenarioArgument = None,
    deal: Annotated[
        str | None,
        typer.Option(
            help="A proposed deal (YAML file or shipped name); default for scenarios with "
            "territory, neutrality and sanctions: current-line-neutrality.",
            show_default=False,
        ),
    ] = None,
    beliefs_a: Annotated[
        str | None,
        typer.Option(
            help="The first side's belief overlay (YAML file or shipped name).", show_default=False
        ),
    ] = None,
    beliefs_b: Annotated[
        str | None,
        typer.Option(help="The second side's belief overlay.", show_default=False),
    ] = None,
    offers: Annotated[
        str,
        typer.Option(
            help="The recorded offers that reveal the preferences (YAML file or shipped name)."
        ),
    ] = "recorded-offers",
    wars: Annotated[
        str | None,
        typer.Option(
            help="The COW Inter-StateWarData_v4.0.csv for the base rate; default: the derived "
            "table shipped with ceasefire.",
            show_default=False,
        ),
    ] = None,
    shared_beliefs: Annotated[
        bool,
        typer.Option(
            "--shared-beliefs",
            help="Both sides hold the scenario's beliefs (default: each side's own claims "
            "and the optimism its refusals reveal).",
        ),
    ] = False,
    draws: Annotated[int, typer.Option("--draws", "-n", min=1, help="Ensemble size.")] = 1000,
    seed: Annotated[int, typer.Option(min=0, help="Root seed.")] = 0,
    overrides: SetOption = None,
    whatifs: WithOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """When a deal both sides prefer exists, why none was made, and when one is likely.

    Preferences are revealed by the recorded offers; the window, its credible part and the
    mechanisms that close it come from the simulated paths under each side's own beliefs; the
    settlement forecast combines them with the Correlates of War base rate.
    """
    from ceasefire.scenario import load_deal, load_overlay

    loaded = _load(scenario, overrides, whatifs)
    if loaded.bargaining is None:
        raise InputError(
            "the scenario has no `bargaining:` section (resolve and issues)", where=loaded.name
        )
    kinds = {name: issue.kind for name, issue in loaded.bargaining.issues.items()}
    if deal is None and set(kinds) == {"territory", "neutrality", "sanctions"}:
        deal = "current-line-neutrality"
    proposal = load_deal(deal, kinds) if deal is not None else None
    from ceasefire.bargaining import claimed_beliefs, deal_calculus

    overlay_a = load_overlay(beliefs_a) if beliefs_a is not None else None
    overlay_b = load_overlay(beliefs_b) if beliefs_b is not None else None
    for overlay in (overlay_a, overlay_b):
        if overlay is not None:
            _check_overlay(loaded, overlay)
    side_a, side_b = loaded.side_ids
    claimed_a, claimed_b, labels = (
        ([], [], {side_a: "the scenario's", side_b: "the scenario's"})
        if shared_beliefs
        else claimed_beliefs(loaded)
    )
    record = _record(loaded, offers, kinds)
    if record is None:
        # The shipped record is the default scenario's: another scenario without its own
        # record keeps the plain window, with the scenario's assumed preferences.
        from ceasefire.bargaining import deal_window

        result = deal_window(
            loaded,
            draws=draws,
            seed=seed,
            beliefs_a=None if overlay_a is None else overlay_a.overrides,
            beliefs_b=None if overlay_b is None else overlay_b.overrides,
            deal=None if proposal is None else proposal.issues,
        )
        labels = {side_a: "the scenario's", side_b: "the scenario's"}
        result["note"] = (
            "no record of offers fits this scenario (give --offers FILE): the window uses the "
            "scenario's assumed resolve and issue weights, and has no settlement forecast"
        )
    else:
        result = deal_calculus(
            loaded,
            draws=draws,
            seed=seed,
            beliefs_a=list(overlay_a.overrides) if overlay_a else claimed_a,
            beliefs_b=list(overlay_b.overrides) if overlay_b else claimed_b,
            deal=None if proposal is None else proposal.issues,
            offers=record,
            wars=wars,
            revealed_optimism=not shared_beliefs,
        )
    result["beliefs"] = {
        side_a: overlay_a.name if overlay_a else labels[side_a],
        side_b: overlay_b.name if overlay_b else labels[side_b],
    }
    if proposal is not None:
        result["deal"]["name"] = proposal.name
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    _print_window(result)


def _record(scenario: Any, offers: str, kinds: dict[str, str]) -> Any:
    """Load the offer record; ``None`` when the shipped default does not fit the scenario.

    A record the user names must fit: its mistakes are the user's, so they are errors.
    """
    from ceasefire.bargaining import load_offers

    if scenario.front is None or scenario.information_cutoff is None:
        if offers != "recorded-offers":
            raise InputError(
                "the deal calculus needs `front:` and `information_cutoff:`", where=scenario.name
            )
        return None
    try:
        return load_offers(
            offers,
            sides=scenario.side_ids,
            kinds=kinds,
            contested_area_km2=scenario.front.contested_area.central(),
            cutoff=scenario.information_cutoff,
        )
    except InputError:
        if offers != "recorded-offers":
            raise
        return None


def _check_overlay(scenario: Any, overlay: Any) -> None:
    """Apply a belief overlay once before any run, so that its mistakes name its file."""
    from ceasefire._errors import ScenarioError
    from ceasefire.scenario import load_scenario

    try:
        load_scenario(scenario, overrides=overlay.overrides)
    except ScenarioError as error:
        raise ScenarioError(error.message, where=overlay.path, field=error.field) from None


def _km2(value: float | None) -> str:
    """Thousands of km², so that the column stays narrow."""
    return "–" if value is None else f"{value / 1000:,.1f}"


def _print_calculus(result: dict[str, Any]) -> None:
    """Print the revealed preferences, the offers' verdicts and the settlement forecast in words."""
    from ceasefire.analysis import probability_words

    prefs = result["preferences"]
    typer.echo(
        f"Preferences revealed by {len(prefs['choices'])} recorded choices "
        f"({prefs['method']}; effective sample {prefs['effective_sample_size']:g}):"
    )
    for name, bands in prefs["parameters"].items():
        if name.startswith(("resolve.", "weight.")):
            post = bands["posterior"]
            typer.echo(f"  {name}: {post['p50']:.3g} (5–95%: {post['p05']:.3g}–{post['p95']:.3g})")
    typer.echo("Recorded offers, judged at the cutoff (P(each side prefers it to fighting on)):")
    for offer in result["offers"]:
        accepts = ", ".join(f"{side} {p:.0%}" for side, p in offer["accepts"].items())
        fails = ", ".join(offer["fails"]) or "neither side"
        typer.echo(
            f"  {offer['date']} {offer['id']} ({offer['recorded_outcome']}): {accepts}; "
            f"fails {fails}"
        )
    settlement = result["settlement"]
    base = settlement["base_rate"]
    months = settlement["months"]
    for horizon in (6, 13, 24):
        if horizon <= len(months):
            p = settlement["p_by_month"][horizon - 1]
            typer.echo(
                f"P(settled within {horizon} months) {p:.0%} ({probability_words(p)}); base rate "
                f"alone {base['p_by_month'][horizon - 1]:.0%} ({base['wars_at_risk']} wars at "
                f"risk at {base['age_months']:.0f} months)."
            )
    if "backtest" in settlement:
        test = settlement["backtest"]
        typer.echo(
            f"Log score from {len(test['cutoffs'])} earlier cutoffs: forecast "
            f"{test['log_score_forecast']:.3f}, base rate alone {test['log_score_base_rate']:.3f} "
            "(higher is better; three cutoffs of one war are little evidence)."
        )


def _print_window(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ceasefire.analysis import format_probability

    side_a, side_b = result["sides"]
    months = result["months"]
    shown = sorted({0, *range(6, len(months), 6), len(months) - 1})
    table = Table(
        title=f"Deal window: {result['scenario']}, {result['draws']:,} draws, seed "
        f"{result['seed']}\nbeliefs: {side_a} {result['beliefs'][side_a]}, "
        f"{side_b} {result['beliefs'][side_b]}",
        caption=f"shares are {result['share_of']}'s; terms are medians over draws with a deal",
    )
    table.add_column("decision month", justify="left", no_wrap=True)
    for index in shown:
        table.add_column(f"{months[index]:g}", justify="right")

    def row(label: str, values: list[str]) -> None:
        table.add_row(label, *values)

    row("P(a deal both prefer)", [f"{result['p_window_open'][i]:.0%}" for i in shown])
    if "settlement" in result:
        row("… and credible", [f"{result['credible_window'][i]:.0%}" for i in shown])
        for mechanism in ("optimism", "commitment", "indivisibility"):
            row(
                f"  closed by {mechanism}",
                [f"{result['mechanisms'][mechanism][i]:.0%}" for i in shown],
            )
        settled = result["settlement"]["p_by_month"]
        row("P(settled by the month's end)", [f"{settled[i]:.0%}" for i in shown])
    if "terms_km2" in result:
        row(
            "Nash terms: territory, 1,000 km²",
            [_km2(result["terms_km2"]["nash"][i]["p50"]) for i in shown],
        )
    for solution, label in (("nash", "Nash"), ("kalai_smorodinsky", "KS")):
        for issue, series in result["terms"][solution].items():
            row(
                f"{label} terms: {issue}",
                ["–" if series[i]["p50"] is None else f"{series[i]['p50']:.2f}" for i in shown],
            )
    if "deal" in result:
        deal = result["deal"]
        for side in (side_a, side_b):
            row(f"{side} prefers '{deal['name']}'", [f"{deal[side][i]:.0%}" for i in shown])
        row("both prefer it", [f"{deal['both'][i]:.0%}" for i in shown])
    Console(width=max(110, 40 + 10 * len(shown))).print(table)
    opening = result["opening_month"]
    kind = "A credible window" if "settlement" in result else "The window"
    if opening["p_never"] >= 1.0:
        typer.echo(f"{kind} does not open within the horizon in any draw.")
    else:
        never = (
            f"it does not open within the horizon in {opening['p_never']:.1%} of draws"
            if opening["p_never"] > 0
            else "it opens within the horizon in every draw"
        )
        typer.echo(
            f"{kind} opens at month {opening['p50']:g} (median; 5–95%: {opening['p05']:g}–"
            f"{opening['p95']:g}); {never}."
        )
    from ceasefire.bargaining import needs_more

    delay = result["cost_of_delay"]
    more = needs_more(result)
    if "settlement" in result:
        _print_calculus(result)
    else:
        typer.echo(f"Note: {result['note']}.")
    from ceasefire.analysis import format_values

    cost_a, cost_b = format_values(
        [delay[side_a]["average"]["p50"], delay[side_b]["average"]["p50"]]
    )
    typer.echo(
        f"Cost of delay (utility per month, median): {side_a} {cost_a}, {side_b} {cost_b}. "
        f"{more.side} needs the deal more: its cost of delay is the higher in "
        f"{format_probability(more.probability)} of draws."
    )
    if more.decides is not None:
        typer.echo(
            f"{more.decides.capitalize()} decides it: share of the difference in the cost "
            f"of delay carried by each component: {more.shares} (money and politics over the "
            "resolve at the side's own compensation per casualty: an assumption)."
        )


@bargain_app.command("models")
@with_examples("ceasefire bargain models")
def bargain_models() -> None:
    """List the calculator's models with their parameters."""
    from ceasefire.bargaining import REGISTRY

    for name, model in REGISTRY.items():
        typer.echo(f"{name}: {model.summary}")
        typer.echo(f"    {model.reference}")
        for parameter in model.parameters:
            default = "" if parameter.default is None else f" (default {parameter.default:g})"
            typer.echo(f"    --set {parameter.name}=…  {parameter.description}{default}")


@bargain_app.command("solve")
@with_examples(
    "ceasefire bargain solve fearon --set p=0.6 --set cost_a=0.1 --set cost_b=0.15",
    "ceasefire bargain solve rubinstein --set delta_1=0.95 --set delta_2=0.9",
)
@_friendly
def bargain_solve(
    model: Annotated[str, typer.Argument(help="Model name; see `ceasefire bargain models`.")],
    values: Annotated[
        list[str] | None,
        typer.Option("--set", help="A parameter: name=value. Repeatable.", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Solve one closed-form bargaining model and print its named results."""
    import difflib

    from ceasefire.bargaining import REGISTRY

    if model not in REGISTRY:
        near = difflib.get_close_matches(model, list(REGISTRY), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise InputError(f"unknown model{hint}; see `ceasefire bargain models`", where=model)
    parsed: dict[str, float] = {}
    for item in values or []:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"expected name=value, got {item!r}", where="--set")
        try:
            parsed[name.strip()] = float(text)
        except ValueError:
            raise InputError(
                f"expected a number, got {text!r}", where="--set", field=name.strip()
            ) from None
    chosen = REGISTRY[model]
    resolved = chosen.resolve(parsed)
    try:
        results = dict(chosen.solve(**resolved))
    except ValueError as error:
        raise InputError(str(error), where=f"bargain solve {model}") from None
    if as_json:
        typer.echo(json.dumps({"model": model, "parameters": resolved, **results}, indent=2))
        return
    typer.echo(f"{model}: {chosen.summary}")
    for name, value in results.items():
        shown = f"{value:.6g}" if isinstance(value, float) else str(value)
        typer.echo(f"  {name} = {shown}")


def register(app: typer.Typer) -> None:
    """Add the ``bargain`` group to ``app``."""
    app.add_typer(bargain_app, name="bargain")
