"""The translations compiled for the session: the .mo files are built, never committed
(docs/welsh.md), and a stale one would test yesterday's words.

Each process compiles what is missing or older than its .po into a file of its own, then
renames it into place: parallel workers never read a half-written catalogue.
"""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from tests.environment import unavailable


def messages_compile() -> None:
    for locale_path in settings.LOCALE_PATHS:
        for po in Path(locale_path).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            msgfmt = shutil.which("msgfmt")
            if msgfmt is None:
                unavailable("msgfmt (Debian's gettext) compiles the translations: make messages")
            partial = mo.with_suffix(f".{os.getpid()}.part")
            subprocess.run([msgfmt, "--check-format", "-o", str(partial), str(po)], check=True)  # noqa: S603
            partial.replace(mo)
