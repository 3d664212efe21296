"""Which language a person sees (issue 30, docs/welsh.md).

The pages follow Django's language cookie (LocaleMiddleware), which the switch on every page
sets, and which signing in sets from the person's own setting, else their team's: so the
choice outlives the session and the sign-in page after signing out is still in it. The API's
devices have no cookie: their user's setting, else the Accept-Language header.
"""

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from careteams import access
from careteams.models import Language, Team, User

# A year: the cookie is the person's standing choice, not a session's.
COOKIE_MAX_AGE = settings.LANGUAGE_COOKIE_AGE
# What the sign-in signal leaves for the response (accounts.middleware.LanguageCookieMiddleware).
CHOSEN_ATTRIBUTE = "language_chosen"


def team_language_of(user: User) -> str:
    """The language the person's teams offer first: Cymraeg when any team of theirs (as a
    member, or as a family member of one of its clients) offers it, as the Active Offer asks."""
    teams = Team.objects.filter(
        Q(id__in=access.member_scope(user)) | Q(clients__id__in=access.family_client_ids(user))
    )
    offers = set(teams.values_list("language", flat=True))
    return Language.WELSH if Language.WELSH in offers else Language.ENGLISH


def language_on_sign_in(request: HttpRequest, user: User) -> str:
    """Their own setting; else the one they chose on this device before signing in; else
    their team's."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if user.language:
        return user.language
    if cookie in Language.values:
        return cookie
    return team_language_of(user)


def language_activate(request: HttpRequest, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language


def language_cookie_set(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=COOKIE_MAX_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",  # as settings.LANGUAGE_COOKIE_SAMESITE
    )
