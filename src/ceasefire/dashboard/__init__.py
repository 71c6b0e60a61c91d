"""The live dashboard (Panel; extra `dashboard`), served on 127.0.0.1.

Controls come from the scenario's schema (:func:`controls_for`), every value the browser
sends is checked on the server, and the engine runs in a worker thread::

    from ceasefire.dashboard import serve
    serve(load_scenario("russia-ukraine-2024-11"), port=5006)
"""

from ceasefire.dashboard._app import Dashboard, app_factory, serve
from ceasefire.dashboard._compute import Results, Settings, build_scenario, compute
from ceasefire.dashboard._controls import Control, apply_controls, controls_for

__all__ = [
    "Control",
    "Dashboard",
    "Results",
    "Settings",
    "app_factory",
    "apply_controls",
    "build_scenario",
    "compute",
    "controls_for",
    "serve",
]
