from typing import Any

from allauth.account.auth_backends import AuthenticationBackend

from accounts.policy import with_sign_in_facts
from careteams.models import User


class EmailBackend(AuthenticationBackend):
    """allauth's backend (email and password), loading the request's user together with the
    facts the sign-in rules need: staff or not, second factor or not, session epoch."""

    def get_user(self, user_id: Any) -> User | None:
        user = with_sign_in_facts(User.objects.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
