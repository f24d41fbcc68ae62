"""Demo relationship-health rounds: three closed rounds per demo agreement, each telling a story.

- DEMO-UTILITY (annual check): the sides see communication very differently. Driftpartner
  rates its own communication high, Norrlandia rates it low (a blind spot), and the gap
  widens each year until it is flagged. In 2026 Driftpartner has passed Rollsökning and
  Norrlandia has not, so the group's phase (the earlier party's) is Rollsökning.
- DEMO-ENHANCEMENT (twice a year): middling and stable, with feedback as the weak dimension.
- DEMO-FRONTIER (quarterly): improves each round, from Rollsökning toward Öppenhet. A
  fourth round, a pulse check, is still open: the demo logins have a survey to answer.

Each side gets six people to invite (colleagues are added as viewers where the agreement
has fewer), most of whom answer. Rounds are opened, answered and closed through the health
services like real ones, then moved back to the dates their titles name. Built once per
agreement (when it has no rounds yet); the scores come from a random generator seeded with
the agreement's reference, so every demo database holds the same answers.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from samverkan.accounts.models import Membership, Organisation, User
from samverkan.agreements.models import Agreement, Participant, Side
from samverkan.agreements.services import participant_add
from samverkan.core import registry
from samverkan.core.audit import audit_action
from samverkan.core.demo import Person
from samverkan.health.models import Round
from samverkan.health.services import (
    health_response_submit,
    health_round_close,
    health_round_open,
    survey_items,
)

CUSTOMER, SUPPLIER = Side.CUSTOMER.value, Side.SUPPLIER.value
OWNER = "kund@example.com"  # opens every round, as the customer's supplier manager
NORRLANDIA = "Norrlandia Försäkring AB"

# Colleagues who answer the survey too, so that each side has six people to invite
# and a figure can be shown even when one or two of them do not answer.
PEOPLE = (
    Person(
        "jonas.lundgren@norrlandia.example", "Jonas Lundgren", "Infrastrukturarkitekt", NORRLANDIA
    ),
    Person(
        "camilla.strand@norrlandia.example",
        "Camilla Strand",
        "Informationssäkerhetschef",
        NORRLANDIA,
    ),
    Person(
        "linnea.aberg@norrlandia.example",
        "Linnea Åberg",
        "Skadehandläggare och superanvändare",
        NORRLANDIA,
    ),
    Person(
        "erik.johansson@norrlandia.example",
        "Erik Johansson",
        "Objektledare skadehantering",
        NORRLANDIA,
    ),
    Person(
        "hanna.strom@norrlandia.example", "Hanna Ström", "Produktägare kundplattformen", NORRLANDIA
    ),
    Person("viktor.engstrom@norrlandia.example", "Viktor Engström", "Prisanalytiker", NORRLANDIA),
    Person(
        "mikael.forsberg@driftpartner.example",
        "Mikael Forsberg",
        "Driftchef",
        "Driftpartner Norden AB",
    ),
    Person(
        "jenny.sjoberg@driftpartner.example",
        "Jenny Sjöberg",
        "Nätverkstekniker",
        "Driftpartner Norden AB",
    ),
    Person(
        "ola.bergstrom@driftpartner.example",
        "Ola Bergström",
        "Teamledare servicedesk",
        "Driftpartner Norden AB",
    ),
    Person(
        "fatima.haddad@driftpartner.example",
        "Fatima Haddad",
        "Säkerhetsspecialist",
        "Driftpartner Norden AB",
    ),
    Person("oskar.lind@kodkraft.example", "Oskar Lind", "Systemutvecklare", "Kodkraft Konsult AB"),
    Person("elin.persson@kodkraft.example", "Elin Persson", "Testledare", "Kodkraft Konsult AB"),
    Person(
        "daniel.nilsson@kodkraft.example", "Daniel Nilsson", "Systemarkitekt", "Kodkraft Konsult AB"
    ),
    Person(
        "nora.ahlgren@kodkraft.example", "Nora Ahlgren", "Releaseansvarig", "Kodkraft Konsult AB"
    ),
    Person("emma.larsson@molnbro.example", "Emma Larsson", "UX-designer", "Molnbro Digital AB"),
    Person("filip.norberg@molnbro.example", "Filip Norberg", "Apputvecklare", "Molnbro Digital AB"),
    Person("amira.hassan@molnbro.example", "Amira Hassan", "Dataingenjör", "Molnbro Digital AB"),
)

# Who is added to each agreement as a viewer (demo people from demo.py and the colleagues above).
RESPONDENTS = {
    "DEMO-UTILITY": {
        CUSTOMER: (
            "anders.berg@norrlandia.example",
            "jonas.lundgren@norrlandia.example",
            "camilla.strand@norrlandia.example",
        ),
        SUPPLIER: (
            "mikael.forsberg@driftpartner.example",
            "jenny.sjoberg@driftpartner.example",
            "ola.bergstrom@driftpartner.example",
            "fatima.haddad@driftpartner.example",
        ),
    },
    "DEMO-ENHANCEMENT": {
        CUSTOMER: (
            "anders.berg@norrlandia.example",
            "linnea.aberg@norrlandia.example",
            "erik.johansson@norrlandia.example",
        ),
        SUPPLIER: (
            "oskar.lind@kodkraft.example",
            "elin.persson@kodkraft.example",
            "daniel.nilsson@kodkraft.example",
            "nora.ahlgren@kodkraft.example",
        ),
    },
    "DEMO-FRONTIER": {
        CUSTOMER: (
            "anders.berg@norrlandia.example",
            "lars.sundberg@norrlandia.example",
            "hanna.strom@norrlandia.example",
            "viktor.engstrom@norrlandia.example",
        ),
        SUPPLIER: (
            "emma.larsson@molnbro.example",
            "filip.norberg@molnbro.example",
            "amira.hassan@molnbro.example",
        ),
    },
}

SPREAD = 0.6  # how far one answer strays from the planned mean
PERSON_SPREAD = 0.15  # how much more positive or negative one respondent is overall
DONT_KNOW = 0.04  # the share of "don't know" answers; twice that about the other party
RECOMMEND_SPREAD = 1.0  # the same for the 0–10 question


@dataclass(frozen=True)
class RoundPlan:
    """What one demo round should show.

    ``means`` sets the planned mean of a dimension, most specific key first:
    ``"side/dimension/target"``, ``"side/dimension"``, ``"dimension"``; any other
    dimension gets the side's ``level``.
    """

    title: str
    opened: datetime.date
    closes: datetime.date
    answering: dict[str, int]  # side → how many of the six invited answer
    level: dict[str, float]
    recommend: dict[str, float]  # side → mean answer to the 0–10 question
    means: dict[str, float] = field(default_factory=dict)
    fungerar: dict[str, tuple[str, ...]] = field(default_factory=dict)  # side → answers
    forandra: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def mean(self, side: str, dimension: str, target: str) -> float:
        for key in (f"{side}/{dimension}/{target}", f"{side}/{dimension}", dimension):
            if key in self.means:
                return self.means[key]
        return self.level[side]


PLANS = {
    "DEMO-UTILITY": (
        RoundPlan(
            title="Hälsokontroll 2024",
            opened=datetime.date(2024, 10, 7),
            closes=datetime.date(2024, 10, 25),
            answering={CUSTOMER: 5, SUPPLIER: 4},
            level={CUSTOMER: 3.8, SUPPLIER: 3.9},
            recommend={CUSTOMER: 8.0, SUPPLIER: 8.5},
            means={
                "customer/kommunikation/self": 3.6,
                "customer/kommunikation/other": 3.1,
                "customer/kommunikation": 3.3,
                "customer/verksamhet/other": 3.0,
                "supplier/verksamhet/self": 3.2,
                "samsyn": 3.1,
                "tillhora": 3.9,
                "rollsokning": 3.8,
                "oppenhet": 3.1,
            },
            fungerar={
                CUSTOMER: (
                    "Stabil drift, vi har knappt haft några avbrott.",
                    "Bra pris jämfört med marknaden.",
                ),
                SUPPLIER: ("Tydliga servicenivåer och en kund som vet vad den vill ha.",),
            },
            forandra={
                CUSTOMER: ("Vi vill få veta om planerade ändringar tidigare.",),
                SUPPLIER: (
                    "Beställningar kommer ibland utan att ha gått via den avtalade "
                    "ändringsprocessen.",
                ),
            },
        ),
        RoundPlan(
            title="Hälsokontroll 2025",
            opened=datetime.date(2025, 10, 6),
            closes=datetime.date(2025, 10, 24),
            answering={CUSTOMER: 4, SUPPLIER: 5},
            level={CUSTOMER: 3.8, SUPPLIER: 3.9},
            recommend={CUSTOMER: 7.0, SUPPLIER: 8.5},
            means={
                # A new service-desk team: the customer no longer knows whom to call.
                "customer/kommunikation/self": 3.0,
                "customer/kommunikation/other": 2.4,
                "customer/kommunikation": 2.6,
                "supplier/kommunikation/self": 4.2,
                "supplier/kommunikation/other": 3.3,
                "supplier/kommunikation": 3.9,
                "customer/verksamhet/other": 3.0,
                "supplier/verksamhet/self": 3.2,
                "samsyn": 3.1,
                "tillhora": 3.8,
                "rollsokning": 3.2,
                "oppenhet": 3.0,
            },
            fungerar={
                CUSTOMER: ("Tillgängligheten håller den avtalade nivån.",),
                SUPPLIER: (
                    "Vi levererar enligt SLA varje månad.",
                    "Bra samarbete i det operativa mötet.",
                ),
            },
            forandra={
                CUSTOMER: (
                    "Sedan servicedesken bytte team vet vi inte vem vi ska ringa.",
                    "Incidentrapporterna är så tekniska att verksamheten inte förstår dem.",
                ),
                SUPPLIER: (
                    "Kunden kunde ge tidigare besked om större förändringar i verksamheten.",
                ),
            },
        ),
        RoundPlan(
            title="Hälsokontroll 2026",
            opened=datetime.date(2026, 10, 5),
            closes=datetime.date(2026, 10, 23),
            answering={CUSTOMER: 5, SUPPLIER: 5},
            level={CUSTOMER: 3.8, SUPPLIER: 3.9},
            recommend={CUSTOMER: 6.0, SUPPLIER: 8.5},
            means={
                # Driftpartner thinks it informs well; Norrlandia finds out too late.
                "customer/kommunikation/self": 2.7,
                "customer/kommunikation/other": 1.8,
                "customer/kommunikation": 2.2,
                "supplier/kommunikation/self": 4.3,
                "supplier/kommunikation/other": 3.2,
                "supplier/kommunikation": 3.9,
                "customer/feedback": 3.2,
                "customer/verksamhet/other": 3.0,
                "supplier/verksamhet/self": 3.2,
                "samsyn": 3.0,
                "tillhora": 3.8,
                "rollsokning": 3.2,
                # Driftpartner sees the roles as settled; Norrlandia does not, and the
                # group is only as far as its parties: still in Rollsökning.
                "supplier/rollsokning": 3.8,
                "oppenhet": 2.9,
            },
            fungerar={
                CUSTOMER: ("Driften är stabil och priset rimligt.",),
                SUPPLIER: (
                    "Vi informerar om alla ändringar i månadsrapporten och i ärendesystemet.",
                    "Servicenivåerna uppfylls med marginal.",
                ),
            },
            forandra={
                CUSTOMER: (
                    "Planerade driftstopp meddelas för sent, ibland samma dag.",
                    "Vi får svar på våra frågor först när vi eskalerar.",
                    "Månadsrapporten är en PDF som ingen läser – ersätt den med en kort "
                    "avstämning.",
                ),
                SUPPLIER: ("Fler från kunden borde delta i det operativa mötet.",),
            },
        ),
    ),
    "DEMO-ENHANCEMENT": (
        RoundPlan(
            title="Hälsokontroll hösten 2025",
            opened=datetime.date(2025, 10, 13),
            closes=datetime.date(2025, 10, 31),
            answering={CUSTOMER: 5, SUPPLIER: 5},
            level={CUSTOMER: 3.7, SUPPLIER: 3.8},
            recommend={CUSTOMER: 7.5, SUPPLIER: 7.5},
            means={
                "customer/feedback": 2.8,
                "supplier/feedback": 3.0,
                "tillhora": 4.0,
                "rollsokning": 3.9,
                "oppenhet": 3.1,
            },
            fungerar={
                CUSTOMER: ("Releaserna kommer i tid och håller god kvalitet.",),
                SUPPLIER: ("Bra dialog med objektledaren.",),
            },
            forandra={
                CUSTOMER: ("Vi hör sällan vad som hände med synpunkterna från förra releasen.",),
                SUPPLIER: (
                    "Vi får sällan veta om våra förbättringar gjorde nytta för handläggarna.",
                ),
            },
        ),
        RoundPlan(
            title="Hälsokontroll våren 2026",
            opened=datetime.date(2026, 4, 13),
            closes=datetime.date(2026, 4, 30),
            answering={CUSTOMER: 4, SUPPLIER: 5},
            level={CUSTOMER: 3.7, SUPPLIER: 3.8},
            recommend={CUSTOMER: 7.5, SUPPLIER: 7.5},
            means={
                "customer/feedback": 2.7,
                "supplier/feedback": 3.0,
                "tillhora": 4.0,
                "rollsokning": 3.9,
                "oppenhet": 3.1,
            },
            fungerar={
                CUSTOMER: ("Integrationen mot försäkringskärnan har blivit mycket stabilare.",),
                SUPPLIER: ("Kunden är tydlig med prioriteringarna inför varje release.",),
            },
            forandra={
                CUSTOMER: ("Retrospektiven efter varje release blir av för sällan.",),
                SUPPLIER: (
                    "Återkopplingen på leveranserna kommer sent, ofta först vid kvartalsmötet.",
                ),
            },
        ),
        RoundPlan(
            title="Hälsokontroll hösten 2026",
            opened=datetime.date(2026, 10, 12),
            closes=datetime.date(2026, 10, 30),
            answering={CUSTOMER: 5, SUPPLIER: 4},
            level={CUSTOMER: 3.7, SUPPLIER: 3.8},
            recommend={CUSTOMER: 7.5, SUPPLIER: 7.5},
            means={
                "customer/feedback": 2.8,
                "supplier/feedback": 2.9,
                "tillhora": 4.0,
                "rollsokning": 3.9,
                "oppenhet": 3.1,
            },
            fungerar={
                CUSTOMER: ("Handläggningstiden har gått ner sedan förra året.",),
                SUPPLIER: ("Stabil förvaltning och få incidenter.",),
            },
            forandra={
                CUSTOMER: (
                    "Ge oss ett enkelt sätt att tycka till om releasen direkt efter "
                    "driftsättningen.",
                ),
                SUPPLIER: ("Vi vill gärna gå igenom handläggarnas nöjdhetsenkät tillsammans.",),
            },
        ),
    ),
    "DEMO-FRONTIER": (
        RoundPlan(
            title="Hälsokontroll kvartal 1 2026",
            opened=datetime.date(2026, 3, 2),
            closes=datetime.date(2026, 3, 20),
            answering={CUSTOMER: 4, SUPPLIER: 5},
            level={CUSTOMER: 3.2, SUPPLIER: 3.3},
            recommend={CUSTOMER: 7.0, SUPPLIER: 7.0},
            means={
                "samsyn": 3.7,
                "processer": 2.9,
                "ledarskap": 3.0,
                "tillhora": 3.7,
                "rollsokning": 2.9,
                "oppenhet": 2.8,
            },
            fungerar={
                CUSTOMER: (
                    "Vi delar verkligen målet om fler digitala kundärenden.",
                    "Molnbros arkitekter är engagerade och snabba.",
                ),
                SUPPLIER: ("Tydlig vision för kundplattformen.",),
            },
            forandra={
                CUSTOMER: (
                    "Oklart vem som beslutar om prioriteringarna i backloggen, vi eller Molnbro.",
                    "Styrgruppen och samverkansrådet behandlar samma frågor två gånger.",
                ),
                SUPPLIER: (
                    "Vi vet inte vilka tekniska beslut vi får fatta själva.",
                    "Beslutet om prissättningsmodellen drar ut på tiden.",
                ),
            },
        ),
        RoundPlan(
            title="Hälsokontroll kvartal 2 2026",
            opened=datetime.date(2026, 6, 1),
            closes=datetime.date(2026, 6, 17),
            answering={CUSTOMER: 5, SUPPLIER: 5},
            level={CUSTOMER: 3.75, SUPPLIER: 3.8},
            recommend={CUSTOMER: 7.5, SUPPLIER: 8.0},
            means={
                "samsyn": 4.0,
                "tillhora": 4.1,
                "rollsokning": 3.8,
                "oppenhet": 3.1,
            },
            fungerar={
                CUSTOMER: (
                    "Mandaten i samverkansrådet är tydligare sedan vi gick igenom rollerna.",
                    "Bra demo varannan vecka.",
                ),
                SUPPLIER: ("Vi får välja teknik själva inom arkitekturprinciperna.",),
            },
            forandra={
                CUSTOMER: ("Problem tas fortfarande upp för sent, ofta först i styrgruppen.",),
                SUPPLIER: (
                    "Vi vill kunna ta upp brister i kundens egna leveranser utan att det blir "
                    "laddat.",
                ),
            },
        ),
        RoundPlan(
            title="Hälsokontroll kvartal 3 2026",
            opened=datetime.date(2026, 9, 7),
            closes=datetime.date(2026, 9, 25),
            answering={CUSTOMER: 6, SUPPLIER: 5},
            level={CUSTOMER: 4.2, SUPPLIER: 4.2},
            recommend={CUSTOMER: 8.8, SUPPLIER: 9.0},
            means={
                "samsyn": 4.4,
                "tillhora": 4.4,
                "rollsokning": 4.2,
                "oppenhet": 4.0,
            },
            fungerar={
                CUSTOMER: (
                    "Vi arbetar som ett team; det märks inte längre vem som är kund och "
                    "leverantör.",
                    "Idéer från Molnbro kommer tidigt och prövas snabbt.",
                    "Lanseringen av mobilappen gick smidigt tack vare den gemensamma planeringen.",
                ),
                SUPPLIER: (
                    "Högt i tak och snabba beslut.",
                    "Den gemensamma innovationsbudgeten gör det lätt att pröva nya idéer.",
                ),
            },
            forandra={
                CUSTOMER: ("Mät effekten av idéerna, inte bara hur många de är.",),
                SUPPLIER: (
                    "Dataplattformen behöver en tydligare långsiktig ägare hos Norrlandia.",
                ),
            },
        ),
    ),
}


def load_health(agreement: Agreement, users: Mapping[str, User]) -> None:
    """Give each side six people to invite, then, once per agreement, the planned rounds."""
    with audit_action(actor=users[OWNER]):  # one action: the owner invites the respondents
        participants = _respondents(agreement, users)
    if Round.objects.filter(agreement=agreement).exists():
        return
    rng = random.Random(agreement.reference)  # noqa: S311 - demo answers, not secrets
    plans = PLANS[agreement.reference]
    for number, plan in enumerate(plans, start=1):
        _round(agreement, users[OWNER], participants, plan, rng, latest=number == len(plans))
    if agreement.reference in OPEN_ROUND:
        _open_round(agreement, users[OWNER], participants, plans[-1], rng)


# One round still open, so that "Mitt arbete" has a survey to answer at first sign-in:
# the two demo logins have not answered yet, and it closes within the week. Too few
# answers so far for any figure to show (two per side, below the threshold of three).
OPEN_ROUND = {"DEMO-FRONTIER": "Pulsmätning inför styrgruppsmötet"}
OPEN_ROUND_DAYS = (3, 5)  # opened this many days ago, closes in this many days
OPEN_ROUND_ANSWERING = 2  # per side
DEMO_LOGINS = ("kund@example.com", "leverantor@example.com")


def _open_round(
    agreement: Agreement,
    actor: User,
    participants: Sequence[Participant],
    plan: RoundPlan,
    rng: random.Random,
) -> None:
    today = timezone.localdate()
    with audit_action(actor=actor):
        health_round = health_round_open(
            agreement=agreement,
            actor=actor,
            title=OPEN_ROUND[agreement.reference],
            closes_on=today + datetime.timedelta(days=OPEN_ROUND_DAYS[1]),
            participants=participants,
        )
    items = survey_items(health_round)
    invitations = list(health_round.invitations.select_related("user").order_by("user__email"))
    for side in (CUSTOMER, SUPPLIER):
        invited = [i for i in invitations if i.side == side and i.user.email not in DEMO_LOGINS]
        for invitation in rng.sample(invited, OPEN_ROUND_ANSWERING):
            health_response_submit(
                invitation=invitation,
                scores=_scores(plan, side, items, rng),
                recommend=min(10, max(0, round(rng.gauss(plan.recommend[side], RECOMMEND_SPREAD)))),
                free_texts={},
            )
    opened_at = _at(today - datetime.timedelta(days=OPEN_ROUND_DAYS[0]), 8)
    Round.objects.filter(pk=health_round.pk).update(opened_at=opened_at)
    health_round.invitations.update(sent_at=opened_at)


def _respondents(agreement: Agreement, users: Mapping[str, User]) -> list[Participant]:
    colleagues = {person.email: person for person in PEOPLE}
    for side, emails in RESPONDENTS[agreement.reference].items():
        for email in emails:
            user = users.get(email) or _colleague(
                colleagues[email], agreement.organisation_of(side)
            )
            if not Participant.objects.filter(agreement=agreement, user=user).exists():
                participant_add(
                    agreement=agreement, user=user, side=side, role="viewer", actor=users[OWNER]
                )
    return list(Participant.objects.filter(agreement=agreement))


def _colleague(person: Person, organisation: Organisation) -> User:
    """Like ``demo._user``, but without a password.

    Colleagues answer through their personal links and never sign in, so they need
    none: fewer accounts open with the published password, and no argon2 hash
    (0.15 s each) to compute.
    """
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User(email=person.email)
        user.set_unusable_password()
    user.full_name, user.title, user.language = person.name, person.title, person.language
    user.save()
    Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": "member"}
    )
    return user


def _round(
    agreement: Agreement,
    actor: User,
    participants: Sequence[Participant],
    plan: RoundPlan,
    rng: random.Random,
    *,
    latest: bool,
) -> None:
    with audit_action(actor=actor):
        health_round = health_round_open(
            agreement=agreement,
            actor=actor,
            title=plan.title,
            closes_on=timezone.localdate() + datetime.timedelta(days=14),
            participants=participants,
        )
    items = survey_items(health_round)
    invitations = list(health_round.invitations.order_by("user__email"))
    for side in (CUSTOMER, SUPPLIER):
        invited = [invitation for invitation in invitations if invitation.side == side]
        for i, invitation in enumerate(rng.sample(invited, plan.answering[side])):
            texts = {
                key: answers[side][i]
                for key, answers in (("fungerar", plan.fungerar), ("forandra", plan.forandra))
                if i < len(answers.get(side, ()))
            }
            health_response_submit(
                invitation=invitation,
                scores=_scores(plan, side, items, rng),
                recommend=min(10, max(0, round(rng.gauss(plan.recommend[side], RECOMMEND_SPREAD)))),
                free_texts=texts,
            )
    with audit_action(actor=actor):
        health_round_close(round=health_round)
    opened_at = _at(plan.opened, 8)
    dates: dict[str, object] = {
        "opened_at": opened_at,
        "closes_on": plan.closes,
        "reminded_at": _at(plan.closes - datetime.timedelta(days=2), 9),
    }
    if not latest:
        # The latest round keeps its real closing time: a forum or the agreement changed
        # after it closed would show on its page as a change that puts the group back at
        # Tillhöra (``results.model_changes``), and the demo created both just now.
        dates["closed_at"] = _at(plan.closes, 16)
    Round.objects.filter(pk=health_round.pk).update(**dates)
    # Sent when the round opened, as far as anyone can tell, so the task that mails
    # the invitations after commit finds none left to send.
    health_round.invitations.update(sent_at=opened_at)


def _scores(
    plan: RoundPlan, side: str, items: Sequence[tuple[str, str, str]], rng: random.Random
) -> dict[tuple[str, str], int | None]:
    """One respondent's scores: the planned means, their own leaning, and some "don't know"."""
    leaning = rng.gauss(0, PERSON_SPREAD)
    scores: dict[tuple[str, str], int | None] = {}
    for key, dimension, target in items:
        if rng.random() < DONT_KNOW * (2 if target == "other" else 1):
            scores[(key, target)] = None
        else:
            mean = plan.mean(side, dimension, target) + leaning
            scores[(key, target)] = min(5, max(1, round(rng.gauss(mean, SPREAD))))
    return scores


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# After the appendix: its versions are approved before the respondents join as viewers.
DEMO = registry.DemoContent(key="health", load=load_health, after=("appendix",))
