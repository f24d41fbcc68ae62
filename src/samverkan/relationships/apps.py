from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "samverkan.relationships"
    label = "relationships"
    verbose_name = _("Relationship type")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.core import registry
        from samverkan.relationships import catalogue, history
        from samverkan.relationships.models import Relationship

        auditlog.register(Relationship, exclude_fields=["version"])
        catalogue.load()  # fail at start, not on first use, when a data file is broken
        history.register()  # how the agreement's history reads the relationship type
        registry.register_tab(
            registry.Tab(
                key="relationships",
                label=_("Relationship type"),
                url_name="relationships:detail",
                order=100,
                namespaces=("relationships",),
            )
        )
        from samverkan.relationships import demo

        registry.register_demo(demo.DEMO)
