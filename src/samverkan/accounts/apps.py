from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.accounts import two_factor, work
        from samverkan.accounts.models import IdentityProvider, SignInDomain
        from samverkan.core import registry

        # Company sign-in's configuration in the audit trail; the sealed secret never is,
        # only when it was changed.
        auditlog.register(IdentityProvider, exclude_fields=["client_secret_sealed", "updated_at"])
        auditlog.register(SignInDomain)

        two_factor.connect_signals()  # a password sign-in's second step, decided at sign-in
        registry.register_work_provider(work.work_items)  # "Mitt arbete": invitations to accept
