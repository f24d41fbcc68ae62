"""Decision types and the starter model (standard roles, forum and process templates).

From the documented data files in ``collaboration/data/``, validated at start-up.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from samverkan.lib.datafile import DataFileError, load_yaml, localized, require_languages

DATA = Path(__file__).resolve().parent / "data"


@cache
def _decision_types() -> dict[str, Any]:
    types = load_yaml(DATA / "decision_types.yaml").get("decision_types", {})
    for key, spec in types.items():
        require_languages(spec.get("name"), f"decision_types.{key}.name")
    return dict(types)


@cache
def _starter() -> dict[str, Any]:
    data = load_yaml(DATA / "starter_model.yaml")
    role_keys = {role["key"] for role in data["roles"]}
    for kind in ("roles", "forums", "processes"):
        for i, item in enumerate(data[kind]):
            require_languages(item.get("name"), f"{kind}[{i}].name")
            for field, value in item.items():
                if isinstance(value, dict) and isinstance(value.get("sv"), list):
                    require_languages(value, f"{kind}[{i}].{field}")
                    if len(value["sv"]) != len(value["en"]):
                        raise DataFileError(
                            f"{kind}[{i}].{field}: sv and en lists differ in length"
                        )
    for i, forum in enumerate(data["forums"]):
        for entry in forum.get("mandate", []):
            if entry["decision"] not in _decision_types():
                raise DataFileError(f"forums[{i}].mandate: unknown decision {entry['decision']}")
    for i, process in enumerate(data["processes"]):
        unknown = ({process["owner"]} | set(process.get("raci", {}))) - role_keys
        if unknown:
            raise DataFileError(f"processes[{i}]: unknown roles {sorted(unknown)}")
    return data


def load() -> None:
    _decision_types()
    _starter()


def decision_keys() -> list[str]:
    return list(_decision_types())


def decision_types(language: str) -> list[dict[str, str]]:
    return [
        {
            "key": key,
            "name": localized(spec["name"], language),
            "description": localized(spec["description"], language),
        }
        for key, spec in _decision_types().items()
    ]


def decision_name(key: str, language: str) -> str:
    spec = _decision_types().get(key)
    return str(localized(spec["name"], language)) if spec else key


def _localize(item: dict[str, Any], language: str) -> dict[str, Any]:
    return {key: localized(value, language) for key, value in item.items()}


def starter_roles(language: str) -> list[dict[str, Any]]:
    return [_localize(role, language) for role in _starter()["roles"]]


def forum_templates(language: str) -> list[dict[str, Any]]:
    return [_localize(forum, language) for forum in _starter()["forums"]]


def process_templates(language: str) -> list[dict[str, Any]]:
    return [_localize(process, language) for process in _starter()["processes"]]
