"""The ``ceasefire`` command line.

:mod:`ceasefire.cli._app` holds the app and what the commands share; each group of
commands lives in its own module with a ``register(app)`` function, called here in the
order ``ceasefire --help`` lists them.
"""

from ceasefire.cli import (
    _bargain,
    _battles,
    _calibrate,
    _claims,
    _discover,
    _export,
    _regions,
    _report,
    _run,
    _sweep,
    _uncertainty,
)
from ceasefire.cli._app import app, main

for _module in (
    _run,
    _bargain,
    _regions,
    _battles,
    _uncertainty,
    _discover,
    _sweep,
    _calibrate,
    _claims,
    _report,
    _export,
):
    _module.register(app)

__all__ = ["app", "main"]
