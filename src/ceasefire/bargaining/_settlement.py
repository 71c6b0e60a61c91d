"""The outside view and the settlement hazard: how long inter-state wars last, and when they end.

**Reference class.** The Correlates of War Inter-State War Data v4.0 (Sarkees & Wayman 2010),
95 wars of 1816–2007. A war starts at its first participant's first day of sustained combat
and ends at the last participant's last (:func:`war_durations`, which follows the data's
README). "Ends" is the end of fighting at war intensity, not a signed settlement; the
forecast's "settlement" means the same.

**Base rate, conditioned on age.** For a war that has lasted ``a`` months, the wars at risk
are those that lasted at least ``a``. Over the next ``H`` months their hazard is taken as
constant, estimated as events over exposure (``λ = k / Σ min(duration − a, H)``) with a
Gamma(``k + ½``, exposure) posterior for its uncertainty (Jeffreys' prior on a Poisson
rate); the empirical conditional shares ``P(end within h | lasted a)`` are reported beside
it with Jeffreys intervals. Few wars last this long (12 of 95 reach 33 months), so both are
wide.

**Combining with the window.** Let ``W`` be whether a credible deal window is open in a
month and ``S`` whether the war ends. If a war with the window open ends ``ρ`` times as
often as one with it closed (``ρ``, the window's likelihood ratio, an assumption) and the
window is open in a share ``π`` of the reference class's war-months (unknown: ½), then
``λ = π λ_open + (1 − π) λ_closed`` gives::

    h(t) = λ · ρ / (π ρ + 1 − π)     (window open)
    h(t) = λ / (π ρ + 1 − π)         (window closed)

and ``P(settled by t) = 1 − Π_{s ≤ t} (1 − h(s))``, averaged over draws. With ``ρ = 1`` (a
window that carries no information) the hazard is the base rate.

Sarkees, M. R. & Wayman, F. (2010), *Resort to War: 1816–2007*, CQ Press.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError

__all__ = [
    "BaseRate",
    "WarDuration",
    "base_rate",
    "settlement_curve",
    "shipped_war_durations",
    "war_durations",
]

FloatArray = npt.NDArray[np.float64]
DAYS_PER_MONTH = 30.4375
SHIPPED = Path(__file__).parents[1] / "scenario" / "presets" / "records" / "cow-war-durations.csv"


@dataclass(frozen=True)
class WarDuration:
    """One war of the reference class: its number, name, first start and last end."""

    number: int
    name: str
    start: dt.date
    end: dt.date

    @property
    def months(self) -> float:
        """Duration in months of 30.4375 days."""
        return (self.end - self.start).days / DAYS_PER_MONTH


def _segment(row: dict[str, str], which: str) -> tuple[dt.date, dt.date] | None:
    year = int(row[f"StartYear{which}"])
    if year < 0:
        return None
    start = dt.date(year, int(row[f"StartMonth{which}"]), int(row[f"StartDay{which}"]))
    end = dt.date(
        int(row[f"EndYear{which}"]), int(row[f"EndMonth{which}"]), int(row[f"EndDay{which}"])
    )
    return start, end


def war_durations(path: str | Path) -> list[WarDuration]:
    """Each war's first start and last end over participants and segments (COW v4.0)."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="ascii") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise InputError(f"cannot read the war data: {error.strerror}", where=str(path)) from None
    except UnicodeDecodeError:
        raise InputError(
            "not ASCII text; expected the COW Inter-State War Data v4.0 CSV", where=str(path)
        ) from None
    wars: dict[int, list[Any]] = {}
    for line, row in enumerate(rows, start=2):
        try:
            number = int(row["WarNum"])
            spans = [s for s in (_segment(row, "1"), _segment(row, "2")) if s is not None]
        except (KeyError, ValueError, TypeError):
            raise InputError(
                "expected the COW Inter-State War Data v4.0 columns (WarNum, StartYear1, …)",
                where=f"{path}:{line}",
            ) from None
        entry = wars.setdefault(number, [row["WarName"], dt.date.max, dt.date.min])
        for start, end in spans:
            entry[1] = min(entry[1], start)
            entry[2] = max(entry[2], end)
    if not wars:
        raise InputError(
            "no wars in the file; expected the COW Inter-State War Data v4.0 CSV", where=str(path)
        )
    return [WarDuration(n, name, start, end) for n, (name, start, end) in sorted(wars.items())]


def shipped_war_durations() -> list[WarDuration]:
    """Return the COW v4.0 durations that ship with the package (see the CSV header)."""
    wars = []
    with SHIPPED.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            wars.append(
                WarDuration(
                    int(row["war_number"]),
                    row["war_name"],
                    dt.date.fromisoformat(row["start"]),
                    dt.date.fromisoformat(row["end"]),
                )
            )
    return wars


def _jeffreys(events: int, total: int) -> dict[str, float]:
    # scipy.special, not scipy.stats: the same Beta quantile without seconds of imports.
    from scipy.special import betaincinv

    low, high = betaincinv(events + 0.5, total - events + 0.5, [0.05, 0.95])
    return {"p": events / total, "p05": float(low), "p95": float(high)}


@dataclass(frozen=True)
class BaseRate:
    """The outside view for a war of ``age_months``: a monthly hazard with its uncertainty."""

    age_months: float
    at_risk: int
    events: int
    exposure_months: float
    within: dict[int, dict[str, float]]
    """Empirical ``P(end within h | lasted age)`` with a 5–95% Jeffreys interval, by ``h``."""

    def hazard_draws(self, n: int, seed: int | np.random.SeedSequence) -> FloatArray:
        """``n`` draws of the monthly hazard from its Gamma posterior."""
        rng = np.random.default_rng(seed)
        rate = rng.gamma(self.events + 0.5, 1.0 / self.exposure_months, n)
        return np.asarray(1.0 - np.exp(-rate), dtype=np.float64)

    @property
    def hazard(self) -> float:
        """The monthly hazard at the posterior mean rate."""
        return float(1.0 - np.exp(-(self.events + 0.5) / self.exposure_months))

    def p_by(self, months: Iterable[float]) -> list[float]:
        """``P(ended within t months)`` at the constant hazard."""
        return [float(1.0 - (1.0 - self.hazard) ** t) for t in months]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "reference_class": "Correlates of War inter-state wars v4.0 (95 wars, 1816-2007)",
            "age_months": self.age_months,
            "wars_at_risk": self.at_risk,
            "ended_within_horizon": self.events,
            "exposure_months": round(self.exposure_months, 1),
            "monthly_hazard": self.hazard,
            "empirical_within": {str(h): v for h, v in self.within.items()},
        }


def base_rate(wars: list[WarDuration], age_months: float, horizon_months: float = 36.0) -> BaseRate:
    """Return the hazard of ending over the next ``horizon_months`` for a war of ``age_months``."""
    durations = np.array([war.months for war in wars])
    at_risk = durations[durations >= age_months]
    if at_risk.size == 0:
        raise InputError(f"no war of the reference class lasted {age_months:g} months")
    beyond = at_risk - age_months
    events = int(np.sum(beyond < horizon_months))
    exposure = float(np.sum(np.minimum(beyond, horizon_months)))
    within = {h: _jeffreys(int(np.sum(beyond < h)), int(at_risk.size)) for h in (6, 12, 13, 24)}
    return BaseRate(age_months, int(at_risk.size), events, exposure, within)


def settlement_curve(
    window: npt.NDArray[np.bool_] | FloatArray,
    hazard: FloatArray,
    *,
    likelihood_ratio: float,
    prior_open: float = 0.5,
) -> tuple[FloatArray, FloatArray]:
    """Monthly hazard and ``P(settled by t)``, averaged over draws (see the module docstring).

    ``window`` is ``(draw, month)`` (True or a probability that a credible window is open);
    ``hazard`` the base-rate hazard per draw, ``(draw,)``.
    """
    if likelihood_ratio <= 0.0 or not 0.0 < prior_open < 1.0:
        raise ValueError("likelihood_ratio must be > 0 and prior_open in (0, 1)")
    norm = prior_open * likelihood_ratio + 1.0 - prior_open
    open_ = np.asarray(window, dtype=np.float64)
    multiplier = (open_ * likelihood_ratio + (1.0 - open_)) / norm
    per_draw = np.clip(hazard[:, None] * multiplier, 0.0, 1.0)
    survival = np.cumprod(1.0 - per_draw, axis=1)
    p_by = 1.0 - survival.mean(axis=0)
    # The population hazard: the chance of ending in month t among draws still at war.
    alive = np.concatenate([np.ones((per_draw.shape[0], 1)), survival[:, :-1]], axis=1)
    monthly = (alive * per_draw).sum(axis=0) / alive.sum(axis=0)
    return np.asarray(monthly), np.asarray(p_by)
