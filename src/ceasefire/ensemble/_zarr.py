"""Ensemble files in Zarr (a directory store): per-draw measures written chunk by chunk.

The layout is the netCDF writer's (:class:`~ceasefire.ensemble.EnsembleWriter`): dims
``draw, side`` (``dimension_names``, which xarray reads), coordinates ``draw, side,
channel``, units and provenance in attributes, so ``xarray.open_zarr(path)`` gives what
``open_ensemble`` gives for a ``.nc`` file. Zarr suits large sweeps: chunks are files, so
readers can start before the run ends and object stores hold it as is.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ZarrWriter"]

# Draws per stored chunk: a million-draw measure is 16 files of 4 MiB (two sides).
_DRAWS_PER_CHUNK = 65_536


class ZarrWriter:
    """Write per-draw measures and sampled parameters to a Zarr store (needs ``zarr``)."""

    def __init__(
        self,
        path: str | Path,
        *,
        draws: int,
        sides: list[str],
        channels: list[str],
        measures: dict[str, dict[str, str]],
        parameters: dict[str, dict[str, str]],
    ) -> None:
        import zarr

        self.path = Path(path)
        self._root = zarr.open_group(str(self.path), mode="w")
        root = self._root
        chunk = min(draws, _DRAWS_PER_CHUNK)
        root.create_array("draw", data=np.arange(draws, dtype=np.int64), dimension_names=["draw"])
        # Variable-length strings: the fixed-width NumPy kind has no Zarr v3 specification.
        for name, labels in (("side", sides), ("channel", channels)):
            array = root.create_array(name, shape=(len(labels),), dtype=str, dimension_names=[name])
            array[:] = np.array(labels, dtype=object)
        self._arrays: dict[str, Any] = {}
        for name, attrs in measures.items():
            array = root.create_array(
                name,
                shape=(draws, len(sides)),
                chunks=(chunk, len(sides)),
                dtype="f8",
                fill_value=np.nan,
                dimension_names=["draw", "side"],
            )
            array.attrs.update(attrs)
            self._arrays[name] = array
        for name, attrs in parameters.items():
            array = root.create_array(
                name,
                shape=(draws,),
                chunks=(chunk,),
                dtype="f8",
                fill_value=np.nan,
                dimension_names=["draw"],
            )
            array.attrs.update(attrs)
            self._arrays[name] = array

    def write(self, start: int, stop: int, columns: dict[str, Any]) -> None:
        """Write draws ``start … stop - 1`` of each named variable."""
        for name, values in columns.items():
            self._arrays[name][start:stop, ...] = values

    def close(self, attrs: dict[str, Any]) -> None:
        """Set the global attributes and consolidate the metadata (one read to open)."""
        import zarr

        self._root.attrs.update(attrs)
        # xarray opens consolidated stores by default (and warns on others); zarr warns that
        # consolidation is not yet in the v3 specification, which xarray itself relies on.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", zarr.errors.ZarrUserWarning)
            zarr.consolidate_metadata(str(self.path))

    def abort(self) -> None:
        """Remove the store (the run failed)."""
        shutil.rmtree(self.path, ignore_errors=True)
