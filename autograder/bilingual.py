"""Whether a text a student reads is in Chinese first with English beside it (issue #21).

The rules are those of the notebook format (Chinese, then one ``---`` line, then English; headings
"中文 · English") and of the visible checks' message table. Only prose is weighed: code, math,
tables, quotes of the course notes, links and HTML are set aside first, as they may appear once,
in the Chinese part.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

# Thresholds, in one place so that the report and the tests can say them.
MIN_HAN = 2  # a Chinese part has at least this many Chinese characters ...
MIN_HAN_PER_WORD = 2.0  # ... and at least this many per English word in it (terms in brackets not counted)
MIN_WORDS = 2  # an English part has at least this many English words ...
MAX_HAN_IN_ENGLISH = 0  # ... and no Chinese character outside brackets or 《》
# The English part of a translated cell has 0.5 to 0.8 words per Chinese character of the Chinese part
# (measured on the first translated notebooks); outside this range one part says much less than the other.
WORDS_PER_HAN = (0.2, 2.0)
MIN_HAN_TO_COMPARE = 20  # shorter parts are not compared in length

SEPARATOR = "---"
HEADING_JOIN = " · "

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")  # English words of two letters or more
_FENCE = re.compile(r"^\s*(```|~~~)")
_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"\$[^$\n]+\$")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_HTML_TAG = re.compile(r"<[^>\n]+>")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]|《[^《》]*》")  # a term in brackets, a title in 《》
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def han_count(text: str) -> int:
    """How many Chinese characters (CJK ideographs) the text has."""
    return len(_HAN.findall(text))


def english_words(text: str) -> list[str]:
    """The English words (two letters or more) of the text."""
    return _WORD.findall(text)


def prose(markdown: str) -> str:
    """The words of Markdown a reader reads as language: without code blocks, math, inline code, tables,
    quotes, link targets, URLs and HTML tags."""
    kept, fenced = [], False
    for line in _DISPLAY_MATH.sub(" ", markdown).splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        stripped = line.strip()
        if fenced or stripped.startswith((">", "|")):
            continue
        kept.append(line)
    text = "\n".join(kept)
    for pattern in (_INLINE_CODE, _INLINE_MATH, _LINK_TARGET, _URL, _HTML_TAG):
        text = pattern.sub(" ", text)
    return text


def _without_bracketed(text: str, keep) -> str:
    """The text without bracketed groups for which ``keep`` is false (innermost groups first)."""
    while True:
        changed = _BRACKETED.sub(lambda m: m.group(0) if keep(m.group(0)) else " ", text)
        if changed == text:
            return changed
        text = changed


def chinese_problem(part: str) -> str | None:
    """Why ``part`` (prose) is not a Chinese text, or None. English terms in brackets are fine."""
    han = han_count(part)
    words = len(english_words(_without_bracketed(part, keep=han_count)))
    if han < MIN_HAN:
        return f"no Chinese ({han} Chinese characters, {words} English words)"
    if han < MIN_HAN_PER_WORD * words:
        return f"mostly English ({han} Chinese characters for {words} English words)"
    return None


def english_problem(part: str) -> str | None:
    """Why ``part`` (prose) is not an English text, or None. A Chinese term in brackets is fine."""
    words = len(english_words(part))
    if words < MIN_WORDS:
        return f"no English ({words} English words)"
    stray = han_count(_without_bracketed(part, keep=lambda group: False))
    if stray > MAX_HAN_IN_ENGLISH:
        return f"Chinese outside brackets in the English part ({stray} characters)"
    return None


def heading_problem(line: str) -> str | None:
    """Why a Markdown heading line is not "中文 · English", or None."""
    text = _HEADING.sub("", line).strip()
    chinese, join, english = text.partition(HEADING_JOIN)
    if not join:
        if not han_count(_without_bracketed(text, keep=lambda group: False)):
            return f"heading in English only: {text!r}"
        if not english_words(prose(text)):
            return f"heading in Chinese only: {text!r}"
        return f"heading without ' · ' between Chinese and English: {text!r}"
    if not han_count(chinese):
        return f"heading without Chinese before ' · ': {text!r}"
    if not english_words(prose(english)) or han_count(_without_bracketed(prose(english), lambda g: False)):
        return f"heading without English after ' · ': {text!r}"
    return None


def _separator_lines(lines: list[str]) -> list[int]:
    """Indices of ``---`` lines outside fenced code."""
    found, fenced = [], False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.strip() == SEPARATOR:
            found.append(i)
    return found


def markdown_problems(markdown: str) -> list[str]:
    """Why a student-facing Markdown cell does not follow the bilingual format (empty when it does)."""
    lines = markdown.splitlines()
    if not han_count(prose(markdown)) and not english_words(prose(markdown)):
        return []  # nothing to read as language (an image, a rule, an empty cell)
    headings = [line for line in lines if _HEADING.match(line)]
    problems = [p for p in map(heading_problem, headings) if p]
    leading = 0
    while leading < len(lines) and (not lines[leading].strip() or _HEADING.match(lines[leading])):
        leading += 1
    body = lines[leading:]
    if not any(line.strip() for line in body):
        return problems  # a heading-only cell
    separators = _separator_lines(body)
    if len(separators) > 1:
        return [*problems, f"{len(separators)} '---' lines (exactly one separates Chinese from English)"]
    if not separators:
        text = prose("\n".join(line for line in body if not _HEADING.match(line)))
        if chinese_problem(text) and not english_problem(text):
            return [*problems, "English without Chinese (no '---' line, no Chinese part)"]
        if english_problem(text) and not chinese_problem(text):
            return [*problems, "Chinese without English (no '---' line, no English part)"]
        return [*problems, "no '---' line between the Chinese and the English part"]
    chinese = prose("\n".join(line for line in body[: separators[0]] if not _HEADING.match(line)))
    english = prose("\n".join(line for line in body[separators[0] + 1 :] if not _HEADING.match(line)))
    why = chinese_problem(chinese)
    if why:
        problems.append(f"the part before '---' is not Chinese: {why}")
    why = english_problem(english)
    if why:
        problems.append(f"the part after '---' is not English: {why}")
    why = length_problem(chinese, english)
    if why:
        problems.append(why)
    return problems


def length_problem(chinese: str, english: str) -> str | None:
    """Whether one part is much shorter than the other would be if it said the same."""
    han, words = han_count(chinese), len(english_words(english))
    if han < MIN_HAN_TO_COMPARE or not words:
        return None
    low, high = WORDS_PER_HAN
    if not low <= words / han <= high:
        return (
            f"the parts do not say the same: {han} Chinese characters against {words} English words "
            f"(a translation has {low} to {high} words per character)"
        )
    return None


def is_written_answer(cell: dict) -> bool:
    """A Markdown cell the student writes in (nbgrader's manually graded answer cell)."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def notebook_problems(cells: Iterable[dict]) -> list[str]:
    """ "cell N (grade_id): reason" for every Markdown cell a student reads that breaks the format."""
    found = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown" or is_written_answer(cell):
            continue
        source = cell.get("source", "")
        source = source if isinstance(source, str) else "".join(source)
        name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        for problem in markdown_problems(source):
            found.append(f"cell {index}{f' ({name})' if name else ''}: {problem}")
    return found


_FIELD = re.compile(r"\{[^{}]*\}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def message_problems(zh: str, en: str) -> list[str]:
    """Why a (Chinese, English) message pair is not the same message in both languages."""
    problems = []
    if not han_count(zh):
        problems.append(f"the Chinese text has no Chinese: {zh!r}")
    if not english_words(_FIELD.sub(" ", en)):
        problems.append(f"the English text has no English: {en!r}")
    if han_count(en):
        problems.append(f"the English text has Chinese: {en!r}")
    fields = [sorted(_FIELD.findall(text)) for text in (zh, en)]
    if fields[0] != fields[1]:
        problems.append(f"different fields: {fields[0]} and {fields[1]}")
    numbers = [sorted(set(_NUMBER.findall(_FIELD.sub(" ", text)))) for text in (zh, en)]
    if numbers[0] != numbers[1]:
        problems.append(f"different numbers: {numbers[0]} and {numbers[1]}")
    return problems


def printed_line_problem(line: str) -> str | None:
    """Why a line a visible check printed as a message ("中文 / English[: value]") is not bilingual."""
    chinese, join, english = line.partition(" / ")
    if not join or not han_count(chinese):
        return f"no Chinese first: {line!r}"
    if not english_words(english.strip(string.whitespace)):
        return f"no English after ' / ': {line!r}"
    return None
