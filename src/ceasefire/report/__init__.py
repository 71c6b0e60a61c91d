"""Reports: one self-contained HTML file of a run (inline SVG, no network).

::

    from ceasefire.report import build_report, write_report

    write_report("report.html", build_report(ensemble, scenario=scenario, window=window))

Each section shows its data when it is there (the deal window, sensitivity, claims,
calibration) and says plainly when it is not.
"""

from ceasefire.report._build import build_report, default_sections, write_report
from ceasefire.report._sections import SECTIONS, ReportInputs, Section

__all__ = [
    "SECTIONS",
    "ReportInputs",
    "Section",
    "build_report",
    "default_sections",
    "write_report",
]
