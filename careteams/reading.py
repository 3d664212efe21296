"""The language a document is produced in: its reader's (issue 30, docs/welsh.md).

A PDF is read away from the screen, often by someone else than who chose the page's language on
a shared device: it follows the reader's own setting, else the language of the team whose record
it prints (a family member who never chose gets the client's team's; a Welsh team's is Cymraeg).
"""

from contextlib import AbstractContextManager

from django.utils import translation

from careteams.access import AnyUser
from careteams.models import Language


def reader_language(user: AnyUser, team_language: str) -> str:
    own = getattr(user, "language", "")
    if own in Language.values:
        return str(own)
    return team_language if team_language in Language.values else str(Language.ENGLISH)


def in_readers_language(user: AnyUser, team_language: str) -> AbstractContextManager[None]:
    """`with in_readers_language(request.user, team.language): pdf = ...`"""
    return translation.override(reader_language(user, team_language))
