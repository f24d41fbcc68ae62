from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from samverkan.accounts import passkeys, two_factor
from samverkan.accounts.company_signin import (
    identity_provider_for_email,
    identity_provider_of,
    identity_provider_remove,
    identity_provider_set,
)
from samverkan.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    IdentityProviderForm,
    InvitationForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    ProfileForm,
    TokenForm,
    TwoFactorCodeForm,
)
from samverkan.accounts.models import ApiToken, Membership, SignInSession, User
from samverkan.accounts.oidc import SESSION_EMAIL, SESSION_ORGANISATION, continue_to
from samverkan.accounts.passwords import (
    password_reset_request,
    password_reset_valid_for,
    sign_in_lockout_clear,
)
from samverkan.accounts.selectors import organisation_members, user_memberships
from samverkan.accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_from_token,
    membership_remove,
    token_create,
    token_revoke,
)
from samverkan.accounts.sign_in_sessions import (
    device_label,
    sign_in_session_end,
    user_active_tokens,
    user_sessions_end,
    user_sign_in_sessions,
)
from samverkan.agreements.access import organisation_for, proposals_to
from samverkan.core.forms import add_service_errors
from samverkan.core.requests import request_user


class SignInView(auth_views.LoginView):
    """The e-mail address first: a domain with a company provider goes there, others type
    their password (sent together with the address, it signs in at once)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = str(request.POST.get("username") or "").strip().lower()
        provider = identity_provider_for_email(email) if "@" in email else None
        if provider is not None:
            request.session[SESSION_ORGANISATION] = provider.organisation_id
            request.session[SESSION_EMAIL] = email
            query = urlencode({"next": self.get_redirect_url()}) if self.get_redirect_url() else ""
            return continue_to(
                request,
                reverse("accounts:oidc_start") + (f"?{query}" if query else ""),
                title=_("Signing in with %(organisation)s")
                % {"organisation": provider.organisation},
                text=_("You are being sent to the sign-in page of your organisation."),
            )
        if email and not request.POST.get("password"):
            form = self.get_form_class()(request, initial={"username": email})
            form.fields["password"].widget.attrs["autofocus"] = True
            form.fields["username"].widget.attrs.pop("autofocus", None)
            return self.render_to_response(self.get_context_data(form=form, ask_password=True))
        return super().post(request, *args, **kwargs)


@login_required
def organisation_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's own sign-in provider, for its administrators."""
    organisation = organisation_for(request_user(request), pk, admin=True)
    provider = identity_provider_of(organisation)
    initial = (
        {
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "domains": "\n".join(domain.domain for domain in provider.domains.all()),
            "create_members": provider.create_members,
        }
        if provider
        else {}
    )
    form = IdentityProviderForm(request.POST or None, initial=initial)
    form.fields["client_secret"].help_text = (
        _("A secret is stored (encrypted), set %(date)s. Leave the field empty to keep it.")
        % {
            "date": date_format(
                localtime(provider.client_secret_changed_at), "SHORT_DATETIME_FORMAT"
            )
        }
        if provider and provider.client_secret_changed_at
        else _("Stored encrypted; never shown again.")
    )
    if request.method == "POST" and form.is_valid():
        try:
            identity_provider_set(
                organisation=organisation,
                issuer=form.cleaned_data["issuer"],
                client_id=form.cleaned_data["client_id"],
                client_secret=form.cleaned_data["client_secret"],
                domains=form.cleaned_data["domains"],
                create_members=form.cleaned_data["create_members"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The sign-in of %(organisation)s has been saved.")
                % {"organisation": organisation},
            )
            return redirect("accounts:organisation_sign_in", pk=organisation.pk)
    return render(
        request,
        "accounts/organisation_sign_in.html",
        {
            "organisation": organisation,
            "provider": provider,
            "form": form,
            "redirect_uri": request.build_absolute_uri(reverse("accounts:oidc_callback")),
        },
    )


@login_required
@require_POST
def organisation_sign_in_remove(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_for(request_user(request), pk, admin=True)
    provider = identity_provider_of(organisation)
    if provider is not None:
        identity_provider_remove(provider=provider)
        messages.success(
            request,
            _("Company sign-in is off: people of %(organisation)s sign in with a password.")
            % {"organisation": organisation},
        )
    return redirect("accounts:organisation_sign_in", pk=organisation.pk)


def _next_or_home(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Two-factor authentication: its state, setting up an authenticator, recovery codes."""
    user = request_user(request)
    return _two_factor_render(request, user, form=TwoFactorCodeForm(), codes=None)


def _two_factor_render(
    request: HttpRequest, user: User, *, form: TwoFactorCodeForm, codes: list[str] | None
) -> HttpResponse:
    pending = two_factor.pending_authenticator(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "authenticator": two_factor.authenticator_of(user),
            "pending": pending,
            "qr": two_factor.authenticator_qr_svg(pending) if pending else "",
            "key": two_factor.authenticator_key(pending) if pending else "",
            "codes_left": two_factor.recovery_codes_left(user),
            "passkeys": two_factor.passkeys_of(user),
            "passkey_configuration": passkeys.passkey_configuration(request),
            "required": two_factor.two_factor_required(user),
            "must_enrol": request.session.get(two_factor.SESSION_STATE) == two_factor.ENROL,
            "form": form,
            "codes": codes,
            "next": _next_or_home(request, request.POST.get("next") or request.GET.get("next")),
        },
    )


@login_required
@require_POST
def two_factor_start(request: HttpRequest) -> HttpResponse:
    two_factor.authenticator_start(user=request_user(request))
    query = urlencode({"next": request.POST["next"]}) if request.POST.get("next") else ""
    return redirect(reverse("accounts:two_factor") + (f"?{query}" if query else "") + "#set-up")


@login_required
@require_POST
def two_factor_confirm(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = TwoFactorCodeForm(request.POST)
    pending = two_factor.pending_authenticator(user)
    if pending is None:
        return redirect("accounts:two_factor")
    codes = None
    if form.is_valid():
        try:
            codes = two_factor.authenticator_confirm(
                user=user, device=pending, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except two_factor.CodeThrottledError as exc:
            form.add_error("code", exc.message)
        else:
            otp_login(request, two_factor.authenticator_of(user))
            request.session[two_factor.SESSION_STATE] = two_factor.OK
            messages.success(request, _("Two-factor authentication is on."))
    return _two_factor_render(request, user, form=form, codes=codes)


@login_required
@require_POST
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if two_factor.authenticator_of(user) is None and not two_factor.passkeys_of(user).exists():
        return redirect("accounts:two_factor")  # recovery codes back up a second factor
    codes = two_factor.recovery_codes_renew(user=user)
    messages.success(request, _("New recovery codes: the old ones no longer work."))
    return _two_factor_render(request, user, form=TwoFactorCodeForm(), codes=codes)


@login_required
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    try:
        two_factor.two_factor_turn_off(user=request_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:two_factor")


@login_required
@require_POST
def passkey_name_view(request: HttpRequest, pk: int) -> HttpResponse:
    passkey = two_factor.passkey_name(
        user=request_user(request), pk=pk, name=request.POST.get("name", "")
    )
    messages.success(request, _("Passkey “%(name)s” is ready.") % {"name": passkey.name})
    return redirect("accounts:two_factor")


@login_required
@require_POST
def passkey_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        two_factor.passkey_remove(user=request_user(request), pk=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The passkey is removed."))
    return redirect("accounts:two_factor")


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """A password sign-in's second step: a code from the app, or a recovery code.

    A wrong code counts as a failed sign-in (django-axes), as a wrong password does.
    """
    user = request_user(request)
    if request.session.get(two_factor.SESSION_STATE) != two_factor.VERIFY:
        return redirect(_next_or_home(request, request.GET.get("next")))
    credentials = {"username": user.email}
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not AxesProxyHandler.is_allowed(request, credentials):
            logout(request)
            return render(request, "accounts/locked_out.html", status=429)
        refusal = _("That code is not right. Try again with the code the app shows now.")
        try:
            device = two_factor.two_factor_check(user=user, code=form.cleaned_data["code"])
        except two_factor.CodeThrottledError as exc:
            device, refusal = None, exc.message  # an attempt all the same
        if device is not None:
            otp_login(request, device)
            request.session[two_factor.SESSION_STATE] = two_factor.OK
            return redirect(_next_or_home(request, request.POST.get("next")))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return render(request, "accounts/locked_out.html", status=429)
        form.add_error("code", refusal)
    return _verify_render(request, form)


def _verify_render(request: HttpRequest, form: TwoFactorCodeForm) -> HttpResponse:
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "has_passkey": two_factor.passkeys_of(request_user(request)).exists(),
            "passkey_configuration": passkeys.passkey_configuration(request),
        },
    )


@login_required
@require_POST
def organisation_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    organisation = organisation_for(user, pk, admin=True)
    required = request.POST.get("required") == "1"
    two_factor.organisation_require_two_factor(
        organisation=organisation, required=required, keep=request.session.session_key
    )
    if required and request.session.get(two_factor.SESSION_STATE) == two_factor.OK:
        # The administrator too: without an authenticator, the set-up comes next.
        company = SignInSession.objects.filter(
            session_key=request.session.session_key, method=SignInSession.Method.COMPANY
        ).exists()
        request.session[two_factor.SESSION_STATE] = two_factor.two_factor_state(
            user=user, company_sign_in=company
        )
        if request.session[two_factor.SESSION_STATE] == two_factor.VERIFY:
            request.session[two_factor.SESSION_STATE] = two_factor.OK  # verified already
    messages.success(
        request,
        _("Members of %(organisation)s must now use two-factor authentication.")
        % {"organisation": organisation}
        if required
        else _("Two-factor authentication is now up to each member of %(organisation)s.")
        % {"organisation": organisation},
    )
    return redirect("accounts:organisation", pk=organisation.pk)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": user_memberships(user=user),
            "sign_in_sessions": [
                (session, device_label(session.user_agent))
                for session in user_sign_in_sessions(user=user)
            ],
            "current_session": request.session.session_key,
            "tokens": user_active_tokens(user=user),
        },
    )


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign one of one's browsers out (this one too)."""
    sign_in_session = get_object_or_404(SignInSession, pk=pk, user=request_user(request))
    if sign_in_session.session_key == request.session.session_key:
        logout(request)
        return redirect("accounts:login")
    sign_in_session_end(sign_in_session=sign_in_session)
    messages.success(request, _("That session has been signed out."))
    return redirect(reverse("accounts:profile") + "#sessions")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = user_sessions_end(user=request_user(request), keep=request.session.session_key)
    messages.success(
        request,
        ngettext(
            "%(count)d other session has been signed out.",
            "%(count)d other sessions have been signed out.",
            ended,
        )
        % {"count": ended},
    )
    return redirect(reverse("accounts:profile") + "#sessions")


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = token_create(user=user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": user.api_tokens.all(), "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request_user(request))
    token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    if request.POST.get("from") == "profile":
        return redirect(reverse("accounts:profile") + "#tokens")
    return redirect("accounts:tokens")


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    organisation = organisation_for(user, pk)
    is_admin = Membership.objects.filter(
        user=user, organisation=organisation, role="admin"
    ).exists()
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        organisation_for(user, pk, admin=True)
        if form.is_valid():
            try:
                invitation_create(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("An invitation has been sent to %(email)s.") % form.cleaned_data
                )
                return redirect("accounts:organisation", pk=organisation.pk)
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": organisation,
            "is_admin": is_admin,
            "members": organisation_members(organisation=organisation),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True)
            if is_admin
            else [],
            "proposals": proposals_to(user, organisation) if is_admin else [],
            "form": form,
        },
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = request_user(request)
    organisation = organisation_for(user, pk, admin=True)
    membership = get_object_or_404(Membership, pk=membership_pk, organisation=organisation)
    try:
        membership_remove(membership=membership, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s has been removed.") % {"name": membership.user})
    return redirect("accounts:organisation", pk=organisation.pk)


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_from_token(token)
    except ValidationError as exc:
        return render(
            request, "accounts/invitation_invalid.html", {"errors": exc.messages}, status=400
        )
    signed_in = request_user(request) if request.user.is_authenticated else None
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (signed_in is not None or form.is_valid()):
        try:
            user = invitation_accept(
                invitation=invitation,
                user=signed_in,
                full_name=form.cleaned_data.get("full_name", "") if signed_in is None else "",
                password=form.cleaned_data.get("password1", "") if signed_in is None else "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if signed_in is None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation},
            )
            return redirect("agreements:list")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "signed_in": signed_in, "existing": existing},
    )


# Passwords: Django's views, with our templates, messages and the reset throttle.


class PasswordChangeView(SuccessMessageMixin[ChangePasswordForm], auth_views.PasswordChangeView):
    """Change one's password; the session stays signed in, other sessions are signed out."""

    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Your password has been changed.")


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. Every valid address gets the same answer, throttled or not."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        password_reset_request(
            email=form.cleaned_data["email"], client_address=get_client_ip_address(self.request)
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "valid_for": password_reset_valid_for()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link; a bad or old link gets a page saying so."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:login")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "valid_for": password_reset_valid_for()}

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        sign_in_lockout_clear(user=form.user)
        messages.success(self.request, _("Your new password is set. Sign in with it."))
        return response
