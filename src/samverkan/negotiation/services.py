"""Writes for negotiation cases: opening one, its members, and each step's content.

Every write to a case takes the case's ``version`` as the caller read it and raises
``StaleEditError`` when someone else saved in between (one version for the whole
case: the team edits one preparation). Lists (interests, options, goals, fallback
plans, actions) are replaced as a whole: a row with the ``id`` of an existing row
keeps it (and its scores and checks), a row without is new, a row not given is
removed. Problems are raised at once, named by path (``interests[2].priority``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from samverkan.accounts.models import Membership, Organisation, OrganisationKind, User
from samverkan.agreements.access import agreement_access
from samverkan.agreements.models import Agreement
from samverkan.core.errors import StaleEditError
from samverkan.core.validation import text_within
from samverkan.lib import limits
from samverkan.negotiation.access import may_join
from samverkan.negotiation.models import (
    Action,
    ActionStatus,
    Case,
    FallbackPlan,
    Goal,
    GoalCheck,
    Interest,
    Kind,
    Member,
    Option,
    OptionScore,
    Relation,
    Side,
)

ROWS_MAX = limits.CASE_ROWS_MAX
MEMBERS_MAX = limits.CASE_MEMBERS_MAX

# The texts of each step that ``case_update`` writes.
TEXT_FIELDS = {
    "timeline": limits.TEXT_MAX,
    "history": limits.TEXT_MAX,
    "market": limits.TEXT_MAX,
    "previous_agreements": limits.TEXT_MAX,
    "counterparty": limits.TEXT_MAX,
    "problem": limits.TEXT_MAX,
    "success": limits.TEXT_MAX,
    "batna": limits.TEXT_MAX,
    "walk_away": limits.TEXT_MAX,
}


def _claim(case: Case, version: int | None) -> None:
    """Take the case's next version, or raise ``StaleEditError``."""
    claimed = Case.objects.filter(pk=case.pk)
    if version is not None:
        claimed = claimed.filter(version=version)
    if not claimed.update(version=F("version") + 1):
        raise StaleEditError
    case.refresh_from_db(fields=["version"])


def _text(problems: dict[str, list[str]], path: str, value: Any, most: int) -> str:
    try:
        return text_within(value, path, most)
    except ValidationError as exc:
        problems.setdefault(path, []).extend(exc.message_dict[path])
        return ""


def _required(problems: dict[str, list[str]], path: str, value: Any, most: int) -> str:
    text = _text(problems, path, value, most)
    if not text and path not in problems:
        problems[path] = [_("This field is required.")]
    return text


# Opening a case and its members ----------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    organisation: Organisation,
    actor: User,
    title: str,
    kind: str,
    agreement: Agreement | None = None,
    role: str = "",
) -> Case:
    """Open a case for ``organisation`` (the actor must be its member); the actor is its
    first member and owner. A linked agreement must be one the actor may see."""
    if not Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise PermissionDenied(_("You open cases for your own organisation only."))
    problems: dict[str, list[str]] = {}
    clean_title = _required(problems, "title", title, limits.TITLE_MAX)
    if kind not in Kind.values:
        problems["kind"] = [_("Choose what the negotiation is about.")]
    if agreement is not None and agreement_access(actor, agreement) is None:
        problems["agreement"] = [_("Choose an agreement you take part in.")]
    elif (
        agreement is not None
        and organisation.kind != OrganisationKind.ADVISER
        and organisation.pk not in (agreement.customer_id, agreement.supplier_id)
    ):
        # A party prepares for its own agreements; an adviser for its clients'.
        problems["agreement"] = [
            _("Choose an agreement %(organisation)s is a party to.")
            % {"organisation": organisation.name}
        ]
    clean_role = _text(problems, "role", role, limits.PERSON_MAX)
    if problems:
        raise ValidationError(problems)
    # Lock the organisation's row so two cases opened at once get consecutive numbers.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    number = (
        Case.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    case = Case.objects.create(
        organisation=organisation,
        number=number,
        title=clean_title,
        kind=kind,
        agreement=agreement,
        created_by=actor,
    )
    Member.objects.create(case=case, user=actor, role=clean_role, owner=True)
    return case


@transaction.atomic
def member_add(*, case: Case, user: User, role: str = "", owner: bool = False) -> Member:
    """Add a person to the case: a member of the owning organisation, or of an adviser
    organisation. Refused for anyone else (the counterparty never joins)."""
    problems: dict[str, list[str]] = {}
    clean_role = _text(problems, "role", role, limits.PERSON_MAX)
    if not may_join(user, case):
        problems["user"] = [
            _(
                "Only people of %(organisation)s and of an adviser organisation can be "
                "added to the case."
            )
            % {"organisation": case.organisation.name}
        ]
    elif Member.objects.filter(case=case, user=user).exists():
        problems["user"] = [_("%(person)s is already on the case.") % {"person": user}]
    elif Member.objects.filter(case=case).count() >= MEMBERS_MAX:
        problems["user"] = [_("A case has at most %(n)s members.") % {"n": MEMBERS_MAX}]
    if problems:
        raise ValidationError(problems)
    position = Member.objects.filter(case=case).count()
    return Member.objects.create(
        case=case, user=user, role=clean_role, owner=owner, position=position
    )


@transaction.atomic
def member_change(*, member: Member, role: str, owner: bool) -> Member:
    """Change a member's role in the negotiation and whether they own the case (a case
    keeps at least one owner)."""
    problems: dict[str, list[str]] = {}
    member.role = _text(problems, "role", role, limits.PERSON_MAX)
    if member.owner and not owner and _last_owner(member):
        problems["owner"] = [_("The case needs an owner: make someone else owner first.")]
    if problems:
        raise ValidationError(problems)
    member.owner = owner
    member.save(update_fields=["role", "owner"])
    return member


def _last_owner(member: Member) -> bool:
    return not Member.objects.filter(case=member.case_id, owner=True).exclude(pk=member.pk).exists()


@transaction.atomic
def member_remove(*, member: Member) -> None:
    """Take a person off the case (from then on they get 404 for it); never its last owner."""
    if member.owner and _last_owner(member):
        raise ValidationError(
            _("The case needs an owner: make someone else owner first."), code="last_owner"
        )
    member.delete()


# The steps' texts ---------------------------------------------------------------------------------


@transaction.atomic
def case_update(*, case: Case, version: int | None, title: str | None = None, **texts: Any) -> Case:
    """Save the texts of a step (any of ``TEXT_FIELDS``), and the title when given."""
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not a text of the case: {sorted(unknown)}")
    problems: dict[str, list[str]] = {}
    clean = {name: _text(problems, name, value, TEXT_FIELDS[name]) for name, value in texts.items()}
    if title is not None:
        clean["title"] = _required(problems, "title", title, limits.TITLE_MAX)
    if problems:
        raise ValidationError(problems)
    _claim(case, version)
    for name, value in clean.items():
        setattr(case, name, value)
    case.save(update_fields=[*clean, "updated_at"])
    return case


# The steps' lists ----------------------------------------------------------------------------------

RowT = TypeVar("RowT", bound=models.Model)


def _replace(
    case: Case,
    model: type[RowT],
    rows: Sequence[tuple[int | None, dict[str, Any]]],
) -> list[RowT]:
    """Keep the rows whose id is given (updated), create those without, remove the rest;
    in the order given."""
    existing = {row.pk: row for row in model._default_manager.filter(case=case)}
    kept: list[RowT] = []
    for position, (pk, values) in enumerate(rows):
        row = existing.pop(pk) if pk is not None else model(case=case)
        for name, value in {**values, "position": position}.items():
            setattr(row, name, value)
        row.save()
        kept.append(row)
    model._default_manager.filter(pk__in=list(existing)).delete()
    return kept


def _ids(
    problems: dict[str, list[str]], path: str, rows: Sequence[Mapping[str, Any]], known: set[int]
) -> list[int | None]:
    ids: list[int | None] = []
    for index, row in enumerate(rows):
        pk = row.get("id")
        if pk is not None and (isinstance(pk, bool) or not isinstance(pk, int) or pk not in known):
            problems[f"{path}[{index}].id"] = [_("No such row in this case.")]
            pk = None
        ids.append(pk)
    return ids


def _too_many(problems: dict[str, list[str]], path: str, rows: Sequence[Any]) -> bool:
    if len(rows) > ROWS_MAX:
        problems[path] = [_("At most %(n)s rows.") % {"n": ROWS_MAX}]
        return True
    return False


def _priority(problems: dict[str, list[str]], path: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        problems[path] = [_("Choose a priority from 1 (low) to 5 (decisive).")]
        return 1
    return int(value)


@transaction.atomic
def interests_set(
    *, case: Case, version: int | None, interests: Sequence[Mapping[str, Any]]
) -> list[Interest]:
    """Replace the interests: ``side`` (ours/theirs), ``text``, ``priority`` 1–5,
    ``relation`` (shared/conflicting), and ``id`` to keep an existing one."""
    problems: dict[str, list[str]] = {}
    rows: list[tuple[int | None, dict[str, Any]]] = []
    if not _too_many(problems, "interests", interests):
        known = set(Interest.objects.filter(case=case).values_list("pk", flat=True))
        ids = _ids(problems, "interests", interests, known)
        for index, row in enumerate(interests):
            path = f"interests[{index}]"
            values = {
                "side": row.get("side"),
                "text": _required(problems, f"{path}.text", row.get("text"), limits.LINE_MAX),
                "priority": _priority(problems, f"{path}.priority", row.get("priority")),
                "relation": row.get("relation"),
            }
            if values["side"] not in Side.values:
                problems[f"{path}.side"] = [_("Say whose interest it is: ours or theirs.")]
            if values["relation"] not in Relation.values:
                problems[f"{path}.relation"] = [_("Say whether it is shared or conflicting.")]
            rows.append((ids[index], values))
    if problems:
        raise ValidationError(problems)
    _claim(case, version)
    return _replace(case, Interest, rows)


@transaction.atomic
def options_set(
    *, case: Case, version: int | None, options: Sequence[Mapping[str, Any]]
) -> list[Option]:
    """Replace the options: ``name``, ``description``, and ``id`` to keep one (with its
    scores and checks)."""
    problems: dict[str, list[str]] = {}
    rows: list[tuple[int | None, dict[str, Any]]] = []
    if not _too_many(problems, "options", options):
        known = set(Option.objects.filter(case=case).values_list("pk", flat=True))
        ids = _ids(problems, "options", options, known)
        for index, row in enumerate(options):
            path = f"options[{index}]"
            values = {
                "name": _required(problems, f"{path}.name", row.get("name"), limits.TITLE_MAX),
                "description": _text(
                    problems, f"{path}.description", row.get("description"), limits.TEXT_MAX
                ),
            }
            rows.append((ids[index], values))
    if problems:
        raise ValidationError(problems)
    _claim(case, version)
    return _replace(case, Option, rows)


@transaction.atomic
def scores_set(
    *, case: Case, version: int | None, scores: Mapping[tuple[int, int], int | None]
) -> None:
    """Set the matrix: a score 1–5 (or None to clear it) by (option id, interest id)."""
    options = set(Option.objects.filter(case=case).values_list("pk", flat=True))
    interests = set(Interest.objects.filter(case=case).values_list("pk", flat=True))
    problems: dict[str, list[str]] = {}
    for (option, interest), score in scores.items():
        if option not in options or interest not in interests:
            problems["scores"] = [_("Score this case's options against its interests.")]
        elif score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5
        ):
            problems[f"scores[{option}][{interest}]"] = [_("Score from 1 to 5.")]
    if problems:
        raise ValidationError(problems)
    _claim(case, version)
    for (option, interest), score in scores.items():
        if score is None:
            OptionScore.objects.filter(option=option, interest=interest).delete()
        else:
            OptionScore.objects.update_or_create(
                option_id=option, interest_id=interest, defaults={"score": score, "case": case}
            )


@transaction.atomic
def goals_set(*, case: Case, version: int | None, goals: Sequence[Mapping[str, Any]]) -> list[Goal]:
    """Replace the goals set for the negotiation: ``text``, and ``id`` to keep one."""
    problems: dict[str, list[str]] = {}
    rows: list[tuple[int | None, dict[str, Any]]] = []
    if not _too_many(problems, "goals", goals):
        known = set(Goal.objects.filter(case=case).values_list("pk", flat=True))
        ids = _ids(problems, "goals", goals, known)
        for index, row in enumerate(goals):
            text = _required(problems, f"goals[{index}].text", row.get("text"), limits.LINE_MAX)
            rows.append((ids[index], {"text": text}))
    if problems:
        raise ValidationError(problems)
    _claim(case, version)
    return _replace(case, Goal, rows)


@transaction.atomic
def checks_set(
    *, case: Case, version: int | None, checks: Mapping[tuple[int, int], bool | None]
) -> None:
    """Whether each option meets each goal, by (option id, goal id); None clears it."""
    options = set(Option.objects.filter(case=case).values_list("pk", flat=True))
    goals = set(Goal.objects.filter(case=case).values_list("pk", flat=True))
    if any(option not in options or goal not in goals for option, goal in checks):
        raise ValidationError({"checks": _("Check this case's options against its goals.")})
    _claim(case, version)
    for (option, goal), meets in checks.items():
        if meets is None:
            GoalCheck.objects.filter(option=option, goal=goal).delete()
        else:
            GoalCheck.objects.update_or_create(
                option_id=option, goal_id=goal, defaults={"meets": bool(meets), "case": case}
            )


@transaction.atomic
def fallbacks_set(
    *, case: Case, version: int | None, fallbacks: Sequence[Mapping[str, Any]]
) -> list[FallbackPlan]:
    """Replace the plans B: ``issue`` (a critical issue), ``plan``, and ``id`` to keep one."""
    problems: dict[str, list[str]] = {}
    rows: list[tuple[int | None, dict[str, Any]]] = []
    if not _too_many(problems, "fallbacks", fallbacks):
        known = set(FallbackPlan.objects.filter(case=case).values_list("pk", flat=True))
        ids = _ids(problems, "fallbacks", fallbacks, known)
        for index, row in enumerate(fallbacks):
            path = f"fallbacks[{index}]"
            values = {
                "issue": _required(problems, f"{path}.issue", row.get("issue"), limits.LINE_MAX),
                "plan": _required(problems, f"{path}.plan", row.get("plan"), limits.TEXT_MAX),
            }
            rows.append((ids[index], values))
    if problems:
        raise ValidationError(problems)
    _claim(case, version)
    return _replace(case, FallbackPlan, rows)


@transaction.atomic
def actions_set(
    *, case: Case, version: int | None, actions: Sequence[Mapping[str, Any]]
) -> list[Action]:
    """Replace the plan's actions: ``who``, ``what``, ``how``, ``when`` (a date),
    ``status`` (planned, underway, done), and ``id`` to keep one."""
    problems: dict[str, list[str]] = {}
    rows: list[tuple[int | None, dict[str, Any]]] = []
    if not _too_many(problems, "actions", actions):
        known = set(Action.objects.filter(case=case).values_list("pk", flat=True))
        ids = _ids(problems, "actions", actions, known)
        for index, row in enumerate(actions):
            path = f"actions[{index}]"
            when = row.get("when")
            if isinstance(when, datetime.datetime) or not isinstance(when, datetime.date):
                problems[f"{path}.when"] = [_("Enter a valid date.")]
                when = None
            status = row.get("status") or ActionStatus.PLANNED
            if status not in ActionStatus.values:
                problems[f"{path}.status"] = [_("Choose planned, under way or done.")]
            values = {
                "who": _required(problems, f"{path}.who", row.get("who"), limits.PERSON_MAX),
                "what": _required(problems, f"{path}.what", row.get("what"), limits.LINE_MAX),
                "how": _text(problems, f"{path}.how", row.get("how"), limits.TEXT_MAX),
                "when": when,
                "status": status,
            }
            rows.append((ids[index], values))
    if problems:
        raise ValidationError(problems)
    _claim(case, version)
    return _replace(case, Action, rows)


# Steps saved from one page ---------------------------------------------------------------------
# A step's page saves what it shows at once: all of it or (on a problem or a stale version)
# nothing. Each takes the version the page was read at.


@transaction.atomic
def alternatives_set(
    *,
    case: Case,
    version: int | None,
    options: Sequence[Mapping[str, Any]],
    scores: Mapping[tuple[int, int], int | None],
) -> list[Option]:
    """Replace the options (``options_set``) and set the matrix (``scores_set``); scores of
    options removed here are dropped with them."""
    kept = options_set(case=case, version=version, options=options)
    ids = {option.pk for option in kept}
    scores_set(
        case=case,
        version=case.version,
        scores={key: score for key, score in scores.items() if key[0] in ids},
    )
    return kept


@transaction.atomic
def check_set(
    *,
    case: Case,
    version: int | None,
    goals: Sequence[Mapping[str, Any]],
    checks: Mapping[tuple[int, int], bool | None],
) -> list[Goal]:
    """Replace the goals (``goals_set``) and set whether each option meets each goal
    (``checks_set``); checks of goals removed here are dropped with them."""
    kept = goals_set(case=case, version=version, goals=goals)
    ids = {goal.pk for goal in kept}
    checks_set(
        case=case,
        version=case.version,
        checks={key: meets for key, meets in checks.items() if key[1] in ids},
    )
    return kept


@transaction.atomic
def fallback_set(
    *,
    case: Case,
    version: int | None,
    batna: str,
    walk_away: str,
    fallbacks: Sequence[Mapping[str, Any]],
) -> list[FallbackPlan]:
    """Save the best alternative without an agreement, the walk-away point and the plans B."""
    case_update(case=case, version=version, batna=batna, walk_away=walk_away)
    return fallbacks_set(case=case, version=case.version, fallbacks=fallbacks)
