"""The innovation framework's service: what it saves, what it refuses and with which words."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samverkan.core.errors import StaleEditError
from samverkan.innovation.models import Criterion, Framework, Goal
from samverkan.innovation.selectors import framework_of, framework_summary
from samverkan.innovation.services import framework_remove, framework_save, weights_problem
from samverkan.relationships.services import relationship_set_type
from tests.conftest import World
from tests.innovation.conftest import framework_fields, role

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_a_framework_is_saved_with_its_goals_criteria_and_gain_share(
    framework_world: World,
) -> None:
    w = framework_world
    framework = framework_save(
        agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w)
    )
    saved = framework_of(w.agreement)
    assert saved is not None and saved.pk == framework.pk
    assert [g.key for g in saved.goals.all()] == [
        "halvera-tiden-for-prisandringar-i-kundportalen",
        "farre-incidenter-i-fakturaflodet",
    ]
    assert saved.goals.all()[0].baseline == Decimal("10.00")
    assert [c.weight for c in saved.criteria.all()] == [30, 20, 15, 15, 20]
    assert saved.deciding_forum is not None and saved.deciding_forum.key == "collaboration-council"
    assert (saved.customer_share, saved.supplier_share, saved.gain_share_months) == (50, 50, 36)
    assert saved.version == 1
    summary = framework_summary(w.agreement)
    assert summary is not None and (summary.funding, summary.goals) == ("gain_share", 2)


@pytest.mark.parametrize(
    ("weights", "sv", "en"),
    [
        (
            [30, 20, 15, 15, 10],
            "Vikterna blir tillsammans 90: det fattas 10 till 100.",
            "The weights add up to 90: 10 short of 100.",
        ),
        (
            [30, 20, 15, 15, 30],
            "Vikterna blir tillsammans 110: 10 för mycket över 100.",
            "The weights add up to 110: 10 over 100.",
        ),
    ],
)
def test_weights_that_do_not_add_up_to_100_say_by_how_much(
    framework_world: World, weights: list[int], sv: str, en: str
) -> None:
    w = framework_world
    criteria = [
        {"key": f"c{i}", "name": f"Kriterium {i}", "weight": weight}
        for i, weight in enumerate(weights)
    ]
    for language, expected in (("sv", sv), ("en", en)):
        with translation.override(language), pytest.raises(ValidationError) as exc:
            framework_save(
                agreement=w.agreement,
                actor=w.customer_owner,
                version=0,
                **framework_fields(w, criteria=criteria),
            )
        assert _errors(exc)["criteria"] == [expected]
    assert not Framework.objects.exists()
    assert weights_problem([50, 50]) is None


def test_every_problem_is_named_by_its_path_at_once(framework_world: World) -> None:
    w = framework_world
    fields = framework_fields(
        w,
        goals=[{"what": "", "baseline": "x", "target": "5", "unit": "", "due": None}],
        criteria=[{"name": "Affärsnytta", "weight": 120}],
        customer_lead=role(w, "business-developer"),  # a supplier's role
        customer_share=60,
        supplier_share=50,
        gain_share_months=0,
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **fields)
    errors = _errors(exc)
    assert set(errors) == {
        "goals[0].what",
        "goals[0].baseline",
        "goals[0].unit",
        "goals[0].due",
        "criteria[0].weight",
        "customer_lead",
        "supplier_share",
        "gain_share_months",
    }
    assert errors["customer_lead"] == ["Choose a role of the customer's side."]
    assert errors["supplier_share"] == ["The shares add up to 110 %: 10 over 100."]


def test_a_joint_fund_needs_the_contributions_and_empties_the_gain_share(
    framework_world: World,
) -> None:
    w = framework_world
    with pytest.raises(ValidationError) as exc:
        framework_save(
            agreement=w.agreement,
            actor=w.customer_owner,
            version=0,
            **framework_fields(w, funding="joint_fund"),
        )
    assert set(_errors(exc)) == {"customer_contribution", "supplier_contribution"}
    framework = framework_save(
        agreement=w.agreement,
        actor=w.customer_owner,
        version=0,
        **framework_fields(
            w, funding="joint_fund", customer_contribution=500000, supplier_contribution=250000
        ),
    )
    assert (framework.customer_contribution, framework.supplier_contribution) == (500000, 250000)
    assert framework.customer_share is None and framework.gain_share_months is None


def test_gain_share_starts_with_the_agreement_when_no_date_is_given(framework_world: World) -> None:
    w = framework_world
    w.agreement.start_date = datetime.date(2025, 9, 1)
    w.agreement.save()
    framework = framework_save(
        agreement=w.agreement,
        actor=w.customer_owner,
        version=0,
        **framework_fields(w, gain_share_from=None),
    )
    assert framework.gain_share_from == datetime.date(2025, 9, 1)


def test_a_stale_version_is_refused_and_the_first_edit_kept(framework_world: World) -> None:
    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    framework_save(
        agreement=w.agreement,
        actor=w.supplier_owner,
        version=1,
        **framework_fields(w, improvement_line="Leverantörens version"),
    )
    with pytest.raises(StaleEditError):
        framework_save(
            agreement=w.agreement,
            actor=w.customer_owner,
            version=1,
            **framework_fields(w, improvement_line="Kundens version"),
        )
    with pytest.raises(StaleEditError):  # "there was none" when there is one
        framework_save(
            agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w)
        )
    framework = Framework.objects.get()
    assert framework.improvement_line == "Leverantörens version" and framework.version == 2


def test_parts_keep_their_keys_and_rows_when_edited_and_reordered(framework_world: World) -> None:
    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    before = {goal.key: goal.pk for goal in Goal.objects.all()}
    goals = framework_fields(w)["goals"]
    goals = [
        {**goals[1], "key": "farre-incidenter-i-fakturaflodet", "target": "10"},
        {
            **goals[0],
            "key": "halvera-tiden-for-prisandringar-i-kundportalen",
            "what": "Snabbare prisändringar",
        },
    ]
    framework_save(
        agreement=w.agreement, actor=w.customer_owner, version=1, **framework_fields(w, goals=goals)
    )
    after = list(Goal.objects.order_by("position"))
    assert [g.key for g in after] == [
        "farre-incidenter-i-fakturaflodet",
        "halvera-tiden-for-prisandringar-i-kundportalen",
    ]
    assert {g.key: g.pk for g in after} == before
    assert after[1].what == "Snabbare prisändringar" and after[0].target == Decimal("10.00")


def test_removing_the_framework_removes_its_parts(framework_world: World) -> None:
    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    framework_remove(agreement=w.agreement, actor=w.customer_owner)
    assert not Framework.objects.exists() and not Goal.objects.exists()
    assert not Criterion.objects.exists()


def test_a_forum_of_another_agreement_is_refused(framework_world: World) -> None:
    from samverkan.collaboration.services import forum_from_template, model_seed

    w = framework_world
    model_seed(agreement=w.other_agreement)
    other = forum_from_template(agreement=w.other_agreement, actor=None, template="steering-group")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        framework_save(
            agreement=w.agreement,
            actor=w.customer_owner,
            version=0,
            **framework_fields(w, deciding_forum=other),
        )
    assert _errors(exc) == {"deciding_forum": ["Choose a forum of this agreement."]}


def test_the_history_tells_the_framework_in_plain_words(
    framework_world: World, client_for: object
) -> None:
    from django.urls import reverse

    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    criteria = framework_fields(w)["criteria"]
    criteria[0] = {**criteria[0], "weight": 25}
    criteria[1] = {**criteria[1], "weight": 25}
    framework_save(
        agreement=w.agreement,
        actor=w.customer_owner,
        version=1,
        **framework_fields(w, criteria=criteria, funding="none"),
    )
    client = client_for(w.customer_owner)  # type: ignore[operator]
    page = client.get(
        reverse("agreements:history", args=[w.agreement.pk]), HTTP_ACCEPT_LANGUAGE="sv"
    )
    text = page.content.decode()
    assert "innovationsramverket" in text
    assert (
        "utvärderingskriteriet ”Affärsnytta”" in text
        or "utvärderingskriteriet “Affärsnytta”" in text
    )
    assert "innovationsmålet" in text


def test_the_expected_rate_follows_the_governance_profile_until_set(
    framework_world: World, client_for: Any
) -> None:
    from django.urls import reverse

    w = framework_world
    relationship_set_type(agreement=w.agreement, actor=None, type="frontier")  # 6 a quarter
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    url = reverse("innovation:framework", args=[w.agreement.pk])
    text = client_for(w.supplier_viewer).get(url).content.decode()
    assert '6 <span class="text-body-secondary">(från styrningsprofilen)</span>' in text
    framework_save(
        agreement=w.agreement,
        actor=w.customer_owner,
        version=1,
        **framework_fields(w, ideas_per_quarter=8),
    )
    text = client_for(w.supplier_viewer).get(url).content.decode()
    assert "från styrningsprofilen" not in text
