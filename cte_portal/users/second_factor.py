"""Second factor (TOTP, django-otp) for national admins.

A superuser who proves their password (or comes back from ProConnect) is not signed in yet: the
session only remembers, for a few minutes, who is waiting for the code (``PENDING_KEY``). The
session is signed in once a code of their confirmed device is right; the first time, the same
step enrols a new device (QR code and secret, confirmed by a first code).

``Client.force_login`` in tests goes past the sign-in form, hence past this step: the sign-in
path itself is tested in ``tests/users/test_signin_second_factor.py``.
"""

import base64
import io
import time

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import auth
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cte_portal.users.models import User

PENDING_KEY = "cte_second_factor_pending"
PENDING_SECONDS = 5 * 60
DEVICE_NAME = "Application d'authentification"


def required_for(user: User) -> bool:
    """National admins (superusers) sign in with a second factor."""
    return user.is_active and user.is_superuser


def begin(request: HttpRequest, *, user: User, backend: str, next_url: str) -> None:
    """Remember that ``user`` proved their first factor; the session stays signed out."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": backend,
        "next": next_url,
        "at": time.time(),
    }


def pending_user(request: HttpRequest) -> User | None:
    """The admin waiting for their code in this session, unless the wait is over."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        del request.session[PENDING_KEY]
        return None
    user = User.objects.filter(pk=pending.get("user_id")).first()
    if user is None or not required_for(user):
        del request.session[PENDING_KEY]
        return None
    return user


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The device being enrolled: the same one until it is confirmed (one secret shown)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The secret in base 32, grouped by four, for typing into an application."""
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` URL as an SVG QR code, in a ``data:`` URI (CSP allows
    ``img-src data:``; no inline script or style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def verify(*, device: TOTPDevice, token: str) -> bool:
    """Check ``token`` against ``device``; a first right code confirms an enrolled device."""
    if not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One device per admin: older unconfirmed attempts go.
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def complete(request: HttpRequest, *, user: User, device: TOTPDevice) -> str:
    """Sign the session in after a right code; return where to go next."""
    pending = request.session.pop(PENDING_KEY)
    auth.login(request, user, backend=pending["backend"])
    django_otp.login(request, device)
    return pending["next"]
