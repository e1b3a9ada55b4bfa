from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from cte_portal.users.models import ApiToken


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` with a personal, revocable ``ApiToken``."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = ApiToken.find_active(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Jeton invalide ou révoqué.")
        now = timezone.now()
        # One write per token and minute at most, not one per request.
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
