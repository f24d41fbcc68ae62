"""factory_boy factories: realistic Swedish organisations and people."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from samverkan.accounts.models import Membership, Organisation, User
from samverkan.agreements.models import Agreement, Participant

PASSWORD = "rätt-lösenord-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@foretag.example")
    full_name = factory.Faker("name", locale="sv_SE")
    title = "Avtalsansvarig"
    language = "sv"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Leverantör {n} AB")
    kind = "supplier"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    customer = factory.SubFactory(OrganisationFactory, kind="customer")
    supplier = factory.SubFactory(OrganisationFactory, kind="supplier")
    reference = factory.Sequence(lambda n: f"AVT-{n:04d}")
    title = "Drift och förvaltning"
    services = "Serverdrift\nServicedesk"
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2028, 12, 31)
    annual_value = Decimal("1250000")
    status = "active"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    agreement = factory.SubFactory(AgreementFactory)
    user = factory.SubFactory(UserFactory)
    side = "customer"
    role = "viewer"
