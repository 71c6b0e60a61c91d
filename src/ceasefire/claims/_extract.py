"""Claims in a sentence: each number with what it counts, whose, when, how sure, how often.

A *claim* is a quantitative statement (a number or range with its unit) or a dated one (an
event with a date and no number). Each number of a sentence is read within its *segment*,
the words between the previous number and the next, so "115,000 to 160,000 troops have died
… and another 500,000 have been wounded" gives a killed and a wounded claim. Words after a
number weigh more than words before it ("20,000 new recruits").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ceasefire.claims._assertion import comparisons, not_checkable, records
from ceasefire.claims._dates import DateMention, find_dates
from ceasefire.claims._generic import generic_counts, incidental
from ceasefire.claims._lexicon import (
    COUNT_CUES,
    ENTITIES,
    HEDGES,
    LOCATION_PREPOSITIONS,
    MONEY_CUES,
    RATES,
    STOCK_CUES,
    compile_table,
)
from ceasefire.claims._numbers import NumberMention, find_numbers
from ceasefire.claims._parameters import parameter_of as _parameter
from ceasefire.claims._references import ReferenceTable, default_references, reference_mentions

__all__ = ["Claim", "extract_sentence"]

_COUNT_CUES = [
    (rank, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), label)
    for rank, pattern, label in COUNT_CUES
]
_MONEY = compile_table(MONEY_CUES)
_RATES = compile_table(RATES)
_HEDGES = compile_table(HEDGES)
_ENTITIES = compile_table(ENTITIES)
_FLOW_AREA = re.compile(
    r"\b(captured|gained|advanced|seized|took|taken|occupied|liberated|lost)\b", re.I
)
_INHERIT = re.compile(
    r"\b(up|down)\s+from\s*$|\b(?:falling|rising|fell|rose|dropping|climbing|increasing|"
    r"decreasing|to)\s+(?:to\s+)?(?:about|around|roughly|over|more\s+than|nearly|some|under)?\s*$",
    re.IGNORECASE,
)
_TRAILING_RATE = re.compile(
    r"\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:24\s+hours|day|month)\b", re.IGNORECASE
)
_CUMULATIVE = re.compile(r"\b(since|so\s+far|to\s+date|this\s+year|by\s+now|in\s+total)\b", re.I)
_SHARE_INITIAL = re.compile(
    r"\b(had|started|start|began|beginning|before|pre-war|prewar|initial|original)\b", re.I
)
_SHARE_OF = re.compile(r"^\s*(?:of|out\s+of)\s+(?P<np>[^,.;–—]{0,80})", re.IGNORECASE)
_TRAINING = re.compile(r"\btrain(?:ing|ed)?\b", re.IGNORECASE)
_RECOVERY = re.compile(r"\b(recover(?:y|s)?|return(?:s|ed)?|treatment|hospital)\b", re.I)
_EVENT_DATE = re.compile(r"\d|monday|tuesday|wednesday|thursday|friday|saturday|sunday", re.I)
_SHARE_NOUNS = [
    (r"troops|personnel|soldiers|forces?|army|men", "force"),
    (r"tanks?|tank\s+fleet", "tanks"),
    (r"territory|land", "territory"),
    (r"gdp|economy|output", "GDP"),
    (r"wounded|injured", "wounded"),
    (r"casualties|losses", "casualties"),
    (r"recruits|volunteers", "recruits"),
    (r"budget|spending", "budget"),
]

Span = tuple[int, int]


@dataclass
class Claim:
    """A quantitative or dated statement of an article, as read by ``ceasefire claims``.

    ``low``/``high`` bound the value in ``unit`` (either may be ``None`` for "more than" or
    "up to"; both are ``None`` for a dated event); ``counts`` says what is counted;
    ``period`` is ``per_day``, ``per_week``, ``per_month``, ``per_year``, ``cumulative``,
    ``stock`` or ``None``; ``date`` the ISO date the claim refers to (the article date when
    the sentence names none); ``hedge`` the hedging words (normalised); ``parameter`` the
    dotted path of the default scenario it bears on. ``kind`` is ``quantity``, ``event`` (a
    date without a number) or ``comparison`` (a comparison or trend without a number);
    ``checkable`` is false, with the reason in ``not_checkable``, where the sentence does not
    assert the claim (a question, plan, condition or personal aside); ``reference`` names
    the reference value a comparison resolved to ("the size of Virginia"), with its source.
    """

    sentence: str
    low: float | None
    high: float | None
    unit: str | None
    counts: str
    period: str | None
    entity: str | None
    date: str | None
    hedge: list[str] = field(default_factory=list)
    parameter: str | None = None
    text: str = ""
    qualifier: str | None = None
    since: str | None = None
    sentence_index: int = 0
    kind: str = "quantity"
    checkable: bool = True
    not_checkable: str | None = None
    reference: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the claim as a JSON-ready mapping."""
        return asdict(self)


def _words_between(text: str) -> int:
    return len(re.findall(r"[\w'%$-]+", text))


def _nearest(
    sentence: str,
    segment: Span,
    mention: Span,
    table: list[tuple[int, re.Pattern[str], str]],
    *,
    before_weight: float = 1.5,
    masked: list[Span] | None = None,
) -> tuple[int, float, str] | None:
    """Return the best (rank, distance, label) cue of ``table`` within ``segment``."""
    best: tuple[int, float, str] | None = None
    for rank, pattern, label in table:
        for match in pattern.finditer(sentence, segment[0], segment[1]):
            if masked and any(match.start() < e and s < match.end() for s, e in masked):
                continue
            if match.start() >= mention[1]:
                distance = float(_words_between(sentence[mention[1] : match.start()]))
            elif match.end() <= mention[0]:
                distance = before_weight * (_words_between(sentence[match.end() : mention[0]]) + 1)
            else:
                continue
            candidate = (rank, distance, label)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
    return best


def _segments(sentence: str, mentions: list[NumberMention]) -> list[Span]:
    spans = []
    for index, mention in enumerate(mentions):
        start = mentions[index - 1].end if index else 0
        end = mentions[index + 1].start if index + 1 < len(mentions) else len(sentence)
        before = sentence[start : mention.start]
        cut = re.search(r"\bout\s+of(?:\s+the)?\s*$|\bof\s+the\s*$", before)
        if cut and mention.kind == "count":
            start = start + cut.start()
        spans.append((start, end))
    return spans


def _counts(sentence: str, mention: NumberMention, segment: Span, masked: list[Span]) -> str | None:
    span = (mention.start, mention.end)
    if mention.kind == "money":
        best: tuple[float, str] | None = None
        for pattern, label in _MONEY:
            for match in pattern.finditer(sentence):
                distance = abs(match.start() - mention.start)
                if best is None or distance < best[0]:
                    best = (distance, label)
        return best[1] if best else None
    if mention.kind == "area":
        return "area"
    if mention.kind == "length":
        cue = _nearest(sentence, segment, span, _COUNT_CUES, masked=masked)
        return "front line" if cue and cue[2] == "front line" else "distance"
    if mention.kind == "ratio":
        lowered = sentence.lower()
        if re.search(r"killed[\s-]+to[\s-]+wounded", lowered):
            return "killed to wounded"
        return "exchange ratio"
    if mention.kind == "percent":
        return _share(sentence, mention, segment, masked)
    if mention.kind == "multiplier":
        target = _multiplied(sentence, mention, segment, masked)
        if re.search(r"\btimes\s+the\b", mention.text + sentence[mention.end : mention.end + 5]):
            return target or "ratio"
        return f"change in {target}" if target else "change"
    if mention.kind == "duration":
        if _TRAINING.search(sentence):
            return "training"
        if _RECOVERY.search(sentence):
            return "recovery time"
        return None
    cue = _nearest(sentence, segment, span, _COUNT_CUES, masked=masked)
    if cue is None:
        return None
    rank = cue[0]
    if rank == 3:
        # A bare people noun: a verb elsewhere in the segment may say what happened to them.
        verbs = [(r, p, label) for r, p, label in _COUNT_CUES if r < 3]
        verb = _nearest(sentence, segment, span, verbs, masked=masked)
        return verb[2] if verb else "troops"
    return cue[2]


def _multiplied(
    sentence: str, mention: NumberMention, segment: Span, masked: list[Span]
) -> str | None:
    """Return what a multiplier multiplies.

    Its object ("doubled enlistment bonuses"), else its subject ("the bonus was doubled").
    """
    after = re.match(r"\W*((?:[\w-]+\W+){0,3})", sentence[mention.end :])
    window = after.group(1) if after else ""
    window = re.split(r"\b(?:since|after|because|as|when|while|from|to|by|in)\b", window)[0]
    for pattern, label in _MONEY:
        if pattern.search(window):
            return label
    for _rank, pattern, label in sorted(_COUNT_CUES, key=lambda cue: cue[0]):
        if pattern.search(window):
            return label
    before = (segment[0], mention.start)
    money = _nearest(
        sentence, before, (mention.start, mention.end), [(0, p, lab) for p, lab in _MONEY]
    )
    cue = _nearest(sentence, before, (mention.start, mention.end), _COUNT_CUES, masked=masked)
    if money is not None and (cue is None or money[1] <= cue[1] or cue[0] >= 2):
        return money[2]
    return cue[2] if cue else None


def _share(sentence: str, mention: NumberMention, segment: Span, masked: list[Span]) -> str:
    before = sentence[max(0, mention.start - 25) : mention.start]
    if mention.change:
        cue = _nearest(sentence, segment, (mention.start, mention.end), _COUNT_CUES, masked=masked)
        return f"change in {cue[2]}" if cue else "change"
    del before
    of = _SHARE_OF.match(sentence[mention.end :])
    if of is None:
        one_in = re.match(r"^\s*(?P<np>\w+)", sentence[mention.end :])
        noun = one_in.group("np") if one_in and mention.text.lower().startswith("one in") else ""
    else:
        noun = of.group("np")
    for pattern, label in _SHARE_NOUNS:
        if re.search(rf"\b(?:{pattern})\b", noun, re.IGNORECASE):
            initial = _SHARE_INITIAL.search(noun) and label in ("force", "tanks")
            return f"share of initial {label}" if initial else f"share of {label}"
    return "share"


def _period(
    sentence: str,
    mention: NumberMention,
    counts: str | None,
    segment: Span,
    date: DateMention | None,
) -> str | None:
    if mention.kind in ("percent", "multiplier", "ratio", "duration") or counts is None:
        return None
    if mention.kind == "money" and counts in ("bonus",):
        return None
    rate = _nearest(
        sentence,
        segment,
        (mention.start, mention.end),
        [(0, pattern, label) for pattern, label in _RATES],
    )
    if rate is None:
        trailing = _TRAILING_RATE.search(sentence, mention.end)
        rate = (0, 0.0, trailing.group(0)) if trailing else None
        if trailing:
            return "per_day" if re.search(r"day|24", trailing.group(0)) else "per_month"
    if rate is not None:
        return rate[2]
    if counts in ("troops", "front line") or mention.kind == "length":
        return "stock"
    if mention.kind == "area" and not _FLOW_AREA.search(sentence):
        return "stock"
    if counts == "prisoners" and STOCK_CUES.search(sentence[mention.end : segment[1]]):
        return "stock"
    if mention.kind == "money" and counts == "salary":
        return "per_month"
    if _CUMULATIVE.search(sentence[segment[0] : segment[1]]):
        return "cumulative"
    if date is not None and re.search(r"\bby\s+(the\s+)?$", sentence[: date.start]):
        return "cumulative"
    if date is not None and date.iso and not date.since and "/" not in date.iso:
        if re.fullmatch(r"\d{4}-\d{2}", date.iso):
            return "per_month"
        if re.fullmatch(r"\d{4}", date.iso):
            return "per_year"
    return "cumulative"


def _entity(
    sentence: str, mention: Span, segment: Span, masked: list[Span], *, first: bool = False
) -> str | None:
    found: list[tuple[int, int, str, bool, bool]] = []  # start, end, label, location, possessive
    for pattern, label in _ENTITIES:
        for match in pattern.finditer(sentence):
            if any(match.start() < e and s < match.end() for s, e, *_ in found):
                continue
            name = label if label != "region" else match.group(0)
            location = bool(LOCATION_PREPOSITIONS.search(sentence[: match.start()]))
            if match.group(0).lower().startswith("moscow") and location:
                name = "Moscow"
            possessive = match.group(0).endswith("'s") or sentence[match.end() :].startswith("'s")
            found.append((match.start(), match.end(), name, location, possessive))
    if not found:
        return "Russia" if re.search(r"\b(roubles?|rubles?)\b|₽", sentence, re.I) else None
    found.sort()
    if first:
        return found[0][2]
    # 1. A nationality right after the number: "160,000 Russian troops".
    for start, _end, name, _location, _possessive in found:
        between = sentence[mention[1] : start]
        if mention[1] <= start and _words_between(between) <= 1 and "of" not in between.split():
            return name

    # 2. The nearest subject-like mention, before the number first, within the segment.
    def score(item: tuple[int, int, str, bool, bool]) -> tuple[int, float]:
        start, end, _name, location, possessive = item
        penalty = 2 if location else 1 if possessive else 0
        if end <= mention[0]:
            return penalty, _words_between(sentence[end : mention[0]])
        return penalty, 1.5 * _words_between(sentence[mention[1] : start]) + 0.5

    return min(found, key=score)[2]


def _hedges(sentence: str, masked: list[Span]) -> list[str]:
    labels: list[str] = []
    for pattern, label in _HEDGES:
        for match in pattern.finditer(sentence):
            if any(match.start() < e and s < match.end() for s, e in masked):
                continue
            if label == "claim" and re.match(r"\w+\s+(?:of|that\s+\w+\s+\d)", match.group(0)):
                continue
            if label not in labels:
                labels.append(label)
            break
    return labels


def _claim_date(
    sentence: str, dates: list[DateMention], segment: Span, mention: Span, article: dt.date | None
) -> DateMention | None:
    best: tuple[float, DateMention] | None = None
    for date in dates:
        if date.since or date.iso is None:
            continue
        if date.end <= segment[0] or date.start >= segment[1]:
            continue
        if date.start >= mention[1]:
            distance = float(_words_between(sentence[mention[1] : date.start]))
        else:
            distance = 1.5 * (_words_between(sentence[date.end : mention[0]]) + 1)
        if best is None or distance < best[0]:
            best = (distance, date)
    return best[1] if best else None


_UNITS_BY_KIND = {"count": "people"}
_THINGS = {"tanks", "artillery", "drones", "aircraft", "vehicles", "units"}
# An age, as in the draft or mobilisation age: "lowered the mobilisation age from 27 to 25".
_AGE_BEFORE = re.compile(
    r"\b(?:age[sd]?|aged)\s+(?:limit\s+)?(?:of\s+|from\s+|to\s+|at\s+)?(?:\d+\s+(?:to|-|–)\s+)?$",
    re.IGNORECASE,
)
_PERIOD_PHRASE = re.compile(
    r"\b(?:in|over|during|for|within|of|throughout)\s+(?:the\s+)?(?:past|last|next|first|"
    r"coming|previous|following|latest)\s*$",
    re.IGNORECASE,
)
_EVENT_PREPOSITION = re.compile(r"\b(?:since|from|on|in|by|until|as\s+of)\s+(?:the\s+)?$", re.I)


def _mentions(
    sentence: str, dates: list[DateMention], table: ReferenceTable
) -> list[NumberMention]:
    """Return the numbers of a sentence, comparisons with a reference value included."""
    references = reference_mentions(sentence, table)
    masked = [(date.start, date.end) for date in dates]
    masked += [(mention.start, mention.end) for mention in references]
    mentions = [
        mention
        for mention in find_numbers(sentence, masked)
        if mention.kind != "duration"
        or _TRAINING.search(sentence)
        or _RECOVERY.search(sentence)
        or not _PERIOD_PHRASE.search(sentence[: mention.start])
    ]
    if any(mention.kind == "area" for mention in mentions):
        # The article's own figure wins over the reference it compares with.
        references = [mention for mention in references if mention.kind != "area"]
    return sorted(mentions + references, key=lambda mention: mention.start)


def _reference(name: str | None, unit: str | None, table: ReferenceTable) -> dict[str, Any] | None:
    if name is None:
        return None
    found = table.lookup(name, "area" if unit == "km2" else "population")
    if found is None:
        return None
    return {
        "name": found.name,
        "value": found.value,
        "unit": found.unit,
        "stated": found.stated,
        "source": found.source,
    }


def extract_sentence(
    sentence: str,
    article: dt.date | None,
    *,
    index: int = 0,
    references: ReferenceTable | None = None,
) -> list[Claim]:
    """Return the claims of one sentence, read against the article date.

    Every number is a claim: what it counts comes from the war vocabulary where it names it,
    else from the noun that follows the number (``_generic``). A sentence without numbers
    gives its dated events ("since February 2022", "on November 1"), else its comparisons
    and trends. Each claim says whether the sentence asserts it (``checkable``).
    ``references`` is the table comparisons resolve against (default: the shipped one).
    """
    dates = find_dates(sentence, article)
    masked = [(date.start, date.end) for date in dates]
    table = references or default_references()
    mentions = _mentions(sentence, dates, table)
    segments = _segments(sentence, mentions)
    hedge = _hedges(sentence, masked) if mentions or dates else []
    default_date = article.isoformat() if article else None
    since = next((date.iso for date in dates if date.since), None)
    claims: list[Claim] = []
    previous: Claim | None = None
    for mention, segment in zip(mentions, segments, strict=True):
        span = (mention.start, mention.end)
        counts = _counts(sentence, mention, segment, masked)
        if mention.kind == "count" and _AGE_BEFORE.search(sentence[: mention.start]):
            counts = "age"
        if mention.reference is not None:
            counts = "area" if mention.kind == "area" else "population"
        inherit = (
            previous is not None
            and mention.kind == "count"
            and previous.unit in ("people", "items")
            and _INHERIT.search(sentence[segment[0] : mention.start])
        )
        own = _nearest(sentence, (mention.end, segment[1]), span, _COUNT_CUES, masked=masked)
        if previous is not None and inherit and (own is None or own[0] >= 2):
            counts = previous.counts
        generic = counts is None
        if counts is None:
            counts = generic_counts(sentence, mention)
        whole = (0, len(sentence))
        date = _claim_date(
            sentence, dates, whole if mention.kind == "multiplier" else segment, span, article
        )
        if date is None and mentions:
            date = _claim_date(sentence, dates, (0, mentions[0].start), span, article)
        period = _period(sentence, mention, counts, segment, date)
        if generic and period not in ("per_day", "per_week", "per_month", "per_year"):
            period = None  # a count the war vocabulary does not know: no stock or total implied
        if (
            previous is not None
            and inherit
            and previous.period in ("per_day", "per_week", "per_month", "per_year")
        ):
            # "1,500 a day, up from 1,200 in the summer": the second number is a rate too.
            period = previous.period
        unit = mention.unit or ("items" if counts in _THINGS or generic else "people")
        if counts == "age":
            unit, period = "years", None
        entity = _entity(sentence, span, segment, masked, first=mention.kind == "ratio")
        # A training or recovery time is a quantity of the model; any other span of time
        # only places the statement in time.
        reason = not_checkable(sentence, mention.start, duration=counts == "duration")
        if reason is None and generic and incidental(mention):
            reason = "small count"
        claim = Claim(
            sentence=sentence,
            low=_tidy(mention.low),
            high=_tidy(mention.high),
            unit=unit,
            counts=counts,
            period=period,
            entity=entity,
            date=date.iso if date else default_date,
            hedge=list(hedge),
            parameter=_parameter(counts, period, entity, unit),
            text=mention.text,
            qualifier=mention.qualifier,
            since=since if period == "cumulative" else None,
            sentence_index=index,
            checkable=reason is None,
            not_checkable=reason,
            reference=_reference(mention.reference, mention.unit, table),
        )
        claims.append(claim)
        previous = claim
    if not claims:
        claims = _events(sentence, dates, hedge, masked, index)
    if not claims:
        claims = _comparisons(sentence, masked, default_date, index)
    return claims


def _events(
    sentence: str, dates: list[DateMention], hedge: list[str], masked: list[Span], index: int
) -> list[Claim]:
    """Return the dated statements without a number ("a law took effect on November 1").

    A day or a month dates an event; a bare year does so only after "since" or "from" ("since
    2014"), as a year alone is more often the time of a statement than an event of its own.
    """
    events: list[Claim] = []
    for date in dates:
        if date.iso is None or not _EVENT_DATE.search(date.text):
            continue
        if re.fullmatch(r"\d{4}", date.iso) and not re.search(
            r"\b(?:since|from)\s+$", sentence[: date.start]
        ):
            continue
        entity = _entity(sentence, (date.start, date.end), (0, len(sentence)), masked, first=True)
        reason = not_checkable(sentence, date.start)
        events.append(
            Claim(
                sentence=sentence,
                low=None,
                high=None,
                unit=None,
                counts="event",
                period=None,
                entity=entity,
                date=date.iso,
                hedge=list(hedge),
                parameter=None,
                text=date.text,
                since=date.iso if date.since else None,
                sentence_index=index,
                kind="event",
                checkable=reason is None,
                not_checkable=reason,
            )
        )
    return events


def _comparisons(sentence: str, masked: list[Span], date: str | None, index: int) -> list[Claim]:
    """Return the acts on the record of a sentence without numbers or dates, else its others.

    The others are its comparisons and trends.
    """
    found: list[Claim] = []
    marked = [(start, end, text, "record") for start, end, text in records(sentence)]
    marked = marked or comparisons(sentence)
    hedge = _hedges(sentence, masked) if marked else []
    for start, end, text, label in marked:
        reason = not_checkable(sentence, start)
        found.append(
            Claim(
                sentence=sentence,
                low=None,
                high=None,
                unit=None,
                counts=label,
                period=None,
                entity=_entity(sentence, (start, end), (0, len(sentence)), masked, first=True),
                date=date,
                hedge=list(hedge),
                parameter=None,
                text=text,
                sentence_index=index,
                kind="event" if label == "record" else "comparison",
                checkable=reason is None,
                not_checkable=reason,
            )
        )
    return found


def _tidy(value: float | None) -> float | None:
    if value is None:
        return None
    return float(round(value)) if abs(value - round(value)) < 1e-9 else round(value, 4)
