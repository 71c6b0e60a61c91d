"""``python -m ceasefire``: the same as the ``ceasefire`` command."""

from ceasefire.cli import main

main()
