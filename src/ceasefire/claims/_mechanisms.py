"""Mechanisms a scenario could take up, named with or without numbers.

Channels (prisoners, North Korean troops), policies (the draft law, electronic notices),
incentives (the sign-on bonus) and patterns, from the table ``MECHANISMS`` of ``_lexicon``.
Named Russian regions in a sentence about recruits, deaths or bonuses ("most recruits come
from Bashkortostan, Chechnya, Yakutia and Dagestan") are a *regional recruitment*
mechanism: recruitment concentrated in some regions, each resolved to its ISO 3166-2 code
(``_regions.find_regions``), for a future regional model.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

from ceasefire.claims._extract import Claim
from ceasefire.claims._lexicon import MECHANISMS
from ceasefire.claims._regions import find_regions

__all__ = ["REGIONAL", "Mechanism", "extract_mechanisms", "merge_mechanisms"]

REGIONAL = "regional recruitment"
_MECHANISMS = [
    (re.compile(rf"\b(?:{pattern})", re.IGNORECASE), kind, name, parameter)
    for pattern, kind, name, parameter in MECHANISMS
]
# What ties named regions to the manpower of the war: recruiting and paying there, or deaths
# of men from there ("killed in Kursk" names a battlefield, not where the dead came from).
_RECRUITING = re.compile(
    r"\b(?:recruit\w*|volunteer\w*|enlist\w*|contracts?|mobili[sz]\w*|conscript\w*|"
    r"come\s+from|came\s+from|coming\s+from|drawn\s+from|hail\s+from|natives?\s+of|"
    r"bonus\w*|payments?|sign-on)\b",
    re.IGNORECASE,
)
_DEATHS_FROM = re.compile(
    r"\b(?:killed|dead|deaths?|died|casualt\w*|losses)\b.*\bfrom\b|"
    r"\bfrom\b.*\b(?:killed|dead|deaths?|died|casualt\w*|losses)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mechanism:
    """A qualitative mechanism a scenario could take up: a channel, a policy, an incentive."""

    kind: str
    name: str
    sentence: str
    date: str | None
    parameter: str | None
    regions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the mechanism as a JSON-ready mapping."""
        return asdict(self)


def _regional(sentence: str) -> Mechanism | None:
    """Return the regional-recruitment mechanism of a sentence naming Russian regions.

    The regions count where the sentence is about recruits, bonuses or deaths of men from
    there.
    """
    if not (_RECRUITING.search(sentence) or _DEATHS_FROM.search(sentence)):
        return None
    regions = [region for region in find_regions(sentence) if region.iso != "MOW"]
    if not regions:
        return None
    names = tuple(f"{region.name} ({region.iso})" for region in regions)
    return Mechanism("pattern", REGIONAL, sentence, None, None, names)


def merge_mechanisms(found: list[Mechanism], new: list[Mechanism]) -> list[Mechanism]:
    """Add ``new`` mechanisms to ``found``: one per name, the regions of all sentences joined."""
    merged = list(found)
    for mechanism in new:
        index = next((i for i, m in enumerate(merged) if m.name == mechanism.name), None)
        if index is None:
            merged.append(mechanism)
        elif mechanism.regions:
            old = merged[index]
            regions = old.regions + tuple(r for r in mechanism.regions if r not in old.regions)
            merged[index] = Mechanism(
                old.kind, old.name, old.sentence, old.date, old.parameter, regions
            )
    return merged


def extract_mechanisms(
    sentence: str, article: dt.date | None, claims: list[Claim]
) -> list[Mechanism]:
    """Return the qualitative mechanisms (channels, policies, incentives) of a sentence."""
    matches: list[tuple[int, str, str, str | None]] = []
    for pattern, kind, name, parameter in _MECHANISMS:
        match = pattern.search(sentence)
        if match is not None:
            matches.append((match.start(), kind, name, parameter))
    events = [claim for claim in claims if claim.counts == "event"]
    dated: str | None = None
    if events:
        # The event's date goes to the policy named nearest before it ("a law took effect on").
        where = sentence.find(events[0].text)
        policies = [m for m in matches if m[1] == "policy" and m[0] <= where]
        if policies:
            dated = max(policies)[2]
    found: list[Mechanism] = []
    for _start, kind, name, parameter in sorted(matches):
        date = None
        if name == dated:
            date = events[0].date
        elif kind == "policy" and article is not None and re.search(r"\bnow\b", sentence, re.I):
            date = article.isoformat()
        found.append(Mechanism(kind, name, sentence, date, parameter))
    regional = _regional(sentence)
    if regional is not None:
        found.append(regional)
    return found
