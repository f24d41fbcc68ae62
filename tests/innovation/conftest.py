from __future__ import annotations

import datetime
from typing import Any

import pytest

from samverkan.collaboration.models import Forum, Role
from samverkan.collaboration.services import forum_from_template, model_seed
from tests.conftest import World


@pytest.fixture
def framework_world(world: World) -> World:
    """The world's agreement with the starter roles and a steering group and council."""
    model_seed(agreement=world.agreement)
    forum_from_template(agreement=world.agreement, actor=None, template="steering-group")
    forum_from_template(agreement=world.agreement, actor=None, template="collaboration-council")
    return world


def forum(world: World, key: str = "collaboration-council") -> Forum:
    return Forum.objects.get(agreement=world.agreement, key=key)


def role(world: World, key: str) -> Role:
    return Role.objects.get(agreement=world.agreement, key=key)


def framework_fields(world: World, **changes: Any) -> dict[str, Any]:
    """A complete, valid framework: two goals, the five default criteria, gain-share 50/50."""
    fields: dict[str, Any] = {
        "goals": [
            {
                "what": "Halvera tiden för prisändringar i kundportalen",
                "baseline": "10",
                "target": "5",
                "unit": "arbetsdagar",
                "due": datetime.date(2027, 6, 30),
            },
            {
                "what": "Färre incidenter i fakturaflödet",
                "baseline": "40",
                "target": "20",
                "unit": "incidenter per kvartal",
                "due": datetime.date(2027, 12, 31),
            },
        ],
        "criteria": [
            {"key": "business-value", "name": "Affärsnytta", "weight": 30},
            {"key": "feasibility", "name": "Genomförbarhet", "weight": 20},
            {"key": "cost", "name": "Kostnad", "weight": 15},
            {"key": "risk", "name": "Risk", "weight": 15},
            {"key": "strategic-fit", "name": "Strategisk passform", "weight": 20},
        ],
        "deciding_forum": forum(world),
        "customer_lead": role(world, "business-owner"),
        "supplier_lead": role(world, "business-developer"),
        "improvement_line": "Ständiga förbättringar ingår i tjänsten utan extra ersättning.",
        "ideas_per_quarter": None,
        "review_cadence": "quarterly",
        "funding": "gain_share",
        "customer_share": 50,
        "supplier_share": 50,
        "gain_share_months": 36,
        "gain_share_from": datetime.date(2026, 1, 1),
    }
    fields.update(changes)
    return fields
