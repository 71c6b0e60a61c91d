"""The summary of an ensemble as typed objects; JSON (``summary.json``) is their serialisation.

:func:`~ceasefire.analysis.summary_of` returns a :class:`Summary`;
:func:`~ceasefire.analysis.summarize` returns its :meth:`Summary.to_json`, the dict written
to ``summary.json``; :meth:`Summary.from_json` reads one back. Readers in the code (the
summary table, the report) use the typed fields, so a misspelt key is a type error, not a
``KeyError`` at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Band",
    "BonusToHold",
    "BudgetCrisis",
    "CrisisChance",
    "ForeignAid",
    "MoneySummary",
    "Quantiles",
    "SideSummary",
    "Summary",
    "Supply",
]


@dataclass(frozen=True)
class Band:
    """The 5%, 50% and 95% quantiles of a measure over the draws (None: no finite value)."""

    units: str
    p05: float | None
    p50: float | None
    p95: float | None
    note: str | None = None
    """What a None means where it means something (months to crisis: beyond the horizon)."""

    def to_json(self) -> dict[str, Any]:
        """Serialise: ``{"units", "p05", "p50", "p95"[, "note"]}``."""
        data: dict[str, Any] = {
            "units": self.units,
            "p05": self.p05,
            "p50": self.p50,
            "p95": self.p95,
        }
        if self.note is not None:
            data["note"] = self.note
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Band:
        """Read what :meth:`to_json` wrote."""
        get = data.get
        return cls(get("units", ""), get("p05"), get("p50"), get("p95"), get("note"))


@dataclass(frozen=True)
class CrisisChance:
    """The probability of a manpower crisis by a month, its 95% interval, and its words."""

    probability: float
    ci95: tuple[float, float]
    words: str

    def to_json(self) -> dict[str, Any]:
        """Serialise: ``{"probability", "ci95": [low, high], "words"}``."""
        return {"probability": self.probability, "ci95": list(self.ci95), "words": self.words}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CrisisChance:
        """Read what :meth:`to_json` wrote."""
        low, high = data["ci95"]
        return cls(float(data["probability"]), (float(low), float(high)), str(data["words"]))


@dataclass(frozen=True)
class SideSummary:
    """One side: a band per headline measure and, where it has a minimum, its crisis odds."""

    bands: dict[str, Band]
    """By measure name (the registry's order), those the ensemble has."""
    p_crisis: dict[int, CrisisChance] | None = None
    """By month; None where the side has no required minimum."""
    months_to_crisis: Band | None = None

    def to_json(self) -> dict[str, Any]:
        """Serialise: each band under its measure's name, ``p_crisis``, ``months_to_crisis``."""
        data: dict[str, Any] = {name: band.to_json() for name, band in self.bands.items()}
        if self.p_crisis is not None:
            data["p_crisis"] = {str(m): c.to_json() for m, c in self.p_crisis.items()}
        if self.months_to_crisis is not None:
            data["months_to_crisis"] = self.months_to_crisis.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SideSummary:
        """Read what :meth:`to_json` wrote."""
        crisis = data.get("p_crisis")
        months = data.get("months_to_crisis")
        return cls(
            bands={
                name: Band.from_json(value)
                for name, value in data.items()
                if name not in ("p_crisis", "months_to_crisis")
            },
            p_crisis=None
            if crisis is None
            else {int(m): CrisisChance.from_json(c) for m, c in crisis.items()},
            months_to_crisis=None if months is None else Band.from_json(months),
        )


@dataclass(frozen=True)
class Quantiles:
    """The 5%, 50% and 95% quantiles of an amount over the draws (None: no finite value)."""

    p05: float | None
    p50: float | None
    p95: float | None

    def to_json(self) -> dict[str, Any]:
        """Serialise: ``{"p05", "p50", "p95"}``."""
        return {"p05": self.p05, "p50": self.p50, "p95": self.p95}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Quantiles:
        """Read what :meth:`to_json` wrote (other keys of ``data`` are ignored)."""
        return cls(data.get("p05"), data.get("p50"), data.get("p95"))


@dataclass(frozen=True)
class BudgetCrisis:
    """A side's money path against its budget: P(it exceeds the budget), when, and why."""

    p_within_horizon: float
    first_month_median: float | None
    cause: str | None
    """The money component that grew most by the first month over budget (most often)."""
    share_of_budget_median: float

    def to_json(self) -> dict[str, Any]:
        """Serialise, in the field order."""
        return {
            "p_within_horizon": self.p_within_horizon,
            "first_month_median": self.first_month_median,
            "cause": self.cause,
            "share_of_budget_median": self.share_of_budget_median,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BudgetCrisis:
        """Read what :meth:`to_json` wrote."""
        return cls(
            float(data["p_within_horizon"]),
            data.get("first_month_median"),
            data.get("cause"),
            float(data["share_of_budget_median"]),
        )


@dataclass(frozen=True)
class ForeignAid:
    """What a side's own money could carry without the foreign share of its budget."""

    p_budget_short: float
    """Share of draws in which the side's own money could not carry the path."""
    note: str

    def to_json(self) -> dict[str, Any]:
        """Serialise: ``{"p_budget_short", "note"}``."""
        return {"p_budget_short": self.p_budget_short, "note": self.note}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ForeignAid:
        """Read what :meth:`to_json` wrote."""
        return cls(float(data["p_budget_short"]), str(data.get("note", "")))


@dataclass(frozen=True)
class BonusToHold:
    """The federal sign-on bonus that keeps ``recruits_per_month`` coming after some months."""

    recruits_per_month: float
    after_months: float
    bonus: Quantiles
    units: str
    note: str

    def to_json(self) -> dict[str, Any]:
        """Serialise: the target, the bonus's quantiles, its units and a note."""
        return {
            "recruits_per_month": self.recruits_per_month,
            "after_months": self.after_months,
            **self.bonus.to_json(),
            "units": self.units,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BonusToHold:
        """Read what :meth:`to_json` wrote."""
        return cls(
            float(data["recruits_per_month"]),
            float(data["after_months"]),
            Quantiles.from_json(data),
            str(data["units"]),
            str(data.get("note", "")),
        )


@dataclass(frozen=True)
class Supply:
    """A side's calibrated recruitment supply: its elasticity and the bonus that holds recruits."""

    elasticity: Quantiles
    bonus_to_hold: BonusToHold

    def to_json(self) -> dict[str, Any]:
        """Serialise: ``{"elasticity", "bonus_to_hold"}``."""
        return {
            "elasticity": self.elasticity.to_json(),
            "bonus_to_hold": self.bonus_to_hold.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Supply:
        """Read what :meth:`to_json` wrote."""
        return cls(
            Quantiles.from_json(data["elasticity"]), BonusToHold.from_json(data["bonus_to_hold"])
        )


@dataclass(frozen=True)
class MoneySummary:
    """One side's money per month, in its own currency (``analysis.costs.money_summary_of``)."""

    currency: str
    total: Quantiles
    """The horizon-average money per month."""
    first_month: Quantiles
    last_month: Quantiles
    components: dict[str, Quantiles]
    """Horizon averages of pay, bonuses, compensation and equipment (they sum to the total)."""
    total_usd: Quantiles
    budget_per_month: Quantiles
    budget_crisis: BudgetCrisis
    without_foreign_aid: ForeignAid | None = None
    """Where the side has a foreign share of its budget."""
    supply: Supply | None = None
    """Where the side's recruitment is bought with money (a ``supply:`` section)."""

    @property
    def units(self) -> str:
        """The amounts' units: ``rub per month``."""
        return f"{self.currency} per month"

    def to_json(self) -> dict[str, Any]:
        """Serialise to the side's entry under ``money`` in ``summary.json``."""
        data: dict[str, Any] = {
            "currency": self.currency,
            "units": self.units,
            "total": self.total.to_json(),
            "first_month": self.first_month.to_json(),
            "last_month": self.last_month.to_json(),
            "components": {name: q.to_json() for name, q in self.components.items()},
            "total_usd": self.total_usd.to_json(),
            "budget_per_month": self.budget_per_month.to_json(),
            "budget_crisis": self.budget_crisis.to_json(),
        }
        if self.without_foreign_aid is not None:
            data["without_foreign_aid"] = self.without_foreign_aid.to_json()
        if self.supply is not None:
            data["supply"] = self.supply.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MoneySummary:
        """Read what :meth:`to_json` wrote."""
        supply = data.get("supply")
        aid = data.get("without_foreign_aid")
        return cls(
            currency=str(data["currency"]),
            total=Quantiles.from_json(data["total"]),
            first_month=Quantiles.from_json(data["first_month"]),
            last_month=Quantiles.from_json(data["last_month"]),
            components={k: Quantiles.from_json(v) for k, v in data["components"].items()},
            total_usd=Quantiles.from_json(data["total_usd"]),
            budget_per_month=Quantiles.from_json(data["budget_per_month"]),
            budget_crisis=BudgetCrisis.from_json(data["budget_crisis"]),
            without_foreign_aid=None if aid is None else ForeignAid.from_json(aid),
            supply=None if supply is None else Supply.from_json(supply),
        )


@dataclass(frozen=True)
class Summary:
    """The headline summary of an ensemble, with its provenance."""

    scenario: str
    title: str
    scenario_sha256: str
    seed: int
    draws: int
    sampler: str
    start: str
    horizon_months: float
    information_cutoff: str
    ceasefire_version: str
    probability_words: str
    """The yardstick's legend, so the JSON file explains its words."""
    sides: dict[str, SideSummary]
    quantile_rank_error_bound: float | None = None
    """Set when a streamed summary's quantiles are approximate (a proven bound)."""
    money: dict[str, MoneySummary] | None = None
    """Money per month by side, in each side's currency, where the run computed it."""
    run: dict[str, Any] | None = None
    """What ran besides the scenario (what-ifs, overrides, posterior), where a command says."""

    def to_json(self) -> dict[str, Any]:
        """Serialise to the dict written to ``summary.json``."""
        data: dict[str, Any] = {
            "scenario": self.scenario,
            "title": self.title,
            "scenario_sha256": self.scenario_sha256,
            "seed": self.seed,
            "draws": self.draws,
            "sampler": self.sampler,
            "start": self.start,
            "horizon_months": self.horizon_months,
            "information_cutoff": self.information_cutoff,
            "ceasefire_version": self.ceasefire_version,
            "probability_words": self.probability_words,
            "sides": {side: entry.to_json() for side, entry in self.sides.items()},
        }
        if self.quantile_rank_error_bound is not None:
            data["quantile_rank_error_bound"] = self.quantile_rank_error_bound
        if self.money is not None:
            data["money"] = {side: entry.to_json() for side, entry in self.money.items()}
        if self.run is not None:
            data["run"] = self.run
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary:
        """Read a summary dict (``summary.json``)."""
        money = data.get("money")
        return cls(
            scenario=data["scenario"],
            title=data["title"],
            scenario_sha256=data["scenario_sha256"],
            seed=int(data["seed"]),
            draws=int(data["draws"]),
            sampler=data["sampler"],
            start=data["start"],
            horizon_months=float(data["horizon_months"]),
            information_cutoff=data.get("information_cutoff", ""),
            ceasefire_version=data["ceasefire_version"],
            probability_words=data.get("probability_words", ""),
            sides={side: SideSummary.from_json(e) for side, e in data["sides"].items()},
            quantile_rank_error_bound=data.get("quantile_rank_error_bound"),
            money=None
            if money is None
            else {side: MoneySummary.from_json(entry) for side, entry in money.items()},
            run=data.get("run"),
        )

    @classmethod
    def of(cls, summary: Summary | Mapping[str, Any]) -> Summary:
        """Return ``summary`` typed (reading it when it is the JSON dict)."""
        return summary if isinstance(summary, Summary) else cls.from_json(summary)
