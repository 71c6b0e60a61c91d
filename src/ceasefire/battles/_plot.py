"""Observed against fitted: one figure per fit, a panel per side."""

from __future__ import annotations

from pathlib import Path

from ceasefire.battles._fit import FitResult
from ceasefire.battles._series import DailySeries

__all__ = ["plot_fit"]

_LABELS = {
    "casualties": "casualties per day (men)",
    "strengths": "strength (men)",
    "endpoints": "strength (men)",
}


def plot_fit(result: FitResult, series: DailySeries, path: str | Path, title: str) -> None:
    """Draw what the fit compared, observed (points) against fitted (line), and save it.

    The format follows the file's extension (``.svg``, ``.png``, ``.pdf``).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    half = len(result.observed) // 2
    days = series.day[[0, -1]] if result.objective == "endpoints" else series.day
    figure, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharex=True, constrained_layout=True)
    for axis, side, part in zip(
        axes, series.side_names, (slice(0, half), slice(half, None)), strict=True
    ):
        axis.plot(days, result.observed[part], "o", markersize=3, color="#444444", label="observed")
        axis.plot(
            days, result.fitted[part], "-", color="#1f77b4", label=f"fitted ({result.law.name})"
        )
        axis.set_title(f"side {side}")
        axis.set_xlabel("day")
        axis.set_ylabel(_LABELS.get(result.objective, "value"))
        axis.grid(alpha=0.3)
        axis.legend(frameon=False)
    figure.suptitle(
        f"{title}: {result.objective} objective, R² {result.r_squared:.3f}"
        + ("" if result.identified else " (parameters not identified)")
    )
    figure.savefig(Path(path))
    plt.close(figure)
