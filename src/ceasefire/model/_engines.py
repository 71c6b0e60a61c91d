"""The engines that step a chunk of draws: small strategy objects, chosen by name or given.

:class:`NumPy` is the vectorised NumPy kernel (:mod:`ceasefire.model._kernel`), the readable
reference; :class:`Numba` is the compiled lane kernel (:mod:`ceasefire.model._compiled`,
extra ``fast``), imported on first use because loading Numba costs about a second that a
NumPy run should not pay. Both integrate the same equations (``docs/engine.md``) and agree
to 1e-12. ``"auto"`` picks Numba where it is installed.
"""

from __future__ import annotations

import importlib.util
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import ClassVar, final

from ceasefire.model._kernel import ChunkResult, integrate

__all__ = ["ENGINES", "Engine", "NumPy", "Numba", "engine_named", "integrator"]


class Engine(ABC):
    """How a chunk of draws is integrated (a small final class per engine)."""

    name: ClassVar[str]

    def check(self) -> None:  # noqa: B027 - most engines need nothing installed
        """Raise ``ValueError`` (naming ``engine``) if this engine cannot run here."""

    @abstractmethod
    def integrator(self) -> Callable[..., ChunkResult]:
        """Return the function that integrates one chunk (``inputs, keep_trajectories``)."""


@final
class NumPy(Engine):
    """The vectorised NumPy kernel, the reference."""

    name = "numpy"

    def integrator(self) -> Callable[..., ChunkResult]:
        """Return :func:`ceasefire.model.integrate`."""
        return integrate


@final
class Numba(Engine):
    """The compiled lane kernel (extra ``fast``)."""

    name = "numba"

    def check(self) -> None:
        """Numba must be installed."""
        if importlib.util.find_spec("numba") is None:
            raise ValueError("engine 'numba' needs Numba: pip install 'ceasefire[fast]'")

    def integrator(self) -> Callable[..., ChunkResult]:
        """Return the compiled integrator (imports Numba)."""
        from ceasefire.model._compiled import integrate_compiled

        return integrate_compiled


ENGINES: dict[str, type[Engine]] = {"numpy": NumPy, "numba": Numba}
"""The engines by name (``simulate(..., engine=…)``, ``--engine``)."""


def engine_named(engine: str | Engine) -> Engine:
    """Return the engine ``engine`` names (``numpy``, ``numba``, ``auto``), checked."""
    if isinstance(engine, Engine):
        chosen = engine
    elif engine == "auto":
        chosen = Numba() if importlib.util.find_spec("numba") is not None else NumPy()
    elif isinstance(engine, str) and engine in ENGINES:
        chosen = ENGINES[engine]()
    else:
        raise ValueError(
            f"engine: unknown engine {engine!r}: expected numpy, numba, auto or an Engine"
        )
    chosen.check()
    return chosen


def integrator(engine: str) -> Callable[..., ChunkResult]:
    """Return the function that integrates one chunk with the engine named ``engine``."""
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    return ENGINES[engine]().integrator()
