"""Observed series: loaders for the war's loss and recruitment data, and monthly resampling.

API summary
-----------
``Series``
    A frozen dataclass: ``name``, ``kind`` (``"cumulative"`` or ``"per_period"``), ``starts``
    and ``ends`` (``datetime64[D]`` arrays; a cumulative reading has ``start == end``),
    ``values`` (float array, non-negative), ``units``, ``quantity`` (what is counted),
    ``source`` (provenance), ``path`` and ``notes``. ``series.until(date)`` keeps what was
    complete on that day; ``series.first`` / ``series.last`` give the span.
``load_general_staff(path)``
    Ukrainian General Staff daily cumulative personnel claims (PetroIvaniuk JSON array).
``load_mediazona(path)``
    Mediazona/BBC named deaths, daily (``YYYY-MM-DD`` keys) or monthly (``YYYY-MM`` keys).
``load_contract_claims(path)``
    Official Russian contract-count claims CSV: one irregular period per row.
``load_csv(path)``
    Generic ``date,value`` CSV, with optional ``# kind: cumulative|per_period``, ``# units:``,
    ``# quantity:`` and ``# source:`` lines before the header.
``load_deepstate(path)``
    DeepState ``date,occupied_km2`` daily snapshots (gaps allowed), read as the occupied
    area (km²) at each month's end.
``load_series(path, name=None)``
    Any of the above, recognised from the file's content.
``to_monthly(series)``
    Calendar-month counts (a per-period series): cumulative series differenced at month ends,
    daily counts summed.

Every loader raises :class:`ceasefire._errors.InputError` naming the file, the line and the
field for bad dates, gaps, negative counts and a decreasing cumulative series. Nothing here
reads the project's shared data folder by itself: pass any copy of the files.
"""

from ceasefire.observe._loaders import (
    load_contract_claims,
    load_csv,
    load_general_staff,
    load_mediazona,
    load_series,
)
from ceasefire.observe._series import Kind, Series, month_label, to_monthly
from ceasefire.observe._territory import load_deepstate

__all__ = [
    "Kind",
    "Series",
    "load_contract_claims",
    "load_csv",
    "load_deepstate",
    "load_general_staff",
    "load_mediazona",
    "load_series",
    "month_label",
    "to_monthly",
]
