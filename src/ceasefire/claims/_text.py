"""Article text: HTML or plain text in, paragraphs and sentences out, boilerplate dropped.

HTML is read with the standard library's parser: ``<nav>``, ``<footer>``, ``<aside>``,
``<script>``, ``<style>`` and ``<form>`` are dropped whole; the date comes from
``<meta name="date">`` (or ``article:published_time``, ``pubdate``, ``<time datetime>``).
Plain text is read line by line. In both, lines that are scraped boilerplate ("Read : …"
links, share and subscribe prompts, emoji sign-offs, cookie notices) are dropped and
reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Article", "is_boilerplate", "read_article", "split_sentences"]

_SKIP_TAGS = {"nav", "footer", "aside", "script", "style", "form", "noscript", "header"}
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "li", "div", "article", "section", "br", "title"}
_DATE_META = {
    "date",
    "article:published_time",
    "pubdate",
    "publishdate",
    "dc.date",
    "og:published_time",
}
_BOILERPLATE = [
    re.compile(r"^\s*(read|see|watch|related|also read|read more|more)\s*[:：|-]", re.I),
    re.compile(r"^\s*read\s+more\s*$", re.I),
    re.compile(r"^\s*(share|subscribe|sign\s+up|newsletter|follow\s+us|advertisement)\b", re.I),
    re.compile(r"\b(share\s+this|subscribe\s+(to|now)|cookie\s+policy|accept\s+cookies)\b", re.I),
    re.compile(r"\bthanks?\s+(you\s+)?for\s+reading\b", re.I),
    re.compile(r"^\s*(home|menu|search|login|log in)(\s*[|·•]\s*\w+)*\s*$", re.I),
    re.compile(r"©|\ball rights reserved\b", re.I),
]
# Emoji and pictographs (a line carrying them is a sign-off, not reporting).
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\u2764\u270c\ufe0f]"
)
_ABBREVIATIONS = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Sgt|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|"
    r"Dec|No|vs|approx|est|e\.g|i\.e|U\.S|U\.K|etc)\.$"
)


@dataclass
class Article:
    """An article read for claims: its paragraphs, its date, and what was dropped."""

    paragraphs: list[str]
    date: dt.date | None
    title: str | None = None
    dropped_lines: list[str] = field(default_factory=list)

    def sentences(self) -> list[str]:
        """Return the headline (a claim may stand in it) and the paragraphs' sentences."""
        headline = [self.title] if self.title else []
        return headline + [
            sentence for paragraph in self.paragraphs for sentence in split_sentences(paragraph)
        ]


def is_boilerplate(line: str) -> bool:
    """Whether a line is scraped page furniture rather than reporting."""
    text = line.strip()
    if not text:
        return False
    if _EMOJI.search(text) and len(text.split()) <= 25:
        return True
    short = len(text.split()) <= 12
    return any(pattern.search(text) for pattern in _BOILERPLATE) and (
        short or bool(_BOILERPLATE[0].search(text))
    )


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences at ., ! and ? followed by a capital or a quote.

    Decimals ("1.9 million"), initials and common abbreviations ("U.S.", "Gen.") do not end a
    sentence.
    """
    text = re.sub(r"\s+", " ", paragraph).strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])", text):
        candidate = text[start : match.start() + 1]
        if _ABBREVIATIONS.search(candidate) or re.search(r"\b[A-Z]\.$", candidate):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


class _Html(HTMLParser):
    """Collect text blocks in document order, each marked as page furniture or not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self._skip_depth = 0
        self._current: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key.lower(): value or "" for key, value in attrs}
        if tag == "meta":
            key = (values.get("name") or values.get("property") or "").lower()
            if key in _DATE_META and values.get("content"):
                self.meta.setdefault("date", values["content"])
            if key in ("og:site_name", "publisher", "author") and values.get("content"):
                self.meta.setdefault(key, values["content"])
        if tag == "time" and values.get("datetime"):
            self.meta.setdefault("time", values["datetime"])
        if tag == "title":
            self._in_title = True
        if tag in _SKIP_TAGS or tag in _BLOCK_TAGS:
            self._flush()
        if tag in _SKIP_TAGS:
            self._skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if tag in _SKIP_TAGS or tag in _BLOCK_TAGS:
            self._flush()
        if tag in _SKIP_TAGS and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
        else:
            self._current.append(data)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if text:
            self.blocks.append((text, self._skip_depth > 0))
        self._current = []

    def close(self) -> None:
        super().close()
        self._flush()


def _looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(html|body|p|article|div|head)\b", text[:5000], re.IGNORECASE))


def _parse_date(text: str) -> dt.date | None:
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", text)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: a line that starts in lower case continues an unfinished one."""
    blocks: list[str] = []
    for raw in lines:
        line = raw.strip()
        if (
            line
            and blocks
            and blocks[-1]
            and line[0].islower()
            and not re.search(r"[.!?:;\"”’]$", blocks[-1])
        ):
            blocks[-1] = f"{blocks[-1]} {line}"
        else:
            blocks.append(line)
    return blocks


def read_article(text: str, *, date: dt.date | None = None) -> Article:
    """Read an article from HTML or plain text.

    ``date`` (the ``--date`` option) wins over a date found in the HTML metadata.
    """
    dropped: list[str] = []
    kept: list[str] = []
    furniture: set[str]
    title: str | None = None
    found_date: dt.date | None = None
    if _looks_like_html(text):
        parser = _Html()
        parser.feed(text)
        parser.close()
        blocks = [text for text, _ in parser.blocks]
        furniture = {text for text, skipped in parser.blocks if skipped}
        title = parser.title.strip() if parser.title else None
        found_date = _parse_date(parser.meta.get("date", "") or parser.meta.get("time", ""))
    else:
        blocks = _unwrap(text.splitlines())
        furniture = set()
    for block in blocks:
        if not block:
            continue
        if block in furniture or is_boilerplate(block):
            dropped.append(block)
        elif title is not None and block == title:
            continue  # the headline repeats the <title>
        elif (
            title is None
            and not kept
            and block[0].isupper()
            and not re.search(r"[.!?]$", block)
            and len(block) < 120
        ):
            title = block  # a first line without a full stop is the headline
        else:
            kept.append(block)
    return Article(paragraphs=kept, date=date or found_date, title=title, dropped_lines=dropped)
