"""What innovation achieved and what it cost: the realised effect on an idea's page,
and the effects page (totals per area and year, the gain-share ledger or the joint
fund's ledger, where the parties keep the fund's lines).

Editors and owners of either side record effects and keep the fund's ledger; viewers
read; outsiders get 404. Plain forms: every control works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.agreements.access import (
    AgreementAccess,
    Need,
    agreement_for,
    agreement_part,
    agreement_part_numbered,
)
from samverkan.core.formatting import plain_decimal
from samverkan.core.forms import add_service_errors
from samverkan.core.requests import request_user
from samverkan.innovation import effect_services, ledger, presentation
from samverkan.innovation.effect_forms import EffectForm, FundEntryForm
from samverkan.innovation.models import (
    EffectUnit,
    Framework,
    FundEntry,
    Funding,
    Idea,
    RealisedEffect,
    Stage,
)
from samverkan.innovation.selectors import framework_of


def effect_context(
    access: AgreementAccess, idea: Idea, form: EffectForm | None = None
) -> dict[str, Any]:
    """What the idea page's effect section shows: the realised effect against the expected
    one, each party's gain-share of it, and the form to record or correct it."""
    effect = RealisedEffect.objects.filter(idea=idea).select_related("recorded_by").first()
    can_record = access.can_edit and idea.stage in effect_services.RECORDABLE
    if form is None and can_record:
        initial: dict[str, Any] = {"version": effect.version if effect else idea.version}
        if effect is not None:
            initial.update(
                realised=plain_decimal(effect.realised),
                measured_on=effect.measured_on,
                evidence=effect.evidence,
            )
        else:
            initial["measured_on"] = timezone.localdate()
        form = EffectForm(initial=initial)
    return {
        "effect": effect,
        "effect_form": form if can_record else None,
        "effect_share": _share(idea, effect),
    }


def _share(idea: Idea, effect: RealisedEffect | None) -> presentation.SplitView | None:
    """Each party's gain-share of a realised saving or revenue in SEK, or None."""
    if effect is None or idea.effect_unit != EffectUnit.SEK_PER_YEAR or effect.realised <= 0:
        return None
    framework = Framework.objects.filter(agreement=idea.agreement_id).first()
    if framework is None or framework.funding != Funding.GAIN_SHARE:
        return None
    return presentation.split_of(framework, effect.realised, effect.measured_on)


@login_required
@require_POST
def idea_effect(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    from samverkan.innovation.idea_views import render_idea_page

    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    form = EffectForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            first = not RealisedEffect.objects.filter(idea=idea).exists()
            effect_services.effect_record(
                idea=idea,
                actor=user,
                realised=data["realised"],
                measured_on=data["measured_on"],
                evidence=data["evidence"],
                version=data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The realised effect is recorded; the idea is now “%(stage)s”.")
                % {"stage": Stage.MEASURED.label}
                if first
                else _("The realised effect has been corrected."),
            )
            return redirect(reverse("innovation:idea", args=[pk, number]) + "#effect")
    idea.refresh_from_db()
    return render_idea_page(request, access, idea, effect_form=form, status=400)


# The effects page ---------------------------------------------------------------------------


def _fund_form(access: AgreementAccess, data: Any = None) -> FundEntryForm:
    agreement = access.agreement
    return FundEntryForm(
        data,
        ideas=Idea.objects.filter(agreement=agreement).order_by("number"),
        customer=agreement.customer.name,
        supplier=agreement.supplier.name,
        initial={"on": timezone.localdate()},
    )


def _effects_page(
    request: HttpRequest, access: AgreementAccess, form: FundEntryForm | None = None, **extra: Any
) -> HttpResponse:
    framework = framework_of(access.agreement)
    fund = ledger.fund_ledger(framework)
    if fund is not None and form is None and access.can_edit:
        form = _fund_form(access)
    context = {
        "agreement": access.agreement,
        "access": access,
        "framework": framework,
        "totals": ledger.effect_totals(access.agreement),
        "effects": list(ledger.measured_effects(access.agreement)),
        "gain_share": ledger.gain_share_ledger(framework),
        "fund": fund,
        "fund_form": form if fund is not None and access.can_edit else None,
        **extra,
    }
    return render(
        request, "innovation/effects.html", context, status=400 if extra.get("problem") else 200
    )


@login_required
def effects_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _effects_page(request, agreement_for(request_user(request), pk))


@login_required
@require_POST
def fund_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    form = _fund_form(access, request.POST)
    if form.is_valid():
        try:
            effect_services.fund_entry_add(
                agreement=access.agreement, actor=user, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The line has been added to the fund's ledger."))
            return redirect(reverse("innovation:effects", args=[pk]) + "#fund")
    return _effects_page(request, access, form, problem=_("The line has not been added."))


@login_required
@require_POST
def fund_entry_remove(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    line = agreement_part(access, FundEntry, entry)
    try:
        effect_services.fund_entry_remove(entry=line)
    except ValidationError as exc:
        return _effects_page(request, access, problem=" ".join(exc.messages))
    messages.success(request, _("The line has been removed from the fund's ledger."))
    return redirect(reverse("innovation:effects", args=[pk]) + "#fund")
