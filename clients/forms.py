"""Forms parse what people type into plain values; the services decide what is allowed."""

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from careteams import limits
from careteams.forms import BoundedDateField, BoundedDateTimeField, NhsForm
from careteams.models import Membership
from clients import nhs_number, omaha, postcode
from clients.models import (
    CareProblem,
    ClientLanguage,
    ClientStatus,
    ConsentBasis,
    Relationship,
    RiskFlag,
)
from clients.omaha_signs import signs_for
from clients.services.clients import ClientDetails, max_length

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class VersionField(forms.IntegerField):
    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, min_value=1)


def client_text(name: str, **kwargs: Any) -> forms.CharField:
    """A client's text field, with the service's limit and words."""
    limit = max_length(name)
    return forms.CharField(
        max_length=limit, error_messages={"max_length": limits.too_long(limit)}, **kwargs
    )


class ClientForm(NhsForm):
    given_name = client_text("given_name", label=_("Given name"))
    family_name = client_text("family_name", label=_("Family name"))
    preferred_name = client_text(
        "preferred_name",
        label=_("Preferred name"),
        required=False,
        help_text=_("What they like to be called."),
    )
    date_of_birth = BoundedDateField(label=_("Date of birth"), required=False)
    nhs_number = forms.CharField(
        label=_("NHS number"),
        max_length=14,
        required=False,
        help_text=_("10 digits, for example 943 476 5919."),
    )
    address_line_1 = client_text("address_line_1", label=_("Address line 1"), required=False)
    address_line_2 = client_text("address_line_2", label=_("Address line 2"), required=False)
    town = client_text("town", label=_("Town or city"), required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    phone = client_text("phone", label=_("Phone number"), required=False)
    access_notes = forms.CharField(
        label=_("Access notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Key safe, parking, pets: for the team only, never shown to the family."),
    )
    key_safe_code = forms.CharField(
        label=_("Key-safe code"),
        max_length=limits.KEY_SAFE_CODE_MAX,
        required=False,
        error_messages={"max_length": limits.too_long(limits.KEY_SAFE_CODE_MAX)},
        help_text=_(
            "Only the code. Shown to the team's nurses, and to carers on the day of their "
            "visit; never to the family or a coach."
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ClientStatus.choices, initial=ClientStatus.ACTIVE
    )
    risk_flags = forms.MultipleChoiceField(
        label=_("Risk flags"),
        choices=RiskFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Where the client lives, for travel between visits: for example 52.4862."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("For example -1.8904."),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=ClientLanguage.choices,
        required=False,
        help_text=_("Ask them: the language they would like to be cared for in."),
    )
    language_other = client_text(
        "language_other",
        label=_("The other language"),
        required=False,
        help_text=_("Only for another language: for example Polish."),
    )
    language_needed = forms.BooleanField(
        label=_("Needs care in this language"),
        required=False,
        help_text=_("For example dementia: the language they can still use."),
    )
    version = VersionField()

    def __init__(self, *args: Any, key_safe: bool = False, **kwargs: Any) -> None:
        """`key_safe`: whether this person may read (and so change) the key-safe code."""
        super().__init__(*args, **kwargs)
        if not key_safe:
            del self.fields["key_safe_code"]

    def typed_key_safe_code(self) -> str | None:
        """The code typed, or None when the form did not show it (leave it as stored)."""
        if "key_safe_code" not in self.fields:
            return None
        code: str = self.cleaned_data["key_safe_code"]
        return code

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"]
        if not value.strip():
            return ""
        nhs_number.validate(value)
        return nhs_number.normalise(value)

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        if not value.strip():
            return ""
        postcode.validate(value)
        return postcode.normalise(value)

    def details(self) -> ClientDetails:
        data = self.cleaned_data
        return ClientDetails(
            **{name: data[name] for name in ClientDetails.__dataclass_fields__ if name in data}
        )


class MemberChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_full_name()} ({obj.get_role_display()})"


class ProblemsField(forms.ModelMultipleChoiceField[CareProblem]):
    def label_from_instance(self, obj: CareProblem) -> str:
        return obj.problem.name


class NursesForm(NhsForm):
    primary_nurse = MemberChoiceField(
        label=_("Primary nurse"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("No one yet"),
    )
    second_nurse = MemberChoiceField(
        label=_("Second nurse"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("No one yet"),
    )
    version = VersionField()

    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("primary_nurse", "second_nurse"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = members
            field.error_messages["invalid_choice"] = _("Choose a current member of this team.")


class ProblemChoiceForm(NhsForm):
    problem_code = forms.ChoiceField(
        label=_("Problem"), choices=[("", _("Choose a problem")), *omaha.PROBLEM_CHOICES]
    )


class ProblemForm(NhsForm):
    problem_code = forms.CharField(widget=forms.HiddenInput)
    scope = forms.ChoiceField(
        label=_("Whose problem"), choices=omaha.Scope.choices, widget=forms.RadioSelect
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=omaha.Severity.choices,
        widget=forms.RadioSelect,
        help_text=_("Signs and symptoms are recorded for actual problems only."),
    )
    signs_symptoms = forms.MultipleChoiceField(
        label=_("Signs and symptoms"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    identified_on = BoundedDateField(label=_("Date identified"))

    def __init__(self, *args: Any, problem_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signs_symptoms"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(signs_for(problem_code).items())
        self.code = problem_code


class InterventionForm(NhsForm):
    category = forms.ChoiceField(label=_("Category"), choices=omaha.Category.choices)
    target = forms.ChoiceField(label=_("Target"), choices=omaha.TARGET_CHOICES)
    care_description = forms.CharField(
        label=_("What we do"),
        max_length=limits.CARE_DESCRIPTION_MAX,
        error_messages={"max_length": limits.too_long(limits.CARE_DESCRIPTION_MAX)},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Specific care, in words the family will understand: they read this."),
    )
    frequency = forms.CharField(
        label=_("How often"),
        max_length=limits.FREQUENCY_MAX,
        error_messages={"max_length": limits.too_long(limits.FREQUENCY_MAX)},
        required=False,
        help_text=_("For example: twice a day."),
    )


class RatingForm(NhsForm):
    knowledge = forms.TypedChoiceField(
        label=_("Knowledge"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 no knowledge … 5 superior knowledge"),
    )
    behaviour = forms.TypedChoiceField(
        label=_("Behaviour"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 not appropriate … 5 consistently appropriate"),
    )
    status = forms.TypedChoiceField(
        label=_("Status"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 extreme signs/symptoms … 5 no signs/symptoms"),
    )
    rated_on = BoundedDateField(label=_("Date rated"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # 0 or 6 typed into a forged form
        self.fields["knowledge"].error_messages["invalid_choice"] = _("Rate knowledge from 1 to 5.")
        self.fields["behaviour"].error_messages["invalid_choice"] = _("Rate behaviour from 1 to 5.")
        self.fields["status"].error_messages["invalid_choice"] = _("Rate status from 1 to 5.")


class ResolveForm(NhsForm):
    resolved_on = BoundedDateField(label=_("Date resolved"))
    version = VersionField()


class NoteForm(NhsForm):
    body = forms.CharField(
        label=_("Note"),
        max_length=limits.NOTE_BODY_MAX,
        error_messages={"max_length": limits.too_long(limits.NOTE_BODY_MAX)},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    problems = ProblemsField(
        label=_("About these problems"),
        queryset=CareProblem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shareable = forms.BooleanField(
        label=_("Share with the client and family"),
        required=False,
        help_text=_("They will be able to read this note."),
    )
    note_id = forms.UUIDField(widget=forms.HiddenInput)
    written_at = BoundedDateTimeField(widget=forms.HiddenInput, required=False)
    visit = forms.UUIDField(widget=forms.HiddenInput, required=False)
    amends = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, problems: QuerySet[CareProblem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["problems"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = problems
        field.error_messages["invalid_choice"] = _("Choose problems of this client's care plan.")
        if not self.is_bound:
            self.initial.setdefault("note_id", uuid.uuid4())


class InviteForm(NhsForm):
    email = forms.EmailField(label=_("Their email address"))
    relationship = forms.ChoiceField(
        label=_("Relationship to the client"), choices=Relationship.choices
    )
    consent_basis = forms.ChoiceField(label=_("Basis for sharing"), choices=ConsentBasis.choices)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, NHS number or postcode"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "nhsuk-input", "type": "search"}),
    )
