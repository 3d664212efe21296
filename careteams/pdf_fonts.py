"""The Unicode font every PDF prints with: DejaVu Sans, shipped in careteams/fonts.

reportlab's built-in Helvetica has no Ł, ŵ or ŷ; DejaVu Sans prints Welsh, Irish and Polish
names (and most others) as they are written.
"""

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register() -> tuple[str, str]:
    """Register the fonts once per process; returns (regular, bold) names for styles."""
    pdfmetrics.registerFont(TTFont(REGULAR, FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONTS / "DejaVuSans-Bold.ttf"))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
