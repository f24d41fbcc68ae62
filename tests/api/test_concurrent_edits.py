"""A list's version is the version of the very list the API answers with.

Found by ``bench/bench_concurrency.py`` (16 writers, 20 s): one acknowledged
objectives write in about a thousand was lost. ``GET …/model`` read the
objectives and then, in another query, their version; an edit committed in
between paired the old list with the new version, and a client that sent the
list back with that version overwrote the edit without a 409. ``PUT
…/objectives`` (and ``…/escalation``) answered its list and then read the
version afresh, with the same gap. Each test below puts a colleague's save in
that gap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from samverkan.collaboration import api as collaboration_api
from samverkan.collaboration import services
from tests.agreements.test_api import Api
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _put(api: Api, path: str, data: object) -> Any:
    return api.client.put(path, data=json.dumps(data), content_type="application/json")


def _texts(world: World) -> list[str]:
    return list(world.agreement.objectives.values_list("text", flat=True))


def _after(function: Callable[..., Any], then: Callable[[], None]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        then()
        return result

    return wrapped


def test_a_model_read_pairs_the_objectives_with_their_own_version(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.objectives_set(agreement=world.agreement, actor=None, texts=["Stabil drift"])
    colleague = ["Stabil drift", "Kortare ledtider"]
    monkeypatch.setattr(
        collaboration_api.selectors,
        "collaboration_model",
        _after(
            collaboration_api.selectors.collaboration_model,
            lambda: services.objectives_set(agreement=world.agreement, actor=None, texts=colleague),
        ),
    )
    api = Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}"
    read = api.get(f"{path}/model").json()
    monkeypatch.undo()
    assert read["objectives"] == ["Stabil drift"]
    mine = {"version": read["objectives_version"], "objectives": [*read["objectives"], "Mitt mål"]}
    answer = _put(api, f"{path}/objectives", mine)
    assert answer.status_code == 409, answer.content[:200]
    assert _texts(world) == colleague


def test_a_model_read_pairs_the_escalation_with_its_own_version(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    forums = [
        services.forum_create(agreement=world.agreement, actor=None, name=name, level=level)
        for name, level in (("Driftmöte", "operational"), ("Styrgrupp", "strategic"))
    ]
    services.escalation_set(agreement=world.agreement, actor=None, steps=[(forums[0], 5)])
    monkeypatch.setattr(
        collaboration_api.selectors,
        "collaboration_model",
        _after(
            collaboration_api.selectors.collaboration_model,
            lambda: services.escalation_set(
                agreement=world.agreement, actor=None, steps=[(forums[0], 5), (forums[1], 20)]
            ),
        ),
    )
    api = Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}"
    read = api.get(f"{path}/model").json()
    monkeypatch.undo()
    assert read["escalation"] == [{"forum_id": forums[0].pk, "resolve_within_days": 5}]
    mine = {"version": read["escalation_version"], "steps": read["escalation"]}
    mine["steps"][0]["resolve_within_days"] = 7
    answer = _put(api, f"{path}/escalation", mine)
    assert answer.status_code == 409, answer.content[:200]
    assert world.agreement.escalation_steps.count() == 2


def test_an_objectives_answer_carries_the_version_of_what_it_wrote(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.objectives_set(agreement=world.agreement, actor=None, texts=["Stabil drift"])
    api = Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}"
    read = api.get(f"{path}/model").json()
    colleague = ["Kortare ledtider"]
    save = services.objectives_set
    monkeypatch.setattr(
        services,
        "objectives_set",
        _after(save, lambda: save(agreement=world.agreement, actor=None, texts=colleague)),
    )
    mine = {"version": read["objectives_version"], "objectives": ["Stabil drift", "Mitt mål"]}
    written = _put(api, f"{path}/objectives", mine).json()
    monkeypatch.undo()
    assert written["objectives"] == ["Stabil drift", "Mitt mål"]
    again = {"version": written["version"], "objectives": [*written["objectives"], "Ett till"]}
    answer = _put(api, f"{path}/objectives", again)
    assert answer.status_code == 409, answer.content[:200]
    assert _texts(world) == colleague
