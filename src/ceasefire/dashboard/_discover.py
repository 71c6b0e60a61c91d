"""The dashboard's scenario-discovery panel: pick an outcome, see the box where it concentrates.

The outcome is picked from a list (a side's crisis within N months, a side's gains above X
km²) with a number for its threshold: the browser sends no text. The server builds the
condition, parses it with the safe outcome language (no ``eval``), simulates the
dashboard's current scenario and runs PRIM in a worker thread, then shows the plain-words
summary, the box's restrictions and the box on its two most restrictive parameters.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from ceasefire._errors import InputError
from ceasefire.dashboard._controls import check_integer, in_worker
from ceasefire.scenario import Scenario

__all__ = ["DISCOVERY_DRAWS_RANGE", "DiscoveryPanel", "run_discovery"]

_LOG = logging.getLogger(__name__)
DISCOVERY_DRAWS_RANGE = (1000, 200_000)
_MAX_OUTCOME_CHARACTERS = 300
_BOOTSTRAP = 20


def _choices(scenario: Scenario) -> dict[str, tuple[str, float]]:
    """Outcomes offered: each side's crisis within N months, each side gaining more than X km².

    Each is a template of the outcome language with the threshold's place and its default.
    """
    from ceasefire.scenario import DAYS_PER_MONTH

    horizon = float(round(scenario.time.horizon.days / DAYS_PER_MONTH))
    choices: dict[str, tuple[str, float]] = {}
    for side in scenario.side_ids:
        name = scenario.sides[side].name
        choices[f"{name}: manpower crisis within … months"] = (
            f"months_to_crisis.{side} <= {{value:g}}",
            horizon,
        )
    for side in scenario.side_ids:
        name = scenario.sides[side].name
        choices[f"{name} gains more than … km²"] = (
            f"territory_change.{side} > {{value:g}}",
            5000.0,
        )
    return choices


def run_discovery(scenario: Scenario, outcome: str, draws: int, seed: int = 0) -> dict[str, Any]:
    """Simulate ``scenario`` and run PRIM on ``outcome`` (bad input raises InputError)."""
    from ceasefire.analysis.discover import Settings, discover, parse_outcome
    from ceasefire.ensemble import simulate

    if len(outcome) > _MAX_OUTCOME_CHARACTERS:
        raise InputError(f"longer than {_MAX_OUTCOME_CHARACTERS} characters", where="outcome")
    parsed = parse_outcome(outcome)
    ensemble = simulate(scenario, draws=draws, seed=seed, save="summary")
    return discover(
        ensemble,
        parsed,
        settings=Settings(bootstrap=_BOOTSTRAP, max_boxes=1, seed=seed),
        side_names={side: scenario.sides[side].name for side in scenario.side_ids},
    )


class DiscoveryPanel:
    """The panel; ``scenario()`` gives the dashboard's current scenario when asked."""

    def __init__(
        self,
        scenario: Callable[[], Scenario],
        locked: Callable[[Callable[[], None]], None],
        base: Scenario,
    ) -> None:
        self._scenario = scenario
        self._locked = locked
        self.choices = _choices(base)
        first = next(iter(self.choices))
        self.pick = pn.widgets.Select(
            label="Outcome",
            options=list(self.choices),
            value=first,
            css_classes=["cf-discover-pick"],
        )
        self.threshold = pn.widgets.FloatInput(
            label="Threshold (months or km²)",
            value=self.choices[first][1],
            css_classes=["cf-discover-threshold"],
        )
        self.draws = pn.widgets.IntInput(
            label="Discovery draws", value=20_000, css_classes=["cf-discover-draws"]
        )
        self.button = pn.widgets.Button(
            label="Find where it holds", color="primary", css_classes=["cf-discover-run"]
        )
        self.text = pn.pane.HTML(
            "Pick an outcome and press the button.",
            css_classes=["cf-discover-text"],
            sizing_mode="stretch_width",
        )
        self.points = ColumnDataSource({"x": [], "y": [], "colour": []}, name="discover-points")
        self.box = ColumnDataSource(
            {"left": [], "right": [], "bottom": [], "top": []}, name="discover-box"
        )
        self.plot = figure(
            title="The box on its two most restrictive parameters (held-out draws)",
            height=320,
            sizing_mode="stretch_width",
            name="discover-figure",
        )
        self.plot.scatter("x", "y", source=self.points, color="colour", size=4, alpha=0.7)
        self.plot.quad(
            "left",
            "right",
            "top",
            "bottom",
            source=self.box,
            fill_alpha=0,
            line_color="#000000",
            line_width=2,
        )
        self.pick.param.watch(self._picked, "value")
        self.button.on_click(self._clicked)
        self.layout = pn.Column(
            pn.pane.Markdown("## Where does an outcome hold? (scenario discovery, PRIM)"),
            pn.Row(self.pick, self.threshold, self.draws, self.button),
            self.text,
            pn.pane.Bokeh(self.plot, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )

    def _picked(self, event: Any) -> None:
        if event.new in self.choices:
            self.threshold.value = self.choices[event.new][1]

    def outcome(self) -> str:
        """Build the outcome from the picked template and the threshold, both checked here."""
        import math

        picked = self.pick.value
        if picked not in self.choices:
            raise InputError("not one of the offered outcomes", where="outcome")
        value = self.threshold.value
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise InputError("expected a finite number", where="threshold")
        return self.choices[picked][0].format(value=float(value))

    async def _clicked(self, _event: Any) -> None:
        await self.update()

    async def update(self) -> None:
        """Run discovery on the current scenario in a worker thread and draw the result."""
        try:
            outcome = self.outcome()
            draws = check_integer(self.draws.value, DISCOVERY_DRAWS_RANGE, "discovery draws")
        except InputError as error:
            message = f"Refused: {error}"
            self._locked(lambda: self._show(message))
            return
        self._locked(lambda: self._show("Simulating and peeling…"))
        result = await in_worker(
            run_discovery,
            self._scenario(),
            outcome,
            draws,
            show=lambda text: self._locked(lambda: self._show(text)),
            failure="Discovery failed",
            log=_LOG,
            logged="discovery failed",
        )
        if result is not None:
            self._locked(lambda: self.draw(result))

    def _show(self, text: str) -> None:
        self.text.object = f'<p class="cf-discover-message">{html.escape(text)}</p>'

    def draw(self, result: dict[str, Any]) -> None:
        """Show the summary, the restrictions and the box."""
        rows = "".join(
            f"<li>{html.escape(row['words'])} (quasi-p {row['quasi_p']:.2g})</li>"
            for box in result["boxes"][:1]
            for row in box["restrictions"]
        )
        self.text.object = (
            f'<p class="cf-discover-summary">{html.escape(result["summary"])}</p><ul>{rows}</ul>'
        )
        scatter = result["boxes"][0].get("scatter") if result["boxes"] else None
        if not scatter:
            self.points.data = {"x": [], "y": [], "colour": []}
            self.box.data = {"left": [], "right": [], "bottom": [], "top": []}
            return
        self.points.data = {
            "x": scatter["x"],
            "y": scatter["y"],
            "colour": ["#D55E00" if holds else "#bbbbbb" for holds in scatter["outcome"]],
        }
        (left, right), (bottom, top) = scatter["box"]
        self.box.data = {"left": [left], "right": [right], "bottom": [bottom], "top": [top]}
        self.plot.xaxis.axis_label = scatter["labels"][0]
        self.plot.yaxis.axis_label = scatter["labels"][1]
