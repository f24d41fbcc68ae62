"""``samverkan export`` and ``samverkan import`` on the command line."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.utils import translation

from samverkan.agreements.agreement_file import agreement_export
from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Role
from tests.collaboration.test_agreement_file import BARE, build_rich_model
from tests.conftest import World

MALFORMED = Path(__file__).resolve().parent / "malformed"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are checked in English (the default language is Swedish)."""
    with translation.override("en"):
        yield


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_writes_to_standard_output_by_default_and_with_dash(world: World) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    expected = agreement_export(world.agreement)
    assert _run("export", "DRIFT-2025", "--as", "karin@norrlandia.example") == expected
    assert _run("export", "drift-2025", "-o", "-", "--as", "KARIN@norrlandia.example") == expected


def test_export_to_a_file_then_replace_from_it(world: World, tmp_path: Path) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    target = tmp_path / "drift.yaml"
    message = _run("export", "DRIFT-2025", "-o", str(target), "--as", "karin@norrlandia.example")
    assert str(target) in message
    exported = target.read_text(encoding="utf-8")

    message = _run("import", str(target), "--replace", "--as", "karin@norrlandia.example")

    assert (
        "Imported DRIFT-2025 (objectives 3, roles 4, forums 3, processes 2, escalation 3)."
        in message
    )
    assert agreement_export(Agreement.objects.get(pk=world.agreement.pk)) == exported
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE, object_repr="Kundansvarig")
    assert created.order_by("pk").last().actor == world.customer_owner


def test_import_of_a_new_agreement(world: World, tmp_path: Path) -> None:
    source = tmp_path / "moln.yaml"
    source.write_text(BARE, encoding="utf-8")
    _run("import", str(source), "--as", "karin@norrlandia.example")
    agreement = Agreement.objects.get(reference="MOLN-2026")
    assert agreement.supplier.name == "Molnbro Digital AB"


def test_import_of_an_existing_reference_asks_for_replace(world: World, tmp_path: Path) -> None:
    source = tmp_path / "drift.yaml"
    source.write_text(agreement_export(world.agreement), encoding="utf-8")
    with pytest.raises(CommandError, match="--replace"):
        _run("import", str(source), "--as", "karin@norrlandia.example")


def test_malformed_file_fails_listing_every_problem_one_per_line(world: World) -> None:
    before = (Agreement.objects.count(), Role.objects.count())
    with pytest.raises(CommandError) as caught:
        _run("import", str(MALFORMED / "many_problems.yaml"), "--as", "karin@norrlandia.example")
    lines = str(caught.value).splitlines()
    assert "nothing was imported" in lines[0]
    assert [line.split(":", 1)[0] for line in lines[1:]] == [
        "agreement.value.amount",
        "roles[0].side",
        "forums[0].members[0]",
        "forums[0].cadence",
        "processes[0].owner",
        "escalation[0].resolve_within_days",
    ]
    assert (Agreement.objects.count(), Role.objects.count()) == before


def test_viewer_cannot_replace_and_outsider_cannot_export(world: World, tmp_path: Path) -> None:
    source = tmp_path / "drift.yaml"
    source.write_text(agreement_export(world.agreement), encoding="utf-8")
    with pytest.raises(CommandError, match="DRIFT-2025"):
        _run("import", str(source), "--replace", "--as", "lena@driftpartner.example")
    with pytest.raises(CommandError, match="No agreement DRIFT-2025"):
        _run("export", "DRIFT-2025", "--as", "sara@kodkraft.example")


def test_unknown_person_and_missing_file_fail_clearly(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"No active user with e-mail nobody@example\.com"):
        _run("export", "DRIFT-2025", "--as", "nobody@example.com")
    with pytest.raises(CommandError, match="Cannot read"):
        _run("import", str(tmp_path / "missing.yaml"), "--as", "karin@norrlandia.example")


@pytest.mark.parametrize("name", ["export", "import"])
def test_both_commands_explain_themselves_and_require_as(name: str) -> None:
    command = load_command_class("samverkan.agreements", name)
    parser = command.create_parser("samverkan", name)
    help_text = parser.format_help()
    assert "YAML" in help_text
    assert "--as EMAIL" in help_text
    with pytest.raises(CommandError, match="--as"):
        call_command(name, "x.yaml" if name == "import" else "REF")
