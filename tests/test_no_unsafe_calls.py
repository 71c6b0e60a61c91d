"""No code execution from data: a scan of every module under src/ with ``ast``.

Scenario files, overlays, articles, observation files and dashboard values are user data.
None of it may reach ``eval``, ``exec``, ``compile``, ``pickle``/``marshal``/``shelve``
(which run code while loading), ``yaml.load`` with a loader that builds Python objects,
``subprocess`` with ``shell=True``, ``os.system``/``os.popen``, or ``__import__`` /
``importlib.import_module`` of a name that is not a literal. Nothing is allowed silently:
an exception must be listed in ``ALLOWED`` with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ceasefire"

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "jsonpickle"}
FORBIDDEN_ATTRIBUTES = {("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp")}
SAFE_YAML_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "_Loader"}
"""``_Loader`` is ``ceasefire.scenario._load._Loader``, a ``yaml.SafeLoader`` subclass (checked
below): it only adds a date constructor that reports impossible dates at their line."""

# (file relative to src/ceasefire, what) -> why it is safe.
ALLOWED: dict[tuple[str, str], str] = {
    # The package's lazy attributes: the module name comes from the literal table `_LAZY`,
    # and only after `name in _LAZY`; no user string can choose what is imported.
    ("__init__.py", "importlib.import_module(<not a literal>)"): "lazy re-exports from _LAZY",
    # The combat-law registry imports the modules of its own package folder, found by
    # pkgutil.iter_modules(__path__) when the package is imported: a module name comes from
    # the installed files, never from a scenario, and a law is then chosen by a dict lookup.
    ("model/laws/__init__.py", "importlib.import_module(<not a literal>)"): (
        "the combat-law registry's own modules"
    ),
}


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else None
            for name in [module or "", *names]:
                if name.split(".")[0] in FORBIDDEN_MODULES:
                    found.append(f"import {name}")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
            found.append(f"{func.id}()")
        if isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            if (owner, func.attr) in FORBIDDEN_ATTRIBUTES:
                found.append(f"{owner}.{func.attr}()")
            if func.attr in ("load", "load_all") and owner == "yaml":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                if loader is None and len(node.args) > 1:
                    loader = node.args[1]
                name = (
                    loader.attr
                    if isinstance(loader, ast.Attribute)
                    else loader.id
                    if isinstance(loader, ast.Name)
                    else None
                )
                if name not in SAFE_YAML_LOADERS:
                    found.append(f"yaml.{func.attr}(Loader={name})")
            if func.attr in ("unsafe_load", "full_load") and owner == "yaml":
                found.append(f"yaml.{func.attr}()")
            if func.attr == "import_module" and not (
                node.args and isinstance(node.args[0], ast.Constant)
            ):
                found.append("importlib.import_module(<not a literal>)")
            if owner == "subprocess" or func.attr in ("Popen", "run", "call", "check_output"):
                for keyword in node.keywords:
                    if keyword.arg == "shell" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                    ):
                        found.append(f"{func.attr}(shell=...)")
    relative = str(path.relative_to(SRC))
    return [p for p in found if (relative, p) not in ALLOWED]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_runs_no_code_from_data(path: Path) -> None:
    assert _problems(path) == []


def test_every_allowed_exception_is_still_there() -> None:
    """An exception whose code is gone must leave the list, so the list never hides anything."""
    for relative, what in ALLOWED:
        saved = dict(ALLOWED)
        ALLOWED.clear()
        try:
            assert what in _problems(SRC / relative), (relative, what)
        finally:
            ALLOWED.update(saved)


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The scanner itself: each forbidden pattern in a file is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pickle\nimport yaml, os, subprocess, importlib\n"
        "eval('1')\nexec('x = 1')\nos.system('ls')\nyaml.load(t, Loader=yaml.FullLoader)\n"
        "yaml.unsafe_load(t)\nsubprocess.run('ls', shell=True)\nimportlib.import_module(name)\n"
        "__import__(name)\n",
        encoding="utf-8",
    )
    found = _problems_outside(bad)
    assert sorted(found) == sorted(
        [
            "import pickle",
            "eval()",
            "exec()",
            "os.system()",
            "yaml.load(Loader=FullLoader)",
            "yaml.unsafe_load()",
            "run(shell=...)",
            "importlib.import_module(<not a literal>)",
            "__import__()",
        ]
    )


def _problems_outside(path: Path) -> list[str]:
    """Scan a file outside src/ (for the scanner's own test)."""
    global SRC
    saved, SRC = SRC, path.parent
    try:
        return _problems(path)
    finally:
        SRC = saved


def test_the_scenario_loader_is_a_safe_loader() -> None:
    import yaml

    from ceasefire.scenario._load import _Loader

    # PyYAML's safe loader, or libyaml's (CSafeLoader is not a SafeLoader subclass): what
    # makes either safe is the constructor.
    assert issubclass(_Loader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert issubclass(_Loader, yaml.constructor.SafeConstructor)
    assert not issubclass(_Loader, yaml.constructor.FullConstructor)
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load("!!python/object/apply:os.system ['true']", Loader=_Loader)
