"""The small behaviours of samverkan.js, under the Content-Security-Policy (no inline script)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.relationships.services import relationship_set_type
from tests.e2e.test_participants_browser import sign_in_to

pytestmark = pytest.mark.browser


def test_profile_weights_add_up_as_they_are_typed(
    page: Page, live_server: Any, live_world: Any
) -> None:
    relationship_set_type(agreement=live_world.agreement, actor=None, type="frontier")
    path = f"/agreements/{live_world.agreement.pk}/relationship/"
    sign_in_to(page, live_server.url, live_world.customer_owner.email, path)
    total = page.locator("#weights-total")
    expect(total).to_have_text("100")
    first = page.locator("#profile-weights input[type=number]").first
    first.fill(str(int(first.input_value()) + 7))
    expect(total).to_have_text("107")
    expect(page.locator("#weights-total-line")).to_have_class(
        "mb-0 fw-semibold sv-weight-total text-danger"
    )
    first.fill(str(int(first.input_value()) - 7))
    expect(total).to_have_text("100")


def test_a_new_api_token_is_selected_when_focused(
    page: Page, live_server: Any, live_world: Any
) -> None:
    sign_in_to(page, live_server.url, live_world.customer_owner.email, "/accounts/tokens/")
    page.get_by_role("textbox", name="Namn").fill("Rapportskript")
    page.get_by_role("button", name="Skapa nyckel").click()
    token = page.locator("#new-token")
    token.focus()
    selected = page.evaluate("window.getSelection().toString() || document.activeElement.value")
    assert selected.startswith("svk_")
    assert page.evaluate(
        "document.activeElement.selectionEnd - document.activeElement.selectionStart"
    ) == len(token.input_value())
