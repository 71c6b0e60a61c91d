"""ceasefire: a workbench for wars of attrition and the peace deals that end them.

The public API, curated here; everything else is private and may change::

    import ceasefire as cf

    scenario = cf.load_scenario("russia-ukraine-2024-11")
    ensemble = cf.simulate(scenario, draws=10_000, seed=0)
    summary = cf.summarize(ensemble)

The verb's strategies are here too: ``cf.simulate(scenario, 10**6, 0,
sampler=cf.LatinHypercube(), executor=cf.Processes(4), save=[cf.StreamedSummary(),
cf.File("run.zarr")])``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
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

if TYPE_CHECKING:
    from ceasefire._errors import InputError, ScenarioError
    from ceasefire.analysis import probability_words, summarize
    from ceasefire.ensemble import (
        Dask,
        File,
        InMemory,
        InProcess,
        LatinHypercube,
        MonteCarlo,
        Processes,
        StreamedSummary,
        open_ensemble,
        save_ensemble,
        simulate,
    )
    from ceasefire.scenario import Scenario, load_scenario, preset_names

# Imported on first use so that `import ceasefire` (and `ceasefire --help`) stays fast.
_LAZY = {
    "InputError": "ceasefire._errors",
    "ScenarioError": "ceasefire._errors",
    "Scenario": "ceasefire.scenario",
    "load_scenario": "ceasefire.scenario",
    "preset_names": "ceasefire.scenario",
    "simulate": "ceasefire.ensemble",
    **dict.fromkeys(
        (
            "Dask",
            "File",
            "InMemory",
            "InProcess",
            "LatinHypercube",
            "MonteCarlo",
            "Processes",
            "StreamedSummary",
        ),
        "ceasefire.ensemble",
    ),
    "open_ensemble": "ceasefire.ensemble",
    "save_ensemble": "ceasefire.ensemble",
    "summarize": "ceasefire.analysis",
    "probability_words": "ceasefire.analysis",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ceasefire' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
