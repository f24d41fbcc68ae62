"""Shared fixtures: the personas every access rule is tested against."""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from samverkan.accounts.models import Organisation, User
from samverkan.agreements.models import Agreement, Participant
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

REQUIRE_ALL = os.environ.get("SAMVERKAN_REQUIRE_ALL") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Generator[None, Any, None]:
    """With SAMVERKAN_REQUIRE_ALL=1 (CI), a skipped test is a failed test."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, but SAMVERKAN_REQUIRE_ALL=1 forbids skips: {reason}"


@dataclass
class World:
    """One customer, its supplier, an unrelated supplier, and the five kinds of user."""

    customer: Organisation
    supplier: Organisation
    other_supplier: Organisation
    agreement: Agreement
    other_agreement: Agreement
    customer_owner: User
    supplier_owner: User
    supplier_viewer: User
    other_supplier_user: User
    org_admin: User
    customer_colleague: User

    def participant(self, user: User) -> Participant:
        return Participant.objects.get(agreement=self.agreement, user=user)


@pytest.fixture
def world(db: None) -> World:
    customer = OrganisationFactory(name="Norrlandia Försäkring AB", kind="customer")
    supplier = OrganisationFactory(name="Driftpartner Norden AB", kind="supplier")
    other_supplier = OrganisationFactory(name="Kodkraft Konsult AB", kind="supplier")
    agreement = AgreementFactory(
        customer=customer, supplier=supplier, reference="DRIFT-2025", title="Drift av datacenter"
    )
    other_agreement = AgreementFactory(
        customer=customer,
        supplier=other_supplier,
        reference="APP-2025",
        title="Applikationsförvaltning",
    )

    def person(email: str, name: str, organisation: Organisation, role: str = "member") -> User:
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    customer_owner = person("karin@norrlandia.example", "Karin Lindqvist", customer)
    customer_colleague = person("lars@norrlandia.example", "Lars Sundberg", customer)
    org_admin = person("anders@norrlandia.example", "Anders Berg", customer, role="admin")
    supplier_owner = person("peter@driftpartner.example", "Peter Nyström", supplier)
    supplier_viewer = person("lena@driftpartner.example", "Lena Ekholm", supplier)
    other_supplier_user = person("sara@kodkraft.example", "Sara Öberg", other_supplier)
    ParticipantFactory(agreement=agreement, user=customer_owner, side="customer", role="owner")
    ParticipantFactory(agreement=agreement, user=supplier_owner, side="supplier", role="owner")
    ParticipantFactory(agreement=agreement, user=supplier_viewer, side="supplier", role="viewer")
    ParticipantFactory(
        agreement=other_agreement, user=customer_owner, side="customer", role="owner"
    )
    ParticipantFactory(
        agreement=other_agreement, user=other_supplier_user, side="supplier", role="owner"
    )
    return World(
        customer=customer,
        supplier=supplier,
        other_supplier=other_supplier,
        agreement=agreement,
        other_agreement=other_agreement,
        customer_owner=customer_owner,
        supplier_owner=supplier_owner,
        supplier_viewer=supplier_viewer,
        other_supplier_user=other_supplier_user,
        org_admin=org_admin,
        customer_colleague=customer_colleague,
    )


@pytest.fixture
def client_for(client: Client) -> Any:
    """``client_for(user)``: a test client signed in as that user (None: anonymous)."""

    def make(user: User | None) -> Client:
        fresh = Client()
        if user is not None:
            fresh.force_login(user)
        return fresh

    return make
