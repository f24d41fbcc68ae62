"""Demo people impact (Medarbetare) on approved and implemented ideas of DEMO-ENHANCEMENT
and DEMO-FRONTIER: who the change affects, the resistance expected and why, and the
engagement actions with their owners and dates (some done). Exactly one approved idea
— the scheduled test environments on DEMO-FRONTIER — expects high resistance and has no
engagement action yet, so the warning shows on its page, the board and the overview.

Dates are counted from the day the demo is loaded, so that done actions lie behind and
open ones ahead. Loading again changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.core.audit import audit_action
from samverkan.innovation.models import Idea, PeopleImpact
from samverkan.innovation.people_services import (
    engagement_action_add,
    engagement_action_mark,
    people_impact_save,
)

MARIA = "maria.holm@norrlandia.example"

# By agreement and idea title: who records it, groups, resistance, its reason, and the
# actions (text, owner, days from today, done).
PEOPLE: dict[str, list[dict[str, Any]]] = {
    "DEMO-ENHANCEMENT": [
        {
            "title": "Handläggarråd som provar nya funktioner före release",
            "by": MARIA,
            "groups": (
                "Skadehandläggarna på Norrlandia (omkring 120 personer i fyra grupper), "
                "gruppcheferna på skadeavdelningen och Kodkrafts förvaltningsteam, som ska ta "
                "emot rådets synpunkter före varje release."
            ),
            "resistance": "high",
            "reason": (
                "Handläggarna har sett flera releaser införas utan att bli tillfrågade och "
                "tror inte att synpunkterna tas på allvar. Gruppcheferna oroar sig för att "
                "tiden i rådet tas från ärendehanteringen när köerna redan är långa."
            ),
            "actions": [
                (
                    "Workshop med gruppcheferna om hur tiden i rådet avsätts i bemanningen",
                    MARIA,
                    -12,
                    True,
                ),
                (
                    "Grupperna väljer själva rådets fem handläggare, en per grupp och "
                    "ett skyddsombud",
                    MARIA,
                    9,
                    False,
                ),
                (
                    "Kodkraft visar vid varje release vilka synpunkter som tagits om hand och "
                    "varför andra får vänta",
                    "henrik.dahl@kodkraft.example",
                    30,
                    False,
                ),
            ],
        },
        {
            "title": "Automatisk prioritering av enkla skadeärenden",
            "by": MARIA,
            "groups": "Handläggarna i skadeteamen, som får ett snabbspår och en ny kö att arbeta i.",
            "resistance": "medium",
            "reason": (
                "Snabbspåret ändrar hur ärendena fördelas; erfarna handläggare befarar att de "
                "bara får de svåra ärendena kvar."
            ),
            "actions": [
                (
                    "Pilot i ett skadeteam i fyra veckor med kort avstämning varje morgon",
                    MARIA,
                    -60,
                    True,
                ),
                (
                    "Genomgång av fördelningsreglerna med alla skadeteam före införandet",
                    "henrik.dahl@kodkraft.example",
                    -40,
                    True,
                ),
            ],
        },
    ],
    "DEMO-FRONTIER": [
        {
            "title": "Automatiserad skadereglering för glasskador",
            "by": "kund@example.com",
            "groups": (
                "Glasskadehandläggarna på Norrlandia (femton personer) och verkstäderna som "
                "skickar fakturorna."
            ),
            "resistance": "high",
            "reason": (
                "Handläggarna oroar sig för att arbetsuppgifterna försvinner och att bara "
                "avvikelserna blir kvar; flera har handlagt glasskador i många år och "
                "litar inte på att reglerna fångar fusk."
            ),
            "actions": [
                (
                    "Informationsmöte med glasskadeteamet om vad automatiseringen innebär för "
                    "deras roller",
                    "kund@example.com",
                    -45,
                    True,
                ),
                (
                    "Handläggarna granskar de första 200 automatiska regleringarna och föreslår "
                    "ändrade regler",
                    "leverantor@example.com",
                    -20,
                    True,
                ),
                (
                    "Kompetensplan för de nya uppgifterna: avvikelser och uppföljning av "
                    "verkstäderna",
                    MARIA,
                    21,
                    False,
                ),
            ],
        },
        {
            # Approved, high resistance, nothing planned yet: the demo's one warning.
            "title": "Schemalagd drift av testmiljöerna",
            "by": MARIA,
            "groups": (
                "Molnbros testare och utvecklare, och kundtjänsts acceptanstestare som testar "
                "inför kampanjer på kvällstid."
            ),
            "resistance": "high",
            "reason": (
                "Testarna arbetar ofta sent inför releaser och kampanjer och befarar att "
                "miljöerna är avstängda när de behövs; förra gången miljöerna stängdes av "
                "förlorades två testdagar."
            ),
            "actions": [],
        },
    ],
}


def load_people(agreement: Agreement, people: Mapping[str, User]) -> None:
    specs = PEOPLE.get(agreement.reference)
    if not specs or PeopleImpact.objects.filter(agreement=agreement).exists():
        return
    today = timezone.localdate()
    for spec in specs:
        idea = Idea.objects.filter(agreement=agreement, title=spec["title"]).first()
        if idea is None:
            continue
        actor = people[spec["by"]]
        with audit_action(actor=actor):
            impact = people_impact_save(
                idea=idea,
                actor=actor,
                affected_groups=spec["groups"],
                resistance=spec["resistance"],
                resistance_reason=spec["reason"],
                version=0,
            )
        version = impact.version
        for text, owner, days, done in spec["actions"]:
            with audit_action(actor=actor):
                action = engagement_action_add(
                    idea=idea,
                    actor=actor,
                    action=text,
                    owner=people[owner],
                    due=today + datetime.timedelta(days=days),
                    version=version,
                )
            version += 1
            if done:
                with audit_action(actor=people[owner]):
                    engagement_action_mark(
                        idea=idea,
                        actor=people[owner],
                        action_id=action.pk,
                        done=True,
                        version=version,
                    )
                version += 1
