"""Numeric scenario fields: a fixed number or a distribution, each with provenance.

Every numeric field of a scenario is a :data:`Param`. It is either a fixed
``value`` or a distribution (``uniform``, ``triangular``, ``pert``, ``normal``,
``lognormal``; the last two may be truncated with ``low``/``high``; or ``range``, a
published range read by a stated rule, see :class:`Range`), and it
carries either a ``source`` (a key of the scenario's ``sources`` table or an
inline :class:`Source`) or an ``assumption`` saying why the number was chosen.

Sampling maps uniform numbers in ``[0, 1)`` through each distribution's quantile
function (:meth:`ppf`), so Monte Carlo, Latin hypercube and later Sobol designs
share one code path.
"""

from __future__ import annotations

import math
import re
from abc import abstractmethod
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

__all__ = [
    "DISTRIBUTIONS",
    "Fixed",
    "Lognormal",
    "Normal",
    "Param",
    "Pert",
    "Quantity",
    "Range",
    "ScenarioFieldError",
    "Source",
    "Triangular",
    "Uniform",
    "constrained",
    "iter_params",
]

FloatArray = npt.NDArray[np.float64]

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a number comes from: who published what, when, and what it says."""

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    date: str = Field(description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
    says: str = Field(min_length=1, description="What the source says, in its words or close.")
    url: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        # YAML reads 2024-11-30 as a date and 2024 as a number; keep the text form.
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("date")
    @classmethod
    def _date_form(cls, value: str) -> str:
        if not _DATE.match(value):
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        return value


def _finite(value: float, name: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


class Quantity(_Strict):
    """Fields shared by every numeric parameter: unit and provenance."""

    unit: str | None = None
    source: str | Source | None = Field(
        default=None, description="A key of the scenario's `sources` table, or an inline source."
    )
    says: str | None = Field(
        default=None, description="What the keyed source says about this number."
    )
    assumption: str | None = Field(
        default=None, description="Why this number was chosen when no source gives it."
    )

    dist: str

    def provenance(self) -> str:
        """Say where the number comes from: ``source: <key or title>`` or ``assumption: …``."""
        if self.source is None:
            return f"assumption: {self.assumption}"
        title = self.source if isinstance(self.source, str) else self.source.title
        return f"source: {title}" + (f" ({self.says})" if self.says else "")

    @model_validator(mode="after")
    def _provenance(self) -> Quantity:
        if (self.source is None) == (self.assumption is None):
            raise ValueError(
                "give exactly one of `source:` (where the number comes from) "
                "or `assumption:` (why it was chosen)"
            )
        if self.assumption is not None and not self.assumption.strip():
            raise ValueError("`assumption:` must say why the number was chosen")
        return self

    @abstractmethod
    def support(self) -> tuple[float, float]:
        """Return the smallest and largest value the parameter can take."""

    @abstractmethod
    def ppf(self, u: FloatArray) -> FloatArray:
        """Map uniform numbers in [0, 1) to values of the parameter (quantile function)."""

    @property
    def is_fixed(self) -> bool:
        """Whether the parameter is a single number rather than a distribution."""
        return False

    def central(self) -> float:
        """Return the median, used for a deterministic (single-draw, central) run."""
        return float(self.ppf(np.array([0.5]))[0])


class Fixed(Quantity):
    """A single number."""

    dist: Literal["fixed"] = "fixed"
    value: float

    @field_validator("value")
    @classmethod
    def _value_finite(cls, value: float) -> float:
        return _finite(value, "value")

    def support(self) -> tuple[float, float]:
        return (self.value, self.value)

    def ppf(self, u: FloatArray) -> FloatArray:
        return np.full(np.shape(u), self.value)

    @property
    def is_fixed(self) -> bool:
        return True

    def central(self) -> float:
        return self.value


class Uniform(Quantity):
    """Uniform on ``[low, high]``."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Uniform:
        _finite(self.low, "low")
        _finite(self.high, "high")
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def ppf(self, u: FloatArray) -> FloatArray:
        return self.low + (self.high - self.low) * np.asarray(u, dtype=np.float64)


class Triangular(Quantity):
    """Triangular on ``[low, high]`` with its peak at ``mode``."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Triangular:
        _check_low_mode_high(self.low, self.mode, self.high)
        return self

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def ppf(self, u: FloatArray) -> FloatArray:
        u = np.asarray(u, dtype=np.float64)
        a, c, b = self.low, self.mode, self.high
        split = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < split, left, right)


class Pert(Quantity):
    """Beta-PERT on ``[low, high]`` with most likely value ``mode``.

    ``Beta(1 + shape (mode - low) / (high - low), 1 + shape (high - mode) / (high - low))``
    rescaled to ``[low, high]``; ``shape = 4`` is the classical PERT (Malcolm et al., 1959;
    Vose, *Risk Analysis*, 2008).
    """

    dist: Literal["pert"]
    low: float
    mode: float
    high: float
    shape: float = Field(default=4.0, gt=0)

    @model_validator(mode="after")
    def _order(self) -> Pert:
        _check_low_mode_high(self.low, self.mode, self.high)
        return self

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def ppf(self, u: FloatArray) -> FloatArray:
        from scipy.special import betaincinv

        width = self.high - self.low
        alpha = 1.0 + self.shape * (self.mode - self.low) / width
        beta = 1.0 + self.shape * (self.high - self.mode) / width
        return np.asarray(self.low + width * betaincinv(alpha, beta, u), dtype=np.float64)


_MIN_TRUNCATED_MASS = 1e-12
"""Smallest share of a distribution a truncation interval may hold."""


class _Truncatable(Quantity):
    low: float | None = None
    high: float | None = None

    def _bounds(self) -> tuple[float, float]:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        return lo, hi

    def _truncated(
        self,
        u: FloatArray,
        cdf: Callable[[float], float],
        ppf: Callable[[FloatArray], FloatArray],
    ) -> FloatArray:
        lo, hi = self._bounds()
        f_lo = cdf(lo) if math.isfinite(lo) else 0.0
        f_hi = cdf(hi) if math.isfinite(hi) else 1.0
        # Below this share the inverse CDF has no resolution left inside the interval.
        if not f_hi - f_lo > _MIN_TRUNCATED_MASS:
            raise ValueError(
                f"the truncation interval [{lo:g}, {hi:g}] holds no probability mass of this "
                f"distribution (share {max(f_hi - f_lo, 0.0):.3g}); move `low`/`high` or "
                "its centre"
            )
        values = np.asarray(ppf(f_lo + (f_hi - f_lo) * np.asarray(u)), dtype=np.float64)
        return np.clip(values, lo, hi)

    def _check_bounds(self) -> None:
        lo, hi = self._bounds()
        if not lo < hi:
            raise ValueError(f"low ({lo}) must be below high ({hi})")

    def _check_mass(self) -> None:
        """Refuse, at validation, a truncation that sampling would refuse."""
        if self.low is not None or self.high is not None:
            self.ppf(np.array([0.5]))


class Normal(_Truncatable):
    """Normal with ``mean`` and ``sd``, optionally truncated to ``[low, high]``."""

    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)

    @model_validator(mode="after")
    def _order(self) -> Normal:
        _finite(self.mean, "mean")
        _finite(self.sd, "sd")
        self._check_bounds()
        self._check_mass()
        return self

    def support(self) -> tuple[float, float]:
        return self._bounds()

    def ppf(self, u: FloatArray) -> FloatArray:
        from scipy.special import ndtr, ndtri

        def cdf(x: float) -> float:
            return float(ndtr((x - self.mean) / self.sd))

        def ppf(q: FloatArray) -> FloatArray:
            return np.asarray(self.mean + self.sd * ndtri(q), dtype=np.float64)

        return self._truncated(u, cdf, ppf)


class Lognormal(_Truncatable):
    """Lognormal with ``median`` and log-scale ``sigma``, optionally truncated."""

    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(gt=0)

    @model_validator(mode="after")
    def _order(self) -> Lognormal:
        _finite(self.median, "median")
        _finite(self.sigma, "sigma")
        self._check_bounds()
        self._check_mass()
        return self

    def support(self) -> tuple[float, float]:
        lo, hi = self._bounds()
        return (max(lo, 0.0), hi)

    def ppf(self, u: FloatArray) -> FloatArray:
        from scipy.special import ndtr, ndtri

        log_median = math.log(self.median)

        def cdf(x: float) -> float:
            if x <= 0:
                return 0.0
            return float(ndtr((math.log(x) - log_median) / self.sigma))

        def ppf(q: FloatArray) -> FloatArray:
            return np.asarray(np.exp(log_median + self.sigma * ndtri(q)), dtype=np.float64)

        return self._truncated(u, cdf, ppf)


def _check_low_mode_high(low: float, mode: float, high: float) -> None:
    for name, value in (("low", low), ("mode", mode), ("high", high)):
        _finite(value, name)
    if not low < high:
        raise ValueError(f"low ({low}) must be below high ({high})")
    if not low <= mode <= high:
        raise ValueError(f"mode ({mode}) must lie between low ({low}) and high ({high})")


class Range(Quantity):
    """A published range (a claim's "115,000–160,000") read as a distribution by a stated rule.

    The rule says how a range with no stated shape becomes a distribution:

    - ``pert`` (the default): Beta-PERT on ``[low, high]`` (shape 4) with its most
      likely value at ``mode`` if the claim gives one, else at the midpoint;
    - ``triangular``: a triangle on ``[low, high]`` peaking at ``mode`` (default: the
      midpoint);
    - ``uniform``: every value in the range equally likely (``mode`` not allowed).

    The default puts more weight near the middle than the ends, as a claim's range
    usually brackets a central estimate, without excluding the ends.
    """

    dist: Literal["range"]
    low: float
    high: float
    mode: float | None = None
    rule: Literal["pert", "triangular", "uniform"] = "pert"

    @model_validator(mode="after")
    def _order(self) -> Range:
        mode = (self.low + self.high) / 2 if self.mode is None else self.mode
        _check_low_mode_high(self.low, mode, self.high)
        if self.rule == "uniform" and self.mode is not None:
            raise ValueError("`rule: uniform` takes no `mode:`")
        return self

    def resolved(self) -> Quantity:
        """Return the distribution the rule gives (with the same provenance)."""
        common = {
            "unit": self.unit,
            "source": self.source,
            "says": self.says,
            "assumption": self.assumption,
        }
        if self.rule == "uniform":
            return Uniform(dist="uniform", low=self.low, high=self.high, **common)
        mode = (self.low + self.high) / 2 if self.mode is None else self.mode
        if self.rule == "triangular":
            return Triangular(dist="triangular", low=self.low, mode=mode, high=self.high, **common)
        return Pert(dist="pert", low=self.low, mode=mode, high=self.high, **common)

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def ppf(self, u: FloatArray) -> FloatArray:
        return self.resolved().ppf(u)


DISTRIBUTIONS = ("fixed", "uniform", "triangular", "pert", "normal", "lognormal", "range")


_NUMBERS = ("value", "low", "high", "mode", "mean", "sd", "median", "sigma", "shape")


def _check_shape(data: Any) -> Any:
    if isinstance(data, bool | int | float):
        raise ValueError(
            f"a bare number ({data}) carries no provenance: write "
            f"{{value: {data}, source: ...}} or {{value: {data}, assumption: ...}}"
        )
    if isinstance(data, dict):
        for key in _NUMBERS:
            if isinstance(data.get(key), bool):
                # YAML 1.1 reads yes/no/on/off as booleans, which would pass as 1 and 0.
                raise ValueError(f"`{key}:` is {data[key]} (a yes/no); expected a number")
    if isinstance(data, dict) and "dist" not in data and "value" not in data:
        raise ValueError(
            "expected `value:` (a number) or `dist:` (one of " + ", ".join(DISTRIBUTIONS[1:]) + ")"
        )
    return data


def _dist_of(data: Any) -> str | None:
    if isinstance(data, dict):
        return str(data.get("dist", "fixed"))
    return getattr(data, "dist", None)


_Distribution = Annotated[
    Annotated[Fixed, Tag("fixed")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Pert, Tag("pert")]
    | Annotated[Normal, Tag("normal")]
    | Annotated[Lognormal, Tag("lognormal")]
    | Annotated[Range, Tag("range")],
    Discriminator(
        _dist_of,
        custom_error_type="unknown_distribution",
        custom_error_message="unknown `dist:`; expected one of " + ", ".join(DISTRIBUTIONS),
    ),
]

Param = Annotated[_Distribution, BeforeValidator(_check_shape)]
"""A numeric scenario field: a number or a distribution, with a source or an assumption."""


def constrained(
    *,
    units: tuple[str | None, ...] = (None,),
    low: float = -math.inf,
    high: float = math.inf,
    what: str = "",
    above_low: bool = False,
) -> AfterValidator:
    """Check a :data:`Param`'s unit and that its whole support lies in ``[low, high]``.

    ``units`` lists the units the field accepts (``None`` for dimensionless).
    """

    def check(param: Quantity) -> Quantity:
        if param.unit not in units:
            named = [u for u in units if u is not None]
            if param.unit is None:
                raise ValueError(f"`unit:` is required, one of {', '.join(named)}")
            if not named:
                raise ValueError(f"unit {param.unit!r} not expected: {what or 'dimensionless'}")
            raise ValueError(f"unknown unit {param.unit!r}: expected one of {', '.join(named)}")
        lo, hi = param.support()
        if above_low and lo <= low:
            raise ValueError(f"values must be above {low:g} ({what}); this one can be {lo:g}")
        if lo < low or hi > high:
            span = f"[{low:g}, {high:g}]"
            hint = (
                " (truncate it with `low:`/`high:`)"
                if isinstance(param, Normal | Lognormal) and math.isinf(hi - lo)
                else ""
            )
            kind = f" ({what})" if what else ""
            raise ValueError(
                f"values must lie in {span}{kind}; this one spans [{lo:g}, {hi:g}]{hint}"
            )
        return param

    return AfterValidator(check)


Fraction = Annotated[Param, constrained(low=0.0, high=1.0, what="a fraction")]
# More people than live on Earth (about 8.2 billion in 2024: UN, World Population Prospects
# 2024) is a typo, not a scenario; the bound keeps such numbers out of the engine.
MAX_PEOPLE = 1e10
Men = Annotated[
    Param,
    constrained(units=(None, "men"), low=0.0, high=MAX_PEOPLE, what="a number of people"),
]
Positive = Annotated[Param, constrained(low=0.0, what="a non-negative number")]
# A share of a starting stock that must stay below it (a crisis threshold: no draw starts in
# crisis), so the bound is the largest float below 1.
StartShare = Annotated[
    Param,
    constrained(low=0.0, high=math.nextafter(1.0, 0.0), above_low=True, what="a share below 1"),
]
Rate = Annotated[Param, constrained(units=("per_day", "per_month"), low=0.0, what="a rate")]
Duration = Annotated[
    Param,
    constrained(units=("days", "months"), low=0.0, above_low=True, what="a positive duration"),
]
Area = Annotated[Param, constrained(units=("km2",), low=0.0, what="an area")]
AreaRate = Annotated[
    Param, constrained(units=("per_day", "per_month"), low=0.0, what="km² per time")
]
Real = Annotated[Param, constrained()]


class ScenarioFieldError(Exception):
    """A cross-field check failed at ``path``; the loader adds the file and line."""

    def __init__(self, path: tuple[str | int, ...], message: str):
        self.path = path
        self.message = message
        super().__init__(message)


def iter_params(
    model: Any, prefix: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Quantity]]:
    """Yield ``(path, param)`` for every numeric parameter below ``model``, in file order."""
    if isinstance(model, Quantity):
        yield prefix, model
    elif isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from iter_params(getattr(model, name), (*prefix, name))
    elif isinstance(model, dict):
        for key, value in model.items():
            yield from iter_params(value, (*prefix, key))
    elif isinstance(model, list | tuple):
        for index, value in enumerate(model):
            yield from iter_params(value, (*prefix, index))
