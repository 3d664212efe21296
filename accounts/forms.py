from decimal import Decimal
from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from careteams.models import Role, User


class SignInForm(LoginForm):
    """allauth's sign-in form, labelled and typed for people who sign in by email on a tablet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Email address")
        login.widget = forms.EmailInput(
            attrs={"autocomplete": "username", "class": "nhsuk-input", "spellcheck": "false"}
        )
        login.error_messages["required"] = _("Enter your email address")
        login.error_messages["invalid"] = _("Enter an email address like name@example.com")
        password = self.fields["password"]
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)
        password.widget.attrs.update({"class": "nhsuk-input", "autocomplete": "current-password"})
        password.error_messages["required"] = _("Enter your password")


class TeamInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        error_messages={
            "required": _("Enter the email address of the person you are inviting"),
            "invalid": _("Enter an email address like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"class": "nhsuk-input", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
        error_messages={"required": _("Choose their role")},
    )
    contracted_hours = forms.DecimalField(
        label=_("Contracted hours a week"),
        min_value=Decimal(0),
        max_value=Decimal(60),
        max_digits=4,
        decimal_places=1,
        error_messages={
            "required": _("Enter their contracted hours a week"),
            "invalid": _("Enter their contracted hours as a number, like 37.5"),
            "min_value": _("Contracted hours must be 0 or more"),
            "max_value": _("Contracted hours must be 60 or fewer"),
        },
        widget=forms.NumberInput(
            attrs={
                "class": "nhsuk-input nhsuk-input--width-4",
                "step": "0.5",
                "inputmode": "decimal",
            }
        ),
    )


class NewAccountForm(forms.Form):
    """Name and a new password, for someone joining through an invitation (their email address
    is fixed by the invitation)."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Enter your first name")},
        widget=forms.TextInput(attrs={"class": "nhsuk-input", "autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Enter your last name")},
        widget=forms.TextInput(attrs={"class": "nhsuk-input", "autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        help_text=_("At least 12 characters. A few unrelated words are easy to remember."),
        error_messages={"required": _("Create a password")},
        widget=forms.PasswordInput(attrs={"class": "nhsuk-input", "autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        error_messages={"required": _("Type the password again")},
        widget=forms.PasswordInput(attrs={"class": "nhsuk-input", "autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same"))
        elif first:
            candidate = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
