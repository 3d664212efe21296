"""Joining by invitation only: a team member invites a colleague (the link works once, for 7
days), and a family member without an account creates one from the client's invitation."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import TeamInvitation
from careteams import hashing
from careteams.errors import DomainError, NotFound
from careteams.models import Change, Membership, Role, User
from clients.models import FamilyAccess
from clients.services import family as family_services
from tests.accounts.helpers import sign_in
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new password for the tablet"


def invite(cast: Cast, email: str = "new.nurse@example.test", **extra: object) -> str:
    _, token = services.team_invite(
        team=cast.team,
        email=email,
        role=Role.REGISTERED_NURSE,
        contracted_hours=Decimal("22.5"),
        actor=cast.carer,
        **extra,  # type: ignore[arg-type]
    )
    return token


def new_account(**extra: str) -> dict[str, str]:
    return {
        "first_name": "Rhiannon",
        "last_name": "Prys",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }


def test_a_member_invites_a_colleague_and_the_link_is_emailed(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    response = client.post(
        reverse("team-invite", args=[cast.team.id]),
        {"email": "New.Nurse@example.test", "role": "registered_nurse", "contracted_hours": "22.5"},
    )
    assert response.status_code == 200
    invitation = TeamInvitation.objects.get()
    assert invitation.email == "new.nurse@example.test"
    assert invitation.invited_by == cast.carer
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    [sent] = mail.outbox
    link = re.search(r"http://testserver(/accounts/join/\S+/)", str(sent.body))
    assert link is not None
    assert link.group(1) in response.content.decode()
    token = link.group(1).split("/")[-2]
    assert invitation.token_hash == hashing.token_hash(token)
    assert token not in invitation.token_hash


@pytest.mark.parametrize("who", ["coach", "other_nurse", "family", "outsider"])
def test_only_members_of_the_team_may_invite(client: HttpClient, cast: Cast, who: str) -> None:
    client.force_login(getattr(cast, who))
    url = reverse("team-invite", args=[cast.team.id])
    assert client.get(url).status_code == 404
    data = {"email": "x@example.test", "role": "care_worker", "contracted_hours": "10"}
    assert client.post(url, data).status_code == 404
    assert not TeamInvitation.objects.exists()


def test_a_bad_invitation_form_says_what_to_fix(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        reverse("team-invite", args=[cast.team.id]),
        {"email": cast.carer.email, "role": "care_worker", "contracted_hours": "99"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in page
    assert "Contracted hours must be 60 or fewer" in page


def test_a_current_member_cannot_be_invited_again(cast: Cast) -> None:
    with pytest.raises(DomainError, match="already a member"):
        invite(cast, email=cast.nurse.email)


def test_accepting_creates_the_account_the_membership_and_a_change(
    client: HttpClient, cast: Cast
) -> None:
    token = invite(cast)
    url = reverse("team-invitation", args=[token])
    page = client.get(url).content.decode()
    assert "Join Riverside" in page
    assert "new.nurse@example.test" in page

    response = client.post(url, new_account())
    assert response["Location"] == reverse("team-home", args=[cast.team.id])
    user = User.objects.get(email="new.nurse@example.test")
    assert user.get_full_name() == "Rhiannon Prys"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user, team=cast.team)
    assert membership.role == Role.REGISTERED_NURSE
    assert membership.contracted_hours == Decimal("22.5")
    change = Change.objects.get(team=cast.team, entity="membership", entity_id=membership.id)
    assert change.actor == user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("team-home", args=[cast.team.id])).status_code == 200


def test_the_new_colleague_can_sign_in_with_their_new_password(cast: Cast) -> None:
    token = invite(cast)
    HttpClient().post(reverse("team-invitation", args=[token]), new_account())
    client = HttpClient()
    sign_in(client, "new.nurse@example.test", NEW_PASSWORD)
    assert "_auth_user_id" in client.session


def test_a_weak_or_mismatched_password_is_refused(client: HttpClient, cast: Cast) -> None:
    token = invite(cast)
    url = reverse("team-invitation", args=[token])
    weak = client.post(url, new_account(password1="password", password2="password"))
    assert weak.status_code == 400
    assert "<title>Error: " in weak.content.decode()
    mismatch = client.post(url, new_account(password2="something else entirely"))
    assert "The two passwords are not the same" in mismatch.content.decode()
    assert not User.objects.filter(email="new.nurse@example.test").exists()


def test_a_used_link_opens_nothing(client: HttpClient, cast: Cast) -> None:
    token = invite(cast)
    url = reverse("team-invitation", args=[token])
    HttpClient().post(url, new_account())
    assert client.get(url).status_code == 404
    assert client.post(url, new_account(first_name="Someone")).status_code == 404
    assert Membership.objects.filter(user__email="new.nurse@example.test").count() == 1


def test_an_expired_link_opens_nothing(client: HttpClient, cast: Cast) -> None:
    token = invite(cast, now=timezone.now() - dt.timedelta(days=7, minutes=1))
    url = reverse("team-invitation", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url, new_account()).status_code == 404
    assert not User.objects.filter(email="new.nurse@example.test").exists()


def test_a_made_up_or_replaced_link_opens_nothing(client: HttpClient, cast: Cast) -> None:
    first = invite(cast)
    invite(cast)  # a new invitation to the same person replaces the first link
    assert client.get(reverse("team-invitation", args=[first])).status_code == 404
    assert client.get(reverse("team-invitation", args=["made-up"])).status_code == 404
    with pytest.raises(NotFound):
        services.team_invitation_accept(token="made-up", first_name="A", password=NEW_PASSWORD)


def test_someone_with_an_account_signs_in_then_joins(cast: Cast) -> None:
    token = invite(cast, email=cast.other_nurse.email)
    url = reverse("team-invitation", args=[token])
    anonymous = HttpClient()
    response = anonymous.get(url)
    assert response["Location"].startswith(reverse("login"))

    client = HttpClient()
    client.force_login(cast.other_nurse)
    assert "Join the team" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("team-home", args=[cast.team.id])
    assert Membership.objects.active().filter(user=cast.other_nurse, team=cast.team).exists()


def test_an_invitation_cannot_be_accepted_by_someone_else(cast: Cast) -> None:
    token = invite(cast)
    client = HttpClient()
    client.force_login(cast.outsider)
    response = client.post(reverse("team-invitation", args=[token]))
    assert response.status_code == 400
    assert "sent to another email address" in response.content.decode()
    assert not Membership.objects.filter(user=cast.outsider).exists()


# Family ------------------------------------------------------------------------------------


def family_invitation(cast: Cast, email: str = "cousin@example.test") -> str:
    _, token = family_services.family_invite(
        client=cast.client,
        email=email,
        relationship="relative",
        consent_basis="client_consent",
        actor=cast.nurse,
    )
    return token


def test_a_family_invitee_without_an_account_is_offered_sign_up(
    client: HttpClient, cast: Cast
) -> None:
    token = family_invitation(cast)
    invitation_url = reverse("clients:invitation", args=[token])
    response = client.get(invitation_url, follow=True)
    page = response.content.decode()
    assert ">Sign in<" in page
    assert reverse("family-sign-up", args=[token]) in page


def test_a_family_member_creates_an_account_from_the_invitation(
    client: HttpClient, cast: Cast
) -> None:
    token = family_invitation(cast)
    url = reverse("family-sign-up", args=[token])
    page = client.get(url).content.decode()
    assert 'value="cousin@example.test" readonly' in page

    response = client.post(url, {**new_account(), "email": "someone.else@example.test"})
    assert response["Location"] == reverse("clients:family-client", args=[cast.client.id])
    user = User.objects.get(email="cousin@example.test")
    assert not User.objects.filter(email="someone.else@example.test").exists()
    access = FamilyAccess.objects.get(person=user)
    assert access.client == cast.client
    assert access.accepted_at is not None
    assert client.get(response["Location"]).status_code == 200
    assert client.get(url).status_code == 404  # used


def test_family_sign_up_from_a_bad_link_opens_nothing(client: HttpClient, cast: Cast) -> None:
    assert client.get(reverse("family-sign-up", args=["made-up"])).status_code == 404
    assert (
        client.post(reverse("family-sign-up", args=["made-up"]), new_account()).status_code == 404
    )


def test_an_invitee_who_has_an_account_is_sent_to_sign_in(client: HttpClient, cast: Cast) -> None:
    token = family_invitation(cast, email=cast.family_without_access.email)
    response = client.get(reverse("family-sign-up", args=[token]))
    assert response["Location"].startswith(reverse("login"))
    sign_in(client, cast.family_without_access.email, PASSWORD)
    assert client.post(reverse("clients:invitation", args=[token])).status_code == 302
    assert FamilyAccess.objects.filter(person=cast.family_without_access).exists()
