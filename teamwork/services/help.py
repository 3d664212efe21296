"""A team asks its coach for help; the coach answers. The answer is kept on the request and
posted in the team's channel, where the team talks it over with the coach (docs/teamwork.md)."""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import access, changes
from careteams.errors import DomainError, NotFound
from careteams.models import Team, User
from careteams.versioning import versioned_write
from messaging.services import message_post_team
from teamwork.models import TEXT_MAX, HelpRequest, HelpTopic


def help_request_ask(*, team: Team, topic: str, text: str, actor: User) -> HelpRequest:
    text = text.strip()
    if topic not in HelpTopic.values:
        raise DomainError(_("Choose a topic."), field="topic")
    if not text:
        raise DomainError(_("Say what you would like help with."), field="text")
    if len(text) > TEXT_MAX:
        raise DomainError(
            _("Keep this to %(n)s characters or fewer.") % {"n": f"{TEXT_MAX:,}"}, field="text"
        )
    access.require_member_of(actor, team.pk)
    with transaction.atomic():
        request = HelpRequest.objects.create(team=team, topic=topic, text=text, asked_by=actor)
        changes.record(team=team, entity="help_request", obj=request, actor=actor)
    return request


def help_request_answer(
    *, request: HelpRequest, answer: str, version: int, actor: User
) -> HelpRequest:
    """Only a coach of the team answers (members ask; the coach has no other write)."""
    answer = answer.strip()
    if not answer:
        raise DomainError(_("Write your answer."), field="answer")
    if len(answer) > TEXT_MAX:
        raise DomainError(
            _("Keep this to %(n)s characters or fewer.") % {"n": f"{TEXT_MAX:,}"}, field="answer"
        )
    if not access.coached_team_ids(actor).filter(team_id=request.team_id).exists():
        raise NotFound()
    with versioned_write(
        HelpRequest.objects.select_related("team"),
        pk=request.pk,
        version=version,
        entity="help_request",
        actor=actor,
    ) as current:
        current.answer = answer
        current.answered_by = actor
        current.answered_at = timezone.now()
        message_post_team(team=current.team, author=actor, body=answer, message_id=uuid.uuid4())
    return current
