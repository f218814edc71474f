"""Signing in with a second step, and the pages where staff set it up."""

from base64 import b64encode
from functools import wraps

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import twofactor
from accounts.lockout import lockout_response

CODES_KEY = "twofactor:new-codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class SignInView(auth_views.LoginView):
    """The password step. With an authenticator, the code step follows before signing in."""

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.enrolled(user):
            twofactor.begin(self.request, user, next_url=self.get_success_url())
            return redirect("accounts:login_code")
        response = super().form_valid(form)
        if twofactor.required(user):
            messages.info(self.request, _("您的账户需要先开启两步验证，才能进入编辑后台。"))
            return redirect(_with_next(reverse("accounts:two_factor_setup"), response.url))
        return response


@sensitive_post_parameters()
@never_cache
def login_code(request):
    """The code step: a code from the authenticator app, or a recovery code."""
    waiting = twofactor.pending(request)
    if waiting is None:
        messages.info(request, _("登录已超时，请重新输入用户名和密码。"))
        return redirect("accounts:login")
    user, next_url = waiting
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, wait_until = twofactor.verify(user, form.cleaned_data["code"])
        if device is not None:
            twofactor.finish(request, user, device)
            return redirect(next_url)
        if wait_until is not None:
            form.add_error("code", _("错误次数过多，请稍等片刻再试。"))
        else:
            form.add_error("code", _("验证码不正确，或者已经用过、已经过期。"))
        # Counted like a wrong password: the same lockout applies to codes.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(request, "registration/login_code.html", {"form": form})


def staff_only(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _verified_if_enrolled(request):
    """Changing an existing second factor needs a session that passed it."""
    if twofactor.enrolled(request.user) and not request.user.is_verified():
        raise PermissionDenied


def _safe_next(request, default):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def _with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@staff_only
@never_cache
def overview(request):
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enrolled": twofactor.enrolled(user),
            "required": twofactor.required(user),
            "codes_left": twofactor.recovery_codes_left(user),
        },
    )


def qr_code_data_uri(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    return "data:image/svg+xml;base64," + b64encode(image.to_string()).decode()


@staff_only
@sensitive_post_parameters()
@never_cache
def setup(request):
    """Scan a QR code (or type the key), then prove it works with one code."""
    _verified_if_enrolled(request)
    next_url = _safe_next(request, reverse("accounts:two_factor"))
    device = twofactor.unconfirmed_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(twofactor.normalise(form.cleaned_data["code"])):
            request.session[CODES_KEY] = twofactor.confirm(request, device)
            messages.success(request, _("两步验证已开启。"))
            return redirect(_with_next(reverse("accounts:recovery_codes"), next_url))
        form.add_error(
            "code", _("验证码不正确：请确认手机时间准确，并输入应用当前显示的 6 位数字。")
        )
    context = {
        "form": form,
        "next": next_url,
        "qr_code": qr_code_data_uri(device.config_url),
        "secret": twofactor.secret(device),
        "replacing": twofactor.enrolled(request.user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@staff_only
@never_cache
def recovery_codes(request):
    """New recovery codes, shown once; a POST replaces them."""
    if request.method == "POST":
        _verified_if_enrolled(request)
        if not twofactor.enrolled(request.user):
            return redirect("accounts:two_factor")
        request.session[CODES_KEY] = twofactor.new_recovery_codes(request.user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(CODES_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    next_url = _safe_next(request, reverse("accounts:two_factor"))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})


@staff_only
@require_POST
def disable(request):
    _verified_if_enrolled(request)
    if twofactor.required(request.user):
        messages.error(request, _("管理员账户必须使用两步验证，不能关闭。"))
    else:
        twofactor.remove(request.user)
        messages.success(request, _("两步验证已关闭。"))
    return redirect("accounts:two_factor")
