from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.company_signin import issuer_cleaned, parse_domains
from samverkan.accounts.models import MembershipRole, User

# The address typed on the sign-in page, kept while the person is at their company's provider.
SIGN_IN_EMAIL_SESSION_KEY = "samverkan_signin_email"


def login_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The address being signed in with, lower-cased (AXES_USERNAME_CALLABLE).

    Sign-in ignores case, so failed-login throttling must too: otherwise KARIN@… and
    karin@… would each get their own five attempts.
    """
    source: Any = credentials if credentials else getattr(request, "POST", {})
    username = str(source.get("username") or "").strip().lower()
    if not username and request is not None and hasattr(request, "session"):
        # A company sign-in's answer (no form): the address typed on the sign-in page.
        username = str(request.session.get(SIGN_IN_EMAIL_SESSION_KEY) or "").strip().lower()
    return username


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is wrong. The password is case-sensitive."
        ),
    }
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
        help_text=_(
            "If your organisation signs in with its own provider (such as Microsoft Entra "
            "ID), leave the password empty: you are sent there."
        ),
    )


class IdentityProviderForm(forms.Form):
    issuer = forms.URLField(
        label=_("Issuer URL"),
        max_length=400,
        assume_scheme="https",
        help_text=_(
            "Where the provider publishes /.well-known/openid-configuration. Microsoft Entra "
            "ID: https://login.microsoftonline.com/<tenant id>/v2.0"
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=255)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )
    domains = forms.CharField(
        label=_("E-mail domains"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line. People whose address ends in one of these are sent to this provider "
            "when they sign in. A domain can belong to one organisation only."
        ),
    )
    create_members = forms.BooleanField(
        label=_("Create accounts just in time"),
        required=False,
        help_text=_(
            "A person of these domains who has no account yet gets one, as a member of this "
            "organisation, on first sign-in. Otherwise only people already invited can sign in."
        ),
    )

    def clean_issuer(self) -> str:
        return issuer_cleaned(self.cleaned_data["issuer"])

    def clean_domains(self) -> list[str]:
        return parse_domains(self.cleaned_data["domains"])


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["full_name", "title", "language"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(
                    first, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “KPI import from the service desk”."),
    )


def _label_new_password(form: SetPasswordForm[User]) -> None:
    """The words used when accepting an invitation; the repeat field needs no help text."""
    form.fields["new_password1"].label = _("New password")
    form.fields["new_password2"].label = _("Repeat the new password")
    form.fields["new_password2"].help_text = ""


def _clean_new_password(form: SetPasswordForm[User]) -> None:
    """Django's checks, but a weak password is pointed out under the field it was typed in
    (Django puts it under the repeat field)."""
    form.validate_passwords("new_password1", "new_password2")
    form.validate_password_for_user(form.user, "new_password1")


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]  # not subscriptable at run time
    """Choosing a new password from a reset link (Django's validators, as configured)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label_new_password(self)
        self.fields["new_password1"].widget.attrs["autofocus"] = True

    def clean(self) -> dict[str, Any]:
        _clean_new_password(self)
        return forms.Form.clean(self) or {}


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        _label_new_password(self)

    def clean(self) -> dict[str, Any]:
        _clean_new_password(self)
        return forms.Form.clean(self) or {}


class PasswordResetRequestForm(PasswordResetForm):
    """Only the address; the view never tells whether an account has it."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
