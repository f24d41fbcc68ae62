from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from samverkan.agreements.models import Agreement


def _starter_roles(agreement: Agreement) -> None:
    from samverkan.collaboration.services import model_seed

    model_seed(agreement=agreement)


class CollaborationConfig(AppConfig):
    name = "samverkan.collaboration"
    label = "collaboration"
    verbose_name = _("Collaboration model")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.collaboration import catalogue, history, models
        from samverkan.core import registry

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
        registry.register_tab(
            registry.Tab(
                key="collaboration",
                label=_("Collaboration model"),
                url_name="collaboration:model",
                order=200,
                namespaces=("collaboration",),
            )
        )
        registry.register_agreement_starter(
            registry.AgreementStarter(
                key="collaboration",
                order=200,
                start=_starter_roles,
            )
        )
        from samverkan.collaboration import demo

        registry.register_demo(demo.DEMO)
