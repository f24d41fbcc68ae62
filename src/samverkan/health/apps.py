from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "samverkan.health"
    label = "health"
    verbose_name = _("Relationship health")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.core import registry
        from samverkan.health import history, instrument, models, work

        # Rounds are audited; answers, responses and invitations never are: an audit
        # entry with an actor and a time would tie an answer to a person.
        auditlog.register(models.Round, exclude_fields=["own_statements", "reminded_at"])
        instrument.load()  # fail at start, not on first use, when a data file is broken
        history.register()  # how the agreement's history tells rounds
        registry.register_work_provider(
            work.work_items
        )  # "Mitt arbete": own survey links, rounds closing
        registry.register_tab(
            registry.Tab(
                key="health",
                label=_("Relationship health"),
                url_name="health:health",
                order=400,
                namespaces=("health",),
            )
        )
        from samverkan.health import panels

        registry.register_overview_panel(panels.OVERVIEW)
        from samverkan.health import demo

        registry.register_demo(demo.DEMO)
