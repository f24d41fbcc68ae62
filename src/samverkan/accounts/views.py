from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

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
)
from samverkan.accounts.models import ApiToken, Membership, User
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
        {"form": form, "memberships": user_memberships(user=user)},
    )


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
