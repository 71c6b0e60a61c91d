"""``python -m ceasefire.cli``."""

from ceasefire.cli._app import main

main()
