import subprocess
import sys

import ceasefire


def test_public_api_is_pinned():
    assert ceasefire.__all__ == [
        "Dask",
        "File",
        "InMemory",
        "InProcess",
        "InputError",
        "LatinHypercube",
        "MonteCarlo",
        "Processes",
        "Scenario",
        "ScenarioError",
        "StreamedSummary",
        "__version__",
        "load_scenario",
        "open_ensemble",
        "preset_names",
        "probability_words",
        "save_ensemble",
        "simulate",
        "summarize",
    ]
    for name in ceasefire.__all__:
        assert getattr(ceasefire, name) is not None


def test_import_is_light():
    """`import ceasefire` must not pull in numpy, xarray or pydantic (fast --help)."""
    code = (
        "import sys, ceasefire, ceasefire.cli; "
        "print(sorted(m for m in ('numpy', 'xarray', 'pydantic', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cf_simulate_runs_even_after_the_subpackage_is_imported() -> None:
    """`import ceasefire.ensemble` rebinds `cf.simulate` to the subpackage; it still runs."""
    import importlib

    import ceasefire as cf

    importlib.import_module("ceasefire.ensemble")
    ensemble = cf.simulate("tiny", draws=3, seed=1, engine="numpy")
    assert ensemble.sizes["draw"] == 3
