"""The page forms of messages and handover notes, with the services' limits (careteams.limits)."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from careteams import limits
from careteams.forms import NhsForm


class MessageForm(NhsForm):
    body = forms.CharField(
        label=_("Message"),
        max_length=limits.MESSAGE_BODY_MAX,
        error_messages={
            "max_length": limits.too_long(limits.MESSAGE_BODY_MAX),
            "required": _("Write something before sending it."),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Made when the form is drawn: a POST sent twice (a retry, a double tap) writes one message.
    message_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("message_id", uuid.uuid4())


class ClientMessageForm(MessageForm):
    shared_with_family = forms.BooleanField(
        label=_("Share with the client and family"),
        required=False,
        help_text=_("They will be able to read this message in their view."),
    )


class HandoverForm(NhsForm):
    body = forms.CharField(
        label=_("Handover note"),
        max_length=limits.HANDOVER_BODY_MAX,
        error_messages={
            "max_length": limits.too_long(limits.HANDOVER_BODY_MAX),
            "required": _("Write something before sending it."),
        },
        help_text=_("What the next carer needs to know. They see it until they mark it read."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    handover_id = forms.UUIDField(widget=forms.HiddenInput)
    amends = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("handover_id", uuid.uuid4())
