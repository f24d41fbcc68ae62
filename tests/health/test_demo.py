"""The demo's health rounds tell the story each demo agreement is meant to show."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from samverkan.core import demo
from samverkan.health.models import Invitation, Round
from samverkan.health.results import DimensionRow, RoundResults, round_results

pytestmark = pytest.mark.django_db  # also makes pytest-django create the test database

REFERENCES = ("DEMO-UTILITY", "DEMO-ENHANCEMENT", "DEMO-FRONTIER")


@dataclass(frozen=True)
class DemoHealth:
    results: dict[str, list[RoundResults]]  # reference → the agreement's rounds, oldest first
    rounds_after_first_load: int
    rounds_after_second_load: int
    unsent_invitations: int


@pytest.fixture(scope="module")
def demo_health(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoHealth]:
    """The demo loaded twice and read, then rolled back: a load takes seconds, so once here."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        first = Round.objects.count()
        demo.load()
        health = DemoHealth(
            results={
                reference: [
                    round_results(round, language="sv")
                    # The closed rounds tell the stories; DEMO-FRONTIER's open pulse round
                    # (for "Mitt arbete", tests/core/test_my_work.py) has no figures yet.
                    for round in Round.objects.filter(
                        agreement__reference=reference, closed_at__isnull=False
                    )
                    .select_related("agreement__customer", "agreement__supplier")
                    .order_by("number")
                ]
                for reference in REFERENCES
            },
            rounds_after_first_load=first,
            rounds_after_second_load=Round.objects.count(),
            unsent_invitations=Invitation.objects.filter(sent_at__isnull=True).count(),
        )
        transaction.set_rollback(True)
    yield health


def _row(results: RoundResults, dimension: str) -> DimensionRow:
    return next(row for row in results.dimensions if row.key == dimension)


def _gap(results: RoundResults, dimension: str) -> float:
    gap = _row(results, dimension).gap
    assert gap is not None
    return gap


def _overall(results: RoundResults, side: str) -> float:
    mean = results.sides[side].overall.mean
    assert mean is not None
    return mean


@pytest.mark.parametrize("reference", REFERENCES)
def test_demo_agreement_has_closed_past_rounds_with_figures_for_both_sides(
    demo_health: DemoHealth, reference: str
) -> None:
    rounds = demo_health.results[reference]
    assert 2 <= len(rounds) <= 3
    assert len({results.round.title for results in rounds}) == len(rounds)
    for results in rounds:
        assert not results.round.is_open
        assert results.round.closes_on < timezone.localdate()
        for side in results.sides.values():
            assert not side.withheld
            assert side.overall.mean is not None
            assert 3 <= side.answered <= side.invited
            assert side.free_text


def test_utility_latest_round_flags_the_gap_and_the_supplier_blind_spot_on_communication(
    demo_health: DemoHealth,
) -> None:
    latest = demo_health.results["DEMO-UTILITY"][-1]
    assert _row(latest, "kommunikation").flagged
    assert _gap(latest, "kommunikation") <= -1.0  # the customer rates it lower
    assert [row.key for row in latest.dimensions if row.flagged] == ["kommunikation"]
    supplier_view = next(
        row for row in latest.mirror if row.side == "supplier" and row.dimension == "kommunikation"
    )
    assert supplier_view.classification == "blind_spot"
    assert latest.weak[0] == "kommunikation"


def test_utility_communication_gap_widens_every_year(demo_health: DemoHealth) -> None:
    gaps = [abs(_gap(results, "kommunikation")) for results in demo_health.results["DEMO-UTILITY"]]
    assert gaps == sorted(gaps)
    assert not _row(demo_health.results["DEMO-UTILITY"][0], "kommunikation").flagged


def test_latest_rounds_show_the_phase_the_answers_point_to_not_a_reset(
    demo_health: DemoHealth,
) -> None:
    phases = {}
    for reference, rounds in demo_health.results.items():
        phase = rounds[-1].phase
        assert phase is not None
        assert phase.reset_reasons == []
        phases[reference] = phase.result.phase
    assert phases == {
        "DEMO-UTILITY": "rollsokning",
        "DEMO-ENHANCEMENT": "oppenhet",
        "DEMO-FRONTIER": "oppenhet",
    }


def test_frontier_improves_on_both_sides_and_moves_from_role_seeking_to_openness(
    demo_health: DemoHealth,
) -> None:
    rounds = demo_health.results["DEMO-FRONTIER"]
    first, last = rounds[0], rounds[-1]
    for side in ("customer", "supplier"):
        means = [_overall(results, side) for results in rounds]
        assert means == sorted(means)
        assert means[-1] - means[0] >= 0.7
    assert first.phase is not None and last.phase is not None
    assert first.phase.result.phase == "rollsokning"
    assert (first.phase.means["tillhora"] or 0) >= 3.5
    assert (last.phase.result.phase, last.phase.result.reason) == ("oppenhet", "all_passed")


def test_enhancement_is_middling_with_feedback_as_its_weakest_dimension(
    demo_health: DemoHealth,
) -> None:
    for results in demo_health.results["DEMO-ENHANCEMENT"]:
        assert results.weak[0] == "feedback"
        assert not any(row.flagged for row in results.dimensions)
        for side in ("customer", "supplier"):
            assert 3.3 <= _overall(results, side) <= 4.0


def test_loading_the_demo_again_adds_no_rounds(demo_health: DemoHealth) -> None:
    assert demo_health.rounds_after_first_load == 9 + 1  # three per agreement, one open
    assert demo_health.rounds_after_second_load == demo_health.rounds_after_first_load


def test_demo_rounds_leave_no_invitation_to_email(demo_health: DemoHealth) -> None:
    assert demo_health.unsent_invitations == 0


def test_utility_2026_shows_a_group_only_as_far_as_its_slower_party(
    demo_health: DemoHealth,
) -> None:
    latest = next(r for r in demo_health.results["DEMO-UTILITY"] if r.round.title.endswith("2026"))
    phase = latest.phase
    assert phase is not None
    assert phase.parties["customer"].result.phase == "rollsokning"
    assert phase.parties["supplier"].result.phase == "oppenhet"
    assert phase.result.phase == "rollsokning" and phase.deciding == ("customer",)
