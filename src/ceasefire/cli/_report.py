"""The ``report`` and ``dashboard`` commands, registered on the main app by :func:`register`.

Heavy imports (xarray, matplotlib, panel) happen inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ceasefire._errors import InputError

__all__ = ["register"]

_SIDECARS = ("sensitivity", "claims", "calibration", "discovery")


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", where=str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"not valid JSON ({error})", where=str(path)) from None
    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object ({what} results)", where=str(path))
    return data


def _scenario_of(ensemble: Any, given: str | None) -> tuple[Any, str | None]:
    """Return the scenario that made ``ensemble``: the given one or the preset of its name.

    Returns the scenario (or None) and, when None, why.
    """
    from ceasefire.scenario import load_scenario, preset_names, scenario_hash

    expected = str(ensemble.attrs.get("scenario_sha256", ""))
    name = str(ensemble.attrs.get("scenario", ""))
    if given is not None:
        scenario = load_scenario(given)
        if scenario_hash(scenario) != expected:
            raise InputError(
                f"this scenario (sha256 {scenario_hash(scenario)[:12]}) did not make the "
                f"ensemble (sha256 {expected[:12]})",
                where=given,
            )
        return scenario, None
    if name in preset_names():
        scenario = load_scenario(name)
        if scenario_hash(scenario) == expected:
            return scenario, None
    return None, (
        "the scenario that made this ensemble is not a shipped preset; pass it with --scenario "
        "to show the deal window and every parameter"
    )


def _matching_ensemble(path: Path, scenario: Any, draws: int, seed: int) -> Any:
    """Open ``path`` when `ceasefire run` wrote it for exactly these inputs, else None."""
    if not path.is_file():
        return None
    from ceasefire.ensemble import open_ensemble
    from ceasefire.scenario import scenario_hash

    try:
        ensemble = open_ensemble(path)
    except (OSError, ValueError):
        return None
    attrs = ensemble.attrs
    if (
        str(attrs.get("scenario_sha256", "")) == scenario_hash(scenario)
        and int(attrs.get("draws", -1)) == draws
        and str(attrs.get("seed", "")) == str(seed)
        and str(attrs.get("posterior", "null")) == "null"
        and str(attrs.get("sampler", "mc")) == "mc"
        and str(attrs.get("save", "")) == "trajectories"
    ):
        return ensemble
    return None


def register(app: typer.Typer) -> None:
    """Add the ``report`` and ``dashboard`` commands to ``app``."""
    from ceasefire.cli._app import _friendly, with_examples

    @app.command("report")
    @with_examples(
        "ceasefire report tiny --draws 2000",
        "ceasefire run tiny --draws 2000 -o out/tiny",
        "ceasefire report out/tiny/ensemble.nc",
    )
    @_friendly
    def report(
        source: Annotated[
            str | None,
            typer.Argument(
                help="A scenario (file or preset; default russia-ukraine-2024-11), simulated "
                "first, or an ensemble file (.nc) written by `ceasefire run`.",
                show_default=False,
            ),
        ] = None,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output",
                "-o",
                help="The HTML file; default: report.html beside the ensemble, or "
                "out/<scenario>/report.html.",
                show_default=False,
            ),
        ] = None,
        draws: Annotated[
            int, typer.Option("--draws", "-n", min=1, help="Ensemble size, for a scenario.")
        ] = 10_000,
        seed: Annotated[int, typer.Option(min=0, help="Root seed, for a scenario.")] = 0,
        overrides: Annotated[
            list[str] | None,
            typer.Option("--set", help="Override a scenario field: path=value. Repeatable."),
        ] = None,
        whatifs: Annotated[
            list[str] | None,
            typer.Option(
                "--with",
                help="Apply a what-if overlay, for a scenario. Repeatable.",
                show_default=False,
            ),
        ] = None,
        scenario: Annotated[
            str | None,
            typer.Option(
                help="The scenario that made the ensemble (checked by its sha256), when it is "
                "not a shipped preset.",
                show_default=False,
            ),
        ] = None,
        window_draws: Annotated[
            int,
            typer.Option(
                min=0, help="Draws for the deal window (each side's world); 0: leave it out."
            ),
        ] = 1000,
        deal: Annotated[
            str | None,
            typer.Option(
                help="A proposed deal (YAML file or shipped name); default for scenarios with "
                "territory, neutrality and sanctions: current-line-neutrality.",
                show_default=False,
            ),
        ] = None,
        sensitivity: Annotated[
            Path | None,
            typer.Option(help="Sensitivity results (JSON).", show_default=False),
        ] = None,
        claims: Annotated[
            Path | None,
            typer.Option(help="Claims checked against data (JSON).", show_default=False),
        ] = None,
        calibration: Annotated[
            Path | None, typer.Option(help="Calibration results (JSON).", show_default=False)
        ] = None,
        discovery: Annotated[
            Path | None,
            typer.Option(
                help="Scenario discovery (`ceasefire discover` JSON).", show_default=False
            ),
        ] = None,
        territory: Annotated[
            Path | None,
            typer.Option(
                help="Observed territory (a DeepState date,occupied_km2 CSV), drawn up to the "
                "cutoff beside the forecast.",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Write one self-contained HTML report (inline SVG, no network) of a run.

        Sensitivity, claims and calibration results are read from the options, or from
        sensitivity.json, claims.json, calibration.json and discovery.json beside the ensemble; each
        section says so when its data is absent.
        """
        from ceasefire.cli._app import _load, default_folder
        from ceasefire.ensemble import open_ensemble
        from ceasefire.report import build_report, default_sections, write_report

        observed = None
        if territory is not None:
            from ceasefire.observe import load_deepstate

            observed = load_deepstate(territory)

        notes: list[str] = []
        if source is not None and source.endswith(".nc"):
            path = Path(source)
            if not path.is_file():
                raise InputError("no such ensemble file", where=source)
            try:
                ensemble = open_ensemble(path)
            except (OSError, ValueError) as error:
                raise InputError(f"cannot read the ensemble: {error}", where=source) from None
            if overrides or whatifs:
                raise InputError(
                    "--set and --with apply to a scenario, not to an ensemble",
                    where="--set" if overrides else "--with",
                )
            loaded, missing = _scenario_of(ensemble, scenario)
            folder = path.parent
            target = output if output is not None else folder / "report.html"
            seed = int(ensemble.attrs.get("seed", 0))
        else:
            from ceasefire.ensemble import simulate

            loaded = _load(source, overrides, whatifs)
            missing = None
            # The folder `ceasefire run` writes for the same inputs: its ensemble is reused
            # when it is this run's, and its sensitivity/claims/calibration are read, so a
            # scenario and its ensemble file give the same report.
            folder = default_folder(
                loaded, source=source, overrides=overrides, draws=draws, seed=seed
            )
            ensemble = _matching_ensemble(folder / "ensemble.nc", loaded, draws, seed)
            if ensemble is None:
                ensemble = simulate(loaded, draws=draws, seed=seed)
            else:
                notes.append(f"ensemble read from {folder / 'ensemble.nc'}")
            target = output if output is not None else folder / "report.html"
        window = None
        window_note = missing
        if loaded is not None and window_draws > 0:
            window, window_note = _window(loaded, window_draws, seed, deal)
        elif loaded is not None:
            window_note = "the deal window was left out (--window-draws 0)"
        sidecars: dict[str, dict[str, Any] | None] = {}
        expected = str(ensemble.attrs.get("scenario_sha256", ""))
        for name, given in zip(
            _SIDECARS, (sensitivity, claims, calibration, discovery), strict=True
        ):
            sidecars[name] = None
            if given is not None:
                sidecars[name] = _read_json(given, name)
            elif (folder / f"{name}.json").is_file():
                found = _read_json(folder / f"{name}.json", name)
                made_for = str(found.get("scenario_sha256", expected))
                if made_for != expected:
                    notes.append(
                        f"{folder / f'{name}.json'} ignored: it was made for another scenario "
                        f"(sha256 {made_for[:12]}, the ensemble's is {expected[:12]})"
                    )
                    continue
                sidecars[name] = found
                notes.append(f"{name} read from {folder / f'{name}.json'}")
        text = build_report(
            ensemble,
            scenario=loaded,
            window=window,
            window_note=window_note,
            notes=notes,
            sensitivity=sidecars["sensitivity"],
            claims=sidecars["claims"],
            calibration=sidecars["calibration"],
            discovery=sidecars["discovery"],
            sections=default_sections(observed),
        )
        if target.exists() and target.is_dir():
            raise InputError("is a folder; expected an HTML file path", where=str(target))
        try:
            write_report(target, text)
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror}", where=str(target)) from None
        typer.echo(f"wrote {target}")

    @app.command("dashboard")
    @with_examples("ceasefire dashboard --port 5006", "ceasefire dashboard tiny --port 0 --show")
    @_friendly
    def dashboard(
        scenario: Annotated[
            str | None,
            typer.Argument(
                help="Scenario file or preset; default: russia-ukraine-2024-11.",
                show_default=False,
            ),
        ] = None,
        port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free).")] = 5006,
        host: Annotated[
            str | None,
            typer.Option(
                help="Address to listen on; default 127.0.0.1 (this machine only).",
                show_default=False,
            ),
        ] = None,
        draws: Annotated[
            int, typer.Option("--draws", "-n", min=1, help="Default ensemble size.")
        ] = 2000,
        origins: Annotated[
            list[str] | None,
            typer.Option(
                "--origin",
                help="Another host[:port] the page may be reached as (e.g. this machine's name "
                "with --host 0.0.0.0); requests naming any other host get 403. Repeatable.",
                show_default=False,
            ),
        ] = None,
        show: Annotated[bool, typer.Option(help="Open a browser tab.")] = False,
    ) -> None:
        """Serve the live dashboard (Panel; extra `dashboard`) on 127.0.0.1.

        Only requests that name the served host:port (Host and Origin headers) are answered,
        so other web sites cannot drive it from your browser.
        """
        from ceasefire.scenario import load_scenario

        try:
            from ceasefire.dashboard import serve
        except ImportError as error:
            raise InputError(
                f"the dashboard needs the `dashboard` extra: pip install 'ceasefire[dashboard]' "
                f"({error})",
                where="dashboard",
            ) from None
        base = load_scenario(scenario)
        address = "127.0.0.1" if host is None else host
        if host is not None:
            typer.echo(
                f"ceasefire: warning: serving on {host}: anyone who can reach this address can "
                "use the dashboard and its CPU (there is no login)",
                err=True,
            )
        serve(base, port=port, address=address, draws=draws, show=show, origins=origins or ())


def _window(scenario: Any, draws: int, seed: int, deal: str | None) -> tuple[Any, str | None]:
    """Compute the deal window of ``scenario``; return it (or None) and why it is absent."""
    from ceasefire.bargaining import claimed_beliefs, deal_calculus
    from ceasefire.scenario import load_deal

    if scenario.bargaining is None:
        return None, "the scenario has no `bargaining:` section (resolve and issues)"
    if scenario.front is None:
        return None, "the scenario has no front (the deal window values the line at the horizon)"
    kinds = {name: issue.kind for name, issue in scenario.bargaining.issues.items()}
    if deal is None and set(kinds) == {"territory", "neutrality", "sanctions"}:
        deal = "current-line-neutrality"
    proposal = load_deal(deal, kinds) if deal is not None else None
    if scenario.information_cutoff is None:
        return None, "the scenario has no information cutoff (the record must stop there)"
    beliefs_a, beliefs_b, labels = claimed_beliefs(scenario)
    try:
        result = deal_calculus(
            scenario,
            draws=draws,
            seed=seed,
            beliefs_a=beliefs_a,
            beliefs_b=beliefs_b,
            deal=None if proposal is None else proposal.issues,
        )
    except InputError as error:  # e.g. the shipped record does not fit the scenario's issues
        return None, f"the deal calculus does not apply: {error.message}"
    if proposal is not None:
        result["deal"]["name"] = proposal.name
    result["beliefs"] = labels
    return result, None
