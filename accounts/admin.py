from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import InvitationForm
from accounts.invitations import send_invitation
from accounts.models import User

#: Only a superuser may grant these: they would let an administrator raise himself.
SUPERUSER_ONLY_FIELDS = ["is_superuser", "user_permissions"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = InvitationForm
    list_display = ["username", "display_name", "email", "is_staff", "is_active", "role_names"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["username", "display_name", "email", "first_name", "last_name"]
    actions = ["resend_invitation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            gettext_lazy("个人信息"),
            {"fields": ("display_name", "first_name", "last_name", "email")},
        ),
        (
            gettext_lazy("权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (gettext_lazy("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "description": gettext_lazy(
                    "新用户会收到一封邀请邮件，通过其中的链接自行设置密码（链接三天内有效）。"
                ),
                "fields": ("username", "email", "display_name", "groups"),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_ONLY_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_superuser or obj == request.user):
            return request.user.is_superuser and obj != request.user
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            self._invite(request, obj)

    def _invite(self, request, user):
        try:
            send_invitation(user, request=request, inviter=request.user)
        except OSError:
            messages.warning(
                request,
                _("邀请邮件未能发出（%(email)s），请稍后在用户列表中用「重新发送邀请」再试。")
                % {"email": user.email},
            )
        else:
            messages.info(request, _("已向 %(email)s 发送邀请邮件。") % {"email": user.email})

    @admin.action(description=gettext_lazy("重新发送邀请"), permissions=["change"])
    def resend_invitation(self, request, queryset):
        for user in queryset.filter(is_active=True):
            if user.has_usable_password():
                messages.warning(request, _("%(user)s 已设置密码，无需邀请。") % {"user": user})
            else:
                self._invite(request, user)

    @admin.display(description=gettext_lazy("角色"))
    def role_names(self, obj):
        return "、".join(group.name for group in obj.groups.all())
