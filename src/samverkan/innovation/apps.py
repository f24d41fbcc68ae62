from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "samverkan.innovation"
    label = "innovation"
    verbose_name = _("Innovation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.innovation import history, models, surfaces

        auditlog.register(models.Framework, exclude_fields=["version"])
        for model in (models.Goal, models.Criterion):
            auditlog.register(model, exclude_fields=["position"])
        history.register()  # how the agreement's history tells the framework's changes
        surfaces.register()  # tab, overview panel, file section, appendix chapter, demo, link
