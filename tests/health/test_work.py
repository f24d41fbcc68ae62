"""Relationship health on "Mitt arbete": one's own survey link, and rounds closing soon."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone, translation

from samverkan.health import services
from samverkan.health.models import Invitation, Round
from samverkan.health.work import CLOSING_SOON_DAYS, work_items
from tests.conftest import World
from tests.health.conftest import answer, enough_people, link_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The items' texts are read in English here (the Swedish is tested on the page)."""
    with translation.override("en"):
        yield


def _open(world: World, days: int = 14, title: str = "Hälsokontroll hösten 2026") -> Round:
    return services.health_round_open(
        agreement=world.agreement,
        actor=world.customer_owner,
        title=title,
        closes_on=timezone.localdate() + datetime.timedelta(days=days),
        participants=enough_people(world.agreement),
    )


def _invitation(round: Round, user: object) -> Invitation:
    return Invitation.objects.get(round=round, user=user)


def _kinds(user: object) -> list[str]:
    return [item.kind for item in work_items(user)]  # type: ignore[arg-type]


def test_a_person_sees_their_own_unanswered_survey_link(world: World) -> None:
    round = _open(world)
    [item] = work_items(world.supplier_viewer)
    assert item.kind == "health.survey"
    assert item.title == "Answer the survey “Hälsokontroll hösten 2026”"
    assert item.due == round.closes_on
    assert item.agreement == "DRIFT-2025 Drift av datacenter"
    # The link is the person's own personal link, and it opens the survey.
    assert item.url == f"/survey/{link_token(_invitation(round, world.supplier_viewer))}/"
    assert Client().get(item.url).status_code == 200


def test_the_link_disappears_once_answered_and_reveals_nothing_about_others(
    world: World,
) -> None:
    round = _open(world)
    before = {user.pk: work_items(user) for user in (world.customer_owner, world.supplier_owner)}
    answer(_invitation(round, world.supplier_viewer), 4)
    assert "health.survey" not in _kinds(world.supplier_viewer)
    # Others' survey items are exactly what they were: nobody learns who answered.
    for user in (world.customer_owner, world.supplier_owner):
        survey = [item for item in work_items(user) if item.kind == "health.survey"]
        assert survey == [item for item in before[user.pk] if item.kind == "health.survey"]


def test_no_survey_item_for_people_not_invited_or_after_the_round_closes(world: World) -> None:
    round = _open(world)
    for user in (world.org_admin, world.customer_colleague, world.other_supplier_user):
        assert "health.survey" not in _kinds(user)
    services.health_round_close(round=round)
    assert "health.survey" not in _kinds(world.supplier_viewer)


def test_a_round_past_its_closing_date_asks_for_no_answer(world: World) -> None:
    round = _open(world)
    Round.objects.filter(pk=round.pk).update(closes_on=timezone.localdate() - datetime.timedelta(1))
    assert "health.survey" not in _kinds(world.supplier_viewer)


def test_owners_are_told_when_a_round_closes_soon_with_answers_missing(world: World) -> None:
    round = _open(world, days=3)
    answer(_invitation(round, world.supplier_viewer), 4)
    for owner in (world.customer_owner, world.supplier_owner):
        [item] = [i for i in work_items(owner) if i.kind == "health.round"]
        assert item.due == round.closes_on
        assert item.url == f"/agreements/{world.agreement.pk}/health/rounds/{round.number}/"
        assert "1 of 8 invited have answered" in item.reason
    # A viewer cannot remind or close: the round is not work for them (their link is).
    assert _kinds(world.supplier_viewer) == []


def test_a_round_closing_later_or_fully_answered_is_not_work_for_the_owner(
    world: World,
) -> None:
    later = _open(world, days=CLOSING_SOON_DAYS + 1)
    assert "health.round" not in _kinds(world.customer_owner)
    services.health_round_close(round=later)
    soon = _open(world, days=2, title="Pulsmätning")
    for invitation in soon.invitations.all():
        answer(invitation, 3)
    assert "health.round" not in _kinds(world.customer_owner)
