"""The engines that step a chunk of draws, by name: one way in for the layers above.

``numpy`` is the vectorised NumPy kernel (:mod:`ceasefire.model._kernel`); ``numba`` the
compiled lane kernel (:mod:`ceasefire.model._compiled`), imported on first use because
loading Numba costs about a second that a NumPy run should not pay.
"""

from __future__ import annotations

from collections.abc import Callable

from ceasefire.model._kernel import ChunkResult, integrate

__all__ = ["ENGINES", "integrator"]

ENGINES = ("numpy", "numba")
"""The engines by name (``simulate(..., engine=…)``, ``--engine``)."""


def integrator(engine: str) -> Callable[..., ChunkResult]:
    """Return the function that integrates one chunk with ``engine`` (one of :data:`ENGINES`)."""
    if engine == "numba":
        from ceasefire.model._compiled import integrate_compiled

        return integrate_compiled
    if engine == "numpy":
        return integrate
    raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
