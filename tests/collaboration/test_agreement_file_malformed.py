"""Each malformed file in ``malformed/`` is refused with a clear problem and changes nothing.

A file names the paths its problems must start with in ``# expect: PATH`` lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from samverkan.accounts.models import Organisation
from samverkan.agreements.agreement_file import (
    AgreementFileError,
    agreement_file_problems,
    agreement_import,
)
from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Forum, Objective, Process, Role
from samverkan.relationships.models import Relationship
from tests.conftest import World

MALFORMED = Path(__file__).resolve().parent / "malformed"
FILES = sorted(MALFORMED.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are checked in English (the default language is Swedish)."""
    with translation.override("en"):
        yield


def _expected(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect:").strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect:")
    ]


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Agreement, Organisation, Role, Forum, Process, Objective, Relationship)
    }


def test_the_folder_holds_enough_files() -> None:
    assert len(FILES) >= 12
    assert all(_expected(path) for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_malformed_file_is_refused_naming_the_path_and_changes_nothing(
    world: World, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    before = _counts()

    with pytest.raises(AgreementFileError) as caught:
        agreement_import(text, actor=world.customer_owner, replace=True)

    problems = caught.value.problems
    for expected in _expected(path):
        assert any(
            problem.startswith(f"{expected}:") or problem.startswith(f"{expected} ")
            for problem in problems
        ), f"{path.name}: no problem at {expected!r} in {problems}"
    assert all(": " in problem for problem in problems)
    assert agreement_file_problems(text) == problems
    assert _counts() == before
