"""Two-step sign-in for staff: a code from an authenticator app, or a recovery code.

The devices are django-otp's: a TOTP device (RFC 6238: six digits every 30
seconds, each accepted once, with growing waits after wrong codes) and a
static device holding single-use recovery codes.

A user with a confirmed device is not signed in after the password: the
session only remembers who is half-way (:func:`begin`), for a few minutes,
and the sign-in happens once a code is accepted (:func:`finish`). The admin
lets in a staff user only if that step was taken, or if the user has no
device and is not required to have one (:func:`satisfied`).
"""

import time
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import ADMINISTRATORS

RECOVERY_CODES = 10
PENDING_KEY = "twofactor:pending"
#: How long the code step waits after the password.
PENDING_SECONDS = 5 * 60


def required(user) -> bool:
    """Administrators and superusers must enrol when ``REQUIRE_2FA_FOR_ADMINS`` is on."""
    return bool(
        settings.REQUIRE_2FA_FOR_ADMINS
        and user.is_authenticated
        and user.is_staff
        and user.has_role(ADMINISTRATORS)
    )


def enrolled(user) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def satisfied(request) -> bool:
    """May the signed-in user go where staff work? Answered once per request."""
    if not hasattr(request, "_twofactor_satisfied"):
        user = request.user
        request._twofactor_satisfied = user.is_verified() or not (enrolled(user) or required(user))
    return request._twofactor_satisfied


# The code step of signing in.


def begin(request, user, *, next_url):
    """The password was right: remember who is half-way through signing in."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "until": time.time() + PENDING_SECONDS,
    }


def pending(request):
    """``(user, next_url)`` of the sign-in waiting for its code, or ``None``."""
    data = request.session.get(PENDING_KEY)
    if not data or data["until"] < time.time():
        return None
    user = get_user_model()._default_manager.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return user, data["next"]


def finish(request, user, device):
    """The code was right: sign in (a new session key) and mark the session verified."""
    backend = request.session[PENDING_KEY]["backend"]
    del request.session[PENDING_KEY]
    auth_login(request, user, backend=backend)
    otp_login(request, device)


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def verify(user, code):
    """``(device, None)`` if ``code`` is right; ``(None, wait_until)`` when the user must wait
    after wrong codes; ``(None, None)`` when it is wrong, used, or expired."""
    code = normalise(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return None, why.get("locked_until")
        accepted = verify_token(user, device.persistent_id, code)
        if accepted is not None:
            return accepted, None
    return None, None


# Enrolment.


def unconfirmed_device(user):
    """The authenticator being set up: kept until confirmed, so reloading shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
    return device


def secret(device) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm(request, device) -> list[str]:
    """The first code from the new authenticator was right: it replaces any other, the
    session counts as verified, and a fresh set of recovery codes is returned."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("恢复码"))
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def remove(user):
    """Turn two-step sign-in off for ``user`` (lost phone: an administrator's reset)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
