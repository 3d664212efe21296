"""Forms parse what people type into plain values; the services decide what is allowed.

Times are typed in the team's time zone. A time that does not exist (the hour skipped when the
clocks go forward) is refused rather than silently moved.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from careteams import dates, limits
from careteams.forms import BoundedDateField, NhsForm, TimeInput
from careteams.models import Membership, Role
from careteams.skills import Skill
from careteams.versioned_forms import OUT_OF_DATE
from clients.models import Client
from scheduling.models import AbsenceKind, ShiftKind

NOT_A_MEMBER = _("Choose a current member of this team.")
NOT_A_CLIENT = _("Choose a client of this team.")


def local_datetime(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    """The aware datetime for a local date and time, or None when the clocks skip that time."""
    moment = dt.datetime.combine(day, time, tzinfo=zone)
    round_trip = moment.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


class MemberChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return str(obj.user.get_full_name() or obj.user.email)


class ClientChoiceField(forms.ModelChoiceField[Client]):
    def label_from_instance(self, obj: Client) -> str:
        return str(obj.full_name)


def kind_field(label: StrOrPromise, choices: type[models.TextChoices]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices.choices,
        error_messages={"invalid_choice": limits.not_a_choice(choices.values)},
    )


def rota_note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note"),
        required=False,
        max_length=limits.ROTA_NOTE_MAX,
        error_messages={"max_length": limits.too_long(limits.ROTA_NOTE_MAX)},
    )


TEAM_MEMBER = _("Team member")


def member_field(
    members: QuerySet[Membership], label: StrOrPromise = TEAM_MEMBER
) -> MemberChoiceField:
    return MemberChoiceField(
        queryset=members,
        label=label,
        empty_label=_("Choose a member"),
        error_messages={"invalid_choice": NOT_A_MEMBER, "required": _("Choose a team member.")},
    )


class VersionForm(NhsForm):
    """Every change names the version it was based on, so a stale page cannot overwrite."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": OUT_OF_DATE},
    )


class ZonedForm(NhsForm):
    # The services' start/end and window are typed here as a day and times of day.
    service_fields = {
        "start": "start_time",
        "end": "end_time",
        "window_start": "earliest",
        "window_end": "latest",
    }

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def _at(
        self, day_field: str, time_field: str, day: dt.date | None = None
    ) -> dt.datetime | None:
        day = day or self.cleaned_data.get(day_field)
        time = self.cleaned_data.get(time_field)
        if day is None or time is None:
            return None
        moment = local_datetime(day, time, self.zone)
        if moment is None:
            self.add_error(
                time_field,
                _("%(time)s does not exist on %(day)s: the clocks go forward.")
                % {"time": f"{time:%H:%M}", "day": formats.date_format(day, "j F Y")},
            )
        return moment


class ShiftForm(ZonedForm):
    member = forms.Field()  # replaced in __init__ by the team's members
    day = BoundedDateField(label=_("Day"))
    start_time = forms.TimeField(label=_("Start"), widget=TimeInput)
    end_time = forms.TimeField(label=_("End"), widget=TimeInput)
    ends_next_day = forms.BooleanField(
        label=_("Ends the next day"),
        required=False,
        help_text=_("For a night or a late past midnight."),
    )
    kind = kind_field(_("Kind of shift"), ShiftKind)
    break_minutes = forms.IntegerField(
        label=_("Break (minutes)"),
        min_value=0,
        max_value=limits.BREAK_MINUTES_MAX,
        initial=30,
        help_text=_("More than 6 hours' work needs a break of at least 20 minutes."),
    )
    note = rota_note_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = member_field(members)
        self.order_fields(["member", "day", "start_time", "end_time", "ends_next_day"])
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = self._at("day", "start_time")
        day = data.get("day")
        end_day = day + dt.timedelta(days=1) if day and data.get("ends_next_day") else day
        end = self._at("day", "end_time", end_day)
        if start and end and end <= start:
            self.add_error(
                "end_time",
                _(
                    "The end must be after the start. "
                    "For a shift past midnight, tick “Ends the next day”."
                ),
            )
        data["start"], data["end"] = start, end
        return data


class AbsenceForm(NhsForm):
    member = forms.Field()
    kind = kind_field(_("Kind of absence"), AbsenceKind)
    first_day = BoundedDateField(label=_("First day away"))
    last_day = BoundedDateField(label=_("Last day away"))
    note = rota_note_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self, *args: Any, members: QuerySet[Membership], zone: ZoneInfo, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["member"] = member_field(members)
        self.order_fields(["member", "kind", "first_day", "last_day"])
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", _("The last day must be on or after the first day."))
            elif (last - first).days > 366:
                self.add_error("last_day", _("Record an absence of at most a year at a time."))
            else:
                data["start"] = dt.datetime.combine(first, dt.time.min, tzinfo=self.zone)
                data["end"] = dt.datetime.combine(
                    last + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone
                )
        return data


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CareFields(NhsForm):
    """What visits and patterns share: skills, carers needed and tasks."""

    required_skills = forms.MultipleChoiceField(
        label=_("Skills needed"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_role = forms.ChoiceField(
        label=_("Role needed"),
        choices=[("", _("Anyone on the team")), *Role.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "The least role who may make the visit: a registered nurse may make a "
            "care worker’s visit, never the reverse."
        ),
    )
    carers_needed = forms.TypedChoiceField(
        label=_("Carers needed"),
        choices=[(1, _("One carer")), (2, _("Two carers (double-up)"))],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    tasks = forms.CharField(
        label=_("Tasks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One task a line, e.g. “Medication prompt”."),
    )

    def clean_tasks(self) -> list[str]:
        tasks = _lines(self.cleaned_data.get("tasks") or "")
        if any(len(task) > limits.TASK_MAX for task in tasks):
            raise forms.ValidationError(limits.too_long(limits.TASK_MAX))
        return tasks


class VisitForm(ZonedForm, CareFields):
    client = forms.Field()
    day = BoundedDateField(label=_("Day"))
    start_time = forms.TimeField(label=_("Start"), widget=TimeInput)
    end_time = forms.TimeField(label=_("End"), widget=TimeInput)
    earliest = forms.TimeField(label=_("Earliest start"), required=False, widget=TimeInput)
    latest = forms.TimeField(label=_("Latest start"), required=False, widget=TimeInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, clients: QuerySet[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"] = ClientChoiceField(
            queryset=clients,
            label=_("Client"),
            empty_label=_("Choose a client"),
            error_messages={"invalid_choice": NOT_A_CLIENT, "required": _("Choose a client.")},
        )
        self.order_fields(["client", "day", "start_time", "end_time", "earliest", "latest"])
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["start"] = start = self._at("day", "start_time")
        data["end"] = end = self._at("day", "end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        data["window_start"] = self._at("day", "earliest") if data.get("earliest") else None
        data["window_end"] = self._at("day", "latest") if data.get("latest") else None
        if (
            data["window_start"]
            and data["window_end"]
            and data["window_end"] < data["window_start"]
        ):
            self.add_error("latest", _("The latest start must not be before the earliest."))
        return data


class PatternForm(CareFields):
    client = forms.Field()
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=dates.ISO_WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day of the week.")},
    )
    window_start = forms.TimeField(label=_("Earliest start"), widget=TimeInput)
    window_end = forms.TimeField(label=_("Latest start"), widget=TimeInput)
    duration_minutes = forms.IntegerField(
        label=_("Length of the visit (minutes)"), min_value=5, max_value=720
    )
    valid_from = BoundedDateField(label=_("From"))
    valid_until = BoundedDateField(
        label=_("Until"), required=False, help_text=_("Leave empty if it has no end.")
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    interval_weeks = forms.IntegerField(
        label=_("Repeat every how many weeks"),
        min_value=1,
        max_value=limits.PATTERN_INTERVAL_WEEKS_MAX,
        initial=1,
        help_text=_("1 for every week, 2 for every other week: counted from the week of “From”."),
    )
    usual_carers = forms.Field(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self,
        *args: Any,
        clients: QuerySet[Client],
        members: QuerySet[Membership] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"] = ClientChoiceField(
            queryset=clients,
            label=_("Client"),
            empty_label=_("Choose a client"),
            error_messages={"invalid_choice": NOT_A_CLIENT, "required": _("Choose a client.")},
        )
        self.fields["usual_carers"] = forms.ModelMultipleChoiceField(
            queryset=members if members is not None else Membership.objects.none(),
            label=_("Usual carers"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Put on each new visit when they are on shift and free."),
            error_messages={"invalid_choice": NOT_A_MEMBER, "invalid_pk_value": NOT_A_MEMBER},
        )
        self.order_fields(
            [
                "client",
                "weekdays",
                "interval_weeks",
                "window_start",
                "window_end",
                "duration_minutes",
            ]
        )
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The latest start must not be before the earliest."))
        first, last = data.get("valid_from"), data.get("valid_until")
        if first and last and last < first:
            self.add_error("valid_until", _("The last day must not be before the first."))
        return data


class MemberActionForm(VersionForm):
    """Assign or unassign a carer."""

    member = forms.Field()

    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = member_field(members, label=_("Carer"))
        self.style_widgets()
