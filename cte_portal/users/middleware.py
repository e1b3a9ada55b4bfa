"""Session lifetime: signed out after inactivity, and after an absolute age whatever the activity.

The session stores when it was signed in (``SIGNED_IN_AT``) and when it was last used
(``LAST_SEEN``). Saving a session pushes its stored expiry forward, so the absolute age is never
read from that expiry but from ``SIGNED_IN_AT``, set once at sign-in. ``LAST_SEEN`` is written at
most once a minute, so that a page does not cost a session write on every request.
"""

import time

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from cte_portal.core.conf import cte_setting

SIGNED_IN_AT = "cte_signed_in_at"
LAST_SEEN = "cte_last_seen"
LAST_SEEN_GRANULARITY_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="cte_portal.users.stamp_sign_in")
def stamp_sign_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN] = now


class SessionLifetimeMiddleware:
    """Signs out a session idle for ``SESSION_IDLE_MINUTES`` or older than
    ``SESSION_MAX_HOURS``; the next page says why, in French."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            self._check(request, session)
        return self.get_response(request)

    def _check(self, request, session) -> None:
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        if signed_in_at is None or last_seen is None:
            # A session signed in before these stamps existed: its clock starts now.
            session[SIGNED_IN_AT] = signed_in_at or now
            session[LAST_SEEN] = now
            return
        max_hours = cte_setting("SESSION_MAX_HOURS")
        idle_minutes = cte_setting("SESSION_IDLE_MINUTES")
        if now - signed_in_at > max_hours * 3600:
            logout(request)
            messages.info(
                request,
                f"Votre session a duré plus de {max_hours} heures : par sécurité, vous avez été "
                "déconnecté. Reconnectez-vous pour continuer.",
            )
        elif now - last_seen > idle_minutes * 60:
            logout(request)
            messages.info(
                request,
                f"Vous avez été déconnecté après {idle_minutes} minutes d'inactivité. "
                "Reconnectez-vous pour continuer.",
            )
        elif now - last_seen >= LAST_SEEN_GRANULARITY_SECONDS:
            session[LAST_SEEN] = now
