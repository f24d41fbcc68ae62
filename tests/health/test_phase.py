"""The group's phase: each party's from its own answers, the group's the earlier of the two.

Also what a reader can check with a pencil: the "both parties" mean is the plain
mean of the two means shown, a gap is the difference of the two means shown, and
a round's result does not change when the collaboration model is edited later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from auditlog.context import set_actor
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from samverkan.collaboration.services import forum_from_template, forum_update, model_seed
from samverkan.health import analysis, export
from samverkan.health.models import Round, SideFigures
from samverkan.health.results import round_results
from tests.conftest import World
from tests.health.conftest import RoundMaker

pytestmark = pytest.mark.django_db

Score = Callable[[str, str, str], int]

# The round: the customer below 3.5 in every phase, the supplier above in every one.
CUSTOMER_PHASES = {"tillhora": 3.3, "rollsokning": 3.3, "oppenhet": 3.0}
SUPPLIER_PHASES = {"tillhora": 4.4, "rollsokning": 4.2, "oppenhet": 4.0}


def people(means: dict[str, float], count: int = 10, other: int = 4) -> list[Score]:
    """``count`` respondents whose answers give exactly ``means`` per dimension (in tenths).

    Each respondent gives one score to every statement of a dimension; of ``count``
    people, the first ``k`` give one more than the rest, so the mean is exact.
    Dimensions not in ``means`` get ``other`` from everyone.
    """

    def score_for(i: int) -> Score:
        def score(statement: str, dimension: str, target: str) -> int:
            mean = means.get(dimension, other)
            base = math.floor(mean)
            up = round((mean - base) * count)
            return base + (1 if i < up else 0)

        return score

    return [score_for(i) for i in range(count)]


def page(client: Any, round: Round) -> str:
    return str(
        client.get(f"/agreements/{round.agreement_id}/health/rounds/{round.number}/").content,
        "utf-8",
    )


def phase_section(html: str) -> str:
    match = re.search(r'<section[^>]*aria-labelledby="phase-title".*?</section>', html, re.S)
    assert match, "the page has a phase section"
    return match.group(0)


def test_the_group_is_only_as_far_as_the_party_that_has_come_shortest(
    make_round: RoundMaker,
) -> None:
    round = make_round(customer=people(CUSTOMER_PHASES), supplier=people(SUPPLIER_PHASES))
    phase = round_results(round, language="sv").phase
    assert phase is not None

    customer, supplier = phase.parties["customer"], phase.parties["supplier"]
    assert customer.means == pytest.approx(CUSTOMER_PHASES)
    assert supplier.means == pytest.approx(SUPPLIER_PHASES)
    assert (customer.result.phase, customer.result.reason) == ("tillhora", "below_threshold")
    assert (supplier.result.phase, supplier.result.reason) == ("oppenhet", "all_passed")
    assert (phase.result.phase, phase.result.reason) == ("tillhora", "below_threshold")
    assert phase.deciding == ("customer",)


def test_the_page_shows_both_parties_phases_and_the_group_in_the_earlier(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    round = make_round(customer=people(CUSTOMER_PHASES), supplier=people(SUPPLIER_PHASES))
    section = phase_section(page(client_for(world.customer_owner), round))

    assert 'data-phase="tillhora"' in section
    assert "Alla faser är passerade" not in section  # the pooled answers said so before
    parties = re.search(r'data-testid="phase-parties".*?</ul>', section, re.S)
    assert parties
    assert re.search(r"Tillhöra.*alla faser passerade.*Tillhöra", parties.group(0), re.S)
    assert "den tidigare av de två" in section  # the rule is explained on the page


def test_both_parties_is_the_plain_mean_of_the_two_means_shown(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    # Ten people on one side and three on the other: each party still counts the same.
    round = make_round(
        customer=people(CUSTOMER_PHASES),
        supplier=people({"tillhora": 5, "rollsokning": 5, "oppenhet": 5}, count=3),
    )
    phase = round_results(round, language="sv").phase
    assert phase is not None
    assert phase.means["tillhora"] == 4.2  # (3.3 + 5) / 2 = 4.15 as shown; pooled would be 3.69
    rows = re.findall(
        r"<tr[^>]*data-phase-row=\"(\w+)\".*?</tr>",
        phase_section(page(client_for(world.customer_owner), round)),
        re.S,
    )
    assert rows == ["tillhora", "rollsokning", "oppenhet"]
    section = phase_section(page(client_for(world.customer_owner), round))
    tillhora = re.search(r'data-phase-row="tillhora".*?</tr>', section, re.S)
    assert tillhora
    assert re.findall(r">(\d,\d)<", tillhora.group(0)) == ["3,3", "5,0", "4,2"]  # 4.15 half up
    assert "varje part väger lika" in section  # how it is weighted is said on the page


def _set_mean(round: Round, side: str, dimension: str, target: str, mean: float) -> None:
    figures = SideFigures.objects.get(round=round, side=side)
    figures.figures["dimensions"][dimension][target]["mean"] = mean
    figures.save(update_fields=["figures"])


def test_a_gap_is_the_difference_of_the_two_means_shown(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    round = make_round(customer=[4, 4, 4], supplier=[3, 3, 3])
    _set_mean(round, "customer", "samarbete", "all", 3.44)  # shown 3,4
    _set_mean(round, "supplier", "samarbete", "all", 3.26)  # shown 3,3: the gap is 0,1, not 0,2
    _set_mean(round, "customer", "processer", "all", 4.05)  # shown 4,1 (half up)
    _set_mean(round, "supplier", "processer", "all", 3.14)  # shown 3,1: 1,0, so flagged
    _set_mean(round, "supplier", "kommunikation", "self", 3.46)  # shown 3,5: high
    _set_mean(round, "customer", "kommunikation", "other", 2.44)  # shown 2,4

    data = round_results(round, language="sv")
    rows = {row.key: row for row in data.dimensions}
    assert (rows["samarbete"].customer.mean, rows["samarbete"].supplier.mean) == (3.4, 3.3)
    assert rows["samarbete"].gap == pytest.approx(0.1)
    assert rows["processer"].gap == pytest.approx(1.0) and rows["processer"].flagged
    mirror = next(m for m in data.mirror if (m.side, m.dimension) == ("supplier", "kommunikation"))
    assert (mirror.self_view.mean, mirror.other_view.mean) == (3.5, 2.4)
    assert mirror.gap == pytest.approx(1.1) and mirror.classification == "blind_spot"

    html = page(client_for(world.customer_owner), round)
    samarbete = re.search(r'<tr[^>]*data-dimension="samarbete".*?</tr>', html, re.S)
    assert samarbete and re.findall(r"[+−]?\d,\d", samarbete.group(0)) == ["3,4", "3,3", "+0,1"]
    processer = re.search(r'<tr[^>]*data-dimension="processer".*?</tr>', html, re.S)
    assert processer and "sv-flagged" in processer.group(0) and "+1,0" in processer.group(0)

    workbook = export.results_workbook(data, language="en")
    sheet = load_workbook(BytesIO(workbook))["Dimensions"]
    values = {
        sheet.cell(row=r, column=2).value: [sheet.cell(row=r, column=c).value for c in (3, 4, 5)]
        for r in range(2, sheet.max_row + 1)
    }
    customer, supplier, gap = values["Samarbete"]  # the results were read in Swedish
    assert (customer, supplier) == (3.4, 3.3) and gap == pytest.approx(customer - supplier)


def test_a_past_round_keeps_its_phase_when_the_model_changes_later(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    model_seed(agreement=world.agreement)
    forum = forum_from_template(agreement=world.agreement, actor=None, template="steering-group")
    first = make_round(customer=[5, 5, 5], supplier=[5, 5, 5], title="Hälsokontroll våren 2026")
    with set_actor(world.customer_owner):
        forum_update(
            forum=forum,
            actor=world.customer_owner,
            version=forum.version,
            members=[world.agreement.roles.first()],
        )

    # The latest round keeps the phase its answers gave, with a warning that says why the
    # group is back at Tillhöra now: the change, who made it and when.
    phase = round_results(first, language="sv").phase
    assert phase is not None
    assert (phase.result.phase, phase.result.reason) == ("oppenhet", "all_passed")
    assert phase.back_to == "tillhora"
    [change] = phase.changes
    assert (change.reason, change.name, change.actor) == (
        "forum_members",
        forum.name,
        world.customer_owner.get_full_name(),
    )
    assert timezone.localtime(change.at).date() == timezone.localdate()
    section = phase_section(page(client_for(world.customer_owner), first))
    assert 'data-phase="oppenhet"' in section
    assert "Tillbaka till Tillhöra" in section and forum.name in section
    with translation.override("sv"):
        assert date_format(timezone.localdate(), "j F Y") in section  # when it changed

    # Once a newer round exists, the older one is a past round: no warning, same phase.
    second = make_round(customer=[4, 4, 4], supplier=[4, 4, 4], title="Hälsokontroll hösten 2026")
    phase = round_results(first, language="sv").phase
    assert phase is not None
    assert phase.changes == [] and phase.back_to is None
    assert phase.result.phase == "oppenhet"
    assert "Tillbaka till Tillhöra" not in phase_section(
        page(client_for(world.customer_owner), first)
    )
    assert round_results(second, language="sv").phase.changes == []  # type: ignore[union-attr]


def test_the_exports_and_the_api_show_each_party_s_phase(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    round = make_round(customer=people(CUSTOMER_PHASES), supplier=people(SUPPLIER_PHASES))
    data = round_results(round, language="sv")

    document = export.summary_document(data, language="sv")
    text = " ".join(
        getattr(block, "text", "") for block in document.blocks if hasattr(block, "text")
    )
    assert "Tillhöra" in text and "Norrlandia Försäkring AB" in text
    assert "alla faser passerade" in text

    summary = load_workbook(BytesIO(export.results_workbook(data, language="en")))["Summary"]
    facts = {
        summary.cell(row=r, column=1).value: summary.cell(row=r, column=2).value
        for r in range(1, 15)
    }
    assert facts["Group phase"] == "Belonging"
    assert facts["Phase, Norrlandia Försäkring AB"] == "Belonging"
    assert facts["Phase, Driftpartner Norden AB"] == "Openness/Cohesion (every phase passed)"

    body = (
        client_for(world.customer_owner)
        .get(
            f"/api/v1/agreements/{world.agreement.pk}/health/rounds/{round.number}/results",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .json()
    )
    api = body["phase"]
    assert api["phase"] == "tillhora" and api["reason"] == "below_threshold"
    assert {p["side"]: p["phase"] for p in api["parties"]} == {
        "customer": "tillhora",
        "supplier": "oppenhet",
    }
    assert api["means"]["tillhora"] == 3.9  # (3.3 + 4.4) / 2 = 3.85, rounded as on the page
    assert api["changes"] == [] and api["back_to"] is None


def test_the_group_phase_in_analysis() -> None:
    order = ("tillhora", "rollsokning", "oppenhet")
    below = analysis.PhaseResult("rollsokning", "below_threshold", "rollsokning")
    passed = analysis.PhaseResult("oppenhet", "all_passed", "oppenhet")
    first = analysis.PhaseResult("tillhora", "below_threshold", "tillhora")
    unknown = analysis.PhaseResult(None, "withheld", None)

    assert analysis.group_phase([below, passed], order) == below
    assert analysis.group_phase([passed, passed], order) == passed
    assert analysis.group_phase([passed, first], order) == first
    # One party unknown: the group is unknown, unless the other is at the first phase.
    assert analysis.group_phase([unknown, below], order) == unknown
    assert analysis.group_phase([unknown, first], order) == first
    assert analysis.parties_mean(3.3, 4.4) == pytest.approx(3.85)
    assert analysis.shown_mean(3.25) == 3.3 and analysis.shown_mean(3.449) == 3.4
