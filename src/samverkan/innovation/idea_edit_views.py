"""Editing an idea after it is proposed: what it says, until the forum has decided on it.

Editors and owners of either side edit an idea while it is proposed, under evaluation
or parked (``idea_services.EDITABLE``); from approval or rejection on, the page says
why it is no longer edited. A stale form (someone saved the idea, or moved it on, since
it was opened) is shown again with the person's input and the optimistic-locking
message. Viewers get 403, outsiders 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.agreements.access import Need, agreement_for, agreement_part_numbered
from samverkan.core.forms import add_service_errors
from samverkan.core.requests import request_user
from samverkan.innovation import idea_services
from samverkan.innovation.idea_forms import IdeaEditForm
from samverkan.innovation.models import Goal, Idea


def _figure(value: Decimal | None) -> str:
    """A stored figure as typed: 40, 12.5 (not 40.00, 12.50)."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _initial(idea: Idea) -> dict[str, Any]:
    return {
        "title": idea.title,
        "area": idea.area,
        "problem": idea.problem,
        "proposal": idea.proposal,
        "effect": _figure(idea.effect),
        "effect_unit": idea.effect_unit,
        "effect_unit_other": idea.effect_unit_other,
        "baseline": _figure(idea.baseline),
        "effort_days": _figure(idea.effort_days),
        "cost": idea.cost,
        "goals": list(idea.goals.all()),
        "version": idea.version,
    }


@login_required
def idea_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    goals = Goal.objects.filter(agreement=access.agreement).order_by("position", "pk")
    form = IdeaEditForm(request.POST or None, initial=_initial(idea), goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            idea_services.idea_edit(
                idea=idea,
                actor=user,
                version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            idea.refresh_from_db(fields=["stage"])
        else:
            messages.success(request, _("The idea has been saved."))
            return redirect(reverse("innovation:idea", args=[pk, number]))
    context = {
        "agreement": access.agreement,
        "access": access,
        "idea": idea,
        "form": form,
        "editable": idea.stage in idea_services.EDITABLE,
    }
    return render(request, "innovation/idea_edit.html", context)
