"""What a number counts when the war vocabulary does not name it: the noun that follows it.

"37 terrorist acts in 20 countries" counts ``acts`` and ``countries``; "3,000 glide bombs a
month" counts ``bombs``. The head of the noun phrase after the number is its last word before
a word that cannot be part of it (a preposition, conjunction, determiner, pronoun, auxiliary
or punctuation), at most four words on. A number without such a noun ("the other 15,000")
counts ``quantity``.
"""

from __future__ import annotations

import re

from ceasefire.claims._numbers import NumberMention

__all__ = ["GENERIC", "generic_counts", "head_noun", "incidental"]

GENERIC = "quantity"
_STOP_WORDS = """
    a an the of in on at to for from by with and or but nor that which who whom whose is are was
    were be been being am have has had will would can could should may might must shall do
    does did than as per each every this these those it its they them their we our us he him
    his she her you your i me my there here not no less if when while because so since
    until into onto over under about after before during across against between through up
    down out off around among within without toward towards like just only also even still
    already then now ago later earlier last next this a day week month year annually alone
    each apiece
"""
_STOP = frozenset(_STOP_WORDS.split())
# Words between a number and its noun that say which or how many more: skipped, never heads.
_MODIFIERS = frozenset(["more", "additional", "extra", "further", "other", "new", "fewer"])
# A plural designation is a noun: "20 F-16s", "12 T-72s".
_DESIGNATIONS = re.compile(r"^[a-z]+-?\d+s$")
_WORD = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9'’-]*)")
_NOT_A_NOUN = re.compile(r"(?:ly|ing)$|^[a-z]+ed$")


def head_noun(sentence: str, end: int) -> str | None:
    """Return the head noun of the phrase that starts at ``end``, lower-cased, or ``None``.

    Up to three words are read, up to the first word that cannot be in a noun phrase; the
    head is the first plural among them ("17 new taxes", "two leaders met"), else the first.
    A word with digits ("155mm", "F-16") qualifies a noun but is never its head.
    """
    words: list[str] = []
    position = end
    for _ in range(3):
        match = _WORD.match(sentence, position)
        if match is None:
            break
        lowered = match.group(1).lower().rstrip("'’")
        if lowered in _STOP:
            break
        if lowered not in _MODIFIERS:
            words.append(lowered)
        position = match.end()
        if sentence[position : position + 1] in (",", ";", ":", ".", "?", "!", ")"):
            break
    nouns = [
        w
        for w in words
        if (not any(c.isdigit() for c in w) or _DESIGNATIONS.match(w)) and not _NOT_A_NOUN.search(w)
    ]
    nouns = [w for w in nouns if len(w) >= 3]
    plural = [w for w in nouns if w.endswith("s") and not w.endswith("ss")]
    return plural[0] if plural else nouns[0] if nouns else None


def generic_counts(sentence: str, mention: NumberMention) -> str:
    """Return what a number counts where the war vocabulary does not say: its noun, or a kind."""
    if mention.kind == "duration":
        return "duration"
    if mention.kind == "money":
        return "money"
    return head_noun(sentence, mention.end) or GENERIC


def incidental(mention: NumberMention) -> bool:
    """Whether a count is incidental: under ten, in words, of what the lexicon does not name.

    "The two leaders", "three options".

    News style writes small numbers in words; where such a number is the point of a claim it
    counts something the vocabulary knows ("three soldiers were killed").
    """
    return (
        mention.kind == "count"
        and mention.high is not None
        and mention.high < 10
        and not any(character.isdigit() for character in mention.text)
    )
