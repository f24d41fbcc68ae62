from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "samverkan.collaboration"
    label = "collaboration"
    verbose_name = _("Collaboration model")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.collaboration import catalogue, history, models, surfaces

        for model in (
            models.Objective,
            models.Role,
            models.Process,
            models.RaciAssignment,
            models.EscalationStep,
        ):
            auditlog.register(model, exclude_fields=["version", "position"])
        auditlog.register(
            models.Forum, exclude_fields=["version", "position"], m2m_fields={"members"}
        )
        catalogue.load()  # fail at start, not on first use, when a data file is broken
        history.register()  # how the agreement's history names and reads these parts
        surfaces.register()  # tab, links, file sections, starter roles, demo
