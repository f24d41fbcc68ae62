"""Agreement pages. Each view: access module → form → service → response."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.agreements import counterparts, history, selectors, services
from samverkan.agreements.access import (
    AgreementAccess,
    Need,
    agreement_for,
    organisation_for,
    participant_for,
    proposal_for,
    require_manage_side,
    user_organisations,
)
from samverkan.agreements.forms import (
    AgreementCreateForm,
    AgreementEndForm,
    AgreementFilterForm,
    AgreementForm,
    ParticipantAddForm,
    ParticipantRoleForm,
    ProposalAcceptForm,
    ProposalDeclineForm,
)
from samverkan.agreements.models import Agreement, ParticipantRole, ProposalState, Side
from samverkan.core import registry
from samverkan.core.errors import StaleEditError
from samverkan.core.forms import add_service_errors, is_htmx
from samverkan.core.requests import request_user

PAGE_SIZE = 50


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = AgreementFilterForm(request.GET or None, parties=selectors.agreement_parties(user=user))
    filters = form.cleaned_data if form.is_valid() else {}
    party = filters.get("party")
    agreements = selectors.agreement_list(
        user=user,
        query=filters.get("q", ""),
        status=filters.get("status", ""),
        party=party.pk if party else None,
    )
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "agreements/_list_table.html" if is_htmx(request) else "agreements/list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "can_create": user_organisations(user).exists()},
    )


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = AgreementCreateForm(request.POST or None, organisations=user_organisations(user))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            if isinstance(exc, counterparts.CounterpartMatchError):
                form.offer(exc.matches)  # "Did you mean …?": listed to choose from
            add_service_errors(form, exc)
        else:
            messages.success(request, created_message(agreement))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "creating": True})


def created_message(agreement: Agreement, *, imported: bool = False) -> str:
    """What the person who made an agreement is told: made, or proposed and to whom."""
    if agreement.is_proposal:
        return _(
            "%(reference)s has been proposed to %(organisation)s. It becomes an agreement "
            "of both parties when an administrator of %(organisation)s accepts it; until "
            "then only your side sees it."
        ) % {
            "reference": agreement.reference,
            "organisation": agreement.organisation_of(agreement.proposed_to).name,
        }
    if imported:
        return _("The agreement %(reference)s has been imported.") % {
            "reference": agreement.reference
        }
    return _("The agreement %(reference)s has been created.") % {"reference": agreement.reference}


@login_required
def counterpart_search(request: HttpRequest) -> HttpResponse:
    """The organisations the counterpart field may mean, as one types (names and numbers only)."""
    own = organisation_for(request_user(request), _int(request.GET.get("own_organisation")))
    typed = request.GET.get("counterpart_name", "")[:200]
    matches = counterparts.counterpart_search(own_organisation=own, typed=typed)
    selected = request.GET.get("counterpart", "")
    context = counterparts.choices_context(matches, typed=typed, selected=selected)
    return render(request, "agreements/_counterparts.html", context)


def _int(value: str | None) -> int:
    """An id from the query string; 0 (found nowhere) for anything else, a huge number too."""
    return int(value) if value and value.isdigit() and len(value) <= 18 else 0


def _participants_context(access: AgreementAccess) -> dict[str, object]:
    participants = list(selectors.participant_list(agreement=access.agreement))
    sides = []
    for side, label in Side.choices:
        add_form = None
        if side in access.manageable_sides:
            add_form = ParticipantAddForm(
                initial={"side": side},
                candidates=selectors.participant_candidates(agreement=access.agreement, side=side),
            )
        sides.append(
            {
                "side": side,
                "label": label,
                "organisation": access.agreement.organisation_of(side),
                "participants": [p for p in participants if p.side == side],
                "add_form": add_form,
                "can_manage": side in access.manageable_sides,
            }
        )
    return {
        "access": access,
        "agreement": access.agreement,
        "sides": sides,
        "role_choices": ParticipantRole.choices,
    }


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    context = _participants_context(access)
    context["panels"] = registry.overview_panels(access)
    return render(request, "agreements/detail.html", context)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.TERMS)
    agreement = access.agreement
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.Meta.fields}
        try:
            services.agreement_update(
                agreement=agreement, actor=user, version=form.cleaned_data["version"], **changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agreement has been saved."))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request, "agreements/form.html", {"form": form, "agreement": agreement, "access": access}
    )


@login_required
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.END)
    form = AgreementEndForm(request.POST or None, initial={"end_date": access.agreement.end_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_end(
                agreement=access.agreement, actor=user, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agreement has been ended."))
            return redirect("agreements:detail", pk=pk)
    return render(
        request,
        "agreements/end.html",
        {"form": form, "agreement": access.agreement, "access": access},
    )


@login_required
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    form = history.history_filter_form(request.GET, access=access)
    page = None
    if form.is_valid():
        page = history.history_page(
            access=access, filters=form.filters(), number=request.GET.get("page")
        )
    return render(
        request,
        "agreements/history.html",
        {"agreement": access.agreement, "access": access, "form": form, "page": page},
    )


@login_required
def agreement_history_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the history's filters select, as an Excel workbook (not only one page)."""
    user = request_user(request)
    access = agreement_for(user, pk)
    form = history.history_filter_form(request.GET, access=access)
    if not form.is_valid():  # the page says what is wrong with the filters
        query = request.GET.urlencode()
        return redirect(reverse("agreements:history", args=[pk]) + (f"?{query}" if query else ""))
    content = history.history_workbook(access=access, form=form, exported_by=user)
    response = HttpResponse(content, content_type=history.XLSX)
    disposition = content_disposition_header(
        as_attachment=True, filename=history.history_filename(access.agreement)
    )
    assert disposition is not None  # there is always a filename
    response["Content-Disposition"] = disposition
    return response


def _participants_response(
    request: HttpRequest, access: AgreementAccess, error: str = ""
) -> HttpResponse:
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("agreements:detail", pk=access.agreement.pk)
    context = _participants_context(access)
    context["error"] = error
    return render(request, "agreements/_participants.html", context)


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk)
    side = request.POST.get("side", "")
    require_manage_side(access, side)
    form = ParticipantAddForm(
        request.POST,
        candidates=selectors.participant_candidates(agreement=access.agreement, side=side),
    )
    error = ""
    if form.is_valid():
        try:
            services.participant_add(agreement=access.agreement, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return _participants_response(request, access, error)


@login_required
@require_POST
def participant_role(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk)
    participant = participant_for(access, participant_pk)
    form = ParticipantRoleForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.participant_set_role(
                participant=participant, role=form.cleaned_data["role"], actor=user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose a role.")
    return _participants_response(request, access, error)


# Proposals: the asked organisation's administrators read and answer them ---------------


def _proposal_page(
    request: HttpRequest, agreement: Agreement, template: str, **context: object
) -> HttpResponse:
    proposer = agreement.organisation_of(agreement.proposing_side)
    asked = agreement.organisation_of(agreement.proposed_to)
    return render(
        request,
        template,
        {"agreement": agreement, "proposer": proposer, "asked": asked, **context},
    )


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = proposal_for(request_user(request), pk)
    if agreement.proposal == ProposalState.ACCEPTED:
        return redirect("agreements:detail", pk=pk)
    taken = selectors.proposal_reference_taken(agreement=agreement)
    return _proposal_page(request, agreement, "agreements/proposal.html", reference_taken=taken)


@login_required
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), accepts (POST); asks for another reference when it is taken."""
    user = request_user(request)
    agreement = proposal_for(user, pk)
    if agreement.proposal != ProposalState.PROPOSED:
        return redirect("agreements:proposal", pk=pk)
    ask = selectors.proposal_reference_taken(agreement=agreement)
    initial = {"version": agreement.version}
    form = ProposalAcceptForm(request.POST or None, initial=initial, ask_reference=ask)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_accept(
                agreement=agreement,
                actor=user,
                version=form.cleaned_data["version"],
                reference=form.cleaned_data.get("reference", ""),
            )
        except ValidationError as exc:
            agreement = proposal_for(user, pk)  # as it is now, not as the refused answer left it
            if isinstance(exc, StaleEditError):
                messages.error(request, _stale_proposal())
                typed = {"reference": form.cleaned_data.get("reference", "")}
                form = ProposalAcceptForm(
                    initial={"version": agreement.version, **typed}, ask_reference=ask
                )
            else:
                add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "You have accepted the proposal: it is now an agreement of both parties, and you take part in it as owner."
                ),
            )
            return redirect("agreements:detail", pk=pk)
    return _proposal_page(request, agreement, "agreements/proposal_accept.html", form=form)


@login_required
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for the reason (GET), declines (POST)."""
    user = request_user(request)
    agreement = proposal_for(user, pk)
    if agreement.proposal != ProposalState.PROPOSED:
        return redirect("agreements:proposal", pk=pk)
    initial = {"version": agreement.version}
    form = ProposalDeclineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_decline(
                agreement=agreement,
                actor=user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            agreement = proposal_for(user, pk)
            if isinstance(exc, StaleEditError):
                messages.error(request, _stale_proposal())
                typed = {"reason": form.cleaned_data["reason"]}
                form = ProposalDeclineForm(initial={"version": agreement.version, **typed})
            else:
                add_service_errors(form, exc)
        else:
            messages.success(
                request, _("You have declined the proposal. The proposer has been told.")
            )
            return redirect("agreements:proposal", pk=pk)
    return _proposal_page(request, agreement, "agreements/proposal_decline.html", form=form)


def _stale_proposal() -> str:
    return _(
        "The proposer changed the proposal after you opened it: nothing has been answered. "
        "Read it again as it is now, then answer."
    )


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk)
    participant = participant_for(access, participant_pk)
    error = ""
    try:
        services.participant_remove(participant=participant, actor=user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _participants_response(request, access, error)
