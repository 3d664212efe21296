"""Family access and the family's view: invitation links that expire, revoking, and a view
that shows only the plain-language plan, coming visits and shared notes of their own client."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams import hashing
from careteams.errors import DomainError, NotFound
from careteams.models import Change
from clients.models import CareProblem, FamilyAccess, Note
from clients.rules import INVITATION_LIFETIME
from clients.services import family
from scheduling.models import Visit
from tests.conftest import Cast
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def family_url(cast: Cast, name: str = "clients:family-client") -> str:
    return reverse(name, kwargs={"client_id": cast.client.id})


def invite(cast: Cast, email: str = "family.none@example.test", **kwargs: object) -> str:
    _, token = family.family_invite(
        client=cast.client,
        email=email,
        relationship="friend",
        consent_basis="client_consent",
        actor=cast.nurse,
        **kwargs,  # type: ignore[arg-type]
    )
    return token


def test_an_invitation_accepted_by_the_invitee_opens_the_family_view(
    client: HttpClient, cast: Cast
) -> None:
    token = invite(cast)
    invitee = cast.family_without_access
    client.force_login(invitee)
    assert client.get(family_url(cast)).status_code == 404
    url = reverse("clients:invitation", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    assert "Dafydd" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert client.get(family_url(cast)).status_code == 200
    access = FamilyAccess.objects.get(person=invitee)
    assert access.accepted_at is not None
    assert access.invitation_token_hash == ""
    assert Change.objects.filter(entity="family_access", entity_id=access.id).count() == 2
    assert "invitation_token_hash" not in Change.objects.filter(entity="family_access").last().data  # type: ignore[union-attr]


def test_an_invitation_link_works_only_once(client: HttpClient, cast: Cast) -> None:
    token = invite(cast)
    client.force_login(cast.family_without_access)
    url = reverse("clients:invitation", kwargs={"token": token})
    client.post(url)
    assert client.get(url).status_code == 404


def test_an_expired_invitation_opens_nothing(client: HttpClient, cast: Cast) -> None:
    token = invite(cast, now=timezone.now() - INVITATION_LIFETIME - dt.timedelta(minutes=1))
    client.force_login(cast.family_without_access)
    url = reverse("clients:invitation", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 404
    assert "does not work" in page.content.decode()
    assert "Dafydd" not in page.content.decode()
    assert client.post(url).status_code == 404
    assert client.get(family_url(cast)).status_code == 404
    assert not FamilyAccess.objects.filter(person=cast.family_without_access).exists()


def test_a_withdrawn_invitation_opens_nothing(client: HttpClient, cast: Cast) -> None:
    token = invite(cast)
    access = FamilyAccess.objects.get(invited_email="family.none@example.test")
    family.family_revoke(access=access, version=1, actor=cast.nurse)
    client.force_login(cast.family_without_access)
    url = reverse("clients:invitation", kwargs={"token": token})
    assert client.post(url).status_code == 404
    assert client.get(family_url(cast)).status_code == 404


def test_a_made_up_token_opens_nothing(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.family_without_access)
    assert client.get(reverse("clients:invitation", kwargs={"token": "x" * 43})).status_code == 404


def test_an_invitation_is_for_the_email_it_was_sent_to(client: HttpClient, cast: Cast) -> None:
    token = invite(cast)
    client.force_login(cast.outsider)
    response = client.post(reverse("clients:invitation", kwargs={"token": token}))
    assert response.status_code == 400
    assert "another email address" in response.content.decode()
    assert client.get(family_url(cast)).status_code == 404


def test_revoking_access_closes_the_family_view(client: HttpClient, cast: Cast) -> None:
    access = FamilyAccess.objects.get(person=cast.family)
    client.force_login(cast.nurse)
    response = client.post(
        reverse(
            "clients:family-revoke", kwargs={"client_id": cast.client.id, "access_id": access.id}
        ),
        {"version": access.version},
    )
    assert response.status_code == 302
    client.force_login(cast.family)
    assert client.get(family_url(cast)).status_code == 404
    assert client.get(family_url(cast, "clients:family-care-plan-pdf")).status_code == 404


def test_revoking_with_a_stale_version_changes_nothing(cast: Cast) -> None:
    access = FamilyAccess.objects.get(person=cast.family)
    with pytest.raises(DomainError):
        family.family_revoke(access=access, version=5, actor=cast.nurse)
    access.refresh_from_db()
    assert access.revoked_at is None


def test_the_team_makes_an_invitation_link_on_the_family_page(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    response = client.post(
        family_url(cast, "clients:family-access"),
        {"email": "cousin@example.test", "relationship": "relative", "consent_basis": "lpa_health"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "/family/invitations/" in page
    access = FamilyAccess.objects.get(invited_email="cousin@example.test")
    assert access.invitation_expires_at is not None
    assert access.invitation_expires_at > timezone.now() + dt.timedelta(days=6)
    token = page.split("/family/invitations/")[1].split("/")[0]
    assert access.invitation_token_hash == hashing.token_hash(token)
    assert token not in access.invitation_token_hash


def test_the_family_sees_the_plain_plan_visits_and_shared_notes_only(
    client: HttpClient,
    cast: Cast,
    problem: CareProblem,
    make_note: Callable[..., Note],
    upcoming_visit: Visit,
) -> None:
    make_note(body="Dafydd enjoyed his lunch today.", shareable=True)
    make_note(body="Discussed safeguarding worry with GP.", shareable=False)
    make_note(body="Shared about someone else.", shareable=True, client=cast.other_client_same_team)
    client.force_login(cast.family)
    page = client.get(family_url(cast)).content.decode()
    assert "Skin and wounds" in page
    assert "Dress the heel ulcer with a foam dressing" in page
    assert "Aoife" in page
    assert "Ní Bhriain" not in page  # the carer's first name only
    assert "Dafydd enjoyed his lunch today." in page
    assert "safeguarding" not in page
    assert "someone else" not in page
    assert "Key safe" not in page  # access notes are for the team
    assert "9434765919" not in page
    assert "943 476 5919" not in page
    for code_or_score in ("Omaha", "Knowledge", "Behaviour", "lesion/pressure ulcer"):
        assert code_or_score not in page


@pytest.mark.parametrize("who", ["family_without_access", "other_nurse", "coach", "outsider"])
def test_the_family_view_is_404_for_everyone_else(client: HttpClient, cast: Cast, who: str) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(family_url(cast)).status_code == 404
    assert client.get(family_url(cast, "clients:family-care-plan-pdf")).status_code == 404


def test_the_family_cannot_open_another_client_by_guessing_its_id(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.family)
    for other in (cast.other_client_same_team, cast.other_team_client):
        url = reverse("clients:family-client", kwargs={"client_id": other.id})
        assert client.get(url).status_code == 404


def test_the_client_reads_their_own_family_view(
    client: HttpClient, cast: Cast, problem: CareProblem
) -> None:
    client.force_login(cast.client_user)
    assert "Skin and wounds" in client.get(family_url(cast)).content.decode()


def test_the_family_care_plan_pdf_is_plain_and_prints_names_as_written(
    client: HttpClient, cast: Cast, problem: CareProblem, upcoming_visit: Visit
) -> None:
    client.force_login(cast.family)
    response = client.get(family_url(cast, "clients:family-care-plan-pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Care plan for Dafydd" in text
    assert "Skin and wounds" in text
    assert "Aoife" in text
    assert "Knowledge" not in text


def test_an_invitation_for_someone_who_already_has_access_is_refused(cast: Cast) -> None:
    token = invite(cast, email="family@example.test")
    with pytest.raises(DomainError, match="already"):
        family.family_accept(token=token, user=cast.family)


def test_accepting_a_revoked_token_raises_not_found(cast: Cast) -> None:
    token = invite(cast)
    access = FamilyAccess.objects.get(invited_email="family.none@example.test")
    family.family_revoke(access=access, version=1, actor=cast.nurse)
    with pytest.raises(NotFound):
        family.family_accept(token=token, user=cast.family_without_access)


def test_the_family_is_told_when_a_shared_note_was_corrected(
    client: HttpClient, cast: Cast, make_note: Callable[..., Note]
) -> None:
    old = make_note(body="Gave 10 units.", shareable=True)
    make_note(body="Correction: gave 8 units.", shareable=True, amends=old)
    client.force_login(cast.family)
    page = client.get(family_url(cast)).content.decode()
    assert "The team corrected this note later." in page
    assert "This corrects an earlier note." in page
