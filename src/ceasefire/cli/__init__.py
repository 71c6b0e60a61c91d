"""The ``ceasefire`` command line.

The core commands live in :mod:`ceasefire.cli._app`; each further group of commands
lives in its own module with a ``register(app)`` function, called here.
"""

from ceasefire.cli import _calibrate, _claims, _report, _sweep, _uncertainty
from ceasefire.cli._app import app, main

for _module in (_uncertainty, _sweep, _calibrate, _claims, _report):
    _module.register(app)

__all__ = ["app", "main"]
