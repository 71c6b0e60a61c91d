"""The verb: read an article, extract its claims and mechanisms, check them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ceasefire.claims._checks import Check, check_claims
from ceasefire.claims._extract import Claim, extract_sentence
from ceasefire.claims._mechanisms import Mechanism, extract_mechanisms, merge_mechanisms
from ceasefire.claims._parameters import parameter_of
from ceasefire.claims._references import ReferenceTable
from ceasefire.claims._text import Article, read_article
from ceasefire.observe import Series

__all__ = ["ClaimsReport", "analyse_article"]


@dataclass
class ClaimsReport:
    """What ``ceasefire claims`` found in an article."""

    article: Article
    claims: list[Claim]
    mechanisms: list[Mechanism]
    checks: list[Check] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the report in the JSON layout of ``ceasefire claims --json``."""
        return {
            "article": self.article.title,
            "title": self.article.title,
            "date": self.article.date.isoformat() if self.article.date else None,
            "dropped_lines": list(self.article.dropped_lines),
            "claims": [claim.to_dict() for claim in self.claims],
            "mechanisms": [mechanism.to_dict() for mechanism in self.mechanisms],
            "checks": [check.to_dict() for check in self.checks],
        }


def _main_side(claims: list[Claim]) -> str | None:
    sides = [claim.entity for claim in claims if claim.entity in ("Russia", "Ukraine")]
    if not sides:
        return None
    russia = sides.count("Russia")
    return "Russia" if russia * 2 > len(sides) else "Ukraine" if russia * 2 < len(sides) else None


def analyse_article(
    text: str,
    *,
    date: dt.date | None = None,
    series: Sequence[Series] = (),
    references: ReferenceTable | None = None,
) -> ClaimsReport:
    """Read an article (HTML or text) and return its claims, mechanisms and checks.

    ``date`` is the article's date (it wins over HTML metadata); relative dates ("November
    1", "last year") resolve against it. A claim that names no side suggests the scenario
    parameter of the side the article is mostly about, when there is one. ``references``
    is the table comparisons such as "the size of Virginia" resolve against (default: the
    shipped one; ``load_references`` adds a user's file).
    """
    article = read_article(text, date=date)
    claims: list[Claim] = []
    mechanisms: list[Mechanism] = []
    for index, sentence in enumerate(article.sentences()):
        found = extract_sentence(sentence, article.date, index=index, references=references)
        claims.extend(found)
        mechanisms = merge_mechanisms(mechanisms, extract_mechanisms(sentence, article.date, found))
    side = _main_side(claims)
    for claim in claims:
        if claim.entity is None and claim.parameter is None and side is not None:
            claim.parameter = parameter_of(claim.counts, claim.period, side, claim.unit)
    return ClaimsReport(article, claims, mechanisms, check_claims(claims, series=series))
