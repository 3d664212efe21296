"""The installable tablet app: its manifest, the service worker at the root scope, the offline
page, the bundle of the pages a carer's tablet keeps for today and tomorrow, and the team's page
of what arrived from a former member's tablet (late notes, and held items to review)."""

import gzip
import hashlib
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import JavaScriptCatalog

from careteams import access
from careteams.http import AuthedRequest
from careteams.models import User
from careteams.selectors import team_for_member
from careteams.versioned_forms import submit_versioned
from tablet import bundle as kept_bundle
from tablet import held as held_reads
from tablet import selectors, services
from tablet.forms import HeldReviewForm
from tablet.models import HeldItem

# What every page needs offline (the shell), precached by the service worker.
SHELL = (
    "vendor/nhsuk-frontend/nhsuk-frontend.min.css",
    "vendor/nhsuk-frontend/nhsuk-frontend.min.js",
    "vendor/htmx/htmx.min.js",
    "careteams/app.css",
    "careteams/app.js",
    "careteams/live.js",
    "careteams/favicon.svg",
    "scheduling/rota.js",
    "scheduling/visit-location.js",
    "tablet/offline-ui.js",
    "tablet/offline-store.js",
    "tablet/offline-sync.js",
    "tablet/offline.js",
    "tablet/vendor/idb/umd.js",
    "tablet/icons/icon-192.png",
    "tablet/icons/icon-512.png",
)
WORKBOX = ("core", "routing", "strategies", "precaching")


@cache
def _revision(path: str) -> str | None:
    """A hash of the file when its URL does not carry one (DEBUG's plain static storage), so
    the service worker fetches it again when it changes."""
    if static(path) != settings.STATIC_URL + path:
        return None  # the manifest storage's URL already names the content
    found = finders.find(path)
    if not isinstance(found, str):
        return None
    with open(found, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _catalogue_paths() -> list[str]:
    """Where the tablet's JavaScript words are: its own locale/ and the project's (LOCALE_PATHS,
    where the translations of issue 30 live)."""
    # The later ones win (as LOCALE_PATHS over the apps' catalogues for the pages).
    own = Path(__file__).resolve().parent / "locale"
    return [str(own), *(str(path) for path in settings.LOCALE_PATHS)]


@cache
def _words_revision(language: str) -> str:
    """Changes when the words of the offline page or of the page scripts change in that
    language: their compiled catalogues, and the scripts that hold the English."""
    digest = hashlib.sha256(language.encode())
    for folder in _catalogue_paths():
        for domain in ("django", "djangojs"):
            compiled = Path(folder) / language / "LC_MESSAGES" / f"{domain}.mo"
            if compiled.is_file():
                digest.update(compiled.read_bytes())
    for script in ("tablet/offline-ui.js", "tablet/offline.js"):
        digest.update(str(_revision(script) or static(script)).encode())
    return digest.hexdigest()[:16]


def _precache() -> list[dict[str, Any]]:
    """The shell, and in every language the offline page and the scripts' words: a tablet
    whose carer switches language offline still has both."""
    entries = [{"url": static(path), "revision": _revision(path)} for path in SHELL]
    for language in _languages():
        words = _words_revision(language)
        entries.append({"url": _offline_url(language), "revision": words})
        entries.append({"url": _catalogue_url(language), "revision": words})
    return entries


def _offline_url(language: str) -> str:
    return reverse("tablet:offline-in", kwargs={"language": language})


def _catalogue_url(language: str) -> str:
    return reverse("tablet:jsi18n", kwargs={"language": language})


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """Installable from any page; it opens on the carer's My day (their first team's)."""
    start = reverse("home")
    if request.user.is_authenticated:
        team = access.member_teams(request.user).order_by("name").first()
        if team is not None:
            start = reverse("scheduling:my-day", kwargs={"team_id": team.id})
    body = {
        "name": "careteams",
        "short_name": "careteams",
        "description": "My day, visits and notes of your care team, also without signal.",
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#005eb8",
        "icons": [
            {
                "src": static(f"tablet/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
    }
    response = HttpResponse(json.dumps(body), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """At /sw.js so that its scope is the whole site; never cached by the browser's HTTP
    cache, so a new version is picked up at the next visit."""
    context = {
        "workbox_sw": static("tablet/vendor/workbox/workbox-sw.js"),
        "modules": {
            f"workbox-{name}": static(f"tablet/vendor/workbox/workbox-{name}.prod.js")
            for name in WORKBOX
        },
        "precache": _precache(),
        "offline_urls": {language: _offline_url(language) for language in _languages()},
        "catalogue_urls": [_catalogue_url(language) for language in _languages()],
        "default_language": settings.LANGUAGE_CODE,
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        "idb": static("tablet/vendor/idb/umd.js"),
    }
    response = render(request, "tablet/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache, no-store, must-revalidate"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest, language: str | None = None) -> HttpResponse:
    """Shown for a page the tablet has not kept. Nobody's data: the same for everyone who reads
    its language. The worker keeps one per language, named in the address (the request's
    own language otherwise)."""
    if language is None:
        return render(request, "tablet/offline.html")
    if language not in _languages():
        raise Http404
    with translation.override(language):
        return render(request, "tablet/offline.html")


class _Catalogue(JavaScriptCatalog):
    """Django's catalogue of the tablet's words, also from the project's locale/."""

    def get_paths(self, packages: list[str]) -> list[str]:
        return _catalogue_paths()


_catalogue = _Catalogue.as_view(packages=["tablet"])


@require_GET
def catalogue(request: HttpRequest, language: str) -> HttpResponseBase:
    """The words of the tablet's page scripts in the language its address names, not the
    request's: every page asks for its own language's (tablet/_shell.html), and the worker
    serves each from its precache by address alone (sw.js)."""
    if language not in _languages():
        raise Http404
    with translation.override(language):
        return _catalogue(request)


@require_GET
def bundle(request: HttpRequest, team_id: uuid.UUID) -> HttpResponse:
    """Every page the tablet keeps for the carer's day, in one answer (tablet/bundle.py); a 304
    for the ETag the tablet already holds, with no page made."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return JsonResponse({"detail": _("Sign in again.")}, status=401)
    etag = kept_bundle.etag_for(request=request, user=user, team_id=team_id)
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        return unchanged
    made = kept_bundle.bundle_get(request=request, user=user, team_id=team_id, etag=etag)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(made.body, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(made.body), content_type="application/json")
    response["ETag"] = etag
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


@login_required
@require_GET
def late_notes(request: HttpRequest, team_id: uuid.UUID) -> HttpResponse:
    """What arrived from a former member's tablet: the notes they wrote while a member, in the
    record as late entries, for the team to read; and the other items they recorded, held for
    the team to review (tablet.models.HeldItem)."""
    return _former_page(request, team_id)


def _ids_of(item_id: uuid.UUID) -> str:
    """Each item's form has ids of its own on the page, its fields the same names."""
    return f"held-{item_id}-%s"


def _former_page(
    request: HttpRequest,
    team_id: uuid.UUID,
    failed: tuple[uuid.UUID, HeldReviewForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    notes = selectors.late_notes(user=request.user, team_id=team_id)
    team = team_for_member(user=request.user, team_id=team_id)
    held = [
        (
            shown,
            failed[1]
            if failed and failed[0] == shown.item.id
            else HeldReviewForm(
                initial={"version": shown.item.version}, auto_id=_ids_of(shown.item.id)
            ),
        )
        for shown in held_reads.held_items(user=request.user, team_id=team_id)
    ]
    context = {
        "team": team,
        "late": notes,
        "held": held,
        "errors_form": failed[1] if failed else None,
    }
    return render(request, "tablet/late_notes.html", context, status=status)


@login_required
@require_POST
def held_review(request: AuthedRequest, team_id: uuid.UUID, held_id: uuid.UUID) -> HttpResponse:
    """A member marks a held item reviewed: entered into the record by hand, or not needed."""
    item = held_reads.held_item_get(user=request.user, team_id=team_id, item_id=held_id)
    submitted = submit_versioned(
        data=request.POST,
        make=lambda data: HeldReviewForm(data, auto_id=_ids_of(item.id)),
        save=lambda form: services.held_item_review(
            item=item,
            version=form.cleaned_data["version"],
            outcome=form.cleaned_data["outcome"],
            comment=form.cleaned_data["comment"],
            actor=request.user,
        ),
        current_version=lambda: HeldItem.objects.get(pk=item.pk).version,
    )
    if not submitted.saved:
        return _former_page(request, team_id, (item.id, submitted.form), submitted.status)
    messages.success(request, _("Marked as reviewed."))
    return redirect("tablet:late-notes", team_id=team_id)
