"""The in-memory sink: the ensemble as one ``xarray.Dataset``.

Per-draw headline measures are kept chunk by chunk. With trajectories, each chunk's states
are placed, as it arrives, into draw-major arrays of the whole ensemble and then dropped:
no chunk results are kept and joined at the end (which doubled the peak memory and, in
fresh pages, the time of keeping trajectories).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire.ensemble._headline import MEASURES, SIDE_TRAJECTORIES, side_sums
from ceasefire.ensemble._sinks import Sink
from ceasefire.model import COUNTERS

if TYPE_CHECKING:
    import xarray as xr

    from ceasefire.ensemble._simulate import ChunkOutput, RunPlan
    from ceasefire.model import ChunkResult, LimiterTally

__all__ = ["InMemory"]

FloatArray = npt.NDArray[np.float64]


class InMemory(Sink):
    """Keep the ensemble in memory and return it as an ``xarray.Dataset``.

    ``trajectories=True`` keeps monthly trajectories and per-channel states at the start and
    the horizon (dims ``draw, time, side, channel``); ``False`` keeps the per-draw headline
    measures and sampled parameters only (what ``save="summary"`` gave).
    """

    def __init__(self, trajectories: bool = True) -> None:
        self.trajectories = bool(trajectories)
        self.needs_trajectories = self.trajectories
        self._plan: RunPlan | None = None

    def start(self, plan: RunPlan) -> None:
        """Allocate nothing yet: arrays are made as the first chunk arrives."""
        self._plan = plan
        self._arrays: dict[str, FloatArray] = {}
        self._headlines: list[dict[str, FloatArray]] = []
        self._samples: list[dict[str, FloatArray]] = []

    def _put(self, name: str, values: FloatArray, start: int, stop: int) -> None:
        """Rows ``start:stop`` of the draw-major array ``name`` from ``values`` (n, ...)."""
        assert self._plan is not None
        if name not in self._arrays:
            self._arrays[name] = np.empty((self._plan.draws, *values.shape[1:]))
        self._arrays[name][start:stop] = values

    def _per_channel(self, name: str, slots: FloatArray, start: int, stop: int) -> None:
        """(..., K, n) → rows of (N, ..., S, C), zeros where a side has no such channel."""
        assert self._plan is not None
        layout = self._plan.layout
        if name not in self._arrays:
            shape = (len(layout.side_ids), len(layout.channel_ids))
            self._arrays[name] = np.zeros((self._plan.draws, *slots.shape[:-2], *shape))
        rows = self._arrays[name][start:stop]
        rows[..., layout.slot_side, layout.slot_channel] = np.moveaxis(slots, -1, 0)

    def _per_side(self, name: str, slots: FloatArray, start: int, stop: int) -> None:
        """(..., K, n) → rows of (N, ..., S)."""
        assert self._plan is not None
        summed = side_sums(slots, self._plan.layout.side_start, slots.ndim - 2)
        self._put(name, np.moveaxis(summed, -1, 0), start, stop)

    def _states(self, result: ChunkResult, start: int, stop: int) -> None:
        assert result.saved is not None
        saved = result.saved
        self._per_channel("active", saved["active"], start, stop)
        for name in SIDE_TRAJECTORIES:
            self._per_side(name, saved[name], start, stop)
        self._put("pool", np.moveaxis(saved["pool"], -1, 0), start, stop)
        if "front" in saved:
            self._put("front", np.moveaxis(saved["front"], -1, 0), start, stop)
        for name in ("active", "training", "wounded"):
            self._per_channel(f"initial_{name}", result.initial[name], start, stop)
        for name in ("active", "training", "wounded", *COUNTERS):
            self._per_channel(f"final_{name}", result.final[name], start, stop)

    def absorb(self, chunk: ChunkOutput) -> None:
        """Keep the chunk's measures and samples; place its states if trajectories are kept."""
        self._headlines.append(chunk.headline)
        if self.trajectories and chunk.result is not None:
            self._states(chunk.result, chunk.start, chunk.stop)
        self._samples.append(chunk.sampled)

    def finish(self, tally: LimiterTally) -> xr.Dataset:
        """Assemble the dataset."""
        import xarray as xr

        assert self._plan is not None
        plan = self._plan
        data_vars = self._trajectory_variables() if self.trajectories else {}
        for name in self._headlines[0]:
            data_vars[name] = (
                ("draw", "side"),
                np.concatenate([h[name] for h in self._headlines], axis=0),
                MEASURES[name].attrs,
            )
        for path, param_attrs in plan.parameter_attrs().items():
            column = np.concatenate([s[path] for s in self._samples])
            data_vars[path] = (("draw",), column, param_attrs)
        save = "trajectories" if self.trajectories else "summary"
        dataset = xr.Dataset(
            {
                name: xr.Variable(dims, values, var_attrs)
                for name, (dims, values, var_attrs) in data_vars.items()
            },
            coords=self._coords(),
            attrs=plan.attrs(save, tally),
        )
        self._arrays, self._headlines, self._samples = {}, [], []
        return dataset

    def _trajectory_variables(self) -> dict[str, Any]:
        assert self._plan is not None
        scenario, arrays = self._plan.scenario, self._arrays
        men = {"units": "men"}
        data_vars: dict[str, Any] = {
            "active": (
                ("draw", "time", "side", "channel"),
                arrays["active"],
                {**men, "long_name": "deployed personnel"},
            )
        }
        for name, long_name in SIDE_TRAJECTORIES.items():
            data_vars[name] = (
                ("draw", "time", "side"),
                arrays[name],
                {**men, "long_name": long_name},
            )
        has_pool = [scenario.sides[s].pool is not None for s in self._plan.sides]
        pool = arrays["pool"]
        pool[:, :, ~np.array(has_pool, dtype=bool)] = np.nan
        data_vars["pool"] = (
            ("draw", "time", "side"),
            pool,
            {**men, "long_name": "men still eligible for recruitment (nan: no pool modelled)"},
        )
        if "front" in arrays:
            data_vars["front"] = (
                ("draw", "time"),
                arrays["front"],
                {"units": "km2", "long_name": f"area held by {scenario.front.holder}"}
                if scenario.front
                else {},
            )
        for name in ("active", "training", "wounded"):
            data_vars[f"initial_{name}"] = (
                ("draw", "side", "channel"),
                arrays[f"initial_{name}"],
                {**men, "long_name": f"{name} at the start"},
            )
        for name in ("active", "training", "wounded", *COUNTERS):
            data_vars[f"final_{name}"] = (
                ("draw", "side", "channel"),
                arrays[f"final_{name}"],
                {**men, "long_name": f"{name} at the horizon, per channel"},
            )
        return data_vars

    def _coords(self) -> dict[str, object]:
        assert self._plan is not None
        plan = self._plan
        layout, grid = plan.layout, plan.grid
        coords: dict[str, object] = {
            "draw": np.arange(plan.draws),
            "side": plan.sides,
            "channel": list(layout.channel_ids),
        }
        if self.trajectories:
            first_day = np.datetime64(plan.scenario.time.start.isoformat(), "D")
            offsets = np.rint(grid.save_steps * grid.dt).astype("timedelta64[D]")
            coords["time"] = (
                "time",
                grid.save_months,
                {"units": "months", "long_name": "months since the start date"},
            )
            coords["date"] = ("time", (first_day + offsets).astype("datetime64[ns]"))
            coords["elapsed_days"] = (
                "time",
                grid.save_steps * grid.dt,
                {
                    "units": "days",
                    "long_name": "exact time of the saved step (a save falls on the nearest step)",
                },
            )
        present = np.zeros((len(layout.side_ids), len(layout.channel_ids)), dtype=bool)
        present[layout.slot_side, layout.slot_channel] = True
        coords["channel_present"] = (("side", "channel"), present)
        return coords
