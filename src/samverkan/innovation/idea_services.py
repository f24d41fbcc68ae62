"""Writes for ideas: proposing one, moving it through the pipeline, referring it up.

The pipeline, one stage at a time::

    proposed → under evaluation → decided (approved / rejected / parked)
             → in implementation → implemented → effect measured

A parked idea may be taken up for evaluation again; a rejected one and one whose
effect is measured stay where they are. A decision needs its reason.

**Who decides.** Editors and owners of either side propose ideas and move them on.
The decision (approve, reject, park) is the deciding forum's, a joint body; in
Samverkan it is *recorded* by an editor or owner of the customer's side, because
the customer holds the budget the forum's mandate limits, and a supplier should not
be the one to approve the spending on its own idea. Approval is a decision of type
``innovation_approval``: the forum deciding (the framework's, or the one the idea was
referred to) must have that decision in its mandate with a limit that covers the
idea's estimated cost. When it does not, the idea can be referred in one step to the
next forum of the escalation path whose mandate does (``idea_refer``).

Every step is an ``IdeaStep`` row (audited, told by the agreement's history) and bumps
the idea's ``version``: a caller passes the version it read, and a stale one raises
``StaleEditError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement, Participant, Side
from samverkan.collaboration.models import EscalationStep, Forum
from samverkan.core.errors import StaleEditError
from samverkan.core.formatting import format_money
from samverkan.core.validation import text_within
from samverkan.innovation.models import (
    Area,
    EffectUnit,
    Framework,
    Goal,
    Idea,
    IdeaStep,
    RealisedEffect,
    Stage,
)
from samverkan.lib import limits

APPROVAL = "innovation_approval"  # the decision type of the collaboration model's catalogue
FIGURE_MAX = Decimal(10) ** 13  # an effect and a baseline stay below this, either sign

# Where each stage may go next, in order.
NEXT: dict[str, tuple[str, ...]] = {
    Stage.PROPOSED: (Stage.EVALUATION,),
    Stage.EVALUATION: (Stage.APPROVED, Stage.REJECTED, Stage.PARKED),
    Stage.PARKED: (Stage.EVALUATION,),
    Stage.APPROVED: (Stage.IMPLEMENTATION,),
    Stage.REJECTED: (),
    Stage.IMPLEMENTATION: (Stage.IMPLEMENTED,),
    Stage.IMPLEMENTED: (Stage.MEASURED,),
    Stage.MEASURED: (),
}
DECISIONS = frozenset({Stage.APPROVED, Stage.REJECTED, Stage.PARKED})  # need a reason


# Reads the services and the pages share ---------------------------------------------------


def stage_names(stages: Sequence[str]) -> str:
    return ", ".join(_("“%(text)s”") % {"text": Stage(stage).label} for stage in stages)


def next_stages(idea: Idea, side: str | None) -> list[str]:
    """The stages ``side`` may move the idea to now (decisions: the customer's side only);
    none for ``None`` (a viewer)."""
    if side is None:
        return []
    return [
        stage
        for stage in NEXT.get(idea.stage, ())
        if stage not in DECISIONS or side == Side.CUSTOMER
    ]


def mandate_limit(forum: Forum) -> tuple[bool, int | None]:
    """Whether the forum's mandate holds innovation approval, and its limit (None: none)."""
    found, highest = False, None
    for entry in forum.mandate or []:
        if not isinstance(entry, dict) or entry.get("decision") != APPROVAL:
            continue
        limit = entry.get("limit")
        if limit is None or limit == "":
            return True, None
        found = True
        highest = int(limit) if highest is None else max(highest, int(limit))
    return found, highest


def covers(forum: Forum, cost: int) -> bool:
    found, limit = mandate_limit(forum)
    return found and (limit is None or cost <= limit)


def deciding_forum(idea: Idea, framework: Framework | None) -> Forum | None:
    """The forum that decides on the idea: the one it was referred to, else the framework's."""
    if idea.deciding_forum is not None:
        return idea.deciding_forum
    return framework.deciding_forum if framework is not None else None


def referral_target(idea: Idea, framework: Framework | None) -> Forum | None:
    """The next forum of the escalation path, after the one deciding now, whose mandate
    covers the idea's cost; None when there is none (or nothing to refer from)."""
    current = deciding_forum(idea, framework)
    if current is None:
        return None
    path = [
        step.forum
        for step in EscalationStep.objects.filter(agreement_id=idea.agreement_id)
        .select_related("forum")
        .order_by("position", "pk")
    ]
    ids = [forum.pk for forum in path]
    after = path[ids.index(current.pk) + 1 :] if current.pk in ids else path
    for forum in after:
        if forum.pk != current.pk and covers(forum, idea.cost or 0):
            return forum
    return None


@dataclass(frozen=True)
class ApprovalCheck:
    """Whether the forum deciding now may approve the idea, and if not, why and where to."""

    forum: Forum | None
    problem: str | None
    refer_to: Forum | None = None


def approval_check(idea: Idea, framework: Framework | None) -> ApprovalCheck:
    """Whether approving the idea lies within the deciding forum's mandate.

    The message names the forum and its limit, and the forum to refer the idea to
    (or says that no forum up the escalation path can approve it).
    """
    if framework is None:
        return ApprovalCheck(
            None,
            _(
                "Approving an idea needs an innovation framework that names the forum that "
                "decides: agree on the framework on the Innovation page first."
            ),
        )
    forum = deciding_forum(idea, framework)
    if forum is None:
        return ApprovalCheck(
            None,
            _(
                "The innovation framework names no deciding forum: choose the forum that "
                "decides on ideas in the framework first."
            ),
        )
    cost = idea.cost or 0
    found, limit = mandate_limit(forum)
    if found and (limit is None or cost <= limit):
        return ApprovalCheck(forum, None)
    if not found:
        problem = _(
            "%(forum)s has no mandate to approve innovations (the decision type “Innovation "
            "approval” is not in its mandate)."
        ) % {"forum": forum.name}
    else:
        problem = _(
            "%(forum)s may approve innovations costing at most %(limit)s; this idea is "
            "estimated at %(cost)s."
        ) % {"forum": forum.name, "limit": format_money(limit), "cost": format_money(cost)}
    target = referral_target(idea, framework)
    if target is not None:
        problem += " " + _(
            "Refer it to %(next)s, the next forum in the escalation path whose mandate covers it."
        ) % {"next": target.name}
    else:
        problem += " " + _(
            "No forum further up the escalation path has a mandate that covers it: extend a "
            "forum's mandate in the collaboration model."
        )
    return ApprovalCheck(forum, problem, target)


def side_of(agreement: Agreement, user: User | None) -> str | None:
    """The side the person takes part for in the agreement, or None."""
    if user is None:
        return None
    return (
        Participant.objects.filter(agreement=agreement, user=user)
        .values_list("side", flat=True)
        .first()
    )


# Proposing ---------------------------------------------------------------------------------


def figure(
    problems: dict[str, list[str]], field: str, value: Any, places: str = "0.01"
) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if isinstance(value, bool) or not number.is_finite():
        problems.setdefault(field, []).append(_("Enter a number."))
        return None
    if abs(number) >= FIGURE_MAX:
        problems.setdefault(field, []).append(_("The number is too large."))
        return None
    return number.quantize(Decimal(places))


def _text(problems: dict[str, list[str]], field: str, value: Any, most: int) -> str:
    try:
        return text_within(value, field, most)
    except ValidationError as exc:
        problems.setdefault(field, []).extend(exc.message_dict[field])
        return ""


def _idea_fields(
    problems: dict[str, list[str]],
    agreement: Agreement,
    *,
    title: str,
    area: str,
    problem: str,
    proposal: str,
    cost: int,
    effect: Decimal | int | str | None,
    effect_unit: str,
    effect_unit_other: str,
    baseline: Decimal | int | str | None,
    effort_days: Decimal | int | str | None,
    goals: list[Goal],
) -> dict[str, Any]:
    """What an idea says, cleaned for its fields; each problem added to ``problems`` by
    field. Proposing and editing an idea check it the same way."""
    clean_title = _text(problems, "title", title, limits.TITLE_MAX)
    if not clean_title and "title" not in problems:
        problems["title"] = [_("This field is required.")]
    if area not in Area.values:
        problems["area"] = [_("Choose one of the four areas.")]
    texts = {}
    for field, value in (("problem", problem), ("proposal", proposal)):
        texts[field] = _text(problems, field, value, limits.TEXT_MAX)
        if not texts[field] and field not in problems:
            problems[field] = [_("This field is required.")]
    if isinstance(cost, bool) or not isinstance(cost, int) or not 0 <= cost <= limits.AMOUNT_MAX:
        problems["cost"] = [_("Enter the estimated cost as a whole amount in SEK.")]
    effect_value = figure(problems, "effect", effect)
    baseline_value = figure(problems, "baseline", baseline)
    days = figure(problems, "effort_days", effort_days, "0.1")
    if days is not None and not 0 <= days <= limits.EFFORT_DAYS_MAX:
        problems["effort_days"] = [
            _("Enter a number from %(least)s to %(most)s.")
            % {"least": 0, "most": limits.EFFORT_DAYS_MAX}
        ]
    other = _text(problems, "effect_unit_other", effect_unit_other, limits.UNIT_MAX)
    if effect_unit not in ("", *EffectUnit.values):
        problems["effect_unit"] = [_("Choose a unit.")]
    elif effect_value is not None and not effect_unit:
        problems["effect_unit"] = [_("Choose the unit the effect is measured in.")]
    elif effect_unit == EffectUnit.OTHER and not other:
        problems["effect_unit_other"] = [_("Name the unit.")]
    if effect_unit != EffectUnit.OTHER:
        other = ""
    if any(goal.agreement_id != agreement.pk for goal in goals):
        problems["goals"] = [_("Choose goals of this agreement's innovation framework.")]
    return {
        "title": clean_title,
        "area": area,
        "problem": texts["problem"],
        "proposal": texts["proposal"],
        "effect": effect_value,
        "effect_unit": effect_unit,
        "effect_unit_other": other,
        "baseline": baseline_value,
        "effort_days": days,
        "cost": cost,
    }


@transaction.atomic
def idea_propose(
    *,
    agreement: Agreement,
    actor: User | None,
    title: str,
    area: str,
    problem: str,
    proposal: str,
    cost: int,
    effect: Decimal | int | str | None = None,
    effect_unit: str = "",
    effect_unit_other: str = "",
    baseline: Decimal | int | str | None = None,
    effort_days: Decimal | int | str | None = None,
    goals: Sequence[Goal] = (),
    side: str | None = None,
) -> Idea:
    """Register an idea, proposed by ``actor`` for the side they take part for.

    ``side`` is only for callers without a person (the demo); a person's own side wins.
    ``cost`` in whole SEK (0 allowed); the effect, when given, needs its unit (``other``:
    with ``effect_unit_other``). ``goals`` must be goals of the agreement's framework.
    Every problem is raised at once, by field.
    """
    problems: dict[str, list[str]] = {}
    own_side = side_of(agreement, actor)
    if actor is not None and own_side is None:
        raise PermissionDenied(_("Only participants of the agreement propose ideas."))
    side = own_side or side
    if side not in Side.values:
        problems["side"] = [_("Choose the side that proposes the idea.")]
    goals = list(goals)
    fields = _idea_fields(
        problems,
        agreement,
        title=title,
        area=area,
        problem=problem,
        proposal=proposal,
        cost=cost,
        effect=effect,
        effect_unit=effect_unit,
        effect_unit_other=effect_unit_other,
        baseline=baseline,
        effort_days=effort_days,
        goals=goals,
    )
    if problems:
        raise ValidationError(problems)
    # Lock the agreement so two ideas proposed at once get consecutive numbers.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    number = (Idea.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0) + 1
    idea = Idea(
        agreement=agreement,
        number=number,
        proposer=actor,
        side=str(side),
        stage=Stage.PROPOSED,
        stage_changed_at=timezone.now(),
        **fields,
    )
    idea.full_clean(exclude=["proposer", "goals"])
    idea.save()
    if goals:
        idea.goals.set(goals)
    return idea


# Moving on ---------------------------------------------------------------------------------


def _claim(idea: Idea, version: int | None) -> None:
    """Take the next version of the idea, or raise ``StaleEditError``."""
    claimed = Idea.objects.filter(pk=idea.pk)
    if version is not None:
        claimed = claimed.filter(version=version)
    if not claimed.update(version=F("version") + 1):
        raise StaleEditError
    idea.refresh_from_db(fields=["version"])


def _framework(idea: Idea) -> Framework | None:
    return (
        Framework.objects.select_related("deciding_forum")
        .filter(agreement=idea.agreement_id)
        .first()
    )


@transaction.atomic
def idea_transition(
    *, idea: Idea, actor: User | None, to: str, reason: str = "", version: int | None
) -> Idea:
    """Move the idea one stage on, to ``to``, and record the step.

    Refused (``ValidationError`` on ``to`` or ``reason``, naming the stages allowed
    next) when ``to`` is not a next stage or a decision comes without its reason;
    approval is refused when outside the deciding forum's mandate (naming the forum,
    its limit and the forum to refer to). A person of the supplier's side may not
    record a decision (``PermissionDenied``). ``actor=None`` (the demo) acts for no side.
    """
    idea.refresh_from_db(
        fields=["stage", "version", "deciding_forum", "cost", "evaluation_closed_at"]
    )
    if version is not None and version != idea.version:  # judged on what the caller saw
        raise StaleEditError
    allowed = NEXT.get(idea.stage, ())
    if to not in allowed:
        if allowed:
            message = _(
                "An idea that is “%(stage)s” can only go to %(next)s, one stage at a time."
            ) % {"stage": Stage(idea.stage).label, "next": stage_names(allowed)}
        else:
            message = _("An idea that is “%(stage)s” goes no further.") % {
                "stage": Stage(idea.stage).label
            }
        raise ValidationError({"to": message}, code="not_next")
    if to in DECISIONS and actor is not None and side_of(idea.agreement, actor) != Side.CUSTOMER:
        raise PermissionDenied(
            _(
                "The deciding forum's decisions on ideas are recorded by the customer's side; "
                "ask an editor of %(customer)s."
            )
            % {"customer": idea.agreement.customer.name}
        )
    clean_reason = text_within(reason, "reason")
    if to in DECISIONS and not clean_reason:
        raise ValidationError(
            {
                "reason": _("Give the reason for the decision (%(stage)s).")
                % {"stage": Stage(to).label}
            },
            code="reason",
        )
    if to == Stage.MEASURED and not RealisedEffect.objects.filter(idea=idea).exists():
        raise ValidationError(
            {
                "to": _(
                    "Record the realised effect, with its date and evidence, on the idea's "
                    "page: that moves the idea to “%(stage)s”."
                )
                % {"stage": Stage.MEASURED.label}
            },
            code="no_effect",
        )
    forum = None
    if to == Stage.APPROVED:
        check = approval_check(idea, _framework(idea))
        if check.problem is not None:
            raise ValidationError({"to": check.problem}, code="mandate")
        forum = check.forum
    elif to in DECISIONS:
        forum = deciding_forum(idea, _framework(idea))
    _claim(idea, version)
    step = IdeaStep(
        idea=idea,
        agreement_id=idea.agreement_id,
        from_stage=idea.stage,
        to_stage=to,
        reason=clean_reason,
        forum=forum,
        actor=actor,
    )
    step.full_clean(exclude=["idea", "agreement", "actor", "forum"])
    step.save()
    if idea.stage == Stage.EVALUATION and idea.evaluation_closed_at is None:
        idea.evaluation_closed_at = timezone.now()  # leaving evaluation closes it
    idea.stage = to
    idea.stage_changed_at = timezone.now()
    if to in DECISIONS:
        idea.decision_reason = clean_reason
    elif to == Stage.EVALUATION:
        idea.decision_reason = ""
        idea.evaluation_closed_at = None  # a parked idea taken up again is scored again
    idea.save(
        update_fields=["stage", "stage_changed_at", "decision_reason", "evaluation_closed_at"]
    )
    return idea


@transaction.atomic
def idea_refer(*, idea: Idea, actor: User | None, version: int | None) -> Forum:
    """Refer an idea under evaluation that its deciding forum may not approve to the next
    forum of the escalation path whose mandate covers its cost; return that forum.

    Refused when the idea is not under evaluation, when the forum deciding now may
    approve it, or when no forum further up can.
    """
    idea.refresh_from_db(fields=["stage", "version", "deciding_forum", "cost"])
    if version is not None and version != idea.version:  # judged on what the caller saw
        raise StaleEditError
    if idea.stage != Stage.EVALUATION:
        raise ValidationError(
            _("Only an idea under evaluation is referred; this one is “%(stage)s”.")
            % {"stage": Stage(idea.stage).label},
            code="not_evaluated",
        )
    check = approval_check(idea, _framework(idea))
    if check.forum is not None and check.problem is None:
        raise ValidationError(
            _("%(forum)s may approve this idea itself: there is nothing to refer.")
            % {"forum": check.forum.name},
            code="within_mandate",
        )
    if check.refer_to is None:
        raise ValidationError(check.problem or "", code="nowhere")
    _claim(idea, version)
    IdeaStep.objects.create(
        idea=idea,
        agreement_id=idea.agreement_id,
        from_stage=idea.stage,
        to_stage=idea.stage,
        forum=check.refer_to,
        referred=True,
        actor=actor,
    )
    idea.deciding_forum = check.refer_to
    idea.save(update_fields=["deciding_forum"])
    return check.refer_to


# Editing ----------------------------------------------------------------------------------

# What an idea says may change until the forum has decided on it: while it is proposed,
# under evaluation, or parked (to be taken up again). From approval or rejection on it
# stays as it was when decided.
EDITABLE = frozenset({Stage.PROPOSED, Stage.EVALUATION, Stage.PARKED})


@transaction.atomic
def idea_edit(
    *,
    idea: Idea,
    actor: User | None,
    version: int,
    title: str,
    area: str,
    problem: str,
    proposal: str,
    cost: int,
    effect: Decimal | int | str | None = None,
    effect_unit: str = "",
    effect_unit_other: str = "",
    baseline: Decimal | int | str | None = None,
    effort_days: Decimal | int | str | None = None,
    goals: Sequence[Goal] = (),
) -> Idea:
    """Change what the idea says: its title, area, problem, proposal, expected effect,
    effort, cost and goals (never its proposer, side or stage).

    Checked as when proposing (every problem at once, by field). Refused while ``version``
    is not the one the caller read (``StaleEditError``), for a person who takes no part
    in the agreement (``PermissionDenied``), and once the idea is decided (approved or
    rejected) or further on: the decision was taken on what it said then. The audit
    trail tells each changed field; a new cost counts in the mandate check at once.
    """
    idea.refresh_from_db(fields=["stage", "version"])
    if version != idea.version:
        raise StaleEditError
    if actor is not None and side_of(idea.agreement, actor) is None:
        raise PermissionDenied(_("Only participants of the agreement edit ideas."))
    if idea.stage not in EDITABLE:
        raise ValidationError(
            _(
                "An idea that is “%(stage)s” is no longer edited: the decision was taken on "
                "what it said then. Propose a new idea if the scope has changed."
            )
            % {"stage": Stage(idea.stage).label},
            code="decided",
        )
    problems: dict[str, list[str]] = {}
    goals = list(goals)
    fields = _idea_fields(
        problems,
        idea.agreement,
        title=title,
        area=area,
        problem=problem,
        proposal=proposal,
        cost=cost,
        effect=effect,
        effect_unit=effect_unit,
        effect_unit_other=effect_unit_other,
        baseline=baseline,
        effort_days=effort_days,
        goals=goals,
    )
    if problems:
        raise ValidationError(problems)
    _claim(idea, version)
    for name, value in fields.items():
        setattr(idea, name, value)
    idea.full_clean(exclude=["proposer", "goals"])
    idea.save(update_fields=list(fields))
    idea.goals.set(goals)  # writes (and audits) only what changed
    return idea
