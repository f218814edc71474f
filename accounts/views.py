import logging
from functools import partial

from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import ResetForm
from accounts.invitations import invitation_token_generator
from throttling.limits import RESET_MAILS

logger = logging.getLogger(__name__)


class RedirectThenRun(HttpResponseRedirect):
    """A redirect that does ``task`` once it has been sent.

    The server calls ``close()`` after the last byte of the response, so the
    client waits for none of the task's work and cannot time it.
    """

    def __init__(self, url, *, task=None):
        super().__init__(url)
        self.task = task

    def close(self):
        try:
            if self.task is not None:
                self.task()
        except Exception:
            logger.exception("The work after a response failed.")
        finally:
            self.task = None
            super().close()


class PasswordResetView(auth_views.PasswordResetView):
    """Answers the same, in the same time, whether or not the address belongs to someone.

    The request only counts the address against its limit; looking the
    address up and sending the mail happen after the response. Past the limit
    of mails per address the page still says the same and nothing is sent.
    """

    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        options = {
            "use_https": self.request.is_secure(),
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "request": self.request,
            "extra_email_context": {"site_name": settings.SITE_NAME},
        }
        task = None
        if not RESET_MAILS.exceeded(form.cleaned_data["email"].casefold()):
            task = partial(form.save, **options)
        return RedirectThenRun(self.get_success_url(), task=task)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever holds the mailbox may sign in again at once, even if locked out.
        reset_lockouts(username=form.user.get_username())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")


class InvitationView(auth_views.PasswordResetConfirmView):
    """Set a first password from an invitation link; an expired or used link says so."""

    token_generator = invitation_token_generator
    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("accounts:login")
    title = _("设置密码")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已设置，请用新密码登录。"))
        return response
