"""Who is who, before any domain rule: the two predicates every app's permissions start from."""


def is_signed_in(user) -> bool:
    """An authenticated, active account (a deactivated one is treated as signed out)."""
    return bool(user and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    """A national admin (DGEFP): sees and configures everything, everywhere."""
    return is_signed_in(user) and user.is_superuser
