"""Invitations: an administrator adds a user by email; the user sets a password by a link.

The link uses Django's password-reset token machinery with its own salt, so it
stops working once the password is set (the token covers the password hash)
and after ``PASSWORD_RESET_TIMEOUT`` (three days by default).
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.invitations.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()


def invitation_url(user, *, request):
    path = reverse(
        "accounts:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send_invitation(user, *, request, inviter):
    context = {
        "user": user,
        "inviter": inviter,
        "url": invitation_url(user, request=request),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
