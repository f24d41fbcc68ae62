"""`samverkan health`: the results as a file, for someone who may see the agreement."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import World
from tests.health.conftest import RoundMaker

pytestmark = pytest.mark.django_db


def test_writes_the_newest_rounds_workbook(
    make_round: RoundMaker, world: World, tmp_path: Path
) -> None:
    make_round(customer=[4, 4, 4], supplier=[3, 3, 3], title="Våren 2026")
    make_round(customer=[5, 5, 5], supplier=[2, 2, 2], title="Hösten 2026")
    make_round(customer=[1], close=False, title="Våren 2027")  # open: no results yet
    out = tmp_path / "halsa.xlsx"
    call_command(
        "health",
        "DRIFT-2025",
        "--as",
        world.supplier_viewer.email,
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    book = openpyxl.load_workbook(BytesIO(out.read_bytes()))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Hösten 2026" in " ".join(cells)


def test_refuses_an_outsider_and_an_open_round(
    make_round: RoundMaker, world: World, tmp_path: Path
) -> None:
    make_round(customer=[4, 4, 4], close=False)
    outsider = world.other_supplier_user.email
    refusal = re.escape(f"No agreement DRIFT-2025 that {outsider} may see.")
    with pytest.raises(CommandError, match=f"^{refusal}$"):
        call_command("health", "DRIFT-2025", "--as", outsider)
    with pytest.raises(CommandError, match=r"^DRIFT-2025 has no round 7\.$"):
        call_command("health", "DRIFT-2025", "--as", world.customer_owner.email, "--number", "7")
    with pytest.raises(CommandError, match="no round with results"):
        call_command("health", "DRIFT-2025", "--as", world.customer_owner.email)
    with pytest.raises(CommandError, match="results are shown when it closes"):
        call_command("health", "DRIFT-2025", "--as", world.customer_owner.email, "--number", "1")
