"""Numbers in a sentence: digits, words, scales, ranges, bounds, shares and multipliers.

Understands "115,000", "1.9 million", "115k", "$22,000", "twenty thousand", "half a
million", "two-thirds", "one in five", "15 per cent", "doubled", "three times", "two to one";
ranges ("between X and Y", "X to Y", "X–Y"); bounds ("more than", "at least" give ``low``;
"up to", "as many as" give ``high``) and approximations ("roughly", "about"), which keep
``low == high`` and are noted in ``qualifier``. Years, dates, model names (F-16) and vague
amounts ("thousands of") are not numbers here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = ["NumberMention", "find_numbers"]

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_FRACTIONS = {
    "half": 0.5,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 0.25,
    "quarters": 0.25,
    "fifth": 0.2,
    "fifths": 0.2,
}
_MULTIPLIER_VERBS = {
    "doubled": 2.0,
    "doubling": 2.0,
    "tripled": 3.0,
    "trebled": 3.0,
    "quadrupled": 4.0,
    "halved": 0.5,
}
_NUMBER_WORD = "|".join(sorted(_UNITS_WORDS, key=len, reverse=True))
_SCALE_WORD = "|".join(_SCALES)

_DIGITS = re.compile(
    r"(?<![\w.,/'’-])(?P<cur>[$€£₽])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|(?<=[$€£₽])\.\d+)"
    r"(?:\s?(?P<scale>" + _SCALE_WORD + r")\b|(?P<short>k|mn|bn|m)\b)?(?![\w-]*\d)"
    r"(?P<pct>\s?%|\s?per\s?cent\b|\s?percent\b)?",
    re.IGNORECASE,
)
# Digits that are not a quantity: what follows or precedes them makes them a name, a rank
# or a date. An ordinal or a century ("17th", "the 21st century"), a decade ("the 1990s",
# "the 70s"), a designation glued to letters or symbols ("155mm", "9/11", "401(k)", "24/7",
# "3:30"), a clock time ("at 3 p.m."), and a number after a word that names the thing it
# numbers ("Article 5", "point 3", "Resolution 2231", "Flight 17").
_NOT_A_COUNT_AFTER = re.compile(
    r"(?:st|nd|rd|th|s|'s|’s)\b|(?!(?:km2?|km²|kms|miles?|mi|kg|tons?|t)\b)[a-z]"
    r"|/(?!\s?(?:day|week|month|year|yr|mo)\b)\w|:\d|\(|\s?(?:mm|cal)\b"
    r"|\s?[ap]\.m\.|\s?[ap]m\b|\s?o'clock\b",
    re.IGNORECASE,
)
_NAMING_WORD = re.compile(
    r"(?:\b(?:numbers?|no\.|nos\.|points?|items?|articles?|sections?|titles?|chapters?|"
    r"clauses?|paragraphs?|resolutions?|amendments?|propositions?|prop\.|phases?|stages?|"
    r"steps?|pages?|routes?|highways?|interstates?|flights?|rooms?|grades?|levels?|"
    r"categor(?:y|ies)|versions?|models?|types?|mark|mk|block|unit|precincts?|wards?|"
    r"districts?|gates?|platforms?|code|channel|day)|#)\s*$",
    re.IGNORECASE,
)
# A list number opening a sentence: "1. …", "(2) …", "3) …".
_LIST_NUMBER = re.compile(r"^\s*\(?\d{1,2}[.)]\s")
_WORDS = re.compile(
    r"\b(?P<words>(?:a|(?:" + _NUMBER_WORD + r")(?:[\s-](?:" + _NUMBER_WORD + r"))?)"
    r"(?:[\s-](?:and\s)?(?:" + _NUMBER_WORD + r"|" + _SCALE_WORD + r"))*"
    r"[\s-](?:" + _SCALE_WORD + r"))\b(?!s\b)",
    re.IGNORECASE,
)
_HALF_SCALE = re.compile(r"\bhalf\s+a\s+(?P<scale>" + _SCALE_WORD + r")\b", re.IGNORECASE)
_FRACTION = re.compile(
    r"\b(?P<n>a|one|two|three|four)[\s-](?P<f>half|thirds?|quarters?|fifths?)\b(?=\s+of\b)"
    r"|(?<!first\s)(?<!second\s)\b(?P<half>half)\b(?=\s+of\b(?!\s+(?:the\s+)?(?:19|20)\d\d))",
    re.IGNORECASE,
)
_ONE_IN = re.compile(r"\bone\s+in\s+(?P<d>" + _NUMBER_WORD + r"|\d+)\b", re.IGNORECASE)
_TIMES = re.compile(
    r"\b(?P<n>twice)\b|\b(?P<n2>" + _NUMBER_WORD + r"|\d+(?:\.\d+)?)\s+times\b", re.IGNORECASE
)
_MULTIPLIER = re.compile(r"\b(?P<v>" + "|".join(_MULTIPLIER_VERBS) + r")\b", re.IGNORECASE)
_RATIO = re.compile(
    r"\b(?P<a>"
    + _NUMBER_WORD
    + r"|\d+(?:\.\d+)?)\s*(?:to|:)\s*(?P<b>one|two|three|four|five|1|2|3|4|5)\b",
    re.IGNORECASE,
)
_CURRENCY_AFTER = re.compile(
    r"^\s*(?P<c>roubles?|rubles?|rub\b|₽|dollars?|usd\b|euros?|eur\b|hryvnias?|uah\b)", re.I
)
_AREA_AFTER = re.compile(
    r"^\s*(?P<u>square\s+kilometres|square\s+kilometers|sq\.?\s*km|km2|km²|square\s+miles|"
    r"sq\.?\s*mi(?:les)?)\b",
    re.IGNORECASE,
)
_LENGTH_AFTER = re.compile(r"^\s*(?:kilometres|kilometers|km)\b", re.IGNORECASE)
_DURATION_AFTER = re.compile(r"^\s*(?P<u>hours?|days?|weeks?|months?|years?)\b", re.IGNORECASE)
_DURATION_WORDS = re.compile(
    r"\b(?P<n>" + _NUMBER_WORD + r")\s+(?P<u>hours?|days?|weeks?|months?|years?)\b", re.IGNORECASE
)
# Small numbers in words ("three people", "four to seven weapons", "ninety-eight percent"):
# "one" is left out (a pronoun as often as a number), and so is a number word that a noun
# does not follow ("two of them", "one or two").
_SMALL_WORD = "|".join(sorted(set(_UNITS_WORDS) - {"zero", "one"}, key=len, reverse=True))
_SMALL_WORDS = re.compile(
    r"\b(?P<w>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|"
    r"four|five|six|seven|eight|nine)\b|(?:" + _SMALL_WORD + r")\b|dozen\b)"
    r"(?:(?P<pct>\s+(?:per\s?cent|percent)\b)|(?!\s+(?:of|or|and|by|times|point|thirds?|"
    r"fifths?|quarters?|halves|hundred|thousand|million|billion|trillion|o'clock|who|that|"
    r"which|is|are|was|were|have|has|had|will|would)\b)(?!\s+to\s+(?!(?:"
    + _SMALL_WORD
    + r")\b))(?=\s+[a-z]))",
    re.IGNORECASE,
)
_VAGUE_BEFORE = re.compile(r"(tens|hundreds|thousands)\s+of\s*$", re.IGNORECASE)
_SQ_MILE_KM2 = 2.589988110336

_LOWER_BOUND = re.compile(
    r"(more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|above|exceeding|"
    r"no\s+fewer\s+than|no\s+less\s+than)\s*$",
    re.IGNORECASE,
)
_UPPER_BOUND = re.compile(
    r"(up\s+to|as\s+many\s+as|as\s+much\s+as|at\s+most|fewer\s+than|less\s+than|under|"
    r"no\s+more\s+than|below)\s*$",
    re.IGNORECASE,
)
_APPROX = re.compile(
    r"(about|around|roughly|approximately|some|nearly|almost|close\s+to|an\s+estimated|"
    r"estimated|circa|as\s+little\s+as|~)\s*$",
    re.IGNORECASE,
)
_CHANGE_UP = re.compile(
    r"\b(rose|rise|risen|rising|increased?|increasing|grew|grown|up|jumped|climbed)\s+by\s*$",
    re.I,
)
_CHANGE_DOWN = re.compile(
    r"\b(fell|fall|fallen|falling|decreased?|decreasing|dropped|declined?|down|shrank)\s+by\s*$",
    re.I,
)


@dataclass(frozen=True)
class NumberMention:
    """A number found in a sentence, with the words that qualify it.

    ``kind`` is ``count``, ``percent``, ``money``, ``area``, ``length``, ``duration``,
    ``multiplier`` or ``ratio``; ``unit`` the unit of ``low`` and ``high`` (``None`` for a
    plain count, whose unit depends on what it counts).
    """

    start: int
    end: int
    text: str
    low: float | None
    high: float | None
    kind: str
    unit: str | None
    qualifier: str | None = None
    change: bool = False
    reference: str | None = None


def _words_value(text: str) -> float | None:
    total, current = 0.0, 0.0
    seen = False
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("and", ""):
            continue
        if word == "a":
            current = max(current, 1.0)
            continue
        if word in _UNITS_WORDS:
            current += _UNITS_WORDS[word]
            seen = True
        elif word in _SCALES:
            scale = _SCALES[word]
            current = max(current, 1.0) * scale
            if scale >= 1000:
                total += current
                current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def _small_number(text: str) -> float:
    text = text.lower()
    if text == "twice":
        return 2.0
    return float(_UNITS_WORDS[text]) if text in _UNITS_WORDS else float(text)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _qualify(sentence: str, mention: NumberMention) -> NumberMention:
    before = sentence[max(0, mention.start - 30) : mention.start]
    after = sentence[mention.end : mention.end + 12].lower()
    value = mention.low
    if mention.kind in ("multiplier", "ratio"):
        return mention
    if _LOWER_BOUND.search(before) or re.match(r"\s*(or\s+more|-plus|\+)", after):
        return replace(mention, high=None, qualifier="more than")
    if _UPPER_BOUND.search(before):
        return replace(mention, low=None, qualifier="up to")
    if _CHANGE_UP.search(before):
        return replace(mention, change=True)
    if _CHANGE_DOWN.search(before) and value is not None:
        return replace(mention, low=-value, high=-value, change=True)
    if _APPROX.search(before):
        return replace(mention, qualifier="about")
    return mention


def _unit_after(sentence: str, end: int, mention: NumberMention) -> NumberMention:
    after = sentence[end:]
    currency = _CURRENCY_AFTER.match(after)
    if currency and mention.kind == "count":
        word = currency.group("c").lower()
        unit = (
            "rub"
            if word.startswith(("roub", "rub", "₽"))
            else "usd"
            if word.startswith(("dollar", "usd"))
            else "eur"
            if word.startswith(("euro", "eur"))
            else "uah"
        )
        return replace(mention, end=end + currency.end(), kind="money", unit=unit)
    area = _AREA_AFTER.match(after)
    if area and mention.kind == "count":
        factor = _SQ_MILE_KM2 if "mi" in area.group("u").lower() else 1.0
        low = None if mention.low is None else round(mention.low * factor, 1)
        high = None if mention.high is None else round(mention.high * factor, 1)
        return replace(mention, end=end + area.end(), kind="area", unit="km2", low=low, high=high)
    if _LENGTH_AFTER.match(after) and mention.kind == "count":
        return replace(mention, kind="length", unit="km")
    duration = _DURATION_AFTER.match(after)
    if duration and mention.kind == "count":
        unit = duration.group("u").lower().rstrip("s") + "s"
        return replace(mention, end=end + duration.end(), kind="duration", unit=unit)
    return mention


_ANY_DIGIT = re.compile(r"\d")
_NO_MATCHES: tuple[re.Match[str], ...] = ()
_NUMBER_WORDS = frozenset(_UNITS_WORDS) | frozenset(_SCALES) | {"dozen", "twice"}


def _raw_mentions(sentence: str, masked: list[tuple[int, int]]) -> list[NumberMention]:
    found: list[NumberMention] = []
    spans = list(masked)
    # Each pattern runs only where its words occur: most sentences hold few numbers, and
    # scanning every sentence with every pattern was half of the reader's time.
    words = set(re.findall(r"[a-z]+", sentence.lower()))
    digits = _ANY_DIGIT.search(sentence) is not None
    number_words = bool(words & _NUMBER_WORDS)

    def scan(pattern: re.Pattern[str], wanted: bool) -> Iterable[re.Match[str]]:
        return pattern.finditer(sentence) if wanted else _NO_MATCHES

    def add(mention: NumberMention) -> None:
        found.append(mention)
        spans.append((mention.start, mention.end))

    for match in scan(_HALF_SCALE, "half" in words):
        value = 0.5 * _SCALES[match.group("scale").lower()]
        add(NumberMention(*match.span(), match.group(0), value, value, "count", None))
    for match in scan(_WORDS, bool(words & _SCALES.keys())):
        if _overlaps(*match.span(), spans):
            continue
        words_value = _words_value(match.group("words"))
        if words_value is None or words_value < 100:
            continue
        add(NumberMention(*match.span(), match.group(0), words_value, words_value, "count", None))
    for match in scan(_RATIO, "ratio" in words):
        window = sentence[max(0, match.start() - 60) : match.end() + 10].lower()
        if "ratio" not in window or _overlaps(*match.span(), spans):
            continue
        value = _small_number(match.group("a")) / _small_number(match.group("b"))
        add(NumberMention(*match.span(), match.group(0), value, value, "ratio", "ratio"))
    for match in scan(_ONE_IN, "one" in words and "in" in words):
        if _overlaps(*match.span(), spans):
            continue
        value = round(100.0 / _small_number(match.group("d")), 4)
        add(NumberMention(*match.span(), match.group(0), value, value, "percent", "percent"))
    for match in scan(_FRACTION, bool(words & _FRACTIONS.keys())):
        if _overlaps(*match.span(), spans):
            continue
        if match.group("half"):
            value = 50.0
        else:
            numerator = 1.0 if match.group("n").lower() == "a" else _small_number(match.group("n"))
            value = round(100.0 * numerator * _FRACTIONS[match.group("f").lower()], 4)
        add(NumberMention(*match.span(), match.group(0), value, value, "percent", "percent"))
    for match in scan(_DURATION_WORDS, number_words):
        if _overlaps(*match.span(), spans):
            continue
        value = _small_number(match.group("n"))
        unit = match.group("u").lower().rstrip("s") + "s"
        add(NumberMention(*match.span(), match.group(0), value, value, "duration", unit))
    for match in scan(_MULTIPLIER, bool(words & _MULTIPLIER_VERBS.keys())):
        value = _MULTIPLIER_VERBS[match.group("v").lower()]
        add(NumberMention(*match.span(), match.group(0), value, value, "multiplier", "times"))
    for match in scan(_TIMES, "twice" in words or "times" in words):
        if _overlaps(*match.span(), spans):
            continue
        text = match.group("n") or match.group("n2")
        value = _small_number(text)
        add(NumberMention(*match.span(), match.group(0), value, value, "multiplier", "times"))
    for match in scan(_DIGITS, digits):
        start = match.start("cur") if match.group("cur") else match.start("num")
        if _overlaps(start, match.end(), spans):
            continue
        if _VAGUE_BEFORE.search(sentence[:start]):
            continue
        if _not_a_count(sentence, match):
            continue
        value = float(match.group("num").replace(",", ""))
        if match.group("scale"):
            value *= _SCALES[match.group("scale").lower()]
        elif match.group("short"):
            value *= _SHORT_SCALES[match.group("short").lower()]
        if not math.isfinite(value):  # more digits than a float holds: no figure to claim
            continue
        end = match.end("pct") if match.group("pct") else match.end()
        end = len(sentence[:end].rstrip())
        currency = match.group("cur")
        if match.group("pct"):
            mention = NumberMention(start, end, "", value, value, "percent", "percent")
        elif currency:
            unit = {"$": "usd", "€": "eur", "£": "gbp", "₽": "rub"}[currency]
            mention = NumberMention(start, end, "", value, value, "money", unit)
        else:
            mention = NumberMention(start, end, "", value, value, "count", None)
        mention = _unit_after(sentence, end, mention)
        add(replace(mention, text=sentence[mention.start : mention.end]))
    for match in scan(_SMALL_WORDS, number_words):
        if _overlaps(*match.span("w"), spans) or _VAGUE_BEFORE.search(sentence[: match.start()]):
            continue
        spelled = match.group("w").lower()
        small = 12.0 if spelled == "dozen" else _words_value(spelled)
        if small is None:
            continue
        value = small
        if match.group("pct"):
            add(NumberMention(*match.span(), match.group(0), value, value, "percent", "percent"))
        else:
            mention = NumberMention(*match.span(), match.group(0), value, value, "count", None)
            mention = _unit_after(sentence, match.end(), mention)
            add(replace(mention, text=sentence[mention.start : mention.end]))
    found.sort(key=lambda mention: mention.start)
    return found


def _merge_ranges(sentence: str, mentions: list[NumberMention]) -> list[NumberMention]:
    merged: list[NumberMention] = []
    index = 0
    while index < len(mentions):
        current = mentions[index]
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if following is not None and current.kind in ("count", "percent", "money", "area"):
            between = sentence[current.end : following.start]
            opener = sentence[max(0, current.start - 40) : current.start].lower()
            between_and = re.fullmatch(r"\s*and\s*", between) and re.search(
                r"\bbetween\s*$", opener
            )
            # "from 27 to 25" is a change from one value to another, not a range, unless
            # the verb says range ("estimates ranged from 115,000 to 160,000").
            to_dash = re.fullmatch(r"\s*(to|-|–|—)\s*", between) and not (
                re.search(r"\bfrom\s*$", opener)
                and not re.search(
                    r"\b(rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying)|anywhere)\b", opener
                )
            )
            if between_and or to_dash:
                merged.append(_combine(current, following, sentence))
                index += 2
                continue
        merged.append(current)
        index += 1
    return merged


def _combine(first: NumberMention, second: NumberMention, sentence: str) -> NumberMention:
    low, high = first.low, second.high
    if (
        low is not None
        and high is not None
        and low < high / 100
        and second.low is not None
        and second.text
        and re.search(r"(thousand|million|billion|k|m|bn)\b", second.text, re.I)
    ):
        # "115 to 160 thousand": the scale written once covers both ends.
        low *= high / float(re.sub(r"[^\d.]", "", second.text.split()[0]) or high)
    if low is not None and high is not None and low > high:
        low, high = high, low
    kind = second.kind if first.kind == "count" else first.kind
    unit = second.unit if first.unit is None else first.unit
    return NumberMention(
        first.start,
        second.end,
        sentence[first.start : second.end],
        low,
        high,
        kind,
        unit,
        first.qualifier,
        False,
    )


def _hyphen_range(match: re.Match[str]) -> str:
    low, high = (float(match.group(i).replace(",", "")) for i in (1, 2))
    return f"{match.group(1)}–{match.group(2)}" if low < high else match.group(0)


_HYPHENATED = re.compile(r"(?<![\w.,/-])(\d[\d,]*(?:\.\d+)?)-(\d[\d,]*(?:\.\d+)?)(?![\w-]*\d)")


def find_numbers(sentence: str, masked: list[tuple[int, int]]) -> list[NumberMention]:
    """Return the numbers of ``sentence`` outside the ``masked`` spans (dates), in order.

    A hyphen between two rising numbers is a range ("$20-25 billion"); read as an en dash,
    which keeps every offset.
    """
    if "-" in sentence:
        sentence = _HYPHENATED.sub(_hyphen_range, sentence)
    mentions = [
        mention
        for mention in _raw_mentions(sentence, masked)
        if not (mention.kind == "count" and mention.low is not None and _is_year(mention))
    ]
    mentions = _merge_ranges(sentence, mentions)
    return [_qualify(sentence, mention) for mention in mentions]


def _is_year(mention: NumberMention) -> bool:
    return bool(re.fullmatch(r"(1[7-9]\d\d|20\d\d)", mention.text.strip()))


def _not_a_count(sentence: str, match: re.Match[str]) -> bool:
    """Whether the digits of ``match`` name, rank or date something rather than count it."""
    if match.group("scale") or match.group("short") or match.group("pct"):
        return False
    start, end = match.start("num"), match.end("num")
    if _NOT_A_COUNT_AFTER.match(sentence, end):
        return True
    if match.group("cur"):
        return False
    listed = _LIST_NUMBER.match(sentence)
    if listed is not None and start < listed.end():
        return True
    return bool(_NAMING_WORD.search(sentence[max(0, start - 20) : start]))
