"""Consistency checks: claims against each other, published figures and observed series.

Every check states its arithmetic and a verdict that starts with one word: ``consistent``,
``inconsistent``, ``lower`` or ``higher`` (than the figure it is checked against), or
``differs`` (a rate that the totals do not average to).

- *Implied initial force*: killed + wounded (or casualties) over "N% of the force it
  started with" gives the force the share implies, set against the published one.
- *Rate versus total*: a rate times the months a total covers, set against that total (a
  killed + wounded total from the war's start, 2022-02-24, counts as casualties).
- *Published figures*: rates and totals against the dated estimates of ``_published``.
- *Observed series*: totals and rates against loaded series (``ceasefire.observe``).

Only checkable claims enter a check: a figure in a question, plan or condition is not one
the article asserts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ceasefire.claims._extract import Claim
from ceasefire.claims._published import published
from ceasefire.observe import Series

__all__ = ["WAR_START", "Check", "check_claims"]

WAR_START = dt.date(2022, 2, 24)
DAYS_PER_MONTH = 30.4375
_PER_MONTH = {"per_day": DAYS_PER_MONTH, "per_week": DAYS_PER_MONTH / 7, "per_month": 1.0}
_TOLERANCE = 1.5  # a rate within a factor 1.5 of the average a total implies is consistent


@dataclass(frozen=True)
class Check:
    """One consistency check: the claims it uses (indices), its arithmetic and its verdict."""

    name: str
    claims: list[int]
    arithmetic: str
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        """Return the check as a JSON-ready mapping."""
        return asdict(self)


def _n(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def _span(low: float, high: float) -> str:
    return _n(low) if round(low) == round(high) else f"{_n(low)}–{_n(high)}"


def _bounds(claim: Claim) -> tuple[float, float] | None:
    if not claim.checkable:
        return None  # a plan, question or condition states no figure to check
    low = claim.low if claim.low is not None else claim.high
    high = claim.high if claim.high is not None else claim.low
    return None if low is None or high is None else (low, high)


def _day(text: str | None, *, end: bool = False) -> dt.date | None:
    """Return the first (or last) day an ISO date or interval covers."""
    if not text:
        return None
    part = text.split("/")[-1 if end else 0]
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", part)
    if match is None:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    if day:
        return dt.date(int(year), int(month), int(day))
    if not end:
        return dt.date(int(year), int(month or 1), 1)
    if month:
        following = dt.date(int(year) + int(month) // 12, int(month) % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(int(year), 12, 31)


def _same_side(claim: Claim, entity: str | None) -> bool:
    return claim.entity in (None, entity) or entity is None


@dataclass(frozen=True)
class _Total:
    """A cumulative count for one side: one claim, or killed + wounded claims added."""

    low: float
    high: float
    counts: str
    entity: str | None
    date: str | None
    since: dt.date
    claims: list[int]
    formula: tuple[str, str]


def _total_text(total: _Total) -> str:
    if len(total.claims) == 1:
        return _span(total.low, total.high)
    return (
        f"{total.formula[0]} = {_n(total.low)} to {total.formula[1]} = {_n(total.high)}"
        if total.low != total.high
        else f"{total.formula[0]} = {_n(total.low)}"
    )


def _totals(claims: Sequence[Claim]) -> list[_Total]:
    totals: list[_Total] = []
    people = [
        (index, claim)
        for index, claim in enumerate(claims)
        if claim.unit == "people" and claim.period == "cumulative" and _bounds(claim)
    ]
    killed = [(i, c) for i, c in people if c.counts == "killed"]
    wounded = [(i, c) for i, c in people if c.counts == "wounded"]
    for (ki, k), (wi, w) in ((a, b) for a in killed for b in wounded):
        if k.entity not in (None, w.entity) and w.entity is not None:
            continue
        kb, wb = _bounds(k), _bounds(w)
        assert kb is not None
        assert wb is not None
        totals.append(
            _Total(
                kb[0] + wb[0],
                kb[1] + wb[1],
                "casualties",
                k.entity or w.entity,
                k.date,
                _day(k.since) or WAR_START,
                [ki, wi],
                (f"{_n(kb[0])} + {_n(wb[0])}", f"{_n(kb[1])} + {_n(wb[1])}"),
            )
        )
    for index, claim in people:
        bounds = _bounds(claim)
        assert bounds is not None
        totals.append(
            _Total(
                bounds[0],
                bounds[1],
                claim.counts,
                claim.entity,
                claim.date,
                _day(claim.since) or WAR_START,
                [index],
                (_n(bounds[0]), _n(bounds[1])),
            )
        )
    return totals


def _initial_force(claims: Sequence[Claim], totals: list[_Total]) -> list[Check]:
    checks = []
    for index, claim in enumerate(claims):
        if claim.counts != "share of initial force" or not _bounds(claim):
            continue
        share_bounds = _bounds(claim)
        assert share_bounds is not None
        candidates = [
            total
            for total in totals
            if total.counts == "casualties" and _same_side(claim, total.entity)
        ]
        if not candidates:
            continue
        total = max(candidates, key=lambda item: len(item.claims))
        share_low, share_high = share_bounds[0] / 100, share_bounds[1] / 100
        low, high = total.low / share_high, total.high / share_low
        arithmetic = (
            f"({total.formula[0]}) / {share_high:.2f} = {_n(low)}; "
            f"({total.formula[1]}) / {share_low:.2f} = {_n(high)}: "
            f"an initial force of {_span(low, high)}"
        )
        figures = published("initial force", total.entity or claim.entity, None)
        verdict = "derived: no published initial force to compare with"
        for figure in figures:
            ratio_low, ratio_high = low / figure.high, high / figure.low
            word = (
                "consistent"
                if ratio_low <= _TOLERANCE and ratio_high >= 1 / _TOLERANCE
                else ("inconsistent")
            )
            verdict = (
                f"{word}: {ratio_low:.2f}–{ratio_high:.2f} times the {_n(figure.low)} of the "
                f"{figure.publisher} ({figure.date}: {figure.says})"
            )
        checks.append(Check("implied initial force", [*total.claims, index], arithmetic, verdict))
    return checks


def _months_between(start: dt.date, end: dt.date) -> float:
    return max((end - start).days, 1) / DAYS_PER_MONTH


def _rate_vs_total(claims: Sequence[Claim], totals: list[_Total]) -> list[Check]:
    checks = []
    for index, claim in enumerate(claims):
        bounds = _bounds(claim)
        if claim.period not in _PER_MONTH or claim.unit != "people" or bounds is None:
            continue
        per_month = _PER_MONTH[claim.period]
        for total in totals:
            if total.counts != claim.counts or not _same_side(claim, total.entity):
                continue
            end = _day(total.date, end=True)
            if end is None:
                continue
            months = _months_between(total.since, end)
            average = (total.low / months, total.high / months)
            stated = (bounds[0] * per_month, bounds[1] * per_month)
            ratio = (stated[0] / average[1], stated[1] / average[0])
            arithmetic = (
                f"{_span(*bounds)} {claim.period.replace('_', ' ')} = {_span(*stated)} a month; "
                f"total {_span(total.low, total.high)} over {months:.1f} months "
                f"({total.since} to {end}) = {_span(*average)} a month on average"
            )
            if ratio[0] <= _TOLERANCE and ratio[1] >= 1 / _TOLERANCE:
                verdict = "consistent: the stated rate is within a factor 1.5 of the average"
            else:
                verdict = (
                    f"differs: the stated rate is {ratio[0]:.2f}–{ratio[1]:.2f} times the "
                    "war-average rate the total implies (consistent only if the rate has "
                    "changed that much)"
                )
            checks.append(Check("rate versus total", [index, *total.claims], arithmetic, verdict))
    return checks


def _against_published(claims: Sequence[Claim], totals: list[_Total]) -> list[Check]:
    checks = []
    for index, claim in enumerate(claims):
        bounds = _bounds(claim)
        if bounds is None or claim.unit not in ("people",):
            continue
        if claim.period in ("per_day", "per_month"):
            rate = _PER_MONTH[claim.period]
            figures = published(claim.counts, claim.entity, None)
            figures = [figure for figure in figures if figure.period in _PER_MONTH]
            if not figures:
                continue
            stated = (bounds[0] * rate, bounds[1] * rate)
            values = [
                (
                    figure,
                    figure.low * _PER_MONTH[figure.period],
                    figure.high * _PER_MONTH[figure.period],
                )
                for figure in figures
            ]
            lowest = min(value[1] for value in values)
            highest = max(value[2] for value in values)
            arithmetic = (
                f"{_span(*bounds)} {claim.period.replace('_', ' ')} = {_span(*stated)} a month; "
                + "; ".join(
                    f"{figure.publisher} ({figure.date}): {_span(low, high)} a month"
                    for figure, low, high in values
                )
            )
            checks.append(
                Check(
                    f"{claim.counts} rate versus published figures",
                    [index],
                    arithmetic,
                    _compare(stated, (lowest, highest), "the published figures"),
                )
            )
        elif claim.period in ("stock", "cumulative") and claim.counts in ("troops", "killed"):
            for figure in published(claim.counts, claim.entity, claim.period):
                checks.append(
                    Check(
                        f"{claim.counts} versus published figures",
                        [index],
                        f"{_span(*bounds)} against {_span(figure.low, figure.high)} "
                        f"({figure.publisher}, {figure.date}: {figure.says})",
                        _compare(bounds, (figure.low, figure.high), figure.publisher),
                    )
                )
    for total in totals:
        if total.counts != "casualties" or len(total.claims) < 2:
            continue
        for figure in published("casualties", total.entity, "cumulative"):
            reference = (figure.low, figure.high)
            arithmetic = (
                f"{_total_text(total)} by {total.date}, against {figure.says} by {figure.date} "
                f"({figure.publisher})"
            )
            claimed, then = _day(total.date, end=True), _day(figure.date, end=True)
            rates = published("casualties", total.entity, "per_day")
            if claimed and then and claimed > then and rates:
                days = (claimed - then).days
                reference = (figure.low + days * rates[0].low, figure.high + days * rates[0].high)
                arithmetic += (
                    f", plus {days} days at {_span(rates[0].low, rates[0].high)} a day "
                    f"({rates[0].publisher}) = {_span(*reference)} by {total.date}"
                )
            checks.append(
                Check(
                    "casualties versus published figures",
                    total.claims,
                    arithmetic,
                    _compare((total.low, total.high), reference, figure.publisher),
                )
            )
    return checks


def _percent_span(low: float, high: float) -> str:
    low, high = sorted((low, high))
    return f"{low:.0f}%" if round(low) == round(high) else f"{low:.0f}–{high:.0f}%"


def _compare(stated: tuple[float, float], reference: tuple[float, float], what: str) -> str:
    """Say whether a stated range lies below, above or across a reference range.

    The gap is given against the whole reference range: from the nearest pair of ends
    (stated high against reference low, when below) to the farthest (stated low against
    reference high), not against one end of it.
    """
    published = _span(*reference)
    if stated[1] < reference[0]:
        below = (100 * (1 - stated[1] / reference[0]), 100 * (1 - stated[0] / reference[1]))
        return f"lower: {_percent_span(*below)} below {what} ({published})"
    if stated[0] > reference[1]:
        above = (100 * (stated[0] / reference[1] - 1), 100 * (stated[1] / reference[0] - 1))
        return f"higher: {_percent_span(*above)} above {what} ({published})"
    return f"consistent: overlaps {what}"


def _against_series(
    claims: Sequence[Claim], totals: list[_Total], series: Sequence[Series]
) -> list[Check]:
    checks = []
    for observed in series:
        quantity = f"{observed.quantity} ({observed.source})"
        what = f"{observed.name} {observed.quantity}".lower()
        recruits = "contract" in what or "recruit" in what
        if not recruits:
            # Named deaths are a floor under "killed"; other loss series count casualties.
            floor = "death" in what or "mediazona" in what
            counts = "killed" if floor else "casualties"
            for total in totals:
                if total.counts != counts or total.entity not in (None, "Russia"):
                    continue
                day = _day(total.date, end=True)
                if day is None or day < observed.first:
                    continue
                upto = observed.until(day)
                if not len(upto):
                    continue
                if observed.kind == "cumulative":
                    value, how = float(upto.values[-1]), f"on {upto.ends[-1]}"
                else:
                    value = float(upto.values.sum())
                    how = f"summed from {upto.starts[0]} to {upto.ends[-1]}"
                arithmetic = f"{_total_text(total)} by {total.date}; {quantity}: {_n(value)} {how}"
                if floor:
                    word = "consistent" if total.low >= value else "inconsistent"
                    verdict = f"{word}: the named-death count is a floor under the killed"
                else:
                    verdict = _compare(
                        (total.low, total.high), (value, value), f"the {observed.name} series"
                    )
                checks.append(
                    Check(f"{counts} versus {observed.name}", total.claims, arithmetic, verdict)
                )
        elif observed.kind == "per_period":
            for index, claim in enumerate(claims):
                bounds = _bounds(claim)
                if claim.counts != "recruits" or claim.period not in _PER_MONTH or not bounds:
                    continue
                rate = _PER_MONTH[claim.period]
                stated = (bounds[0] * rate, bounds[1] * rate)
                parts = []
                monthly = []
                for start, end, value in zip(
                    observed.starts, observed.ends, observed.values, strict=True
                ):
                    months = (int((end - start).astype(int)) + 1) / DAYS_PER_MONTH
                    monthly.append(float(value) / months)
                    parts.append(
                        f"{_n(float(value))} from {start} to {end} = {_n(monthly[-1])} a month"
                    )
                if not monthly:
                    continue
                stated_text = f"{_span(*bounds)} {claim.period.replace('_', ' ')}"
                arithmetic = f"{stated_text} = {_span(*stated)} a month; " + "; ".join(parts)
                checks.append(
                    Check(
                        "recruits versus contracts",
                        [index],
                        arithmetic,
                        _compare(
                            stated, (min(monthly), max(monthly)), f"the {observed.name} series"
                        ),
                    )
                )
    return checks


def check_claims(claims: Sequence[Claim], *, series: Sequence[Series] = ()) -> list[Check]:
    """Check claims against each other, published figures and observed ``series``."""
    totals = _totals(claims)
    return [
        *_initial_force(claims, totals),
        *_rate_vs_total(claims, totals),
        *_against_published(claims, totals),
        *_against_series(claims, totals, series),
    ]
