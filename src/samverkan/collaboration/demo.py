"""Demo collaboration models: each demo agreement gets a full model, built on its type.

Built once per agreement (when it has no forums yet), so that loading the demo
again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.collaboration import services as model
from samverkan.collaboration.models import Forum
from samverkan.core import registry
from samverkan.core.audit import audit_action

OWNER = "kund@example.com"  # the customer's supplier manager builds the model

OBJECTIVES = {
    "DEMO-UTILITY": [
        "Tillgänglighet om minst 99,8 % för produktionsmiljön, mätt per månad.",
        "Sänkt kostnad per server med 10 % under avtalsperioden.",
        "En ordnad och testad exitplan som uppdateras varje år.",
    ],
    "DEMO-ENHANCEMENT": [
        "Hög kvalitet och driftstabilitet i skadehanteringssystemet.",
        "Kortare handläggningstid för skadeärenden genom förbättringar i varje release.",
        "Nöjda handläggare: minst 4 av 5 i den halvårsvisa enkäten.",
    ],
    "DEMO-FRONTIER": [
        "Leverera IT-tjänster med hög kvalitet och driftstabilitet.",
        "Arbeta innovativt tillsammans med verksamheten så att plattformen följer Norrlandias affärsplan.",
        "Fördubbla andelen kunder som sköter sina ärenden digitalt före 2028.",
        "Dela investering och vinst i nya digitala tjänster enligt överenskommen modell.",
    ],
}

# Role key → the demo people who hold it, per agreement (name, e-mail).
HOLDERS = {
    "DEMO-UTILITY": {
        "executive-sponsor": [("Anders Berg", "anders.berg@norrlandia.example")],
        "supplier-manager": [("Karin Lindqvist", "kund@example.com")],
        "it-architect": [("Lars Sundberg", "lars.sundberg@norrlandia.example")],
        "strategic-partner": [("Peter Nyström", "peter.nystrom@driftpartner.example")],
        "it-supplier": [("Lena Ekholm", "lena.ekholm@driftpartner.example")],
    },
    "DEMO-ENHANCEMENT": {
        "executive-sponsor": [("Anders Berg", "anders.berg@norrlandia.example")],
        "business-owner": [("Maria Holm", "maria.holm@norrlandia.example")],
        "supplier-manager": [("Karin Lindqvist", "kund@example.com")],
        "strategic-partner": [("Sara Öberg", "sara.oberg@kodkraft.example")],
        "it-supplier": [("Henrik Dahl", "henrik.dahl@kodkraft.example")],
        "business-developer": [("Sara Öberg", "sara.oberg@kodkraft.example")],
    },
    "DEMO-FRONTIER": {
        "executive-sponsor": [("Anders Berg", "anders.berg@norrlandia.example")],
        "business-owner": [("Maria Holm", "maria.holm@norrlandia.example")],
        "supplier-manager": [("Karin Lindqvist", "kund@example.com")],
        "it-architect": [("Lars Sundberg", "lars.sundberg@norrlandia.example")],
        "strategic-partner": [("Sofia Wallin", "sofia.wallin@molnbro.example")],
        "business-developer": [("Johan Ek", "leverantor@example.com")],
        "it-supplier": [("Johan Ek", "leverantor@example.com")],
        "it-entrepreneur": [("Ahmed Karimi", "ahmed.karimi@molnbro.example")],
    },
}

PROCESSES = {
    "DEMO-UTILITY": ["change-management", "escalation", "service-review", "exit"],
    "DEMO-ENHANCEMENT": [
        "change-management",
        "escalation",
        "service-review",
        "continuous-improvement",
        "innovation",
        "exit",
    ],
    "DEMO-FRONTIER": [
        "change-management",
        "escalation",
        "service-review",
        "continuous-improvement",
        "innovation",
        "dispute-resolution",
        "exit",
    ],
}

# Members of each template forum, by role key.
FORUM_MEMBERS = {
    "steering-group": ["executive-sponsor", "strategic-partner", "business-owner"],
    "collaboration-council": [
        "business-owner",
        "supplier-manager",
        "business-developer",
        "it-entrepreneur",
        "it-architect",
    ],
    "operations-meeting": ["supplier-manager", "it-supplier", "it-architect"],
}
FORUM_CHAIR = {
    "steering-group": "executive-sponsor",
    "collaboration-council": "business-owner",
    "operations-meeting": "supplier-manager",
}
ESCALATION_DAYS = {"operations-meeting": 5, "collaboration-council": 10, "steering-group": 20}


def load_model(agreement: Agreement, people: Mapping[str, User]) -> None:
    """The model as its owner would build it, one step (one history entry) at a time."""
    reference = agreement.reference
    if Forum.objects.filter(agreement=agreement).exists():
        return
    actor = people[OWNER]
    with audit_action(actor=actor):
        model.objectives_set(agreement=agreement, actor=actor, texts=OBJECTIVES[reference])
    with audit_action(actor=actor):
        model.model_seed(agreement=agreement)
    roles = {role.key: role for role in agreement.roles.all()}
    if reference == "DEMO-UTILITY":
        # A utility deal needs no business developer from the supplier.
        with audit_action(actor=actor):
            model.role_delete(role=roles.pop("business-developer"), actor=actor)
    for key, holders in HOLDERS[reference].items():
        role = roles[key]
        with audit_action(actor=actor):
            model.role_update(
                role=role,
                actor=actor,
                version=role.version,
                holders=[{"name": name, "email": email} for name, email in holders],
            )
    if reference == "DEMO-FRONTIER":
        partner = roles["strategic-partner"]
        with audit_action(actor=actor):
            model.role_update(
                role=partner,
                actor=actor,
                version=partner.version,
                decision_rights=[
                    {
                        "decision": "innovation_approval",
                        "limit": 250000,
                        "note": "Tillsammans med beställaransvarig ledning",
                    }
                ],
            )
    forums = {}
    for template in ("steering-group", "collaboration-council", "operations-meeting"):
        with audit_action(actor=actor):
            forum = model.forum_from_template(agreement=agreement, actor=actor, template=template)
            model.forum_update(
                forum=forum,
                actor=actor,
                version=forum.version,
                chair=roles.get(FORUM_CHAIR[template]),
                members=[roles[key] for key in FORUM_MEMBERS[template] if key in roles],
            )
        forums[template] = forum
    for template in PROCESSES[reference]:
        with audit_action(actor=actor):
            model.process_from_template(agreement=agreement, actor=actor, template=template)
    with audit_action(actor=actor):
        model.escalation_set(
            agreement=agreement,
            actor=actor,
            steps=[(forums[key], days) for key, days in ESCALATION_DAYS.items()],
        )


# After the relationship type: the starter roles and forum cadences follow it.
DEMO = registry.DemoContent(key="collaboration", load=load_model, after=("relationships",))
