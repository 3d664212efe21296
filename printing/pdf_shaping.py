"""Right-to-left order and HarfBuzz shaping for reportlab Paragraphs (printing.pdf_fonts).

reportlab 5 shapes each word with HarfBuzz (uharfbuzz) when a style has `shaping=1`: Arabic
letters join, Devanagari, Bengali and Gurmukhi vowel signs and conjuncts form, and HarfBuzz
returns a right-to-left word's glyphs in visual order. Three gaps remain, filled here:

- Word order. reportlab orders right-to-left words only with its optional `rlbidi`, which is not
  on PyPI. Our documents are left-to-right, so `visual_order` reverses each run of right-to-left
  words in a line (the Unicode bidi algorithm's result for a left-to-right paragraph, at word
  level); HarfBuzz orders the letters within each word. It orders each line once the lines are
  broken (pdf_fonts.LineOrderedParagraph), so a name wraps first word first.
- Words in two fonts, such as "(فاطمة)" with brackets from DejaVu. reportlab shapes the whole
  word with its first font and then fails on the other font's glyph ids. `install` wraps
  reportlab's `shapeFragWord` to shape each font's part of a word on its own, and to leave words
  with nothing to shape (Latin, Greek, Cyrillic, CJK) exactly as unshaped text prints them.
- Copying the text. A glyph that stands for several letters (a Devanagari conjunct such as क्ष)
  has no character of its own: reportlab gives it a private-use one, and its ToUnicode map then
  says the PDF shows that private character, so pdftotext and copy-and-paste lose the letters.
  `install` writes the letters of such a glyph (one glyph, one HarfBuzz cluster) into the map.
  Where glyphs are reordered or merged (the vowel sign ि drawn before its consonant, a reph
  drawn after), no per-glyph map can be right: a left-to-right word with such glyphs is wrapped
  in a marked-content span whose ActualText is the word as written (PDF 32000-1, 14.9.4).
  Right-to-left words need no span: readers put right-to-left text in logical order themselves
  (an ActualText span would be reversed again). Their glyphs must map to letters, though: a
  joined or pointed form the font has a character for (ﻓ, שׁ) is written into the map as its
  letters, and a glyph of several letters (the ligature لا) as its letters backwards, since
  readers reverse a right-to-left run character by character.
"""

import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedFragWord, ShapedStr, makeShapedFragWord
from reportlab.pdfgen import textobject
from reportlab.platypus import paragraph

# Scripts whose letters change shape or order: Hebrew, Arabic (and Syriac, Thaana, NKo),
# Devanagari to Malayalam, Sinhala, Thai to Tibetan, Myanmar, and the Arabic presentation forms.
SHAPED = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0xFB1D, 0xFEFF))
RIGHT_TO_LEFT = frozenset(("R", "AL"))
LEFT_TO_RIGHT = "L"
# Hebrew and Arabic presentation forms: a font's glyph for a joined or pointed letter.
PRESENTATION_FORMS = ((0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


@cache
def _shaped_char(char: str) -> bool:
    point = ord(char)
    return any(lo <= point <= hi for lo, hi in SHAPED)


def needs_shaping(text: str) -> bool:
    return not text.isascii() and any(_shaped_char(c) for c in text)


def has_right_to_left(text: str) -> bool:
    return not text.isascii() and any(unicodedata.bidirectional(c) in RIGHT_TO_LEFT for c in text)


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
PRIVATE_USE = range(0xE000, 0xF900)
# Per font (as its ToUnicode map names it, without the subset prefix): private character ->
# the letters its glyph was shaped from.
SPELLINGS: dict[str, dict[int, str]] = {}
# (font name, glyphs of a shaped word) -> the word as written, for the words that need a span;
# the oldest words are forgotten past ACTUAL_TEXT_WORDS (a word is drawn soon after it is shaped).
ACTUAL_TEXT: dict[tuple[str, str], str] = {}
ACTUAL_TEXT_WORDS = 20_000


def _face_key(font_name: str) -> str:
    face = pdfmetrics.getFont(font_name).face
    return bytes(face.name + face.subfontNameX).decode("latin-1")


def _note_spellings(text: str, shaped: Word) -> None:
    """Record the letters of `text` that each private glyph of `shaped` (the glyphs of `text`
    in one font) stands for, where that glyph is all of its cluster; and `text` itself as the
    actual text of a left-to-right word whose glyphs do not read back as `text`."""
    glyphs = [
        (char, data.cluster, frag.fontName)
        for frag, out in shaped[1:]
        if isinstance(out, ShapedStr)
        for char, data in zip(out, out.__shapeData__, strict=False)
    ]
    if not glyphs:
        return
    starts = sorted({cluster for _, cluster, _ in glyphs})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    sizes = Counter(cluster for _, cluster, _ in glyphs)
    font = glyphs[0][2]
    spellings = SPELLINGS.setdefault(_face_key(font), {})
    for char, cluster, _ in glyphs:
        if ord(char) in PRIVATE_USE and sizes[cluster] == 1 and char not in text:
            spellings.setdefault(ord(char), _drawn_order(text[cluster : ends[cluster]]))
    drawn = "".join(spellings.get(ord(char), char) for char, _, _ in glyphs)
    if drawn != text and not any(unicodedata.bidirectional(c) in RIGHT_TO_LEFT for c in text):
        ACTUAL_TEXT[(font, "".join(char for char, _, _ in glyphs))] = text
        if len(ACTUAL_TEXT) > ACTUAL_TEXT_WORDS:
            del ACTUAL_TEXT[next(iter(ACTUAL_TEXT))]


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap for a font subset, with private characters spelled out and
    characters beyond the BMP in UTF-16 (reportlab writes their code point as it is)."""
    cmap: str = _reportlab_to_unicode_cmap(fontname, subset)
    spellings = SPELLINGS.get(fontname.partition("+")[2], {})
    for code, point in enumerate(subset):
        letters = spellings.get(point) or _letters_of_form(point)
        if letters:
            utf16 = letters.encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{code:02X}> <{point:04X}>", f"<{code:02X}> <{utf16}>", 1)
    return cmap


@cache
def _letters_of_form(point: int) -> str | None:
    """The letters a presentation form stands for (ﻓ is ف, ﻻ is لا), and a character beyond the
    BMP as itself; None for any other character, which reportlab maps right."""
    if any(lo <= point <= hi for lo, hi in PRESENTATION_FORMS):
        return _drawn_order(unicodedata.normalize("NFKC", chr(point)))
    return chr(point) if point > 0xFFFF else None


def _drawn_order(letters: str) -> str:
    """The letters of one glyph in the order a reader expects them in the ToUnicode map: a
    right-to-left glyph's backwards. Readers (poppler, pdf.js) take a right-to-left run's glyphs
    from left to right and reverse the characters they map to, so the ligature لا, mapped to
    "ال", reads back as "لا" within its word."""
    if len(letters) > 1 and any(unicodedata.bidirectional(c) in RIGHT_TO_LEFT for c in letters):
        return letters[::-1]
    return letters


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _by_font(shape: Callable[[Word], Word]) -> Callable[[Word], Word]:
    def shape_by_font(word: Word) -> Word:
        if isinstance(word, ShapedFragWord):
            return cast(Word, word)  # reportlab's class is untyped; it is a list all the same
        parts: Word = word[1:]
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
            return _spelled(shape, word)
        shaped = [
            _spelled(shape, [sum(stringWidth(t, f.fontName, f.fontSize) for f, t in g), *g])
            for g in groups
        ]
        joined: Word = makeShapedFragWord(word)([sum(s[0] for s in shaped)])
        for part in shaped:
            joined.extend(part[1:])
        return joined

    shape_by_font.wrapped = shape  # type: ignore[attr-defined]
    return shape_by_font


def _spelled(shape: Callable[[Word], Word], word: Word) -> Word:
    shaped = shape(word)
    if shaped is not word:
        _note_spellings("".join(text for _, text in word[1:]), shaped)
    return shaped


def _with_actual_text(
    format_text: Callable[[Any, str], str],
) -> Callable[[Any, str], str]:
    def format_text_spanned(self: Any, text: str) -> str:
        if not isinstance(text, ShapedStr) or not ACTUAL_TEXT:
            return format_text(self, text)
        out, start = [], 0
        for word in str(text).split(" "):
            piece = text[start : start + len(word) + 1]
            actual = ACTUAL_TEXT.get((self._fontname, word))
            if actual is None:
                out.append(format_text(self, piece))
            else:
                marked = (actual + piece[len(word) :]).encode("utf-16-be").hex().upper()
                drawn = format_text(self, piece)
                out.append(f"/Span <</ActualText <FEFF{marked}>>> BDC {drawn} EMC")
            start += len(word) + 1
        return " ".join(o for o in out if o)

    format_text_spanned.wrapped = format_text  # type: ignore[attr-defined]
    return format_text_spanned


def shaping_available() -> bool:
    return ttfonts.uharfbuzz is not None


def install() -> None:
    """Wrap the shaping that reportlab's Paragraph calls, the ToUnicode maps it writes and the
    text operators it draws with (once per process)."""
    if not hasattr(paragraph.shapeFragWord, "wrapped"):
        paragraph.shapeFragWord = _by_font(paragraph.shapeFragWord)
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        text_object = textobject.PDFTextObject
        text_object._formatText = _with_actual_text(text_object._formatText)
