"""Published figures a scenario's model is shown beside: floors, ceilings and estimates.

A scenario's ``checks:`` list names what was published about a flow of men (killed,
casualties, deserters, recruits per month), from which source, and whether the figure is a
floor (an official count known to undercount), a ceiling (criminal cases that include
soldiers who came back) or an estimate. The report sets the model's first year beside each
one; nothing here enters the model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from ceasefire.scenario._params import _Strict

__all__ = ["CHECK_MEASURES", "Check"]

CHECK_MEASURES: dict[str, tuple[str, ...]] = {
    "killed": ("killed",),
    "casualties": ("killed", "wounded_total"),
    "deserted": ("deserted",),
    "recruited": ("recruited",),
}
"""Each measure a check may name, as the model's cumulative counters it sums (per month)."""


class Check(_Strict):
    """A published figure about one side's flow of men per month."""

    side: str
    measure: Literal["killed", "casualties", "deserted", "recruited"]
    per_month: tuple[float, float] = Field(
        description="Men per month: one figure, or [low, high] for a published range."
    )
    bound: Literal["floor", "ceiling", "estimate"] = Field(
        description="floor: the truth is at least this; ceiling: at most; estimate: about."
    )
    source: str = Field(description="A key of the scenario's `sources:`.")
    says: str = Field(
        min_length=1, description="How the monthly figure follows from what the source says."
    )

    @field_validator("per_month", mode="before")
    @classmethod
    def _one_or_two(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (value, value)
        if isinstance(value, list | tuple) and len(value) == 1:
            return (value[0], value[0])
        return value

    @field_validator("per_month")
    @classmethod
    def _ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not 0 <= low <= high:
            raise ValueError(f"expected 0 ≤ low ≤ high men per month, got [{low:g}, {high:g}]")
        return value
