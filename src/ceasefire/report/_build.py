"""Build the report: one self-contained HTML file (inline SVG and CSS, no script, no network).

A Content-Security-Policy in the page forbids every fetch, so a browser opening the file
offline and online shows the same thing.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ceasefire.report._forecast import forecast_section
from ceasefire.report._published import published
from ceasefire.report._sections import SECTIONS, ReportInputs, Section

if TYPE_CHECKING:
    import xarray as xr

    from ceasefire.scenario import Scenario

__all__ = ["build_report", "default_sections", "write_report"]

_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
  max-width: 60rem; padding: 1rem 1.5rem 3rem; color: #1a1a1a; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; margin-top: 2.2rem; }
nav ol { columns: 2; padding-left: 1.2rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: #333; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.8rem 0; width: 100%; }
caption { text-align: left; font-size: 0.9rem; color: #333; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.45rem; text-align: left;
  vertical-align: top; }
th { background: #f2f2f2; }
.missing { background: #fff4e5; border-left: 4px solid #E69F00; padding: 0.4rem 0.7rem; }
.question { font-size: 1.05rem; }
.answer li { margin: 0.3rem 0; }
.note, .lede { font-size: 0.9rem; color: #333; }
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

SectionFunction = Callable[[ReportInputs], Section]


def default_sections(observed_territory: Any = None) -> tuple[SectionFunction, ...]:
    """Return the report's sections: :data:`SECTIONS` with the forecast section after the territory.

    ``observed_territory`` (a DeepState series) adds the observed path up to the cutoff.
    """
    names = [section.__name__ for section in SECTIONS]
    at = names.index("territory") + 1 if "territory" in names else len(names)
    return (
        *SECTIONS[:at],
        forecast_section(observed_territory),
        published,
        *SECTIONS[at:],
    )


def build_report(
    ensemble: xr.Dataset,
    *,
    scenario: Scenario | None = None,
    window: Mapping[str, Any] | None = None,
    window_note: str | None = None,
    sensitivity: Mapping[str, Any] | None = None,
    claims: Mapping[str, Any] | None = None,
    calibration: Mapping[str, Any] | None = None,
    discovery: Mapping[str, Any] | None = None,
    sections: Sequence[SectionFunction] | None = None,
    notes: Sequence[str] = (),
) -> str:
    """Return the report of ``ensemble`` as one self-contained HTML document.

    Parameters
    ----------
    ensemble
        An ensemble from :func:`ceasefire.ensemble.simulate` (trajectories for the fan
        charts; a summary-only ensemble gives the sections that need no trajectories).
    scenario
        The scenario that made it, for the parameter table, side names and the front.
    window
        The result of :func:`ceasefire.bargaining.deal_window` for the deal sections.
    window_note
        Why the deal window is absent, shown in its place.
    sensitivity, claims, calibration, discovery
        JSON-ready results of those analyses; each section says so when its result is absent.
    sections
        The section functions, in order (default: :func:`default_sections`).
    notes
        Extra lines for the "how it was computed" table.

    Returns
    -------
    str
        The HTML text.

    """
    from ceasefire.analysis import summary_of

    extra: dict[str, Any] = {}
    if window_note is not None:
        extra["window_note"] = window_note
    if scenario is None:
        summary = summary_of(ensemble)
    else:
        # Money (with costs and trajectories) joins the ensemble and its summary.
        from ceasefire.analysis.costs import summary_with_money

        ensemble, summary = summary_with_money(ensemble, scenario)
    inputs = ReportInputs(
        ensemble=ensemble,
        summary=summary,
        scenario=scenario,
        window=window,
        sensitivity=sensitivity,
        claims=claims,
        calibration=calibration,
        discovery=discovery,
        extra_notes=tuple(notes),
        **extra,
    )
    built = [section(inputs) for section in (sections or default_sections())]
    title = str(ensemble.attrs.get("title", ensemble.attrs.get("scenario", "ceasefire report")))
    return _page(title, inputs, built)


def _page(title: str, inputs: ReportInputs, sections: Sequence[Section]) -> str:
    escape = html.escape
    attrs = inputs.ensemble.attrs
    toc = "".join(f'<li><a href="#{s.anchor}">{escape(s.title)}</a></li>' for s in sections)
    body = "".join(
        f'<section id="{s.anchor}" aria-labelledby="{s.anchor}-h" '
        f'data-available="{str(s.available).lower()}"><h2 id="{s.anchor}-h">'
        f"{escape(s.title)}</h2>{s.body}</section>"
        for s in sections
    )
    description = ""
    if inputs.scenario is not None and inputs.scenario.description:
        description = f'<p class="lede">{escape(inputs.scenario.description)}</p>'
    lede = (
        f'<p class="lede">Scenario <code>{escape(str(attrs.get("scenario", "")))}</code>, '
        f"{int(inputs.ensemble.sizes['draw']):,} draws, seed {escape(str(attrs.get('seed', '')))}"
        f", from {escape(str(attrs.get('start', '')))}; information cutoff "
        f"{escape(str(attrs.get('information_cutoff', '') or 'none'))}. Every number below is "
        "computed by the model from the scenario, whose parameters carry their source or are "
        "labelled as assumptions.</p>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="ceasefire {escape(str(attrs.get("ceasefire_version")))}">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>{description}{lede}</header>"
        f'<nav aria-label="Contents"><ol>{toc}</ol></nav><main>{body}</main>'
        '<footer><p class="note">Made with ceasefire. The model is aggregate: it never '
        "models or tracks individual people.</p></footer></body></html>\n"
    )


def write_report(path: str | Path, html_text: str) -> Path:
    """Write the report atomically to ``path`` (nothing is left behind on failure)."""
    from ceasefire._atomic import atomic_outputs

    target = Path(path)
    with atomic_outputs([target]) as (temporary,):
        temporary.write_text(html_text, encoding="utf-8")
    return target
