from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    email = models.EmailField(_("电子邮箱"), help_text=_("用于找回密码和接收邀请，不区分大小写。"))
    display_name = models.CharField(
        _("显示名称"),
        max_length=150,
        blank=True,
        help_text=_("在站内显示的名字，留空则显示用户名。"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("已有用户使用这个电子邮箱。"),
            )
        ]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def has_role(self, role: str) -> bool:
        """True when the user belongs to the group named ``role``; superusers hold every role."""
        if self.is_superuser:
            return True
        return self.groups.filter(name=role).exists()


@receiver(pre_delete, sender=User, dispatch_uid="accounts.keep_history")
def keep_history(sender, instance, **kwargs):
    """Refuse to delete a user whose admin log entries would go with him (deactivate him)."""
    entries = LogEntry.objects.filter(user=instance)
    if entries.exists():
        raise models.ProtectedError(
            _("%(user)s 有后台操作记录，不能删除；请停用这个账户。") % {"user": instance},
            set(entries[:10]),
        )
