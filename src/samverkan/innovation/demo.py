"""Demo innovation frameworks: gain-share on the frontier agreement, a joint fund on the
enhancement agreement, no separate funding on the utility agreement (whose supplier is
expected to propose little). Loaded before the appendix's versions, so that version 1
already contains the framework; loading again changes nothing.

Then the ideas: on DEMO-FRONTIER and DEMO-ENHANCEMENT ideas in every stage and area,
on DEMO-UTILITY a few (its supplier proposes little). Each is proposed by a participant
and moved through the pipeline with ``idea_transition`` by the people who would do it
(decisions by the customer's side, with their reasons), so the history tells it."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Forum, Role
from samverkan.core import registry
from samverkan.core.audit import audit_action
from samverkan.innovation import effect_services
from samverkan.innovation.effect_services import effect_record
from samverkan.innovation.evaluation_services import evaluation_score, evaluators_choose
from samverkan.innovation.idea_services import idea_propose, idea_transition
from samverkan.innovation.models import Framework, FundEntry, Idea, RealisedEffect
from samverkan.innovation.people_demo import load_people
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
        "ideas_per_quarter": 1,
        "funding": "joint_fund",
        "customer_contribution": 600000,
        "supplier_contribution": 300000,
    },
    "DEMO-FRONTIER": {
        "forum": "collaboration-council",
        "customer_lead": "business-owner",
        "supplier_lead": "business-developer",
        "review_cadence": "quarterly",
        "ideas_per_quarter": 1,
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
            # What the parties agreed; without it, the governance profile's expectation.
            ideas_per_quarter=settings.pop("ideas_per_quarter", None),
            **settings,
        )


# Ideas -------------------------------------------------------------------------------------
# (proposer, title, area, problem, proposal, effect, unit, baseline, effort days, cost,
#  the way through the pipeline: (stage, who moves it, reason))

Step = tuple[str, str, str]
IdeaSpec = tuple[str, str, str, str, str, int | None, str, int | None, int | None, int, list[Step]]

MARIA = "maria.holm@norrlandia.example"
APPROVED_BY_COUNCIL = "Ryms inom samverkansrådets mandat och stöder avtalets innovationsmål."

IDEAS: dict[str, list[IdeaSpec]] = {
    "DEMO-FRONTIER": [
        (
            "sofia.wallin@molnbro.example",
            "Prisförslag i realtid i kundportalen",
            "business",
            "Kunder som ändrar sin försäkring i portalen får vänta på ett prisbesked per "
            "e-post; många hör av sig till kundtjänst i stället.",
            "Räkna fram priset direkt i portalen med samma prismotor som handläggarna "
            "använder, och visa det innan kunden bekräftar ändringen.",
            12,
            "nps_points",
            18,
            30,
            240000,
            [
                ("evaluation", "leverantor@example.com", ""),
                ("approved", MARIA, APPROVED_BY_COUNCIL),
                ("implementation", "sofia.wallin@molnbro.example", ""),
                ("implemented", "leverantor@example.com", ""),
            ],
        ),
        (
            "leverantor@example.com",
            "Automatiserad skadereglering för glasskador",
            "processes",
            "Glasskador är enkla och många, men varje ärende handläggs för hand och tar "
            "i snitt fyra dagar.",
            "Reglera glasskador automatiskt när verkstaden skickar sin faktura och "
            "villkoren är uppfyllda; handläggaren granskar bara avvikelser.",
            1200000,
            "sek_per_year",
            2100000,
            25,
            220000,
            [
                ("evaluation", "sofia.wallin@molnbro.example", ""),
                ("approved", OWNER, APPROVED_BY_COUNCIL),
                ("implementation", "leverantor@example.com", ""),
                ("implemented", "leverantor@example.com", ""),
                ("measured", MARIA, ""),
            ],
        ),
        (
            MARIA,
            "Prisändringar direkt från produktsystemet",
            "processes",
            "En prisändring tar tio arbetsdagar eftersom prislistan förs över till portalen "
            "för hand och kontrolleras i två steg.",
            "Läs prislistan direkt från produktsystemet och låt portalen visa ändringen "
            "för godkännande innan den publiceras.",
            5,
            "other",
            10,
            20,
            180000,
            [
                ("evaluation", "sofia.wallin@molnbro.example", ""),
                ("approved", OWNER, APPROVED_BY_COUNCIL),
                ("implementation", "leverantor@example.com", ""),
                ("implemented", "leverantor@example.com", ""),
                ("measured", MARIA, ""),
            ],
        ),
        (
            MARIA,
            "Utbildning i nya portalen för kundtjänst",
            "employees",
            "Kundtjänst ser inte samma vyer som kunderna och kan inte guida dem i portalen; "
            "flera säger att förändringen gått för fort.",
            "Korta utbildningspass där leverantörens utvecklare och kundtjänst går igenom "
            "portalen tillsammans, och en kontaktperson per lag.",
            None,
            "",
            None,
            8,
            90000,
            [
                ("evaluation", "leverantor@example.com", ""),
                ("approved", OWNER, "Kundtjänst behöver vara med i förändringen från början."),
                ("implementation", "sofia.wallin@molnbro.example", ""),
            ],
        ),
        (
            "leverantor@example.com",
            "Schemalagd drift av testmiljöerna",
            "infrastructure",
            "Testmiljöerna står igång dygnet runt men används bara dagtid på vardagar.",
            "Stäng av testmiljöerna automatiskt kvällar och helger och starta dem vid behov.",
            420000,
            "sek_per_year",
            None,
            4,
            60000,
            [
                ("evaluation", "sofia.wallin@molnbro.example", ""),
                (
                    "approved",
                    MARIA,
                    "Snabb besparing med liten risk; stöder målet om lägre driftkostnad.",
                ),
            ],
        ),
        (
            "sofia.wallin@molnbro.example",
            "Chattbot för fakturafrågor",
            "business",
            "Var femte samtal till kundtjänst gäller fakturor.",
            "En chattbot i portalen som svarar på vanliga fakturafrågor dygnet runt.",
            None,
            "",
            None,
            60,
            600000,
            [
                ("evaluation", "leverantor@example.com", ""),
                (
                    "rejected",
                    OWNER,
                    "Överlappar koncernens gemensamma kundtjänstplattform "
                    "som upphandlas under 2027.",
                ),
            ],
        ),
        (
            "leverantor@example.com",
            "Gemensam innovationsdag varje kvartal",
            "employees",
            "Idéer från handläggare och utvecklare kommer sällan fram i de ordinarie mötena.",
            "En dag per kvartal där båda parternas medarbetare arbetar med idéer tillsammans.",
            None,
            "",
            None,
            6,
            50000,
            [
                ("evaluation", "sofia.wallin@molnbro.example", ""),
                ("parked", MARIA, "Tas upp igen efter sommarens omorganisation i kundtjänst."),
            ],
        ),
        (
            "sofia.wallin@molnbro.example",
            "Kapacitetsprognos för kundplattformen",
            "infrastructure",
            "Kapaciteten ökas i efterhand när belastningen redan är hög vid kampanjer.",
            "En prognos av belastningen utifrån kampanjplanen, så att kapaciteten kan "
            "justeras i förväg och minskas efteråt.",
            3,
            "incidents_per_quarter",
            7,
            15,
            150000,
            [("evaluation", "leverantor@example.com", "")],
        ),
        (
            MARIA,
            "Digital signering av fullmakter",
            "processes",
            "Fullmakter för ombud skickas med post och skannas in för hand.",
            "Låt kunden signera fullmakten med e-legitimation direkt i portalen.",
            40,
            "hours_per_month",
            55,
            12,
            120000,
            [],
        ),
        (
            "leverantor@example.com",
            "Automatisk kontroll av verkstadsfakturor",
            "processes",
            "Verkstädernas fakturor kontrolleras med stickprov för hand, och för höga belopp "
            "upptäcks sällan.",
            "Jämför varje faktura med avtalade priser och skadebedömningen, och stoppa bara "
            "avvikelserna för granskning.",
            800000,
            "sek_per_year",
            None,
            30,
            240000,
            [
                ("evaluation", "sofia.wallin@molnbro.example", ""),
                ("approved", OWNER, APPROVED_BY_COUNCIL),
                ("implementation", "leverantor@example.com", ""),
                ("implemented", "leverantor@example.com", ""),
                ("measured", MARIA, ""),
            ],
        ),
    ],
    "DEMO-ENHANCEMENT": [
        (
            "henrik.dahl@kodkraft.example",
            "Automatiserad releasehantering för skadesystemet",
            "infrastructure",
            "Varje release byggs och driftsätts för hand och tar en förvaltare två dagar; "
            "fel upptäcks ofta först i produktion.",
            "En pipeline som bygger, testar och driftsätter varje release på samma sätt, "
            "med automatiska regressionstester.",
            60,
            "hours_per_month",
            90,
            20,
            150000,
            [
                ("evaluation", "sara.oberg@kodkraft.example", ""),
                (
                    "approved",
                    MARIA,
                    "Ger färre fel i produktion och frigör tid för "
                    "förbättringar; finansieras ur innovationsfonden.",
                ),
                ("implementation", "henrik.dahl@kodkraft.example", ""),
                ("implemented", "henrik.dahl@kodkraft.example", ""),
            ],
        ),
        (
            "sara.oberg@kodkraft.example",
            "Automatisk prioritering av enkla skadeärenden",
            "processes",
            "Enkla skadeärenden hamnar i samma kö som komplicerade och väntar i snitt nio dagar.",
            "Sortera in ärenden efter komplexitet när de kommer in, så att enkla ärenden "
            "går till ett snabbspår.",
            4,
            "other",
            9,
            15,
            120000,
            [
                ("evaluation", "henrik.dahl@kodkraft.example", ""),
                ("approved", OWNER, "Stöder målet om kortare handläggningstid."),
                ("implementation", "sara.oberg@kodkraft.example", ""),
                ("implemented", "henrik.dahl@kodkraft.example", ""),
                ("measured", MARIA, ""),
            ],
        ),
        (
            MARIA,
            "Förifylld digital skadeanmälan",
            "business",
            "Kunden fyller i uppgifter som vi redan har, och många avbryter anmälan.",
            "Fyll i försäkringsuppgifterna i förväg från Mina sidor så att kunden bara "
            "beskriver skadan.",
            20,
            "other",
            55,
            18,
            200000,
            [
                ("evaluation", "sara.oberg@kodkraft.example", ""),
                ("approved", OWNER, "Stöder målet om fler digitala skadeanmälningar."),
                ("implementation", "henrik.dahl@kodkraft.example", ""),
            ],
        ),
        (
            MARIA,
            "Handläggarråd som provar nya funktioner före release",
            "employees",
            "Handläggarna möter nya funktioner först när de är i drift och känner sig överkörda.",
            "Ett råd med fem handläggare som provar varje ny funktion i testmiljön och "
            "lämnar synpunkter före release.",
            None,
            "",
            None,
            5,
            40000,
            [
                ("evaluation", "henrik.dahl@kodkraft.example", ""),
                ("approved", OWNER, "Handläggarnas engagemang avgör om förändringarna får effekt."),
            ],
        ),
        (
            "sara.oberg@kodkraft.example",
            "Dokumentlagring i molntjänst",
            "infrastructure",
            "Den egna dokumentlagringen är dyr att förvalta och svår att skala.",
            "Flytta skadeärendenas dokument till en molntjänst för lagring.",
            150000,
            "sek_per_year",
            None,
            40,
            350000,
            [
                ("evaluation", "henrik.dahl@kodkraft.example", ""),
                (
                    "rejected",
                    OWNER,
                    "Kräver en ny riskbedömning av personuppgifterna; tas "
                    "inte vidare under avtalsperioden.",
                ),
            ],
        ),
        (
            "henrik.dahl@kodkraft.example",
            "Mentorprogram för nya förvaltare",
            "employees",
            "Nya förvaltare hos leverantören tar lång tid på sig att lära sig skadeprocessen.",
            "Varje ny förvaltare får en mentor bland Norrlandias handläggare under de "
            "första tre månaderna.",
            None,
            "",
            None,
            10,
            30000,
            [
                ("evaluation", "sara.oberg@kodkraft.example", ""),
                ("parked", MARIA, "Tas upp igen när rekryteringen av nya förvaltare är klar."),
            ],
        ),
        (
            MARIA,
            "Automatiska påminnelser om komplettering",
            "processes",
            "Ärenden blir liggande när kunden inte skickar in begärda underlag.",
            "Skicka påminnelser automatiskt efter fem och tio dagar, med en länk för uppladdning.",
            1,
            "other",
            9,
            6,
            50000,
            [("evaluation", "henrik.dahl@kodkraft.example", "")],
        ),
        (
            "sara.oberg@kodkraft.example",
            "Översikt över skadeflödet i realtid",
            "business",
            "Gruppcheferna ser köerna först i veckorapporten.",
            "En översikt som visar inflöde, köer och handläggningstider i realtid.",
            None,
            "",
            None,
            12,
            110000,
            [],
        ),
        (
            "henrik.dahl@kodkraft.example",
            "Testdata från avidentifierade skadeärenden",
            "infrastructure",
            "Testmiljön har för få realistiska ärenden; fel i ovanliga flöden hittas först "
            "i produktion.",
            "Skapa testdata varje vecka ur avidentifierade skadeärenden, så att testerna "
            "täcker de flöden handläggarna faktiskt använder.",
            30,
            "hours_per_month",
            50,
            15,
            90000,
            [],
        ),
        (
            "sara.oberg@kodkraft.example",
            "Sökbar kunskapsbank för handläggare",
            "processes",
            "Handläggarna letar svar på återkommande frågor i gamla e-postmeddelanden och "
            "frågar förvaltningen om samma sak.",
            "Samla svaren i en sökbar kunskapsbank i skadesystemet, med länkar från ärendebilden.",
            20,
            "hours_per_month",
            35,
            10,
            60000,
            [],
        ),
    ],
    "DEMO-UTILITY": [
        (
            "lena.ekholm@driftpartner.example",
            "Automatiserad patchning av Windows-servrar",
            "infrastructure",
            "Säkerhetsuppdateringar installeras för hand i servicefönstren och hinns inte "
            "alltid med.",
            "Installera uppdateringarna automatiskt i servicefönstren, med kontroll och "
            "återställning vid fel.",
            30,
            "hours_per_month",
            45,
            10,
            80000,
            [("evaluation", "lars.sundberg@norrlandia.example", "")],
        ),
        (
            "lars.sundberg@norrlandia.example",
            "Självbetjäning för återställning av lösenord",
            "processes",
            "En tredjedel av ärendena till servicedesken gäller låsta konton.",
            "Låt användarna återställa sitt lösenord själva med e-legitimation.",
            120,
            "other",
            360,
            8,
            70000,
            [],
        ),
        (
            "lars.sundberg@norrlandia.example",
            "Gemensam genomgång av larmreglerna",
            "processes",
            "Många larm kräver manuell åtgärd utan att något är fel.",
            "Gå igenom larmreglerna tillsammans och ta bort de larm som ingen agerar på.",
            40,
            "other",
            120,
            3,
            20000,
            [
                ("evaluation", "peter.nystrom@driftpartner.example", ""),
                ("parked", OWNER, "Väntar på att övervakningsverktyget byts ut i höst."),
            ],
        ),
    ],
}

UNITS = {  # the "other" units of the ideas above, by title
    "Prisändringar direkt från produktsystemet": "arbetsdagar per prisändring",
    "Automatisk prioritering av enkla skadeärenden": "dagars handläggningstid",
    "Förifylld digital skadeanmälan": "procent digitala anmälningar",
    "Automatiska påminnelser om komplettering": "dagars väntetid",
    "Självbetjäning för återställning av lösenord": "ärenden per kvartal",
    "Gemensam genomgång av larmreglerna": "larm per månad",
}


def load_ideas(agreement: Agreement, people: Mapping[str, User]) -> None:
    reference = agreement.reference
    if reference not in IDEAS or Idea.objects.filter(agreement=agreement).exists():
        return
    for spec in IDEAS[reference]:
        proposer, title, area, problem, proposal, effect, unit, baseline, days, cost, way = spec
        actor = people[proposer]
        with audit_action(actor=actor):
            idea = idea_propose(
                agreement=agreement,
                actor=actor,
                title=title,
                area=area,
                problem=problem,
                proposal=proposal,
                effect=effect,
                effect_unit=unit,
                effect_unit_other=UNITS.get(title, ""),
                baseline=baseline,
                effort_days=days,
                cost=cost,
            )
        for stage, email, reason in way:
            mover = people[email]
            with audit_action(actor=mover):
                if stage == "measured":  # recording the realised effect is that step
                    load_effect(idea, mover)
                    continue
                idea = idea_transition(
                    idea=idea, actor=mover, to=stage, reason=reason, version=idea.version
                )
            if stage == "evaluation" and title in EVALUATIONS:
                load_evaluation(idea, people)


# Evaluations: who scores the idea, by title — (evaluator, scores by criterion key or
# None for one who has not scored yet). Business value, feasibility, cost, risk, fit.
EVALUATIONS: dict[str, list[tuple[str, list[int] | None]]] = {
    "Schemalagd drift av testmiljöerna": [
        (MARIA, [4, 5, 5, 4, 3]),
        ("leverantor@example.com", [4, 4, 4, 4, 4]),
    ],
    "Chattbot för fakturafrågor": [
        (MARIA, [2, 3, 1, 2, 2]),
        ("sofia.wallin@molnbro.example", [4, 3, 2, 3, 3]),
    ],
    "Kapacitetsprognos för kundplattformen": [
        (OWNER, [4, 3, 3, 3, 5]),
        ("sofia.wallin@molnbro.example", None),
    ],
    "Automatiska påminnelser om komplettering": [
        (MARIA, [4, 4, 4, 4, 4]),
        ("sara.oberg@kodkraft.example", [3, 4, 4, 4, 3]),
    ],
}
CRITERIA = ("business-value", "feasibility", "cost", "risk", "strategic-fit")


def load_evaluation(idea: Idea, people: Mapping[str, User]) -> None:
    """Choose the idea's evaluators (one of each side) and record the scores given."""
    evaluators = EVALUATIONS[idea.title]
    chooser = people[evaluators[0][0]]
    with audit_action(actor=chooser):
        evaluators_choose(
            idea=idea,
            actor=chooser,
            users=[people[email] for email, _scores in evaluators],
            version=idea.version,
        )
    for email, scores in evaluators:
        if scores is not None:
            with audit_action(actor=people[email]):
                evaluation_score(
                    idea=idea, actor=people[email], scores=dict(zip(CRITERIA, scores, strict=True))
                )
    idea.refresh_from_db()


# Realised effects: (realised, measured on, evidence) by title. The figures are the
# improvement, in the unit of the expected effect; SEK effects on DEMO-FRONTIER are
# split 50/50 in the gain-share ledger.
EFFECTS: dict[str, tuple[int, datetime.date, str]] = {
    "Automatiserad skadereglering för glasskador": (
        1050000,
        datetime.date(2026, 9, 30),
        "Skadesystemets kostnadsrapport januari–augusti 2026 jämfört med samma period "
        "2025, uppräknad till helår: 81 procent av glasskadorna regleras nu automatiskt.",
    ),
    "Automatisk kontroll av verkstadsfakturor": (
        640000,
        datetime.date(2026, 10, 31),
        "Stoppade felaktiga fakturabelopp maj–oktober enligt fakturakontrollens logg, "
        "uppräknat till helår och avstämt med ekonomiavdelningen.",
    ),
    "Prisändringar direkt från produktsystemet": (
        4,
        datetime.date(2026, 8, 31),
        "Fyra prisändringar sedan maj har tagit i snitt sex arbetsdagar i stället för "
        "tio (ändringsloggen i produktsystemet).",
    ),
    "Automatisk prioritering av enkla skadeärenden": (
        5,
        datetime.date(2026, 6, 30),
        "Ärendestatistiken för andra kvartalet: enkla ärenden i snabbspåret avslutas på "
        "i snitt fyra dagar i stället för nio.",
    ),
}


def load_effect(idea: Idea, actor: User) -> None:
    """Record the idea's realised effect (which moves it to "effect measured"), then date
    the measurement as the demo's story has it (the ideas themselves are new rows)."""
    realised, measured_on, evidence = EFFECTS[idea.title]
    effect = effect_record(
        idea=idea,
        actor=actor,
        realised=realised,
        measured_on=timezone.localdate(),
        evidence=evidence,
        version=idea.version,
    )
    RealisedEffect.objects.filter(pk=effect.pk).update(measured_on=measured_on)


# The joint fund's ledger of DEMO-ENHANCEMENT: (kind, side, idea title, date, amount, text).
FUND: dict[str, list[tuple[str, str, str, datetime.date, int, str]]] = {
    "DEMO-ENHANCEMENT": [
        ("contribution", "customer", "", datetime.date(2025, 1, 31), 600000, "Bidrag 2025"),
        ("contribution", "supplier", "", datetime.date(2025, 1, 31), 300000, "Bidrag 2025"),
        (
            "spending",
            "",
            "Automatisk prioritering av enkla skadeärenden",
            datetime.date(2025, 6, 30),
            120000,
            "Utveckling och test av snabbspåret",
        ),
        (
            "spending",
            "",
            "Automatiserad releasehantering för skadesystemet",
            datetime.date(2025, 11, 14),
            150000,
            "Pipeline och regressionstester",
        ),
        ("contribution", "customer", "", datetime.date(2026, 1, 30), 600000, "Bidrag 2026"),
        (
            "contribution",
            "supplier",
            "",
            datetime.date(2026, 6, 30),
            150000,
            "Bidrag 2026, första halvan",
        ),
        (
            "spending",
            "",
            "Förifylld digital skadeanmälan",
            datetime.date(2026, 9, 15),
            120000,
            "Första delbetalningen",
        ),
        (
            "spending",
            "",
            "",
            datetime.date(2026, 10, 1),
            25000,
            "Gemensam workshop om innovationsmålen för 2027",
        ),
    ],
}


def load_fund(agreement: Agreement, people: Mapping[str, User]) -> None:
    lines = FUND.get(agreement.reference, [])
    if not lines or FundEntry.objects.filter(agreement=agreement).exists():
        return
    ideas = {idea.title: idea for idea in Idea.objects.filter(agreement=agreement)}
    actor = people[MARIA]
    for kind, side, title, on, amount, text in lines:
        with audit_action(actor=actor):
            effect_services.fund_entry_add(
                agreement=agreement,
                actor=actor,
                kind=kind,
                side=side,
                idea=ideas.get(title),
                on=on,
                amount=amount,
                text=text,
            )


STAGE_AGE = {  # the further on an idea is, the older it is in the demo's story
    "measured": 7,
    "implemented": 6,
    "implementation": 5,
    "approved": 4,
    "rejected": 4,
    "parked": 4,
    "evaluation": 2,
    "proposed": 1,
}


def load_history(agreement: Agreement) -> None:
    """Give the demo's ideas, all created just now, a history over the last two years of
    the agreement (the innovation rate counts ideas per quarter): the furthest on the
    oldest, proposed evenly from the start (at most two years back) to two weeks ago, each
    step some days after the one before, a measured idea's last step on its measuring day.
    Relative to today, so that the chart is current; done once (later loads find the
    ideas older than a day and leave them)."""
    from samverkan.innovation.models import IdeaStep

    now = timezone.now()
    ideas = sorted(
        Idea.objects.filter(agreement=agreement),
        key=lambda idea: (-STAGE_AGE.get(idea.stage, 0), idea.number),
    )
    if not ideas or any(idea.created_at < now - datetime.timedelta(days=1) for idea in ideas):
        return
    end = now - datetime.timedelta(days=14)
    start = end - datetime.timedelta(days=720)
    if agreement.start_date:
        begun = timezone.make_aware(
            datetime.datetime.combine(agreement.start_date, datetime.time(9))
        )
        start = max(start, begun)
    measured = dict(
        RealisedEffect.objects.filter(agreement=agreement).values_list("idea_id", "measured_on")
    )
    steps = list(IdeaStep.objects.filter(agreement=agreement).order_by("pk"))
    for k, idea in enumerate(ideas):
        idea.created_at = start + (end - start) * (k + 0.5) / len(ideas)
        own = [step for step in steps if step.idea_id == idea.pk]
        last = now - datetime.timedelta(days=1)
        if idea.pk in measured:
            on = datetime.datetime.combine(measured[idea.pk], datetime.time(15))
            last = min(last, max(timezone.make_aware(on), idea.created_at))
        pace = datetime.timedelta(days=4 + idea.number * 7 % 13)  # 4 to 16 days a step
        gap = min(pace, (last - idea.created_at) / max(len(own), 1))
        for i, step in enumerate(own, start=1):
            step.at = last if idea.pk in measured and i == len(own) else idea.created_at + gap * i
            if step.from_stage == "evaluation" and idea.evaluation_closed_at:
                idea.evaluation_closed_at = step.at
        idea.stage_changed_at = own[-1].at if own else idea.created_at
    Idea.objects.bulk_update(ideas, ["created_at", "stage_changed_at", "evaluation_closed_at"])
    IdeaStep.objects.bulk_update(steps, ["at"])


def load(agreement: Agreement, people: Mapping[str, User]) -> None:
    load_framework(agreement, people)
    load_ideas(agreement, people)
    load_people(agreement, people)  # the people impact of approved ideas
    load_fund(agreement, people)
    load_history(agreement)  # last: the ideas' dates over the past quarters


# After the collaboration model (its forums and roles); the appendix's demo names this
# key in its own ``after`` so that its published versions contain the framework.
DEMO = registry.DemoContent(key="innovation", load=load, after=("collaboration",))
