"""``ceasefire run --posterior``: forward runs from a calibration's posterior."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from ceasefire.calibrate import calibrate
from ceasefire.cli import app
from ceasefire.ensemble import uncertain_parameters
from tests.test_calibrate import small_scenario, synthetic_case


@pytest.mark.slow
def test_run_from_a_posterior_draws_its_particles(tmp_path: Path) -> None:
    scenario = small_scenario(tmp_path)
    truth = {p.path: float(p.param.central()) for p in uncertain_parameters(scenario)}
    observed = synthetic_case(scenario, truth, months=3, seed=1)
    result = calibrate(
        scenario, observed, until=dt.date(2024, 3, 31), window=3, particles=40, runs=2, seed=3
    )
    posterior = tmp_path / "posterior.nc"
    result.save(posterior)
    out = tmp_path / "out"
    args = ["run", str(tmp_path / "small.yaml"), "-n", "300", "--no-progress", "-o", str(out)]
    ran = CliRunner().invoke(app, [*args, "--posterior", str(posterior)])
    assert ran.exit_code == 0, ran.output
    # The title and the ensemble say the run came from a posterior (issue 22, point 6).
    assert "forward from the posterior" in " ".join(ran.output.split())
    particles = result.values()
    with xr.open_dataset(out / "ensemble.nc", engine="h5netcdf") as ensemble:
        assert json.loads(ensemble.attrs["posterior"])["file"] == str(posterior)
        for path, values in particles.items():
            drawn = ensemble[path].values
            assert set(np.unique(drawn)) <= set(np.asarray(values).ravel()), path
            assert ensemble[path].attrs["distribution"] == "given"


def test_a_posterior_of_another_scenario_is_refused(tmp_path: Path) -> None:
    scenario = small_scenario(tmp_path)
    truth = {p.path: float(p.param.central()) for p in uncertain_parameters(scenario)}
    observed = synthetic_case(scenario, truth, months=2, seed=1)
    result = calibrate(
        scenario, observed, until=dt.date(2024, 2, 29), window=2, particles=20, runs=1, seed=3
    )
    posterior = tmp_path / "posterior.nc"
    result.save(posterior)
    out = tmp_path / "out"
    ran = CliRunner().invoke(
        app,
        ["run", "tiny", "-n", "10", "--no-progress", "-o", str(out), "--posterior", str(posterior)],
    )
    assert ran.exit_code == 2, ran.output
    assert "not uncertain parameters of tiny" in ran.output
    assert not out.exists()
