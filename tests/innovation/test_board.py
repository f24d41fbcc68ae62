"""The ideas board and the register's export as people use them: cards in their columns
with only the moves the person may make, moves through the same rules as the idea's
page (one stage at a time, a reason for decisions, the mandate named, decisions by the
customer's side), a query count that does not grow with the ideas; the Excel export
filtered as the list is, and ``samverkan ideas`` writing the same register."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samverkan.innovation.models import Idea, IdeaStep
from tests.conftest import World
from tests.innovation.test_ideas import idea_world_fixture, move, propose  # noqa: F401

pytestmark = pytest.mark.django_db


def _board(w: World) -> str:
    return reverse("innovation:board", args=[w.agreement.pk])


def _move(w: World, idea: Idea) -> str:
    return reverse("innovation:board_move", args=[w.agreement.pk, idea.number])


def _column(text: str, key: str) -> str:
    start = text.index(f'data-sv-column="{key}"')
    end = text.find("data-sv-column=", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_the_board_shows_each_idea_in_its_column_with_its_moves(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    proposed = propose(w, title="Automatisera prisändringar")
    parked = propose(w, actor=w.customer_owner, title="Mentorprogram", area="employees")
    move(parked, w.customer_owner, "evaluation")
    move(parked, w.customer_owner, "parked", "Inte nu.")
    text = client_for(w.customer_owner).get(_board(w)).content.decode()
    assert "Automatisera prisändringar" in _column(text, "proposed")
    decided = _column(text, "decided")
    assert "Mentorprogram" in decided and "Parkerad" in decided
    assert f'action="{_move(w, proposed)}"' in text and 'value="evaluation"' in text
    assert "Norrlandia" in text or w.agreement.customer.name in text
    # The supplier may move the idea on but records no decision.
    under = propose(w, title="Övervakning av certifikat", area="infrastructure")
    move(under, w.supplier_owner, "evaluation")
    supplier = client_for(w.supplier_owner).get(_board(w)).content.decode()
    assert "Registrera beslutet" not in supplier
    assert "Registrera beslutet" in client_for(w.customer_owner).get(_board(w)).content.decode()
    viewer = client_for(w.supplier_viewer).get(_board(w)).content.decode()
    assert "board_move" not in viewer and "/move/" not in viewer and "draggable" not in viewer


def test_moves_on_the_board_keep_every_rule_of_the_pipeline(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w, cost=400000)
    customer = client_for(w.customer_owner)
    moved = customer.post(_move(w, idea), {"to": "evaluation", "version": idea.version})
    assert moved.status_code == 302 and moved["Location"].endswith(f"#idea-{idea.number}")
    idea.refresh_from_db()
    assert idea.stage == "evaluation"
    # A stale version (the card was moved by someone else) is refused.
    stale = customer.post(_move(w, idea), {"to": "approved", "reason": "Ja.", "version": 0})
    assert stale.status_code == 200 and 'id="refusal"' in stale.content.decode()
    assert "Någon annan ändrade detta" in stale.content.decode()
    # No reason: refused, the form open again.
    refused = customer.post(_move(w, idea), {"to": "rejected", "version": idea.version})
    text = refused.content.decode()
    assert refused.status_code == 200 and 'id="refusal"' in text and "skäl" in text
    assert "<details" in text and " open>" in text
    # Above the council's mandate: refused with the limit named, the reason kept.
    refused = customer.post(
        _move(w, idea), {"to": "approved", "reason": "Stor nytta.", "version": idea.version}
    )
    text = refused.content.decode()
    assert "250\xa0000\xa0kr" in text and "Stor nytta." in text
    idea.refresh_from_db()
    assert idea.stage == "evaluation"
    # Skipping a stage is refused naming the allowed ones.
    skipped = customer.post(_move(w, idea), {"to": "implemented", "version": idea.version})
    assert "ett steg i taget" in skipped.content.decode()
    # The supplier records no decision.
    supplier = client_for(w.supplier_owner)
    denied = supplier.post(_move(w, idea), {"to": "parked", "reason": "X", "version": idea.version})
    assert denied.status_code == 403
    # A viewer moves nothing; garbage is refused.
    viewer = client_for(w.supplier_viewer)
    assert viewer.post(_move(w, idea), {"to": "parked", "version": idea.version}).status_code == 403
    assert 'id="refusal"' in customer.post(_move(w, idea), {"to": "nowhere"}).content.decode()
    assert IdeaStep.objects.filter(idea=idea).count() == 1


def test_the_boards_query_count_is_the_same_for_10_and_200_ideas(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    client = client_for(w.customer_owner)

    def count(n: int) -> int:
        while Idea.objects.filter(agreement=w.agreement).count() < n:
            idea = propose(w)
            if idea.number % 3 == 0:
                move(idea, w.customer_owner, "evaluation")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_board(w)).status_code == 200
        return len(queries)

    assert count(10) == count(200)


def _rows(data: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_the_register_exports_to_excel_filtered_like_the_list(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    propose(w, title="=SUMMA(A1)", cost=120000)
    other = propose(w, actor=w.customer_owner, title="Mentorprogram", area="employees")
    move(other, w.customer_owner, "evaluation")
    url = reverse("innovation:ideas_export", args=[w.agreement.pk])
    client = client_for(w.supplier_viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "idearegister.xlsx" in response["Content-Disposition"]
    rows = _rows(response.content)
    assert rows[0][:5] == ("#", "Titel", "Område", "Sida", "Steg")
    assert [row[1] for row in rows[1:]] == ["=SUMMA(A1)", "Mentorprogram"]  # text, not formula
    assert rows[1][13] == 120000  # the estimated cost
    measured = propose(w, title="Snabbspår för glasskador")
    for to in ("evaluation", "approved", "implementation", "implemented", "measured"):
        move(measured, w.customer_owner, to, "Ryms i mandatet.")
    rows = _rows(client.get(url).content)
    assert rows[0][10:12] == ("Realiserad effekt", "Mätt den")
    assert rows[3][1] == "Snabbspår för glasskador" and rows[3][10] == 35
    assert rows[3][11].date() == timezone.localdate()
    only = _rows(client.get(url, {"area": "employees", "stage": "evaluation"}).content)
    assert [row[1] for row in only[1:]] == ["Mentorprogram"]
    listed = client.get(reverse("innovation:ideas", args=[w.agreement.pk]), {"area": "employees"})
    assert f'href="{url}?area=employees"' in listed.content.decode()


def test_the_ideas_command_writes_the_same_register(idea_world: World, tmp_path: Path) -> None:
    w = idea_world
    propose(w, title="Automatisera prisändringar")
    propose(w, actor=w.customer_owner, title="Mentorprogram", area="employees")
    target = tmp_path / "ideer.xlsx"
    call_command("ideas", w.agreement.reference, "--as", w.supplier_viewer.email, "-o", str(target))
    rows = _rows(target.read_bytes())
    assert [row[1] for row in rows[1:]] == ["Automatisera prisändringar", "Mentorprogram"]
    call_command(
        "ideas",
        w.agreement.reference,
        "--as",
        w.supplier_viewer.email,
        "--area",
        "employees",
        "-o",
        str(target),
    )
    assert [row[1] for row in _rows(target.read_bytes())[1:]] == ["Mentorprogram"]
    with pytest.raises(CommandError, match="No agreement"):
        call_command("ideas", w.agreement.reference, "--as", w.other_supplier_user.email)
