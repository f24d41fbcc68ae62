"""People impact of an approved idea (Medarbetare): whom it changes, how much resistance
to expect and why, and the engagement actions that handle it.

Where strategy and routines are questioned, conflict and resistance arise and must be
handled; the people's engagement decides whether an idea has its effect. So an idea
that is approved (or further on: in implementation, implemented, effect measured) has
its people impact recorded: the affected groups, the expected resistance (low, medium,
high) with its reason, and engagement actions, each with an owner (a participant of
either side) and a date, marked done when done.

**When.** Recorded and changed from approval on (``PEOPLE_STAGES``); before that the
idea may still change or be turned down. An idea never goes back from approved, so a
record, once made, stays visible on the idea for good.

**The warning.** An idea in ``PEOPLE_STAGES`` with high expected resistance and *no*
engagement action at all is flagged (idea page, board, overview, API). An action
marked done still counts: the people were engaged. ``with_people_warning`` computes it
in the same query as the ideas.

**Who.** Editors and owners of either side record and change it (both sides live with
the change); viewers read; outsiders never reach it (the access module).

**Versions.** The people impact and its actions are one thing with one ``version`` (the
impact's): every change of the impact or of an action takes the next version, and a
caller passes the version it read (0 before anything is recorded); a stale one raises
``StaleEditError``. Actions are added once the impact (groups and resistance) is there.
Every change is audited and told in the agreement's history.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Participant, ParticipantRole
from samverkan.core.errors import StaleEditError
from samverkan.core.validation import text_within
from samverkan.innovation.models import EngagementAction, Idea, PeopleImpact, Resistance, Stage
from samverkan.lib import limits

PEOPLE_STAGES = (Stage.APPROVED, Stage.IMPLEMENTATION, Stage.IMPLEMENTED, Stage.MEASURED)
REASONED = (Resistance.MEDIUM, Resistance.HIGH)  # a resistance that needs its reason

Problems = dict[str, list[str]]


# Reads -------------------------------------------------------------------------------------


def people_warning_q() -> Q:
    """The warning as a condition on ideas: approved or later, high resistance, no action."""
    return (
        Q(stage__in=PEOPLE_STAGES)
        & Q(Exists(PeopleImpact.objects.filter(idea=OuterRef("pk"), resistance=Resistance.HIGH)))
        & ~Q(Exists(EngagementAction.objects.filter(idea=OuterRef("pk"))))
    )


def with_people_warning(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    """The ideas, each with ``people_warning`` (bool), in the same query."""
    return ideas.annotate(
        people_warning=ExpressionWrapper(people_warning_q(), output_field=BooleanField())
    )


@dataclass(frozen=True)
class IdeaRef:
    number: int
    title: str


def ideas_needing_engagement(agreement_id: int) -> list[IdeaRef]:
    """The agreement's flagged ideas (see the module), by number, in one query."""
    rows = (
        Idea.objects.filter(agreement_id=agreement_id)
        .filter(people_warning_q())
        .order_by("number")
        .values_list("number", "title")
    )
    return [IdeaRef(number, title) for number, title in rows]


def people_recordable(idea: Idea) -> bool:
    return idea.stage in PEOPLE_STAGES


def people_warning_of(idea: Idea) -> bool:
    """Whether the idea is flagged: its ``people_warning`` annotation when it was read
    ``with_people_warning``, else one query (none before approval)."""
    annotated = getattr(idea, "people_warning", None)
    if annotated is not None:
        return bool(annotated)
    if not people_recordable(idea):
        return False
    return Idea.objects.filter(pk=idea.pk).filter(people_warning_q()).exists()


@dataclass(frozen=True)
class People:
    """An idea's people impact as shown: the record (None: none yet), its actions, the
    version to pass with a change, and whether the idea is flagged."""

    impact: PeopleImpact | None
    actions: list[EngagementAction]
    recordable: bool

    @property
    def version(self) -> int:
        return self.impact.version if self.impact is not None else 0

    @property
    def warning(self) -> bool:
        return (
            self.recordable
            and self.impact is not None
            and self.impact.resistance == Resistance.HIGH
            and not self.actions
        )


def people_of(idea: Idea) -> People:
    """The idea's people impact and its actions with their owners (two queries)."""
    impact = PeopleImpact.objects.filter(idea=idea).first()
    actions = list(
        EngagementAction.objects.filter(idea=idea)
        .select_related("owner")
        .order_by("position", "pk")
    )
    return People(impact=impact, actions=actions, recordable=people_recordable(idea))


def action_owners(agreement_id: int) -> list[Participant]:
    """Who may own an engagement action: the agreement's participants, either side, any role."""
    return list(
        Participant.objects.filter(agreement_id=agreement_id)
        .select_related("user")
        .order_by("side", "user__full_name", "user__email")
    )


# Checks the writes share ---------------------------------------------------------------------


def _editor(idea: Idea, actor: User | None) -> None:
    if actor is None:  # the demo
        return
    if (
        not Participant.objects.filter(agreement_id=idea.agreement_id, user=actor)
        .exclude(role=ParticipantRole.VIEWER)
        .exists()
    ):
        raise PermissionDenied(_("Only editors and owners of the agreement do this."))


def _open(idea: Idea, actor: User | None, version: int | None) -> PeopleImpact | None:
    """Lock the idea, check its stage and the version read; the impact as it is now."""
    _editor(idea, actor)
    stage = Idea.objects.select_for_update().filter(pk=idea.pk).values_list("stage", flat=True)
    idea.stage = stage.get()
    if not people_recordable(idea):
        raise ValidationError(
            _("The people impact is recorded once the idea is approved; this idea is “%(stage)s”.")
            % {"stage": Stage(idea.stage).label},
            code="not_approved",
        )
    impact = PeopleImpact.objects.filter(idea=idea).first()
    current = impact.version if impact is not None else 0
    if version is not None and version != current:
        raise StaleEditError
    return impact


def _claim(impact: PeopleImpact) -> None:
    """Take the impact's next version (the idea is locked: nobody else writes it now)."""
    impact.version += 1
    PeopleImpact.objects.filter(pk=impact.pk).update(version=impact.version)


def _text(problems: Problems, path: str, value: Any, most: int, required: str = "") -> str:
    try:
        text = text_within(value, path, most)
    except ValidationError as exc:
        problems.setdefault(path, []).extend(exc.message_dict[path])
        return ""
    if not text and required:
        problems.setdefault(path, []).append(required)
    return text


def _impact_fields(
    problems: Problems, prefix: str, affected_groups: Any, resistance: Any, reason: Any
) -> dict[str, str]:
    groups = _text(
        problems,
        f"{prefix}affected_groups",
        affected_groups,
        limits.TEXT_MAX,
        _("Name the groups of people the idea changes."),
    )
    if resistance not in Resistance.values:
        problems.setdefault(f"{prefix}resistance", []).append(
            _("Choose the expected resistance: low, medium or high.")
        )
    needs_reason = resistance in REASONED
    clean_reason = _text(
        problems,
        f"{prefix}resistance_reason",
        reason,
        limits.TEXT_MAX,
        _("Say why you expect this resistance.") if needs_reason else "",
    )
    return {
        "affected_groups": groups,
        "resistance": str(resistance) if resistance in Resistance.values else "",
        "resistance_reason": clean_reason,
    }


def _action_fields(
    problems: Problems,
    prefix: str,
    owners: set[int],
    action: Any,
    owner: User | None,
    due: Any,
) -> dict[str, Any]:
    text = _text(
        problems, f"{prefix}action", action, limits.LINE_MAX, _("Describe the engagement action.")
    )
    if owner is None:
        problems.setdefault(f"{prefix}owner", []).append(_("Choose who owns the action."))
    elif owner.pk not in owners:
        problems.setdefault(f"{prefix}owner", []).append(
            _("The owner must take part in the agreement (either side).")
        )
    if not isinstance(due, datetime.date) or isinstance(due, datetime.datetime):
        problems.setdefault(f"{prefix}due", []).append(_("Enter the date of the action."))
    return {"action": text, "owner": owner, "due": due}


def _owners(idea: Idea) -> set[int]:
    return set(
        Participant.objects.filter(agreement_id=idea.agreement_id).values_list("user_id", flat=True)
    )


def _needs_impact(impact: PeopleImpact | None) -> PeopleImpact:
    if impact is None:
        raise ValidationError(
            _(
                "Record the affected groups and the expected resistance first; the "
                "engagement actions follow from them."
            ),
            code="no_impact",
        )
    return impact


def _save_impact(
    idea: Idea, impact: PeopleImpact | None, fields: Mapping[str, str]
) -> PeopleImpact:
    if impact is None:
        impact = PeopleImpact(idea=idea, agreement_id=idea.agreement_id, version=1, **fields)
        impact.full_clean(exclude=["idea", "agreement"])
        try:
            with transaction.atomic():
                impact.save()
        except IntegrityError as exc:  # recorded by someone else at the same moment
            raise StaleEditError from exc
        return impact
    _claim(impact)
    for name, value in fields.items():
        setattr(impact, name, value)
    impact.full_clean(exclude=["idea", "agreement"])
    impact.save(update_fields=[*fields, "updated_at"])
    return impact


def _action_of(idea: Idea, action_id: int) -> EngagementAction:
    found = EngagementAction.objects.filter(idea=idea, pk=action_id).first()
    if found is None:
        raise ValidationError(_("The idea has no such engagement action."), code="no_action")
    return found


# Writes ----------------------------------------------------------------------------------------


@transaction.atomic
def people_impact_save(
    *,
    idea: Idea,
    actor: User | None,
    affected_groups: str,
    resistance: str,
    resistance_reason: str = "",
    version: int | None,
) -> PeopleImpact:
    """Record or change the idea's affected groups and expected resistance.

    The groups and a resistance are required; medium and high resistance need their
    reason. Refused before approval; every problem at once, by field.
    """
    impact = _open(idea, actor, version)
    problems: Problems = {}
    fields = _impact_fields(problems, "", affected_groups, resistance, resistance_reason)
    if problems:
        raise ValidationError(problems)
    return _save_impact(idea, impact, fields)


@transaction.atomic
def engagement_action_add(
    *,
    idea: Idea,
    actor: User | None,
    action: str,
    owner: User | None,
    due: datetime.date | None,
    version: int | None,
) -> EngagementAction:
    """Add an engagement action (last in the list) with its owner, a participant of
    either side, and its date; at most ``limits.ENGAGEMENT_ACTIONS_MAX`` per idea."""
    impact = _needs_impact(_open(idea, actor, version))
    problems: Problems = {}
    fields = _action_fields(problems, "", _owners(idea), action, owner, due)
    actions = EngagementAction.objects.filter(idea=idea)
    if actions.count() >= limits.ENGAGEMENT_ACTIONS_MAX:
        problems.setdefault("action", []).append(
            _("An idea has at most %(most)s engagement actions.")
            % {"most": limits.ENGAGEMENT_ACTIONS_MAX}
        )
    if problems:
        raise ValidationError(problems)
    position = (actions.aggregate(n=Max("position"))["n"] or 0) + 1
    row = EngagementAction(idea=idea, agreement_id=idea.agreement_id, position=position, **fields)
    row.full_clean(exclude=["idea", "agreement", "owner"])
    _claim(impact)
    row.save()
    return row


@transaction.atomic
def engagement_action_update(
    *,
    idea: Idea,
    actor: User | None,
    action_id: int,
    action: str,
    owner: User | None,
    due: datetime.date | None,
    version: int | None,
) -> EngagementAction:
    """Change an engagement action's text, owner and date."""
    impact = _needs_impact(_open(idea, actor, version))
    row = _action_of(idea, action_id)
    problems: Problems = {}
    fields = _action_fields(problems, "", _owners(idea), action, owner, due)
    if problems:
        raise ValidationError(problems)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean(exclude=["idea", "agreement", "owner"])
    _claim(impact)
    row.save()
    return row


@transaction.atomic
def engagement_action_mark(
    *, idea: Idea, actor: User | None, action_id: int, done: bool, version: int | None
) -> EngagementAction:
    """Mark an engagement action done (or not done again)."""
    impact = _needs_impact(_open(idea, actor, version))
    row = _action_of(idea, action_id)
    _claim(impact)
    if row.done != done:
        row.done = done
        row.save(update_fields=["done"])
    return row


@transaction.atomic
def engagement_action_remove(
    *, idea: Idea, actor: User | None, action_id: int, version: int | None
) -> None:
    """Remove an engagement action."""
    impact = _needs_impact(_open(idea, actor, version))
    row = _action_of(idea, action_id)
    _claim(impact)
    row.delete()


@transaction.atomic
def people_impact_replace(
    *,
    idea: Idea,
    actor: User | None,
    affected_groups: str,
    resistance: str,
    resistance_reason: str = "",
    actions: Sequence[Mapping[str, Any]],
    version: int | None,
) -> PeopleImpact:
    """Replace the people impact whole, with its actions in order (the API's write).

    ``actions``: ``[{"id"?, "action", "owner" (a User or None), "due", "done"?}]``; an
    action with the ``id`` of one of the idea's actions changes it, one without is new,
    and the idea's actions not listed are removed. Problems are named by path
    (``actions[1].due``), all at once.
    """
    impact = _open(idea, actor, version)
    problems: Problems = {}
    fields = _impact_fields(problems, "", affected_groups, resistance, resistance_reason)
    if len(actions) > limits.ENGAGEMENT_ACTIONS_MAX:
        problems.setdefault("actions", []).append(
            _("An idea has at most %(most)s engagement actions.")
            % {"most": limits.ENGAGEMENT_ACTIONS_MAX}
        )
    existing = {row.pk: row for row in EngagementAction.objects.filter(idea=idea)}
    owners = _owners(idea)
    wanted: list[tuple[int | None, dict[str, Any]]] = []
    seen: set[int] = set()
    for i, given in enumerate(actions):
        at = f"actions[{i}]."
        row_id = given.get("id")
        if row_id is not None and (row_id not in existing or row_id in seen):
            problems.setdefault(f"{at}id", []).append(
                _("The idea has no such engagement action.")
                if row_id not in existing
                else _("The same action is listed twice.")
            )
        if row_id is not None:
            seen.add(row_id)
        values = _action_fields(
            problems, at, owners, given.get("action"), given.get("owner"), given.get("due")
        )
        values["done"] = bool(given.get("done", False))
        wanted.append((row_id, values))
    if problems:
        raise ValidationError(problems)
    impact = _save_impact(idea, impact, fields)  # the next version, or version 1
    for row_id, row in existing.items():
        if row_id not in seen:
            row.delete()
    for position, (row_id, values) in enumerate(wanted, start=1):
        action_row = (
            existing[row_id]
            if row_id is not None
            else EngagementAction(idea=idea, agreement_id=idea.agreement_id)
        )
        changed = action_row.pk is None or action_row.position != position
        for name, value in values.items():
            changed = changed or getattr(action_row, name) != value
            setattr(action_row, name, value)
        action_row.position = position
        if changed:
            action_row.full_clean(exclude=["idea", "agreement", "owner"])
            action_row.save()
    return impact
