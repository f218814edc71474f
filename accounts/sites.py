from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts import twofactor


class AdminSite(admin.AdminSite):
    """The editing pages, entered through the site's sign-in and its code step."""

    def has_permission(self, request):
        return super().has_permission(request) and twofactor.satisfied(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if user.is_active and user.is_staff and not twofactor.satisfied(request):
            if not twofactor.enrolled(user):  # required, not yet set up
                setup = reverse("accounts:two_factor_setup")
                return redirect(f"{setup}?{urlencode({'next': next_url})}")
            logout(request)  # signed in before the authenticator was added: sign in again
        return redirect_to_login(next_url, reverse("accounts:login"))
