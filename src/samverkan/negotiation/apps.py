from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NegotiationConfig(AppConfig):
    name = "samverkan.negotiation"
    label = "negotiation"
    verbose_name = _("Negotiation preparation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.negotiation import models, surfaces

        # In the audit log (for the operator), linked to the case, never to the agreement:
        # no model here is described to the agreement's history, which shows none of it.
        for model in (
            models.Case,
            models.Member,
            models.Interest,
            models.Option,
            models.OptionScore,
            models.Goal,
            models.GoalCheck,
            models.FallbackPlan,
            models.Action,
            models.Document,
        ):
            auditlog.register(model)
        surfaces.register()
