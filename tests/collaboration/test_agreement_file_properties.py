"""Property: any model the services accept survives export → import → export unchanged."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.agreements.agreement_file import (
    agreement_export,
    agreement_file_problems,
    agreement_import,
)
from samverkan.agreements.services import agreement_update
from samverkan.collaboration import catalogue
from samverkan.collaboration.models import Cadence, Level, Orientation, Raci, RoleSide
from samverkan.collaboration.services import (
    escalation_set,
    forum_create,
    model_clear,
    objectives_set,
    process_create,
    role_create,
)
from samverkan.lib import limits
from samverkan.relationships import catalogue as relationship_catalogue
from samverkan.relationships.services import relationship_set_type
from tests.conftest import World

# Texts YAML would read as something else unless the writer quotes them.
HOSTILE = [
    "yes",
    "no",
    "on",
    "off",
    "null",
    "~",
    "true",
    "- x",
    "#",
    ": ",
    "a: b",
    "a #b",
    "1",
    "0.5",
    "1e3",
    "0x1F",
    "012",
    ".inf",
    "2025-01-01",
    "@x",
    "`x`",
    "'",
    '"',
    "%YAML",
    "!tag",
    "&anchor",
    "*alias",
    "{}",
    "[]",
    "? x",
    "|",
    ">",
    "<<",
    "=",
    "---",
    "...",
    "Ändringsbegäran för åäö ÅÄÖ",
    "två\nrader",
    "flik\there",
    "  indragen\n  text",
]
ALPHABET = st.characters(
    categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029"
) | st.sampled_from("\n\tåäöÅÄÖ:#-'\"")
texts = st.one_of(st.sampled_from(HOSTILE), st.text(ALPHABET, min_size=1, max_size=40))
names = texts.filter(lambda s: bool(s.strip()) and len(s.strip()) <= 120)
optional_texts = st.one_of(st.just(""), texts)
text_lists = st.lists(texts, max_size=3)
keys = st.one_of(
    st.sampled_from(["yes", "no", "null", "true", "1", "012", "cio", "a-b", "x_y"]),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True),
).filter(lambda key: slugify(key) == key)
mandates = st.lists(
    st.fixed_dictionaries(
        {"decision": st.sampled_from(catalogue.decision_keys())},
        optional={
            "limit": st.integers(min_value=0, max_value=limits.AMOUNT_MAX),
            "note": texts,
        },
    ),
    max_size=3,
    unique_by=lambda entry: entry["decision"],
)
holders = st.lists(
    st.fixed_dictionaries(
        {"name": names},
        optional={"email": st.sampled_from(["asa@norrlandia.example", "Bo.Ek@molnbro.example"])},
    ),
    max_size=2,
)


@st.composite
def models(draw: st.DrawFn) -> dict[str, Any]:
    role_keys = draw(st.lists(keys, max_size=6, unique=True))
    forum_keys = draw(st.lists(keys, max_size=4, unique=True))
    process_keys = draw(st.lists(keys, max_size=4, unique=True))
    role_or_none = st.one_of(st.none(), st.sampled_from(role_keys)) if role_keys else st.none()
    roles_subset = st.lists(st.sampled_from(role_keys), unique=True) if role_keys else st.just([])
    return {
        "title": draw(names.filter(lambda s: len(s.strip()) <= 200)),
        "description": draw(optional_texts),
        "services": draw(text_lists),
        "language": draw(st.sampled_from(["sv", "en"])),
        "relationship": draw(
            st.one_of(
                st.none(),
                st.tuples(st.sampled_from(relationship_catalogue.TYPE_KEYS), optional_texts),
            )
        ),
        "objectives": draw(text_lists),
        "roles": [
            {
                "key": key,
                "name": draw(names),
                "side": draw(st.sampled_from(RoleSide.values)),
                "level": draw(st.sampled_from(Level.values)),
                "orientation": draw(st.sampled_from(Orientation.values)),
                "purpose": draw(optional_texts),
                "responsibilities": draw(text_lists),
                "authorities": draw(text_lists),
                "decision_rights": draw(mandates),
                "holders": draw(holders),
            }
            for key in role_keys
        ],
        "forums": [
            {
                "key": key,
                "name": draw(names),
                "level": draw(st.sampled_from(Level.values)),
                "purpose": draw(optional_texts),
                "chair": draw(role_or_none),
                "members": draw(roles_subset),
                "cadence": draw(st.sampled_from(["", *Cadence.values])),
                "agenda": draw(text_lists),
                "inputs": draw(text_lists),
                "outputs": draw(text_lists),
                "mandate": draw(mandates),
            }
            for key in forum_keys
        ],
        "processes": [
            {
                "key": key,
                "name": draw(names),
                "purpose": draw(optional_texts),
                "owner": draw(role_or_none),
                "steps": draw(text_lists),
                "raci": {role: draw(st.sampled_from(Raci.values)) for role in draw(roles_subset)},
            }
            for key in process_keys
        ],
        "escalation": [
            (key, draw(st.integers(min_value=1, max_value=365)))
            for key in draw(st.permutations(forum_keys))[
                : draw(st.integers(min_value=0, max_value=len(forum_keys)))
            ]
        ],
    }


def _build(world: World, spec: dict[str, Any]) -> None:
    agreement, actor = world.agreement, world.customer_owner
    model_clear(agreement=agreement)
    agreement_update(
        agreement=agreement,
        actor=actor,
        title=spec["title"],
        description=spec["description"],
        services="\n".join(spec["services"]),
        language=spec["language"],
    )
    if spec["relationship"]:
        relationship_set_type(
            agreement=agreement,
            actor=actor,
            type=spec["relationship"][0],
            rationale=spec["relationship"][1],
        )
    objectives_set(agreement=agreement, actor=actor, texts=spec["objectives"])
    roles = {
        role["key"]: role_create(agreement=agreement, actor=actor, **role) for role in spec["roles"]
    }
    forums = {}
    for forum in spec["forums"]:
        fields = {k: v for k, v in forum.items() if k not in ("chair", "members")}
        forums[forum["key"]] = forum_create(
            agreement=agreement,
            actor=actor,
            chair=roles[forum["chair"]] if forum["chair"] else None,
            members=[roles[key] for key in forum["members"]],
            **fields,
        )
    for process in spec["processes"]:
        fields = {k: v for k, v in process.items() if k not in ("owner", "raci")}
        process_create(
            agreement=agreement,
            actor=actor,
            owner=roles[process["owner"]] if process["owner"] else None,
            raci={roles[key]: letter for key, letter in process["raci"].items()},
            **fields,
        )
    escalation_set(
        agreement=agreement,
        actor=actor,
        steps=[(forums[key], days) for key, days in spec["escalation"]],
    )


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=models())
def test_generated_models_round_trip_byte_identical(world: World, spec: dict[str, Any]) -> None:
    _build(world, spec)
    before = agreement_export(world.agreement)
    assert agreement_file_problems(before) == []

    agreement = agreement_import(before, actor=world.customer_owner, replace=True)

    assert agreement_export(agreement) == before
