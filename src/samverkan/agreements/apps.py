from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "samverkan.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.agreements import history, work
        from samverkan.agreements.models import Agreement, Participant
        from samverkan.core import registry

        auditlog.register(Agreement, exclude_fields=["id", "created_at", "updated_at", "version"])
        auditlog.register(Participant, exclude_fields=["id", "created_at"])
        history.describe_agreements()
        registry.register_work_provider(work.work_items)  # "Mitt arbete": proposals to answer
        registry.register_tab(
            registry.Tab(
                key="overview",
                label=_("Overview"),
                url_name="agreements:detail",
                order=0,
                view_names=("agreements:detail",),
            )
        )
        registry.register_tab(
            registry.Tab(
                key="history",
                label=_("History"),
                url_name="agreements:history",
                order=1000,
                view_names=("agreements:history",),
            )
        )
        from samverkan.agreements import panels

        registry.register_overview_panel(panels.HISTORY)
