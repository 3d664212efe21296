from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.core.exceptions import ValidationError

from accounts.policy import FACTS, with_sign_in_facts
from careteams.compiled import CompiledRead
from careteams.models import User

_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)


def _with_facts(user_id: Any) -> Any:
    return with_sign_in_facts(User.objects.filter(pk=user_id)).values_list(*_FIELDS, *FACTS)


# Every page request loads its user: compiled once (careteams/compiled.py).
_USER_READ = CompiledRead(_with_facts, User._meta.pk)


class EmailBackend(AuthenticationBackend):
    """allauth's backend (email and password), loading the request's user together with the
    facts the sign-in rules need: staff or not, second factor or not, session epoch."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            rows = _USER_READ.rows(user_id)
        except (ValidationError, ValueError):
            return None  # a session naming no user id at all
        if not rows:
            return None
        user = User.from_db("default", _FIELDS, rows[0][: len(_FIELDS)])
        for name, value in zip(FACTS, rows[0][len(_FIELDS) :], strict=True):
            setattr(user, name, value)
        return user if self.user_can_authenticate(user) else None
