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
        # An idea's stage changes are told by its steps (IdeaStep), not by the idea's row.
        auditlog.register(
            models.Idea,
            exclude_fields=[
                "version",
                "number",
                "stage",
                "stage_changed_at",
                "decision_reason",
                "deciding_forum",
                "created_at",
            ],
            m2m_fields={"goals"},
        )
        auditlog.register(models.IdeaStep, exclude_fields=["at", "idea", "agreement"])
        auditlog.register(models.Evaluator, exclude_fields=["at", "idea", "agreement", "chosen_by"])
        # A score's value is not in the trail: the history is shared, and the scores stay
        # hidden until the evaluation closes; the trail says who scored what, when.
        auditlog.register(models.Score, exclude_fields=["at", "idea", "agreement", "score"])
        auditlog.register(models.PeopleImpact, exclude_fields=["version", "idea", "agreement"])
        auditlog.register(models.EngagementAction, exclude_fields=["position", "idea", "agreement"])
        auditlog.register(models.RealisedEffect, exclude_fields=["version", "idea", "agreement"])
        auditlog.register(models.FundEntry, exclude_fields=["at", "agreement", "recorded_by"])
        # The idea stays in an attachment's trail: the history names the idea it belonged to.
        auditlog.register(
            models.Attachment, exclude_fields=["at", "agreement", "file", "content_type"]
        )
        history.register()  # how the agreement's history tells the framework's changes
        surfaces.register()  # tab, overview panel, file section, appendix chapter, demo, link
