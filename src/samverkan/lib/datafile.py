"""Reading the versioned data files the product ships (YAML, in both languages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("sv", "en")


class DataFileError(ValueError):
    """A shipped data file is malformed; raised at start-up so it is never met by a user."""


def load_yaml(path: Path, *, version: int = 1) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or data.get("version") != version:
        raise DataFileError(f"{path.name}: expected a mapping with version: {version}")
    return data


def localized(value: Any, language: str) -> Any:
    """Pick the language's text from ``{sv: …, en: …}``; English when the language is missing."""
    if isinstance(value, dict) and set(value) <= set(LANGUAGES):
        return value.get(language, value.get("en"))
    return value


def require_languages(value: Any, where: str) -> None:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES) or not all(value.values()):
        # A comma inside an unquoted flow mapping splits the text: quote such texts.
        raise DataFileError(f"{where}: needs exactly sv and en, each a text")
