"""Start the front where the map shows it when a calibration window re-anchors a scenario.

Calibration re-starts a scenario on the first day of its window
(:func:`~ceasefire.calibrate._calibrate.anchored`), taking the scenario's initial stocks as
that day's. For the front this matters: a scenario's ``front.initial`` is the area at *its*
start (the default's: 2024-11-30), and the window may start months earlier, when less was
held. Where a ``territory`` series gives the area at the end of the day before the window
starts, that observed area becomes the front's initial value for the calibration and the
forecast after it; otherwise the scenario's value is kept and a note says so.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ceasefire.observe import Series
from ceasefire.scenario import Fixed, Scenario

__all__ = ["anchor_front"]


def anchor_front(
    scenario: Scenario, territory: Series, window_start: dt.date
) -> tuple[Scenario, str]:
    """Return the scenario with ``front.initial`` set to the observed area, and a note."""
    if scenario.front is None:
        return scenario, "territory: the scenario has no front"
    eve = np.datetime64((window_start - dt.timedelta(days=1)).isoformat(), "D")
    match = territory.ends == eve
    if not match.any():
        return scenario, (
            f"territory: no observed area on {eve}, the eve of the window; the front starts "
            "at the scenario's front.initial"
        )
    area = float(territory.values[match][0])
    initial = Fixed(
        value=area,
        unit="km2",
        assumption=f"the area observed on {eve} ({territory.name} series), the eve of the "
        "calibration window",
    )
    front = scenario.front.model_copy(update={"initial": initial})
    note = f"territory: the front starts at the observed {area:,.0f} km² of {eve}"
    return scenario.model_copy(update={"front": front}), note
