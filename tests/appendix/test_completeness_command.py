"""``samverkan check REF --as EMAIL``: the appendix completeness check on the command line,
while ``samverkan check`` without ``--as`` stays Django's system check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.utils import translation

from samverkan.appendix import completeness
from samverkan.core import demo
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The command's own messages are asserted in English."""
    with translation.override("en"):
        yield


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, no_color=True)
    return out.getvalue()


def _run_failing(*args: str) -> tuple[str, CommandError]:
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=out, no_color=True)
    return out.getvalue(), raised.value


def test_demo_frontier_passes_and_prints_a_tick_per_rule(db: None) -> None:
    demo.load()
    output = _run("check", "DEMO-FRONTIER", "--as", "kund@example.com", "--lang", "en")
    lines = output.splitlines()
    assert lines[0] == "DEMO-FRONTIER — Digital kundplattform – gemensam utveckling"
    ticks = [line for line in lines if line.startswith("✓ ")]
    assert len(ticks) == len(completeness.rules("en"))
    assert "✓          Every role has responsibilities" in lines
    assert "✓          Every role has a holder" in lines
    assert lines[-1] == "18 of 18 rules met · errors: 0 · warnings: 0"  # with innovation-framework


def test_the_report_speaks_the_persons_language_by_default(db: None) -> None:
    demo.load()  # Karin's language is Swedish
    output = _run("check", "demo-frontier", "--as", "KUND@example.com")
    assert "✓          Varje roll har ansvar" in output
    assert "18 av 18 regler uppfyllda" in output


def test_an_empty_model_lists_every_rule_as_failing_and_exits_non_zero(world: World) -> None:
    output, error = _run_failing(
        "check", "DRIFT-2025", "--as", "karin@norrlandia.example", "--lang", "en"
    )
    crosses = [line for line in output.splitlines() if line.startswith("✗ ")]
    assert len(crosses) == len(completeness.rules("en"))
    assert (
        "✗ error    The four standard roles are present — Strategic partner, Business developer, IT supplier, IT entrepreneur"
        in crosses
    )
    assert "✗ warning  Every role has a holder — No roles are described." in crosses
    assert error.returncode == 1
    assert str(error) == "The appendix of DRIFT-2025 fails 15 error rules."


def test_failing_warnings_alone_pass_unless_the_fail_level_is_warning(db: None) -> None:
    demo.load()  # DEMO-ENHANCEMENT: roles without holders, nothing else
    output = _run("check", "DEMO-ENHANCEMENT", "--as", "kund@example.com", "--lang", "en")
    assert "✗ warning  Every role has a holder — IT-entreprenör, IT-arkitekt" in output
    _, error = _run_failing(
        "check", "DEMO-ENHANCEMENT", "--as", "kund@example.com", "--fail-level", "WARNING"
    )
    assert str(error) == "The appendix of DEMO-ENHANCEMENT fails 1 rule."


def test_json_output_carries_every_finding(world: World) -> None:
    output, _ = _run_failing(
        "check", "DRIFT-2025", "--as", "peter@driftpartner.example", "--format", "json"
    )
    report = json.loads(output)
    assert report["reference"] == "DRIFT-2025"
    assert report["complete"] is False
    assert {f["rule_id"] for f in report["findings"]} == {r.id for r in completeness.rules("sv")}
    assert all(f["passed"] is False and f["details"] for f in report["findings"])


def test_an_outsider_is_told_the_agreement_is_not_found(world: World) -> None:
    _, error = _run_failing("check", "DRIFT-2025", "--as", "sara@kodkraft.example")
    assert str(error) == "No agreement DRIFT-2025 that sara@kodkraft.example may see."


def test_an_unknown_person_is_refused(world: World) -> None:
    _, error = _run_failing("check", "DRIFT-2025", "--as", "nobody@example.com")
    assert str(error) == "No active user with e-mail nobody@example.com."


def test_a_reference_without_as_explains_how_to_check_an_agreement(world: World) -> None:
    _, error = _run_failing("check", "DRIFT-2025")
    assert "add --as EMAIL" in str(error)


def test_system_check_options_do_not_mix_with_an_agreement(world: World) -> None:
    _, error = _run_failing("check", "DRIFT-2025", "--as", "karin@norrlandia.example", "--deploy")
    assert "--deploy applies to the system checks" in str(error)
    _, error = _run_failing("check", "--as", "karin@norrlandia.example")
    assert "one agreement reference" in str(error)


# Django's system check is unchanged ------------------------------------------------------


def test_without_a_reference_it_is_djangos_system_check(db: None) -> None:
    assert "System check identified no issues" in _run("check")
    assert "System check identified no issues" in _run("check", "accounts", "agreements")
    assert "security" in _run("check", "--list-tags", "--deploy").split()


def test_check_deploy_still_runs_the_deployment_checks(db: None, settings: Any) -> None:
    settings.DEBUG = True
    out = StringIO()
    with pytest.raises(SystemCheckError, match=r"security\.W018"):
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=out, stderr=out)
