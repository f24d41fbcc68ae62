from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "samverkan.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.agreements import history, surfaces
        from samverkan.agreements.models import Agreement, Participant

        auditlog.register(Agreement, exclude_fields=["id", "created_at", "updated_at", "version"])
        auditlog.register(Participant, exclude_fields=["id", "created_at"])
        history.describe_agreements()
        surfaces.register()  # overview and history tabs, latest changes, Mitt arbete
