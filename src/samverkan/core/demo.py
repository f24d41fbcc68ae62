"""Demo data: a Swedish insurer and three IT suppliers, one agreement of each relationship kind.

``load()`` is idempotent: it updates the same rows instead of adding new ones.
Each capability adds its own demo content (``<app>/demo.py``, registered as
``registry.DemoContent``); ``load()`` calls them per agreement in dependency order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from samverkan.accounts.models import Membership, Organisation, OrganisationKind, User
from samverkan.agreements.models import Agreement, AgreementStatus, Participant
from samverkan.core import registry
from samverkan.core.audit import audit_action

DEMO_PASSWORD = "samverkan-demo"  # noqa: S105 - published demo login, refused in production
DEMO_LOGINS = (
    (
        "kund@example.com",
        "Karin Lindqvist, leverantörsansvarig hos Norrlandia Försäkring – ägare av alla tre avtal",
    ),
    (
        "leverantor@example.com",
        "Johan Ek, leveransansvarig hos Molnbro Digital – redigerare för DEMO-FRONTIER",
    ),
)


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    title: str
    organisation: str
    admin: bool = False
    language: str = "sv"


ORGANISATIONS = (
    ("Norrlandia Försäkring AB", OrganisationKind.CUSTOMER, "516401-8102"),
    ("Driftpartner Norden AB", OrganisationKind.SUPPLIER, "556734-2299"),
    ("Kodkraft Konsult AB", OrganisationKind.SUPPLIER, "559012-4474"),
    ("Molnbro Digital AB", OrganisationKind.SUPPLIER, "559203-6619"),
)

PEOPLE = (
    Person(
        "kund@example.com", "Karin Lindqvist", "Leverantörsansvarig", "Norrlandia Försäkring AB"
    ),
    Person(
        "anders.berg@norrlandia.example",
        "Anders Berg",
        "IT-direktör (CIO)",
        "Norrlandia Försäkring AB",
        admin=True,
    ),
    Person(
        "maria.holm@norrlandia.example",
        "Maria Holm",
        "Affärsutvecklare, skadeområdet",
        "Norrlandia Försäkring AB",
    ),
    Person(
        "lars.sundberg@norrlandia.example",
        "Lars Sundberg",
        "IT-driftchef",
        "Norrlandia Försäkring AB",
    ),
    Person(
        "eva.nordin@norrlandia.example", "Eva Nordin", "Bolagsjurist", "Norrlandia Försäkring AB"
    ),
    Person(
        "peter.nystrom@driftpartner.example",
        "Peter Nyström",
        "Kundansvarig",
        "Driftpartner Norden AB",
        admin=True,
    ),
    Person(
        "lena.ekholm@driftpartner.example",
        "Lena Ekholm",
        "Service Delivery Manager",
        "Driftpartner Norden AB",
    ),
    Person(
        "sara.oberg@kodkraft.example",
        "Sara Öberg",
        "Kundansvarig",
        "Kodkraft Konsult AB",
        admin=True,
    ),
    Person(
        "henrik.dahl@kodkraft.example", "Henrik Dahl", "Förvaltningsledare", "Kodkraft Konsult AB"
    ),
    Person(
        "sofia.wallin@molnbro.example",
        "Sofia Wallin",
        "Partneransvarig",
        "Molnbro Digital AB",
        admin=True,
    ),
    Person("leverantor@example.com", "Johan Ek", "Leveransansvarig", "Molnbro Digital AB"),
    Person(
        "ahmed.karimi@molnbro.example",
        "Ahmed Karimi",
        "Lösningsarkitekt",
        "Molnbro Digital AB",
        language="en",
    ),
)

AGREEMENTS = (
    {
        "reference": "DEMO-UTILITY",
        "supplier": "Driftpartner Norden AB",
        "title": "Drift av datacenter och nätverk",
        "description": (
            "Driftpartner Norden driver Norrlandias servrar, lagring och nätverk enligt fasta "
            "servicenivåer. Fokus ligger på pris och leveranssäkerhet."
        ),
        "services": "Serverdrift och virtualisering\nNätverk och brandväggar\nLagring och säkerhetskopiering\nServicedesk, andra linjen",
        "start_date": datetime.date(2023, 1, 1),
        "end_date": datetime.date(2027, 12, 31),
        "annual_value": Decimal("8400000"),
        "participants": (
            ("kund@example.com", "customer", "owner"),
            ("lars.sundberg@norrlandia.example", "customer", "editor"),
            ("eva.nordin@norrlandia.example", "customer", "viewer"),
            ("peter.nystrom@driftpartner.example", "supplier", "owner"),
            ("lena.ekholm@driftpartner.example", "supplier", "editor"),
        ),
    },
    {
        "reference": "DEMO-ENHANCEMENT",
        "supplier": "Kodkraft Konsult AB",
        "title": "Applikationsförvaltning skadehantering",
        "description": (
            "Kodkraft förvaltar och vidareutvecklar skadehanteringssystemet. Utöver pris och "
            "servicenivå följs kundnöjdhet och relationen upp kvartalsvis."
        ),
        "services": "Förvaltning av skadehanteringssystemet\nVidareutveckling i kvartalsvisa releaser\nIntegrationer mot försäkringskärnan",
        "start_date": datetime.date(2024, 4, 1),
        "end_date": datetime.date(2028, 3, 31),
        "annual_value": Decimal("5600000"),
        "participants": (
            ("kund@example.com", "customer", "owner"),
            ("maria.holm@norrlandia.example", "customer", "editor"),
            ("eva.nordin@norrlandia.example", "customer", "viewer"),
            ("sara.oberg@kodkraft.example", "supplier", "owner"),
            ("henrik.dahl@kodkraft.example", "supplier", "editor"),
        ),
    },
    {
        "reference": "DEMO-FRONTIER",
        "supplier": "Molnbro Digital AB",
        "title": "Digital kundplattform – gemensam utveckling",
        "description": (
            "Norrlandia och Molnbro bygger tillsammans en ny kundplattform med app och "
            "dataplattform för prissättning. Parterna delar vision, innovationsbudget och vinst."
        ),
        "services": "Kundportal och mobilapp\nDataplattform för prissättning\nGemensamt innovationsteam",
        "start_date": datetime.date(2025, 9, 1),
        "end_date": datetime.date(2030, 8, 31),
        "annual_value": Decimal("12500000"),
        "participants": (
            ("kund@example.com", "customer", "owner"),
            ("maria.holm@norrlandia.example", "customer", "editor"),
            ("sofia.wallin@molnbro.example", "supplier", "owner"),
            ("leverantor@example.com", "supplier", "editor"),
            ("ahmed.karimi@molnbro.example", "supplier", "viewer"),
        ),
    },
)


def _user(person: Person) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User(email=person.email)
        user.set_password(DEMO_PASSWORD)
    user.full_name, user.title, user.language = person.name, person.title, person.language
    user.save()
    return user


@transaction.atomic
def load() -> None:
    organisations = {}
    for name, kind, number in ORGANISATIONS:
        organisations[name], _created = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "org_number": number}
        )
    users = {}
    for person in PEOPLE:
        users[person.email] = _user(person)
        Membership.objects.update_or_create(
            user=users[person.email],
            organisation=organisations[person.organisation],
            defaults={"role": "admin" if person.admin else "member"},
        )
    customer = organisations["Norrlandia Försäkring AB"]
    owner = users["kund@example.com"]
    # Each step below is one action in the agreements' history, by the person who would
    # take it; anything not wrapped in its own action counts as the owner's.
    with audit_action(actor=owner):
        for spec in AGREEMENTS:
            fields = {
                k: v for k, v in spec.items() if k not in ("reference", "supplier", "participants")
            }
            with audit_action(actor=owner):
                agreement, _created = Agreement.objects.update_or_create(
                    customer=customer,
                    reference=spec["reference"],
                    defaults={
                        **fields,
                        "supplier": organisations[str(spec["supplier"])],
                        "status": AgreementStatus.ACTIVE,
                    },
                )
                for email, side, role in spec["participants"]:  # type: ignore[attr-defined]
                    Participant.objects.update_or_create(
                        agreement=agreement,
                        user=users[email],
                        defaults={"side": side, "role": role},
                    )
            for content in registry.demo_contents():  # each capability's, in dependency order
                content.load(agreement, users)
