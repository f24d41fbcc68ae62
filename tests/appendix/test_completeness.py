"""The appendix completeness check: each rule on hand-built snapshots, the empty model,
the starter model, the demo agreements and the rules' data file."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from samverkan.agreements.agreement_file import agreement_snapshot
from samverkan.agreements.models import Agreement
from samverkan.agreements.services import agreement_create
from samverkan.appendix import completeness
from samverkan.core import demo, links
from samverkan.lib.datafile import DataFileError
from tests.conftest import World

ALL_IDS = {rule.id for rule in completeness.rules("en")}


def _role(key: str, name: str, level: str = "tactical", **changes: Any) -> dict[str, Any]:
    role = {
        "key": key,
        "name": name,
        "side": "supplier",
        "level": level,
        "orientation": "it",
        "purpose": "",
        "responsibilities": [f"{name} ansvarar"],
        "authorities": [f"{name} beslutar"],
        "decision_rights": [],
        "holders": [{"name": f"Innehavare av {name}", "email": ""}],
    }
    return {**role, **changes}


def _forum(key: str, name: str, level: str, chair: str, **changes: Any) -> dict[str, Any]:
    forum = {
        "key": key,
        "name": name,
        "level": level,
        "purpose": "",
        "chair": chair,
        "members": [chair],
        "cadence": "monthly",
        "agenda": [],
        "inputs": [],
        "outputs": [],
        "mandate": [{"decision": "escalation", "limit": None, "note": ""}],
    }
    return {**forum, **changes}


def _process(key: str, name: str, **changes: Any) -> dict[str, Any]:
    process = {
        "key": key,
        "name": name,
        "purpose": f"{name} ger effekt",
        "owner": "it-supplier",
        "steps": ["Första steget"],
        "raci": {"it-supplier": "R", "strategic-partner": "A"},
    }
    return {**process, **changes}


def complete() -> dict[str, Any]:
    """The smallest snapshot that passes every rule."""
    return {
        "samverkan": 1,
        "agreement": {"reference": "AVT-1", "title": "Drift", "customer": "K", "supplier": "L"},
        "relationship": {"type": "business_enhancement", "rationale": ""},
        "objectives": ["Hög kvalitet och driftstabilitet"],
        "roles": [
            _role("strategic-partner", "Strategisk partner", "strategic"),
            _role("business-developer", "Affärsutvecklare"),
            _role("it-supplier", "IT-leverantör", "operational"),
            _role("it-entrepreneur", "IT-entreprenör"),
        ],
        "forums": [
            _forum("steering-group", "Styrgrupp", "strategic", "strategic-partner"),
            _forum("council", "Samverkansråd", "tactical", "business-developer"),
            _forum("operations", "Driftmöte", "operational", "it-supplier"),
        ],
        "processes": [
            _process("change-management", "Ändringshantering"),
            _process("innovation", "Innovation"),
            _process("exit", "Exit"),
        ],
        "escalation": [
            {"forum": "operations", "resolve_within_days": 5},
            {"forum": "steering-group", "resolve_within_days": 20},
        ],
        # The innovation framework (contributed by innovation/, checked by its own rule).
        "innovation": {
            "goals": [
                {
                    "key": "snabbare",
                    "what": "Snabbare prisändringar",
                    "baseline": 10,
                    "target": 5,
                    "unit": "dagar",
                    "due": "2027-06-30",
                }
            ],
            "criteria": [{"key": "nytta", "name": "Affärsnytta", "weight": 100}],
            "deciding_forum": "council",
            "funding": {"model": "none"},
        },
    }


def failing(snapshot: dict[str, Any], language: str = "en") -> dict[str, list[str]]:
    """Rule id → details, for every failing rule."""
    return {
        finding.rule_id: finding.details
        for finding in completeness.check(snapshot, language)
        if not finding.passed
    }


def changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    snapshot = complete()
    change(snapshot)
    return snapshot


def _role_at(snapshot: dict[str, Any], key: str) -> dict[str, Any]:
    return next(role for role in snapshot["roles"] if role["key"] == key)


def _forum_at(snapshot: dict[str, Any], key: str) -> dict[str, Any]:
    return next(forum for forum in snapshot["forums"] if forum["key"] == key)


def _process_at(snapshot: dict[str, Any], key: str) -> dict[str, Any]:
    return next(process for process in snapshot["processes"] if process["key"] == key)


# The hand-built model -------------------------------------------------------------------


def test_the_complete_snapshot_passes_every_rule() -> None:
    findings = completeness.check(complete(), "sv")
    assert [finding.rule_id for finding in findings] == [
        rule.id for rule in completeness.rules("sv")
    ]
    assert all(finding.passed and finding.details == [] for finding in findings)
    assert not completeness.has_errors(findings)


# (rule that fails, how the complete snapshot is spoilt, the details named)
SPOILT: list[tuple[str, Callable[[dict[str, Any]], None], list[str]]] = [
    (
        "objectives-stated",
        lambda s: s.update(objectives=["", "   "]),
        ["No objectives are stated."],
    ),
    (
        "standard-roles-present",
        lambda s: s.update(roles=[r for r in s["roles"] if r["key"] != "it-entrepreneur"]),
        ["IT entrepreneur"],
    ),
    (
        "roles-have-responsibilities",
        lambda s: _role_at(s, "it-supplier").update(responsibilities=[]),
        ["IT-leverantör"],
    ),
    (
        "roles-have-authorities",
        lambda s: _role_at(s, "business-developer").update(authorities=["  "]),
        ["Affärsutvecklare"],
    ),
    (
        "roles-have-holders",
        lambda s: [
            _role_at(s, key).update(holders=[]) for key in ("it-entrepreneur", "business-developer")
        ],
        ["Affärsutvecklare", "IT-entreprenör"],
    ),
    (
        "levels-have-forums",
        lambda s: s.update(forums=[f for f in s["forums"] if f["level"] != "tactical"]),
        ["tactical"],
    ),
    (
        "forums-have-chair",
        lambda s: _forum_at(s, "council").update(chair=None),
        ["Samverkansråd"],
    ),
    (
        "forums-have-cadence",
        lambda s: _forum_at(s, "operations").update(cadence=""),
        ["Driftmöte"],
    ),
    (
        "forums-have-mandate",
        lambda s: _forum_at(s, "steering-group").update(mandate=[]),
        ["Styrgrupp"],
    ),
    (
        "processes-have-owner",
        lambda s: _process_at(s, "exit").update(owner=None),
        ["Exit"],
    ),
    (
        "processes-have-accountable",
        lambda s: _process_at(s, "change-management").update(raci={"it-supplier": "R"}),
        ["Ändringshantering"],
    ),
    (
        "processes-single-accountable",
        lambda s: _process_at(s, "change-management").update(
            raci={"it-supplier": "A", "strategic-partner": "A"}
        ),
        ["Ändringshantering: IT-leverantör, Strategisk partner"],
    ),
    (
        "escalation-reaches-strategic",
        lambda s: s["escalation"].pop(),
        ["The escalation path ends at Driftmöte (operational)."],
    ),
    (
        "innovation-process",
        lambda s: _process_at(s, "innovation").update(purpose=""),
        ["Innovation does not say what it aims to achieve."],
    ),
    (
        "innovation-framework",
        lambda s: s["innovation"]["criteria"][0].update(weight=90),
        ["The evaluation criteria's weights add up to 90, not 100."],
    ),
    (
        "exit-process",
        lambda s: s.update(processes=[p for p in s["processes"] if p["key"] != "exit"]),
        ["There is no exit process."],
    ),
    (
        "relationship-development-tools",
        lambda s: s["relationship"].update(
            profile={"scorecard_weights": {}, "forum_cadence": {}, "health_check": None}
        ),
        ["No cadence is set for the relationship health check."],
    ),
]


def test_every_rule_has_a_spoilt_example() -> None:
    # relationship-type-chosen cannot fail alone: without a type there are no tools either.
    assert {rule_id for rule_id, _, _ in SPOILT} == ALL_IDS - {"relationship-type-chosen"}


@pytest.mark.parametrize(("rule_id", "spoil", "details"), SPOILT, ids=[s[0] for s in SPOILT])
def test_spoiling_one_thing_fails_exactly_its_rule_and_names_the_culprits(
    rule_id: str, spoil: Callable[[dict[str, Any]], None], details: list[str]
) -> None:
    assert failing(changed(spoil)) == {rule_id: details}


def test_without_a_relationship_type_the_type_and_the_tools_fail() -> None:
    snapshot = changed(lambda s: s.update(relationship={"type": None, "rationale": ""}))
    assert failing(snapshot) == {
        "relationship-type-chosen": ["No relationship type is chosen."],
        "relationship-development-tools": ["No relationship type is chosen."],
    }


def test_health_check_cadence_comes_from_the_types_defaults_when_no_profile_is_written() -> None:
    customised = {"scorecard_weights": {}, "forum_cadence": {}, "health_check": "quarterly"}
    assert failing(changed(lambda s: s["relationship"].pop("profile", None))) == {}
    assert failing(changed(lambda s: s["relationship"].update(profile=customised))) == {}


def test_a_holder_with_only_an_email_holds_the_role() -> None:
    snapshot = changed(
        lambda s: _role_at(s, "it-supplier").update(holders=[{"name": "", "email": "a@b.se"}])
    )
    assert failing(snapshot) == {}


def test_a_chair_or_owner_that_is_not_a_role_of_the_model_counts_as_missing() -> None:
    def spoil(s: dict[str, Any]) -> None:
        _forum_at(s, "council").update(chair="ghost")
        _process_at(s, "exit").update(owner="ghost")

    assert failing(changed(spoil)) == {
        "forums-have-chair": ["Samverkansråd"],
        "processes-have-owner": ["Exit"],
    }


def test_escalation_ending_at_an_unknown_forum_fails() -> None:
    snapshot = changed(
        lambda s: s["escalation"].append({"forum": "gone", "resolve_within_days": 1})
    )
    assert failing(snapshot) == {
        "escalation-reaches-strategic": [
            "The last step of the escalation path names no forum of the model."
        ]
    }


def test_escalation_path_passing_the_strategic_level_earlier_must_still_end_there() -> None:
    snapshot = changed(lambda s: s["escalation"].reverse())
    assert failing(snapshot) == {
        "escalation-reaches-strategic": ["The escalation path ends at Driftmöte (operational)."]
    }


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("sp", "strategisk PARTNER"),
        ("sp", "Strategic partner"),
        ("sp", "Strategic-partner"),
        ("strategic-partner", "Vår kontaktperson"),
    ],
)
def test_standard_roles_are_recognised_by_key_or_by_either_name(key: str, name: str) -> None:
    snapshot = changed(lambda s: _role_at(s, "strategic-partner").update(key=key, name=name))
    for forum in snapshot["forums"]:
        if forum["chair"] == "strategic-partner":
            forum["chair"] = key
    for process in snapshot["processes"]:
        process["raci"] = {
            key if k == "strategic-partner" else k: v for k, v in process["raci"].items()
        }
    assert failing(snapshot) == {}


@pytest.mark.parametrize(
    ("rule_id", "key", "name"),
    [
        ("innovation-process", "ideas", "Innovationsprocess"),
        ("innovation-process", "ideer", "Gemensam INNOVATION"),
        ("innovation-process", "innovation", "Idéer"),
        ("exit-process", "handover", "Avslut och överlämning"),
        ("exit-process", "exit", "Överlämning"),
        ("exit-process", "end", "Exit plan"),
    ],
)
def test_innovation_and_exit_processes_are_recognised_by_key_or_name(
    rule_id: str, key: str, name: str
) -> None:
    old = "innovation" if rule_id == "innovation-process" else "exit"
    renamed = changed(lambda s: _process_at(s, old).update(key=key, name=name))
    assert failing(renamed) == {}
    unrecognisable = changed(lambda s: _process_at(s, old).update(key="other", name="Annat"))
    assert set(failing(unrecognisable)) == {rule_id}


def test_details_speak_the_language() -> None:
    snapshot = changed(lambda s: s.update(forums=[], escalation=[], roles=s["roles"][:3]))
    sv = failing(snapshot, "sv")
    assert sv["levels-have-forums"] == ["strategisk", "taktisk", "operativ"]
    assert sv["standard-roles-present"] == ["IT-entreprenör"]
    assert sv["forums-have-chair"] == ["Inga forum är beskrivna."]
    assert failing(snapshot, "en")["standard-roles-present"] == ["IT entrepreneur"]


def test_a_malformed_or_partial_snapshot_is_checked_not_rejected() -> None:
    odd: dict[str, Any] = {
        "relationship": "frontier",
        "roles": [
            "not a role",
            {"key": ["x"], "holders": "nobody", "responsibilities": "text"},
        ],
        "forums": [{"level": ["strategic"], "mandate": "all"}],
        "processes": [{"raci": ["A"]}],
        "escalation": [{}],
    }
    # A contributed rule applies only to snapshots holding its section (``needs``).
    assert set(failing(odd)) == ALL_IDS - {"processes-single-accountable", "innovation-framework"}
    assert "innovation-framework" in failing({**odd, "innovation": {"criteria": "many"}})
    assert set(failing({})) == ALL_IDS - {"innovation-framework"}
    assert "innovation-framework" in failing({"innovation": None})


# Real models -------------------------------------------------------------------------------


def test_an_empty_model_fails_every_rule(world: World) -> None:
    findings = completeness.check(agreement_snapshot(world.agreement), "sv")
    assert {finding.rule_id for finding in findings if not finding.passed} == ALL_IDS
    assert all(finding.details for finding in findings)
    assert completeness.has_errors(findings)


def test_an_agreement_created_without_a_model_fails_every_rule(world: World) -> None:
    agreement = agreement_create(
        actor=world.customer_owner,
        own_organisation=world.customer,
        counterpart_name="Driftpartner Norden AB",
        reference="TOM-1",
        title="Tomt avtal",
        seed_model=False,
    )
    assert set(failing(agreement_snapshot(agreement))) == ALL_IDS


def test_the_starter_roles_meet_the_role_rules_but_have_no_holders(world: World) -> None:
    agreement = agreement_create(
        actor=world.customer_owner,
        own_organisation=world.customer,
        counterpart_name="Driftpartner Norden AB",
        reference="START-1",
        title="Nytt avtal",
    )
    fails = failing(agreement_snapshot(agreement))
    assert not {
        "standard-roles-present",
        "roles-have-responsibilities",
        "roles-have-authorities",
    } & set(fails)
    assert "Strategic partner" not in fails["roles-have-holders"]  # names are Swedish here
    assert "Strategisk partner" in fails["roles-have-holders"]


def test_the_demo_frontier_agreement_passes_every_rule(
    db: None, django_assert_num_queries: Any
) -> None:
    demo.load()
    snapshot = agreement_snapshot(Agreement.objects.get(reference="DEMO-FRONTIER"))
    with django_assert_num_queries(0):  # the check is pure: it reads the snapshot only
        findings = completeness.check(snapshot, "sv")
    assert [(f.rule_id, f.details) for f in findings if not f.passed] == []


def test_the_demo_enhancement_agreement_passes_the_error_rules(db: None) -> None:
    demo.load()
    snapshot = agreement_snapshot(Agreement.objects.get(reference="DEMO-ENHANCEMENT"))
    assert not completeness.has_errors(completeness.check(snapshot, "en"))


# The rules and their data file -------------------------------------------------------------


def test_the_rules_are_listed_in_both_languages_with_their_source_and_fix() -> None:
    sv, en = completeness.rules("sv"), completeness.rules("en")
    assert [rule.id for rule in sv] == [rule.id for rule in en]
    assert len(sv) >= 17
    for rule_sv, rule_en in zip(sv, en, strict=True):
        assert rule_sv.title != rule_en.title
        assert rule_sv.explanation and rule_en.explanation
        assert rule_sv.severity in completeness.SEVERITIES
        # The data file's rules fix in the model or the relationship; a contributed one
        # may name any registered link (the innovation framework's page).
        assert rule_sv.fix in completeness.FIXES or rule_sv.fix in links.link_keys()
        assert bool(rule_sv.quote) is (rule_sv.source == "seed")
    severities = {rule.id: rule.severity for rule in en}
    assert severities["standard-roles-present"] == "error"
    assert severities["roles-have-holders"] == "warning"
    assert severities["processes-single-accountable"] == "warning"


RULES_FILE = completeness.DATA / "completeness_rules.yaml"


@pytest.fixture
def rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """``write(text)``: the check reads this text as its rules file."""

    def write(text: str) -> None:
        (tmp_path / "completeness_rules.yaml").write_text(text, encoding="utf-8")
        completeness._data.cache_clear()

    monkeypatch.setattr(completeness, "DATA", tmp_path)
    yield write
    monkeypatch.undo()
    completeness._data.cache_clear()
    completeness.load()


def _shipped() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def test_the_shipped_rules_file_is_valid() -> None:
    completeness._data.cache_clear()
    completeness.load()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: d["rules"][0].update(title={"sv": "Målen", "en": None}), r"rules\[0\]\.title"),
        (lambda d: d["rules"][0].update(id="no-such-rule"), "has no check"),
        (lambda d: d["rules"].pop(), "no rule for"),
        (lambda d: d["rules"].append(d["rules"][0]), "appears twice"),
        (lambda d: d["rules"][0].update(severity="fatal"), "severity"),
        (lambda d: d["rules"][0].update(fix="model#nowhere"), "fix"),
        (lambda d: d["rules"][0].pop("quote"), "quotes the article"),
        (lambda d: d["messages"]["no_purpose"].update(en="{name} has no purpose"), "placeholders"),
        (lambda d: d["messages"].pop("summary"), "messages must be"),
        (lambda d: d["rules"][2].pop("standard_roles"), "needs standard_roles"),
        (lambda d: d.update(version=2), "version: 1"),
    ],
)
def test_a_broken_rules_file_is_refused_at_load(
    rules_file: Callable[[str], None], spoil: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = _shipped()
    spoil(data)
    rules_file(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(DataFileError, match=message):
        completeness.load()


def test_an_unquoted_comma_in_a_flow_mapping_is_caught(rules_file: Callable[[str], None]) -> None:
    text = RULES_FILE.read_text(encoding="utf-8").replace(
        'title: {sv: "Målen är angivna", en: "The objectives are stated"}',
        "title: {sv: Målen, kort sagt, en: The objectives}",
    )
    rules_file(text)
    with pytest.raises(DataFileError, match=r"rules\[0\]\.title: needs exactly sv and en"):
        completeness.load()


def test_the_user_documentation_lists_every_rule_in_both_languages() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "completeness.md").read_text(
        encoding="utf-8"
    )
    for rule_sv, rule_en in zip(completeness.rules("sv"), completeness.rules("en"), strict=True):
        assert f"`{rule_en.id}`" in docs
        assert f"### {rule_en.title}\n*{rule_sv.title}*" in docs
        assert rule_en.explanation in docs
