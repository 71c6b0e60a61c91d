"""Whether a sentence asserts what it says, and the comparisons it makes without numbers.

A quantity is a *checkable* claim when the sentence states it as a fact about the world. It
is not one in a question ("Is America better off than it was 4 years ago?"), a plan, promise
or wish ("I want to increase spending 14 percent", "we will hire 10,000 teachers"), a
condition ("if we cut the rate to 25 percent"), an instruction ("let me give you two
examples") or a personal aside ("I've known him for 35 years"); nor is a span of time that
only places a statement in time ("four years ago"), or a small count in words of something
the war vocabulary does not name ("the two leaders", ``_generic.incidental``). The reader
still lists such quantities, marked with the reason, so that nothing it read is hidden.

Acts on the record are events without a date: a vote, a veto, a law signed, passed or
ratified ("the Duma passed the bill", "he voted against it"). They become claims of kind
``event`` (``counts: record``) when a sentence has neither numbers nor dates.

Comparisons and trends state a quantitative fact without a number: "more coal this year than
ever before", "the highest unemployment since the Great Depression", "inflation has gone
down". They become claims of kind ``comparison`` when a sentence has no number.

These rules were written for issue 20 against the ClaimBuster debate sentences (Arslan et
al. 2020; ``benchmarks/claims_claimbuster.py``).
"""

from __future__ import annotations

import re

__all__ = ["comparisons", "not_checkable", "records"]

_QUESTION = re.compile(r"\?\s*[\"'”’)]*\s*$")
_FIRST_PERSON_FUTURE = re.compile(
    r"\b(?:I|we|you)\s*(?:'ll|’ll|will|would|'d|’d|shall|am\s+going\s+to|'m\s+going\s+to|"
    r"’m\s+going\s+to|are\s+going\s+to|'re\s+going\s+to|’re\s+going\s+to|want(?:ed)?\s+to|"
    r"intend\s+to|plan\s+to|propose|proposed|hope|wish|need\s+to|must|should|ought\s+to|"
    r"can|could|support|favou?r|believe\s+we\s+should)\b",
    re.IGNORECASE,
)
_PLAN = re.compile(
    r"\b(?:my|our)\s+(?:plan|proposal|program|programme|budget|administration\s+will)\b|"
    r"\bunder\s+(?:my|our|his|her|their)\s+(?:plan|proposal|program)\b|"
    r"\b(?:let\s+me|let's|let\s+us|i\s+ask|i'm\s+asking|i\s+call\s+on|i\s+urge)\b|"
    r"\b(?:will|would|is\s+going\s+to|are\s+going\s+to)\s+(?:\w+\s+)?(?:be|have|cost|give|"
    r"get|make|create|bring|cut|raise|add|save|provide|take|put|spend|send|need)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"(?:^|[,;:]\s*|\b(?:and|but)\s+)(?:if|unless|suppose|imagine)\b", re.I)
_PERSONAL = re.compile(
    r"\b(?:I|I've|I’ve|I\s+have|I'd|I\s+had|my\s+(?:wife|husband|father|mother|family|son|"
    r"daughter|children|kids|friend|grandfather|grandmother))\b",
)
_MODAL = re.compile(r"\b(?:would|could|might|may|should|must|will|'ll|'d)\b", re.IGNORECASE)


def not_checkable(sentence: str, start: int, *, duration: bool = False) -> str | None:
    """Return why the quantity at ``start`` is not a checkable claim, or ``None`` if it is.

    ``duration`` marks a span of time ("for 35 years", "four years ago"): it places a
    statement in time rather than stating a quantity ("time span"), and told in the first
    person singular it is a personal aside.
    """
    if _QUESTION.search(sentence):
        return "question"
    clause_start = max(sentence.rfind(mark, 0, start) for mark in (";", " -- ", " — ", ": "))
    before = sentence[clause_start + 1 if clause_start >= 0 else 0 : start]
    if _CONDITION.search(before):
        return "condition"
    if _FIRST_PERSON_FUTURE.search(before) or _PLAN.search(before):
        return "plan"
    if duration:
        return "personal" if _PERSONAL.search(sentence) else "time span"
    return None


_COMPARISONS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:more|less|fewer|higher|lower|larger|bigger|smaller|greater|faster|slower|"
            r"cheaper|costlier|deadlier|stronger|weaker)\b(?:\s+[\w'-]+){0,6}?\s+than\s+"
            r"(?:ever|any|at\s+any|in\s+any|all|the\s+(?:previous|last|entire|whole|rest)|"
            r"it\s+(?:was|is|has)|they\s+(?:were|are)|we\s+(?:were|are|have)|before|"
            r"(?:the\s+)?(?:united\s+states|america|russia|ukraine|china|soviet|japan|germany|"
            r"europe|nato)|a\s+(?:billionaire|millionaire|janitor|teacher|soldier))\b",
            re.IGNORECASE,
        ),
        "comparison",
    ),
    (
        re.compile(
            r"\b(?:the\s+)?(?:largest|highest|lowest|biggest|fastest|smallest|longest|deepest|"
            r"heaviest|deadliest|least)\b(?:\s+[\w'-]+){0,6}?\s+"
            r"(?:ever|in\s+(?:our\s+|the\s+|\w+\s+)?history|in\s+the\s+(?:world|country|nation)|"
            r"since\s+(?:the\s+)?(?:great|world|second|first|\w+\s+war|[A-Z])|of\s+any|"
            r"in\s+(?:\w+\s+){0,2}(?:years|decades|century|generation)|on\s+record)\b",
            re.IGNORECASE,
        ),
        "comparison",
    ),
    (
        re.compile(
            r"\b(?:has|have|had)\s+(?:\w+\s+)?(?:gone\s+(?:up|down)|risen|fallen|dropped|"
            r"increased|decreased|declined|grown|doubled|tripled|quadrupled|halved|soared|"
            r"plummeted|shrunk|shrunken|skyrocketed)\b|"
            r"\b(?:went|gone|is|are|was|were)\s+(?:way\s+)?(?:up|down)\b(?!\s+(?:to|there|here|the))",
            re.IGNORECASE,
        ),
        "trend",
    ),
    (
        re.compile(
            r"\b(?:cut|raised|increased|reduced|slashed|lowered|doubled|tripled|"
            r"brought\s+down|balanced|eliminated)\s+(?:the\s+|our\s+|their\s+|its\s+|his\s+)?"
            r"(?:\w+\s+)?(?:tax(?:es)?|deficits?|debt|spending|budgets?|unemployment|inflation|"
            r"interest\s+rates?|prices?|wages?|payroll|troops|forces|casualties|losses|"
            r"defen[cs]e\s+spending|military\s+spending)\b",
            re.IGNORECASE,
        ),
        "trend",
    ),
]


def comparisons(sentence: str) -> list[tuple[int, int, str, str]]:
    """Return ``(start, end, text, label)`` for each comparison or trend, earliest first."""
    found: list[tuple[int, int, str, str]] = []
    for pattern, label in _COMPARISONS:
        for match in pattern.finditer(sentence):
            clause = sentence[: match.start()].rsplit(",", 1)[-1]
            if _MODAL.search(clause):
                continue  # "would matter less than": a judgement, not a measured fact
            if not any(match.start() < end and start < match.end() for start, end, *_ in found):
                found.append((match.start(), match.end(), match.group(0), label))
    found.sort()
    return found


_RECORD = re.compile(
    r"\b(?:voted|vetoed|vote[sd]?\s+against|co-?sponsored|sponsored|"
    r"signed\s+(?:\w+\s+){0,3}?(?:into\s+law|law|bill|decree|treaty|agreement|order)|"
    r"(?:passed|enacted|ratified|repealed|adopted)\s+(?:the\s+|a\s+|an\s+|its\s+|his\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?:laws?|bills?|act|amendments?|treaty|resolutions?|decrees?|"
    r"legislation))\b",
    re.IGNORECASE,
)


def records(sentence: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, text)`` for each act on the record (a vote, veto or law)."""
    return [(match.start(), match.end(), match.group(0)) for match in _RECORD.finditer(sentence)]
