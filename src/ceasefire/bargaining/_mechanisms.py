"""Why no deal: the commitment problem from shifting power, applied to simulated paths.

**The condition.** A declining side D compares fighting now with a deal that the rising side
R can only honour as far as D's later war value. R can give at most the whole stake in the
first period (``pie_now``) and, credibly, no more than D's war value later (discounted by
``δ``), so there is no self-enforcing deal when::

    W_D(now) − δ · max(W_D(later), 0) > pie_now

In the two-period toy of :func:`~ceasefire.bargaining.two_period_shifting_power` (pie 1 per
period, decisive war, ``W_D(now) = (1 + δ) p1 − c_D`` and ``W_D(later) = p2 − c_D``) this is
exactly ``x1* > 1`` (Powell 2006; Fearon 1995's preventive war).

**On the paths.** Per draw and decision month ``t``, each side is in turn the declining side
in its own world; a period is ``k`` months, ``δ = δ_month^k``; its power ``p`` is its
utility of the outcome if the war stopped on the line (other issues at their ``at_war``
values), ``p1`` at ``t`` and ``p2`` at ``t + k`` (the horizon, if later); ``c_D`` is what
fighting those ``k`` months costs it (casualties over resolve). Fighting in an attrition war
does not lock in today's line as Powell's decisive war does, so this is the strongest form of
the argument; the model simulates no ceasefire, so a shift in power *during* a truce
(rearmament) is not in it.

Powell, R. (2006), "War as a Commitment Problem", *International Organization* 60(1):
169–203. Fearon, J. D. (1995), "Rationalist Explanations for War", *International
Organization* 49(3): 379–414.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["commitment_problem", "preventive_war", "shift_exceeds_cost"]

FloatArray = npt.NDArray[np.float64]


def preventive_war(
    declining_now: FloatArray | float,
    declining_later: FloatArray | float,
    pie_now: FloatArray | float,
    delta: FloatArray | float,
) -> npt.NDArray[np.bool_]:
    """Whether no deal is self-enforcing: ``W_D(now) − δ·max(W_D(later), 0) > pie_now``."""
    later = np.maximum(np.asarray(declining_later, dtype=np.float64), 0.0)
    return np.asarray(np.asarray(declining_now) - np.asarray(delta) * later > np.asarray(pie_now))


def commitment_problem(
    power: FloatArray,
    casualties: FloatArray,
    resolve: FloatArray,
    decisions: list[int],
    *,
    lookahead: int,
    monthly_discount: float,
) -> npt.NDArray[np.bool_]:
    """Return, per draw and decision month, whether this side, declining, would fight now.

    ``power`` and ``casualties`` are ``(draw, time)`` in the side's own world (``power`` its
    utility of the line), ``resolve`` is ``(draw,)``. Returns ``(draw, decision)``.
    """
    last = power.shape[1] - 1
    now = np.asarray(decisions)
    later = np.minimum(now + lookahead, last)
    cost = (casualties[:, later] - casualties[:, now]) / resolve[:, None]
    delta = monthly_discount**lookahead
    p1, p2 = power[:, now], power[:, later]
    return preventive_war((1.0 + delta) * p1 - cost, p2 - cost, 1.0, delta)


def shift_exceeds_cost(
    power_rising: FloatArray,
    casualties_other: FloatArray,
    resolve_other: FloatArray,
    decisions: list[int],
    *,
    lookahead: int,
) -> npt.NDArray[np.bool_]:
    """Return Fearon's informal rule per draw and month, as a diagnostic.

    Does one side's position improve over the next ``k`` months by more than fighting those
    months costs the other?

    ``power_rising(t + k) − power_rising(t) > (casualties_other(t + k) − casualties_other(t))
    / R_other`` (Fearon 1995, p. 406: preventive war when the expected shift in power exceeds
    the costs of war). Unlike :func:`preventive_war` it ignores what the rising side can give
    now, so it flags more; the calculus reports it beside the closed form, not instead of it.
    """
    last = power_rising.shape[1] - 1
    now = np.asarray(decisions)
    later = np.minimum(now + lookahead, last)
    shift = power_rising[:, later] - power_rising[:, now]
    cost = (casualties_other[:, later] - casualties_other[:, now]) / resolve_other[:, None]
    return np.asarray(shift > cost)
