"""CI's check of the Welsh catalogue (issue 30): every string of the pages carers, families and
clients see has a Welsh translation in locale/cy/LC_MESSAGES/django.po, and the catalogue
compiles. A new untranslated string in those pages' files fails here.

The strings are gathered as `makemessages` gathers them, from a copy of just those files (so the
real catalogue is never rewritten), then matched against the catalogue with gettext's msgmerge.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.welsh import CATALOGUE, english_found, english_pattern, po_entries

BASE = Path(settings.BASE_DIR)

# The files of the pages carers, families and clients see (docs/welsh.md): the frame of every
# page; My day, the visit card, check in and out, the tasks, the notes, the visit's medicines;
# the family's pages (which are the client's own too: the access rules' FAMILY_VIEW), the
# medicines the family sees, their messages, the care plan PDF.
PAGES = (
    "templates/base.html",
    "templates/components/*.html",
    "templates/account/login.html",
    "accounts/views.py",
    # The carer's visit.
    "templates/scheduling/my_day.html",
    "templates/scheduling/_my_day_visit.html",
    "templates/scheduling/_head.html",
    "templates/scheduling/_scripts.html",
    "templates/scheduling/_share_location.html",
    "templates/scheduling/_task_summary.html",
    "templates/scheduling/_visit_head.html",
    "templates/scheduling/_visit_state.html",
    "templates/scheduling/_window.html",
    "templates/scheduling/visit_card.html",
    "templates/scheduling/visit_check_out.html",
    # Where the carer starts their day (issue 27): their own page.
    "templates/scheduling/start_point.html",
    "scheduling/forms_start_point.py",
    "scheduling/views/start_point.py",
    "scheduling/services/start_point.py",
    "careteams/geo.py",
    "scheduling/views/card.py",
    "scheduling/views/card_common.py",
    "scheduling/selectors/visit_card.py",
    "scheduling/selectors/since_last_visit.py",
    "scheduling/selectors/doorstep.py",
    "scheduling/services/attendance.py",
    "scheduling/services/visit_records.py",
    "scheduling/templatetags/*.py",
    "scheduling/visit_models.py",
    "templates/clients/note_form.html",
    "templates/clients/notes.html",
    "templates/clients/_notes.html",
    "clients/views/notes.py",
    "clients/services/notes.py",
    "templates/medicines/visit_*.html",
    "templates/medicines/_visit_dose*.html",
    "medicines/views_visit.py",
    "medicines/visit_doses.py",
    "templates/messaging/_visit_handovers.html",
    "templates/messaging/_my_handovers.html",
    "templates/messaging/_handover.html",
    "templates/messaging/_handover_read.html",
    # The family's pages (and the client's own, which are the same pages).
    "templates/careteams/family_home.html",
    "templates/careteams/_reads.html",
    "templates/clients/family_client.html",
    "templates/clients/invitation.html",
    "templates/clients/invitation_invalid.html",
    "clients/views/family.py",
    "clients/selectors/family.py",
    "clients/plain_language.py",
    "clients/pdf.py",
    "scheduling/selectors/family_day.py",
    "scheduling/selectors/family_today.py",
    "templates/medicines/family_medicines.html",
    "medicines/family.py",
    "medicines/words.py",
    "templates/messaging/_family_items.html",
    "templates/messaging/_family_messages.html",
)


# The scripts of those pages (the tablet's own, the live updates, the check-in location): their
# strings are in the JavaScript catalogue, djangojs.po.
SCRIPTS = (
    "careteams/static/careteams/app.js",
    "careteams/static/careteams/live.js",
    "messaging/static/messaging/messaging.js",
    "scheduling/static/scheduling/visit-location.js",
    "scheduling/static/scheduling/start-point.js",
    "tablet/static/tablet/offline*.js",
)
SCRIPTS_CATALOGUE = CATALOGUE.with_name("djangojs.po")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} (Debian's gettext) checks the catalogue: make messages")
    return found


def page_files(patterns: tuple[str, ...] = PAGES) -> list[Path]:
    found = sorted({p for pattern in patterns for p in BASE.glob(pattern)})
    missing = [p for p in patterns if not any(BASE.glob(p))]
    assert missing == [], f"Files listed for the Welsh check are gone: {missing}"
    return found


def strings_gathered(
    into: Path, files: list[Path], monkeypatch: pytest.MonkeyPatch, *, domain: str = "django"
) -> Path:
    """The .po `makemessages -l cy` writes for `files` alone, from a copy of them under `into`."""
    for path in files:
        target = into / path.relative_to(BASE) if path.is_relative_to(BASE) else into / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    monkeypatch.chdir(into)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [into / "locale"])
    call_command("makemessages", locale=["cy"], domain=domain, verbosity=0, no_obsolete=True)
    return into / "locale" / "cy" / "LC_MESSAGES" / f"{domain}.po"


def untranslated(gathered: Path, catalogue: Path = CATALOGUE) -> list[str]:
    """Each gathered string without a Welsh translation (or with a fuzzy one, which Django
    skips) in the catalogue, with where it is."""
    merged = gathered.with_name("merged.po")
    subprocess.run(  # noqa: S603
        [
            _tool("msgmerge"),
            "--quiet",
            "--no-fuzzy-matching",
            "--no-wrap",
            "-o",
            str(merged),
            str(catalogue),
            str(gathered),
        ],
        check=True,
    )
    return [
        f"{entry.msgid!r} ({entry.where})"
        for entry in po_entries(merged)
        if entry.msgid and not entry.translated
    ]


@pytest.mark.parametrize("catalogue", [CATALOGUE, SCRIPTS_CATALOGUE], ids=lambda p: p.name)
def test_the_welsh_catalogue_compiles_with_its_format_checks(catalogue: Path) -> None:
    assert catalogue.exists(), f"{catalogue.relative_to(BASE)} is missing"
    checked = subprocess.run(  # noqa: S603
        [_tool("msgfmt"), "-c", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_every_string_of_the_carer_family_and_client_pages_has_welsh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = untranslated(strings_gathered(tmp_path, page_files(), monkeypatch))
    assert missing == [], (
        f"{len(missing)} strings of the carer, family and client pages have no Welsh in "
        f"{CATALOGUE.relative_to(BASE)} (docs/welsh.md, 'Adding and reviewing translations'):\n"
        + "\n".join(missing)
    )


def test_every_string_of_those_pages_scripts_has_welsh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert SCRIPTS_CATALOGUE.exists(), f"{SCRIPTS_CATALOGUE.relative_to(BASE)} is missing"
    gathered = strings_gathered(tmp_path, page_files(SCRIPTS), monkeypatch, domain="djangojs")
    missing = untranslated(gathered, SCRIPTS_CATALOGUE)
    assert missing == [], (
        f"{len(missing)} strings of the pages' scripts have no Welsh in "
        f"{SCRIPTS_CATALOGUE.relative_to(BASE)}:\n" + "\n".join(missing)
    )


def test_a_new_untranslated_string_in_those_pages_fails_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tmp_path / "new" / "templates" / "scheduling" / "_new_part.html"
    new.parent.mkdir(parents=True)
    new.write_text('{% load i18n %}<p>{% translate "A sentence nobody translated yet" %}</p>')
    gathered = strings_gathered(tmp_path / "copy", [*page_files(), new], monkeypatch)
    missing = untranslated(gathered)
    assert "'A sentence nobody translated yet' (_new_part.html:1)" in missing
    # A string the catalogue translates is not reported.
    assert not any(m.startswith("'Not found'") for m in missing)


def test_the_browser_scan_finds_english_as_words_and_the_longer_of_two() -> None:
    """tests/e2e/test_welsh_journey.py's scan: "Week" in a line is English; inside "Weekend"
    it is not; where "Team today" and "Team" both match, the longer is reported."""
    pattern = english_pattern({"Week", "Team", "Team today"})
    assert english_found("Fy niwrnod · Team today · Week", pattern) == ["Team today", "Week"]
    assert english_found("Weekend", pattern) == []
    assert english_found("Y tîm heddiw", pattern) == []
