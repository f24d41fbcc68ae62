"""The survey as a respondent sees it, and reading their answers from a form post."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from samverkan.health import instrument, services
from samverkan.health.models import Round

DONT_KNOW = "dk"


@dataclass(frozen=True)
class Item:
    name: str  # the form field: s:<statement>:<target>
    text: str
    chosen: str  # "1"–"5", "dk" or "" (re-displayed after an error)


@dataclass
class Section:
    target: str
    title: str
    lead: str
    organisation: str
    items: list[Item] = field(default_factory=list)


def field_name(statement: str, target: str) -> str:
    return f"s:{statement}:{target}"


def sections(
    round: Round, *, side: str, language: str, data: QueryDict | None = None
) -> list[Section]:
    """The three parts of the survey (own organisation, the other party, the collaboration)."""
    agreement = round.agreement
    other = "supplier" if side == "customer" else "customer"
    organisation = {
        "self": agreement.organisation_of(side).name,
        "other": agreement.organisation_of(other).name,
        "relationship": "",
    }
    result = {
        t.key: Section(t.key, t.title, t.lead, organisation[t.key])
        for t in instrument.targets(language)
    }
    for statement in instrument.statements(language):
        for target, text in statement.texts.items():
            name = field_name(statement.key, target)
            result[target].items.append(Item(name, text, data.get(name, "") if data else ""))
    for own in round.own_statements:
        name = field_name(own["key"], "relationship")
        result["relationship"].items.append(
            Item(name, own["text"], data.get(name, "") if data else "")
        )
    return list(result.values())


@dataclass
class Submission:
    scores: dict[tuple[str, str], int | None]
    recommend: int | None
    free_texts: dict[str, str]


def read(round: Round, data: QueryDict) -> Submission:
    """The answers in a posted survey form; unknown or malformed values count as unanswered."""
    scores: dict[tuple[str, str], int | None] = {}
    for key, _dimension, target in services.survey_items(round):
        value = data.get(field_name(key, target), "")
        if value == DONT_KNOW:
            scores[(key, target)] = None
        elif value in {"1", "2", "3", "4", "5"}:
            scores[(key, target)] = int(value)
    recommend_value = data.get("recommend", "")
    recommend = int(recommend_value) if recommend_value in {str(n) for n in range(11)} else None
    free_texts = {key: data.get(key, "") for key in instrument.FREE_TEXT_KEYS}
    return Submission(scores, recommend, free_texts)
