"""Fuzzing at a small budget: near-valid scenarios, articles and observation files.

Every input either works or is refused with the clear error, never anything else:

- a scenario made from the ``tiny`` or the default preset by mutating values, types, keys and
  distributions either loads, and then a small ensemble runs with finite, non-negative stocks,
  or is refused with an :class:`~ceasefire._errors.InputError` (a ``ScenarioError``);
- any text given to the claims extractor gives a report;
- any bytes given to the observation loaders give a series or an ``InputError``.

The budget here keeps the file to about half a minute; ``python fuzz/run.py --minutes 10``
runs the same properties for longer (see ``fuzz/README.md``).
"""

from __future__ import annotations

import copy
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from ceasefire._errors import InputError
from tests.conftest import preset_data

STOCKS = (
    "active",
    "training",
    "wounded",
    "pool",
    "recruited",
    "killed",
    "wounded_total",
    "returned",
    "discharged",
    "deserted",
)
MAX_STEPS = 20_000
"""Scenarios with more integration steps than this are checked for loading only (time)."""

# Derandomized: the suite replays the same examples on every machine, so a failure in CI is
# a change in the code, not a new draw; fuzz/run.py is where new examples are drawn.
SMALL = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- near-valid scenarios ------------------------------------------------------------------

Path_ = tuple[str | int, ...]


def _paths(node: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every path into the data, containers and leaves alike (not the root)."""
    out: list[Path_] = []
    if not isinstance(node, dict | list):
        return out
    items: Any = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        out.append((*prefix, key))
        out.extend(_paths(value, (*prefix, key)))
    return out


def _parent(data: Any, path: Path_) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**13), max_value=10**13),
    st.sampled_from([0, 1, -1, 0.5, 1.5, 1e-12, 1e12, 1e308]),
)
OTHER_TYPES = st.sampled_from(["text", "", True, False, None, [], {}, [1, 2], {"value": 1}])
KEYS = st.sampled_from(["colour", "valeu", "unit", "dist", "low", "high", "source", "lethal"])
DISTRIBUTIONS = st.sampled_from(["fixed", "uniform", "triangular", "pert", "normal", "lognormal"])


@st.composite
def mutated_scenario(draw: st.DrawFn, preset: str) -> dict[str, Any]:
    """The preset's data with up to three random mutations."""
    data = preset_data(preset)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(_paths(data)))
        parent, key = _parent(data, path), path[-1]
        operation = draw(
            st.sampled_from(["number", "scale", "type", "delete", "add_key", "distribution"])
        )
        current = parent[key]
        if operation == "number":
            parent[key] = draw(NUMBERS)
        elif operation == "scale" and isinstance(current, int | float) and current is not True:
            parent[key] = current * draw(st.sampled_from([0, -1, 0.5, 2, 10, 1e3, 1e6]))
        elif operation == "type":
            parent[key] = copy.deepcopy(draw(OTHER_TYPES))
        elif operation == "delete":
            del parent[key]
        elif operation == "add_key" and isinstance(current, dict):
            current[draw(KEYS)] = draw(NUMBERS | OTHER_TYPES)
        elif operation == "distribution" and isinstance(current, dict):
            low, high = draw(NUMBERS), draw(NUMBERS)
            current.pop("value", None)
            current.update(dist=draw(DISTRIBUTIONS), low=low, high=high, mode=(low + high) / 2)
    return data


def check_scenario(data: dict[str, Any]) -> str:
    """Load ``data``; if it loads, run a small ensemble and check its stocks. Return the outcome."""
    from ceasefire.ensemble import simulate
    from ceasefire.scenario import scenario_from_dict

    try:
        scenario = scenario_from_dict(data, where="<fuzz>")
    except InputError as error:
        message = str(error)
        assert message, "an error must say something"
        return "refused"
    time = scenario.time
    if time.horizon.days / time.step.days > MAX_STEPS:
        return "loaded (too long to run here)"
    try:
        ensemble = simulate(scenario, draws=3, seed=0, engine="numpy", progress=None)
    except InputError:
        return "refused by the engine"
    for name in STOCKS:
        if name not in ensemble:
            continue
        values = ensemble[name].values
        assert np.all(np.isfinite(values)), f"{name} is not finite"
        scale = max(1.0, float(np.max(np.abs(values))))
        assert float(np.min(values)) >= -1e-9 * scale, f"{name} went negative"
    return "ran"


@pytest.mark.slow
@SMALL
@given(mutated_scenario("tiny"))
def test_near_valid_tiny_scenarios_load_and_run_or_are_refused(data: dict[str, Any]) -> None:
    event(check_scenario(data))


@pytest.mark.slow
@settings(SMALL, max_examples=10)
@given(mutated_scenario("russia-ukraine-2024-11"))
def test_near_valid_default_scenarios_load_and_run_or_are_refused(data: dict[str, Any]) -> None:
    event(check_scenario(data))


def test_unmutated_presets_run() -> None:
    """The strategy's starting points are valid: the mutations are what gets refused."""
    assert check_scenario(preset_data("tiny")) == "ran"
    assert check_scenario(preset_data("russia-ukraine-2024-11")) == "ran"


def test_an_absurd_intensity_is_refused_or_runs() -> None:
    """Found by fuzz/run.py: an intensity of 1.2e306 overflowed with a RuntimeWarning."""
    data = preset_data("tiny")
    data["combat"]["intensity"][1]["value"]["value"] = 1.2104563923174142e306
    assert check_scenario(data) == "refused by the engine"


def test_the_checker_refuses_what_it_should() -> None:
    data = preset_data("tiny")
    data["sides"]["red"]["killed_fraction"]["high"] = math.nan
    assert check_scenario(data) == "refused"


# --- articles ------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "Russia",
        "Ukraine",
        "recruits",
        "killed",
        "wounded",
        "30,000",
        "115,000–160,000",
        "a month",
        "per day",
        "about",
        "up to",
        "%",
        "since May",
        "on 1 November",
        "2024-11-30",
        "<p>",
        "</p>",
        "<meta name='date' content='2024-11-20'>",
        "Read : more",
        "\n",
        ".",
        " ",
        "1e308",
        "9" * 400,
        "–",
        "½",
        "\u200b",
        "🇺🇦",
    ]
)
ARTICLES = st.one_of(st.text(max_size=3000), st.lists(FRAGMENTS, max_size=200).map(" ".join))


def check_article(text: str) -> None:
    """The extractor reads any text: a report whose claims carry their sentence."""
    from ceasefire.claims import analyse_article

    try:
        report = analyse_article(text)
    except InputError:
        return
    for claim in report.to_dict()["claims"]:
        assert isinstance(claim["counts"], str)


@settings(SMALL, max_examples=60)
@given(ARTICLES)
@example("RECRUIT:2" + "0" * 320)  # found by fuzz/run.py: a figure beyond float range crashed
def test_claims_extractor_reads_any_text(text: str) -> None:
    check_article(text)


# --- observation files ---------------------------------------------------------------------

DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.sampled_from(["2024-02-30", "2024-13", "yesterday", "", "2024/01/01", "0000-00-00"]),
)
VALUES = st.one_of(
    NUMBERS.map(str), st.sampled_from(["", "nan", "-1", "1e400", "ten", "1,000", "0x10"])
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from(["date,value", "date,value,extra", "value,date", "day,count"]))
    meta = draw(st.sampled_from(["", "# kind: cumulative\n", "# kind: total\n", "# units: men\n"]))
    rows = draw(st.lists(st.tuples(DATES, VALUES), max_size=30))
    return (meta + header + "\n" + "".join(f"{d},{v}\n" for d, v in rows)).encode()


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    import json

    entries = draw(st.lists(st.tuples(DATES, NUMBERS | OTHER_TYPES), max_size=30))
    if draw(st.booleans()):
        data: Any = [{"date": d, "personnel": v} for d, v in entries]
    else:
        data = {d: {"deaths": v} for d, v in entries}
    return json.dumps(data).encode()


OBSERVATION_BYTES = st.one_of(st.binary(max_size=2000), csv_files(), json_files())


def check_observation(content: bytes, suffix: str) -> None:
    """Any bytes in an observation file give a series of finite numbers or an InputError."""
    from ceasefire.observe import load_series

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"observed{suffix}"
        path.write_bytes(content)
        try:
            series = load_series(path)
        except InputError as error:
            message = str(error)
        else:
            assert np.all(np.isfinite(np.asarray(series.values, dtype=np.float64)))
            return
    assert str(path) in message, message  # the error names the file


@settings(SMALL, max_examples=120)
@given(OBSERVATION_BYTES, st.sampled_from([".csv", ".json", ".txt"]))
def test_observation_loaders_read_any_bytes(content: bytes, suffix: str) -> None:
    check_observation(content, suffix)
