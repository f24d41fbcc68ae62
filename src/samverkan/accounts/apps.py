from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.accounts import sign_in_sessions, two_factor, work
        from samverkan.accounts.models import IdentityProvider, SignInDomain
        from samverkan.agreements import history
        from samverkan.core import registry

        # Company sign-in's configuration in the audit trail; the sealed secret never is,
        # only when it was changed.
        auditlog.register(IdentityProvider, exclude_fields=["client_secret_sealed", "updated_at"])
        auditlog.register(SignInDomain)
        history.describe(
            IdentityProvider,
            the=_("the company sign-in"),
            labels={
                "organisation": _("organisation"),
                "client_secret_changed_at": _("client secret changed"),
            },
        )
        history.describe(
            SignInDomain, the=_("the sign-in domain"), labels={"provider": _("identity provider")}
        )

        sign_in_sessions.connect_signals()  # each browser's session, to list and end
        two_factor.connect_signals()  # a password sign-in's second step, decided at sign-in
        registry.register_work_provider(work.work_items)  # "Mitt arbete": invitations to accept
