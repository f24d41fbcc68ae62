"""The innovation page: the framework as agreed, its edit form for editors of either side,
and the gain-share calculator (a GET form, so it works without JavaScript and for viewers).

Editors of both sides edit the framework, as they do the collaboration model: it is
agreed together (``Need.EDIT``). Viewers read it; outsiders get 404.
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

from samverkan.agreements.access import AgreementAccess, Need, agreement_for
from samverkan.core.requests import request_user
from samverkan.innovation import presentation, services
from samverkan.innovation.forms import (
    CalculatorForm,
    CriterionFormSet,
    FrameworkForm,
    GoalFormSet,
    initial_for,
    rows_of,
    show_service_errors,
)
from samverkan.innovation.selectors import framework_of, profile_ideas_per_quarter


def _page(
    request: HttpRequest,
    access: AgreementAccess,
    *,
    form: FrameworkForm | None = None,
    goals: Any = None,
    criteria: Any = None,
    criteria_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    agreement = access.agreement
    framework = framework_of(agreement)
    profile_ideas = profile_ideas_per_quarter(agreement)
    context: dict[str, Any] = {
        "agreement": agreement,
        "access": access,
        "framework": framework,
        "view": presentation.framework_view(framework, profile_ideas) if framework else None,
        "profile_ideas": profile_ideas,
    }
    if framework is not None and framework.funding == "gain_share":
        calculator = CalculatorForm(request.GET if "effect" in request.GET else None)
        context["calculator"] = calculator
        if calculator.is_bound and calculator.is_valid():
            effect, on = calculator.values()
            context["split"] = presentation.split_of(framework, effect, on)
    if access.can_edit:
        if form is None:
            initial, goal_rows, criterion_rows = initial_for(
                framework,
                default_criteria=services.default_criteria(agreement),
                profile_ideas=profile_ideas,
            )
            form = FrameworkForm(initial=initial, agreement=agreement)
            goals = GoalFormSet(initial=goal_rows, prefix="goals")
            criteria = CriterionFormSet(initial=criterion_rows, prefix="criteria")
        context.update(
            form=form,
            goals=goals,
            criteria=criteria,
            criteria_errors=criteria_errors or [],
            weight_total=presentation.weight_total(criteria),
        )
        total = context["weight_total"]
        context["weights_message"] = (
            services.weights_problem([total]) if total is not None else None
        )
    return render(request, "innovation/framework.html", context, status=status)


@login_required
def framework_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, agreement_for(request_user(request), pk))


@login_required
@require_POST
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    form = FrameworkForm(request.POST, agreement=access.agreement)
    goals = GoalFormSet(request.POST, prefix="goals")
    criteria = CriterionFormSet(request.POST, prefix="criteria")
    criteria_errors: list[str] = []
    if form.is_valid() and goals.is_valid() and criteria.is_valid():
        goal_rows, goal_forms = rows_of(goals)
        criterion_rows, criterion_forms = rows_of(criteria)
        try:
            services.framework_save(
                agreement=access.agreement,
                actor=user,
                version=form.cleaned_data["version"],
                goals=goal_rows,
                criteria=criterion_rows,
                **form.service_fields(),
            )
        except ValidationError as exc:
            show_service_errors(exc, form, goal_forms, criterion_forms, criteria_errors)
        else:
            messages.success(request, _("The innovation framework has been saved."))
            return redirect(reverse("innovation:framework", args=[pk]))
    return _page(
        request,
        access,
        form=form,
        goals=goals,
        criteria=criteria,
        criteria_errors=criteria_errors,
    )
