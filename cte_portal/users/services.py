from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cte_portal.core.errors import RuleError
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


# --- Accounts: invitation, deactivation -------------------------------------------------------


def invitation_link(user: User) -> str:
    """The link where an invited person chooses their password: Django's password-reset token
    (valid ``PASSWORD_RESET_TIMEOUT``, spent once the password is set), on ``SITE_URL``."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.SITE_URL}{reverse('account_invitation', args=[uid, token])}"


def is_invitation_pending(user: User) -> bool:
    """Invited, and has not chosen a password yet (nor signed in another way)."""
    return user.is_active and user.last_login is None and not user.has_usable_password()


def _send_invitation(user: User, *, invited_by: User | None) -> None:
    body = render_to_string(
        "users/emails/invitation.txt",
        {"user": user, "link": invitation_link(user), "invited_by": invited_by},
    )
    transaction.on_commit(
        lambda: send_mail(
            "Invitation au portail des comités territoriaux pour l'emploi",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    )


@transaction.atomic
def invite_user(
    *,
    email: str,
    first_name: str,
    last_name: str,
    organisation: str = "",
    job_title: str = "",
    invited_by: User | None = None,
) -> tuple[User, bool]:
    """Return the account with this e-mail and whether it was created now. A new account has
    no password: it is e-mailed (after the commit) a link to choose one. An existing account is
    returned unchanged and nothing is sent."""
    email = User.objects.normalize_email(email.strip()).lower()
    if not email:
        raise RuleError("L'adresse électronique est obligatoire.", field="email")
    user = User.objects.filter(email__iexact=email).first()
    if user:
        return user, False
    if not first_name.strip() or not last_name.strip():
        raise RuleError("Indiquez le prénom et le nom de la personne invitée.", field="last_name")
    user = User.objects.create_user(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation.strip(),
        job_title=job_title.strip(),
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    _send_invitation(user, invited_by=invited_by)
    return user, True


@transaction.atomic
def resend_invitation(*, user: User, invited_by: User | None = None) -> User:
    """Send the invitation again (a new link; the older ones stay valid until they expire).
    Refused once the person has chosen a password or signed in."""
    if not is_invitation_pending(user):
        raise RuleError(
            "Cette personne a déjà activé son compte : elle peut demander un nouveau mot de "
            "passe depuis la page de connexion."
        )
    _send_invitation(user, invited_by=invited_by)
    return user


@transaction.atomic
def set_account_active(*, user: User, active: bool, by: User) -> User:
    """Deactivate (nobody signs in with it any more, its API tokens stop working) or reactivate
    an account. Nobody deactivates their own account here."""
    if user.pk == by.pk and not active:
        raise RuleError("Vous ne pouvez pas désactiver votre propre compte.")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        revoke_all_api_tokens(user=user)
    return user
