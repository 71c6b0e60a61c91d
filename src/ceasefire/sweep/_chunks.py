"""The sweep's chunk files: a sink that writes each chunk of one point to its own file.

Each chunk is written atomically (a temporary file renamed into place), so an interrupted
sweep leaves whole chunks only; a chunk whose file is already whole is declined
(:meth:`ChunkFiles.wants`), so a resumed sweep computes only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ceasefire._atomic import atomic_outputs
from ceasefire.ensemble import MEASURES, ChunkOutput, RunPlan, Sink

if TYPE_CHECKING:
    from ceasefire.model import LimiterTally

__all__ = ["ChunkFiles", "chunk_path"]


def chunk_path(folder: Path, point: int, chunk: int) -> Path:
    """Return the file of chunk ``chunk`` of sweep point ``point``."""
    return folder / "chunks" / f"p{point:04d}-c{chunk:06d}.nc"


class ChunkFiles(Sink):
    """Write each chunk's per-draw measures to ``chunks/p<point>-c<chunk>.nc`` under ``folder``.

    ``finished`` are the chunk indices already on disk (not recomputed); ``on_written`` is
    called after each file is in place.
    """

    def __init__(
        self,
        folder: Path,
        point: int,
        chunk_size: int,
        finished: set[int],
        on_written: Callable[[], None] | None = None,
    ) -> None:
        self.folder = folder
        self.point = point
        self.chunk_size = chunk_size
        self.finished = set(finished)
        self.on_written = on_written
        self._sides: list[str] = []

    def start(self, plan: RunPlan) -> None:
        """Note the sides (the files' ``side`` coordinate)."""
        if plan.chunk_size != self.chunk_size:
            raise ValueError(
                f"chunk_size: the sweep's files hold {self.chunk_size} draws each, "
                f"got {plan.chunk_size}"
            )
        self._sides = plan.sides

    def wants(self, start: int, stop: int) -> bool:
        """Every chunk not already on disk."""
        return start // self.chunk_size not in self.finished

    def absorb(self, chunk: ChunkOutput) -> None:
        """Write the chunk's file atomically."""
        import xarray as xr

        data = {
            name: xr.Variable(("draw", "side"), values, MEASURES[name].attrs)
            for name, values in chunk.headline.items()
        }
        dataset = xr.Dataset(
            data, coords={"draw": np.arange(chunk.start, chunk.stop), "side": self._sides}
        )
        path = chunk_path(self.folder, self.point, chunk.start // self.chunk_size)
        with atomic_outputs([path]) as (temporary,):
            dataset.to_netcdf(temporary, engine="h5netcdf")
        if self.on_written is not None:
            self.on_written()

    def finish(self, tally: LimiterTally) -> None:
        """Nothing to return: the files are the result."""
        return
