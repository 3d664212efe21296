"""Right-to-left order and HarfBuzz shaping for reportlab Paragraphs (careteams.pdf_fonts).

reportlab 5 shapes each word with HarfBuzz (uharfbuzz) when a style has `shaping=1`: Arabic
letters join, Devanagari, Bengali and Gurmukhi vowel signs and conjuncts form, and HarfBuzz
returns a right-to-left word's glyphs in visual order. Two gaps remain, filled here:

- Word order. reportlab orders right-to-left words only with its optional `rlbidi`, which is not
  on PyPI. Our documents are left-to-right, so `visual_order` reverses each run of right-to-left
  words in a line (the Unicode bidi algorithm's result for a left-to-right paragraph, at word
  level); HarfBuzz orders the letters within each word.
- Words in two fonts, such as "(فاطمة)" with brackets from DejaVu. reportlab shapes the whole
  word with its first font and then fails on the other font's glyph ids. `install` wraps
  reportlab's `shapeFragWord` to shape each font's part of a word on its own, and to leave words
  with nothing to shape (Latin, Greek, Cyrillic, CJK) exactly as unshaped text prints them.
"""

import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedFragWord, makeShapedFragWord
from reportlab.platypus import paragraph

# Scripts whose letters change shape or order: Hebrew, Arabic (and Syriac, Thaana, NKo),
# Devanagari to Malayalam, Sinhala, Thai to Tibetan, Myanmar, and the Arabic presentation forms.
SHAPED = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0xFB1D, 0xFEFF))
RIGHT_TO_LEFT = frozenset(("R", "AL"))
LEFT_TO_RIGHT = "L"


@cache
def _shaped_char(char: str) -> bool:
    point = ord(char)
    return any(lo <= point <= hi for lo, hi in SHAPED)


def needs_shaping(text: str) -> bool:
    return not text.isascii() and any(_shaped_char(c) for c in text)


def _direction(word: str) -> str:
    """'R' for a word with right-to-left letters and no left-to-right ones, 'L' for a word with
    left-to-right letters, 'N' for neither (numbers, punctuation)."""
    kinds = {unicodedata.bidirectional(c) for c in word}
    if LEFT_TO_RIGHT in kinds:
        return "L"
    return "R" if kinds & RIGHT_TO_LEFT else "N"


def _edges(word: str) -> tuple[str, str, str]:
    """`word` as (leading neutrals, the rest, trailing neutrals) around its right-to-left
    letters: "(فاطمة)," gives ("(", "فاطمة", "),")."""
    strong = [i for i, c in enumerate(word) if unicodedata.bidirectional(c) in RIGHT_TO_LEFT]
    first, last = strong[0], strong[-1] + 1
    return word[:first], word[first:last], word[last:]


def visual_order(line: str) -> str:
    """`line` with each run of right-to-left words (and the numbers and punctuation between
    them) in reverse order, as a left-to-right paragraph shows them. Punctuation before the
    run's first letter and after its last stays where it is: it belongs to the left-to-right
    text around the run."""
    if line.isascii():
        return line
    words = line.split(" ")
    kinds = [_direction(w) for w in words]
    out: list[str] = []
    index = 0
    while index < len(words):
        if kinds[index] != "R":
            out.append(words[index])
            index += 1
            continue
        end = index
        for probe in range(index, len(words)):
            if kinds[probe] == "L":
                break
            if kinds[probe] == "R":
                end = probe
        if end == index:
            out.append(words[index])
        else:
            lead, first, _ = _edges(words[index])
            _, last, trail = _edges(words[end])
            run = [first, *words[index + 1 : end], last]
            out.append(lead + " ".join(reversed(run)) + trail)
        index = end + 1
    return " ".join(out)


Word = list[Any]  # reportlab's frag word: [width, (frag, text), (frag, text), ...]


def _by_font(shape: Callable[[Word], Word]) -> Callable[[Word], Word]:
    def shape_by_font(word: Word) -> Word:
        if isinstance(word, ShapedFragWord):
            return word
        parts = word[1:]
        if not any(needs_shaping(text) for _, text in parts):
            return word
        if any(hasattr(frag, "cbDefn") for frag, _ in parts):
            return shape(word)
        groups: list[list[tuple[Any, str]]] = []
        for frag, text in parts:
            if groups and groups[-1][0][0].fontName == frag.fontName:
                groups[-1].append((frag, text))
            else:
                groups.append([(frag, text)])
        if len(groups) == 1:
            return shape(word)
        shaped = [
            shape([sum(stringWidth(t, f.fontName, f.fontSize) for f, t in g), *g]) for g in groups
        ]
        joined = makeShapedFragWord(word)([sum(s[0] for s in shaped)])
        for part in shaped:
            joined.extend(part[1:])
        return joined

    shape_by_font.wrapped = shape  # type: ignore[attr-defined]
    return shape_by_font


def install() -> None:
    """Wrap the shaping that reportlab's Paragraph calls (once per process)."""
    if not hasattr(paragraph.shapeFragWord, "wrapped"):
        paragraph.shapeFragWord = _by_font(paragraph.shapeFragWord)
