from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "samverkan.health"
    label = "health"
    verbose_name = _("Relationship health")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.health import history, instrument, models, surfaces

        # Rounds are audited; answers, responses and invitations never are: an audit
        # entry with an actor and a time would tie an answer to a person.
        auditlog.register(models.Round, exclude_fields=["own_statements", "reminded_at"])
        instrument.load()  # fail at start, not on first use, when a data file is broken
        history.register()  # how the agreement's history tells rounds
        surfaces.register()  # tab, overview panel, Mitt arbete, agenda, portfolio, facts, demo
