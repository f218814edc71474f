from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.forms import InvitationForm
from accounts.invitations import send_invitation
from accounts.models import User
from accounts.roles import ROLES

#: Only a superuser may grant these: they would let an administrator raise himself.
SUPERUSER_ONLY_FIELDS = ["is_superuser", "user_permissions"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = InvitationForm
    list_display = [
        "username",
        "display_name",
        "email",
        "is_staff",
        "is_active",
        "role_names",
        "two_factor",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["username", "display_name", "email", "first_name", "last_name"]
    actions = ["resend_invitation", "deactivate", "reset_two_factor"]
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
        authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("groups")
            .annotate(_two_factor=Exists(authenticator))
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_ONLY_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        """Only superusers delete, and never themselves; others deactivate."""
        return request.user.is_superuser and obj != request.user

    def get_deleted_objects(self, objs, request):
        """A user whose actions are on record cannot be deleted: history outlives people."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            entries = LogEntry.objects.filter(user=user).count()
            if entries:
                protected.append(
                    ngettext(
                        "%(user)s 的 %(count)d 条后台操作记录（请停用这个账户）",
                        "%(user)s 的 %(count)d 条后台操作记录（请停用这个账户）",
                        entries,
                    )
                    % {"user": user, "count": entries}
                )
        return deleted, counts, perms_needed, protected

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

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

    @admin.action(description=gettext_lazy("停用所选用户"), permissions=["change"])
    def deactivate(self, request, queryset):
        """Accounts are deactivated, not deleted: their history stays attributed."""
        count = 0
        for user in queryset.filter(is_active=True):
            if user != request.user and self.has_change_permission(request, user):
                user.is_active = False
                user.save(update_fields=["is_active"])
                self.log_change(request, user, _("停用账户"))
                count += 1
        messages.success(request, _("已停用 %(count)d 个账户。") % {"count": count})

    @admin.action(description=gettext_lazy("重置两步验证（手机丢失时）"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """The user signs in with the password alone, and must set up a new authenticator
        if his role requires one."""
        count = 0
        for user in queryset:
            if user != request.user and self.has_change_permission(request, user):
                twofactor.remove(user)
                self.log_change(request, user, _("重置两步验证"))
                count += 1
        messages.success(request, _("已为 %(count)d 个账户重置两步验证。") % {"count": count})

    @admin.display(description=gettext_lazy("两步验证"), boolean=True, ordering="_two_factor")
    def two_factor(self, obj):
        return obj._two_factor

    @admin.display(description=gettext_lazy("角色"))
    def role_names(self, obj):
        return "、".join(group.name for group in obj.groups.all())


# Devices are managed from the users' own pages and the reset action above;
# django-otp's own pages would show secret keys.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Only superusers change what a role may do."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
