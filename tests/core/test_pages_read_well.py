"""Every page a signed-in person can open reads as written, in Swedish: no placeholders.

Walks the GET rows of the access matrix as the customer's owner and the
supplier's viewer, so a new page is covered as soon as it has its row.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests import test_access_matrix
from tests.conftest import World
from tests.test_access_matrix import PERSONAS, ROWS, Row

matrix_world = test_access_matrix.matrix_world  # the access matrix's agreement, model and round

PAGES = [
    row
    for row in ROWS
    if row.method == "get" and not row.name.startswith("api") and row.name != "api_not_found"
]


def _pages_of(row: Row, persona: str, world: World, client_for: Any) -> str | None:
    if row.expect[PERSONAS.index(persona)] != 200:
        return None
    response = client_for(getattr(world, persona)).get(
        reverse(row.name, kwargs=row.kwargs(world)), data=row.data(world) or None
    )
    if not response["Content-Type"].startswith("text/html"):
        return None
    return str(response.content.decode())


@pytest.mark.parametrize("persona", ["customer_owner", "supplier_viewer"])
@pytest.mark.parametrize("row", PAGES, ids=[row.name for row in PAGES])
def test_no_page_shows_an_empty_choice_as_dashes_or_eats_angle_brackets(
    row: Row, persona: str, matrix_world: World, client_for: Any
) -> None:
    body = _pages_of(row, persona, matrix_world, client_for)
    if body is None:
        return
    assert "---------" not in body, "an empty choice reads '---------': say 'Välj …'"
    assert "foretag.se>" not in body, "help text with <e-mail> must be escaped, not eaten"


@pytest.mark.parametrize("kind", ["roles", "forums", "processes"])
def test_model_forms_say_choose_not_dashes(kind: str, matrix_world: World, client_for: Any) -> None:
    client = client_for(matrix_world.customer_owner)
    add = reverse("collaboration:part_add", kwargs={"pk": matrix_world.agreement.pk, "kind": kind})
    body = client.get(add).content.decode()
    assert "---------" not in body
    if kind != "roles":
        assert "Välj …" in body
    else:
        assert "t.ex. ”Anna Svensson &lt;anna@foretag.se&gt;”" in body
