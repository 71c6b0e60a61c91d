"""Resumable sweeps over scenario fields (``ceasefire sweep SWEEP.yaml -o DIR``)."""

from ceasefire.sweep._sweep import SweepSpec, SweepStatus, load_sweep, run_sweep

__all__ = ["SweepSpec", "SweepStatus", "load_sweep", "run_sweep"]
