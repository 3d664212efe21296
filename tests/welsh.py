"""The Welsh catalogue as a test reads it, and its English strings.

The test session compiles the catalogue (tests/messages.py); these read its source, the .po.
"""

import gettext
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.environment import unavailable

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        unavailable(f"{name} (Debian's gettext) reads the catalogue: make messages")
    return str(found)


# What separates the fixed words of a msgid: placeholders (%(name)s, %s, %d) and markup.
GAPS = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|<[^>]*>|\{[^}]*\}")
# A piece of a msgid shorter than this (after placeholders are cut out: "of", "on") says too
# little to find on a page; a whole msgid of any length ("Done") still counts.
PIECE_MIN = 4


def welsh_catalogue(path: Path = CATALOGUE) -> dict[str, str]:
    """msgid to Welsh msgstr (a plural's first form) of the catalogue, compiled for reading."""
    with tempfile.TemporaryDirectory() as folder:
        mo = Path(folder) / "django.mo"
        subprocess.run([_tool("msgfmt"), "-o", str(mo), str(path)], check=True)  # noqa: S603
        with mo.open("rb") as file:
            catalog: dict[object, str] = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    found: dict[str, str] = {}
    for key, value in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if isinstance(msgid, str) and msgid and value and msgid not in found:
            found[msgid] = value
    return found


def english_pieces(catalogue: dict[str, str]) -> set[str]:
    """The English words a page in Cymraeg must not show: each msgid whose Welsh differs, cut at
    its placeholders and markup; a piece the Welsh itself uses (a name, "PDF") does not count."""
    welsh = "\n".join(catalogue.values())
    pieces: set[str] = set()
    for msgid, msgstr in catalogue.items():
        if msgstr == msgid:
            continue
        parts = [" ".join(p.split()) for p in GAPS.split(msgid)]
        whole = len(parts) == 1
        for part in parts:
            letters = sum(c.isalpha() for c in part)
            if letters and (whole or letters >= PIECE_MIN) and part not in welsh:
                pieces.add(part)
    return pieces


def english_pattern(pieces: set[str]) -> re.Pattern[str]:
    """One pattern for all the pieces, each as words (not inside longer words): a search per
    line, not one per piece (2,900 of them, each a regex, took a quarter of a second a line)."""
    # Longest first: where pieces overlap, the longer one is the one reported.
    words = "|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True))
    return re.compile(rf"(?<![\w’'])(?:{words})(?![\w’'])")


def english_found(text: str, pattern: re.Pattern[str]) -> list[str]:
    """The pieces (of `english_pattern`) in `text`, sorted."""
    return sorted(set(pattern.findall(" ".join(text.split()))))


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgstrs: tuple[str, ...]
    fuzzy: bool
    where: str

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(self.msgstrs)


PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
PO_ESCAPE = re.compile(r"\\(.)")


def _unquote(line: str) -> str:
    inner = line[line.index('"') + 1 : line.rindex('"')]
    return PO_ESCAPE.sub(lambda m: PO_ESCAPES.get(m.group(1), m.group(0)), inner)


def po_entries(path: Path) -> list[Entry]:
    """The live entries of a .po written by gettext's tools (obsolete `#~` ones left out)."""
    entries: list[Entry] = []
    fields: dict[str, list[str]] = {}
    current = ""
    comments: list[str] = []

    def close() -> None:
        if "msgid" in fields:
            strs = tuple("".join(v) for k, v in fields.items() if k.startswith("msgstr"))
            entries.append(
                Entry(
                    msgid="".join(fields["msgid"]),
                    msgstrs=strs,
                    fuzzy=any(c.startswith("#,") and "fuzzy" in c for c in comments),
                    where=" ".join(c[2:].strip() for c in comments if c.startswith("#:")),
                )
            )
        fields.clear()
        comments.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~") or not line.strip():
            continue
        if line.startswith("#"):
            if "msgid" in fields:
                close()
            comments.append(line)
        elif line.startswith('"'):
            fields[current].append(_unquote(line))
        else:
            current = line.split(" ", 1)[0]
            if current == "msgid" and "msgid" in fields:
                close()
            fields[current] = [_unquote(line)]
    close()
    return entries
