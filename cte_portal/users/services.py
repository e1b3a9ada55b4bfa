from django.db import transaction
from django.utils import timezone

from cte_portal.users.models import ApiToken, User, _hash_key


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal token for ``user``; return it with its clear key, shown only once."""
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "Jeton",
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=_hash_key(key),
    )
    return token, key


def revoke_api_token(*, token: ApiToken) -> ApiToken:
    """Revoke a token: it authenticates nothing from now on. Revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def revoke_all_api_tokens(*, user: User) -> int:
    """Revoke every active token of ``user`` (after a password change or reset, unless they
    chose to keep them); return how many were revoked."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
