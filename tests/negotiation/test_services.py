"""Negotiation cases: opening one, who may join, the steps' writes (with versions and
paths), the options ranked and checked against the goals, and each step's completeness."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from samverkan.core.errors import StaleEditError
from samverkan.negotiation import services
from samverkan.negotiation.access import case_for, cases_of
from samverkan.negotiation.models import Case, Member, OptionScore
from samverkan.negotiation.selectors import case_content, step_states
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def open_case(w: World) -> Case:
    return services.case_create(
        organisation=w.customer,
        actor=w.customer_owner,
        title="Förnyelse av driftavtalet 2027",
        kind="renewal",
        agreement=w.agreement,
        role="Förhandlingsledare",
    )


def test_opening_a_case_makes_its_opener_the_owner_and_numbers_it(world: World) -> None:
    first, second = open_case(world), open_case(world)
    assert (first.number, second.number) == (1, 2)
    member = Member.objects.get(case=first)
    assert member.user == world.customer_owner and member.owner
    assert list(cases_of(world.customer_owner)) == [second, first]
    with pytest.raises(PermissionDenied):  # not for another organisation
        services.case_create(
            organisation=world.supplier, actor=world.customer_owner, title="X", kind="change"
        )
    with pytest.raises(ValidationError) as caught:  # an agreement the opener does not see
        services.case_create(
            organisation=world.supplier,
            actor=world.supplier_owner,
            title="",
            kind="war",
            agreement=world.other_agreement,
        )
    assert set(caught.value.message_dict) == {"title", "kind", "agreement"}


def test_only_the_owning_organisation_and_advisers_join(world: World) -> None:
    case = open_case(world)
    adviser_org = OrganisationFactory(name="Inköpsrådgivarna AB", kind="adviser")
    adviser = UserFactory(email="eva@radgivarna.example", full_name="Eva Rådgivare")
    MembershipFactory(user=adviser, organisation=adviser_org)
    services.member_add(case=case, user=world.customer_colleague, role="Ekonomi")
    services.member_add(case=case, user=adviser, role="Inköpsrådgivare")
    for outsider in (world.supplier_owner, world.other_supplier_user):
        with pytest.raises(ValidationError) as caught:
            services.member_add(case=case, user=outsider)
        assert "Only people of Norrlandia Försäkring AB" in caught.value.message_dict["user"][0]
    with pytest.raises(ValidationError):
        services.member_add(case=case, user=adviser)  # already on it
    assert case_for(adviser, case.pk).case == case
    for stranger in (world.supplier_owner, world.org_admin, world.other_supplier_user):
        with pytest.raises(Http404):  # the org's own administrator too, when not added
            case_for(stranger, case.pk)
    with pytest.raises(PermissionDenied):
        case_for(adviser, case.pk, owner=True)
    owner = Member.objects.get(case=case, user=world.customer_owner)
    with pytest.raises(ValidationError):
        services.member_remove(member=owner)  # the last owner stays
    services.member_remove(member=Member.objects.get(case=case, user=adviser))
    with pytest.raises(Http404):
        case_for(adviser, case.pk)


def test_the_steps_save_with_the_version_read(world: World) -> None:
    case = open_case(world)
    services.case_update(case=case, version=1, problem="Priset ökar 12 % vid förnyelse.")
    with pytest.raises(StaleEditError):
        services.case_update(case=case, version=1, success="Oförändrat pris.")
    with pytest.raises(ValidationError) as caught:
        services.interests_set(
            case=case,
            version=2,
            interests=[
                {"side": "ours", "text": "Lägre pris", "priority": 5, "relation": "conflicting"},
                {"side": "mine", "text": "", "priority": 9, "relation": "maybe"},
            ],
        )
    assert set(caught.value.message_dict) == {
        "interests[1].side",
        "interests[1].text",
        "interests[1].priority",
        "interests[1].relation",
    }
    assert Case.objects.get(pk=case.pk).version == 2  # nothing saved


def _full_case(world: World) -> Case:
    case = open_case(world)
    v = 1
    interests = services.interests_set(
        case=case,
        version=v,
        interests=[
            {"side": "ours", "text": "Lägre pris", "priority": 5, "relation": "conflicting"},
            {"side": "ours", "text": "Enkel exit", "priority": 3, "relation": "conflicting"},
            {"side": "theirs", "text": "Längre avtal", "priority": 2, "relation": "shared"},
        ],
    )
    options = services.options_set(
        case=case,
        version=v + 1,
        options=[{"name": "Förlänga två år"}, {"name": "Ny upphandling"}],
    )
    price, exit_, term = (i.pk for i in interests)
    keep, tender = (o.pk for o in options)
    services.scores_set(
        case=case,
        version=v + 2,
        scores={
            (keep, price): 3, (keep, exit_): 2, (keep, term): 5,  # (15+6+10)/10 = 3.10
            (tender, price): 4, (tender, exit_): 5, (tender, term): 1,  # (20+15+2)/10 = 3.70
        },
    )  # fmt: skip
    goals = services.goals_set(
        case=case, version=v + 3, goals=[{"text": "Pris under 2 mkr"}, {"text": "Klart före mars"}]
    )
    services.checks_set(
        case=case,
        version=v + 4,
        checks={
            (keep, goals[0].pk): False,
            (keep, goals[1].pk): True,
            (tender, goals[0].pk): True,
            (tender, goals[1].pk): False,
        },
    )
    return case


def test_options_are_ranked_by_weighted_total_and_show_the_goals_they_miss(world: World) -> None:
    case = _full_case(world)
    rows = case_content(case).options
    assert [(r.option.name, r.total, r.rank) for r in rows] == [
        ("Ny upphandling", Decimal("3.70"), 1),
        ("Förlänga två år", Decimal("3.10"), 2),
    ]
    assert [g.text for g in rows[0].missed] == ["Klart före mars"]
    assert [g.text for g in rows[1].missed] == ["Pris under 2 mkr"]
    # Replacing the options keeps a kept option's scores, drops a removed one's.
    keep = rows[1].option
    services.options_set(
        case=case,
        version=Case.objects.get(pk=case.pk).version,
        options=[{"id": keep.pk, "name": "Förlänga två år med prissänkning"}],
    )
    assert OptionScore.objects.filter(case=case).count() == 3
    assert case_content(case).options[0].total is not None


def test_each_step_says_why_it_is_thin_until_it_is_complete(world: World) -> None:
    case = open_case(world)
    states = {s.key: s for s in step_states(case_content(case))}
    assert list(states) == [
        "preparation",
        "context",
        "challenge",
        "interests",
        "alternatives",
        "check",
        "fallback",
        "execute",
    ]
    assert not any(s.complete for s in states.values())
    assert "The team has only one person: add the negotiation team." in states["preparation"].thin
    case = _full_case(world)
    services.member_add(case=case, user=world.customer_colleague, role="Ekonomi")
    version = Case.objects.get(pk=case.pk).version
    services.case_update(
        case=case,
        version=version,
        timeline="Förhandling i januari, beslut i mars.",
        history="Tre år av stabil drift.",
        market="Fler leverantörer erbjuder molndrift.",
        previous_agreements="Driftavtal 2022–2026.",
        counterparty="Leverantören vill växa inom molntjänster.",
        problem="Priset ökar 12 % vid förnyelse.",
        success="Oförändrat pris och kortare uppsägningstid.",
        batna="Upphandla driften på nytt.",
        walk_away="En prisökning över 5 %.",
    )
    version += 1
    services.fallbacks_set(
        case=case,
        version=version,
        fallbacks=[{"issue": "Priset", "plan": "Erbjud längre avtal mot lägre pris."}],
    )
    services.actions_set(
        case=case,
        version=version + 1,
        actions=[
            {
                "who": "Karin Lindqvist",
                "what": "Skicka vårt förslag",
                "how": "Via e-post före mötet",
                "when": datetime.date(2027, 1, 15),
            }
        ],
    )
    states = {s.key: s for s in step_states(case_content(case))}
    assert {key: s.thin for key, s in states.items() if not s.complete} == {}


def test_a_case_is_audited_against_itself_and_no_agreement_history_offers_it() -> None:
    from auditlog.registry import auditlog

    from samverkan.agreements.history import history_kinds
    from samverkan.negotiation import models

    kinds = {value for value, _label in history_kinds()}
    for model in (models.Case, models.Interest, models.Option, models.Action):
        assert auditlog.contains(model)
        assert f"negotiation.{model._meta.model_name}" not in kinds
