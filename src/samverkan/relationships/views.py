"""The relationship page: type, questionnaire, recommendation and governance profile.

One page (GET) and four POST endpoints that each call one service and redirect
back; when a service refuses, the page is rendered again with the user's input
and the error beside the field it concerns.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.agreements.access import AgreementAccess, Need, agreement_for
from samverkan.core.forms import add_service_errors
from samverkan.core.governance import Cadence, Level
from samverkan.core.requests import request_user
from samverkan.relationships import catalogue, services
from samverkan.relationships.forms import (
    GovernanceProfileForm,
    QuestionnaireForm,
    RelationshipTypeForm,
)
from samverkan.relationships.models import FocusCategory, InnovationExpectation, Relationship
from samverkan.relationships.selectors import relationship_or_blank


def _back(pk: int, section: str = "") -> HttpResponseRedirect:
    """Back to the page: at the top, where the confirmation shows, or at a section."""
    url = reverse("relationships:detail", kwargs={"pk": pk})
    return redirect(f"{url}#{section}" if section else url)


def _recommendation(relationship: Relationship, language: str) -> dict[str, Any] | None:
    answers = relationship.answers
    if not answers or catalogue.answer_errors(answers):
        return None
    result = catalogue.recommend(answers, language)
    names = {info["key"]: info["name"] for info in catalogue.all_types(language)}
    top = max(result.scores.values()) or 1
    return {
        "type": catalogue.type_info(result.type, language),
        "reasons": [
            {
                "question": r.question,
                "answer": r.answer,
                "why": r.why,
                "favours": names[r.favours],
            }
            for r in result.reasons
        ],
        "scores": [
            {
                "key": key,
                "name": names[key],
                "points": points,
                "percent": round(100 * points / top),
                "best": key == result.type,
            }
            for key, points in result.scores.items()
        ],
    }


def _profile_rows(relationship: Relationship) -> dict[str, Any]:
    """The profile as label/value pairs for reading."""
    weights = relationship.scorecard_weights
    cadence = relationship.forum_cadence
    return {
        "weights": [(label, weights.get(value, 0)) for value, label in FocusCategory.choices],
        "cadence": [
            (label, Cadence(cadence[value]).label if cadence.get(value) in Cadence.values else "–")
            for value, label in Level.choices
        ],
        "innovation": (
            InnovationExpectation(relationship.innovation).label
            if relationship.innovation in InnovationExpectation.values
            else "–"
        ),
        "health_check": (
            Cadence(relationship.health_check).label
            if relationship.health_check in Cadence.values
            else "–"
        ),
    }


def _page(
    request: HttpRequest,
    access: AgreementAccess,
    *,
    questionnaire: QuestionnaireForm | None = None,
    choice: RelationshipTypeForm | None = None,
    profile: GovernanceProfileForm | None = None,
) -> HttpResponse:
    language = translation.get_language() or "en"
    relationship = relationship_or_blank(access.agreement)
    recommendation = _recommendation(relationship, language)
    types = [
        {
            **info,
            "recommended": info["key"] == relationship.recommended_type,
            "current": info["key"] == relationship.type,
        }
        for info in catalogue.all_types(language)
    ]
    answers = relationship.answers or {}
    questions = [
        {
            **q,
            "answer": next(
                (o["text"] for o in q["options"] if o["key"] == answers.get(q["key"])), ""
            ),
        }
        for q in catalogue.questions(language)
    ]
    context: dict[str, Any] = {
        "agreement": access.agreement,
        "access": access,
        "relationship": relationship,
        "current_type": catalogue.type_info(relationship.type, language)
        if relationship.type
        else None,
        "types": types,
        "questions": questions,
        "recommendation": recommendation,
        "profile": _profile_rows(relationship) if relationship.profile_type else None,
        # The type changed but the customised profile was kept: offer the new defaults.
        "pending_defaults": bool(
            relationship.type
            and relationship.profile_type
            and relationship.profile_type != relationship.type
        ),
        "customised": relationship.type == relationship.profile_type
        and services.profile_is_customised(relationship),
    }
    if access.can_edit:
        context["questionnaire_form"] = questionnaire or QuestionnaireForm(
            language=language, initial=answers
        )
        context["choice_form"] = choice or RelationshipTypeForm.for_relationship(
            relationship, language
        )
        if relationship.type:
            context["profile_form"] = profile or GovernanceProfileForm.for_relationship(
                relationship
            )
    return render(request, "relationships/detail.html", context)


@login_required
def relationship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, agreement_for(request_user(request), pk))


@login_required
@require_POST
def relationship_questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    language = translation.get_language() or "en"
    form = QuestionnaireForm(request.POST, language=language)
    if form.is_valid():
        try:
            result = services.relationship_answer(
                agreement=access.agreement, actor=user, answers=form.answers(), language=language
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            name = catalogue.type_info(result.type, language)["name"]
            messages.success(
                request,
                _("Your answers have been saved. The recommended type is %(type)s.")
                % {"type": name},
            )
            return _back(pk, "recommendation")
    return _page(request, access, questionnaire=form)


@login_required
@require_POST
def relationship_choose(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    language = translation.get_language() or "en"
    form = RelationshipTypeForm(request.POST, language=language)
    if form.is_valid():
        try:
            relationship, applied = services.relationship_set_type(
                agreement=access.agreement,
                actor=user,
                type=form.cleaned_data["type"],
                rationale=form.cleaned_data["rationale"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            name = catalogue.type_info(relationship.type, language)["name"]
            if applied:
                message = _(
                    "The relationship type is now %(type)s, and the governance profile has its "
                    "defaults."
                )
            else:
                message = _(
                    "The relationship type is now %(type)s. Your customised governance profile "
                    "has been kept."
                )
            messages.success(request, message % {"type": name})
            return _back(pk)
    return _page(request, access, choice=form)


@login_required
@require_POST
def relationship_profile(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    form = GovernanceProfileForm(request.POST)
    if form.is_valid():
        try:
            services.relationship_update_profile(
                agreement=access.agreement,
                actor=user,
                version=form.cleaned_data["version"],
                **form.profile(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The governance profile has been saved."))
            return _back(pk)
    return _page(request, access, profile=form)


@login_required
@require_POST
def relationship_apply_defaults(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    try:
        relationship = services.relationship_apply_defaults(agreement=access.agreement, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        name = catalogue.type_info(relationship.type, translation.get_language() or "en")["name"]
        messages.success(
            request,
            _("The governance profile now has the defaults of %(type)s.") % {"type": name},
        )
    return _back(pk)
