from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form, labelled and typed for people who sign in by email on a tablet."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Email address"
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "username", "class": "nhsuk-input", "spellcheck": "false"}
        )
        username.error_messages["required"] = "Enter your email address"
        password = self.fields["password"]
        password.widget.attrs.update({"class": "nhsuk-input", "autocomplete": "current-password"})
        password.error_messages["required"] = "Enter your password"
