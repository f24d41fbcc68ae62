"""The people impact section's form posts: the affected groups and expected resistance,
and the engagement actions (add, change, mark done or not, remove).

Editors and owners of either side post them (``Need.EDIT``: viewers 403, outsiders
404); a refused change shows the idea's page again with the form that failed, open,
holding what was typed, and the reason (a stale version: someone else changed the
people impact meanwhile). Plain forms: every control works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samverkan.agreements.access import (
    AgreementAccess,
    Need,
    agreement_for,
    agreement_part_numbered,
)
from samverkan.core.forms import add_service_errors
from samverkan.core.requests import request_user
from samverkan.innovation import idea_views, people_services
from samverkan.innovation.models import Idea
from samverkan.innovation.people_forms import (
    EngagementActionForm,
    MarkForm,
    PeopleImpactForm,
    VersionForm,
    action_prefix,
    people_section,
)

STALE_BUTTON = gettext_lazy(
    "Someone else changed the people impact since you opened the page, so nothing was "
    "changed. It is shown as it is now: check it and try again."
)


def _idea(request: HttpRequest, pk: int, number: int) -> tuple[AgreementAccess, Idea]:
    access = agreement_for(request_user(request), pk, Need.EDIT)
    return access, agreement_part_numbered(access, Idea, number)


def _done(request: HttpRequest, idea: Idea, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("innovation:idea", args=[idea.agreement_id, idea.number]) + anchor)


def _refused(
    request: HttpRequest,
    access: AgreementAccess,
    idea: Idea,
    *,
    form: EngagementActionForm | PeopleImpactForm | None = None,
    failed: str = "",
    problem: str = "",
) -> HttpResponse:
    idea.refresh_from_db()
    section = people_section(access, idea, form=form, failed=failed, problem=problem)
    return idea_views._idea_page(request, access, idea, people=section)


@login_required
@require_POST
def people_save(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    access, idea = _idea(request, pk, number)
    form = PeopleImpactForm(request.POST, prefix="people")
    if form.is_valid():
        data = form.cleaned_data
        try:
            people_services.people_impact_save(
                idea=idea,
                actor=request_user(request),
                affected_groups=data["affected_groups"],
                resistance=data["resistance"],
                resistance_reason=data["resistance_reason"],
                version=data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, idea, _("The people impact has been saved."), "#people")
    return _refused(request, access, idea, form=form, failed="impact")


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    access, idea = _idea(request, pk, number)
    form = EngagementActionForm(
        request.POST, owners=people_services.action_owners(idea.agreement_id), prefix="new"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            people_services.engagement_action_add(
                idea=idea,
                actor=request_user(request),
                action=data["action"],
                owner=form.owner_user(),
                due=data["due"],
                version=data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(
                request, idea, _("The engagement action has been added."), "#people-actions"
            )
    return _refused(request, access, idea, form=form, failed="add")


@login_required
@require_POST
def action_edit(request: HttpRequest, pk: int, number: int, action: int) -> HttpResponse:
    access, idea = _idea(request, pk, number)
    prefix = action_prefix(action)
    form = EngagementActionForm(
        request.POST, owners=people_services.action_owners(idea.agreement_id), prefix=prefix
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            people_services.engagement_action_update(
                idea=idea,
                actor=request_user(request),
                action_id=action,
                action=data["action"],
                owner=form.owner_user(),
                due=data["due"],
                version=data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, idea, _("The engagement action has been changed."), f"#{prefix}")
    return _refused(request, access, idea, form=form, failed=prefix)


@login_required
@require_POST
def action_mark(request: HttpRequest, pk: int, number: int, action: int) -> HttpResponse:
    access, idea = _idea(request, pk, number)
    form = MarkForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(STALE_BUTTON)
        row = people_services.engagement_action_mark(
            idea=idea,
            actor=request_user(request),
            action_id=action,
            done=form.cleaned_data["done"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        return _refused(request, access, idea, failed="actions", problem=_problem(exc))
    message = (
        _("The engagement action is marked done.")
        if row.done
        else _("The engagement action is marked not done.")
    )
    return _done(request, idea, message, f"#{action_prefix(action)}")


@login_required
@require_POST
def action_remove(request: HttpRequest, pk: int, number: int, action: int) -> HttpResponse:
    access, idea = _idea(request, pk, number)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(STALE_BUTTON)
        people_services.engagement_action_remove(
            idea=idea,
            actor=request_user(request),
            action_id=action,
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        return _refused(request, access, idea, failed="actions", problem=_problem(exc))
    return _done(request, idea, _("The engagement action has been removed."), "#people-actions")


def _problem(exc: ValidationError) -> str:
    """A button's refusal: a stale version says so in the button's words."""
    if getattr(exc, "code", None) == "stale":
        return str(STALE_BUTTON)
    return " ".join(exc.messages)
