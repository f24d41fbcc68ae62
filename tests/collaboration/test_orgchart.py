"""The organisation chart: well-formed SVG, every name in it, user text escaped, no queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from samverkan.collaboration import services
from samverkan.collaboration.models import Role
from samverkan.collaboration.orgchart import orgchart_svg
from samverkan.collaboration.selectors import collaboration_model
from tests.conftest import World

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def _texts(root: ET.Element) -> str:
    """All the text the chart shows or offers on hover, joined."""
    return " ".join(" ".join(element.itertext()) for element in root)


@pytest.fixture
def model_world(world: World) -> World:
    services.model_seed(agreement=world.agreement)
    roles = {role.key: role for role in world.agreement.roles.all()}
    services.role_create(
        agreement=world.agreement,
        actor=None,
        name="<script>alert(1)</script>",
        side="customer",
        level="strategic",
        orientation="business",
    )
    services.role_create(
        agreement=world.agreement,
        actor=None,
        name="Gemensam innovationsledare & arkitekt",
        side="joint",
        level="tactical",
        orientation="business",
    )
    services.forum_create(
        agreement=world.agreement,
        actor=None,
        name="Styrgrupp",
        level="strategic",
        cadence="quarterly",
        members=[roles["executive-sponsor"], roles["strategic-partner"]],
    )
    services.forum_create(
        agreement=world.agreement,
        actor=None,
        name='Samverkansråd "Norr" för alla förbättringar, förändringar och innovationer',
        level="tactical",
        cadence="monthly",
        chair=roles["business-owner"],
        members=[roles["business-developer"], roles["it-architect"]],
    )
    return world


def test_chart_is_well_formed_svg_with_every_role_and_forum(model_world: World) -> None:
    model = collaboration_model(agreement=model_world.agreement)
    svg = orgchart_svg(model, "en")
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox", "").startswith("0 0 ")
    text = _texts(root)
    for role in model.roles:
        assert role.name in text
    for forum in model.forums:
        assert forum.name in text
    # Each role is one box, each forum one pill.
    assert len(root.findall(f".//{SVG}g[@class='orgchart-forum']")) == 2
    assert len([g for g in root.iter(f"{SVG}g") if "orgchart-role" in g.get("class", "")]) == len(
        model.roles
    )


def test_user_text_is_escaped(model_world: World) -> None:
    svg = orgchart_svg(collaboration_model(agreement=model_world.agreement), "en")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "innovationsledare &amp; arkitekt" in svg
    assert "&quot;Norr&quot;" in svg


def test_long_names_are_shortened_with_the_full_name_on_hover(model_world: World) -> None:
    root = _parse(orgchart_svg(collaboration_model(agreement=model_world.agreement), "en"))
    name = 'Samverkansråd "Norr" för alla förbättringar, förändringar och innovationer'
    pill = next(
        g
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "orgchart-forum" and name in (g.findtext(f"{SVG}title") or "")
    )
    shown = [t.text or "" for t in pill.iter(f"{SVG}text")]
    assert shown[-1] == "Monthly"  # the cadence, under the name
    assert any(line.endswith("…") for line in shown)
    assert name not in " ".join(shown)


def test_levels_sides_and_orientation_are_labelled_in_the_language(model_world: World) -> None:
    text = _texts(_parse(orgchart_svg(collaboration_model(agreement=model_world.agreement), "en")))
    for label in ("Strategic", "Tactical", "Operational", "CUSTOMER", "SUPPLIER", "JOINT"):
        assert label in text
    assert "Toward the business" in text and "Toward IT" in text
    assert model_world.customer.name in text and model_world.supplier.name in text


def test_every_forum_member_is_joined_by_a_line(model_world: World) -> None:
    root = _parse(orgchart_svg(collaboration_model(agreement=model_world.agreement), "en"))
    lines = root.findall(f".//{SVG}g[@fill='none']/{SVG}path")
    # Styrgrupp: two members; Samverkansråd: two members and its chair.
    assert len(lines) == 5


def test_drawing_makes_no_queries(model_world: World, django_assert_num_queries: Any) -> None:
    model = collaboration_model(agreement=model_world.agreement)
    with django_assert_num_queries(0):
        orgchart_svg(model, "sv")


def test_empty_model_still_draws_the_three_levels(world: World) -> None:
    root = _parse(orgchart_svg(collaboration_model(agreement=world.agreement), "en"))
    assert _texts(root).count("No roles or forums at this level.") >= 3


def test_many_roles_on_one_side_open_another_column(world: World) -> None:
    def width() -> float:
        svg = orgchart_svg(collaboration_model(agreement=world.agreement), "en")
        return float(_parse(svg).get("width", "0"))

    before = width()
    for i in range(9):
        Role.objects.create(
            agreement=world.agreement,
            key=f"specialist-{i}",
            name=f"Specialist {i}",
            side="supplier",
            level="operational",
            orientation="it",
            position=i,
        )
    # Four boxes a column at most: nine need three columns, two more than before.
    assert width() - before == pytest.approx(2 * (188 + 14))
