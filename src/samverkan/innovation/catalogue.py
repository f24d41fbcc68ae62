"""The default evaluation criteria, from ``innovation/data/criteria.yaml`` (checked at start)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from samverkan.lib.datafile import DataFileError, load_yaml, localized, require_languages

DATA = Path(__file__).resolve().parent / "data"


@cache
def _criteria() -> list[dict[str, Any]]:
    criteria = load_yaml(DATA / "criteria.yaml").get("criteria")
    if not isinstance(criteria, list) or not criteria:
        raise DataFileError("criteria.yaml: needs a list of criteria")
    for i, criterion in enumerate(criteria):
        require_languages(criterion.get("name"), f"criteria[{i}].name")
        if not isinstance(criterion.get("weight"), int):
            raise DataFileError(f"criteria[{i}].weight: a whole number")
    if sum(criterion["weight"] for criterion in criteria) != 100:
        raise DataFileError("criteria.yaml: the weights must add up to 100")
    return list(criteria)


def load() -> None:
    _criteria()


def default_criteria(language: str) -> list[dict[str, Any]]:
    """``[{key, name, weight}]`` in ``language``, in order."""
    return [
        {"key": c["key"], "name": localized(c["name"], language), "weight": c["weight"]}
        for c in _criteria()
    ]
