from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog

from samverkan.accounts import oidc, passkeys, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", require_POST(oidc.sign_out), name="logout"),
    path("oidc/start/", oidc.CompanySignInStartView.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc.CompanySignInCallbackView.as_view(), name="oidc_callback"),
    path("profile/", views.profile, name="profile"),
    path("sessions/<int:pk>/end/", views.session_end, name="session_end"),
    path("sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    path("two-factor/", views.two_factor_page, name="two_factor"),
    path("two-factor/start/", views.two_factor_start, name="two_factor_start"),
    path("two-factor/confirm/", views.two_factor_confirm, name="two_factor_confirm"),
    path("two-factor/codes/", views.two_factor_codes, name="two_factor_codes"),
    path("two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path(
        "two-factor/passkeys/register/begin/",
        passkeys.passkey_register_begin,
        name="passkey_register_begin",
    ),
    path(
        "two-factor/passkeys/register/complete/",
        passkeys.passkey_register_complete,
        name="passkey_register_complete",
    ),
    path(
        "two-factor/passkeys/verify/begin/",
        passkeys.passkey_verify_begin,
        name="passkey_verify_begin",
    ),
    path(
        "two-factor/passkeys/verify/complete/",
        passkeys.passkey_verify_complete,
        name="passkey_verify_complete",
    ),
    path(
        "two-factor/passkeys/script-texts/",
        login_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="passkey_script_texts",
    ),
    path("two-factor/passkeys/<int:pk>/name/", views.passkey_name_view, name="passkey_name"),
    path("two-factor/passkeys/<int:pk>/remove/", views.passkey_remove_view, name="passkey_remove"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<int:pk>/sign-in/", views.organisation_sign_in, name="organisation_sign_in"
    ),
    path(
        "organisations/<int:pk>/two-factor/",
        views.organisation_two_factor,
        name="organisation_two_factor",
    ),
    path(
        "organisations/<int:pk>/sign-in/remove/",
        views.organisation_sign_in_remove,
        name="organisation_sign_in_remove",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
