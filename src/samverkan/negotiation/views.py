"""The pages of negotiation cases: my cases, opening one, a case's overview and each of
its eight steps.

Everything goes through ``negotiation.access``: a person not on a case gets 404 for
every page of it, exactly as for a case that does not exist. Every member of a case
edits its content (the team prepares together); only its owners manage its members
(``member_views``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.accounts.models import User
from samverkan.agreements.access import user_organisations, visible_agreements
from samverkan.core import registry
from samverkan.core.forms import add_service_errors
from samverkan.core.requests import request_user
from samverkan.negotiation import services
from samverkan.negotiation.access import CaseAccess, case_for, cases_of
from samverkan.negotiation.document_views import document_section
from samverkan.negotiation.forms import CaseForm, StepForms, rows_changed, step_forms, team_names
from samverkan.negotiation.selectors import (
    STEP_KEYS,
    STEPS,
    CaseContent,
    case_content,
    case_contents,
    step_states,
)


@login_required
def cases_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    cases = list(cases_of(user))
    contents = case_contents(cases)
    rows = [
        (case, sum(state.complete for state in step_states(contents[case.pk]))) for case in cases
    ]
    return render(
        request,
        "negotiation/cases.html",
        {"rows": rows, "steps": len(STEPS), "can_open": user_organisations(user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = CaseForm(
        request.POST or None,
        organisations=user_organisations(user).order_by("name"),
        agreements=visible_agreements(user).order_by("reference"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The case has been opened. Only you see it until you add the team."),
            )
            return redirect("negotiation:case", pk=case.pk)
    return render(request, "negotiation/new.html", {"form": form})


def brief_links(pk: int) -> dict[str, str]:
    """The brief's downloads by format."""
    return {fmt: reverse("negotiation:brief", args=[pk, fmt]) for fmt in ("docx", "pdf")}


def _header(access: CaseAccess, user: User, content: CaseContent) -> dict[str, Any]:
    """What every page of a case shows: the case, its steps' marks, what the member may do."""
    agreement = access.agreement_access(user)
    return {
        "case": access.case,
        "access": access,
        "content": content,
        "states": step_states(content),
        "sees_agreement": agreement is not None,
        "agreement_access": agreement,
    }


@login_required
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = case_for(user, pk)
    content = case_content(access.case)
    context = _header(access, user, content)
    agreement = context["agreement_access"]
    context["facts"] = registry.negotiation_facts(agreement) if agreement is not None else []
    context["brief"] = brief_links(pk)
    context["complete"] = sum(state.complete for state in context["states"])
    return render(request, "negotiation/case.html", context)


def render_step(
    request: HttpRequest,
    access: CaseAccess,
    key: str,
    *,
    content: CaseContent | None = None,
    forms: StepForms | None = None,
    documents: Any = None,
    note: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    content = content or case_content(access.case)
    context = _header(access, user, content)
    index = STEP_KEYS.index(key)
    context.update(
        key=key,
        state=context["states"][index],
        previous=context["states"][index - 1] if index > 0 else None,
        next=context["states"][index + 1] if index + 1 < len(STEPS) else None,
        forms=forms or step_forms(key, content),
        note=note,
        team_names=team_names(content),
    )
    if key == "preparation":
        context["documents"] = documents or document_section(content)
    return render(request, f"negotiation/steps/{key}.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def step_page(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    access = case_for(request_user(request), pk)
    if step not in STEP_KEYS:
        raise Http404
    if request.method == "GET":
        return render_step(request, access, step)
    content = case_content(access.case)
    command = request.POST.get("rows", "")
    if command:  # a row added or removed in the form: shown, not saved
        changed = rows_changed(request.POST, command)
        forms = step_forms(step, content, changed if changed is not None else request.POST)
        note = _("Not saved yet: save the step to keep the change.")
        return render_step(request, access, step, content=content, forms=forms, note=note)
    forms = step_forms(step, content, request.POST)
    if forms.is_valid():
        try:
            _save(step, access, forms)
        except ValidationError as exc:
            forms.show_errors(exc)
        else:
            messages.success(request, _("The step has been saved."))
            return redirect("negotiation:step", pk=pk, step=step)
    return render_step(request, access, step, content=content, forms=forms, status=400)


def _save(step: str, access: CaseAccess, forms: StepForms) -> None:
    """Hand the step's form to its service (each saves all of the step or nothing)."""
    case = access.case
    version = forms.version.cleaned_data["version"]
    texts = dict(forms.texts.cleaned_data) if forms.texts is not None else {}
    if step in ("preparation", "context", "challenge"):
        services.case_update(case=case, version=version, **texts)
    elif step == "interests":
        services.interests_set(case=case, version=version, interests=forms.rows("interests"))
    elif step == "alternatives":
        services.alternatives_set(
            case=case, version=version, options=forms.rows("options"), scores=forms.scores()
        )
    elif step == "check":
        services.check_set(
            case=case, version=version, goals=forms.rows("goals"), checks=forms.checks()
        )
    elif step == "fallback":
        services.fallback_set(
            case=case, version=version, fallbacks=forms.rows("fallbacks"), **texts
        )
    else:
        services.actions_set(case=case, version=version, actions=forms.rows("actions"))
