"""The Panel app: controls on the left, fan charts, crisis probability and the deal window.

Every browser session gets its own :class:`Dashboard` (sessions share nothing but the
read-only base scenario). The browser sends only numbers and switches; each one is checked
on the server before anything runs, and the engine runs in a worker thread, so the page
never freezes and a failed computation shows a message instead of a blank page.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
from collections.abc import Callable, Sequence
from typing import Any

import panel as pn
from bokeh.document import Document
from bokeh.models import ColumnDataSource, NumeralTickFormatter, Range1d
from bokeh.plotting import figure
from panel.io.state import set_curdoc

from ceasefire._errors import InputError
from ceasefire.analysis import (
    decimals_for,
    format_probability,
    probability_axis_top,
    yardstick_legend,
)
from ceasefire.dashboard._compute import (
    Results,
    Settings,
    build_scenario,
    compute,
    compute_window,
    overlay_catalogue,
)
from ceasefire.dashboard._controls import (
    DRAWS_RANGE,
    HORIZON_RANGE,
    check_integer,
    check_switch,
    check_value,
    controls_for,
    in_worker,
)
from ceasefire.dashboard._discover import DiscoveryPanel
from ceasefire.dashboard._exposure import HostGuard, allowed_hosts, check_bindable, free_port
from ceasefire.ensemble import MEASURES, format_money
from ceasefire.scenario import DAYS_PER_MONTH, Scenario

__all__ = ["Dashboard", "app_factory", "serve"]

_LOG = logging.getLogger(__name__)
# Okabe–Ito colours (colour-blind safe), as in the report.
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
_DASHES = ("solid", "dashed", "dashdot", "dotted")
# The page sends only small property changes; Bokeh's default cap is 20 MB per message.
_MAX_MESSAGE_BYTES = 1_000_000


class Dashboard:
    """One session's dashboard over ``base``; ``.layout`` is what Panel serves."""

    def __init__(self, base: Scenario, *, draws: int = 2000, window_draws: int = 100) -> None:
        self.base = base
        self.controls = controls_for(base)
        self.overlays = overlay_catalogue()
        self._generation = 0
        # Values the revert put back, by widget: Panel runs the async watcher later (as a
        # task), so the echo of a revert is recognised by its value, not by a flag.
        self._reverted: dict[int, Any] = {}
        self._last_valid: dict[str, float] = {c.key: c.default for c in self.controls}
        self.results: Results | None = None
        self.settings: Settings | None = None
        # The session's document: every change to the page is made under its lock, in a
        # next-tick callback (see _locked); None outside a server, e.g. in unit tests.
        self._document: Document | None = pn.state.curdoc

        self.sliders = {
            c.key: pn.widgets.EditableFloatSlider(
                label=f"{c.label} ({_unit_label(c.unit)})" if _unit_label(c.unit) else c.label,
                start=c.low,
                end=c.high,
                value=c.default,
                step=c.step,
                format=_numeral_format(c.step),
                css_classes=["cf-control", f"cf-control-{c.key.replace('.', '-')}"],
                sizing_mode="stretch_width",
            )
            for c in self.controls
        }
        horizon = round(base.time.horizon.days / DAYS_PER_MONTH)
        self.horizon = pn.widgets.IntInput(
            label="Horizon (months)", value=horizon, css_classes=["cf-horizon"]
        )
        self.draws = pn.widgets.IntInput(label="Draws", value=draws, css_classes=["cf-draws"])
        self.window_draws = pn.widgets.IntInput(
            label="Deal-window draws (0: off)", value=window_draws, css_classes=["cf-window-draws"]
        )
        self.toggles = {
            name: pn.widgets.Checkbox(
                label=f"what-if: {name}",
                value=False,
                css_classes=["cf-overlay", f"cf-overlay-{name}"],
            )
            for name in self.overlays
        }
        self.message = pn.pane.Alert(
            "", alert_type="danger", visible=False, css_classes=["cf-message"]
        )
        self.status = pn.pane.HTML("Starting…", css_classes=["cf-status"])
        self.numbers = pn.pane.HTML("", css_classes=["cf-numbers"], sizing_mode="stretch_width")
        self.sources = {
            side: ColumnDataSource(
                {k: [] for k in ("month", "p05", "p25", "p50", "p75", "p95")},
                name=f"active-{side}",
            )
            for side in base.side_ids
        }
        self.crisis_source = ColumnDataSource(
            {"month": [], **{side: [] for side in base.side_ids}}, name="crisis"
        )
        self.window_source = ColumnDataSource({"month": [], "p_open": []}, name="window")
        self.window_text = pn.pane.HTML("", css_classes=["cf-window"])
        self.download_scenario = pn.widgets.FileDownload(
            callback=self._scenario_yaml,
            filename=f"{base.name}-dashboard.yaml",
            label="Download the scenario (YAML)",
            css_classes=["cf-download-scenario"],
        )
        self.download_results = pn.widgets.FileDownload(
            callback=self._results_json,
            filename=f"{base.name}-results.json",
            label="Download the results (JSON)",
            css_classes=["cf-download-results"],
        )
        for widget in (
            *self.sliders.values(),
            self.horizon,
            self.draws,
            self.window_draws,
            *self.toggles.values(),
        ):
            widget.param.watch(self._changed, "value")
        self.discovery = DiscoveryPanel(self._current_scenario, self._locked, base)
        self.layout = pn.Column(self._layout(), self.discovery.layout)

    def _current_scenario(self) -> Scenario:
        return self.results.scenario if self.results is not None else self.base

    # --- layout --------------------------------------------------------------------------

    def _layout(self) -> pn.viewable.Viewable:
        names = {s: self.base.sides[s].name for s in self.base.side_ids}
        active = figure(
            title="Active force per side (median, 25–75% and 5–95% of draws)",
            x_axis_label="months from the start",
            y_axis_label="deployed personnel (men)",
            height=320,
            sizing_mode="stretch_width",
            name="active-figure",
        )
        for index, (side, source) in enumerate(self.sources.items()):
            colour = _COLOURS[index % len(_COLOURS)]
            active.varea("month", "p05", "p95", source=source, color=colour, alpha=0.15)
            active.varea("month", "p25", "p75", source=source, color=colour, alpha=0.3)
            active.line(
                "month",
                "p50",
                source=source,
                color=colour,
                line_width=2,
                line_dash=_DASHES[index % len(_DASHES)],
                legend_label=names[side],
            )
        active.legend.location = "top_left"
        active.yaxis.formatter = NumeralTickFormatter(format="0,0")
        # The top follows the data (see _draw): a few percent on a 0–100% axis reads as zero.
        self.crisis_range = Range1d(start=0, end=1.02)
        crisis = figure(
            title="Probability of a manpower crisis by month",
            x_axis_label="months from the start",
            y_axis_label="share of draws in crisis (axis scaled to the data)",
            y_range=self.crisis_range,
            height=260,
            sizing_mode="stretch_width",
            name="crisis-figure",
        )
        for index, side in enumerate(self.base.side_ids):
            crisis.step(
                "month",
                side,
                source=self.crisis_source,
                mode="after",
                color=_COLOURS[index % len(_COLOURS)],
                line_width=2,
                line_dash=_DASHES[index % len(_DASHES)],
                legend_label=names[side],
            )
        crisis.legend.location = "top_left"
        crisis.yaxis.formatter = NumeralTickFormatter(format="0.[0]%")
        window = figure(
            title="The deal window: P(a deal both sides prefer exists) by decision month",
            x_axis_label="decision month",
            y_axis_label="share of draws",
            y_range=Range1d(start=0, end=1.02),
            height=240,
            sizing_mode="stretch_width",
            name="window-figure",
        )
        window.line("month", "p_open", source=self.window_source, color=_COLOURS[2], line_width=2)
        controls = pn.Column(
            pn.pane.Markdown(
                "Each slider shows a parameter's median and scales its whole range (0.1× to 3× "
                "the scenario's median, within the field's constraints)."
            ),
            *self.sliders.values(),
            self.horizon,
            self.draws,
            self.window_draws,
            pn.pane.Markdown("**What-if overlays**"),
            *self.toggles.values(),
            self.download_scenario,
            self.download_results,
            width=360,
        )
        main = pn.Column(
            self.message,
            self.status,
            self.numbers,
            pn.pane.Bokeh(active, sizing_mode="stretch_width"),
            pn.pane.Bokeh(crisis, sizing_mode="stretch_width"),
            pn.pane.Bokeh(window, sizing_mode="stretch_width"),
            self.window_text,
            sizing_mode="stretch_width",
        )
        header = pn.pane.Markdown(
            f"# {self.base.title}\nceasefire dashboard: every number below is computed by the "
            "model from the scenario; its parameters carry their source or are labelled as "
            "assumptions.",
            sizing_mode="stretch_width",
        )
        return pn.Column(header, pn.Row(controls, main, sizing_mode="stretch_width"))

    # --- settings and updates ------------------------------------------------------------

    def read_settings(self) -> Settings:
        """Check every widget's value on the server; raise InputError naming the first bad one."""
        values = {c.key: check_value(c, self.sliders[c.key].value) for c in self.controls}
        return Settings(
            values=values,
            overlays=tuple(
                name
                for name, box in self.toggles.items()
                if check_switch(box.value, f"what-if: {name}")
            ),
            draws=check_integer(self.draws.value, DRAWS_RANGE, "draws"),
            horizon_months=check_integer(self.horizon.value, HORIZON_RANGE, "horizon (months)"),
            window_draws=check_integer(self.window_draws.value, (0, 5000), "deal-window draws"),
        )

    def _show_error(self, text: str) -> None:
        # The text can quote what the browser sent: escape it (the pane renders Markdown/HTML).
        self.message.object = html.escape(text)
        self.message.visible = True

    async def _changed(self, event: Any) -> None:
        key = id(event.obj)
        if key in self._reverted and self._reverted[key] == event.new:
            # The echo of a revert: the refused value's message must stay up, and the
            # values that ran last are on screen already, so there is nothing to compute.
            del self._reverted[key]
            return
        self._reverted.pop(key, None)
        await self.update()

    async def update(self) -> None:
        """Recompute from the widgets (in a worker thread) and redraw; show a message on error."""
        self._generation += 1
        generation = self._generation
        try:
            settings = self.read_settings()
        except InputError as error:
            refused = f"Refused: {error}"  # (``error`` is unbound after the except block)
            self._locked(lambda: self._refuse(refused, generation))
            return
        self._locked(lambda: self._set_status('<span class="cf-busy">Computing…</span>'))
        results = await in_worker(
            compute,
            self.base,
            self.controls,
            settings,
            self.overlays,
            show=lambda text: self._locked(lambda: self._not_updated(text)),
            failure="The computation failed",
            log=_LOG,
            logged="dashboard computation failed",
        )
        if results is None:
            return
        if generation != self._generation:
            return  # a newer request is on its way
        self._last_valid = dict(settings.values)
        self.results, self.settings = results, settings
        self._locked(lambda: self._draw(results, settings))
        if settings.window_draws > 0:
            await self._update_window(results, settings, generation)

    async def _update_window(self, results: Results, settings: Settings, generation: int) -> None:
        self._locked(lambda: self._set_window_text("Computing the deal window…"))
        try:
            window, note = await asyncio.to_thread(
                compute_window, results.scenario, settings.window_draws, settings.seed
            )
        except Exception as error:
            _LOG.exception("deal window failed")
            failed = f"The deal window failed: {html.escape(str(error))}"
            self._locked(lambda: self._set_window_text(failed))
            return
        if generation != self._generation:
            return
        results.window = window
        self._locked(lambda: self._draw_window(results, window, note))

    def _locked(self, change: Callable[[], None]) -> None:
        """Make ``change`` to the page under the document lock, on the next tick of the loop.

        Its model changes are held and released inside the callback, so Bokeh's session
        queues them and writes them itself, in order, before it lets the lock go. Panel's
        own route (``unlocked``) writes them at once or, while the socket is busy, queues
        them for a write task; messages queued while an earlier task still waits on its
        writes are left behind when that task finishes (it clears the document's write
        block, so the new task returns at once; panel 1.9.4, ``_dispatch_msgs``) until
        some later change of that page is queued. Under load the "Computing…" write was
        still in flight when the result came, and the page stayed at "Computing…".
        """
        document = self._document
        if document is None:
            change()
            return

        def apply() -> None:
            with set_curdoc(document):
                held = document.callbacks.hold_value
                document.hold("combine")
                try:
                    change()
                finally:
                    if held is None:  # else whoever holds it sends them on release
                        document.unhold()

        document.add_next_tick_callback(apply)

    def _set_status(self, text: str) -> None:
        self.status.object = text

    def _set_window_text(self, text: str) -> None:
        self.window_text.object = text

    def _not_updated(self, text: str) -> None:
        self._show_error(text)
        self.status.object = "Not updated."

    def _refuse(self, text: str, generation: int) -> None:
        self._show_error(text)
        if generation == self._generation:  # else a newer request set the widgets since
            self._revert()

    def _draw_window(self, results: Results, window: dict[str, Any] | None, note: str) -> None:
        if window is None:
            self.window_source.data = {"month": [], "p_open": []}
            self.window_text.object = html.escape(note)
            return
        self.window_source.data = {"month": window["months"], "p_open": window["p_window_open"]}
        more = window["needs_deal_more"]
        first = window["sides"][0]
        p_first = more[f"p_{first}_cost_of_delay_higher"]
        p_side = p_first if more["side"] == first else 1.0 - p_first
        name = results.names.get(more["side"], more["side"])
        self.window_text.object = (
            f'<p class="cf-window-text">A deal both sides prefer exists at month '
            f"{window['months'][0]:g} in {format_probability(window['p_window_open'][0])} of "
            f"{window['draws']:,} draws. {html.escape(name)} needs the deal more: its cost of "
            f"delay is the higher in {format_probability(p_side)} of draws.</p>"
        )
        if "settlement" in window:
            self.window_text.object += _calculus_text(window)

    def _revert(self) -> None:
        """Put every widget back to the last values that ran (the message stays up)."""
        for control in self.controls:
            slider = self.sliders[control.key]
            last = self._last_valid.get(control.key, control.default)
            if slider.value != last:
                self._reverted[id(slider)] = last
                slider.end = max(control.high, last)
                slider.value = last
                slider.end = control.high
                slider.start = control.low
        if self.settings is not None:
            for widget, ran in (
                (self.draws, self.settings.draws),
                (self.horizon, self.settings.horizon_months),
                (self.window_draws, self.settings.window_draws),
            ):
                if ran is not None and widget.value != ran:
                    self._reverted[id(widget)] = ran
                    widget.value = ran

    def _draw(self, results: Results, settings: Settings) -> None:
        months = results.months.tolist()
        for side, source in self.sources.items():
            band = results.active[side]
            source.data = {
                "month": months,
                **{k: band[i].tolist() for i, k in enumerate(("p05", "p25", "p50", "p75", "p95"))},
            }
        self.crisis_source.data = {
            "month": months,
            **{side: results.crisis[side].tolist() for side in self.base.side_ids},
        }
        peak = max(float(max(results.crisis[s], default=0.0)) for s in self.base.side_ids)
        self.crisis_range.end = probability_axis_top(peak) * 1.02
        self.numbers.object = _numbers_table(results)
        self.message.visible = False
        self.status.object = (
            f'<span class="cf-done" data-seconds="{results.seconds:.3f}">Updated: '
            f"{settings.draws:,} draws in {results.seconds:.2f} s.</span>"
        )

    def _scenario_yaml(self) -> io.StringIO:
        import yaml

        scenario = self.results.scenario if self.results is not None else self.base
        data = scenario.model_dump(mode="json", exclude_none=True)
        return io.StringIO(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    def _results_json(self) -> io.StringIO:
        if self.results is None or self.settings is None:
            return io.StringIO('{"error": "no results yet"}\n')
        return io.StringIO(self.results.to_json(self.settings))


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _numbers_table(results: Results) -> str:
    summary = results.summary
    horizon = summary.horizon_months
    dollars = MEASURES["money_per_month"]
    rows = []
    for side, entry in summary.sides.items():
        name = html.escape(results.names.get(side, side))
        final = entry.bands.get("active_final")
        crisis = entry.p_crisis or {}
        p = crisis[max(crisis)].probability if crisis else None
        p_text = "–" if p is None else format_probability(p)
        causes = results.causes.get(side, {}).get("causes", {})
        why = ", ".join(f"{cause}: {count:,}" for cause, count in causes.items() if count) or "–"
        money = (summary.money or {}).get(side)
        in_dollars = entry.bands.get(dollars.name)
        cost = (
            "–"
            if money is None
            else f"{format_money(money.total.p50, money.currency)} (bonuses "
            f"{format_money(money.components['bonuses'].p50, money.currency)})"
            + ("" if in_dollars is None else f"; {dollars.format(in_dollars.p50)}")
        )
        rows.append(
            f'<tr><th scope="row">{name}</th>'
            f'<td data-key="active_final.{side}">{(final and final.p50) or 0:,.0f}</td>'
            f'<td data-key="p_crisis.{side}">{p_text}</td>'
            f'<td data-key="crisis_causes.{side}">{html.escape(why)}</td>'
            f'<td data-key="money.{side}">{html.escape(cost)}</td></tr>'
        )
    final_label = _lower((MEASURES["active_final"].label or "").format(horizon=horizon))
    return (
        '<table class="cf-table"><thead><tr><th></th>'
        f"<th>{html.escape(final_label)} (median)</th>"
        f"<th>P(manpower crisis within {horizon:g} months)</th>"
        "<th>why (draws in crisis by cause)</th>"
        "<th>money per month (median, in the side's currency; of which sign-on bonuses; "
        "in US$)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p class="cf-legend">{html.escape(yardstick_legend(sentence=True))}.</p>'
    )


def _unit_label(unit: str) -> str:
    """Return a slider's unit: ``per_month`` → ``per month``, ``km2`` → ``km²``."""
    return "" if unit in ("", "1") else unit.replace("_", " ").replace("km2", "km²")


def _numeral_format(step: float) -> str:
    """Return a Numeral.js format with the decimals a slider's step needs, and no more."""
    decimals = decimals_for(step, 1)
    return "0,0" if decimals == 0 else "0,0." + "0" * decimals


def app_factory(
    base: Scenario, *, draws: int = 2000, window_draws: int = 100
) -> Callable[[], pn.viewable.Viewable]:
    """Return a function that builds a fresh dashboard per browser session."""

    def build() -> pn.viewable.Viewable:
        dashboard = Dashboard(base, draws=draws, window_draws=window_draws)
        pn.state.onload(dashboard.update)
        return dashboard.layout

    return build


def serve(
    base: Scenario,
    *,
    port: int = 5006,
    address: str = "127.0.0.1",
    draws: int = 2000,
    window_draws: int = 100,
    show: bool = False,
    threaded: bool = False,
    origins: Sequence[str] = (),
) -> Any:
    """Serve the dashboard of ``base`` (blocks unless ``threaded``; then returns the server).

    Listens on ``address`` (127.0.0.1: this machine only) and ``port`` (0: a free one).
    Page and websocket requests must name the served host:port (or one of ``origins``) in
    their Host and Origin headers; others get 403 (see :class:`HostGuard`).
    """
    check_integer(draws, DRAWS_RANGE, "--draws")
    check_integer(window_draws, (0, 5000), "deal-window draws")
    build_scenario(base, controls_for(base), Settings(values={}), {})  # fail before serving
    try:
        port = free_port(address) if port == 0 else check_bindable(address, port)
    except OSError as error:  # an unknown host, an address not on this machine, a port in use
        raise InputError(
            f"cannot listen on {address}:{port}: {error.strerror or error}", where="--host/--port"
        ) from None
    allowed = allowed_hosts(address, port, origins)
    return pn.serve(
        {"/": app_factory(base, draws=draws, window_draws=window_draws)},
        port=port,
        address=address,
        websocket_origin=list(allowed),
        auth_provider=HostGuard(allowed),
        websocket_max_message_size=_MAX_MESSAGE_BYTES,
        show=show,
        title=f"ceasefire: {base.title}",
        threaded=threaded,
        start=True,
    )


def _calculus_text(window: dict[str, Any]) -> str:
    """Say in two sentences why no deal now, and when one is likely (the settlement forecast)."""
    settlement = window["settlement"]
    base = settlement["base_rate"]
    mechanisms = window["mechanisms"]
    closing = max(("optimism", "commitment", "indivisibility"), key=lambda m: mechanisms[m][0])
    reason = (
        f"{closing} closes it in {mechanisms[closing][0]:.0%} of draws"
        if mechanisms[closing][0] > 0
        else "no mechanism closes it in any draw"
    )
    horizon = min(6, len(settlement["months"]))
    p = settlement["p_by_month"][horizon - 1]
    return (
        f'<p class="cf-calculus-text">With the preferences revealed by the record, a credible '
        f"deal exists at month 0 in {window['credible_window'][0]:.0%} of draws ({reason}). "
        f"P(settled within {horizon} months) {format_probability(p)}, against "
        f"{base['p_by_month'][horizon - 1]:.0%} for the base rate of wars as old as this one."
        "</p>"
    )
