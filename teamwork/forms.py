"""The team's forms. Limits and refusals come from the services; these only shape the input."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from careteams.forms import BoundedDateField, NhsForm
from careteams.models import Membership, Team, TeamRole
from careteams.services import TEAM_SETTINGS_FIELDS
from careteams.skills import Skill
from teamwork.models import ACTION_MAX, TEXT_MAX, TITLE_MAX, HelpTopic, Outcome

ANY_MEMBER = _("Any member")


def _member_label(member: Membership) -> str:
    return member.user.get_full_name() or member.user.email


class MemberChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _member_label(obj)


class MembersChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _member_label(obj)


class Versioned(NhsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


def settings_form_class() -> type[Versioned]:
    """The settings page's form: one field per name in careteams.services.TEAM_SETTINGS_FIELDS,
    as the Team model describes it (a field added to that tuple appears here by itself)."""
    fields: dict[str, Any] = forms.fields_for_model(Team, fields=TEAM_SETTINGS_FIELDS)
    fields["name"].label = _("Team name")
    fields["holiday_subdivision"].label = _("Bank holidays of")
    fields["holiday_subdivision"].required = True
    fields["continuity_limit"].label = _("Most carers per client in a week")
    fields["continuity_limit"].help_text = _(
        "The week board warns when a client would see more different carers than this."
    )
    fields["phone"].label = _("Team phone")
    fields["phone"].help_text = _("Families and carers call this number; it shows on their pages.")
    fields["phone_hours"].label = _("When the phone is answered")
    fields["late_grace_minutes"].label = _("Minutes before a visit counts as late")
    fields["late_grace_minutes"].help_text = _("Counted from the visit's latest start.")
    fields["language"].label = _("The language the team offers first")
    fields["language"].help_text = _(
        "Members who have not chosen a language see this one; a Welsh team offers Cymraeg."
    )
    fields["bilingual_notices"].label = _("Show notices for the public in Cymraeg and English")
    fields["bilingual_notices"].help_text = _(
        "The family's page heading and the care plan PDF's headings, in both languages side "
        "by side."
    )
    fields["managed_by_role"] = forms.ChoiceField(
        label=_("Who may change these settings and members' skills, hours and roles"),
        choices=[("", ANY_MEMBER), *TeamRole.choices],
        required=False,
        help_text=_("When nobody holds the chosen role, any member may."),
    )
    return type("TeamSettingsForm", (Versioned,), fields)


class MemberForm(Versioned):
    skills = forms.MultipleChoiceField(
        choices=Skill.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    contracted_hours = forms.DecimalField(
        label=_("Contracted hours a week"), min_value=0, max_value=60, decimal_places=1
    )


class RoleTermForm(NhsForm):
    member = MemberChoice(queryset=Membership.objects.none(), label=_("Who"))
    role = forms.ChoiceField(choices=TeamRole.choices, label=_("Role"))
    starts_on = BoundedDateField(label=_("From"))
    ends_on = BoundedDateField(label=_("Until"))

    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class MeetingForm(NhsForm):
    title = forms.CharField(max_length=TITLE_MAX, label=_("Meeting"))
    held_on = BoundedDateField(label=_("Date"))


class AgendaItemForm(NhsForm):
    title = forms.CharField(max_length=TITLE_MAX, label=_("Item"))
    proposal = forms.CharField(
        max_length=TEXT_MAX,
        required=False,
        label=_("Proposal (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you propose the team does. It can be written at the meeting."),
    )


class DecisionForm(NhsForm):
    text = forms.CharField(
        max_length=TEXT_MAX, label=_("The decision"), widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    present = MembersChoice(
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Who was present"),
    )
    objections = forms.CharField(
        max_length=TEXT_MAX,
        required=False,
        label=_("Objections raised"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "By consent: an objection that stands means the proposal is changed or parked."
        ),
    )

    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members  # type: ignore[attr-defined]


class ActionForm(NhsForm):
    text = forms.CharField(max_length=ACTION_MAX, label=_("Action"))
    owner = MemberChoice(queryset=Membership.objects.none(), label=_("Who"))
    due_on = BoundedDateField(label=pgettext_lazy("a deadline", "By"))

    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # type: ignore[attr-defined]


class DecisionSearchForm(NhsForm):
    q = forms.CharField(required=False, label=_("Words"), max_length=200)
    since = BoundedDateField(required=False, label=_("From"))
    until = BoundedDateField(required=False, label=_("To"))


class HelpForm(NhsForm):
    topic = forms.ChoiceField(choices=HelpTopic.choices)
    text = forms.CharField(
        max_length=TEXT_MAX,
        label=_("What would you like help with?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("About the team and how it works: never a client's name or details."),
    )


class AnswerForm(Versioned):
    answer = forms.CharField(
        max_length=TEXT_MAX, label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5})
    )
