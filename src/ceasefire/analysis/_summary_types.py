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

__all__ = ["Band", "CrisisChance", "SideSummary", "Summary"]


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
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary:
        """Read a summary dict (``summary.json``); keys it does not know (``run``) are ignored."""
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
        )

    @classmethod
    def of(cls, summary: Summary | Mapping[str, Any]) -> Summary:
        """Return ``summary`` typed (reading it when it is the JSON dict)."""
        return summary if isinstance(summary, Summary) else cls.from_json(summary)
