"""The scenario's ``observations:`` section: how each observed series relates to the model.

No observed series is the truth, so each is linked to a model quantity by an observation
model whose factors are scenario parameters with priors and provenance:

- **General Staff claims** = casualties (killed + wounded) of ``side`` × ``general_staff_bias``;
- **Mediazona/BBC named deaths** = killed × ``mediazona_coverage`` × completeness, where a
  month's deaths are named over time: the share named by the time the file was compiled is
  ``1 − exp(−age / mediazona_lag)`` (``age``: time from the month's end to the file's date;
  complete when the file's date is not given). A floor: coverage is at most 1.
- **official contract claims** = recruits of ``side`` × ``contract_inflation``;
- **mapped territory** (DeepState) at a month's end = the area the front's holder holds in
  the model then, with log-scale noise ``territory_noise`` (map redrawings, and the
  month-to-month unevenness of the advance that the smooth front law does not follow).

Each monthly observation scatters around its observation model with a log-scale standard
deviation (``*_noise``): the month-to-month variation the aggregate model does not explain
plus reporting noise. A generic series observes a model quantity directly (factor 1) with
``other_noise``.

These parameters are distributions like any other, so ``simulate`` samples them as uncertain
parameters (they do not change the simulation) and calibration updates them; sensitivity
analyses of model outputs should leave ``observations.*`` out.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ceasefire.scenario._params import Duration, Fraction, Param, Positive, constrained

__all__ = ["Observations"]

Factor = Annotated[Param, constrained(low=0.0, above_low=True, what="a positive factor")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Observations(_Strict):
    """Observation models linking observed series to the model, with their parameters."""

    side: str = Field(description="The side whose losses and recruits the series count.")
    general_staff_bias: Factor = Field(
        description="General Staff casualty claims per actual casualty (1 = unbiased)."
    )
    general_staff_noise: Positive = Field(
        description="Log-scale sd of monthly General Staff claims around casualties × bias."
    )
    mediazona_coverage: Fraction = Field(
        description="Share of the killed whom Mediazona/BBC eventually name (a floor: ≤ 1)."
    )
    mediazona_lag: Duration = Field(
        description="Mean time from a death to its naming (completeness 1 − exp(−age/lag))."
    )
    mediazona_noise: Positive = Field(
        description="Log-scale sd of monthly named deaths around killed × coverage."
    )
    contract_inflation: Factor = Field(
        description="Officially claimed recruits per actual recruit (1 = accurate)."
    )
    contract_noise: Positive = Field(
        description="Log-scale sd of a contract claim around recruits × inflation."
    )
    other_noise: Positive = Field(
        description="Log-scale sd of a generic series around the model quantity it observes."
    )
    territory_noise: Positive | None = Field(
        default=None,
        description=(
            "Log-scale sd of the mapped occupied area at a month's end around the model's "
            "front (the `territory` series)."
        ),
    )
