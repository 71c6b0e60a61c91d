"""Where Russia's recruits and dead come from, and what they weigh politically.

A contract recruit's home region ``r`` is drawn with probability::

    s_r ∝ men_r · exp(β_income z_income,r + β_poverty z_poverty,r + β_unemployment z_unemp,r)

``men_r``: men aged 16–61.5 (2021 census); ``z``: the logarithm of each covariate,
standardised over men (so that no one region's extreme level dominates). With every β = 0
the shares are population shares. Mobilised reservists and prisoners follow population
shares (quotas by population; no regional prison figures): an assumption. A channel's
share of killed (or recruits) mixes these per channel with the ensemble's split of Russia's
killed (recruits) between channels; the foreign contingent has no home region and is left
out.

A region's political weight is its share of ``men_r · income_r`` (its people times their
income: Moscow's electorate is its richest, so this stands in for distance from it). A death
from region ``r`` weighs ``w_r / m_r`` times a death drawn from the population at large;
``φ = Σ_r killed_share_r · w_r / m_r`` is the political weight of a death on the model's mix
(φ < 1: losses fall where they weigh least, the article's "minimizing the political fallout").
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError

__all__ = [
    "COVARIATES",
    "RegionTable",
    "RegionalModel",
    "load_region_table",
    "political_weights",
]

FloatArray = npt.NDArray[np.float64]

COVARIATES = ("mean_income_rub", "poverty_pct", "unemployment_pct")
_COLUMNS = ("iso", "name", "men", *COVARIATES)


@dataclass(frozen=True)
class RegionTable:
    """Russia's regions: ISO code, name, men of working age and the covariates."""

    iso: tuple[str, ...]
    name: tuple[str, ...]
    men: FloatArray
    covariates: dict[str, FloatArray]
    source: str

    @property
    def men_share(self) -> FloatArray:
        """Each region's share of men aged 16–61.5."""
        return np.asarray(self.men / self.men.sum(), dtype=np.float64)


def _read(text: str, where: str) -> RegionTable:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line and line[0] != "#"]
    if not lines:
        raise InputError("no header line: expected " + ", ".join(_COLUMNS), where=where)
    header_line, header = lines[0]
    columns = next(csv.reader([header]))
    missing = [c for c in _COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"missing column {missing[0]!r}: expected {', '.join(_COLUMNS)}",
            where=f"{where}:{header_line}",
        )
    known = {row.iso: row.name for row in _shipped_rows()} if where != _SHIPPED else None
    rows: dict[str, tuple[str, list[float]]] = {}
    for number, line in lines[1:]:
        values = dict(zip(columns, next(csv.reader([line])), strict=False))
        at = f"{where}:{number}"
        iso = (values.get("iso") or "").strip()
        if not iso:
            raise InputError("missing value: expected a region's ISO code", where=at, field="iso")
        if known is not None and iso not in known:
            raise InputError(
                f"unknown region {iso!r}: expected one of Russia's 85 ISO codes (ALT, AMU, …)",
                where=at,
                field="iso",
            )
        if iso in rows:
            raise InputError(f"region {iso!r} appears twice", where=at, field="iso")
        numbers = []
        for column in ("men", *COVARIATES):
            raw = (values.get(column) or "").strip()
            if not raw:
                raise InputError("missing value: expected a number", where=at, field=column)
            try:
                number_value = float(raw)
            except ValueError:
                raise InputError(f"{raw!r} is not a number", where=at, field=column) from None
            if not math.isfinite(number_value) or number_value < 0:
                raise InputError(
                    f"{raw} is not a non-negative count or level", where=at, field=column
                )
            numbers.append(number_value)
        rows[iso] = ((values.get("name") or "").strip() or (known or {}).get(iso, iso), numbers)
    if known is not None and len(rows) != len(known):
        absent = sorted(set(known) - set(rows))
        more = ", …" if len(absent) > 5 else ""
        raise InputError(
            f"{len(absent)} regions missing ({', '.join(absent[:5])}{more}): expected all 85",
            where=where,
            field="iso",
        )
    if sum(r[1][0] for r in rows.values()) <= 0:
        raise InputError("no men in any region: expected positive counts", where=where, field="men")
    isos = tuple(rows)
    data = np.array([rows[i][1] for i in isos], dtype=np.float64)
    return RegionTable(
        iso=isos,
        name=tuple(rows[i][0] for i in isos),
        men=data[:, 0],
        covariates={c: data[:, j + 1] for j, c in enumerate(COVARIATES)},
        source=where,
    )


_SHIPPED = "ceasefire/analysis/costs/data/regions.csv"


@dataclass(frozen=True)
class _Row:
    iso: str
    name: str


def _shipped_rows() -> list[_Row]:
    text = (
        resources.files("ceasefire.analysis.costs")
        .joinpath("data", "regions.csv")
        .read_text(encoding="utf-8")
    )
    return [
        _Row(row["iso"], row["name"])
        for row in csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    ]


def load_region_table(path: str | Path | None = None) -> RegionTable:
    """Return the shipped regional table, or a covariate file with the same columns.

    A file must give every one of the 85 regions once, with non-negative numbers; any
    problem is an :class:`~ceasefire._errors.InputError` naming the file, line and field.
    """
    if path is None:
        text = resources.files("ceasefire.analysis.costs").joinpath("data", "regions.csv")
        return _read(text.read_text(encoding="utf-8"), _SHIPPED)
    try:
        text_in = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the file: {error}", where=str(path)) from None
    return _read(text_in, str(path))


def _standardised(values: FloatArray, weights: FloatArray) -> FloatArray:
    mean = float(np.sum(weights * values))
    sd = math.sqrt(float(np.sum(weights * (values - mean) ** 2)))
    return np.asarray((values - mean) / sd if sd > 0 else values * 0.0, dtype=np.float64)


@dataclass(frozen=True)
class RegionalModel:
    """Log-linear effects of the covariates on a contract recruit's home region, per SD.

    The defaults are assumptions: their signs follow the regional breakdowns of named dead
    published before the cutoff (Mediazona/BBC; published-figures.md: losses concentrate in
    poorer, peripheral regions and republics, not Moscow); their sizes are not estimated here
    (the per-region counts are not in the project's data).
    """

    coefficients: dict[str, float] = field(
        default_factory=lambda: {
            "mean_income_rub": -0.45,
            "poverty_pct": 0.25,
            "unemployment_pct": 0.15,
        }
    )

    def contract_shares(self, table: RegionTable) -> FloatArray:
        """Each region's share of contract recruits (sums to 1)."""
        weights = table.men_share
        score = np.zeros_like(weights)
        for name, beta in self.coefficients.items():
            values = table.covariates[name]
            score += beta * _standardised(np.log(np.maximum(values, 1e-12)), weights)
        raw = table.men * np.exp(score - score.max())
        return np.asarray(raw / raw.sum(), dtype=np.float64)

    def carried(self, table: RegionTable) -> dict[str, float]:
        """Share of contract recruits each covariate alone moves off population shares.

        The total variation distance ``½ Σ_r |s_r − m_r|`` of the model with that covariate
        alone; ``all`` for the full model.
        """
        base = table.men_share
        out = {}
        for name, beta in self.coefficients.items():
            alone = RegionalModel({name: beta}).contract_shares(table)
            out[name] = 0.5 * float(np.abs(alone - base).sum())
        out["all"] = 0.5 * float(np.abs(self.contract_shares(table) - base).sum())
        return out


def political_weights(table: RegionTable) -> FloatArray:
    """Each region's share of political weight, ``men_r · income_r`` normalised (sums to 1)."""
    raw = table.men * table.covariates["mean_income_rub"]
    return np.asarray(raw / raw.sum(), dtype=np.float64)
