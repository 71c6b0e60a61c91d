"""Executors: results are bit-identical across executors, worker counts and chunk sizes."""

from __future__ import annotations

import pytest
import xarray as xr

from ceasefire.ensemble import InProcess, Processes, executor_named, simulate
from tests.conftest import require_module


def _run(**options):
    return simulate("tiny", draws=600, seed=11, save="summary", engine="numpy", **options)


def test_chunk_size_does_not_change_results():
    xr.testing.assert_identical(_run(chunk_size=600), _run(chunk_size=97))


@pytest.mark.slow
def test_processes_match_in_process():
    reference = _run(chunk_size=150)
    with Processes(workers=2) as executor:
        xr.testing.assert_identical(reference, _run(chunk_size=128, executor=executor))


@pytest.mark.slow
def test_dask_local_cluster_matches_in_process():
    distributed = require_module("distributed")
    reference = _run(chunk_size=150)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        one = _run(chunk_size=100, scheduler=client)
        address = _run(chunk_size=256, executor="dask", scheduler=cluster.scheduler_address)
    xr.testing.assert_identical(reference, one)
    xr.testing.assert_identical(reference, address)


def test_executor_names():
    assert isinstance(executor_named(None), InProcess)
    assert isinstance(executor_named("processes", workers=3), Processes)
    with pytest.raises(ValueError, match="unknown executor"):
        executor_named("threads")
    with pytest.raises(ValueError, match="scheduler address"):
        executor_named("dask", scheduler="")


def test_dask_scheduler_address_from_the_environment(monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:1")
    executor = executor_named(None)
    assert executor.name == "dask"
