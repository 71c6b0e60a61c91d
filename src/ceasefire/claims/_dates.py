"""Date expressions in a sentence, resolved against the article's date.

"November 1" read in an article of 2024-11-25 is 2024-11-01; "in October" is 2024-10;
"last year" is 2023; "on Saturday" is the latest Saturday on or before the article date;
"the summer of 2024" is the interval 2024-06/2024-08. A day or month named without a year
takes the article's year, or the year before when that would put it more than six months
after the article (news reports look back more often than forward).

Dates are ISO 8601 text: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an interval ``a/b``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates"]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day_month_year", re.compile(rf"\b(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b")),
    ("month_day_year", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b")),
    ("day_month", re.compile(rf"\b(?P<d>{_DAY})\s+(?P<m>{_MONTH})\b(?!\s*\d)")),
    ("month_day", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY})\b(?![,\d]*\d{{3}})")),
    ("month_year", re.compile(rf"\b(?P<m>{_MONTH})\s+(?:of\s+)?(?P<y>{_YEAR})\b")),
    (
        "season",
        re.compile(
            r"\b(?:the\s+)?(?P<s>spring|summer|autumn|fall)(?:\s+(?:of\s+)?(?P<y>"
            + _YEAR
            + r"))?\b",
            re.IGNORECASE,
        ),
    ),
    ("part_year", re.compile(rf"\b(?P<p>early|mid|late)[\s-]+(?P<y>{_YEAR})\b", re.IGNORECASE)),
    (
        "year",
        re.compile(
            rf"(?<![\d,.$€£-])\b(?P<y>{_YEAR})\b(?![\d,%-])"
            r"(?!\s+(?:soldiers|troops|men|people|recruits|servicemen|tanks|square|km))"
        ),
    ),
    (
        "month",
        re.compile(rf"\b(?:in|during|by|since|from|until|of|with|to|last)\s+(?P<m>{_MONTH})\b"),
    ),
    ("weekday", re.compile(r"\bon\s+(?P<w>" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)),
    (
        "relative",
        re.compile(r"\b(?P<r>yesterday|today|last\s+year|last\s+month|this\s+month)\b", re.I),
    ),
]
_ANY_DIGIT = re.compile(r"\d")
# "May" is also a verb: only read it as a month with a day, a year, or a preposition before it.
_MAY_VERB = re.compile(r"^may$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a sentence.

    ``start`` and ``end`` are character offsets; ``iso`` the resolved date (``None`` when
    the expression needs an article date that is not known); ``since`` whether it opens a
    period ("since February 2022"), so it dates the start of a count, not the count.
    """

    start: int
    end: int
    text: str
    iso: str | None
    since: bool


def _month_of(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _infer_year(month: int, day: int, article: dt.date | None) -> int | None:
    if article is None:
        return None
    year = article.year
    if (dt.date(year, month, min(day, 28)) - article).days > 183:
        year -= 1
    return year


def _resolve(kind: str, match: re.Match[str], article: dt.date | None, text: str) -> str | None:
    groups = match.groupdict()
    if kind in ("day_month_year", "month_day_year"):
        return _day_iso(int(groups["y"]), _month_of(groups["m"]), _day_number(groups["d"]))
    if kind in ("day_month", "month_day"):
        month, day = _month_of(groups["m"]), _day_number(groups["d"])
        tail = text[match.end() : match.end() + 12].lower()
        year = _infer_year(month, day, article)
        if year is not None and re.match(r"\s*,?\s*last\s+year", tail):
            year -= 1
        return None if year is None else _day_iso(year, month, day)
    if kind == "month_year":
        return f"{int(groups['y']):04d}-{_month_of(groups['m']):02d}"
    if kind == "month":
        month = _month_of(groups["m"])
        year = _infer_year(month, 1, article)
        return None if year is None else f"{year:04d}-{month:02d}"
    if kind == "year":
        return groups["y"]
    if kind == "season":
        first, last = _SEASONS[groups["s"].lower()]
        if groups.get("y"):
            named: int | None = int(groups["y"])
        else:
            # An unnamed year: the latest such season that has begun by the article date.
            named = None if article is None else article.year - (first > article.month)
        return None if named is None else f"{named:04d}-{first:02d}/{named:04d}-{last:02d}"
    if kind == "part_year":
        first, last = _PARTS[groups["p"].lower()]
        year = int(groups["y"])
        return f"{year:04d}-{first:02d}/{year:04d}-{last:02d}"
    if article is None:
        return None
    if kind == "weekday":
        back = (article.weekday() - _WEEKDAYS.index(groups["w"].lower())) % 7
        return (article - dt.timedelta(days=back)).isoformat()
    phrase = re.sub(r"\s+", " ", groups["r"].lower())
    if phrase == "yesterday":
        return (article - dt.timedelta(days=1)).isoformat()
    if phrase == "today":
        return article.isoformat()
    if phrase == "last year":
        return f"{article.year - 1:04d}"
    if phrase == "this month":
        return f"{article.year:04d}-{article.month:02d}"
    previous = article.replace(day=1) - dt.timedelta(days=1)
    return f"{previous.year:04d}-{previous.month:02d}"


def _day_number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _day_iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _may_match(kind: str, words: set[str], digits: bool, months: bool) -> bool:
    """Whether the pattern of ``kind`` can match a sentence with these words."""
    if kind in ("day_month_year", "month_day_year", "day_month", "month_day", "month_year"):
        return digits and months
    if kind in ("part_year", "year"):
        return digits
    if kind == "month":
        return months
    if kind == "season":
        return bool(words & _SEASONS.keys())
    if kind == "weekday":
        return bool(words & set(_WEEKDAYS))
    return bool(words & {"yesterday", "today", "last", "this"})


def find_dates(sentence: str, article: dt.date | None) -> list[DateMention]:
    """Return the date expressions of ``sentence``, earliest first, without overlaps.

    "from 1 October to 31 December" becomes one interval.
    """
    taken: list[DateMention] = []
    lowered = sentence.lower()
    words = set(re.findall(r"[a-z]+", lowered))
    digits = _ANY_DIGIT.search(sentence) is not None
    months = bool(words & MONTHS.keys())
    for kind, pattern in _PATTERNS:
        if not _may_match(kind, words, digits, months):
            continue  # the pattern's words are absent: skip the scan (speed)
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if kind == "month":
                start = match.start("m")
            if kind in ("day_month", "month_day", "month") and _MAY_VERB.match(match.group("m")):
                before = sentence[max(0, start - 10) : start].lower()
                if kind == "month_day" and not re.search(r"\b(on|since|by|from)\s*$", before):
                    continue
            if any(start < other.end and other.start < end for other in taken):
                continue
            if (
                kind == "relative"
                and match.group("r").lower().startswith("last year")
                and re.search(rf"{_MONTH}\s+{_DAY}\s*,?\s*$", sentence[:start])
            ):
                continue  # "December 1 last year" was resolved with its day
            iso = _resolve(kind, match, article, sentence)
            # A date in a "since …" clause opens a period: "since the law took effect in May".
            before = sentence[max(0, start - 60) : start].lower()
            since = bool(re.search(r"\bsince\b(?:\s+[a-z'-]+){0,7}\s*$", before))
            taken.append(DateMention(start, end, sentence[start:end], iso, since))
    taken.sort(key=lambda mention: mention.start)
    return _join_intervals(sentence, taken)


def _join_intervals(sentence: str, mentions: list[DateMention]) -> list[DateMention]:
    joined: list[DateMention] = []
    for mention in mentions:
        if joined:
            previous = joined[-1]
            between = sentence[previous.end : mention.start]
            opener = sentence[max(0, previous.start - 6) : previous.start].lower()
            if (
                re.fullmatch(r"\s*(to|until|-|–)\s*", between)
                and "from" in opener
                and previous.iso
                and mention.iso
                and "/" not in previous.iso + mention.iso
            ):
                joined[-1] = DateMention(
                    previous.start,
                    mention.end,
                    sentence[previous.start : mention.end],
                    f"{previous.iso}/{mention.iso}",
                    False,
                )
                continue
        joined.append(mention)
    return joined
