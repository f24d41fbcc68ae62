"""The ideas pages: the list (filtered by area, side, stage and text), a new idea, an
idea with its stage, the steps it may take next and its way so far.

Editors and owners of either side propose ideas and move them on; the decision
(approve, reject, park) is recorded by the customer's side (see ``idea_services``).
Viewers read; outsiders get 404. Plain forms: every control works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.models import User
from samverkan.agreements.access import (
    AgreementAccess,
    Need,
    agreement_for,
    agreement_part_numbered,
)
from samverkan.core.errors import StaleEditError
from samverkan.core.forms import add_service_errors
from samverkan.core.requests import request_user
from samverkan.innovation import evaluation_services, idea_services
from samverkan.innovation.attachment_views import AttachmentSection, attachment_section
from samverkan.innovation.effect_forms import EffectForm
from samverkan.innovation.effect_views import effect_context
from samverkan.innovation.idea_forms import (
    EvaluatorsForm,
    IdeaFilterForm,
    IdeaForm,
    ReferForm,
    ScoreForm,
    TransitionForm,
    side_choices,
)
from samverkan.innovation.models import Criterion, Goal, Idea, Stage
from samverkan.innovation.people_forms import PeopleSection, people_section
from samverkan.innovation.selectors import framework_of, idea_steps, ideas_of

PIPELINE = (
    Stage.PROPOSED,
    Stage.EVALUATION,
    "decided",
    Stage.IMPLEMENTATION,
    Stage.IMPLEMENTED,
    Stage.MEASURED,
)


def _goals(access: AgreementAccess) -> Any:
    return Goal.objects.filter(agreement=access.agreement).order_by("position", "pk")


@login_required
def ideas_page(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    agreement = access.agreement
    form = IdeaFilterForm(
        request.GET or None, sides=side_choices(agreement.customer.name, agreement.supplier.name)
    )
    ideas = list(ideas_of(agreement, form.filters()))
    context = {
        "agreement": agreement,
        "access": access,
        "form": form,
        "ideas": ideas,
        "ranking": evaluation_services.ideas_ranked(agreement.pk, [idea.pk for idea in ideas]),
    }
    return render(request, "innovation/ideas.html", context)


@login_required
def idea_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    form = IdeaForm(request.POST or None, goals=_goals(access))
    if request.method == "POST" and form.is_valid():
        try:
            idea = idea_services.idea_propose(
                agreement=access.agreement, actor=user, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The idea has been proposed."))
            return redirect(reverse("innovation:idea", args=[pk, idea.number]))
    context = {"agreement": access.agreement, "access": access, "form": form}
    return render(request, "innovation/idea_new.html", context)


def _idea_page(
    request: HttpRequest,
    access: AgreementAccess,
    idea: Idea,
    *,
    problem: str = "",
    reason: str = "",
    effect_form: EffectForm | None = None,
    people: PeopleSection | None = None,
    attachments: AttachmentSection | None = None,
    status: int = 200,
) -> HttpResponse:
    framework = framework_of(access.agreement)
    side = access.side if access.can_edit else None
    nexts = idea_services.next_stages(idea, side)
    check = (
        idea_services.approval_check(idea, framework) if idea.stage == Stage.EVALUATION else None
    )
    decisions = [stage for stage in nexts if stage in idea_services.DECISIONS]
    if check is not None and check.problem is not None:
        decisions = [stage for stage in decisions if stage != Stage.APPROVED]
    current = "decided" if idea.stage in idea_services.DECISIONS else idea.stage
    user = request_user(request)
    evaluation = evaluation_services.evaluation_of(idea, user)
    choosing = access.can_edit and evaluation_services.evaluation_is_open(idea)
    eligible = evaluation_services.eligible_evaluators(idea) if choosing else None
    context = {
        "agreement": access.agreement,
        "access": access,
        "idea": idea,
        "goals": list(idea.goals.order_by("position", "pk")),
        "steps": list(idea_steps(idea)),
        "pipeline": [(stage, _stage_label(stage), stage == current) for stage in PIPELINE],
        # "Effect measured" is reached by recording the effect (the effect section).
        "moves": [
            (stage, Stage(stage).label)
            for stage in nexts
            if stage not in idea_services.DECISIONS and stage != Stage.MEASURED
        ],
        "decisions": [(stage, Stage(stage).label) for stage in decisions],
        "check": check,
        "decision_elsewhere": access.can_edit
        and side != "customer"
        and any(stage in idea_services.DECISIONS for stage in idea_services.NEXT[idea.stage]),
        "forum": idea_services.deciding_forum(idea, framework),
        "problem": problem,
        "reason": reason,
        "evaluation": evaluation,
        "eligible": list(eligible) if eligible is not None else None,
        "chosen": {row.user.pk for row in evaluation.evaluators},
        "score_form": ScoreForm(
            initial={f"score-{row.criterion.key}": row.own for row in evaluation.criteria},
            criteria=[row.criterion for row in evaluation.criteria],
        )
        if evaluation.can_score
        else None,
        "people": people if people is not None else people_section(access, idea),
        "attachments": attachments or attachment_section(access, idea),
        "editable": access.can_edit and idea.stage in idea_services.EDITABLE,
    }
    context.update(effect_context(access, idea, effect_form))
    return render(request, "innovation/idea.html", context, status=status)


render_idea_page = _idea_page  # for the sections of the idea page kept in other modules


def _stage_label(stage: str) -> str:
    return _("Decided") if stage == "decided" else str(Stage(stage).label)


@login_required
def idea_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    return _idea_page(request, access, agreement_part_numbered(access, Idea, number))


@login_required
@require_POST
def idea_transition(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _idea_page(request, access, idea, problem=_("Choose a stage to move the idea to."))
    data = form.cleaned_data
    try:
        idea_services.idea_transition(
            idea=idea, actor=user, to=data["to"], reason=data["reason"], version=data["version"]
        )
    except ValidationError as exc:
        idea.refresh_from_db()
        return _idea_page(
            request, access, idea, problem=" ".join(exc.messages), reason=data["reason"]
        )
    messages.success(
        request, _("The idea is now “%(stage)s”.") % {"stage": Stage(data["to"]).label}
    )
    return redirect(reverse("innovation:idea", args=[pk, number]))


@login_required
@require_POST
def idea_refer(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    form = ReferForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        if version is None:
            raise StaleEditError
        forum = idea_services.idea_refer(idea=idea, actor=user, version=version)
    except ValidationError as exc:
        idea.refresh_from_db()
        return _idea_page(request, access, idea, problem=" ".join(exc.messages))
    messages.success(request, _("The idea has been referred to %(forum)s.") % {"forum": forum.name})
    return redirect(reverse("innovation:idea", args=[pk, number]))


@login_required
@require_POST
def idea_evaluators(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    form = EvaluatorsForm(request.POST, users=User.objects.filter(participations__agreement=pk))
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the evaluators among the agreement's participants."))
        evaluation_services.evaluators_choose(
            idea=idea,
            actor=user,
            users=list(form.cleaned_data["evaluators"]),
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        idea.refresh_from_db()
        return _idea_page(request, access, idea, problem=" ".join(exc.messages))
    messages.success(request, _("The evaluators have been chosen."))
    return redirect(reverse("innovation:idea", args=[pk, number]) + "#evaluation")


@login_required
@require_POST
def idea_score(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    criteria = Criterion.objects.filter(agreement=access.agreement).order_by("position", "pk")
    form = ScoreForm(request.POST, criteria=criteria)
    try:
        if not form.is_valid():
            raise ValidationError(_("Score every criterion from 1 to 5."))
        evaluation_services.evaluation_score(idea=idea, actor=user, scores=form.scores())
    except ValidationError as exc:
        idea.refresh_from_db()
        return _idea_page(request, access, idea, problem=" ".join(exc.messages))
    messages.success(request, _("Your scores have been saved."))
    return redirect(reverse("innovation:idea", args=[pk, number]) + "#evaluation")


@login_required
@require_POST
def idea_evaluation_close(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    form = ReferForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleEditError
        evaluation_services.evaluation_close(
            idea=idea, actor=user, version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        idea.refresh_from_db()
        return _idea_page(request, access, idea, problem=" ".join(exc.messages))
    messages.success(request, _("The evaluation is closed; the scores are shown to both parties."))
    return redirect(reverse("innovation:idea", args=[pk, number]) + "#evaluation")
