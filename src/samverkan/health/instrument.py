"""The relationship health survey (the instrument) and the intervention playbook.

Both are documented data files in ``health/data/``: ``instrument.yaml`` (the
dimensions, the mirror and relationship statements, the 0–10 recommendation
question and the free-text questions) and ``playbook.yaml`` (interventions per
phase and per weak dimension). ``load()`` validates them once and raises
``DataFileError`` naming the offending entry; call it at start-up so a broken
file never reaches a user.

What a caller may rely on once ``load()`` has passed:

- every text exists in Swedish and English and contains no placeholder;
- keys are unique: dimensions, groups, and all answer keys together (statements,
  the recommendation question and the free-text questions);
- every statement's dimension exists, and each dimension has at least
  ``MIN_STATEMENTS[group]`` statements;
- the phase dimensions are exactly ``PHASES``, in that order, and consist of
  relationship (non-mirror) statements;
- every dimension has at least one intervention and every phase at least two,
  and each intervention's ``link`` is one of ``LINKS`` or ``None``.

The accessors return fresh frozen dataclasses in the file's order, with texts in
the requested language (English when the language is unknown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from samverkan.lib.datafile import DataFileError, load_yaml, localized, require_languages

DATA = Path(__file__).resolve().parent / "data"

GROUPS = ("iceberg_visible", "iceberg_hidden", "group", "relationship", "phase")
PHASES = ("tillhora", "rollsokning", "oppenhet")
# The seed's dimensions, which the file must contain (it may add more).
SEED_DIMENSIONS = {
    "verksamhet": "iceberg_visible",
    "processer": "iceberg_visible",
    "kompetens": "iceberg_visible",
    "beteenden": "iceberg_hidden",
    "engagemang": "iceberg_hidden",
    "varderingar": "iceberg_hidden",
    "samarbete": "group",
    "kommunikation": "group",
    "ledarskap": "group",
    "feedback": "group",
    "fortroende": "relationship",
    "samsyn": "relationship",
    "tillhora": "phase",
    "rollsokning": "phase",
    "oppenhet": "phase",
}
MIN_STATEMENTS = {
    "iceberg_visible": 2,
    "iceberg_hidden": 2,
    "group": 2,
    "relationship": 3,
    "phase": 3,
}
MIN_PHASE_INTERVENTIONS = 2
# Where a respondent's answer is aimed: their own organisation, the counterpart,
# or the collaboration itself. A mirror statement is answered for self and other.
TARGETS = ("self", "other", "relationship")
LINKS = (
    "model#objectives",
    "model#roles",
    "model#forums",
    "model#processes",
    "model#escalation",
    "relationship",
)
AGREEMENT_SCALE = (1, 2, 3, 4, 5)
RECOMMEND_SCALE = tuple(range(11))
FREE_TEXT_KEYS = ("fungerar", "forandra")  # what works, what should change
# The dimension of the statements a round adds to the instrument (organisations' own).
OWN_DIMENSION = "own"

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Group:
    key: str
    name: str


@dataclass(frozen=True)
class Dimension:
    key: str
    group: str  # one of GROUPS
    name: str
    description: str  # what it measures; for a phase, what characterises it


@dataclass(frozen=True)
class Statement:
    """One statement; ``texts`` maps each target it is answered for to its text.

    A mirror statement has ``{"self": …, "other": …}``, a relationship statement
    ``{"relationship": …}``.
    """

    key: str
    dimension: str
    mirror: bool
    texts: dict[str, str]

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(self.texts)


@dataclass(frozen=True)
class Target:
    """A section of the survey: the heading and lead text for one target."""

    key: str  # one of TARGETS
    title: str
    lead: str


@dataclass(frozen=True)
class ScaleOption:
    score: int
    label: str


@dataclass(frozen=True)
class RecommendQuestion:
    key: str
    text: str
    low: str  # the label under 0
    high: str  # the label under 10


@dataclass(frozen=True)
class FreeTextQuestion:
    key: str
    text: str
    hint: str


@dataclass(frozen=True)
class Intervention:
    key: str
    title: str
    description: str
    link: str | None  # one of LINKS: "model#forums" is the model page's forums section
    addresses: tuple[str, ...]  # every phase and dimension it helps, from the file
    because: tuple[str, ...]  # of those, the ones it was recommended for


# --- validation --------------------------------------------------------------


def _check_fields(
    item: Any, where: str, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise DataFileError(f"{where}: expected a mapping")
    missing = set(required) - set(item)
    unknown = set(item) - set(required) - set(optional)
    if missing:
        raise DataFileError(f"{where}: missing {sorted(missing)}")
    if unknown:
        raise DataFileError(f"{where}: unknown fields {sorted(unknown)}")
    return item


def _check_text(value: Any, where: str) -> None:
    require_languages(value, where)
    for language, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise DataFileError(f"{where}.{language}: needs a text")
        if "{" in text or "}" in text:
            raise DataFileError(f"{where}.{language}: texts take no placeholders")


def _check_key(key: Any, where: str, seen: set[str]) -> str:
    if not isinstance(key, str) or not _KEY.match(key):
        raise DataFileError(f"{where}.key: lower-case ASCII letters, digits and _ only")
    if key in seen:
        raise DataFileError(f"{where}: key {key!r} appears twice")
    seen.add(key)
    return key


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    if not isinstance(value, list) or not value:
        raise DataFileError(f"{name}: expected a non-empty list")
    return value


@cache
def _instrument() -> dict[str, Any]:
    data = load_yaml(DATA / "instrument.yaml")
    if not isinstance(data.get("edition"), int) or data["edition"] < 1:
        raise DataFileError("instrument.yaml: edition must be a positive whole number")

    scale = _check_fields(data.get("scale"), "scale", {"agreement", "dont_know"})
    if not isinstance(scale["agreement"], dict) or tuple(scale["agreement"]) != AGREEMENT_SCALE:
        raise DataFileError(f"scale.agreement: one label for each of {AGREEMENT_SCALE}")
    for score, label in scale["agreement"].items():
        _check_text(label, f"scale.agreement.{score}")
    _check_text(scale["dont_know"], "scale.dont_know")

    targets = _list(data, "targets")
    if tuple(t.get("key") if isinstance(t, dict) else None for t in targets) != TARGETS:
        raise DataFileError(f"targets: must be {TARGETS}, in that order")
    for i, target in enumerate(targets):
        _check_fields(target, f"targets[{i}]", {"key", "title", "lead"})
        _check_text(target["title"], f"targets[{i}].title")
        _check_text(target["lead"], f"targets[{i}].lead")

    group_keys: set[str] = set()
    for i, group in enumerate(_list(data, "groups")):
        where = f"groups[{i}]"
        _check_fields(group, where, {"key", "name"})
        _check_key(group["key"], where, group_keys)
        _check_text(group["name"], f"{where}.name")
    if group_keys != set(GROUPS):
        raise DataFileError(f"groups: must be {GROUPS}")

    dimension_keys: set[str] = set()
    dimension_group: dict[str, str] = {}
    for i, dimension in enumerate(_list(data, "dimensions")):
        where = f"dimensions[{i}]"
        _check_fields(dimension, where, {"key", "group", "name", "description"})
        key = _check_key(dimension["key"], where, dimension_keys)
        if dimension["group"] not in GROUPS:
            raise DataFileError(f"{where}.group: must be one of {GROUPS}")
        dimension_group[key] = dimension["group"]
        _check_text(dimension["name"], f"{where}.name")
        _check_text(dimension["description"], f"{where}.description")
    for key, group in SEED_DIMENSIONS.items():
        if dimension_group.get(key) != group:
            raise DataFileError(f"dimensions: the seed's dimension {key!r} ({group}) is missing")
    phases = tuple(key for key, group in dimension_group.items() if group == "phase")
    if phases != PHASES:
        raise DataFileError(f"dimensions: the phases must be {PHASES}, in that order")

    answer_keys: set[str] = set()
    per_dimension = dict.fromkeys(dimension_group, 0)
    for i, statement in enumerate(_list(data, "statements")):
        where = f"statements[{i}]"
        texts: tuple[str, ...]
        if isinstance(statement, dict) and statement.get("mirror") is True:
            _check_fields(statement, where, {"key", "dimension", "mirror", "self", "other"})
            texts = ("self", "other")
        else:
            _check_fields(statement, where, {"key", "dimension", "text"}, {"mirror"})
            if statement.get("mirror", False) is not False:
                raise DataFileError(f"{where}.mirror: true or false")
            texts = ("text",)
        key = _check_key(statement["key"], where, answer_keys)
        where = f"{where} ({key})"
        dimension = statement["dimension"]
        if dimension not in dimension_group:
            raise DataFileError(f"{where}.dimension: unknown dimension {dimension!r}")
        if dimension_group[dimension] == "phase" and statement.get("mirror"):
            raise DataFileError(f"{where}: phase statements are about the relationship, not mirror")
        per_dimension[dimension] += 1
        for field in texts:
            _check_text(statement[field], f"{where}.{field}")
    for dimension, count in per_dimension.items():
        needed = MIN_STATEMENTS[dimension_group[dimension]]
        if count < needed:
            raise DataFileError(
                f"statements: dimension {dimension!r} has {count}, needs at least {needed}"
            )

    recommend = _check_fields(data.get("recommend"), "recommend", {"key", "text", "low", "high"})
    _check_key(recommend["key"], "recommend", answer_keys)
    for field in ("text", "low", "high"):
        _check_text(recommend[field], f"recommend.{field}")

    free_keys: list[str] = []
    for i, question in enumerate(_list(data, "free_text")):
        where = f"free_text[{i}]"
        _check_fields(question, where, {"key", "text", "hint"})
        free_keys.append(_check_key(question["key"], where, answer_keys))
        _check_text(question["text"], f"{where}.text")
        _check_text(question["hint"], f"{where}.hint")
    if tuple(free_keys) != FREE_TEXT_KEYS:
        raise DataFileError(f"free_text: must be {FREE_TEXT_KEYS}, in that order")
    return data


@cache
def _playbook() -> list[dict[str, Any]]:
    dimension_keys = [d["key"] for d in _instrument()["dimensions"]]
    interventions = _list(load_yaml(DATA / "playbook.yaml"), "interventions")
    keys: set[str] = set()
    counts = dict.fromkeys(dimension_keys, 0)
    for i, intervention in enumerate(interventions):
        where = f"interventions[{i}]"
        _check_fields(intervention, where, {"key", "addresses", "title", "description", "link"})
        key = _check_key(intervention["key"], where, keys)
        where = f"{where} ({key})"
        addresses = intervention["addresses"]
        if (
            not isinstance(addresses, list)
            or not addresses
            or not all(isinstance(address, str) for address in addresses)
        ):
            raise DataFileError(f"{where}.addresses: a list of phases and dimensions")
        if len(set(addresses)) != len(addresses):
            raise DataFileError(f"{where}.addresses: lists a key twice")
        for address in addresses:
            if address not in counts:
                raise DataFileError(f"{where}.addresses: unknown dimension {address!r}")
            counts[address] += 1
        if intervention["link"] is not None and intervention["link"] not in LINKS:
            raise DataFileError(f"{where}.link: must be one of {LINKS} or null")
        _check_text(intervention["title"], f"{where}.title")
        _check_text(intervention["description"], f"{where}.description")
    for dimension, count in counts.items():
        needed = MIN_PHASE_INTERVENTIONS if dimension in PHASES else 1
        if count < needed:
            raise DataFileError(
                f"interventions: {dimension!r} has {count}, needs at least {needed}"
            )
    return interventions


def load() -> None:
    """Validate both data files (once; later calls are free)."""
    _instrument()
    _playbook()


# --- accessors -------------------------------------------------------------------


def edition() -> int:
    """The instrument's content edition; a round records it."""
    return int(_instrument()["edition"])


def phases() -> tuple[str, ...]:
    """The phase dimension keys in the order a group passes them."""
    _instrument()
    return PHASES


def groups(language: str) -> list[Group]:
    return [
        Group(key=g["key"], name=localized(g["name"], language)) for g in _instrument()["groups"]
    ]


def dimensions(language: str, *, group: str | None = None) -> list[Dimension]:
    """The dimensions in the file's order, optionally only one group's."""
    return [
        Dimension(
            key=d["key"],
            group=d["group"],
            name=localized(d["name"], language),
            description=localized(d["description"], language),
        )
        for d in _instrument()["dimensions"]
        if group is None or d["group"] == group
    ]


def dimension(key: str, language: str) -> Dimension:
    for item in dimensions(language):
        if item.key == key:
            return item
    raise KeyError(key)


def statements(language: str, *, dimension: str | None = None) -> list[Statement]:
    """The statements in the file's order, optionally only one dimension's."""
    result = []
    for s in _instrument()["statements"]:
        if dimension is not None and s["dimension"] != dimension:
            continue
        if s.get("mirror"):
            texts = {
                "self": localized(s["self"], language),
                "other": localized(s["other"], language),
            }
        else:
            texts = {"relationship": localized(s["text"], language)}
        result.append(
            Statement(
                key=s["key"], dimension=s["dimension"], mirror=bool(s.get("mirror")), texts=texts
            )
        )
    return result


def targets(language: str) -> list[Target]:
    return [
        Target(
            key=t["key"], title=localized(t["title"], language), lead=localized(t["lead"], language)
        )
        for t in _instrument()["targets"]
    ]


def agreement_scale(language: str) -> list[ScaleOption]:
    """The 1–5 options; "don't know" (``dont_know_label``) is not among them: it has no score."""
    labels = _instrument()["scale"]["agreement"]
    return [ScaleOption(score=score, label=localized(labels[score], language)) for score in labels]


def dont_know_label(language: str) -> str:
    return str(localized(_instrument()["scale"]["dont_know"], language))


def recommend_question(language: str) -> RecommendQuestion:
    q = _instrument()["recommend"]
    return RecommendQuestion(
        key=q["key"],
        text=localized(q["text"], language),
        low=localized(q["low"], language),
        high=localized(q["high"], language),
    )


def free_text_questions(language: str) -> list[FreeTextQuestion]:
    return [
        FreeTextQuestion(
            key=q["key"], text=localized(q["text"], language), hint=localized(q["hint"], language)
        )
        for q in _instrument()["free_text"]
    ]


def interventions_for(
    *, phase: str | None = None, dimensions: Sequence[str] = (), language: str
) -> list[Intervention]:
    """The playbook's recommendations for a phase and for weak dimensions.

    First the interventions for ``phase``, then for each of ``dimensions`` in the
    given order (pass the weakest first), each in the playbook's order. An
    intervention recommended for several of them is listed once, where it first
    appears, with all of them in ``because``. A phase key among ``dimensions``
    is treated like any dimension. Unknown keys raise ``ValueError``.
    """
    known = {d["key"] for d in _instrument()["dimensions"]}
    if phase is not None and phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}")
    unknown = [key for key in dimensions if key not in known]
    if unknown:
        raise ValueError(f"unknown dimensions {unknown}")
    wanted = ([phase] if phase is not None else []) + list(dimensions)
    order: list[str] = []
    because: dict[str, list[str]] = {}
    for key in wanted:
        for item in _playbook():
            if key in item["addresses"]:
                if item["key"] not in because:
                    order.append(item["key"])
                    because[item["key"]] = []
                if key not in because[item["key"]]:
                    because[item["key"]].append(key)
    by_key = {item["key"]: item for item in _playbook()}
    return [
        Intervention(
            key=key,
            title=localized(by_key[key]["title"], language),
            description=localized(by_key[key]["description"], language),
            link=by_key[key]["link"],
            addresses=tuple(by_key[key]["addresses"]),
            because=tuple(because[key]),
        )
        for key in order
    ]
