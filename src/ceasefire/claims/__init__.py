"""From article to scenario: quantitative claims, their checks and sources.

``analyse_article(text, date=None, series=())`` reads plain text or HTML, drops scraped
boilerplate, and returns a :class:`ClaimsReport`: every quantitative or dated claim (value or
range, unit, what it counts, period, side, date, hedges, suggested scenario parameter), the
qualitative mechanisms a scenario could take up (channels, policies), and consistency checks
between the claims, against published figures and against observed series.
``draft_overlay(claims, date=..., title=..., publisher=...)`` turns the claims into an
overlay of the default scenario whose every figure cites its sentence.

Any article, not only war reporting: every number is a claim (what it counts from the war
vocabulary, else the noun after it), while ordinals, decades, list numbers, designations
("F-16"), dates and years are not; "roughly the size of Virginia" resolves against a sourced
table of references (``references()``, extended by ``load_references``); a sentence without
numbers gives its dated events, acts on the record, comparisons and trends; each claim says
whether the sentence asserts it (``checkable``). Russian regions named as where recruits come
from become a regional-recruitment mechanism, resolved against ``regions()``.

The reading is rule-based (plain Python, no model to download): fast to start and offline.
"""

from ceasefire.claims._analyse import ClaimsReport, analyse_article
from ceasefire.claims._checks import Check, check_claims
from ceasefire.claims._draft import DraftOverlay, draft_overlay
from ceasefire.claims._extract import Claim, extract_sentence
from ceasefire.claims._mechanisms import Mechanism
from ceasefire.claims._references import (
    Reference,
    ReferenceTable,
    load_references,
    references,
)
from ceasefire.claims._regions import Region, find_regions, regions
from ceasefire.claims._text import Article, read_article, split_sentences

__all__ = [
    "Article",
    "Check",
    "Claim",
    "ClaimsReport",
    "DraftOverlay",
    "Mechanism",
    "Reference",
    "ReferenceTable",
    "Region",
    "analyse_article",
    "check_claims",
    "draft_overlay",
    "extract_sentence",
    "find_regions",
    "load_references",
    "read_article",
    "references",
    "regions",
    "split_sentences",
]
