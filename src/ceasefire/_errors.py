"""Errors that the command line turns into one clear message and exit code 2.

Every layer raises :class:`InputError` (or a subclass) for bad input, so the CLI
never shows a traceback for a mistake in a file or an argument.
"""

from __future__ import annotations

__all__ = ["InputError", "ScenarioError"]


class InputError(Exception):
    """Bad input: a file, a field or an argument that is not what was expected.

    ``where`` names the file (and line, where known); ``field`` is the dotted path
    of the offending field, the same path that ``--set`` takes.
    """

    def __init__(self, message: str, *, where: str | None = None, field: str | None = None):
        self.message = message
        self.where = where
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = []
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(self.field)
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class ScenarioError(InputError):
    """A scenario file or override that does not validate."""
