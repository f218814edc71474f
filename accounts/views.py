from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import ResetForm
from accounts.invitations import invitation_token_generator


class PasswordResetView(auth_views.PasswordResetView):
    """Answers the same whether or not the address belongs to someone."""

    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def dispatch(self, *args, **kwargs):
        self.extra_email_context = {"site_name": settings.SITE_NAME}
        return super().dispatch(*args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


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
