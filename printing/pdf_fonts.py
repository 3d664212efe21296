"""The fonts every PDF prints with, so that any name prints as it is written.

DejaVu Sans (shipped in printing/fonts) sets Latin, Greek and Cyrillic, and keeps the PDFs'
look. Scripts it lacks or sets poorly fall back, run by run, to Noto Sans (Arabic, Hebrew,
Devanagari, Bengali, Gurmukhi) and WenQuanYi Zen Hei (Chinese, Japanese, Korean), which
scripts/install-fonts installs from Debian (printing/fonts/LICENSES.md). A fallback font is
loaded the first time a name needs it; one that is not installed leaves its script to DejaVu.

Every font is embedded (a subset). Helvetica, reportlab's default, is never named: `document()`
starts the canvas in DejaVu Sans, `table_style()` sets the tables' cells in it, and every
paragraph style names its font.
"""

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.core import checks
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

from printing import pdf_shaping

FONTS = Path(__file__).resolve().parent / "fonts"
SYSTEM_FONTS = Path("/usr/share/fonts/truetype")
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@dataclass(frozen=True)
class Fallback:
    """A font for the scripts in `ranges` (inclusive code point ranges), regular and bold."""

    regular: str
    bold: str
    path: str
    bold_path: str
    ranges: tuple[tuple[int, int], ...]
    subfont: int = 0


ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
CJK = (
    (0x1100, 0x11FF),  # Hangul jamo
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK punctuation
    (0x3040, 0x31FF),  # kana, bopomofo, Hangul compatibility jamo
    (0x3200, 0x4DBF),  # enclosed, compatibility, extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF00, 0xFFEF),  # full and half width forms
    (0x20000, 0x2FFFF),  # extensions B onwards
)
# The Zen Hei TTC's first face has TrueType outlines, which reportlab embeds (the Noto CJK
# TTCs have CFF outlines, which it cannot). It has no bold: bold CJK prints regular.
FALLBACKS = (
    Fallback(
        "NotoSansArabic",
        "NotoSansArabic-Bold",
        "noto/NotoSansArabic-Regular.ttf",
        "noto/NotoSansArabic-Bold.ttf",
        ARABIC,
    ),
    Fallback(
        "NotoSansHebrew",
        "NotoSansHebrew-Bold",
        "noto/NotoSansHebrew-Regular.ttf",
        "noto/NotoSansHebrew-Bold.ttf",
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    ),
    Fallback(
        "NotoSansDevanagari",
        "NotoSansDevanagari-Bold",
        "noto/NotoSansDevanagari-Regular.ttf",
        "noto/NotoSansDevanagari-Bold.ttf",
        ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    ),
    Fallback(
        "NotoSansBengali",
        "NotoSansBengali-Bold",
        "noto/NotoSansBengali-Regular.ttf",
        "noto/NotoSansBengali-Bold.ttf",
        ((0x0980, 0x09FF),),
    ),
    Fallback(
        "NotoSansGurmukhi",
        "NotoSansGurmukhi-Bold",
        "noto/NotoSansGurmukhi-Regular.ttf",
        "noto/NotoSansGurmukhi-Bold.ttf",
        ((0x0A00, 0x0A7F),),
    ),
    Fallback("WenQuanYiZenHei", "WenQuanYiZenHei", "wqy/wqy-zenhei.ttc", "", CJK),
)


@cache
def register() -> tuple[str, str]:
    """Register DejaVu Sans once per process; returns (regular, bold) names for styles."""
    pdfmetrics.registerFont(TTFont(REGULAR, FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONTS / "DejaVuSans-Bold.ttf"))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    pdf_shaping.install()
    return REGULAR, BOLD


def check_fonts(**_: object) -> list[checks.CheckMessage]:
    """System check: the fallback fonts and HarfBuzz are installed (scripts/install-fonts)."""
    paths = [f.path for f in FALLBACKS] + [f.bold_path for f in FALLBACKS if f.bold_path]
    missing = [str(SYSTEM_FONTS / p) for p in paths if not (SYSTEM_FONTS / p).is_file()]
    found: list[checks.CheckMessage] = []
    if missing:
        found.append(
            checks.Warning(
                f"PDF fonts are missing: {', '.join(missing)}. Names in those scripts will "
                "print as empty boxes.",
                hint="Run scripts/install-fonts (Debian: fonts-noto-core, fonts-wqy-zenhei).",
                id="printing.W001",
            )
        )
    if not pdf_shaping.shaping_available():
        found.append(
            checks.Warning(
                "uharfbuzz is not installed: Arabic prints unjoined and Indic names unshaped.",
                hint="Install the locked requirements (uharfbuzz).",
                id="printing.W002",
            )
        )
    return found


@cache
def _coverage(name: str) -> frozenset[int] | None:
    """The code points font `name` has glyphs for, registering it on first use (None: absent)."""
    if name in (REGULAR, BOLD):
        register()
    else:
        found = next((f for f in FALLBACKS if name in (f.regular, f.bold)), None)
        if found is None:
            return None
        bold = name == found.bold and name != found.regular
        path = SYSTEM_FONTS / (found.bold_path if bold else found.path)
        if not path.is_file():
            return None
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=found.subfont))
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


@cache
def _font_for(char: str, bold: bool) -> str | None:
    """The fallback font for `char`'s script, if it has the glyph; None: the base font."""
    point = ord(char)
    for fallback in FALLBACKS:
        if any(lo <= point <= hi for lo, hi in fallback.ranges):
            name = fallback.bold if bold else fallback.regular
            covered = _coverage(name)
            return name if covered is not None and point in covered else None
    return None


def _attaches(char: str) -> bool:
    """Marks, joiners, spaces, digits, punctuation and symbols: no script of their own."""
    return unicodedata.category(char)[0] in "MZNPCS"


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """`text` cut into (font, run) pieces, each run set in a font that has its glyphs.

    Letters take their script's font. Marks and joiners stay with their letter; spaces, digits
    and punctuation stay in a fallback run only between its letters (so "فاطمة, Ольга" puts the
    comma with Ольга's font, outside the right-to-left word), else take the base font.
    """
    bold = font == BOLD
    letters = [None if _attaches(c) else (_font_for(c, bold) or font) for c in text]
    after: list[str | None] = [None] * len(text)
    upcoming: str | None = None
    for index in range(len(text) - 1, -1, -1):
        after[index] = upcoming
        upcoming = letters[index] or upcoming
    runs: list[tuple[str, str]] = []
    current, start = font, 0
    for index, char in enumerate(text):
        wanted = letters[index]
        if wanted is None:
            stays = after[index] == current and _covers(current, char)
            if stays or unicodedata.category(char)[0] in "MC":
                wanted = current
            elif _covers(font, char):
                wanted = font
            else:
                wanted = _font_for(char, bold) or current
        if wanted != current:
            if index > start:
                runs.append((current, text[start:index]))
            current, start = wanted, index
    if start < len(text):
        runs.append((current, text[start:]))
    return runs


def _covers(font: str, char: str) -> bool:
    covered = _coverage(font)
    return covered is not None and ord(char) in covered


def markup(text: str, font: str) -> str:
    """Paragraph markup for plain `text` in style font `font`: escaped, right-to-left runs in
    visual order, and each run of another script in its fallback font."""
    if text.isascii():
        return escape(text).replace("\n", "<br/>")
    return "<br/>".join(
        _runs_markup(pdf_shaping.visual_order(line), font) for line in text.split("\n")
    )


def _runs_markup(line: str, font: str) -> str:
    return "".join(
        escape(run) if name == font else f'<font name="{name}">{escape(run)}</font>'
        for name, run in font_runs(line, font)
    )


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain `text`; shaped (HarfBuzz) when it has a script that needs it."""
    register()
    if pdf_shaping.needs_shaping(text):
        style = _shaped(style)
    if pdf_shaping.has_right_to_left(text):
        return LineOrderedParagraph(text, style)
    return Paragraph(markup(text, style.fontName), style)


class LineOrderedParagraph(Paragraph):
    """A Paragraph of plain text with right-to-left words, broken into lines in the order the
    words are written and only then put in visual order line by line: "فاطمة الزهراء" in a
    narrow cell puts فاطمة on the first line, as an Arabic reader reads it, not الزهراء.

    Its lines are found again for each width it is wrapped to. The pieces that `split` makes
    when a paragraph runs over a page are built from lines already ordered (`frags`), and
    keep them.
    """

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: str | None = None,  # noqa: N803  # reportlab's name, passed by split()
        frags: list[object] | None = None,
        **kwargs: object,
    ) -> None:
        self.written = text if frags is None else None
        self.ordered_for: list[float] = []
        shown = None if text is None else markup(text, style.fontName)
        super().__init__(shown, style, bulletText, frags, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        style = self.style
        later = availWidth - style.leftIndent - style.rightIndent
        widths = [later - style.firstLineIndent, later]
        if self.written is not None and widths != self.ordered_for:
            lines = _lines_as_written(self.written, style, widths)
            ordered = "<br/>".join(
                _runs_markup(pdf_shaping.visual_order(line), style.fontName) for line in lines
            )
            self.frags = Paragraph(ordered, style).frags
            self.ordered_for = widths
        width, height = super().wrap(availWidth, availHeight)
        return width, height


def _lines_as_written(text: str, style: ParagraphStyle, widths: list[float]) -> list[str]:
    """`text`'s lines at `widths` (first line, later lines), words in the order written.

    reportlab breaks a probe paragraph of the text as written (words kept whole, so that each
    of its lines is a count of words); a text it breaks some other way stays on its lines."""
    whole_words = ParagraphStyle(f"{style.name}-whole", parent=style, splitLongWords=0)
    out: list[str] = []
    for index, line in enumerate(text.split("\n")):
        words = line.split()
        probe = Paragraph(_runs_markup(" ".join(words), style.fontName), whole_words)
        broken = probe.breakLines(widths if index == 0 else widths[1:])
        counts = [getattr(found, "wordCount", 0) for found in broken.lines]
        if sum(counts) != len(words):
            out.append(line)
            continue
        start = 0
        for count in counts:
            out.append(" ".join(words[start : start + count]))
            start += count
    return out


def _shaped(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)


def document(buffer: io.BytesIO, **kwargs: object) -> SimpleDocTemplate:
    """A SimpleDocTemplate whose canvas starts in DejaVu Sans, not reportlab's Helvetica."""
    register()
    return SimpleDocTemplate(buffer, initialFontName=REGULAR, **kwargs)


def table_style(commands: list[tuple[object, ...]]) -> TableStyle:
    """A TableStyle whose cells are in DejaVu Sans: reportlab's cells default to Helvetica and
    name it in the PDF even when every cell holds a Paragraph with its own font."""
    register()
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])
