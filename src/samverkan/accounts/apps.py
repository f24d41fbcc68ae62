from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from samverkan.accounts import work
        from samverkan.core import registry

        registry.register_work_provider(work.work_items)  # "Mitt arbete": invitations to accept
