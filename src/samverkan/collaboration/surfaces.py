"""What the collaboration model contributes to shared surfaces (``samverkan.core.registry``):
its tab, the links into its page's sections, the starter roles of a new agreement and
its demo content."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement
from samverkan.core import registry
from samverkan.core.links import register_link

SECTIONS = ("objectives", "roles", "forums", "processes", "escalation")


def starter_roles(agreement: Agreement) -> None:
    """The standard roles and the customer's counterparts, as every new agreement gets them."""
    from samverkan.collaboration.services import model_seed

    model_seed(agreement=agreement)


def register() -> None:
    from samverkan.collaboration import agreement_file, demo

    registry.register_file_section(agreement_file.SECTION)  # objectives … escalation
    registry.register_tab(
        registry.Tab(
            key="collaboration",
            label=_("Collaboration model"),
            url_name="collaboration:model",
            order=200,
            namespaces=("collaboration",),
        )
    )
    for section in SECTIONS:
        register_link(f"model#{section}", "collaboration:model", f"#{section}")
    # Where an imported agreement file shows what it brought.
    register_link("agreement-file", "collaboration:model")
    registry.register_agreement_starter(
        registry.AgreementStarter(key="collaboration", order=200, start=starter_roles)
    )
    registry.register_demo(demo.DEMO)
