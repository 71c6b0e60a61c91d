"""Recorded offers as points in the issue space, and the costs borne while they were refused.

An offer file (YAML; the shipped one is ``scenario/presets/records/recorded-offers.yaml``,
transcribed from ``reference/negotiation-record.md``) lists what was on the table::

    offers:
      - id: june-2024-ultimatum
        date: 2024-06-14
        by: russia                  # a side, "both" or a third party
        offered: true               # the proposer would have stopped fighting on these terms
        point:                      # A's share of every issue (A = the scenario's first side)
          territory: {km2: 135790}  # or a share in [0, 1]
          neutrality: 1
          sanctions: 1
        refused_by: [ukraine]
        standing: true              # still refused at the information cutoff
        recorded_outcome: rejected by Ukraine as an ultimatum
        source: Putin at the Russian Foreign Ministry; Reuters
    casualty_rates:                 # the reference side's casualties a day, as claimed
      - {date: 2024-06-14, per_day: 1051, source: ...}

Each refusal is an inequality on the refusing side's preferences (a side refuses what it
values below fighting on); each offer a side makes itself (``offered: true``) is one the
other way. :mod:`ceasefire.bargaining._revealed` turns them into a likelihood.

Territory may be given in km² (``{km2: …}``), converted with the scenario's contested area,
or as a share. Bad files fail with one line naming the file, the offer and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ceasefire._errors import InputError

__all__ = ["CasualtyRate", "Offer", "OfferRecord", "load_offers"]

_OFFER_KEYS = {
    "id",
    "date",
    "by",
    "offered",
    "point",
    "refused_by",
    "standing",
    "recorded_outcome",
    "source",
    "note",
}
_FILE_KEYS = {
    "name",
    "description",
    "contested_area_km2",
    "offers",
    "casualty_rates",
    "lines",
    "public_opinion",
    "war_start",
    "note",
}


@dataclass(frozen=True)
class Offer:
    """One offer of the record: A's share of every issue, who made it and who refused it."""

    id: str
    date: dt.date
    by: str
    offered: bool
    point: dict[str, float]
    refused_by: tuple[str, ...]
    standing: bool
    recorded_outcome: str
    source: str
    km2: float | None = None
    """Territory as given in km² (``None`` when the file gave a share)."""


@dataclass(frozen=True)
class CasualtyRate:
    """The reference side's casualties a day around a date, as its opponent claimed them."""

    date: dt.date
    per_day: float
    source: str


@dataclass(frozen=True)
class OfferRecord:
    """The offers of a file and the claimed casualty rates that price the refusals."""

    name: str
    path: str
    offers: tuple[Offer, ...]
    casualty_rates: tuple[CasualtyRate, ...]
    lines: tuple[tuple[dt.date, float], ...] = ()
    public_opinion: tuple[tuple[dt.date, str, float, str], ...] = ()
    """Polls: date, side, share ready for territorial concessions, source (a check only)."""
    """A's share of the contested area on dates (the front line), oldest first."""
    war_start: dt.date | None = None
    """The first day of the war (its age conditions the base rate)."""

    def line_at(self, date: dt.date, default: float) -> float:
        """Return A's share on the line at ``date`` (the latest entry on or before it)."""
        before = [share for when, share in self.lines if when <= date]
        return before[-1] if before else default

    def rate_at(self, date: dt.date) -> float:
        """Return the claimed casualties a day at ``date`` (the latest entry on or before it)."""
        before = [rate for rate in self.casualty_rates if rate.date <= date]
        chosen = before[-1] if before else self.casualty_rates[0]
        return chosen.per_day

    def until(self, cutoff: dt.date) -> OfferRecord:
        """Return the record as it was known at an earlier ``cutoff`` (later entries dropped)."""
        return OfferRecord(
            name=self.name,
            path=self.path,
            offers=tuple(offer for offer in self.offers if offer.date <= cutoff),
            casualty_rates=tuple(r for r in self.casualty_rates if r.date <= cutoff)
            or self.casualty_rates[:1],
            lines=tuple(line for line in self.lines if line[0] <= cutoff),
            war_start=self.war_start,
        )


def _date(value: Any, where: str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            f"expected a date YYYY-MM-DD, got {value!r}", where=where, field=field
        ) from None


def _is_number(value: Any) -> bool:
    """Return whether ``value`` is a real number (YAML's ``true`` is a bool, not a number)."""
    return not isinstance(value, bool) and isinstance(value, int | float)


def _dated(item: Any, keys: tuple[str, ...], where: str, field: str, cutoff: dt.date) -> dt.date:
    """Check one entry of a dated list: a mapping with ``keys`` (``date`` first), by ``cutoff``.

    Returns its date; the entries of ``casualty_rates:``, ``lines:`` and ``public_opinion:``
    all pass through here, so they fail with the same messages.
    """
    if not isinstance(item, dict) or not set(keys) <= set(item):
        shape = ", ".join(f"{key}: …" for key in (*keys, "source"))
        raise InputError(f"expected {{{shape}}}", where=where, field=field)
    return _by_cutoff(item["date"], where, f"{field}.date", cutoff)


def _by_cutoff(value: Any, where: str, field: str, cutoff: dt.date, why: str = "") -> dt.date:
    """Read a date that must not be after the information cutoff (``why`` ends the error)."""
    date = _date(value, where, field)
    if date > cutoff:
        raise InputError(
            f"dated {date}, after the information cutoff {cutoff}{why}", where=where, field=field
        )
    return date


def _share(
    name: str, value: Any, kinds: Mapping[str, str], area: float, where: str, field: str
) -> tuple[float, float | None]:
    """Return A's share of issue ``name`` (and the km² it came from, if any)."""
    km2 = None
    if isinstance(value, dict):
        if set(value) - {"km2", "says"} or "km2" not in value:
            raise InputError("expected a share or {km2: …}", where=where, field=field)
        if kinds[name] == "binary":
            raise InputError("km² are for territory, not a binary issue", where=where, field=field)
        km2 = value["km2"]
        if not _is_number(km2) or not 0 <= km2 <= area:
            raise InputError(
                f"expected km² between 0 and the contested area {area:,.0f}, got {km2!r}",
                where=where,
                field=f"{field}.km2",
            )
        value = float(km2) / area
    if not _is_number(value):
        raise InputError(f"expected a share in [0, 1], got {value!r}", where=where, field=field)
    if not 0.0 <= float(value) <= 1.0:
        raise InputError(f"expected a share in [0, 1], got {value}", where=where, field=field)
    if kinds[name] == "binary" and float(value) not in (0.0, 1.0):
        raise InputError(f"a binary issue takes 0 or 1, got {value}", where=where, field=field)
    return float(value), None if km2 is None else float(km2)


def _offer(
    index: int,
    data: Any,
    *,
    sides: tuple[str, str],
    kinds: Mapping[str, str],
    area: float,
    cutoff: dt.date,
    where: str,
) -> Offer:
    base = f"offers.{index}"
    if not isinstance(data, dict):
        raise InputError("expected a mapping (id, date, by, point, …)", where=where, field=base)
    unknown = sorted(set(data) - _OFFER_KEYS)
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r}", where=where, field=f"{base}.{unknown[0]}")
    for key in ("date", "by", "point"):
        if key not in data:
            raise InputError(f"missing `{key}:`", where=where, field=base)
    date = _by_cutoff(
        data["date"], where, f"{base}.date", cutoff, ": the record must not look ahead"
    )
    point = data["point"]
    if not isinstance(point, dict):
        raise InputError(
            "expected a mapping of issues to shares", where=where, field=f"{base}.point"
        )
    extra = sorted(set(point) - set(kinds))
    if extra:
        raise InputError(
            f"unknown issue {extra[0]!r}; the scenario's issues are {', '.join(kinds)}",
            where=where,
            field=f"{base}.point.{extra[0]}",
        )
    missing = sorted(set(kinds) - set(point))
    if missing:
        raise InputError(
            f"the offer must give every issue ({', '.join(kinds)}): missing {', '.join(missing)}",
            where=where,
            field=f"{base}.point",
        )
    shares: dict[str, float] = {}
    km2 = None
    for name in kinds:
        shares[name], given = _share(name, point[name], kinds, area, where, f"{base}.point.{name}")
        km2 = given if given is not None else km2
    refused = data.get("refused_by", [])
    if isinstance(refused, str):
        refused = [refused]
    if not isinstance(refused, list) or any(side not in sides for side in refused):
        raise InputError(
            f"expected a list of the sides {', '.join(sides)}",
            where=where,
            field=f"{base}.refused_by",
        )
    by = str(data["by"])
    offered = bool(data.get("offered", False))
    if offered and by not in sides:
        raise InputError(
            f"`offered: true` needs `by:` to be one side ({', '.join(sides)}), got {by!r}",
            where=where,
            field=f"{base}.offered",
        )
    return Offer(
        id=str(data.get("id", f"offer-{index}")),
        date=date,
        by=by,
        offered=offered,
        point=shares,
        refused_by=tuple(refused),
        standing=bool(data.get("standing", False)),
        recorded_outcome=str(data.get("recorded_outcome", "")),
        source=str(data.get("source", "")),
        km2=km2,
    )


def load_offers(
    source: str | Path,
    *,
    sides: tuple[str, str],
    kinds: Mapping[str, str],
    contested_area_km2: float,
    cutoff: dt.date,
) -> OfferRecord:
    """Load and check an offer file (a path or a shipped name under ``presets/records``).

    ``kinds`` maps each issue of the scenario to ``continuous`` or ``binary``. Raises
    :class:`InputError` for an unknown issue, a share outside ``[0, 1]``, a binary issue
    that is not 0 or 1, or an offer dated after ``cutoff``.
    """
    from ceasefire.scenario import read_preset_file

    data, lines, where = read_preset_file(source, "records")
    try:
        return _parse(data, where, sides, kinds, contested_area_km2, cutoff)
    except InputError as error:
        if error.field is None or error.where != where:
            raise
        parts = tuple(int(p) if p.isdigit() else p for p in error.field.split("."))
        line = next((lines[parts[:n]] for n in range(len(parts), 0, -1) if parts[:n] in lines), 0)
        located = f"{where}:{line}" if line else where
        raise InputError(error.message, where=located, field=error.field) from None


def _parse(
    data: dict[str, Any],
    where: str,
    sides: tuple[str, str],
    kinds: Mapping[str, str],
    contested_area_km2: float,
    cutoff: dt.date,
) -> OfferRecord:
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r}", where=where, field=unknown[0])
    offers = data.get("offers")
    if not isinstance(offers, list) or not offers:
        raise InputError("expected `offers:`, a list of offers", where=where, field="offers")
    area = float(data.get("contested_area_km2", contested_area_km2))
    parsed = tuple(
        _offer(i, item, sides=sides, kinds=kinds, area=area, cutoff=cutoff, where=where)
        for i, item in enumerate(offers)
    )
    rates = []
    for i, item in enumerate(data.get("casualty_rates") or []):
        field = f"casualty_rates.{i}"
        date = _dated(item, ("date", "per_day"), where, field, cutoff)
        value = item["per_day"]
        if not _is_number(value) or value <= 0:
            raise InputError(
                f"expected a positive number, got {value!r}", where=where, field=f"{field}.per_day"
            )
        rates.append(CasualtyRate(date, float(value), str(item.get("source", ""))))
    if not rates:
        raise InputError(
            "expected `casualty_rates:`, the costs that price each refusal",
            where=where,
            field="casualty_rates",
        )
    rates.sort(key=lambda rate: rate.date)
    lines = []
    for i, item in enumerate(data.get("lines") or []):
        field = f"lines.{i}"
        date = _dated(item, ("date", "km2"), where, field, cutoff)
        km2 = item["km2"]
        if not _is_number(km2) or not 0 <= km2 <= area:
            raise InputError(
                f"expected km² between 0 and {area:,.0f}, got {km2!r}",
                where=where,
                field=f"{field}.km2",
            )
        lines.append((date, float(km2) / area))
    lines.sort()
    return OfferRecord(
        name=str(data.get("name", Path(where).stem)),
        path=where,
        offers=parsed,
        casualty_rates=tuple(rates),
        lines=tuple(lines),
        war_start=None if "war_start" not in data else _date(data["war_start"], where, "war_start"),
        public_opinion=_polls(data.get("public_opinion") or [], sides, cutoff, where),
    )


def _polls(
    items: Any, sides: tuple[str, str], cutoff: dt.date, where: str
) -> tuple[tuple[dt.date, str, float, str], ...]:
    """Read ``public_opinion:`` (date, side, ready_share, source), checked like the offers."""
    if not isinstance(items, list):
        raise InputError("expected a list of polls", where=where, field="public_opinion")
    polls = []
    for i, item in enumerate(items):
        field = f"public_opinion.{i}"
        date = _dated(item, ("date", "side", "ready_share"), where, field, cutoff)
        if item["side"] not in sides:
            raise InputError(
                f"expected one of the sides {', '.join(sides)}", where=where, field=f"{field}.side"
            )
        share = item["ready_share"]
        if not _is_number(share) or not 0 <= share <= 1:
            raise InputError(
                f"expected a share in [0, 1], got {share!r}",
                where=where,
                field=f"{field}.ready_share",
            )
        polls.append((date, str(item["side"]), float(share), str(item.get("source", ""))))
    return tuple(sorted(polls))
