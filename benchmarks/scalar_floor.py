"""What a bare scalar Numba loop of the reference model's equations costs on this machine.

The floor the compiled kernel is compared with in ``benchmarks/README.md``: the
reference model's two sides (pool-limited recruitment, first-order training, capped
square law, desertion, wounded who return or are discharged, the outflow limiter on the
active force), 240 Euler steps, one draw at a time with the state in registers, but
without what the real kernel also does: schedules, limiter tallies, crisis tracking,
flow totals and bounds checks on every stock. Parameters are random within ranges of
the reference workload's order of magnitude (an assumption of this benchmark; the
floor does not depend on their values as long as nothing underflows).

    .venv/bin/python benchmarks/scalar_floor.py [--draws N]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np


@numba.njit(nogil=True, error_model="numpy", cache=False)
def floor_kernel(par: np.ndarray, init: np.ndarray, dt: float, steps: int, out: np.ndarray) -> None:
    for n in range(par.shape[1]):
        a0, a1, w0, w1 = init[0, n], init[1, n], init[2, n], init[3, n]
        t0, t1, p0, p1 = init[4, n], init[5, n], init[6, n], init[7, n]
        rec0, rec1, l0, l1 = par[0, n], par[1, n], par[2, n], par[3, n]
        ds0, ds1, rf0, rf1 = par[4, n], par[5, n], par[6, n], par[7, n]
        kf0, kf1, g0, g1 = par[8, n], par[9, n], par[10, n], par[11, n]
        ip0, ip1, cap0, cap1 = par[12, n], par[13, n], par[14, n], par[15, n]
        for _ in range(steps):
            r0 = rec0 * p0 * ip0
            r1 = rec1 * p1 * ip1
            c0 = min(l1 * a1, a0 * cap0)
            c1 = min(l0 * a0, a1 * cap1)
            gr0, gr1 = t0 * g0, t1 * g1
            d0, d1 = ds0 * a0, ds1 * a1
            ret0, ret1 = rf0 * w0, rf1 * w1
            dis0, dis1 = 0.1 * w0, 0.1 * w1
            need = (c0 + d0) * dt
            if need > a0 and need > 0.0:
                f = a0 / need
                c0 *= f
                d0 *= f
            need = (c1 + d1) * dt
            if need > a1 and need > 0.0:
                f = a1 / need
                c1 *= f
                d1 *= f
            p0 -= r0 * dt
            p1 -= r1 * dt
            t0 += (r0 - gr0) * dt
            t1 += (r1 - gr1) * dt
            a0 = max(a0 + (gr0 + ret0 - c0 - d0) * dt, 0.0)
            a1 = max(a1 + (gr1 + ret1 - c1 - d1) * dt, 0.0)
            w0 += (c0 * (1.0 - kf0) - ret0 - dis0) * dt
            w1 += (c1 * (1.0 - kf1) - ret1 - dis1) * dt
        out[0, n], out[1, n], out[2, n], out[3, n] = a0, a1, w0, w1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=200_000)
    args = parser.parse_args(argv)
    draws = args.draws
    rng = np.random.default_rng(0)
    par = rng.uniform(0.001, 0.005, (16, draws))
    init = rng.uniform(1e5, 2e5, (8, draws))
    out = np.zeros((4, draws))
    dt, steps = 365.25 / 48, 240  # 0.25 month in days, 60 months
    floor_kernel(par, init, dt, 2, out)  # compile
    start = time.perf_counter()
    floor_kernel(par, init, dt, steps, out)
    one = time.perf_counter() - start
    if not (np.isfinite(out).all() and (out[:2] > 0).all()):
        raise SystemExit("scalar floor: the state underflowed; the timing would not be the floor")
    half = draws // 2
    parts = [
        (np.ascontiguousarray(par[:, :half]), np.ascontiguousarray(init[:, :half])),
        (np.ascontiguousarray(par[:, half:]), np.ascontiguousarray(init[:, half:])),
    ]
    outs = [np.zeros((4, p.shape[1])) for p, _ in parts]
    with ThreadPoolExecutor(2) as pool:
        start = time.perf_counter()
        list(pool.map(lambda i: floor_kernel(*parts[i], dt, steps, outs[i]), range(2)))
        two = time.perf_counter() - start
    print(
        f"scalar floor, {draws:,} draws x {steps} steps: one thread {draws / one:,.0f} draws/s "
        f"({one / steps / draws * 1e9:.1f} ns per step), two threads {draws / two:,.0f} draws/s"
    )


if __name__ == "__main__":
    main()
