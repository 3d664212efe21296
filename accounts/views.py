"""Account pages: sign-in (allauth's, with a way in for invited families), the Security page
(and signing one app device out), team invitations and sign-up from an invitation."""

import uuid
from typing import Any

from allauth.account.views import LoginView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy, services, tokens
from accounts.forms import NewAccountForm, TeamInviteForm
from accounts.language import language_cookie_set
from accounts.models import TeamInvitation
from accounts.signals import EPOCH
from careteams import access
from careteams.access import AnyUser
from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.models import Language, Team, User
from clients.services import family as family_services

BACKEND = "accounts.backends.EmailBackend"


def _add_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.detail)


def _invalid_link(request: HttpRequest, detail: str) -> HttpResponse:
    return render(request, "account/invitation_invalid.html", {"detail": detail}, status=404)


class SignInView(LoginView):
    """allauth's sign-in. When the person was sent here by a family invitation link, the page
    also offers to create an account for it."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["family_sign_up_url"] = self._family_sign_up_url()
        return context

    def _family_sign_up_url(self) -> str:
        target = self.request.GET.get("next") or self.request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return ""
        try:
            match = resolve(target.split("?")[0])
        except Resolver404:
            return ""
        if match.view_name != "clients:invitation":
            return ""
        return reverse("family-sign-up", kwargs={"token": match.kwargs["token"]})


@login_required
def security(request: AuthedRequest) -> HttpResponse:
    """How this person signs in, and the ways to make that safer."""
    return render(
        request,
        "account/security.html",
        {
            "has_totp": policy.has_totp(request.user),
            "is_staff": policy.is_staff(request.user),
            "mfa_required": policy.mfa_required(request.user),
            "devices": list(tokens.tokens_of(user=request.user)),
            "idle_days": settings.DEVICE_TOKEN_IDLE_DAYS,
            "max_days": settings.DEVICE_TOKEN_MAX_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_sign_out(request: AuthedRequest, device_id: uuid.UUID) -> HttpResponse:
    """Sign one device of the app out: a page that says what will happen, then a POST. Another
    person's device does not exist here (404)."""
    device = access.get_visible(tokens.tokens_of(user=request.user), device_id)
    if request.method == "POST":
        tokens.token_revoke(user=request.user, token_id=device.pk)
        messages.success(
            request,
            _(
                "“%(name)s” is signed out. The app on it will ask for your email address and "
                "password before it opens again."
            )
            % {"name": device.name},
        )
        return redirect("account-security")
    return render(request, "account/device_sign_out.html", {"device": device})


@login_required
@require_POST
def sign_out_other_devices(request: AuthedRequest) -> HttpResponse:
    epoch = services.sessions_end_others(user=request.user)
    request.session[EPOCH] = epoch
    # A new key too, so a copy of this session's old cookie is worth nothing either.
    request.session.cycle_key()
    messages.success(
        request, _("You are now signed out on every other device, and of the app on every phone.")
    )
    return redirect("account-security")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The switch on every page: back to the same page in the chosen language, for a year on
    this device, and as the person's own setting when they are signed in."""
    language = request.POST.get("language", "")
    if language not in Language.values:
        return HttpResponse(_("Choose English or Cymraeg."), status=400)
    user = request.user
    if isinstance(user, User):
        services.user_language_set(user=user, language=language)
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = redirect(target if safe else "home")
    language_cookie_set(response, language)
    return response


def _team_for_member(user: AnyUser, team_id: uuid.UUID) -> Team:
    team = access.member_teams(user).filter(id=team_id).first()
    if team is None:
        raise NotFound(_("No such team."))
    return team


@login_required
@require_http_methods(["GET", "POST"])
def team_invite(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = _team_for_member(request.user, team_id)
    link = ""
    status = 200
    if request.method == "POST":
        form = TeamInviteForm(request.POST)
        if form.is_valid():
            try:
                invitation, token = services.team_invite(
                    team=team, actor=request.user, **form.cleaned_data
                )
            except DomainError as error:
                if isinstance(error, NotFound):
                    raise
                _add_error(form, error)
            else:
                link = request.build_absolute_uri(
                    reverse("team-invitation", kwargs={"token": token})
                )
                _email_team_invitation(request, team=team, email=invitation.email, link=link)
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
                form = TeamInviteForm()
        if form.errors:
            status = 400
    else:
        form = TeamInviteForm()
    pending = TeamInvitation.objects.filter(
        team=team,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")
    return render(
        request,
        "account/team_invite.html",
        {
            "team": team,
            "form": form,
            "link": link,
            "pending": list(pending),
            "days": settings.TEAM_INVITATION_DAYS,
        },
        status=status,
    )


def _email_team_invitation(request: AuthedRequest, *, team: Team, email: str, link: str) -> None:
    inviter = request.user.get_full_name() or request.user.email
    words = {
        "inviter": inviter,
        "team": team.name,
        "days": settings.TEAM_INVITATION_DAYS,
        "link": link,
    }
    # In the team's language: the person invited has no setting of their own yet.
    with translation.override(team.language):
        subject = _("careteams: %(inviter)s invites you to join %(team)s") % words
        message = (
            _(
                "%(inviter)s has invited you to join the %(team)s care team on careteams.\n\n"
                "Open this link to accept (it works once, for %(days)s days):\n%(link)s\n\n"
                "If you were not expecting this, you can ignore this email."
            )
            % words
        )
    send_mail(subject=subject, message=message, from_email=None, recipient_list=[email])


@require_http_methods(["GET", "POST"])
def team_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Join a team from an invitation: a new person creates their account here; someone with
    an account signs in as the invited address and confirms."""
    try:
        invitation = services.team_invitation_for(token)
    except NotFound:
        return _invalid_link(request, services.LINK_DOES_NOT_WORK)
    user = request.user if request.user.is_authenticated else None
    existing = user is None and User.objects.filter(email=invitation.email).exists()
    if existing:
        messages.info(request, _("You already have an account: sign in to accept the invitation."))
        return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
    form = NewAccountForm(request.POST or None, email=invitation.email) if user is None else None
    error = ""
    if request.method == "POST":
        try:
            if user is not None:
                membership = services.team_invitation_accept(token=token, user=user)
            elif form is not None and form.is_valid():
                membership = services.team_invitation_accept(
                    token=token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend=BACKEND)
            else:
                membership = None
        except NotFound:
            return _invalid_link(request, services.LINK_DOES_NOT_WORK)
        except DomainError as exc:
            error = exc.detail
            if form is not None:
                _add_error(form, exc)
        else:
            if membership is not None:
                messages.success(
                    request, _("Welcome to %(team)s.") % {"team": membership.team.name}
                )
                return redirect("team-home", team_id=membership.team_id)
    has_errors = bool(error or (form is not None and form.errors))
    return render(
        request,
        "account/team_invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "errors": [error] if error else [],
            "has_errors": has_errors,
        },
        status=400 if has_errors else 200,
    )


@require_http_methods(["GET", "POST"])
def family_sign_up(request: HttpRequest, token: str) -> HttpResponse:
    """Create an account from a family invitation (the invited address is fixed) and accept it
    in the same step."""
    invitation_url = reverse("clients:invitation", kwargs={"token": token})
    try:
        invitation = family_services.invitation_for(token)
    except NotFound:
        return _invalid_link(request, family_services.LINK_DOES_NOT_WORK)
    if request.user.is_authenticated:
        return redirect(invitation_url)
    email = invitation.invited_email
    if not email or User.objects.filter(email=email).exists():
        messages.info(request, _("You already have an account: sign in to accept the invitation."))
        return redirect(f"{reverse('login')}?{urlencode({'next': invitation_url})}")
    form = NewAccountForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        try:
            family_access = services.family_sign_up(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except NotFound:
            return _invalid_link(request, family_services.LINK_DOES_NOT_WORK)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            assert family_access.person is not None
            login(request, family_access.person, backend=BACKEND)
            messages.success(
                request, _("Your account is ready and you can now read the care plan.")
            )
            return redirect("clients:family-client", client_id=family_access.client_id)
    return render(
        request,
        "account/family_sign_up.html",
        {"invitation": invitation, "form": form, "email": email},
        status=400 if form.errors else 200,
    )
