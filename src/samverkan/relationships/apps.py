from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "samverkan.relationships"
    label = "relationships"
    verbose_name = _("Relationship type")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.relationships import catalogue, history, surfaces
        from samverkan.relationships.models import Relationship

        auditlog.register(Relationship, exclude_fields=["version"])
        catalogue.load()  # fail at start, not on first use, when a data file is broken
        history.register()  # how the agreement's history reads the relationship type
        surfaces.register()  # tab, link, file section, portfolio, negotiation facts, demo
