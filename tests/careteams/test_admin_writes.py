"""The Django admin writes through the same services as every other door: its changes reach
the feed, raise the version, leave the published-week notices and close the sockets exactly
as the pages' and the API's do."""

from decimal import Decimal
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django import forms
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import SessionEpoch
from accounts.services import team_invite
from careteams import registry
from careteams.models import Change, CoachLink, Membership, User
from clients.models import FamilyAccess
from realtime.consumers import CloseCode
from scheduling.models import RotaNotice, RotaWeek, Shift, Visit, VisitStatus
from tests.careteams.test_consumer import closed_with, connect, messages_until_live
from tests.careteams.test_registry import (
    CHANGE,
    NEW,
    a_shift,
    fresh,
    latest,
    next_monday,
    through,
)
from tests.conftest import Cast


@pytest.fixture
def admin_client(cast: Cast) -> HttpClient:
    admin = User.objects.create_superuser("root@example.test", "not-used-here-1")
    browser = HttpClient()
    browser.force_login(admin)
    return browser


def admin_url(obj: Any, view: str) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def form_data(browser: HttpClient, url: str) -> dict[str, Any]:
    """What the admin's form posts back unchanged, read from the page it shows."""
    response = browser.get(url)
    assert response.status_code == 200
    data: dict[str, Any] = {}
    for field in response.context["adminform"].form:
        value, widget = field.value(), field.field.widget
        if isinstance(widget, forms.MultiWidget):
            parts = widget.decompress(value)
            assert parts is not None  # the admin's split widgets give a part for each widget
            for i, (part, sub) in enumerate(zip(parts, widget.widgets, strict=True)):
                data[f"{field.html_name}_{i}"] = sub.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = "" if value is None else value
    return data


def saved_through_admin(browser: HttpClient, obj: Any, **changes: Any) -> Any:
    url = admin_url(obj, "change")
    response = browser.post(url, {**form_data(browser, url), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return type(obj)._default_manager.get(pk=obj.pk)


UPDATABLE = sorted(e.name for e in registry.entities() if e.update is not None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", UPDATABLE)
def test_saving_any_changeable_record_in_the_admin_goes_through_its_service(
    admin_client: HttpClient, cast: Cast, name: str
) -> None:
    declared = registry.get(name)
    obj = through(name, NEW[name](cast), cast)
    CHANGE[name](obj)  # the change the service takes, made on the admin's form instead
    changed = {field: getattr(obj, field) for field in declared.changeable}
    obj = fresh(name, obj.pk)
    before = latest(name, obj.pk)
    url = admin_url(obj, "change")
    data = form_data(admin_client, url)
    for field, value in changed.items():
        if field in data and not isinstance(value, list):
            data[field] = "" if value is None else getattr(value, "pk", value)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = fresh(name, obj.pk)
    after = latest(name, obj.pk)
    assert after.seq > before.seq
    assert stored.version == obj.version + 1 == after.version
    assert after.data == declared.serialise(stored)


@pytest.mark.django_db
def test_a_shift_changed_in_the_admin_in_a_published_week_tells_its_member(
    admin_client: HttpClient, cast: Cast
) -> None:
    monday = next_monday(cast)
    through("rota_week", RotaWeek(team=cast.team, week_start=monday), cast)
    shift = through("shift", a_shift(cast, cast.carer_membership, monday), cast)
    notices = RotaNotice.objects.filter(member=cast.carer_membership).count()
    stored = saved_through_admin(admin_client, shift, note="Start at the surgery")
    assert stored.note == "Start at the surgery"
    assert stored.version == 2 == latest("shift", shift.id).version
    assert RotaNotice.objects.filter(member=cast.carer_membership).count() == notices + 1
    notice = RotaNotice.objects.filter(member=cast.carer_membership).latest("created_at")
    assert latest("rota_notice", notice.id).data["text"] == notice.text


@pytest.mark.django_db
def test_a_shift_deleted_in_the_admin_in_a_published_week_tells_its_member(
    admin_client: HttpClient, cast: Cast
) -> None:
    monday = next_monday(cast)
    through("rota_week", RotaWeek(team=cast.team, week_start=monday), cast)
    shift = through("shift", a_shift(cast, cast.carer_membership, monday), cast)
    notices = RotaNotice.objects.filter(member=cast.carer_membership).count()
    response = admin_client.post(admin_url(shift, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Shift.objects.filter(pk=shift.pk).exists()
    assert latest("shift", shift.id).op == "delete"
    assert RotaNotice.objects.filter(member=cast.carer_membership).count() == notices + 1


@pytest.mark.django_db
def test_a_shift_added_in_the_admin_is_in_the_feed(admin_client: HttpClient, cast: Cast) -> None:
    monday = next_monday(cast)
    response = admin_client.post(
        reverse("admin:scheduling_shift_add"),
        {
            "team": cast.team.pk,
            "member": cast.carer_membership.pk,
            "start_0": monday.isoformat(),
            "start_1": "07:00",
            "end_0": monday.isoformat(),
            "end_1": "14:00",
            "kind": "early",
            "break_minutes": 30,
            "note": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    shift = Shift.objects.get(member=cast.carer_membership)
    assert latest("shift", shift.id).data == registry.get("shift").serialise(shift)


@pytest.mark.django_db
def test_a_stale_admin_form_gets_the_services_conflict_and_changes_nothing(
    admin_client: HttpClient, cast: Cast
) -> None:
    shift = through("shift", a_shift(cast, cast.carer_membership, next_monday(cast)), cast)
    url = admin_url(shift, "change")
    stale = form_data(admin_client, url)
    saved_through_admin(admin_client, shift, note="First")
    response = admin_client.post(url, {**stale, "note": "Second"})
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    shift.refresh_from_db()
    assert (shift.note, shift.version) == ("First", 2)


@pytest.mark.django_db
def test_the_service_refusal_shows_on_the_admin_form(admin_client: HttpClient, cast: Cast) -> None:
    shift = through("shift", a_shift(cast, cast.carer_membership, next_monday(cast)), cast)
    url = admin_url(shift, "change")
    response = admin_client.post(
        url, {**form_data(admin_client, url), "member": cast.other_nurse_membership.pk}
    )
    assert response.status_code == 200
    shift.refresh_from_db()
    assert shift.member_id == cast.carer_membership.pk


@pytest.mark.django_db
def test_a_family_access_in_the_admin_is_revoked_through_its_service_and_never_shows_the_hash(
    admin_client: HttpClient, cast: Cast
) -> None:
    access = FamilyAccess.objects.get(person=cast.family)
    page = admin_client.get(admin_url(access, "change"))
    assert "invitation_token_hash" not in page.content.decode()
    response = admin_client.post(
        reverse("admin:clients_familyaccess_changelist"),
        {"action": "end_selected", "_selected_action": [access.pk]},
    )
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.revoked_at is not None
    change = latest("family_access", access.id)
    assert change.version == access.version == 2
    assert "invitation_token_hash" not in change.data


@pytest.mark.django_db
def test_a_visit_is_cancelled_in_the_admin_never_deleted(
    admin_client: HttpClient, cast: Cast
) -> None:
    visit = through("visit", NEW["visit"](cast), cast)
    assert admin_client.post(admin_url(visit, "delete"), {"post": "yes"}).status_code == 403
    admin_client.post(
        reverse("admin:scheduling_visit_changelist"),
        {"action": "end_selected", "_selected_action": [visit.pk]},
    )
    visit = Visit.objects.get(pk=visit.pk)
    assert visit.status == VisitStatus.CANCELLED
    assert latest("visit", visit.id).data["status"] == VisitStatus.CANCELLED


@pytest.mark.django_db
def test_an_account_switched_off_in_the_admin_is_signed_out_everywhere(
    admin_client: HttpClient, cast: Cast
) -> None:
    url = reverse("admin:careteams_user_change", args=[cast.carer.pk])
    data = form_data(admin_client, url)
    data.pop("is_active", None)
    assert admin_client.post(url, data).status_code == 302
    cast.carer.refresh_from_db()
    assert not cast.carer.is_active
    assert SessionEpoch.objects.get(user=cast.carer).epoch == 1


def end_membership_in_admin(browser: HttpClient, membership: Membership) -> int:
    response = browser.post(
        reverse("admin:careteams_membership_changelist"),
        {"action": "end_selected", "_selected_action": [membership.pk]},
    )
    return response.status_code


@pytest.mark.django_db
def test_a_membership_is_never_deleted_in_the_admin(admin_client: HttpClient, cast: Cast) -> None:
    membership = cast.carer_membership
    assert admin_client.post(admin_url(membership, "delete"), {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk, ended_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
async def test_a_membership_ended_in_the_admin_closes_the_leavers_socket(cast: Cast) -> None:
    browser = await database_sync_to_async(admin_browser)()
    socket = await connect(cast.team, cast.carer)
    await messages_until_live(socket)
    membership = cast.carer_membership
    status = await database_sync_to_async(end_membership_in_admin)(browser, membership)
    assert status == 302
    change = await socket.receive_json_from(timeout=2)
    assert (change["entity"], change["id"]) == ("membership", str(membership.id))
    assert await closed_with(socket) == CloseCode.ACCESS_ENDED
    ended = await Membership.objects.aget(pk=membership.pk)
    assert ended.ended_at is not None
    assert ended.version == 2
    feed = await Change.objects.filter(entity="membership", entity_id=membership.id).alatest("seq")
    assert feed.version == 2
    assert feed.data["ended_at"] is not None


@pytest.mark.django_db(transaction=True)
async def test_a_coach_link_ended_in_the_admin_closes_the_coachs_socket(cast: Cast) -> None:
    browser = await database_sync_to_async(admin_browser)()
    socket = await connect(cast.team, cast.coach)
    await messages_until_live(socket)
    link = await CoachLink.objects.aget(coach=cast.coach, team=cast.team)
    response = await database_sync_to_async(browser.post)(
        reverse("admin:careteams_coachlink_changelist"),
        {"action": "end", "_selected_action": [link.pk]},
    )
    assert response.status_code == 302
    assert await closed_with(socket) == CloseCode.ACCESS_ENDED


def admin_browser() -> HttpClient:
    admin = User.objects.create_superuser("root@example.test", "not-used-here-1")
    browser = HttpClient()
    browser.force_login(admin)
    return browser


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(registry.names()))
def test_every_kinds_admin_pages_open_and_offer_only_what_its_services_do(
    admin_client: HttpClient, cast: Cast, name: str
) -> None:
    declared = registry.get(name)
    meta = declared.model._meta
    changelist = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    if changelist.status_code == 404:
        return  # not in the admin at all
    assert changelist.status_code == 200
    add = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    # Invitation links are shown once, on the client's page; notes are written in the app.
    may_add = declared.create is not None and name not in {"family_access", "note"}
    assert add.status_code == (200 if may_add else 403)
    if may_add:
        assert list(add.context["adminform"].form.fields) == list(declared.inputs)


@pytest.mark.django_db
def test_a_coach_link_added_in_the_admin_opens_the_teams_rota_to_the_coach(
    admin_client: HttpClient, cast: Cast
) -> None:
    response = admin_client.post(
        reverse("admin:careteams_coachlink_add"),
        {"coach": cast.outsider.pk, "team": cast.team.pk},
    )
    assert response.status_code == 302
    assert CoachLink.objects.filter(coach=cast.outsider, team=cast.team, ended_at=None).exists()
    link = CoachLink.objects.get(coach=cast.outsider)
    assert admin_client.get(admin_url(link, "change")).status_code == 200  # view only
    assert admin_client.post(admin_url(link, "delete"), {"post": "yes"}).status_code == 403


@pytest.mark.django_db
def test_an_invitation_is_withdrawn_in_the_admin_never_edited(
    admin_client: HttpClient, cast: Cast
) -> None:
    invitation, _token = team_invite(
        team=cast.team,
        email="new.carer@example.test",
        role="care_worker",
        contracted_hours=Decimal(20),
        actor=cast.nurse,
    )
    url = admin_url(invitation, "change")
    assert "token_hash" not in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"email": "someone.else@example.test"}).status_code == 403
    admin_client.post(
        reverse("admin:accounts_teaminvitation_changelist"),
        {"action": "withdraw", "_selected_action": [invitation.pk]},
    )
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    assert invitation.email == "new.carer@example.test"
