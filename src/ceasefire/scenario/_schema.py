"""The scenario schema: what a scenario file may say, checked on load.

A scenario names two sides (bargaining is bilateral), each with force channels
(contract volunteers, mobilised reservists, prisoners, a foreign contingent …),
a combat law, an optional front, and the time grid. Every numeric field is a
:data:`~ceasefire.scenario.Param` with a source or an assumption. Unknown keys
are errors (``extra="forbid"``), so a typo never passes silently.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ceasefire.scenario._checks import Check
from ceasefire.scenario._correlations import Correlation
from ceasefire.scenario._costs import Costs, check_costs
from ceasefire.scenario._observations import Observations
from ceasefire.scenario._params import (
    Area,
    AreaRate,
    Duration,
    Fraction,
    Men,
    Param,
    Positive,
    Rate,
    Real,
    ScenarioFieldError,
    Source,
    StartShare,
    constrained,
    iter_params,
)
from ceasefire.scenario._schedules import (
    Amount,
    AmountSchedule,
    MultiplierSchedule,
    MultiplierSegment,
    RateSchedule,
    RateSegment,
)
from ceasefire.scenario._units import DAYS_PER_MONTH

__all__ = [
    "AnchoredCombat",
    "BargainIssue",
    "Bargaining",
    "Channel",
    "Combat",
    "ExchangeRatioCombat",
    "FatigueCombat",
    "Front",
    "GeneralCombat",
    "Incentive",
    "LinearCombat",
    "LogarithmicCombat",
    "MultiplierSegment",
    "Pool",
    "RateSegment",
    "ResponsiveCombat",
    "Scenario",
    "Side",
    "Span",
    "SquareCombat",
    "TimeGrid",
    "WoundedReturn",
    "iter_params",
]

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _identifiers(mapping: dict[str, Any]) -> dict[str, Any]:
    for key in mapping:
        if not _IDENT.match(key):
            raise ValueError(
                f"{key!r} is not a valid id: use lower-case letters, digits and _ "
                "(starting with a letter)"
            )
    return mapping


# --- sides and channels ------------------------------------------------------------------


class Incentive(_Strict):
    """Recruitment response to pay: ``rate × (bonus(t) / reference) ** elasticity``."""

    bonus: AmountSchedule = Field(min_length=1)
    reference: Amount
    elasticity: Annotated[Param, constrained(low=0.0, what="an elasticity")]

    @model_validator(mode="after")
    def _positive_reference(self) -> Incentive:
        if self.reference.support()[0] <= 0:
            raise ValueError("`reference` bonus must be positive")
        return self


class Channel(_Strict):
    """A route into a side's force: recruitment, training, deployment."""

    label: str | None = Field(default=None, description="What the channel is, in words.")
    recruitment: RateSchedule = Field(
        default_factory=list, description="Recruits per time, as dated segments."
    )
    draws_on_pool: bool = Field(
        default=True, description="Whether recruits come from the side's eligible pool."
    )
    training_delay: Duration | None = Field(
        default=None, description="Mean time in training; required when the channel recruits."
    )
    training_order: Literal[1, 3] = Field(
        default=1, description="Order of the training delay (1: exponential, 3: near-fixed)."
    )
    effectiveness: Positive = Field(description="Combat effectiveness per soldier (1 = baseline).")
    exposure: Positive = Field(description="Relative exposure to casualties (assault units > 1).")
    initial_active: Men
    initial_training: Men | None = None
    initial_wounded: Men | None = None
    incentive: Incentive | None = None
    policy: MultiplierSchedule = Field(
        default_factory=list,
        description="Dated multipliers on recruitment (draft law, evasion); 1 outside segments.",
    )

    @model_validator(mode="after")
    def _training(self) -> Channel:
        if self.training_delay is None and (self.recruitment or self.initial_training):
            raise ValueError("`training_delay:` is required for a channel that recruits or trains")
        return self


class Pool(_Strict):
    """Men still eligible for recruitment; recruitment scales as ``(pool / pool0) ** exponent``."""

    initial: Men
    depletion_exponent: Positive

    @field_validator("initial")
    @classmethod
    def _starts_above_zero(cls, initial: Param) -> Param:
        # Recruitment scales as pool / initial: an empty pool at the start has no scale.
        if initial.support()[0] <= 0:
            raise ValueError(
                "a pool must start above 0 men; leave `pool:` out for a channel without one"
            )
        return initial


class WoundedReturn(_Strict):
    """Wounded return to duty after ``delay`` with probability ``fraction``; the rest leave."""

    fraction: Fraction
    delay: Duration


class Side(_Strict):
    """One party to the war: its channels, losses and the force it needs."""

    name: str = Field(min_length=1)
    channels: Annotated[dict[str, Channel], AfterValidator(_identifiers)] = Field(min_length=1)
    killed_fraction: Fraction = Field(description="Share of combat casualties who are killed.")
    wounded_return: WoundedReturn
    desertion_rate: Rate
    required_minimum_force: Men | None = Field(
        default=None,
        description="Active force below which the side is in a manpower crisis.",
    )
    required_minimum_share: StartShare | None = Field(
        default=None,
        description="The crisis threshold as a share (below 1) of the starting active force.",
    )
    pool: Pool | None = None

    @model_validator(mode="after")
    def _one_minimum(self) -> Side:
        if self.required_minimum_force is not None and self.required_minimum_share is not None:
            raise ValueError(
                "give `required_minimum_force:` or `required_minimum_share:`, not both"
            )
        return self

    @property
    def has_required_minimum(self) -> bool:
        """Whether the side has a manpower-crisis threshold (absolute or relative)."""
        return self.required_minimum_force is not None or self.required_minimum_share is not None


# --- combat laws ---------------------------------------------------------------------------


class _Combat(_Strict):
    """The scenario's ``combat:`` section, one class per law (``<Name>Combat``).

    These are the settings a scenario gives a law; the law itself, its equation, is
    ``ceasefire.model.laws.<Name>Law`` (found by the ``law:`` tag).
    """

    intensity: MultiplierSchedule = Field(
        default_factory=list, description="Dated multipliers on both sides' casualties."
    )
    min_loss_time: Duration | None = Field(
        default=None,
        description="Casualties never exceed active force / min_loss_time (a cap, as in Vensim).",
    )


class SquareCombat(_Combat):
    """Lanchester square (aimed fire): ``C_s = a_o E_o`` (Lanchester, 1916)."""

    law: Literal["square"]
    lethality: dict[str, Rate] = Field(
        description="Per side: casualties inflicted per effective soldier per time."
    )


class LinearCombat(_Combat):
    """Lanchester linear (area fire): ``C_s = a_o E_o E_s`` (Lanchester, 1916)."""

    law: Literal["linear"]
    lethality: dict[str, Rate]


class LogarithmicCombat(_Combat):
    """Logarithmic (Peterson, 1953): ``C_s = a_s E_s``, losses grow with own exposure."""

    law: Literal["logarithmic"]
    loss_rate: dict[str, Rate] = Field(description="Per side: own losses per own soldier per time.")


class GeneralCombat(_Combat):
    """Bracken/Helmbold general law ``C_s = a_o E_o^p E_s^q`` (Bracken, 1995)."""

    law: Literal["general"]
    lethality: dict[str, Rate]
    p: Real
    q: Real


class AnchoredCombat(_Combat):
    """What the laws anchored on an observed casualty rate share (exchange ratio, responsive).

    ``casualties(t)`` is the reference side's casualty rate; the other side's is that rate
    divided by ``exchange_ratio``, the reference side's casualties per casualty of the other.
    """

    reference_side: str
    casualties: RateSchedule = Field(min_length=1)
    exchange_ratio: Annotated[Param, constrained(low=0.0, what="a positive ratio")]
    exchange_ratio_change: MultiplierSchedule = Field(
        default_factory=list,
        description=(
            "Dated multipliers on the exchange ratio (1 where none): r(t) = r · change(t); "
            "may carry a stochastic process, so the ratio moves over time per draw."
        ),
    )

    @model_validator(mode="after")
    def _positive(self) -> AnchoredCombat:
        if self.exchange_ratio.support()[0] <= 0:
            raise ValueError("`exchange_ratio` must be positive")
        return self


class ExchangeRatioCombat(AnchoredCombat):
    """Exchange-ratio mode: one side's casualty rate is given, the other's follows.

    ``C_ref(t) = casualties(t)`` and ``C_other = C_ref / exchange_ratio``, whatever the
    forces do.
    """

    law: Literal["exchange_ratio"]


class ResponsiveCombat(AnchoredCombat):
    """Responsive mode: the exchange-ratio rates at the start, then losses follow the forces.

    ``C_s = C_s⁰(t) (E_o / E_o⁰)^p (E_s / E_s⁰)^q``, where ``C_s⁰`` is the exchange-ratio
    mode's rate and ``E⁰`` the effective strengths at the start: a side loses more as its
    opponent grows (``p``) and less as it shrinks itself (``q``).
    """

    law: Literal["responsive"]
    p: Annotated[Param, constrained(low=0.0, what="a non-negative exponent")] = Field(
        description="Weight of the opponent's strength (1: as in the square law)."
    )
    q: Annotated[Param, constrained(low=0.0, what="a non-negative exponent")] = Field(
        description="Weight of the side's own strength (1: as in the logarithmic law)."
    )


class FatigueCombat(_Combat):
    """Fatigue (Rubio-Campillo, 2016): ``C_s = a_s E_s / ln(e + t / τ)``.

    The logarithmic law with a killing rate that decays with the time fought ``t`` (since
    the scenario's start): 1 at the start, 1/ln(e + 1) ≈ 0.76 after one ``time_scale``.
    """

    law: Literal["fatigue"]
    loss_rate: dict[str, Rate] = Field(
        description="Per side: own losses per own soldier per time at the start."
    )
    time_scale: Duration = Field(description="τ: the time unit of fatigue (one battle step).")


Combat = Annotated[
    SquareCombat
    | LinearCombat
    | LogarithmicCombat
    | GeneralCombat
    | ExchangeRatioCombat
    | ResponsiveCombat
    | FatigueCombat,
    Field(discriminator="law"),
]


class Front(_Strict):
    """The contested territory: ``d front/dt = v · pace(t) · tanh((E_A/E_B − θ) / w)``.

    ``front`` is the area held by ``holder``; it stays within ``[0, contested_area]``.
    """

    holder: str
    initial: Area
    contested_area: Area
    max_speed: AreaRate = Field(description="v: km² per time at an overwhelming advantage.")
    stall_ratio: Positive = Field(description="θ: effective-strength ratio at which it stalls.")
    width: Positive = Field(description="w: how sharply the pace responds to the ratio.")
    pace: MultiplierSchedule = Field(
        default_factory=list,
        description=(
            "Dated multipliers on v (1 where none): what moves the front besides the strength "
            "ratio (weather, doctrine, fortifications); may carry a stochastic process."
        ),
    )

    @model_validator(mode="after")
    def _width(self) -> Front:
        if self.width.support()[0] <= 0:
            raise ValueError("`width` must be positive")
        return self


# --- bargaining ---------------------------------------------------------------------------


class BargainIssue(_Strict):
    """One issue on the table; its outcome is A's (the first side's) share of it.

    Each side values the issue with a weight (a side's weights over all issues sum to 1,
    Raiffa 1982); ``at_war`` is the outcome if fighting goes on: ``front`` (A's share of the
    contested area at the horizon) or a fixed share.
    """

    description: str = ""
    kind: Literal["continuous", "binary"]
    weights: dict[str, Fraction]
    at_war: Literal["front"] | Fraction


class Bargaining(_Strict):
    """What a settlement divides and what fighting on costs each side, in the same units.

    A side's value of fighting on from month ``t`` is its utility of the war outcome at the
    horizon minus its casualties from ``t`` to the horizon divided by its ``resolve`` (the
    casualties it would bear for everything on the table, i.e. for utility 1).
    """

    resolve: dict[str, Men]
    issues: Annotated[dict[str, BargainIssue], AfterValidator(_identifiers)] = Field(min_length=1)


# --- time --------------------------------------------------------------------------------


class Span(_Strict):
    """A length of time with its unit."""

    value: float = Field(gt=0, allow_inf_nan=False)
    unit: Literal["days", "months"]

    @property
    def days(self) -> float:
        """The span in days."""
        return self.value * (DAYS_PER_MONTH if self.unit == "months" else 1.0)


class TimeGrid(_Strict):
    """Run controls, as in Vensim: start, horizon, integration step, save period."""

    start: dt.date
    horizon: Span
    step: Span = Span(value=1, unit="days")
    saveper: Span = Span(value=1, unit="months")
    method: Literal["euler", "rk4"] = "euler"

    @model_validator(mode="after")
    def _grid(self) -> TimeGrid:
        if self.horizon.days > 200 * 365.25:
            raise ValueError(f"horizon of {self.horizon.days / 365.25:.0f} years is beyond 200")
        if self.step.days > self.saveper.days:
            raise ValueError("step must not be longer than saveper")
        if self.saveper.days > self.horizon.days:
            raise ValueError("saveper must not be longer than the horizon")
        if self.horizon.days / self.step.days > 5_000_000:
            raise ValueError("more than 5,000,000 steps: use a longer step")
        return self


# --- the scenario ------------------------------------------------------------------------


class Scenario(_Strict):
    """A whole scenario: the sides, how they fight, and over what time."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    description: str = ""
    information_cutoff: dt.date | None = Field(
        default=None, description="No source may be dated after this day."
    )
    sources: dict[str, Source] = Field(default_factory=dict)
    time: TimeGrid
    sides: Annotated[dict[str, Side], AfterValidator(_identifiers)]
    combat: Combat
    front: Front | None = None
    bargaining: Bargaining | None = None
    correlations: list[Correlation] = Field(
        default_factory=list,
        description="Groups of uncertain parameters that move together (a Gaussian copula).",
    )
    observations: Observations | None = Field(
        default=None, description="How observed series relate to the model (calibration)."
    )
    costs: Costs | None = Field(
        default=None, description="What the war costs each side in money (post-processing)."
    )
    checks: list[Check] = Field(
        default_factory=list,
        description="Published figures the model is shown beside (the report; not the model).",
    )

    @field_validator("sides")
    @classmethod
    def _two_sides(cls, sides: dict[str, Side]) -> dict[str, Side]:
        if len(sides) != 2:
            raise ValueError(f"expected exactly two sides, got {len(sides)}")
        return sides

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        side_ids = list(self.sides)
        combat = self.combat
        per_side = {
            "lethality": getattr(combat, "lethality", None),
            "loss_rate": getattr(combat, "loss_rate", None),
        }
        for field, mapping in per_side.items():
            if mapping is not None and sorted(mapping) != sorted(side_ids):
                raise ScenarioFieldError(
                    ("combat", field),
                    f"expected one entry per side ({', '.join(side_ids)}), got "
                    f"{', '.join(mapping) or 'none'}",
                )
        if isinstance(combat, AnchoredCombat) and combat.reference_side not in side_ids:
            raise ScenarioFieldError(
                ("combat", "reference_side"),
                f"unknown side {combat.reference_side!r}: expected one of {', '.join(side_ids)}",
            )
        if self.front is not None and self.front.holder not in side_ids:
            raise ScenarioFieldError(
                ("front", "holder"),
                f"unknown side {self.front.holder!r}: expected one of {', '.join(side_ids)}",
            )
        if self.bargaining is not None:
            self._check_bargaining(self.bargaining, side_ids)
        if self.costs is not None:
            check_costs(self.costs, self.sides)
        for side_id, side in self.sides.items():
            pooled = any(channel.draws_on_pool for channel in side.channels.values())
            if pooled and side.pool is None:
                # Without a pool, recruitment does not deplete anything: say so explicitly.
                for name, channel in side.channels.items():
                    if channel.draws_on_pool:
                        raise ScenarioFieldError(
                            ("sides", side_id, "channels", name, "draws_on_pool"),
                            "the channel draws on the pool but the side has no `pool:`; "
                            "add one or set draws_on_pool: false",
                        )
        for path, param in iter_params(self):
            source = param.source
            if isinstance(source, str) and source not in self.sources:
                raise ScenarioFieldError(
                    (*path, "source"),
                    f"unknown source {source!r}: expected a key of `sources:` "
                    f"({', '.join(self.sources) or 'none defined'})",
                )
        self._check_correlations()
        for i, check in enumerate(self.checks):
            if check.side not in side_ids:
                raise ScenarioFieldError(
                    ("checks", i, "side"),
                    f"unknown side {check.side!r}: expected one of {', '.join(side_ids)}",
                )
            if check.source not in self.sources:
                raise ScenarioFieldError(
                    ("checks", i, "source"),
                    f"unknown source {check.source!r}: expected a key of `sources:` "
                    f"({', '.join(self.sources) or 'none defined'})",
                )
        if self.information_cutoff is not None:
            cutoff = self.information_cutoff.isoformat()
            for key, source in self.sources.items():
                if source.date > cutoff and not cutoff.startswith(source.date):
                    raise ScenarioFieldError(
                        ("sources", key, "date"),
                        f"published {source.date}, after the information cutoff {cutoff}",
                    )
            for path, param in iter_params(self):
                inline = param.source
                if isinstance(inline, Source) and inline.date > cutoff:
                    raise ScenarioFieldError(
                        (*path, "source", "date"),
                        f"published {inline.date}, after the information cutoff {cutoff}",
                    )
        return self

    def _check_correlations(self) -> None:
        uncertain = {
            ".".join(str(p) for p in path): param
            for path, param in iter_params(self)
            if not param.is_fixed
        }
        seen: dict[str, int] = {}
        for index, group in enumerate(self.correlations):
            if isinstance(group.source, str) and group.source not in self.sources:
                raise ScenarioFieldError(
                    ("correlations", index, "source"),
                    f"unknown source {group.source!r}: expected a key of `sources:`",
                )
            for position, path in enumerate(group.parameters):
                where = ("correlations", index, "parameters", position)
                if path not in uncertain:
                    fixed = any(".".join(str(p) for p in q) == path for q, _ in iter_params(self))
                    raise ScenarioFieldError(
                        where,
                        f"{path!r} is a fixed number; only distributions can be correlated"
                        if fixed
                        else f"{path!r} is not a parameter of the scenario",
                    )
                if path in seen:
                    raise ScenarioFieldError(
                        where, f"{path!r} is already in correlation group {seen[path]}"
                    )
                seen[path] = index

    def _check_bargaining(self, bargaining: Bargaining, side_ids: list[str]) -> None:
        if sorted(bargaining.resolve) != sorted(side_ids):
            raise ScenarioFieldError(
                ("bargaining", "resolve"),
                f"expected one entry per side ({', '.join(side_ids)}), got "
                f"{', '.join(bargaining.resolve) or 'none'}",
            )
        for name, issue in bargaining.issues.items():
            if sorted(issue.weights) != sorted(side_ids):
                raise ScenarioFieldError(
                    ("bargaining", "issues", name, "weights"),
                    f"expected one weight per side ({', '.join(side_ids)})",
                )
            if issue.at_war == "front" and self.front is None:
                raise ScenarioFieldError(
                    ("bargaining", "issues", name, "at_war"),
                    "`front` needs the scenario's `front:` section",
                )
        for side_id in side_ids:
            weights = [issue.weights[side_id] for issue in bargaining.issues.values()]
            if all(w.is_fixed for w in weights):
                total = sum(w.central() for w in weights)
                if abs(total - 1.0) > 1e-9:
                    raise ScenarioFieldError(
                        ("bargaining", "issues"),
                        f"{side_id}'s issue weights sum to {total:g}; they must sum to 1",
                    )

    @property
    def side_ids(self) -> tuple[str, str]:
        """The two side ids, in file order (the first is side A)."""
        first, second = self.sides
        return first, second
