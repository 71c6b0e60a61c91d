"""Ensemble files: netCDF-4 (HDF5) through h5netcdf.

Monthly trajectories are stored as float32 (seven significant digits, far finer
than any input) and compressed; per-draw measures and sampled parameters keep
float64.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["open_ensemble", "save_ensemble"]


def save_ensemble(ensemble: xr.Dataset, path: str | Path) -> None:
    """Write an ensemble to ``path`` (netCDF-4)."""
    encoding: dict[str, dict[str, Any]] = {}
    for name, variable in ensemble.data_vars.items():
        if "time" in variable.dims:
            encoding[str(name)] = {"dtype": "float32", "zlib": True, "complevel": 1}
    ensemble.to_netcdf(path, engine="h5netcdf", encoding=encoding)


def open_ensemble(path: str | Path) -> xr.Dataset:
    """Read an ensemble written by :func:`save_ensemble` (loaded into memory)."""
    import xarray as xr

    with xr.open_dataset(path, engine="h5netcdf") as dataset:
        return dataset.load()
