"""Combat laws, one small final class per file, found here by name.

Every module ``_<name>.py`` of this package that defines a :class:`Law` subclass adds it to
:data:`LAWS` under its scenario name (``combat.law``): a new law is one file plus its schema
entry in :mod:`ceasefire.scenario._schema`.
"""

from __future__ import annotations

import importlib
import pkgutil

from ceasefire.model.laws._base import Law, LawParameters, ParameterSource

__all__ = ["LAWS", "Law", "LawParameters", "ParameterSource", "law_code", "law_named"]


def _discover() -> dict[str, type[Law]]:
    found: dict[str, type[Law]] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name == "_base":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Law) and value is not Law:
                found[value.name] = value
    return dict(sorted(found.items()))


LAWS: dict[str, type[Law]] = _discover()
"""Every combat law by its scenario name, in name order (the compiled engine's codes)."""


def law_named(name: str) -> type[Law]:
    """Return the law a scenario names."""
    try:
        return LAWS[name]
    except KeyError:  # pragma: no cover - the schema admits only the laws registered here
        raise KeyError(f"no combat law {name!r}; known: {', '.join(LAWS)}") from None


def law_code(name: str) -> int:
    """Return the law's index in :data:`LAWS` (how the compiled engine selects it)."""
    return list(LAWS).index(name)
