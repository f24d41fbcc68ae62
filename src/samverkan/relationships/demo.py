"""Demo relationship types: the questionnaire answered for each demo agreement, and its type.

Set once per agreement (when it has no type yet), so that loading the demo again
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.core import registry
from samverkan.core.audit import audit_action
from samverkan.relationships.models import Relationship
from samverkan.relationships.services import relationship_answer, relationship_set_type

OWNER = "kund@example.com"  # the customer's supplier manager answers and chooses

# Questionnaire answers that lead each demo agreement to its type.
ANSWERS = {
    "DEMO-UTILITY": {
        "criticality": "low",
        "customisation": "standard",
        "supplier_innovation": "none",
        "switching_cost": "low",
        "market_alternatives": "many",
        "business_involvement": "it_only",
        "contract_length": "medium",
        "knowledge_dependency": "low",
    },
    "DEMO-ENHANCEMENT": {
        "criticality": "medium",
        "customisation": "adapted",
        "supplier_innovation": "proposals",
        "switching_cost": "medium",
        "market_alternatives": "few",
        "business_involvement": "some",
        "contract_length": "medium",
        "knowledge_dependency": "medium",
    },
    "DEMO-FRONTIER": {
        "criticality": "high",
        "customisation": "unique",
        "supplier_innovation": "drive",
        "switching_cost": "high",
        "market_alternatives": "few",
        "business_involvement": "strategic",
        "contract_length": "long",
        "knowledge_dependency": "high",
    },
}
TYPES = {
    "DEMO-UTILITY": "utility",
    "DEMO-ENHANCEMENT": "business_enhancement",
    "DEMO-FRONTIER": "frontier",
}


def load_relationship(agreement: Agreement, people: Mapping[str, User]) -> None:
    """The owner answers the questionnaire, then chooses the type it suggests."""
    reference = agreement.reference
    if Relationship.objects.filter(agreement=agreement).exclude(type="").exists():
        return
    actor = people[OWNER]
    with audit_action(actor=actor):
        relationship_answer(
            agreement=agreement, actor=actor, answers=ANSWERS[reference], language="sv"
        )
    with audit_action(actor=actor):
        relationship_set_type(agreement=agreement, actor=actor, type=TYPES[reference])


DEMO = registry.DemoContent(key="relationships", load=load_relationship)
