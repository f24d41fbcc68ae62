from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NegotiationConfig(AppConfig):
    name = "samverkan.negotiation"
    label = "negotiation"
    verbose_name = _("Negotiation preparation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.negotiation import history, models, surfaces

        # In the audit log, linked to the case, never to the agreement; described as
        # private, so that no agreement's history shows them or offers them as a kind.
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
        history.register()
        surfaces.register()
