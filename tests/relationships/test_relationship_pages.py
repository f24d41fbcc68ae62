"""The relationship page as its users meet it: questionnaire, choice of type, governance profile."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.relationships import catalogue
from samverkan.relationships.models import Relationship
from samverkan.relationships.services import (
    relationship_answer,
    relationship_of,
    relationship_set_type,
    relationship_update_profile,
)
from tests.conftest import World

pytestmark = pytest.mark.django_db

FRONTIER_ANSWERS = {
    "criticality": "high",
    "customisation": "unique",
    "supplier_innovation": "drive",
    "switching_cost": "high",
    "market_alternatives": "none",
    "business_involvement": "strategic",
    "contract_length": "long",
    "knowledge_dependency": "high",
}
CUSTOM_WEIGHTS = {
    "price": 30,
    "service_level": 30,
    "satisfaction": 10,
    "relationship": 10,
    "shared_vision": 10,
    "innovation": 10,
}


def _url(name: str, world: World) -> str:
    return reverse(f"relationships:{name}", kwargs={"pk": world.agreement.pk})


def _text(response: Any) -> str:
    return str(html.unescape(response.content.decode()))


def _profile_post(version: int, weights: dict[str, int] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"weight_{key}": value for key, value in (weights or CUSTOM_WEIGHTS).items()
    }
    data.update(
        cadence_strategic="quarterly",
        cadence_tactical="monthly",
        cadence_operational="weekly",
        innovation="proactive",
        ideas_per_quarter="4",
        health_check="semiannual",
        version=str(version),
    )
    return data


@pytest.fixture
def owner(world: World, client_for: Any) -> Client:
    """The customer's owner, reading in English (the messages are asserted in English)."""
    world.customer_owner.language = "en"
    world.customer_owner.save()
    client: Client = client_for(world.customer_owner)
    return client


@pytest.fixture
def answered(world: World) -> World:
    relationship_answer(
        agreement=world.agreement, actor=None, answers=FRONTIER_ANSWERS, language="sv"
    )
    return world


def test_page_without_a_type_invites_to_the_questionnaire(world: World, owner: Client) -> None:
    response = owner.get(_url("detail", world))
    assert response.status_code == 200
    assert 'href="#questionnaire"' in response.content.decode()
    assert _url("questionnaire", world) in response.content.decode()
    # Reading the page writes nothing.
    assert not Relationship.objects.filter(agreement=world.agreement).exists()


def test_questionnaire_answers_show_the_recommendation_with_reasons(
    world: World, owner: Client
) -> None:
    response = owner.post(_url("questionnaire", world), FRONTIER_ANSWERS)
    assert response.status_code == 302
    assert response["Location"].endswith("#recommendation")
    relationship = relationship_of(world.agreement)
    assert relationship.answers == FRONTIER_ANSWERS
    assert relationship.recommended_type == "frontier"

    page = _text(owner.get(_url("detail", world)))
    expected = catalogue.recommend(FRONTIER_ANSWERS, "en")
    assert 'id="recommendation"' in page
    assert "Frontier Relationship" in page
    for reason in expected.reasons:
        assert reason.question in page
        assert reason.answer in page
        assert reason.why in page
    assert f'<td class="text-end sv-num">{expected.scores["frontier"]}</td>' in page


def test_unanswered_question_is_marked_and_the_other_answers_kept(
    world: World, owner: Client
) -> None:
    partial = {key: value for key, value in FRONTIER_ANSWERS.items() if key != "switching_cost"}
    response = owner.post(_url("questionnaire", world), partial)
    assert response.status_code == 200
    form = response.context["questionnaire_form"]
    assert list(form.errors) == ["switching_cost"]
    page = response.content.decode()
    assert 'id="id_switching_cost_error"' in page
    assert 'value="high" checked' in page  # the criticality answer is still chosen
    assert not Relationship.objects.filter(agreement=world.agreement).exists()


def test_questionnaire_speaks_the_users_language(world: World, client_for: Any) -> None:
    page = _text(client_for(world.customer_owner).get(_url("detail", world)))  # Swedish
    assert "Hur affärskritiska är tjänsterna i avtalet?" in page
    world.customer_owner.language = "en"
    world.customer_owner.save()
    page = _text(client_for(world.customer_owner).get(_url("detail", world)))
    assert "How business-critical are the services in the agreement?" in page
    assert "Hur affärskritiska" not in page


def test_choosing_another_type_than_recommended_needs_a_rationale(
    answered: World, owner: Client
) -> None:
    version = relationship_of(answered.agreement).version
    response = owner.post(
        _url("choose", answered), {"type": "utility", "rationale": "  ", "version": version}
    )
    assert response.status_code == 200
    form = response.context["choice_form"]
    assert "rationale" in form.errors
    page = response.content.decode()
    # The error sits next to the rationale field, and the chosen type is still selected.
    assert 'id="id_rationale_error"' in page
    assert 'value="utility" checked' in page
    assert relationship_of(answered.agreement).type == ""


def test_choosing_with_a_rationale_saves_it_and_applies_the_defaults(
    answered: World, owner: Client
) -> None:
    version = relationship_of(answered.agreement).version
    response = owner.post(
        _url("choose", answered),
        {"type": "utility", "rationale": "Standardtjänster räcker för oss.", "version": version},
    )
    assert response.status_code == 302
    relationship = relationship_of(answered.agreement)
    assert relationship.type == "utility"
    assert relationship.rationale == "Standardtjänster räcker för oss."
    defaults = catalogue.defaults("utility")
    assert relationship.scorecard_weights == defaults["scorecard_weights"]
    assert relationship.health_check == defaults["health_check"]

    page = _text(owner.get(_url("detail", answered)))
    assert "Standardtjänster räcker för oss." in page
    assert catalogue.type_info("utility", "en")["focus"] in page
    assert "The relationship type is now Utility Outsourcing" in page  # the message
    assert f'name="weight_price" value="{defaults["scorecard_weights"]["price"]}"' in page


def test_customised_profile_survives_a_type_change_and_defaults_can_be_applied(
    answered: World, owner: Client
) -> None:
    relationship, _ = relationship_set_type(
        agreement=answered.agreement, actor=None, type="frontier"
    )
    response = owner.post(_url("profile", answered), _profile_post(relationship.version))
    assert response.status_code == 302
    assert relationship_of(answered.agreement).scorecard_weights == CUSTOM_WEIGHTS

    version = relationship_of(answered.agreement).version
    response = owner.post(
        _url("choose", answered),
        {"type": "business_enhancement", "rationale": "Vi börjar försiktigt.", "version": version},
    )
    assert response.status_code == 302
    relationship = relationship_of(answered.agreement)
    assert relationship.type == "business_enhancement"
    assert relationship.scorecard_weights == CUSTOM_WEIGHTS

    page = _text(owner.get(_url("detail", answered)))
    assert "Your customised governance profile has been kept." in page
    assert "Apply the defaults of Business Enhancement" in page
    assert _url("apply_defaults", answered) in page

    response = owner.post(_url("apply_defaults", answered))
    assert response.status_code == 302
    relationship = relationship_of(answered.agreement)
    defaults = catalogue.defaults("business_enhancement")
    assert relationship.profile() == defaults
    page = _text(owner.get(_url("detail", answered)))
    assert "Apply the defaults of" not in page
    assert "The governance profile now has the defaults of Business Enhancement." in page


def test_weights_not_adding_up_to_100_are_refused_and_the_values_kept(
    answered: World, owner: Client
) -> None:
    relationship, _ = relationship_set_type(
        agreement=answered.agreement, actor=None, type="frontier"
    )
    weights = {**CUSTOM_WEIGHTS, "price": 25}  # 95 in all
    response = owner.post(_url("profile", answered), _profile_post(relationship.version, weights))
    assert response.status_code == 200
    page = _text(response)
    assert "The weights must add up to 100." in page
    assert 'id="weights-error"' in page
    assert 'name="weight_price" value="25"' in page
    assert '<output id="weights-total"' in page and ">95</output>" in page
    assert (
        relationship_of(answered.agreement).scorecard_weights
        == (catalogue.defaults("frontier")["scorecard_weights"])
    )


def test_stale_profile_edit_shows_the_message_and_keeps_the_values(
    answered: World, owner: Client
) -> None:
    relationship, _ = relationship_set_type(
        agreement=answered.agreement, actor=None, type="frontier"
    )
    stale_version = relationship.version
    # Someone else saves first.
    relationship_update_profile(
        agreement=answered.agreement,
        actor=answered.supplier_owner,
        version=stale_version,
        ideas_per_quarter=9,
    )
    response = owner.post(_url("profile", answered), _profile_post(stale_version))
    assert response.status_code == 200
    page = _text(response)
    assert "Someone else changed this while you were editing." in page
    assert 'name="weight_price" value="30"' in page
    assert 'name="ideas_per_quarter" value="4"' in page
    stored = relationship_of(answered.agreement)
    assert stored.ideas_per_quarter == 9
    assert stored.scorecard_weights == catalogue.defaults("frontier")["scorecard_weights"]


def test_stale_type_choice_keeps_the_rationale(answered: World, owner: Client) -> None:
    relationship_set_type(agreement=answered.agreement, actor=None, type="frontier", version=1)
    response = owner.post(
        _url("choose", answered),
        {"type": "utility", "rationale": "Vår egen motivering.", "version": 1},
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Someone else changed this while you were editing." in page
    assert "Vår egen motivering." in page
    assert relationship_of(answered.agreement).type == "frontier"


def test_viewer_sees_everything_read_only(answered: World, client_for: Any) -> None:
    relationship_set_type(agreement=answered.agreement, actor=None, type="frontier")
    response = client_for(answered.supplier_viewer).get(_url("detail", answered))
    assert response.status_code == 200
    page = _text(response)
    assert "Frontier Relationship" in page
    assert catalogue.recommend(FRONTIER_ANSWERS, "sv").reasons[0].why in page
    for name in ("questionnaire", "choose", "profile", "apply_defaults"):
        assert f'action="{_url(name, answered)}"' not in page
    assert 'type="radio"' not in page
    assert 'name="weight_price"' not in page


@pytest.mark.parametrize("name", ["questionnaire", "choose", "profile", "apply_defaults"])
def test_viewer_cannot_post(name: str, answered: World, client_for: Any) -> None:
    data = {**FRONTIER_ANSWERS, "type": "utility", "rationale": "x", "version": "1"}
    response = client_for(answered.supplier_viewer).post(_url(name, answered), data)
    assert response.status_code == 403
    assert relationship_of(answered.agreement).type == ""


@pytest.mark.parametrize("name", ["detail", "questionnaire", "choose", "profile", "apply_defaults"])
def test_outsider_gets_not_found(name: str, world: World, client_for: Any) -> None:
    client = client_for(world.other_supplier_user)
    response = client.get(_url(name, world)) if name == "detail" else client.post(_url(name, world))
    assert response.status_code == 404


def test_posts_only(world: World, owner: Client) -> None:
    assert owner.get(_url("choose", world)).status_code == 405


def test_anonymous_is_sent_to_sign_in(world: World, client_for: Any) -> None:
    response = client_for(None).get(_url("detail", world))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_swedish_page_keeps_the_seeds_english_names_with_swedish_words_beside_them(
    answered: World, client_for: Any
) -> None:
    """The seed names the types in English; a Swedish reader gets what they mean beside them."""
    page = _text(client_for(answered.customer_owner).get(_url("detail", answered)))
    for name, gloss in (
        ("Utility Outsourcing", "standardiserad tjänst till rätt pris"),
        ("Business Enhancement", "leverans som utvecklar verksamheten"),
        ("Frontier Relationship", "strategiskt partnerskap kring en gemensam vision"),
    ):
        assert name in page
        assert gloss in page
    recommended = page.split("Frontier Relationship", 1)[1][:200]
    assert "strategiskt partnerskap" in recommended
