"""Correlated parameters: a Gaussian copula with a rank-correlation matrix.

A scenario's ``correlations:`` lists groups of uncertain parameters that move
together (both sides' killed share depends on the same weapons and evacuation
conditions, say). Each group gives Spearman rank correlations, either one number for
a pair or a full matrix, and, like every number, a source or an assumption.

Sampling keeps each parameter's marginal distribution and joins them with a
Gaussian copula: the uniforms ``u`` of the group are mapped to normals
``z = Φ⁻¹(u)``, mixed by the Cholesky factor ``L`` of the Pearson matrix
``R = 2 sin(π ρ_s / 6)`` (which gives normal variables the requested rank
correlation ρ_s; Kruskal 1958), and mapped back, ``u' = Φ(L z)``. The group's
first parameter in file order keeps its own draws (``L`` is lower triangular), so common
random numbers still hold for it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ceasefire.scenario._params import Source

__all__ = ["Correlation"]

FloatArray = npt.NDArray[np.float64]


class Correlation(BaseModel):
    """A group of uncertain parameters with their rank-correlation matrix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parameters: list[str] = Field(
        min_length=2, description="Dotted paths of uncertain parameters (as --set takes them)."
    )
    rank: float | list[list[float]] = Field(
        description="Spearman rank correlation: one number for a pair, else a symmetric "
        "matrix with ones on the diagonal, in the order of `parameters`."
    )
    source: str | Source | None = None
    says: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Correlation:
        if (self.source is None) == (self.assumption is None):
            raise ValueError(
                "give exactly one of `source:` (where the correlation comes from) "
                "or `assumption:` (why it was chosen)"
            )
        if len(set(self.parameters)) != len(self.parameters):
            raise ValueError("`parameters:` names a parameter twice")
        n = len(self.parameters)
        if isinstance(self.rank, float | int):
            if n != 2:
                raise ValueError(
                    f"one `rank:` number correlates a pair; {n} parameters need a matrix"
                )
        else:
            matrix = np.asarray(self.rank, dtype=np.float64)
            if matrix.shape != (n, n):
                raise ValueError(f"`rank:` must be a {n}×{n} matrix, got shape {matrix.shape}")
            if not np.all(np.isfinite(matrix)):
                raise ValueError("`rank:` holds a non-finite number")
            if not np.allclose(np.diag(matrix), 1.0):
                raise ValueError("`rank:` must have ones on its diagonal")
            if not np.allclose(matrix, matrix.T):
                raise ValueError("`rank:` must be symmetric")
        off = self.spearman()[~np.eye(n, dtype=bool)]
        if np.any(np.abs(off) >= 1.0):
            raise ValueError("rank correlations must lie strictly between -1 and 1")
        try:
            np.linalg.cholesky(self.pearson())
        except np.linalg.LinAlgError:
            raise ValueError(
                "`rank:` is not a valid correlation matrix (not positive definite)"
            ) from None
        return self

    def spearman(self) -> FloatArray:
        """Return the rank-correlation matrix."""
        if isinstance(self.rank, float | int):
            rho = float(self.rank)
            return np.array([[1.0, rho], [rho, 1.0]])
        return np.asarray(self.rank, dtype=np.float64)

    def pearson(self) -> FloatArray:
        """Return the Pearson matrix of the normal copula that gives the rank correlations."""
        matrix = 2.0 * np.sin(np.pi * self.spearman() / 6.0)
        np.fill_diagonal(matrix, 1.0)
        return matrix

    def provenance(self) -> str:
        """Say where the correlation comes from."""
        if self.source is None:
            return f"assumption: {self.assumption}"
        title = self.source if isinstance(self.source, str) else self.source.title
        return f"source: {title}" + (f" ({self.says})" if self.says else "")
