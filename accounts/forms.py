from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class InvitationForm(forms.ModelForm):
    """An administrator's add-user form: no password; the user sets one from the invitation."""

    class Meta:
        model = User
        fields = ["username", "email", "display_name", "groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["groups"].help_text = _("用户的角色：作者、编辑或管理员。")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("已有用户使用这个电子邮箱。"))
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        user.is_staff = True  # every account here exists to work in the editing pages
        if commit:
            user.save()
            self.save_m2m()
        return user


class ResetForm(PasswordResetForm):
    """Also reaches invited users who never set a password (their invitation may have expired)."""

    def get_users(self, email):
        active = User._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in active if user.email.casefold() == email.casefold())
