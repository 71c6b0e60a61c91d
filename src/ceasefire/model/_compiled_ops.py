"""The model's equations and laws compiled for lane loops, and where their machine code is cached.

Every function here is an equation of :mod:`ceasefire.model.equations`, a law's
``casualties`` or a function of :mod:`ceasefire.model._mathlib`, rebound to scalar
primitives (:func:`ceasefire.model._ops.rebind`) and compiled to be inlined into the lane
loops of :mod:`ceasefire.model._lanes`: no equation is written here.

**The law** is chosen at compile time: :func:`casualties` takes its code as a literal, so
each law gets its own compiled kernel with its equation inlined.

**The cache** (Numba's ``cache=True``) keys a compiled function by its own file only, not by
the files it inlines from. So the kernel is cached in a folder named by a hash of every
source it compiles (:func:`source_hash`: the lane loops, the equations, the primitives, the
math library and each law): changing any of them compiles afresh instead of loading stale
machine code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numba
import numba.core.config
from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic, overload

from ceasefire.model import _mathlib
from ceasefire.model import equations as eq
from ceasefire.model._ops import BASIC_SCALAR, rebind
from ceasefire.model.laws import LAWS

__all__ = ["cache_folder", "casualties", "inline", "jit", "source_hash"]

_CONFIG: Any = numba.core.config


inline = numba.njit(inline="always", error_model="numpy", nogil=True)
jit = numba.njit(error_model="numpy", nogil=True)


@intrinsic
def _bits(typingctx: Any, x: Any) -> Any:
    """Return the bits of a float64 as an int64 (an LLVM bitcast: free, and vectorisable)."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _from_bits(typingctx: Any, i: Any) -> Any:
    """Return the float64 whose bits are an int64."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


_BASIC = {name: inline(function) for name, function in BASIC_SCALAR.items()}
_MATH = _mathlib.build({**_BASIC, "bits": _bits, "from_bits": _from_bits}, inline)
_PRIMITIVES = {**_BASIC, **{name: _MATH[name] for name in ("tanh", "log", "exp", "power")}}


def _compiled(function: Any) -> Any:
    """Return ``function`` rebound to scalar primitives, compiled to inline into lane loops."""
    return inline(rebind(function, _PRIMITIVES))


incentive_factor = _compiled(eq.incentive_factor)
pool_factor = _compiled(eq.pool_factor)
recruitment = _compiled(eq.recruitment)
stage_outflow = _compiled(eq.stage_outflow)
ratio_scaled = _compiled(eq.ratio_scaled)
limited_casualties = _compiled(eq.limited_casualties)
exposure_share = _compiled(eq.exposure_share)
killed = _compiled(eq.killed)
newly_wounded = _compiled(eq.newly_wounded)
returned = _compiled(eq.returned)
discharged = _compiled(eq.discharged)
deserted = _compiled(eq.deserted)
front_flow = _compiled(eq.front_flow)
front_moved = _compiled(eq.front_moved)
limiter_factor = _compiled(eq.limiter_factor)
crisis_fraction = _compiled(eq.crisis_fraction)

_LAW_FUNCTIONS = tuple(_compiled(law.casualties) for law in LAWS.values())


def casualties(
    code: int,
    own: float,
    other: float,
    own_rate: float,
    other_rate: float,
    first_shape: float,
    second_shape: float,
    scheduled: float,
    elapsed: float,
) -> float:  # pragma: no cover - only ever called from compiled code
    """Return side ``s``'s law casualties; resolved by Numba to the law of the literal ``code``.

    Plain Python never calls it: :func:`_casualties_overload` gives its compiled body.
    """
    raise TypeError("casualties() runs only inside the compiled kernel (numba overload)")


@overload(casualties, inline="always")
def _casualties_overload(
    code: Any,
    own: Any,
    other: Any,
    own_rate: Any,
    other_rate: Any,
    first_shape: Any,
    second_shape: Any,
    scheduled: Any,
    elapsed: Any,
) -> Any:
    """Resolve a literal law code to its compiled ``casualties`` at compile time."""
    if not isinstance(code, types.IntegerLiteral):
        return None
    law = _LAW_FUNCTIONS[code.literal_value]

    def implementation(  # pragma: no cover - compiled
        code: Any,
        own: Any,
        other: Any,
        own_rate: Any,
        other_rate: Any,
        first_shape: Any,
        second_shape: Any,
        scheduled: Any,
        elapsed: Any,
    ) -> Any:
        return law(own, other, own_rate, other_rate, first_shape, second_shape, scheduled, elapsed)

    return implementation


def source_hash() -> str:
    """Return a hash of every source file the kernel compiles (see the module docstring)."""
    here = Path(__file__).parent
    files = [here / "_lanes.py", here / "_lanes_stocks.py", Path(__file__), here / "equations.py"]
    files += [here / "_ops.py"]
    files += [here / "_layout.py"]
    files += [here / "_mathlib.py", here / "_rebind.py"]
    files += sorted((here / "laws").glob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def cache_folder() -> Iterator[None]:
    """Point Numba's cache at a folder named by :func:`source_hash` while decorating."""
    name = f"ceasefire-kernels-{source_hash()}"
    base = _CONFIG.CACHE_DIR or ""
    if base:
        folder = Path(base) / name
    else:
        pycache = Path(__file__).parent / "__pycache__"
        writable = os.access(Path(__file__).parent, os.W_OK)
        if writable:
            folder = pycache / name
        else:  # an installed package: the user's cache folder
            root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
            folder = root / "ceasefire" / name
    previous = _CONFIG.CACHE_DIR
    _CONFIG.CACHE_DIR = str(folder)
    try:
        yield
    finally:
        _CONFIG.CACHE_DIR = previous
