"""A negotiation case with every step filled in, for the brief, the API and the command
(imported by their tests; a module of its own so it does not clash with other fixtures)."""

from __future__ import annotations

import datetime

from samverkan.negotiation import services
from samverkan.negotiation.models import Case
from tests.conftest import World


def filled_case(w: World) -> Case:
    """Norrlandia's renewal of DRIFT-2025: Karin owns it, Lars is on the team."""
    case = services.case_create(
        organisation=w.customer,
        actor=w.customer_owner,
        title="Förnyelse av driftavtalet 2027",
        kind="renewal",
        agreement=w.agreement,
        role="Förhandlingsledare",
    )
    services.member_add(case=case, user=w.customer_colleague, role="Driftexpert")
    services.case_update(
        case=case,
        version=None,
        timeline="Förberedelse i december.\n\nFörsta mötet i februari, avslut före maj.",
        history="Sju år av stabil drift, men kommunikationen har försämrats sedan 2025.",
        market="Tre jämförbara leverantörer i Norden; priserna sjunker med ungefär 5 % om året.",
        previous_agreements="Driftavtalet 2018 och tilläggsavtalet för lagring 2021.",
        counterparty="Driftpartner växer snabbt och behöver referenskunder i försäkringsbranschen.",
        problem="Tillgängligheten har sjunkit under den avtalade nivån två månader i rad.",
        success="Ett förnyat avtal med skärpta servicenivåer och månadsvis avstämning.",
        batna="Upphandla driften på nytt under 2027 och förlänga ett år under tiden.",
        walk_away="Högst 2 % högre årsavgift än i dag.",
    )
    ours, theirs = services.interests_set(
        case=case,
        version=None,
        interests=[
            {"side": "ours", "text": "Stabil drift", "priority": 5, "relation": "shared"},
            {
                "side": "theirs",
                "text": "Längre avtalstid",
                "priority": 2,
                "relation": "conflicting",
            },
        ],
    )
    options = services.options_set(
        case=case,
        version=None,
        options=[
            {"name": "Förlänga oförändrat", "description": "Samma villkor i två år."},
            {"name": "Förlänga med skärpta villkor", "description": "Nya vitesnivåer."},
            {"name": "Upphandla på nytt", "description": "Öppen upphandling våren 2027."},
        ],
    )
    scores = {(options[0].pk, ours.pk): 2, (options[0].pk, theirs.pk): 5}
    scores |= {(options[1].pk, ours.pk): 5, (options[1].pk, theirs.pk): 4}
    scores |= {(options[2].pk, ours.pk): 4, (options[2].pk, theirs.pk): 1}
    services.scores_set(case=case, version=None, scores=scores)
    goal, second = services.goals_set(
        case=case,
        version=None,
        goals=[{"text": "Tillgänglighet minst 99,7 %"}, {"text": "Årsavgiften ökar högst 2 %"}],
    )
    checks = {(option.pk, goal.pk): option != options[0] for option in options}
    checks |= {(option.pk, second.pk): True for option in options}
    services.checks_set(case=case, version=None, checks=checks)
    services.fallbacks_set(
        case=case,
        version=None,
        fallbacks=[{"issue": "Vitesnivåerna", "plan": "Godta lägre viten mot kortare avtalstid."}],
    )
    services.actions_set(
        case=case,
        version=None,
        actions=[
            {
                "who": "Karin Lindqvist",
                "what": "Boka första förhandlingsmötet",
                "how": "Via Driftpartners kundansvarige",
                "when": datetime.date(2027, 1, 15),
                "status": "underway",
            }
        ],
    )
    case.refresh_from_db()
    return case
