"""Reads for a negotiation case: the eight steps with their completeness (and why a step
is still thin), the options matrix with its ranking, and each option's missed goals.

``case_content`` reads the whole case in a fixed number of queries; the pages, the
brief and the API build on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.negotiation import matrix
from samverkan.negotiation.models import (
    Action,
    Case,
    Document,
    FallbackPlan,
    Goal,
    GoalCheck,
    Interest,
    Member,
    Option,
    OptionScore,
    Side,
)

# The eight fundamentals, in the seed's order and words.
STEPS: list[tuple[str, Promise]] = [
    ("preparation", gettext_lazy("Good preparation")),
    ("context", gettext_lazy("Understand the context and background")),
    ("challenge", gettext_lazy("Define the challenge")),
    ("interests", gettext_lazy("Be clear about what you want, your interests")),
    ("alternatives", gettext_lazy("Evaluate and assess the alternatives")),
    ("check", gettext_lazy("Check against interests and the goals set")),
    ("fallback", gettext_lazy("Prepare fallback plans")),
    ("execute", gettext_lazy("Execute the plan (who, what and how)")),
]
STEP_KEYS = [key for key, _title in STEPS]

RowT = TypeVar("RowT")


@dataclass
class OptionRow:
    option: Option
    scores: dict[int, int]  # by interest id
    total: Decimal | None
    rank: int | None
    checks: dict[int, bool]  # by goal id
    missed: list[Goal] = field(default_factory=list)  # goals it does not meet
    unchecked: list[Goal] = field(default_factory=list)


@dataclass
class CaseContent:
    case: Case
    members: list[Member]
    documents: list[Document]
    interests: list[Interest]
    options: list[OptionRow]  # ranked: by weighted total, unscored last
    goals: list[Goal]
    fallbacks: list[FallbackPlan]
    actions: list[Action]

    @property
    def ours(self) -> list[Interest]:
        return [interest for interest in self.interests if interest.side == Side.OURS]

    @property
    def theirs(self) -> list[Interest]:
        return [interest for interest in self.interests if interest.side == Side.THEIRS]


def case_content(case: Case) -> CaseContent:
    """Everything of the case (nine queries however much it holds)."""
    return case_contents([case])[case.pk]


def _by_case(rows: Iterable[RowT]) -> dict[int, list[RowT]]:
    grouped: dict[int, list[RowT]] = defaultdict(list)
    for row in rows:
        grouped[row.case_id].append(row)  # type: ignore[attr-defined]
    return grouped


def case_contents(cases: Sequence[Case]) -> dict[int, CaseContent]:
    """Everything of each case, by the case's id (nine queries however many cases)."""
    ids = [case.pk for case in cases]
    members = _by_case(
        Member.objects.filter(case__in=ids).select_related("user").order_by("position", "pk")
    )
    documents = _by_case(Document.objects.filter(case__in=ids).select_related("uploaded_by"))
    interests = _by_case(Interest.objects.filter(case__in=ids).order_by("position", "pk"))
    options = _by_case(Option.objects.filter(case__in=ids).order_by("position", "pk"))
    goals = _by_case(Goal.objects.filter(case__in=ids).order_by("position", "pk"))
    scores = _by_case(OptionScore.objects.filter(case__in=ids))
    checks = _by_case(GoalCheck.objects.filter(case__in=ids))
    fallbacks = _by_case(FallbackPlan.objects.filter(case__in=ids).order_by("position", "pk"))
    actions = _by_case(Action.objects.filter(case__in=ids).order_by("position", "pk"))
    return {
        case.pk: CaseContent(
            case=case,
            members=members[case.pk],
            documents=documents[case.pk],
            interests=interests[case.pk],
            options=_ranked(
                options[case.pk],
                interests[case.pk],
                goals[case.pk],
                {(row.option_id, row.interest_id): row.score for row in scores[case.pk]},
                {(row.option_id, row.goal_id): row.meets for row in checks[case.pk]},
            ),
            goals=goals[case.pk],
            fallbacks=fallbacks[case.pk],
            actions=actions[case.pk],
        )
        for case in cases
    }


def _ranked(
    options: list[Option],
    interests: list[Interest],
    goals: list[Goal],
    scores: dict[tuple[int, int], int],
    checks: dict[tuple[int, int], bool],
) -> list[OptionRow]:
    ranked = matrix.ranking(
        [option.pk for option in options],
        {interest.pk: interest.priority for interest in interests},
        scores,
    )
    by_id = {option.pk: option for option in options}
    rows = []
    for entry in ranked:
        option = by_id[entry.option]
        row = OptionRow(
            option=option,
            scores={i: s for (o, i), s in scores.items() if o == option.pk},
            total=entry.total,
            rank=entry.rank,
            checks={g: m for (o, g), m in checks.items() if o == option.pk},
        )
        row.missed = [goal for goal in goals if row.checks.get(goal.pk) is False]
        row.unchecked = [goal for goal in goals if goal.pk not in row.checks]
        rows.append(row)
    return rows


@dataclass(frozen=True)
class StepState:
    key: str
    number: int
    title: str
    complete: bool
    thin: list[str]  # why it is not complete yet, in words


def step_states(content: CaseContent) -> list[StepState]:
    """Each step's completeness mark and, when thin, why."""
    case = content.case
    thin: dict[str, list[str]] = {key: [] for key in STEP_KEYS}
    roles = [member for member in content.members if member.role]
    if len(content.members) < 2:
        thin["preparation"].append(_("The team has only one person: add the negotiation team."))
    if len(roles) < len(content.members):
        thin["preparation"].append(_("Give every member of the team a role in the negotiation."))
    if not case.timeline:
        thin["preparation"].append(_("Set out the timeline."))
    for name, label in (
        ("history", _("the history of the relationship")),
        ("market", _("the market situation")),
        ("previous_agreements", _("previous agreements")),
        ("counterparty", _("the counterparty's situation")),
    ):
        if not getattr(case, name):
            thin["context"].append(_("Describe %(what)s.") % {"what": label})
    if not case.problem:
        thin["challenge"].append(_("State the problem in one statement."))
    if not case.success:
        thin["challenge"].append(_("Say what success looks like."))
    if not content.ours:
        thin["interests"].append(_("Name at least one of our interests."))
    if not content.theirs:
        thin["interests"].append(_("Name at least one of their interests, as we see them."))
    if len(content.options) < 2:
        thin["alternatives"].append(_("Weigh at least two options."))
    unscored = [row.option.name for row in content.options if row.total is None]
    if content.interests and unscored:
        thin["alternatives"].append(
            _("Score every option against every interest: %(options)s.")
            % {"options": ", ".join(unscored)}
        )
    if not content.interests:
        thin["alternatives"].append(
            _("Name the interests first: the options are scored against them.")
        )
    if not content.goals:
        thin["check"].append(_("Set the goals the options are checked against."))
    unchecked = [row.option.name for row in content.options if row.unchecked]
    if content.goals and unchecked:
        thin["check"].append(
            _("Check every option against every goal: %(options)s.")
            % {"options": ", ".join(unchecked)}
        )
    if content.goals and not content.options:
        thin["check"].append(_("Weigh the options first: they are checked against the goals."))
    if not case.batna:
        thin["fallback"].append(_("Describe our best alternative if no agreement is reached."))
    if not case.walk_away:
        thin["fallback"].append(_("Set the walk-away point."))
    if not content.fallbacks:
        thin["fallback"].append(_("Prepare a plan B for at least one critical issue."))
    if not content.actions:
        thin["execute"].append(_("Plan the actions: who does what, how and when."))
    return [
        StepState(key, number, str(title), not thin[key], thin[key])
        for number, (key, title) in enumerate(STEPS, start=1)
    ]
