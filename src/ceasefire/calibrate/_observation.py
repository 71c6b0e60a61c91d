"""Observation models: what a series would show if the model were the truth.

Each model maps a simulated ensemble and the ``observations:`` parameters of each draw to
the expected value (the median of a log-normal) of every observed period:

- :class:`GeneralStaffClaims`: casualties (killed + wounded) × ``general_staff_bias``;
- :class:`NamedDeaths`: killed × ``mediazona_coverage`` × ``1 − exp(−age / mediazona_lag)``
  (``age``: months from a period's end to the file's date; 1 when no date is given);
- :class:`ContractClaims`: recruits × ``contract_inflation``;
- :class:`DirectCount`: a model counter as it is (a generic series), with ``other_noise``;
- :class:`OccupiedArea`: the DeepState map's occupied area at a period's end = the area the
  front's holder holds in the model then (a level, not a count), with ``territory_noise``.

A period ``[start, end]`` (days inclusive) counts ``C(end + 1 day) − C(start)`` of a
cumulative model counter ``C``, read between the ensemble's monthly saves by linear
interpolation.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, final

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.scenario import DAYS_PER_MONTH, Scenario

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "MEASURES",
    "ContractClaims",
    "DirectCount",
    "GeneralStaffClaims",
    "NamedDeaths",
    "ObservationModel",
    "OccupiedArea",
    "ScaledCount",
    "Trajectories",
    "observation_model",
]

FloatArray = npt.NDArray[np.float64]
DateArray = npt.NDArray[np.datetime64]

MEASURES: Final = {
    "casualties": ("killed", "wounded_total"),
    "killed": ("killed",),
    "wounded": ("wounded_total",),
    "recruited": ("recruited",),
    "deserted": ("deserted",),
    "returned": ("returned",),
    "discharged": ("discharged",),
}
"""Model counters a generic series may observe, by name (casualties = killed + wounded)."""

_COUNTERS: Final = tuple(dict.fromkeys(name for names in MEASURES.values() for name in names))
"""Every model counter some measure counts (killed, wounded_total, recruited, …), once each."""

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Trajectories:
    """The cumulative counters of a simulated ensemble, readable on any day."""

    start: np.datetime64
    days: FloatArray
    counters: Mapping[tuple[str, str], FloatArray]

    @classmethod
    def of(cls, ensemble: xr.Dataset) -> Trajectories:
        """Take the counters from a ``simulate`` dataset saved with trajectories."""
        counters = {
            (name, str(side)): np.asarray(ensemble[name].sel(side=side).values, dtype=np.float64)
            for name in _COUNTERS
            for side in ensemble["side"].values
        }
        if "front" in ensemble:  # a level, read like a counter between the saves
            counters[("front", "")] = np.asarray(ensemble["front"].values, dtype=np.float64)
        return cls(
            start=np.datetime64(str(ensemble.attrs["start"]), "D"),
            days=np.asarray(ensemble["elapsed_days"].values, dtype=np.float64),
            counters=counters,
        )

    def counter_at(self, name: str, side: str, day: FloatArray) -> FloatArray:
        """``C(day)`` per draw, shape ``(draws, len(day))``, for days since the start."""
        values = self.counters[(name, side)]
        if np.any(day < self.days[0] - 1e-9) or np.any(day > self.days[-1] + 1e-9):
            raise ValueError("a period lies outside the simulated time")
        right = np.clip(np.searchsorted(self.days, day, side="right"), 1, len(self.days) - 1)
        left = right - 1
        weight = (day - self.days[left]) / (self.days[right] - self.days[left])
        return np.asarray(
            values[:, left] * (1.0 - weight) + values[:, right] * weight, dtype=np.float64
        )

    def offsets(self, starts: DateArray, ends: DateArray) -> tuple[FloatArray, FloatArray]:
        """Days since the start at the beginning of each start day and the end of each end day."""
        begin = ((starts - self.start) // _DAY).astype(np.float64)
        finish = ((ends + _DAY - self.start) // _DAY).astype(np.float64)
        return begin, finish

    def covers(self, starts: DateArray, ends: DateArray) -> npt.NDArray[np.bool_]:
        """Which periods lie wholly within the simulated time."""
        begin, finish = self.offsets(starts, ends)
        return np.asarray((begin >= self.days[0] - 1e-9) & (finish <= self.days[-1] + 1e-9))

    def count(self, measure: str, side: str, starts: DateArray, ends: DateArray) -> FloatArray:
        """Count ``measure`` in each period, per draw: ``(draws, periods)``."""
        begin, finish = self.offsets(starts, ends)
        total: FloatArray | None = None
        for name in MEASURES[measure]:
            part = self.counter_at(name, side, finish) - self.counter_at(name, side, begin)
            total = part if total is None else total + part
        assert total is not None
        return total


_NAMED = ("general_staff", "mediazona", "contracts", "territory")


def parameter(
    scenario: Scenario, values: Mapping[str, FloatArray], name: str, draws: int
) -> FloatArray:
    """Return per-draw values of ``observations.<name>`` (given, or the fixed one broadcast)."""
    path = f"observations.{name}"
    if path in values:
        return np.asarray(values[path], dtype=np.float64)
    assert scenario.observations is not None
    param = getattr(scenario.observations, name)
    return np.full(draws, param.central())


class ObservationModel(ABC):
    """How one observed series relates to the model."""

    noise: str
    """Name of the ``observations:`` parameter giving the log-scale sd of the series."""
    per_month_label: str
    """What the series counts per month, in words (for tables)."""

    @abstractmethod
    def expected(
        self,
        trajectories: Trajectories,
        scenario: Scenario,
        values: Mapping[str, FloatArray],
        starts: DateArray,
        ends: DateArray,
    ) -> FloatArray:
        """Return the expected observation (log-normal median) per draw: ``(draws, m)``."""


def _side(scenario: Scenario) -> str:
    assert scenario.observations is not None
    return scenario.observations.side


class ScaledCount(ObservationModel):
    """A counter of the observed side in each period times a per-draw factor of the series.

    ``measure`` names the counter (:data:`MEASURES`), ``factor`` the ``observations:``
    parameter it is multiplied by: the expected value is ``count × factor``.
    """

    measure: str
    factor: str

    def expected(
        self,
        trajectories: Trajectories,
        scenario: Scenario,
        values: Mapping[str, FloatArray],
        starts: DateArray,
        ends: DateArray,
    ) -> FloatArray:
        """Return the counter of the observed side in each period times the series' factor."""
        counts = trajectories.count(self.measure, _side(scenario), starts, ends)
        factor = parameter(scenario, values, self.factor, counts.shape[0])
        return counts * factor[:, None]


@final
class GeneralStaffClaims(ScaledCount):
    """General Staff claims = casualties (killed + wounded) × bias."""

    noise = "general_staff_noise"
    per_month_label = "casualties claimed per month"
    measure = "casualties"
    factor = "general_staff_bias"


@final
class NamedDeaths(ScaledCount):
    """Named deaths = killed × coverage × completeness at the file's date (a floor)."""

    noise = "mediazona_noise"
    per_month_label = "named deaths per month"
    measure = "killed"
    factor = "mediazona_coverage"

    def __init__(self, as_of: dt.date | None = None):
        self.as_of = as_of

    def expected(
        self,
        trajectories: Trajectories,
        scenario: Scenario,
        values: Mapping[str, FloatArray],
        starts: DateArray,
        ends: DateArray,
    ) -> FloatArray:
        """Killed in each period times the coverage and the completeness of the file."""
        expected = super().expected(trajectories, scenario, values, starts, ends)
        if self.as_of is not None:
            assert scenario.observations is not None
            lag = parameter(scenario, values, "mediazona_lag", expected.shape[0])
            if scenario.observations.mediazona_lag.unit == "days":
                lag = lag / DAYS_PER_MONTH
            age_days = (np.datetime64(self.as_of.isoformat(), "D") - ends) // _DAY
            age = np.maximum(age_days.astype(np.float64), 0.0) / DAYS_PER_MONTH
            expected = expected * (1.0 - np.exp(-age[None, :] / lag[:, None]))
        return expected


@final
class ContractClaims(ScaledCount):
    """Official contract claims = recruits × claim inflation."""

    noise = "contract_noise"
    per_month_label = "recruits claimed per month"
    measure = "recruited"
    factor = "contract_inflation"


@final
class DirectCount(ObservationModel):
    """A generic series: a model counter of one side, as it is."""

    noise = "other_noise"

    def __init__(self, measure: str, side: str | None):
        self.measure = measure
        self.side = side
        self.per_month_label = f"{measure} per month"

    def expected(
        self,
        trajectories: Trajectories,
        scenario: Scenario,
        values: Mapping[str, FloatArray],
        starts: DateArray,
        ends: DateArray,
    ) -> FloatArray:
        """Return the counter's increase over each period."""
        side = self.side or _side(scenario)
        return trajectories.count(self.measure, side, starts, ends)


@final
class OccupiedArea(ObservationModel):
    """Mapped occupied area at each period's end = the model's area of the front's holder."""

    noise = "territory_noise"
    per_month_label = "km² held at the month's end"

    def expected(
        self,
        trajectories: Trajectories,
        scenario: Scenario,
        values: Mapping[str, FloatArray],
        starts: DateArray,
        ends: DateArray,
    ) -> FloatArray:
        """Return the front (area held by its holder) at the end of each period's last day."""
        _, finish = trajectories.offsets(starts, ends)
        return trajectories.counter_at("front", "", finish)


def observation_model(
    name: str, scenario: Scenario, *, as_of: dt.date | None = None
) -> ObservationModel:
    """Return the observation model that a series named ``name`` calls for.

    ``general_staff``, ``mediazona``, ``contracts`` and ``territory`` name the four
    observation models;
    any other name is ``MEASURE`` or ``MEASURE.SIDE`` (a generic series observing a model
    counter: casualties, killed, wounded, recruited, deserted, returned, discharged).

    Raises
    ------
    InputError
        For an unknown measure or side, or a scenario without an ``observations:`` section.

    """
    if scenario.observations is None:
        raise InputError(
            "the scenario has no `observations:` section: calibration needs the observation "
            "models' parameters (see the default scenario)",
            field="observations",
        )
    if scenario.observations.side not in scenario.sides:
        raise InputError(
            f"unknown side {scenario.observations.side!r}: expected one of "
            f"{', '.join(scenario.sides)}",
            field="observations.side",
        )
    if name == "general_staff":
        return GeneralStaffClaims()
    if name == "mediazona":
        return NamedDeaths(as_of)
    if name == "contracts":
        return ContractClaims()
    if name == "territory":
        if scenario.front is None or scenario.observations.territory_noise is None:
            raise InputError(
                "the territory series needs a `front:` and `observations.territory_noise` "
                "in the scenario (see the default scenario)",
                field="observations.territory_noise",
            )
        return OccupiedArea()
    measure, _, side = name.partition(".")
    if measure not in MEASURES:
        import difflib

        near = difflib.get_close_matches(measure, [*MEASURES, *_NAMED], n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise InputError(
            f"unknown series {name!r}{hint}: expected general_staff, mediazona, contracts or "
            f"MEASURE[.SIDE] with MEASURE one of {', '.join(MEASURES)}",
            where="--observed",
        )
    if side and side not in scenario.sides:
        raise InputError(
            f"unknown side {side!r} in {name!r}: expected one of {', '.join(scenario.sides)}",
            where="--observed",
        )
    return DirectCount(measure, side or None)
