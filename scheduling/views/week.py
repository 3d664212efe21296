"""The week board, a day at a time, and its whole-week actions: generate visits, copy shifts,
give many visits to one member."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from careteams import dates, timeutil
from careteams.errors import NotFound
from careteams.http import AuthedRequest
from scheduling import selectors
from scheduling.selectors import week_cache
from scheduling.selectors.day_map import day_map
from scheduling.selectors.grid import day_grid
from scheduling.selectors.hints import Hint, visit_hints
from scheduling.selectors.week_board_shapes import VisitRow, WeekBoard
from scheduling.services import patterns as pattern_services
from scheduling.services import shifts as shift_services
from scheduling.services import visits as visit_services

# The generator's warnings shown as messages at most (the rest are counted in one more).
GENERATE_WARNINGS_SHOWN = 10

# The board's fragments, each refreshed alone (live.js) or swapped by an action (htmx).
PARTS = {
    "head": "scheduling/week.html#head",
    "planning": "scheduling/week.html#planning",
    "rota": "scheduling/week.html#rota",
    "day": "scheduling/week.html#day",
    "problems": "scheduling/week_problems.html",
    "visits": "scheduling/week_visits.html",
    "grid": "scheduling/week_grid.html",
    "map": "scheduling/week_map.html",
    "rest": "scheduling/week.html#rest",
}


# The fragments a live refresh asks for, answered 304 when the team has not changed since the
# copy the client holds. Not the head: it shows the session's pending messages, which change
# with no feed event.
CONDITIONAL_PARTS = frozenset(PARTS) - {"head"}


def fragment_etag(
    request: AuthedRequest, team: selectors.Team, position: week_cache.Position
) -> str:
    """The tag of the fragment at this URL for this session: its forms carry the session's CSRF
    token, so another session (a sign-in again on the same tablet) never reuses the copy."""
    get_token(request)  # makes the session's CSRF secret now if it has none yet
    session = request.META.get("CSRF_COOKIE", "")
    return week_cache.week_etag(
        user=request.user,
        team=team,
        variant=f"{request.get_full_path()}|{session}",
        position=position,
    )


def if_changed(request: AuthedRequest, etag: str) -> HttpResponse | None:
    """304 Not Modified when the client's copy is current, else None (render it)."""
    if not week_cache.not_modified(request.headers.get("If-None-Match"), etag):
        return None
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return response


def week_url(
    team_id: uuid.UUID, monday: dt.date, anchor: str = "", *, day: dt.date | None = None
) -> str:
    url = reverse("scheduling:week", kwargs={"team_id": team_id, "week": monday.isoformat()})
    if day is not None:
        url += f"?day={day.isoformat()}"
    return f"{url}#{anchor}" if anchor else url


def is_htmx(request: AuthedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# The day's two views: the rota grid (members by time), the board's main view, and the list of
# visits, the accessible alternative. Which one a board opens on when neither the address nor the
# person's last choice says.
VIEWS = ("grid", "list")
DEFAULT_VIEW = "grid"
# The view last chosen, kept in the session: the board's links from elsewhere in the app (the
# menu, a publish summary, a notice) carry no view and open on the one the person chose.
VIEW_SESSION_KEY = "week_board_view"


def asked_view(request: AuthedRequest) -> str:
    """The view the address asks for (remembered as the person's choice), else the one they
    chose last, else the grid."""
    wanted = request.GET.get("view") or request.POST.get("view", "")
    if wanted in VIEWS:
        if request.session.get(VIEW_SESSION_KEY) != wanted:
            request.session[VIEW_SESSION_KEY] = wanted
        return wanted
    remembered = request.session.get(VIEW_SESSION_KEY)
    return remembered if remembered in VIEWS else DEFAULT_VIEW


def asked_day(data: QueryDict) -> dt.date | None:
    """The day the board should show: a date in the query or form, or None (today/Monday)."""
    return dates.query_date(data, "day")


# Stands for a member's id in a URL reversed once for every member of the grid.
_ANY_MEMBER = uuid.UUID(int=0)


def member_urls(board: WeekBoard) -> dict[str, tuple[str, str]]:
    """Each per-member link of the rota grid as the text around the member's id: reversed once
    for the board, joined per row in the template (not a `{% url %}` per member), and relative
    to the week's page, where the grid lives (the board's first response is kept small)."""
    week_path = week_url(board.team.id, board.monday)
    kwargs = {"team_id": board.team.id, "week": board.monday.isoformat(), "member_id": _ANY_MEMBER}
    out = {}
    for name in ("member-week-pdf", "member-run-sheet-pdf"):
        url = reverse(f"scheduling:{name}", kwargs=kwargs).removeprefix(week_path)
        before, _, after = url.partition(str(_ANY_MEMBER))
        out[name.replace("-", "_")] = (before, after)
    return out


def render_week(
    request: AuthedRequest,
    board: WeekBoard,
    template: str = "scheduling/week.html",
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """Render the board (or a fragment of it) in the team's time zone."""
    week_path = week_url(board.team.id, board.monday)
    view = extra.pop("view", None) or asked_view(request)
    grid = day_grid(board) if view == "grid" else None
    # The map of the day only when asked for (its fragment, or `map=1` without JavaScript): the
    # board's first response stays small and the map is never needed to plan.
    wants_map = request.GET.get("part") == "map" or request.GET.get("map") == "1"
    context = {
        "board": board,
        "view": view,
        # What the day's links add to stay in the same view: always said, so a fragment's
        # address (and its ETag) names the view it holds, whatever the session remembers.
        "view_q": f"&view={view}",
        "grid": grid,
        "day_map": day_map(grid) if grid is not None and wants_map else None,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "week_path": week_path,
        # The board's links are relative to the week's page, which keeps its first response
        # small. Where a whole board is answered at another address (a refused action without
        # htmx: the form's own URL), they are anchored to the week's page instead.
        "board_base": "" if is_htmx(request) or request.path == week_path else week_path,
        # In most of the board's links and forms: formatted once.
        "day_iso": board.day.date.isoformat(),
        "shift_new": reverse("scheduling:shift-new", kwargs={"team_id": board.team.id}),
        **member_urls(board),
        "errors": [],
        **extra,
    }
    with timezone.override(board.team.zone):
        return render(request, template, context, status=status)


def render_board(
    request: AuthedRequest,
    team_id: uuid.UUID,
    monday: dt.date,
    *,
    day: dt.date | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    board = selectors.week_board(
        user=request.user, team_id=team_id, monday=monday, day=day, all_visits=False
    )
    return render_week(request, board, errors=errors or [], status=status)


def render_row(
    request: AuthedRequest,
    board: WeekBoard,
    row: VisitRow,
    *,
    choosing: bool = False,
    updated: str = "",
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """One visit's row. After a change the day's problems refresh themselves (the rota-changed
    event), so the row is all that is sent."""
    response = render_week(
        request,
        board,
        "scheduling/week_row.html",
        status=status,
        vr=row,
        choosing=choosing,
        hints=_hints(request, board, row) if choosing else [],
        updated=updated,
        errors=errors or [],
    )
    if updated:
        response["HX-Trigger"] = "rota-changed"
    return response


def _hints(request: AuthedRequest, board: WeekBoard, row: VisitRow) -> list[Hint]:
    """Who could take the row's open place, ranked, with what it would mean (the dropdown)."""
    return visit_hints(user=request.user, team=board.team, visit=row.visit).hints


@login_required
@require_GET
def week_current(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    return redirect(week_url(team.id, timeutil.monday_of(timeutil.local_today(team.zone))))


@login_required
@require_GET
def week(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    monday = selectors.week_from_text(week)
    if monday.isoformat() != week:
        return redirect(week_url(team.id, monday))
    part = request.GET.get("part", "")
    position = week_cache.position_of(team)
    etag = fragment_etag(request, team, position) if part in CONDITIONAL_PARTS else ""
    if etag and (unchanged := if_changed(request, etag)):
        return unchanged
    board = selectors.week_board(
        user=request.user,
        team_id=team.id,
        monday=monday,
        day=asked_day(request.GET),
        need_only=request.GET.get("need") == "1",
        team=team,
        position=position,
        all_visits=False,
    )
    if part in PARTS:
        response = render_week(request, board, PARTS[part])
        if etag:
            response["ETag"] = etag
        return response
    extra: dict[str, Any] = {}
    choose = _uuid(request.GET.get("choose", ""))
    row = next((r for r in board.shown.visits if r.visit.id == choose), None)
    if row is not None:
        # Without JavaScript, "Choose a carer" opens the list with that row's form open.
        extra = {"choose_id": row.visit.id, "hints": _hints(request, board, row), "view": "list"}
    return render_week(request, board, **extra)


@login_required
@require_GET
def visit_row(
    request: AuthedRequest, team_id: uuid.UUID, week: str, visit_id: uuid.UUID
) -> HttpResponse:
    """One visit's row (of whichever week it is in: the URL's week only makes the board's
    relative links work)."""
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    position = week_cache.position_of(team)
    etag = fragment_etag(request, team, position)
    if unchanged := if_changed(request, etag):
        return unchanged
    board, row = selectors.visit_row(
        user=request.user, team_id=team.id, visit_id=visit_id, team=team, position=position
    )
    response = render_row(request, board, row, choosing=request.GET.get("choose") == "1")
    response["ETag"] = etag
    return response


def _picked(text: str) -> tuple[uuid.UUID, int] | None:
    """A selected visit as the board showed it: `id:version`."""
    visit_id, _, version = text.partition(":")
    found = _uuid(visit_id)
    return (found, int(version)) if found is not None and version.isdigit() else None


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def week_action(
    request: AuthedRequest, team_id: uuid.UUID, week: str
) -> tuple[selectors.Team, dt.date]:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    monday = selectors.week_from_text(week)
    if monday.isoformat() != week:
        raise NotFound(
            _("There is no week starting %(week)s: weeks start on a Monday.") % {"week": week}
        )
    return team, monday


def _generated_words(result: pattern_services.Generated) -> str:
    """What generating the week did, in one message."""
    made = ngettext(
        "%(n)s visit made from the patterns", "%(n)s visits made from the patterns", result.created
    )
    parts = [made % {"n": result.created}]
    if result.updated:
        parts.append(_("%(n)s brought up to date") % {"n": result.updated})
    if result.removed:
        parts.append(_("%(n)s no longer in a pattern removed") % {"n": result.removed})
    if result.kept:
        parts.append(_("%(n)s changed by hand kept as they are") % {"n": result.kept})
    if result.assigned:
        given = ngettext(
            "%(n)s place given to usual carers",
            "%(n)s places given to usual carers",
            result.assigned,
        )
        parts.append(given % {"n": result.assigned})
    return _("%(done)s. “Suggest carers” proposes who takes them.") % {"done": "; ".join(parts)}


@login_required
@require_POST
def week_generate(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team, monday = week_action(request, team_id, week)
    result = pattern_services.week_generate(team=team, monday=monday, actor=request.user)
    messages.success(request, _generated_words(result))
    # The usual carers who could not take a new visit, and why: the team sees each, up to a
    # screenful (a big first week could name dozens; the rest are counted).
    for warning in result.warnings[:GENERATE_WARNINGS_SHOWN]:
        messages.warning(request, _("Left open: %(why)s") % {"why": warning})
    if (more := len(result.warnings) - GENERATE_WARNINGS_SHOWN) > 0:
        words = ngettext(
            "%(n)s more visit left open for a usual carer.",
            "%(n)s more visits left open for a usual carer.",
            more,
        )
        messages.warning(request, words % {"n": more})
    return redirect(week_url(team.id, monday, "planning", day=asked_day(request.POST)))


@login_required
@require_POST
def week_copy_shifts(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    team, monday = week_action(request, team_id, week)
    copied = shift_services.shifts_copy_week(team=team, monday=monday, actor=request.user)
    if copied:
        words = ngettext(
            "Copied %(n)s shift from last week.", "Copied %(n)s shifts from last week.", copied
        )
        messages.success(request, words % {"n": copied})
    else:
        messages.info(request, _("No shifts to copy: last week is empty or everything is planned."))
    return redirect(week_url(team.id, monday))


@login_required
@require_POST
def week_assign(request: AuthedRequest, team_id: uuid.UUID, week: str) -> HttpResponse:
    """Give the selected visits to one member: one service call per visit, each on its own (a
    visit that changed meanwhile is refused, the others still go through)."""
    team, monday = week_action(request, team_id, week)
    day = asked_day(request.POST)
    member_id = _uuid(request.POST.get("member", ""))
    picked = [_picked(text) for text in request.POST.getlist("visit")]
    visit_ids = [p for p in picked if p is not None]
    errors: list[str] = []
    if member_id is None:
        errors.append(_("Choose the member to give the selected visits to."))
    if not visit_ids:
        errors.append(_("Select at least one visit."))
    member = (
        None
        if member_id is None
        else selectors.member_of_team(user=request.user, team=team, member_id=member_id)
    )
    if member_id is not None and member is None:
        errors.append(_("Choose a current member of this team."))
    if member is not None and not errors:
        results = visit_services.visits_assign_many(
            team=team, picked=visit_ids, member=member, actor=request.user
        )
        done = [r for r in results if r.ok]
        errors = [f"{r.label}: {r.detail}" for r in results if not r.ok]
        if done:
            messages.success(
                request,
                ngettext(
                    "Assigned %(n)s visit: %(visits)s.",
                    "Assigned %(n)s visits: %(visits)s.",
                    len(done),
                )
                % {"n": len(done), "visits": ", ".join(r.label for r in done)},
            )
    for error in errors:
        messages.error(request, error)
    if is_htmx(request):
        board = selectors.week_board(
            user=request.user,
            team_id=team.id,
            monday=monday,
            day=day,
            need_only=request.POST.get("need") == "1",
            all_visits=False,
        )
        response = render_week(request, board, PARTS["day"], day_update=True)
        response["HX-Trigger"] = "rota-changed"
        return response
    return redirect(week_url(team.id, monday, "day", day=day))
