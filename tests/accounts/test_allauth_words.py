"""allauth's words listed in accounts/allauth_words.py are allauth's own (its catalogue has
them), and each is in Cymraeg, so a member signing in with two factors reads Welsh."""

import gettext
from pathlib import Path

import allauth
import pytest
from django.utils import translation

from accounts.allauth_words import PLURALS, WORDS


def _allauth_msgids() -> set[str]:
    """The msgids of allauth's own catalogue (its English one lists every string it has)."""
    compiled = Path(allauth.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    with compiled.open("rb") as file:
        catalog: dict[object, str] = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    # A plural's key is (msgid, form).
    return {str(key[0] if isinstance(key, tuple) else key) for key in catalog}


def test_every_listed_word_is_one_of_allauth_s_own() -> None:
    known = _allauth_msgids()
    assert [word for word in WORDS if word not in known] == []


@pytest.mark.parametrize("word", WORDS)
def test_each_of_allauth_s_words_is_in_welsh(word: str) -> None:
    with translation.override("cy"):
        assert translation.gettext(word) != word


def test_the_recovery_codes_count_is_in_welsh() -> None:
    with translation.override("cy"):
        said = str(PLURALS[0] % {"unused_count": 3, "total_count": 10})
    assert said == "Mae 3 o 10 cod adfer ar gael."
