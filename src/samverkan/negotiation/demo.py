"""Demo negotiation cases: one of each side, each private to its own team.

- DEMO-UTILITY, Norrlandia's side: the renewal of the operations agreement that ends on
  31 December 2027, filled in across all eight steps. Its story is the service-level dip
  of autumn 2026 (availability under the agreed level two months running, service
  credits) and the perception gap the relationship-health rounds show about
  communication. The scorecard is not built yet, so the dip is told in the case's own
  texts; the facts the registry gives (relationship type, appendix, health, innovation
  rate) show beside the case for members who take part in the agreement.
- DEMO-FRONTIER, Molnbro's side: a change for the data platform's second stage, with
  Molnbro's own team; no plan B yet, so one step is still thin. Norrlandia's people,
  the customer's demo login among them, never see it.

Written through the services like a real case, as the people who would do it; built
once (a case with its title already there is left alone), so loading again changes
nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from samverkan.accounts.models import Organisation, User
from samverkan.agreements.models import Agreement
from samverkan.core import registry
from samverkan.core.audit import audit_action
from samverkan.negotiation import services
from samverkan.negotiation.models import Case


@dataclass(frozen=True)
class DemoCase:
    organisation: str
    title: str
    kind: str
    team: tuple[tuple[str, str, bool], ...]  # e-mail, role in the negotiation, owner
    texts: dict[str, str]
    interests: tuple[tuple[str, str, int, str], ...]  # side, text, priority, relation
    options: tuple[tuple[str, str, tuple[int, ...]], ...]  # name, description, scores
    goals: tuple[str, ...]
    checks: dict[str, tuple[bool, ...]]  # option name → meets each goal
    fallbacks: tuple[tuple[str, str], ...] = ()
    actions: tuple[tuple[str, str, str, datetime.date, str], ...] = field(default=())


UTILITY = DemoCase(
    organisation="Norrlandia Försäkring AB",
    title="Förnyelse av driftavtalet med Driftpartner från 2028",
    kind="renewal",
    team=(
        ("kund@example.com", "Förhandlingsledare", True),
        ("anders.berg@norrlandia.example", "Beslutsfattare och sponsor", False),
        ("lars.sundberg@norrlandia.example", "Expert på drift och servicenivåer", False),
        ("eva.nordin@norrlandia.example", "Avtal och juridik", False),
    ),
    texts={
        "timeline": (
            "December 2026: teamet samlat och underlaget klart före jul.\n"
            "Januari 2027: mandat och smärtgräns beslutas i IT-ledningsgruppen; genomgång "
            "av hälsokontrollen med Driftpartner.\n"
            "Februari–mars 2027: tre förhandlingsmöten – servicenivåer och viten, pris och "
            "avtalstid, samverkan och förbättringsarbete.\n"
            "30 april 2027: beslut om förnyelse eller ny upphandling. Senare hinner en "
            "upphandling inte bli klar före avtalets slut den 31 december 2027.\n"
            "Juni 2027: nytt avtal undertecknat."
        ),
        "history": (
            "Driftpartner har drivit våra servrar, vår lagring och vårt nätverk sedan "
            "januari 2023. De två första åren var driften stabil och relationen god; i "
            "Hälsokontroll 2024 lyfte vi fram den stabila driften och priset.\n\n"
            "Sedan servicedesken bytte team 2025 har kommunikationen blivit sämre. "
            "Hälsokontrollerna 2025 och 2026 visar ett växande uppfattningsglapp: "
            "Driftpartner ger sin egen kommunikation höga betyg, vi ger den låga. Planerade "
            "driftstopp meddelas för sent, ibland samma dag, och våra frågor får svar först "
            "när vi eskalerar.\n\n"
            "Hösten 2026 sjönk tillgängligheten för serverdriften under avtalad nivå två "
            "månader i rad: 99,4\xa0% i september och 99,5\xa0% i oktober mot avtalade 99,8\xa0%, "
            "efter två oplanerade avbrott i lagringsmiljön vid månadsskiften – just när "
            "skadeavdelningen har som mest att göra. Det gav vitesavdrag (servicekrediter) "
            "på sammanlagt 126\xa0000 kr. Driftpartner menar att servicenivåerna uppfylls med "
            "marginal räknat över året.\n\n"
            "Driftpartner har föreslagit en enda förbättringsidé det senaste året "
            "(automatiserad patchning), mot förväntade en per kvartal."
        ),
        "market": (
            "Marknaden för infrastrukturdrift är mogen, med minst fyra jämförbara "
            "leverantörer i Norden. Priserna för server- och lagringsdrift har sjunkit med "
            "4–6\xa0% om året, främst genom automation och delad molninfrastruktur. Flera "
            "leverantörer erbjuder hybriddrift med publikt moln. En ny upphandling är "
            "realistisk men kostsam: 9–12 månader och omkring 1,5\xa0mnkr i intern tid och "
            "rådgivning, och en övergång innebär en risk i driften."
        ),
        "previous_agreements": (
            "DEMO-UTILITY gäller 1 januari 2023–31 december 2027, årsvärde 8,4\xa0mnkr, med "
            "fasta servicenivåer (tillgänglighet 99,8\xa0% dygnet runt för serverdriften) och "
            "vite på 3\xa0% av månadsavgiften per påbörjad tiondels procentenhet under nivån. "
            "Avtalet saknar krav på förbättringsförslag och mäter inte tillgängligheten "
            "under verksamhetstid. Före 2023 drev vi miljön med egen personal."
        ),
        "counterparty": (
            "Driftpartner Norden växer och bygger upp en försäkringsinriktning; vi är deras "
            "största kund i branschen och en viktig referens. Deras marginaler pressas av "
            "lönekostnaderna och de vill förlänga med längre bindningstid för att kunna "
            "investera i automation. Ett nytt servicedeskteam och personalomsättning bland "
            "teknikerna förklarar en del av kommunikationsproblemen – men de ser inte "
            "problemet själva: i hälsokontrollen bedömer de sin kommunikation som god."
        ),
        "problem": (
            "Servicenivån har legat under den avtalade två månader i rad och vi får veta "
            "om störningar och ändringar för sent, samtidigt som avtalet löper ut om ett år "
            "utan att vi vet om Driftpartner är rätt partner för nästa period."
        ),
        "success": (
            "Ett förnyat avtal från 2028 där tillgängligheten mäts under verksamhetstid "
            "(minst 99,8\xa0% vardagar 07–19, månadsskiften som kritisk period), viten som "
            "märks, besked om planerade driftstopp minst fem arbetsdagar i förväg, en "
            "gemensam månadsavstämning i stället för PDF-rapporten och minst en konkret "
            "förbättringsidé per kvartal från Driftpartner – till högst 2\xa0% högre "
            "årskostnad."
        ),
        "batna": (
            "Att inte förnya med Driftpartner utan upphandla driften på nytt. Då behöver "
            "vi en förlängning på upp till ett år på nuvarande villkor för att hinna; räkna "
            "med 9–12 månaders upphandling, omkring 1,5\xa0mnkr i intern tid och rådgivning "
            "och en övergångsrisk i driften."
        ),
        "walk_away": (
            "Vi förnyar inte om årskostnaden ökar mer än 4\xa0%, om tillgängligheten inte mäts "
            "under verksamhetstid eller om vitet blir lägre än i dag."
        ),
    },
    interests=(
        ("ours", "Stabil drift under verksamhetstid, särskilt vid månadsskiften", 5, "shared"),
        ("ours", "Tidiga och begripliga besked om driftstopp och ändringar", 4, "shared"),
        ("ours", "Förutsägbar och konkurrenskraftig kostnad", 4, "conflicting"),
        ("ours", "Förbättringsförslag från leverantören, minst ett per kvartal", 3, "shared"),
        ("ours", "Frihet att flytta delar av driften till publikt moln", 2, "conflicting"),
        (
            "theirs",
            "Längre avtalstid för att räkna hem investeringar i automation",
            4,
            "conflicting",
        ),
        ("theirs", "Behålla en referenskund inom försäkring", 4, "shared"),
        ("theirs", "Viten som inte äter upp marginalen", 3, "conflicting"),
        ("theirs", "Tidigare besked om våra större förändringar i verksamheten", 2, "shared"),
    ),
    options=(
        (
            "Förlänga oförändrat två år",
            "Samma villkor, servicenivåer och pris till och med 2029.",
            (2, 1, 4, 1, 2, 3, 4, 5, 2),
        ),
        (
            "Förnya med skärpta servicenivåer och samverkan",
            "Tre år plus option på två: tillgänglighet under verksamhetstid, högre viten, "
            "månadsavstämning och förbättringsförslag varje kvartal, mot längre bindning.",
            (4, 4, 3, 4, 3, 4, 5, 2, 4),
        ),
        (
            "Ny upphandling av driften",
            "Förläng ett år och upphandla driften öppet under 2027, med hybridmoln som option.",
            (4, 3, 4, 3, 5, 1, 1, 3, 1),
        ),
        (
            "Förnya kort och upphandla parallellt",
            "Förnya ett år i taget med dagens villkor medan vi förbereder en upphandling.",
            (3, 2, 3, 2, 4, 1, 2, 4, 2),
        ),
    ),
    goals=(
        "Tillgänglighet minst 99,8\xa0% under verksamhetstid",
        "Årskostnaden ökar högst 2\xa0%",
        "Besked om planerade driftstopp minst fem arbetsdagar i förväg",
        "Minst en förbättringsidé per kvartal från leverantören",
        "Nytt avtal klart senast den 30 juni 2027",
    ),
    checks={
        "Förlänga oförändrat två år": (False, True, False, False, True),
        "Förnya med skärpta servicenivåer och samverkan": (True, True, True, True, True),
        "Ny upphandling av driften": (True, False, True, True, False),
        "Förnya kort och upphandla parallellt": (False, True, False, False, True),
    },
    fallbacks=(
        (
            "Driftpartner vägrar mäta tillgängligheten under verksamhetstid",
            "Godta mätning dygnet runt om vitet fördubblas för avbrott vardagar 07–19 och "
            "månadsskiftena räknas som kritisk period.",
        ),
        (
            "Driftpartner kräver fem års bindningstid",
            "Erbjud tre år med option på två års förlängning, villkorad av att "
            "servicenivåerna hålls och att hälsokontrollen visar ett mindre glapp.",
        ),
        (
            "Prishöjning över 2\xa0%",
            "Byt bort PDF-rapporten och delar av andra linjens servicedesk mot lägre pris; "
            "håller de fast vid höjningen börjar vi förbereda upphandlingen.",
        ),
    ),
    actions=(
        (
            "Karin Lindqvist",
            "Samla förhandlingsteamet och fördela rollerna",
            "Startmöte med IT-direktören, driftchefen och bolagsjuristen",
            datetime.date(2026, 11, 20),
            "done",
        ),
        (
            "Lars Sundberg",
            "Sammanställ tillgänglighet och vitesavdrag 2023–2026",
            "Ur månadsrapporterna och incidentloggen, per månad och under verksamhetstid",
            datetime.date(2026, 12, 11),
            "underway",
        ),
        (
            "Karin Lindqvist",
            "Gå igenom Hälsokontroll 2026 med Driftpartner",
            "Workshop om uppfattningsglappet i kommunikationen, före förhandlingsstart",
            datetime.date(2027, 1, 20),
            "planned",
        ),
        (
            "Eva Nordin",
            "Föreslå nya avtalsvillkor för servicenivåer och viten",
            "Utgå från nuvarande avtal och marknadspraxis; mätning under verksamhetstid",
            datetime.date(2027, 1, 29),
            "planned",
        ),
        (
            "Anders Berg",
            "Fastställ mandat och smärtgräns",
            "Beslut i IT-ledningsgruppen",
            datetime.date(2027, 2, 3),
            "planned",
        ),
        (
            "Karin Lindqvist",
            "Be två andra driftleverantörer om en marknadsindikation",
            "Informell förfrågan (RFI) som prövar reservalternativet",
            datetime.date(2027, 2, 15),
            "planned",
        ),
    ),
)

FRONTIER = DemoCase(
    organisation="Molnbro Digital AB",
    title="Dataplattformen etapp 2 – ändring av åtagandet",
    kind="change",
    team=(
        ("sofia.wallin@molnbro.example", "Förhandlingsledare", True),
        ("leverantor@example.com", "Bemanning och tidplan", False),
        ("ahmed.karimi@molnbro.example", "Omfattning och estimat", False),
    ),
    texts={
        "timeline": (
            "Offert till Norrlandia i januari 2027, förhandling i februari och beslut i "
            "styrgruppen i mars 2027."
        ),
        "history": (
            "Vi bygger kundplattformen tillsammans med Norrlandia sedan september 2025. "
            "Relationen blir bättre för varje pulsmätning, vi delar vision, "
            "innovationsbudget och vinst, och prisförslag i realtid i kundportalen är i drift."
        ),
        "market": (
            "Norrlandias konkurrenter satsar på dynamisk prissättning. Flera konsultbolag "
            "erbjuder färdiga dataplattformar, vilket kan pressa vårt pris för etapp 2."
        ),
        "previous_agreements": (
            "DEMO-FRONTIER (2025–2030): gemensam utveckling med vinstdelning 50/50 och "
            "en gemensam innovationsfond."
        ),
        "counterparty": (
            "Norrlandia har sparkrav på IT-budgeten 2027 och behöver en tydligare "
            "långsiktig ägare för dataplattformen."
        ),
        "problem": (
            "Etapp 2 av dataplattformen ryms inte i nuvarande åtagande; vi behöver en "
            "ändring som täcker de nya prismodellerna utan att riskera vinstdelningen."
        ),
        "success": (
            "En ändringsorder för etapp 2 om omkring 3,2\xa0mnkr med tre utvecklare i tolv "
            "månader, vinstdelningen oförändrad och en utsedd produktägare hos Norrlandia."
        ),
        "batna": (
            "Fortsätta inom nuvarande åtagande och erbjuda etapp 2 som ett fristående "
            "projekt längre fram."
        ),
        "walk_away": "Under 15\xa0% marginal, eller om vinstdelningen sänks.",
    },
    interests=(
        ("ours", "Lönsamhet i etapp 2, minst 18\xa0% marginal", 5, "conflicting"),
        ("ours", "Långsiktig relation och en stark referens", 4, "shared"),
        ("ours", "En tydlig produktägare hos kunden", 3, "shared"),
        ("theirs", "Hålla IT-budgeten 2027", 5, "conflicting"),
        ("theirs", "Snabbare prisförändringar på marknaden", 4, "shared"),
    ),
    options=(
        ("Fast pris för hela etapp 2", "Ett fast pris med tydlig omfattning.", (3, 4, 3, 4, 3)),
        ("Löpande räkning med tak", "Timpris med ett tak per kvartal.", (4, 3, 3, 3, 4)),
        (
            "Etappvis leverans med fondstöd",
            "Tre delleveranser, den första finansierad av den gemensamma fonden.",
            (3, 5, 4, 5, 4),
        ),
    ),
    goals=(
        "Marginal minst 18\xa0%",
        "Vinstdelningen oförändrad",
        "Beslut i styrgruppen senast i mars 2027",
    ),
    checks={
        "Fast pris för hela etapp 2": (False, True, True),
        "Löpande räkning med tak": (True, True, False),
        "Etappvis leverans med fondstöd": (True, True, True),
    },
    actions=(
        (
            "Ahmed Karimi",
            "Estimera etapp 2",
            "Per prismodell, med osäkerhetsspann",
            datetime.date(2026, 12, 18),
            "underway",
        ),
        (
            "Sofia Wallin",
            "Förankra prisnivån med ledningen",
            "Ledningsgruppens möte i januari",
            datetime.date(2027, 1, 12),
            "planned",
        ),
    ),
)

CASES = {"DEMO-UTILITY": UTILITY, "DEMO-FRONTIER": FRONTIER}


def load(agreement: Agreement, people: Mapping[str, User]) -> None:
    """The agreement's demo case, once."""
    spec = CASES.get(agreement.reference)
    if spec is None:
        return
    organisation = Organisation.objects.get(name=spec.organisation)
    if Case.objects.filter(organisation=organisation, title=spec.title).exists():
        return
    owner = people[spec.team[0][0]]
    with audit_action(actor=owner):
        _build(spec, organisation, agreement, owner, people)


def _build(
    spec: DemoCase,
    organisation: Organisation,
    agreement: Agreement,
    owner: User,
    people: Mapping[str, User],
) -> None:
    case = services.case_create(
        organisation=organisation,
        actor=owner,
        title=spec.title,
        kind=spec.kind,
        agreement=agreement,
        role=spec.team[0][1],
    )
    for email, role, is_owner in spec.team[1:]:
        services.member_add(case=case, user=people[email], role=role, owner=is_owner)
    services.case_update(case=case, version=None, **spec.texts)
    interests = services.interests_set(
        case=case,
        version=None,
        interests=[
            {"side": side, "text": text, "priority": priority, "relation": relation}
            for side, text, priority, relation in spec.interests
        ],
    )
    options = services.options_set(
        case=case,
        version=None,
        options=[{"name": name, "description": text} for name, text, _scores in spec.options],
    )
    scores: dict[tuple[int, int], int | None] = {}
    for option, (_name, _text, values) in zip(options, spec.options, strict=True):
        for interest, score in zip(interests, values, strict=True):
            scores[(option.pk, interest.pk)] = score
    services.scores_set(case=case, version=None, scores=scores)
    goals = services.goals_set(
        case=case, version=None, goals=[{"text": text} for text in spec.goals]
    )
    checks: dict[tuple[int, int], bool | None] = {}
    for option in options:
        for goal, meets in zip(goals, spec.checks[option.name], strict=True):
            checks[(option.pk, goal.pk)] = meets
    services.checks_set(case=case, version=None, checks=checks)
    if spec.fallbacks:
        services.fallbacks_set(
            case=case,
            version=None,
            fallbacks=[{"issue": issue, "plan": plan} for issue, plan in spec.fallbacks],
        )
    actions: list[dict[str, Any]] = [
        {"who": who, "what": what, "how": how, "when": when, "status": status}
        for who, what, how, when, status in spec.actions
    ]
    services.actions_set(case=case, version=None, actions=actions)


# Last: a case shows facts from the relationship that the other demo content makes.
DEMO = registry.DemoContent(
    key="negotiation", load=load, after=("innovation", "appendix", "health")
)
