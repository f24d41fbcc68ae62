"""Health-check pages: rounds and their results for participants; the survey for invitees."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from samverkan.agreements.access import (
    AgreementAccess,
    Need,
    agreement_for,
)
from samverkan.agreements.models import Participant
from samverkan.core.forms import add_service_errors
from samverkan.core.requests import request_user
from samverkan.health import instrument, selectors, services, survey, tasks
from samverkan.health.access import health_round_for, survey_invitation_for
from samverkan.health.forms import RoundForm
from samverkan.health.models import Round


def _language() -> str:
    return translation.get_language() or "sv"


def _round(access: AgreementAccess, number: int) -> Round:
    return services.close_if_due(health_round_for(access, number))


@login_required
def health_page(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    return render(
        request,
        "health/health.html",
        {
            "access": access,
            "agreement": access.agreement,
            "rounds": selectors.round_rows(agreement=access.agreement),
        },
    )


def _participants(access: AgreementAccess) -> Any:
    return (
        Participant.objects.filter(agreement=access.agreement)
        .select_related("user")
        .order_by("side", "user__full_name", "user__email")
    )


@login_required
def round_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.OWN)
    participants = _participants(access)
    form = RoundForm(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.health_round_open(
                agreement=access.agreement,
                actor=user,
                title=form.cleaned_data["title"],
                closes_on=form.cleaned_data["closes_on"],
                participants=list(form.cleaned_data["participants"]),
                live_results=form.cleaned_data["live_results"],
                threshold=form.cleaned_data["threshold"],
                own_statements=form.own_statement_lines(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            invited = round.invitations.count()
            messages.success(
                request,
                ngettext(
                    "The round is open. %(n)s person has been sent a personal link.",
                    "The round is open. %(n)s people have been sent a personal link.",
                    invited,
                )
                % {"n": invited},
            )
            return redirect("health:round", pk=pk, number=round.number)
    return render(
        request,
        "health/round_new.html",
        {
            "access": access,
            "agreement": access.agreement,
            "form": form,
            "auto_reminder": tasks.can_defer(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def round_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    round = _round(access, number)
    return render(
        request,
        "health/round.html",
        {
            "access": access,
            "agreement": access.agreement,
            **selectors.round_page_context(round, language=_language()),
        },
    )


def _confirm(
    request: HttpRequest, access: AgreementAccess, round: Round, action: str
) -> HttpResponse:
    """The question before closing or reminding: a page of its own, so it needs no script."""
    return render(
        request,
        "health/round_confirm.html",
        {
            "access": access,
            "agreement": access.agreement,
            "round": round,
            "action": action,
            **selectors.round_confirm_context(round),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """GET asks whether to close the round now; POST closes it."""
    access = agreement_for(request_user(request), pk, Need.OWN)
    round = _round(access, number)
    if not services.round_accepts_answers(round):
        if request.method == "POST":
            messages.info(request, _("The round is already closed."))
        return redirect("health:round", pk=pk, number=number)
    if request.method == "GET":
        return _confirm(request, access, round, "close")
    round = services.health_round_close(round=round)
    messages.success(request, _("The round is closed; the results are final."))
    return redirect("health:round", pk=pk, number=round.number)


@login_required
@require_http_methods(["GET", "POST"])
def round_remind(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """GET asks whether to remind those who have not answered; POST sends the reminder."""
    access = agreement_for(request_user(request), pk, Need.OWN)
    round = _round(access, number)
    if not services.round_accepts_answers(round):
        if request.method == "POST":
            messages.info(request, _("The round is closed, so no reminder was sent."))
        return redirect("health:round", pk=pk, number=number)
    if request.method == "GET":
        return _confirm(request, access, round, "remind")
    reminded = services.health_reminder_send(round=round)
    if reminded:
        messages.success(
            request,
            ngettext(
                "A reminder is on its way to the %(n)s person who has not answered yet.",
                "A reminder is on its way to the %(n)s people who have not answered yet.",
                reminded,
            )
            % {"n": reminded},
        )
    else:
        messages.info(request, _("Nobody needed a reminder."))
    return redirect("health:round", pk=pk, number=number)


@login_required
def round_export(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    round = _round(access, number)
    return selectors.export_response(round, fmt, language=_language())


@login_required
def instrument_page(request: HttpRequest) -> HttpResponse:
    language = _language()
    return render(
        request,
        "health/instrument.html",
        {
            "edition": instrument.edition(),
            "dimensions": [
                (d, instrument.statements(language, dimension=d.key))
                for d in instrument.dimensions(language)
            ],
            "scale": instrument.agreement_scale(language),
            "playbook": instrument.interventions_for(
                phase=None,
                dimensions=[d.key for d in instrument.dimensions(language)],
                language=language,
            ),
        },
    )


@never_cache
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    """The survey behind a personal link: no account, one answer per link.

    Switching language posts the form back with ``switch_language`` so nothing
    already chosen is lost; a sent survey redirects (``?sent=1``) so that going
    back or reloading never sends it twice.
    """
    invitation = survey_invitation_for(token)
    round = services.close_if_due(invitation.round)
    chosen = request.POST.get("switch_language") or request.GET.get("lang")
    language = chosen if chosen in ("sv", "en") else invitation.user.language
    with translation.override(language if language in ("sv", "en") else "sv"):
        context: dict[str, Any] = {
            "round": round,
            "agreement": round.agreement,
            "side_name": round.agreement.organisation_of(invitation.side).name,
            "language": translation.get_language(),
            "survey_languages": (("sv", "Svenska"), ("en", "English")),
        }
        if invitation.used:
            sent = request.GET.get("sent") == "1"
            return render(
                request, "health/survey_done.html", {**context, "thanks": sent, "used": not sent}
            )
        if not services.round_accepts_answers(round):
            return render(request, "health/survey_done.html", {**context, "closed": True})
        error = ""
        status = 200
        if request.method == "POST" and "switch_language" not in request.POST:
            submission = survey.read(round, request.POST)
            try:
                services.health_response_submit(
                    invitation=invitation,
                    scores=submission.scores,
                    recommend=submission.recommend,
                    free_texts=submission.free_texts,
                )
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                return redirect(f"{request.path}?sent=1&lang={context['language']}")
        data = request.POST if request.method == "POST" else None
        language_now = translation.get_language() or "sv"
        sections = survey.sections(round, side=invitation.side, language=language_now, data=data)
        return render(
            request,
            "health/survey.html",
            {
                **context,
                "error": error,
                "sections": sections,
                "statement_total": sum(len(section.items) for section in sections),
                "scale": instrument.agreement_scale(language_now),
                "dont_know": instrument.dont_know_label(language_now),
                "recommend": instrument.recommend_question(language_now),
                "recommend_chosen": data.get("recommend", "") if data else "",
                "recommend_range": range(11),
                "free_text": [
                    (q, data.get(q.key, "") if data else "")
                    for q in instrument.free_text_questions(language_now)
                ],
            },
            status=status,
        )
