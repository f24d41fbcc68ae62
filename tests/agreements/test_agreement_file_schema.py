"""The agreement file as composed schemas: the published JSON Schema, the problems in the
person's words and language, and the reader's refusals of hostile input."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from samverkan.accounts.models import User
from samverkan.agreements.access import agreement_by_reference_for
from samverkan.agreements.agreement_file import (
    AgreementFileError,
    agreement_export,
    agreement_file_problems,
    agreement_file_schema,
    agreement_import,
    yaml_load,
)
from samverkan.core import demo, registry
from tests.conftest import World

MALFORMED = Path(__file__).resolve().parents[1] / "collaboration" / "malformed"
DEMOS = ["DEMO-UTILITY", "DEMO-ENHANCEMENT", "DEMO-FRONTIER"]
NEW = """\
samverkan: 1
agreement:
  reference: NY-2026
  title: Ny förvaltning
  customer: Norrlandia Försäkring AB
  supplier: Helt Ny Leverantör AB
"""


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _schema_from_command() -> dict[str, Any]:
    out = StringIO()
    call_command("schema", stdout=out)
    schema: dict[str, Any] = json.loads(out.getvalue())
    return schema


def _schema_served() -> dict[str, Any]:
    response = Client().get("/api/v1/agreement-file.schema.json")  # no sign-in, no token
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    schema: dict[str, Any] = response.json()
    return schema


def _errors(schema: dict[str, Any], text: str) -> list[str]:
    data, problems = yaml_load(text)  # dates stay text, as a YAML language server reads them
    assert problems == []
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(data)
    ]


# The published schema ----------------------------------------------------------------------


def test_the_command_and_the_api_publish_the_same_valid_json_schema(db: None) -> None:
    schema = _schema_from_command()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == _schema_served() == agreement_file_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(schema["properties"]) == [
        "samverkan",
        "agreement",
        "relationship",
        "objectives",
        "roles",
        "forums",
        "processes",
        "escalation",
        "innovation",
    ]
    assert schema["required"] == ["samverkan", "agreement"]
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("reference", DEMOS)
def test_each_demo_export_validates_against_the_published_schema(db: None, reference: str) -> None:
    demo.load()
    karin = User.objects.get(email="kund@example.com")
    text = agreement_export(agreement_by_reference_for(karin, reference).agreement)
    assert _errors(_schema_from_command(), text) == []
    assert _errors(_schema_served(), text) == []


def test_the_schema_states_the_limits_and_the_choices(db: None) -> None:
    schema = agreement_file_schema()
    defs = schema["$defs"]
    role = defs["RoleEntry"]["properties"]
    assert role["name"]["maxLength"] == 120
    assert role["level"]["enum"] == ["strategic", "tactical", "operational"]
    assert role["responsibilities"]["maxItems"] == 50
    assert role["responsibilities"]["items"]["maxLength"] == 500
    assert schema["properties"]["roles"]["anyOf"][0]["maxItems"] == 200
    steps = defs["EscalationStep"]["properties"]["resolve_within_days"]
    assert (steps["minimum"], steps["maximum"]) == (1, 365)
    assert defs["AgreementModel"]["properties"]["reference"]["maxLength"] == 50


@pytest.mark.parametrize(
    "name",
    ["bad_level", "bad_raci_letter", "roles_not_a_list", "unknown_top_level_key", "version_2"],
)
def test_the_schema_refuses_what_the_reader_refuses(db: None, name: str) -> None:
    text = (MALFORMED / f"{name}.yaml").read_text(encoding="utf-8")
    assert agreement_file_problems(text)
    assert _errors(agreement_file_schema(), text)


def test_samverkan_schema_writes_a_file(db: None, tmp_path: Path) -> None:
    target = tmp_path / "agreement-file.schema.json"
    out = StringIO()
    call_command("schema", "-o", str(target), stdout=out)
    assert str(target) in out.getvalue()
    assert json.loads(target.read_text(encoding="utf-8")) == agreement_file_schema()


# Composition ----------------------------------------------------------------------------------


def test_the_sections_come_from_the_registry_in_order() -> None:
    sections = registry.file_sections()
    assert [(section.key, section.keys) for section in sections] == [
        ("relationship", ("relationship",)),
        ("collaboration", ("objectives", "roles", "forums", "processes", "escalation")),
        ("innovation", ("innovation",)),
    ]


# Problems in the person's words --------------------------------------------------------------

HOSTILE = """\
samverkan: 1
agreement:
  reference: X
  title: 5
  customer: A AB
  supplier: B AB
  end: 17
  value: {amount: .nan, currency: SEK}
roles:
  - {key: A B, name: [x], side: [], level: {}, orientation: it, holders: 5}
forums:
  - {key: f, name: F, level: tactical, members: {a: 1}, mandate: [{decision: budget, limit: "5"}]}
escalation: [{forum: f, resolve_within_days: yes}]
"""


def test_no_problem_shows_pydantics_own_words_or_the_input(db: None) -> None:
    problems = agreement_file_problems(HOSTILE)
    assert len(problems) >= 10
    text = "\n".join(problems)
    for leak in ("Input should", "pydantic", "http", "input_value", "type=", "Value error"):
        assert leak not in text
    assert "roles[0].level: must be one of strategic, tactical, operational" in problems
    assert "escalation[0].resolve_within_days: must be a whole number" in problems


def test_problems_are_in_the_persons_language(db: None) -> None:
    text = NEW + "roles:\n  - {key: cio, name: CIO, side: customer, level: high, orientation: it}\n"
    with translation.override("sv"):
        problems = agreement_file_problems(text + "colour: blue\n")
    assert problems[0].startswith("colour: okänd nyckel")
    assert "roles[0].level: måste vara något av strategic, tactical, operational" in problems


# The reader's refusals -----------------------------------------------------------------------


@override_settings(API_MAX_BODY_BYTES=2_000)
def test_an_oversized_file_is_refused_before_it_is_read(world: World) -> None:
    text = NEW + "objectives:\n" + "".join(f"  - Mål {i}\n" for i in range(200))
    with pytest.raises(AgreementFileError) as caught:
        agreement_import(text, actor=world.customer_owner)
    assert caught.value.problems == ["file: is larger than 2000 bytes"]


def test_an_alias_bomb_is_refused_quickly(world: World) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = "\n".join(f"  {line}" for line in lines)
    text = NEW + "  description: hej\nrelationship:\n  profile:\n" + bomb + "\nobjectives: *a8\n"
    started = time.perf_counter()
    with pytest.raises(AgreementFileError) as caught:
        agreement_import(text, actor=world.customer_owner)
    assert time.perf_counter() - started < 2
    assert any(problem.startswith("objectives[0]: ") for problem in caught.value.problems)


def test_tags_are_refused_with_their_place(db: None) -> None:
    problems = agreement_file_problems(NEW + "objectives: [!!python/object:os.system x]\n")
    assert len(problems) == 1
    assert problems[0].startswith("line 7, column 14:")
