from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, entered through the site's two-step sign-in (``accounts.sites``)."""

    default = False
    default_site = "accounts.sites.AdminSite"
