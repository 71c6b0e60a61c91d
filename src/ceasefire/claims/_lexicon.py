"""Words that say what a number counts, whose it is, how sure the writer is, and how often.

Small hand-made tables for the vocabulary of war-of-attrition reporting in English. Each
table maps a regular expression (matched case-insensitively on word boundaries) to a
normalised label.
"""

from __future__ import annotations

import re

__all__ = [
    "COUNT_CUES",
    "ENTITIES",
    "HEDGES",
    "LOCATION_PREPOSITIONS",
    "MECHANISMS",
    "MONEY_CUES",
    "RATES",
    "STOCK_CUES",
    "compile_table",
]


def compile_table(table: list[tuple[str, str]]) -> list[tuple[re.Pattern[str], str]]:
    """Compile ``(pattern, label)`` pairs, each pattern bounded by word edges."""
    return [(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), label) for pattern, label in table]


# What a count of people or things counts. Rank 0 (phrases) beats rank 1 (specific words),
# which beats rank 2 (loss verbs: "lost 1,500 soldiers" are casualties) and rank 3 (bare
# people nouns: troops in the field).
COUNT_CUES: list[tuple[int, str, str]] = [
    (0, r"killed\s+(?:or|and)\s+(?:injured|wounded)|dead\s+(?:or|and)\s+wounded", "casualties"),
    (0, r"permanent(?:ly)?\s+(?:losses|lost)", "permanent losses"),
    (0, r"signed\s+(?:military\s+)?contracts?|sign(?:s|ing)?\s+(?:up|contracts?)", "recruits"),
    (0, r"absent\s+without\s+leave|awol", "deserters"),
    (0, r"front[\s-]?line", "front line"),
    (1, r"killed|dead|died|deaths?|fatalities|slain", "killed"),
    (1, r"wounded|injured", "wounded"),
    (1, r"casualties|casualty", "casualties"),
    (1, r"convicts?|prisoners?|inmates", "prisoners"),
    (1, r"conscripts?|conscription", "conscripts"),
    (
        1,
        r"recruits?|recruited|recruitment|recruiting|volunteers|enlist(?:ed|s)?|joined",
        "recruits",
    ),
    (
        1,
        r"mobili[sz]ed|mobili[sz]ation|reservists|drafted|calls?\s+up|called\s+up|call-ups?",
        "mobilised",
    ),
    (1, r"deserted|deserters?|desertion", "deserters"),
    (1, r"emigrated|fled|left", "emigrants"),
    (1, r"tanks?", "tanks"),
    (1, r"artillery", "artillery"),
    (1, r"drones?", "drones"),
    (1, r"aircraft|jets|helicopters", "aircraft"),
    (1, r"armou?red\s+vehicles|vehicles", "vehicles"),
    (1, r"brigades?|battalions?|regiments?|divisions?", "units"),
    (2, r"lost|losing|lose|loses|losses|loss", "casualties"),
    (
        3,
        r"troops|soldiers|servicemen|personnel|men|fighters|forces|citizens|people|strength",
        "troops",
    ),
]
# What an amount of money is for (searched in the whole sentence).
MONEY_CUES: list[tuple[str, str]] = [
    (
        r"salar(?:y|ies)|wages?|earn(?:s|ed|ing)?|(?:monthly|minimum|basic|average)\s+pay|"
        r"pay\s+(?:is|of)",
        "salary",
    ),
    (r"budget", "budget"),
    (r"cost(?:s|ing)?|spent|spending", "cost"),
    (r"bonus(?:es)?|payments?|sign-on|signing", "bonus"),
    # Money paid to those who sign up is a bonus unless a salary word says otherwise.
    (r"volunteers?|recruits?|enlistment|enlistees|sign(?:s|ing)?\s+up", "bonus"),
]
# Cues that a count of people is a standing force (a stock), not a flow.
STOCK_CUES = re.compile(
    r"\b(still|are\s+(?:deployed|serving|stationed|in)|at\s+the\s+front|serving|holds?|"
    r"stationed|deployed|field|strength)\b",
    re.IGNORECASE,
)
RATES: list[tuple[str, str]] = [
    (r"(?:a|per|each|every)\s+day|daily|/\s?day|(?:past|last)\s+(?:24\s+hours|day)", "per_day"),
    (r"(?:a|per|each|every)\s+week|weekly|/\s?week", "per_week"),
    (r"(?:a|per|each|every)\s+month|monthly|/\s?month", "per_month"),
    (r"(?:a|per|each|every)\s+year|annually|yearly|/\s?year", "per_year"),
]
HEDGES: list[tuple[str, str]] = [
    (r"estimates?|estimated|estimation", "estimate"),
    (r"reportedly|reported(?=\s+to)|according\s+to|it\s+is\s+reported", "reportedly"),
    (r"may|might|could|perhaps|possibly", "may"),
    (r"suggests?|suggested", "suggest"),
    (r"believes?|believed|thought\s+to", "believe"),
    (r"claims?|claimed|alleged(?:ly)?", "claim"),
    (r"likely|probably", "likely"),
    (r"unverified|unconfirmed", "unverified"),
    (r"appears?|appeared|seems?", "appear"),
]
# Entities, most specific first ("North Korean" before "Korea"). The label of the Russian
# capital depends on its use: the government ("Moscow is paying") or the place ("in Moscow").
ENTITIES: list[tuple[str, str]] = [
    (r"North\s+Korean?s?|Pyongyang|DPRK", "North Korea"),
    (r"Belarus(?:ian|ians|'s)?|Minsk|Lukashenko", "Belarus"),
    (r"Russian\s+Federation|Russia(?:'s|ns?)?|Kremlin|Putin", "Russia"),
    (r"Moscow(?:'s)?", "Russia"),
    (r"Ukrain(?:e|e's|ian|ians)|Kyiv|Kiev|Zelensk(?:y|yy|iy)", "Ukraine"),
    (
        r"Bashkortostan|Chechnya|Yakutia|Sakha|Dagestan|Tuva|Buryatia|Kursk|Belgorod|Bryansk|"
        r"Donetsk|Luhansk|Zaporizhzhia|Kherson|Crimea|Kharkiv|Tatarstan|St\.?\s+Petersburg",
        "region",
    ),
]
LOCATION_PREPOSITIONS = re.compile(
    r"\b(in|into|to|from|across|around|near|inside|at|of\s+the\s+republic\s+of)\s+(the\s+)?$",
    re.IGNORECASE,
)
# Mechanisms a scenario can take up as a channel or a policy, found with or without numbers.
# (pattern, kind, name, parameter of the default scenario or None)
MECHANISMS: list[tuple[str, str, str, str | None]] = [
    (
        r"prisoners?|convicts?|penal\s+colon(?:y|ies)|inmates|storm-z",
        "channel",
        "prisoner recruitment",
        "sides.russia.channels.prisoners",
    ),
    (
        r"north\s+korean\s+(?:soldiers|troops|forces|contingent)|troops\s+from\s+north\s+korea",
        "channel",
        "North Korean troops",
        "sides.russia.channels.north_korea",
    ),
    (
        r"belarus(?:ian)?\b.{0,60}\b(?:army|troops|forces)|minsk\s+were\s+pressed",
        "channel",
        "Belarusian army (candidate ally)",
        None,
    ),
    (r"mercenar(?:y|ies)|foreign\s+(?:fighters|recruits)", "channel", "foreign recruits", None),
    (
        r"mobili[sz]ation|mobili[sz]ed|reservists",
        "channel",
        "mobilised reservists",
        "sides.russia.channels.mobilised",
    ),
    (
        r"(?:draft|conscription|mobili[sz]ation|call-up)\s+law",
        "policy",
        "draft law",
        None,
    ),
    (
        r"(?:digital|electronic|online)\s+(?:draft|call-up|summons|summonses|notices|papers)|"
        r"(?:notices|summonses)\s+(?:are\s+)?(?:now\s+)?sent\s+(?:digitally|electronically)",
        "policy",
        "electronic draft notices",
        None,
    ),
    (
        r"exit\s+ban|(?:may\s+not|cannot|barred\s+from|banned\s+from)\s+leav(?:e|ing)",
        "policy",
        "exit ban",
        None,
    ),
    (
        r"(?:bonus(?:es)?|sign-on\s+payments?)\b.{0,40}\b(?:doubled|raised|increased|tripled)|"
        r"(?:doubled|raised|increased|tripled)\s+(?:\w+\s+){0,2}bonus(?:es)?",
        "incentive",
        "sign-on bonus",
        "sides.russia.channels.contract.incentive.bonus",
    ),
    (r"salar(?:y|ies)|wages?", "incentive", "pay", None),
    (
        r"evad(?:e|ing)|evasion|fak(?:e|ed|ing)|falsif(?:y|ied)|self-harm|dodg(?:e|ing|ers)",
        "policy",
        "draft evasion",
        None,
    ),
    (
        r"poorer\s+regions|ethnic\s+republics|poorer\s+republics|periphery|peripheral",
        "pattern",
        "recruitment from poorer regions",
        None,
    ),
]
