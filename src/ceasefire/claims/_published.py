"""Published figures (up to the 2024-11-30 information cutoff) that claims are checked against.

Each figure carries its publisher, date and what it says; they are the ones listed in the
project's ``reference/published-figures.md``, typed in here so the package does not need
that folder at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PUBLISHED", "PublishedFigure", "published"]


@dataclass(frozen=True)
class PublishedFigure:
    """A dated published estimate: ``low``–``high`` of ``counts`` for ``entity``."""

    key: str
    counts: str
    entity: str
    low: float
    high: float
    period: str
    date: str
    publisher: str
    says: str


PUBLISHED: tuple[PublishedFigure, ...] = (
    PublishedFigure(
        "us_intelligence_2023_12",
        "initial force",
        "Russia",
        360_000,
        360_000,
        "stock",
        "2023-12-12",
        "declassified US intelligence assessment (Reuters, CNN)",
        "about 315,000 killed or injured, about 87% of the 360,000 personnel Russia started "
        "the invasion with",
    ),
    PublishedFigure(
        "uk_di_2024_10",
        "casualties",
        "Russia",
        648_000,
        648_000,
        "cumulative",
        "2024-10-07",
        "UK Ministry of Defence, Defence Intelligence",
        "more than 648,000 cumulative Russian casualties",
    ),
    PublishedFigure(
        "uk_di_2024_daily",
        "casualties",
        "Russia",
        1_140,
        1_271,
        "per_day",
        "2024-10-07",
        "UK Ministry of Defence, Defence Intelligence",
        "monthly averages of 1,262 (May), 1,163 (June), 1,140 (July) and 1,271 (September "
        "2024) Russian casualties a day",
    ),
    PublishedFigure(
        "moscow_times_2024_07",
        "killed",
        "Russia",
        120_000,
        120_000,
        "cumulative",
        "2024-07-31",
        "Moscow Times (independent investigations)",
        "about 120,000 Russian soldiers killed",
    ),
    PublishedFigure(
        "medvedev_2024",
        "recruits",
        "Russia",
        30_438,
        30_438,
        "per_month",
        "2024",
        "D. Medvedev (official claim)",
        "about 1,000 contract soldiers and volunteers a day in the first months of 2024 "
        "(x 30.4375 days = 30,438 a month)",
    ),
    PublishedFigure(
        "medvedev_2023",
        "recruits",
        "Russia",
        41_091,
        41_091,
        "per_month",
        "2023-12-01",
        "D. Medvedev (official claim)",
        "more than 452,000 recruited from 1 January to 1 December 2023 (452,000 / 11 months "
        "= 41,091 a month)",
    ),
    PublishedFigure(
        "budget_2023",
        "recruits",
        "Russia",
        27_500,
        27_500,
        "per_month",
        "2023-12-01",
        "budget analysis (as listed in published-figures.md)",
        "about 330,000 one-time sign-on payments in 2023 (330,000 / 12 = 27,500 a month)",
    ),
    PublishedFigure(
        "ukraine_officials_2024_07",
        "recruits",
        "Russia",
        30_000,
        30_000,
        "per_month",
        "2024-07",
        "Ukrainian officials (as reported)",
        "Russia recruits about 30,000 a month",
    ),
    PublishedFigure(
        "pentagon_2024_11",
        "troops",
        "North Korea",
        10_000,
        12_000,
        "stock",
        "2024-11-18",
        "US Department of Defense briefings (Ryder; Singh)",
        'North Korean troops in Russia "closer to 11,000-12,000", at least 10,000 in Kursk',
    ),
)


def published(counts: str, entity: str | None, period: str | None) -> list[PublishedFigure]:
    """Return the published figures of ``counts`` for ``entity`` over ``period``."""
    return [
        figure
        for figure in PUBLISHED
        if figure.counts == counts
        and figure.entity == (entity or "Russia")
        and (period is None or figure.period == period)
    ]
