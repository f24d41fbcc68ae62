"""The innovation page as people use it: read, edit with every field, the weights' message,
the calculator, and the same number of queries whatever the framework holds."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.innovation.models import Framework
from samverkan.innovation.services import framework_save
from tests.conftest import World
from tests.innovation.conftest import forum, framework_fields, role

pytestmark = pytest.mark.django_db


def _post(w: World, **changes: Any) -> dict[str, Any]:
    """The form as a browser sends it: two goals, the five criteria and two blank rows."""
    data: dict[str, Any] = {
        "version": 0,
        "goals-TOTAL_FORMS": 3,
        "goals-INITIAL_FORMS": 0,
        "goals-0-what": "Halvera tiden för prisändringar",
        "goals-0-baseline": "10",
        "goals-0-target": "5",
        "goals-0-unit": "arbetsdagar",
        "goals-0-due": "2027-06-30",
        "goals-1-what": "Färre incidenter",
        "goals-1-baseline": "40",
        "goals-1-target": "20",
        "goals-1-unit": "incidenter per kvartal",
        "goals-1-due": "2027-12-31",
        "criteria-TOTAL_FORMS": 6,
        "criteria-INITIAL_FORMS": 0,
        "deciding_forum": forum(w).pk,
        "customer_lead": role(w, "business-owner").pk,
        "supplier_lead": role(w, "business-developer").pk,
        "improvement_line": "Förbättringar ingår i tjänsten.",
        "ideas_per_quarter": "",
        "review_cadence": "quarterly",
        "funding": "gain_share",
        "customer_share": "50",
        "supplier_share": "50",
        "gain_share_months": "36",
        "gain_share_from": "2026-01-01",
    }
    for i, (key, name, weight) in enumerate(
        [
            ("business-value", "Affärsnytta", 30),
            ("feasibility", "Genomförbarhet", 20),
            ("cost", "Kostnad", 15),
            ("risk", "Risk", 15),
            ("strategic-fit", "Strategisk passform", 20),
        ]
    ):
        data.update(
            {f"criteria-{i}-key": key, f"criteria-{i}-name": name, f"criteria-{i}-weight": weight}
        )
    data.update(changes)
    return data


def test_a_new_framework_starts_from_the_default_criteria(
    framework_world: World, client_for: Any
) -> None:
    w = framework_world
    page = client_for(w.customer_owner).get(reverse("innovation:framework", args=[w.agreement.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="no-framework"' in text
    for name in ("Affärsnytta", "Genomförbarhet", "Kostnad", "Risk", "Strategisk passform"):
        assert f'value="{name}"' in text
    assert "Innovation" in text  # the tab


def test_an_editor_of_the_supplier_saves_the_framework_with_every_field(
    framework_world: World, client_for: Any
) -> None:
    w = framework_world
    url = reverse("innovation:edit", args=[w.agreement.pk])
    response = client_for(w.supplier_owner).post(url, _post(w))
    assert response.status_code == 302, response.content.decode()[:3000]
    framework = Framework.objects.get()
    assert framework.goals.count() == 2 and framework.criteria.count() == 5
    assert (framework.funding, framework.customer_share, framework.gain_share_months) == (
        "gain_share",
        50,
        36,
    )
    page = client_for(w.supplier_viewer).get(reverse("innovation:framework", args=[w.agreement.pk]))
    text = page.content.decode()
    assert "Halvera tiden för prisändringar" in text and "Vinstdelning" in text
    editor = client_for(w.customer_owner).get(
        reverse("innovation:framework", args=[w.agreement.pk])
    )
    form = editor.content.decode()
    # Figures are shown as typed: 10, not 10.00 or 1E+1.
    assert 'name="goals-0-baseline" value="10"' in form and "E+" not in form
    assert 'id="framework-form"' not in text  # viewers read


def test_weights_off_by_ten_are_shown_with_the_difference(
    framework_world: World, client_for: Any
) -> None:
    w = framework_world
    url = reverse("innovation:edit", args=[w.agreement.pk])
    response = client_for(w.customer_owner).post(url, _post(w, **{"criteria-4-weight": 10}))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Vikterna blir tillsammans 90: det fattas 10 till 100." in text
    assert 'id="criteria-total">Summa: 90 av 100' in text
    assert not Framework.objects.exists()
    over = client_for(w.customer_owner).post(url, _post(w, **{"criteria-4-weight": 30}))
    assert "Vikterna blir tillsammans 110: 10 för mycket över 100." in over.content.decode()


def test_a_goal_problem_is_shown_beside_its_field(framework_world: World, client_for: Any) -> None:
    w = framework_world
    url = reverse("innovation:edit", args=[w.agreement.pk])
    response = client_for(w.customer_owner).post(url, _post(w, **{"goals-1-target": "40"}))
    text = response.content.decode()
    assert "Målvärdet måste skilja sig från utgångsläget." in text
    assert 'id="id_goals-1-target_error"' in text


def test_a_stale_form_is_refused_and_keeps_the_input(
    framework_world: World, client_for: Any
) -> None:
    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    url = reverse("innovation:edit", args=[w.agreement.pk])
    response = client_for(w.supplier_owner).post(url, _post(w, improvement_line="Min text"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Min text" in text and "Någon annan" in text


def test_the_calculator_splits_an_effect_without_javascript(
    framework_world: World, client_for: Any
) -> None:
    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    url = reverse("innovation:framework", args=[w.agreement.pk])
    viewer = client_for(w.supplier_viewer)
    text = viewer.get(url, {"effect": "1 200 000", "realised_on": "2026-06-30"}).content.decode()
    assert 'id="split-customer">600\xa0000\xa0kr' in text
    assert 'id="split-supplier">600\xa0000\xa0kr' in text
    late = viewer.get(url, {"effect": "1000", "realised_on": "2029-01-01"}).content.decode()
    assert 'id="split-outside"' in late
    bad = viewer.get(url, {"effect": "mycket"}).content.decode()
    assert "is-invalid" in bad


def test_the_page_reads_in_the_same_number_of_queries_for_a_small_and_a_large_framework(
    framework_world: World, client_for: Any
) -> None:
    w = framework_world
    client = client_for(w.customer_owner)
    url = reverse("innovation:framework", args=[w.agreement.pk])
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    goals = [{**framework_fields(w)["goals"][0], "what": f"Mål {i}"} for i in range(20)]
    framework_save(
        agreement=w.agreement, actor=w.customer_owner, version=1, **framework_fields(w, goals=goals)
    )
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
