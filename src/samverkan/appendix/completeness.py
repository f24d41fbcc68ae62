"""The completeness check of the collaboration appendix: what the seed (or good
practice) requires that the agreement's model does not yet describe.

The rules' texts, severities, sources and fix locations live in
``data/completeness_rules.yaml`` (validated by ``load()`` at start-up); the
checks are the functions below, one per rule id.

What a caller may rely on:

- ``check(snapshot, language)`` is pure: it reads only the snapshot (the dict of
  ``agreement_snapshot``, the agreement file's format) and the shipped data
  files, never the database, so an old version's snapshot is checked the same
  way today as when it was published. A snapshot with missing or malformed parts
  is checked, not rejected: what is missing fails.
- One finding per rule, in the data file's order. A failing finding always has at
  least one detail saying what is wrong (naming the roles, forums or processes);
  a passing one has none.
- A rule about "every role / forum / process" fails when there are none: the
  appendix must describe them, so an empty model fails every rule.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from samverkan.core import registry
from samverkan.lib.datafile import DataFileError, load_yaml, localized, require_languages
from samverkan.relationships import catalogue as relationship_catalogue

DATA = Path(__file__).resolve().parent / "data"
SEVERITIES = ("error", "warning")
SOURCES = ("seed", "good practice")
FIXES = (
    "model#objectives",
    "model#roles",
    "model#forums",
    "model#processes",
    "model#escalation",
    "relationship",
)
LEVELS = ("strategic", "tactical", "operational")


@dataclass(frozen=True)
class Rule:
    """One rule, with its texts in one language."""

    id: str
    severity: str  # "error" | "warning"
    severity_label: str
    title: str
    explanation: str
    source: str  # "seed" | "good practice"
    source_label: str
    quote: str  # the article's words (Swedish) for seed rules, else ""
    fix: str  # one of FIXES


@dataclass(frozen=True)
class Finding:
    """The result of one rule for one snapshot; ``details`` name what is wrong."""

    rule_id: str
    severity: str
    severity_label: str
    title: str
    explanation: str
    source: str
    source_label: str
    quote: str
    fix: str
    passed: bool
    details: list[str]


# The snapshot, read defensively -------------------------------------------------------


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _texts(value: Any) -> list[str]:
    """The non-blank texts of a list (a list of blanks describes nothing)."""
    if not isinstance(value, list):
        return []
    return [str(item) for item in value if item is not None and str(item).strip()]


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _name(item: dict[str, Any]) -> str:
    return _text(item.get("name")) or _text(item.get("key")) or "?"


def _normal(name: str) -> str:
    """For recognising names: letter case, hyphens and spacing do not matter."""
    return re.sub(r"[\s\-_]+", " ", name).strip().casefold()


@dataclass(frozen=True)
class _Model:
    objectives: list[str]
    relationship: dict[str, Any]
    roles: list[dict[str, Any]]
    forums: list[dict[str, Any]]
    processes: list[dict[str, Any]]
    escalation: list[dict[str, Any]]

    @classmethod
    def of(cls, snapshot: dict[str, Any]) -> _Model:
        relationship = snapshot.get("relationship")
        return cls(
            objectives=_texts(snapshot.get("objectives")),
            relationship=relationship if isinstance(relationship, dict) else {},
            roles=_dicts(snapshot.get("roles")),
            forums=_dicts(snapshot.get("forums")),
            processes=_dicts(snapshot.get("processes")),
            escalation=_dicts(snapshot.get("escalation")),
        )

    def role(self, key: Any) -> dict[str, Any] | None:
        return next((role for role in self.roles if key and role.get("key") == key), None)

    def forum(self, key: Any) -> dict[str, Any] | None:
        return next((forum for forum in self.forums if key and forum.get("key") == key), None)

    def role_name(self, key: str) -> str:
        role = self.role(key)
        return _name(role) if role is not None else key


@dataclass(frozen=True)
class _Context:
    """What a check needs besides the model: its rule's data and the language."""

    spec: dict[str, Any]
    messages: dict[str, Any]
    levels: dict[str, Any]
    language: str

    def say(self, message: str, **values: str) -> str:
        return str(localized(self.messages[message], self.language)).format(**values)

    def level(self, level: str) -> str:
        return str(localized(self.levels.get(level, level), self.language))


_Check = Callable[[_Model, _Context], list[str]]
_CHECKS: dict[str, _Check] = {}


def _rule(rule_id: str) -> Callable[[_Check], _Check]:
    def register(check: _Check) -> _Check:
        _CHECKS[rule_id] = check
        return check

    return register


def _lacking(
    items: list[dict[str, Any]], none: str, ctx: _Context, ok: Callable[[dict[str, Any]], bool]
) -> list[str]:
    """Names of the items that are not ``ok``; the ``none`` message when there are no items."""
    if not items:
        return [ctx.say(none)]
    return [_name(item) for item in items if not ok(item)]


def _matches(item: dict[str, Any], match: dict[str, list[str]]) -> bool:
    name = _normal(_text(item.get("name")))
    return item.get("key") in match["keys"] or any(_normal(word) in name for word in match["names"])


def _accountable(process: dict[str, Any]) -> list[str]:
    raci = process.get("raci")
    if not isinstance(raci, dict):
        return []
    return [key for key, letter in raci.items() if _text(letter).upper() == "A"]


# The checks, one per rule id; each returns what is wrong (nothing: the rule passes) ----


@_rule("objectives-stated")
def _objectives_stated(model: _Model, ctx: _Context) -> list[str]:
    return [] if model.objectives else [ctx.say("no_objectives")]


@_rule("relationship-type-chosen")
def _relationship_type_chosen(model: _Model, ctx: _Context) -> list[str]:
    chosen = model.relationship.get("type") in relationship_catalogue.TYPE_KEYS
    return [] if chosen else [ctx.say("no_type")]


@_rule("standard-roles-present")
def _standard_roles_present(model: _Model, ctx: _Context) -> list[str]:
    keys = {_text(role.get("key")) for role in model.roles}
    names = {_normal(_text(role.get("name"))) for role in model.roles}
    return [
        str(localized(role_names, ctx.language))
        for key, role_names in ctx.spec["standard_roles"].items()
        if key not in keys and not {_normal(name) for name in role_names.values()} & names
    ]


@_rule("roles-have-responsibilities")
def _roles_have_responsibilities(model: _Model, ctx: _Context) -> list[str]:
    return _lacking(
        model.roles, "no_roles", ctx, lambda role: bool(_texts(role.get("responsibilities")))
    )


@_rule("roles-have-authorities")
def _roles_have_authorities(model: _Model, ctx: _Context) -> list[str]:
    return _lacking(
        model.roles, "no_roles", ctx, lambda role: bool(_texts(role.get("authorities")))
    )


@_rule("roles-have-holders")
def _roles_have_holders(model: _Model, ctx: _Context) -> list[str]:
    def held(role: dict[str, Any]) -> bool:
        return any(
            _text(holder.get("name")) or _text(holder.get("email"))
            for holder in _dicts(role.get("holders"))
        )

    return _lacking(model.roles, "no_roles", ctx, held)


@_rule("levels-have-forums")
def _levels_have_forums(model: _Model, ctx: _Context) -> list[str]:
    present = {_text(forum.get("level")) for forum in model.forums}
    return [ctx.level(level) for level in LEVELS if level not in present]


@_rule("forums-have-chair")
def _forums_have_chair(model: _Model, ctx: _Context) -> list[str]:
    return _lacking(
        model.forums, "no_forums", ctx, lambda forum: model.role(forum.get("chair")) is not None
    )


@_rule("forums-have-cadence")
def _forums_have_cadence(model: _Model, ctx: _Context) -> list[str]:
    return _lacking(model.forums, "no_forums", ctx, lambda forum: bool(_text(forum.get("cadence"))))


@_rule("forums-have-mandate")
def _forums_have_mandate(model: _Model, ctx: _Context) -> list[str]:
    def decides(forum: dict[str, Any]) -> bool:
        return any(_text(entry.get("decision")) for entry in _dicts(forum.get("mandate")))

    return _lacking(model.forums, "no_forums", ctx, decides)


@_rule("processes-have-owner")
def _processes_have_owner(model: _Model, ctx: _Context) -> list[str]:
    return _lacking(
        model.processes,
        "no_processes",
        ctx,
        lambda process: model.role(process.get("owner")) is not None,
    )


@_rule("processes-have-accountable")
def _processes_have_accountable(model: _Model, ctx: _Context) -> list[str]:
    return _lacking(
        model.processes, "no_processes", ctx, lambda process: bool(_accountable(process))
    )


@_rule("processes-single-accountable")
def _processes_single_accountable(model: _Model, ctx: _Context) -> list[str]:
    if not model.processes:
        return [ctx.say("no_processes")]
    return [
        ctx.say(
            "several_accountable",
            process=_name(process),
            roles=", ".join(model.role_name(key) for key in accountable),
        )
        for process in model.processes
        if len(accountable := _accountable(process)) > 1
    ]


@_rule("escalation-reaches-strategic")
def _escalation_reaches_strategic(model: _Model, ctx: _Context) -> list[str]:
    if not model.escalation:
        return [ctx.say("no_escalation")]
    last = model.forum(model.escalation[-1].get("forum"))
    if last is None:
        return [ctx.say("escalation_unknown_forum")]
    if last.get("level") != "strategic":
        level = _text(last.get("level"))
        return [ctx.say("escalation_ends_at", forum=_name(last), level=ctx.level(level))]
    return []


@_rule("innovation-process")
def _innovation_process(model: _Model, ctx: _Context) -> list[str]:
    found = [process for process in model.processes if _matches(process, ctx.spec["match"])]
    if not found:
        return [ctx.say("no_innovation_process")]
    if any(_text(process.get("purpose")) for process in found):
        return []
    return [ctx.say("no_purpose", process=_name(process)) for process in found]


@_rule("exit-process")
def _exit_process(model: _Model, ctx: _Context) -> list[str]:
    if any(_matches(process, ctx.spec["match"]) for process in model.processes):
        return []
    return [ctx.say("no_exit_process")]


@_rule("relationship-development-tools")
def _relationship_development_tools(model: _Model, ctx: _Context) -> list[str]:
    kind = model.relationship.get("type")
    if kind not in relationship_catalogue.TYPE_KEYS:
        return [ctx.say("no_type")]
    # The file carries the profile only where it differs from the type's defaults.
    profile = model.relationship.get("profile")
    if not isinstance(profile, dict):
        profile = relationship_catalogue.defaults(str(kind))
    return [] if _text(profile.get("health_check")) else [ctx.say("no_health_check")]


# The data file ---------------------------------------------------------------------------

_MESSAGES = (
    "no_objectives",
    "no_type",
    "no_health_check",
    "no_roles",
    "no_forums",
    "no_processes",
    "no_escalation",
    "escalation_ends_at",
    "escalation_unknown_forum",
    "several_accountable",
    "no_innovation_process",
    "no_purpose",
    "no_exit_process",
    "summary",
)


# The rules whose check reads a part of the rule's data.
_PARAMETERS = {
    "standard-roles-present": "standard_roles",
    "innovation-process": "match",
    "exit-process": "match",
}


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _validate_rule(i: int, rule: Any, seen: set[str]) -> None:
    where = f"rules[{i}]"
    if not isinstance(rule, dict):
        raise DataFileError(f"{where}: must be a mapping")
    rule_id = rule.get("id")
    if rule_id not in _CHECKS:
        raise DataFileError(f"{where}.id: {rule_id!r} has no check in completeness.py")
    if rule_id in seen:
        raise DataFileError(f"{where}.id: {rule_id} appears twice")
    seen.add(rule_id)
    if rule.get("severity") not in SEVERITIES:
        raise DataFileError(f"{where}.severity: must be one of {SEVERITIES}")
    if rule.get("source") not in SOURCES:
        raise DataFileError(f"{where}.source: must be one of {SOURCES}")
    if rule["source"] == "seed" and not _text(rule.get("quote")):
        raise DataFileError(f"{where}.quote: a seed rule quotes the article")
    if rule.get("fix") not in FIXES:
        raise DataFileError(f"{where}.fix: must be one of {FIXES}")
    for field in ("title", "explanation"):
        require_languages(rule.get(field), f"{where}.{field}")
    needed = _PARAMETERS.get(rule_id)
    if needed is not None and needed not in rule:
        raise DataFileError(f"{where}: {rule_id} needs {needed}")
    if "standard_roles" in rule:
        for key, names in rule["standard_roles"].items():
            require_languages(names, f"{where}.standard_roles.{key}")
    if "match" in rule:
        match = rule["match"]
        if (
            not isinstance(match, dict)
            or set(match) != {"keys", "names"}
            or not all(_texts(match[part]) == match[part] for part in ("keys", "names"))
        ):
            raise DataFileError(f"{where}.match: keys and names, each a list of texts")


@cache
def _data() -> dict[str, Any]:
    data = load_yaml(DATA / "completeness_rules.yaml")
    for group, keys in (("severities", SEVERITIES), ("sources", SOURCES), ("levels", LEVELS)):
        labels = data.get(group)
        if not isinstance(labels, dict) or tuple(labels) != keys:
            raise DataFileError(f"completeness_rules.yaml: {group} must be {keys}")
        for key in keys:
            require_languages(labels[key], f"{group}.{key}")
    messages = data.get("messages")
    if not isinstance(messages, dict) or set(messages) != set(_MESSAGES):
        raise DataFileError(f"completeness_rules.yaml: messages must be {sorted(_MESSAGES)}")
    for key, texts in messages.items():
        require_languages(texts, f"messages.{key}")
        if _placeholders(texts["sv"]) != _placeholders(texts["en"]):
            raise DataFileError(f"messages.{key}: sv and en have different {{placeholders}}")
    seen: set[str] = set()
    for i, rule in enumerate(data.get("rules") or []):
        _validate_rule(i, rule, seen)
    if seen != set(_CHECKS):
        raise DataFileError(f"completeness_rules.yaml: no rule for {sorted(set(_CHECKS) - seen)}")
    return data


def load() -> None:
    """Validate the data file; call at start-up so a broken file never reaches a user."""
    _data()


def _rule_in(spec: dict[str, Any], language: str) -> Rule:
    data = _data()
    return Rule(
        id=spec["id"],
        severity=spec["severity"],
        severity_label=str(localized(data["severities"][spec["severity"]], language)),
        title=str(localized(spec["title"], language)),
        explanation=str(localized(spec["explanation"], language)),
        source=spec["source"],
        source_label=str(localized(data["sources"][spec["source"]], language)),
        quote=_text(spec.get("quote")),
        fix=spec["fix"],
    )


def _contributed_rule(rule: registry.CompletenessRule, language: str) -> Rule:
    data = _data()
    return Rule(
        id=rule.id,
        severity=rule.severity,
        severity_label=str(localized(data["severities"][rule.severity], language)),
        title=str(localized(dict(rule.title), language)),
        explanation=str(localized(dict(rule.explanation), language)),
        source=rule.source,
        source_label=str(localized(data["sources"][rule.source], language)),
        quote=rule.quote,
        fix=rule.fix,
    )


def rules(language: str) -> list[Rule]:
    """Every rule in the data file's order, then those capabilities add through the registry
    (``registry.AppendixChapter.rules``), with texts in the language (sv or en)."""
    return [_rule_in(spec, language) for spec in _data()["rules"]] + [
        _contributed_rule(rule, language) for rule in registry.completeness_rules()
    ]


def _finding(rule: Rule, details: list[str]) -> Finding:
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        severity_label=rule.severity_label,
        title=rule.title,
        explanation=rule.explanation,
        source=rule.source,
        source_label=rule.source_label,
        quote=rule.quote,
        fix=rule.fix,
        passed=not details,
        details=details,
    )


def check(snapshot: dict[str, Any], language: str) -> list[Finding]:
    """One finding per rule for an agreement snapshot (the agreement file's format)."""
    data = _data()
    model = _Model.of(snapshot)
    findings = []
    for spec in data["rules"]:
        ctx = _Context(
            spec=spec, messages=data["messages"], levels=data["levels"], language=language
        )
        details = _CHECKS[spec["id"]](model, ctx)
        findings.append(_finding(_rule_in(spec, language), details))
    for contributed in registry.completeness_rules(snapshot):  # those whose section it holds
        details = contributed.check(snapshot, language)
        rule = _contributed_rule(contributed, language)
        findings.append(_finding(rule, details))
    return findings


def has_errors(findings: list[Finding]) -> bool:
    """Whether an error-severity rule fails: the appendix is not complete."""
    return any(not finding.passed and finding.severity == "error" for finding in findings)


def summary(findings: list[Finding], language: str) -> str:
    """One line: how many rules pass, and how many errors and warnings fail."""
    failing = [finding for finding in findings if not finding.passed]
    return str(localized(_data()["messages"]["summary"], language)).format(
        passed=len(findings) - len(failing),
        total=len(findings),
        errors=sum(1 for finding in failing if finding.severity == "error"),
        warnings=sum(1 for finding in failing if finding.severity == "warning"),
    )
