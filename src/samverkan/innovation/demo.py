"""Demo innovation frameworks: gain-share on the frontier agreement, a joint fund on the
enhancement agreement, no separate funding on the utility agreement (whose supplier is
expected to propose little). Loaded before the appendix's versions, so that version 1
already contains the framework; loading again changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Forum, Role
from samverkan.core import registry
from samverkan.core.audit import audit_action
from samverkan.innovation.models import Framework
from samverkan.innovation.services import default_criteria, framework_save

OWNER = "kund@example.com"

GOALS: dict[str, list[dict[str, Any]]] = {
    "DEMO-UTILITY": [
        {
            "what": "Färre larm som kräver manuell åtgärd i driften",
            "baseline": 120,
            "target": 80,
            "unit": "larm per månad",
            "due": datetime.date(2026, 12, 31),
        },
    ],
    "DEMO-ENHANCEMENT": [
        {
            "what": "Kortare handläggningstid för enkla skadeärenden",
            "baseline": 9,
            "target": 5,
            "unit": "dagar",
            "due": datetime.date(2026, 12, 31),
        },
        {
            "what": "Fler skadeanmälningar som görs digitalt",
            "baseline": 55,
            "target": 75,
            "unit": "procent",
            "due": datetime.date(2027, 6, 30),
        },
    ],
    "DEMO-FRONTIER": [
        {
            "what": "Halvera tiden för prisändringar i kundportalen",
            "baseline": 10,
            "target": 5,
            "unit": "arbetsdagar",
            "due": datetime.date(2026, 12, 31),
        },
        {
            "what": "Höjt kundbetyg för portalen",
            "baseline": 18,
            "target": 30,
            "unit": "NPS-poäng",
            "due": datetime.date(2027, 6, 30),
        },
        {
            "what": "Lägre driftkostnad för kundplattformen",
            "baseline": 4800000,
            "target": 3900000,
            "unit": "kr per år",
            "due": datetime.date(2027, 12, 31),
        },
    ],
}

LINE = {
    "DEMO-UTILITY": (
        "Ständiga förbättringar av driften (automatisering av återkommande åtgärder, "
        "kapacitetsjusteringar) ingår i tjänsten utan extra ersättning. Innovation är "
        "förändringar som leverantören föreslår utöver tjänstebeskrivningen."
    ),
    "DEMO-ENHANCEMENT": (
        "Förbättringar av befintliga funktioner inom förvaltningsbudgeten ingår i "
        "tjänsten. Ny funktionalitet och nya arbetssätt för skadehandläggarna är "
        "innovation och finansieras ur den gemensamma fonden."
    ),
    "DEMO-FRONTIER": (
        "Ständiga förbättringar av plattformen ingår i tjänsten utan extra ersättning. "
        "Innovation är förändringar av affär, processer eller arbetssätt som ger mätbar "
        "effekt utöver tjänsten; effekten delas enligt vinstdelningen."
    ),
}

SETTINGS: dict[str, dict[str, Any]] = {
    "DEMO-UTILITY": {
        "forum": "operations-meeting",
        "customer_lead": "supplier-manager",
        "supplier_lead": "it-supplier",
        "review_cadence": "semiannual",
        "funding": "none",
    },
    "DEMO-ENHANCEMENT": {
        "forum": "collaboration-council",
        "customer_lead": "business-owner",
        "supplier_lead": "business-developer",
        "review_cadence": "quarterly",
        "funding": "joint_fund",
        "customer_contribution": 600000,
        "supplier_contribution": 300000,
    },
    "DEMO-FRONTIER": {
        "forum": "collaboration-council",
        "customer_lead": "business-owner",
        "supplier_lead": "business-developer",
        "review_cadence": "quarterly",
        "funding": "gain_share",
        "customer_share": 50,
        "supplier_share": 50,
        "gain_share_months": 36,
    },
}


def load_framework(agreement: Agreement, people: Mapping[str, User]) -> None:
    reference = agreement.reference
    if reference not in SETTINGS or Framework.objects.filter(agreement=agreement).exists():
        return
    settings = dict(SETTINGS[reference])
    forum = Forum.objects.filter(agreement=agreement, key=settings.pop("forum")).first()
    roles = {role.key: role for role in Role.objects.filter(agreement=agreement)}
    actor = people[OWNER]
    with audit_action(actor=actor):
        framework_save(
            agreement=agreement,
            actor=actor,
            version=0,
            goals=GOALS[reference],
            criteria=default_criteria(agreement),
            deciding_forum=forum,
            customer_lead=roles.get(settings.pop("customer_lead")),
            supplier_lead=roles.get(settings.pop("supplier_lead")),
            improvement_line=LINE[reference],
            ideas_per_quarter=None,  # the governance profile's expectation
            **settings,
        )


# After the collaboration model (its forums and roles); the appendix's demo names this
# key in its own ``after`` so that its published versions contain the framework.
DEMO = registry.DemoContent(key="innovation", load=load_framework, after=("collaboration",))
