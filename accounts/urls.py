from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views, views_twofactor
from throttling.limits import RESET_REQUESTS, SIGN_IN, rate_limit

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        rate_limit(SIGN_IN, methods=("POST",))(views_twofactor.SignInView.as_view()),
        name="login",
    ),
    path(
        "login/code/",
        rate_limit(SIGN_IN, methods=("POST",))(views_twofactor.login_code),
        name="login_code",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        rate_limit(RESET_REQUESTS, methods=("POST",))(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("two-factor/", views_twofactor.overview, name="two_factor"),
    path(
        "two-factor/setup/",
        rate_limit(SIGN_IN, methods=("POST",))(views_twofactor.setup),
        name="two_factor_setup",
    ),
    path(
        "two-factor/recovery-codes/",
        views_twofactor.recovery_codes,
        name="recovery_codes",
    ),
    path("two-factor/disable/", views_twofactor.disable, name="two_factor_disable"),
]
