"""The ``ceasefire`` command line."""

from ceasefire.cli._app import app, main

__all__ = ["app", "main"]
