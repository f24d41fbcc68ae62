"""Security headers on every answer: a strict Content-Security-Policy and no caching of data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from samverkan.collaboration.services import model_seed
from tests.agreements.test_api import Api
from tests.conftest import World

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "samverkan"


def _policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_pages_carry_a_policy_without_inline_script_or_eval(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).get(
        reverse("agreements:detail", kwargs={"pk": world.agreement.pk})
    )
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("agreements:detail", kwargs={"pk": w.agreement.pk}),
        lambda w: reverse("collaboration:file", kwargs={"pk": w.agreement.pk}),
        lambda w: reverse("accounts:login"),
    ],
    ids=["page", "export", "sign-in"],
)
def test_pages_and_exports_are_never_stored(world: World, client_for: Any, url: Any) -> None:
    model_seed(agreement=world.agreement)
    response = client_for(world.customer_owner).get(url(world))
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_api_answers_are_never_stored(world: World) -> None:
    response = Api(world.customer_owner).get(f"/api/v1/agreements/{world.agreement.pk}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_no_template_has_an_inline_script_or_an_event_handler_attribute() -> None:
    """The policy forbids them, so a page using one would silently lose that behaviour."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.name}: {tag}")
        offenders += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        offenders += [f"{template.name}: hx-on" for m in re.findall(r"\shx-on", text)]
        if re.search(r"hx-trigger=\"[^\"]*\[", text):
            offenders.append(f"{template.name}: an hx-trigger filter needs eval")
    assert offenders == []
