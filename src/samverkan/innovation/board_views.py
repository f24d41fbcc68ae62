"""The ideas board and the register's export.

The board shows the agreement's ideas by stage; every move on it is a plain form post
to ``board_move``, which calls ``idea_services.idea_transition`` like the idea's page
(one stage at a time, a reason for decisions, the deciding forum's mandate, decisions
recorded by the customer's side). Dragging a card (``samverkan.js``) submits the same
forms, so the board works without JavaScript and from the keyboard. Viewers read;
outsiders get 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.agreements.access import (
    AgreementAccess,
    Need,
    agreement_for,
    agreement_part_numbered,
)
from samverkan.core.requests import request_user
from samverkan.innovation import idea_services
from samverkan.innovation.board import board_columns
from samverkan.innovation.idea_forms import IdeaFilterForm, TransitionForm, side_choices
from samverkan.innovation.models import Idea, Stage
from samverkan.innovation.register import CONTENT_TYPE, register_workbook


def _board(
    request: HttpRequest,
    access: AgreementAccess,
    *,
    problem: str = "",
    failed: int | None = None,
    reason: str = "",
) -> HttpResponse:
    context = {
        "agreement": access.agreement,
        "access": access,
        "columns": board_columns(access),
        "problem": problem,
        "failed": failed,
        "reason": reason,
    }
    return render(request, "innovation/board.html", context)


@login_required
def board_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _board(request, agreement_for(request_user(request), pk))


@login_required
@require_POST
def board_move(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        problem = _("Choose a stage to move the idea to.")
        return _board(request, access, problem=problem, failed=number)
    data = form.cleaned_data
    try:
        idea_services.idea_transition(
            idea=idea, actor=user, to=data["to"], reason=data["reason"], version=data["version"]
        )
    except ValidationError as exc:
        problem = _("Idea %(number)s: %(problem)s") % {
            "number": number,
            "problem": " ".join(exc.messages),
        }
        return _board(request, access, problem=problem, failed=number, reason=data["reason"])
    messages.success(
        request,
        _("Idea %(number)s is now “%(stage)s”.")
        % {"number": number, "stage": Stage(data["to"]).label},
    )
    return redirect(reverse("innovation:board", args=[pk]) + f"#idea-{number}")


@login_required
def register_export(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    agreement = access.agreement
    form = IdeaFilterForm(
        request.GET or None, sides=side_choices(agreement.customer.name, agreement.supplier.name)
    )
    data, name = register_workbook(access, form.filters())
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
