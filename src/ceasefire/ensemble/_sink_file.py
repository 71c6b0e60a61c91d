"""The file sink: per-draw measures and sampled parameters written as chunks finish.

The writer is chosen by the path's extension, as PySD's output handlers choose theirs:
``.nc`` netCDF-4 (:class:`~ceasefire.ensemble.EnsembleWriter`), ``.zarr`` Zarr
(:class:`~ceasefire.ensemble._zarr.ZarrWriter`, extra ``zarr``). A new format is one
writer class (``__init__(path, *, draws, sides, channels, measures, parameters)``,
``write(start, stop, columns)``, ``close(attrs)``, ``abort()``) and one entry in
:data:`WRITERS`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ceasefire.ensemble._headline import measures_for
from ceasefire.ensemble._io import EnsembleWriter
from ceasefire.ensemble._sinks import Sink
from ceasefire.ensemble._zarr import ZarrWriter

if TYPE_CHECKING:
    from ceasefire.ensemble._simulate import ChunkOutput, RunPlan
    from ceasefire.model import LimiterTally

__all__ = ["WRITERS", "File"]

WRITERS: dict[str, tuple[Callable[..., Any], str | None]] = {
    ".nc": (EnsembleWriter, "h5netcdf"),
    ".zarr": (ZarrWriter, "zarr"),
}
"""Writer by extension, with the module it needs (checked before the run starts)."""


class File(Sink):
    """Write per-draw measures to ``path`` as chunks finish; the result is the path.

    The file has the layout of ``save="summary"`` (dims ``draw, side``), so memory stays
    flat however many draws there are. Checked when made: an unknown extension, or a
    format whose library is missing, fails before anything runs.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in WRITERS:
            raise ValueError(
                f"save: File({str(path)!r}) has no known extension; expected one of "
                f"{', '.join(WRITERS)}"
            )
        self._writer_class, needs = WRITERS[suffix]
        if needs is not None and importlib.util.find_spec(needs) is None:
            raise ValueError(
                f"save: writing {suffix} needs the {needs} package (pip install {needs})"
            )
        self._writer: Any = None

    def start(self, plan: RunPlan) -> None:
        """Create the file with every variable (sized for all the draws)."""
        self._plan = plan
        self._writer = self._writer_class(
            self.path,
            draws=plan.draws,
            sides=plan.sides,
            channels=list(plan.layout.channel_ids),
            measures={m.name: m.attrs for m in measures_for(plan.scenario.front is not None)},
            parameters=plan.parameter_attrs(),
        )

    def absorb(self, chunk: ChunkOutput) -> None:
        """Write the chunk's measures and sampled values."""
        self._writer.write(chunk.start, chunk.stop, {**chunk.headline, **chunk.sampled})

    def finish(self, tally: LimiterTally) -> Path:
        """Write the global attributes and close the file."""
        self._writer.close(self._plan.attrs("summary", tally))
        return self.path

    def abort(self) -> None:
        """Close (netCDF) or remove (Zarr) what was written: the run failed."""
        if self._writer is not None:
            self._writer.abort()
