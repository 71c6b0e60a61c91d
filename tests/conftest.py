"""Shared fixtures: the project's shared data folder and small scenario builders."""

from __future__ import annotations

import copy
import os
import socket
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from ceasefire.scenario import preset_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CEASEFIRE_SHARED", ROOT.parent / "shared"))


def shared_file(relative: str) -> Path:
    """Return a file of ../shared, or skip (fail under CI=true) when it is absent."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is absent: the shared data folder is not beside the repository"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true requires it)")
        pytest.skip(message)
    return path


def preset_data(name: str) -> dict[str, Any]:
    """The raw (unvalidated) data of a shipped preset, as a fresh dict."""
    data = yaml.safe_load(preset_path(name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def fixed(value: float, unit: str | None = None) -> dict[str, Any]:
    """A fixed parameter labelled as a test assumption."""
    out: dict[str, Any] = {"value": value, "assumption": "test value"}
    if unit is not None:
        out["unit"] = unit
    return out


def duel(
    *,
    a0: float = 10_000.0,
    b0: float = 8_000.0,
    lethality_a: float = 0.1,
    lethality_b: float = 0.12,
    months: float = 3.0,
    step_days: float = 1.0,
    method: str = "euler",
) -> dict[str, Any]:
    """A pure Lanchester square-law duel: no recruitment, every casualty killed.

    ``lethality_x`` is what side x inflicts per soldier per month, so
    ``dA/dt = -lethality_b B`` and ``dB/dt = -lethality_a A``.
    """

    def side(initial: float) -> dict[str, Any]:
        return {
            "name": "side",
            "channels": {
                "line": {
                    "effectiveness": fixed(1),
                    "exposure": fixed(1),
                    "initial_active": fixed(initial, "men"),
                    "draws_on_pool": False,
                }
            },
            "killed_fraction": fixed(1),
            "wounded_return": {"fraction": fixed(0), "delay": fixed(1, "months")},
            "desertion_rate": fixed(0, "per_month"),
        }

    return {
        "name": "duel",
        "title": "square-law duel",
        "time": {
            "start": "2000-01-01",
            "horizon": {"value": months, "unit": "months"},
            "step": {"value": step_days, "unit": "days"},
            "saveper": {"value": 1, "unit": "months"},
            "method": method,
        },
        "sides": {"a": side(a0), "b": side(b0)},
        "combat": {
            "law": "square",
            "lethality": {
                "a": fixed(lethality_a, "per_month"),
                "b": fixed(lethality_b, "per_month"),
            },
        },
    }


def require_module(name: str) -> Any:
    """Import an optional dependency; skip locally when it is absent, fail under CI=true.

    `make test` installs every extra, so in CI a missing module is a broken install step,
    never a reason to skip.
    """
    if os.environ.get("CI") == "true":
        import importlib

        return importlib.import_module(name)
    return pytest.importorskip(name)


def wait_listening(port: int, host: str = "127.0.0.1", timeout: float = 30.0) -> None:
    """Return once something accepts connections on ``host:port`` (or after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                return
        time.sleep(0.05)
