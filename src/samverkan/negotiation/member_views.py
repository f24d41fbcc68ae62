"""The team of a case: every member sees it; its owners add a person (by e-mail), change a
member's role and ownership, and take a member off the case (never the last owner).

Only people of the owning organisation and of adviser organisations join
(``services.member_add`` refuses everyone else with its message). An e-mail address
nobody uses gets the same refusal, so the page tells nothing about who has an account.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.models import Membership, User
from samverkan.core.forms import add_service_errors
from samverkan.core.requests import request_user
from samverkan.negotiation import services
from samverkan.negotiation.access import CaseAccess, case_for
from samverkan.negotiation.forms import MemberAddForm, MemberChangeForm
from samverkan.negotiation.models import Member


def _page(
    request: HttpRequest,
    access: CaseAccess,
    *,
    add_form: MemberAddForm | None = None,
    failed: tuple[int, MemberChangeForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    members = list(
        Member.objects.filter(case=access.case).select_related("user").order_by("position", "pk")
    )
    organisations: dict[int, list[str]] = {}
    for membership in Membership.objects.filter(
        user__in=[member.user_id for member in members]
    ).select_related("organisation"):
        organisations.setdefault(membership.user_id, []).append(membership.organisation.name)
    owners = sum(member.owner for member in members)
    rows: list[dict[str, Any]] = []
    for member in members:
        form = MemberChangeForm(
            initial={"role": member.role, "owner": member.owner}, prefix=f"m{member.pk}"
        )
        if failed is not None and failed[0] == member.pk:
            form = failed[1]
        rows.append(
            {
                "member": member,
                "organisations": organisations.get(member.user_id, []),
                "form": form,
                "removable": not (member.owner and owners == 1),  # a case keeps an owner
            }
        )
    context = {
        "case": access.case,
        "access": access,
        "rows": rows,
        "add_form": add_form or MemberAddForm(),
    }
    return render(request, "negotiation/members.html", context, status=status)


@login_required
def members_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, case_for(request_user(request), pk))


def _member(access: CaseAccess, pk: int) -> Member:
    found = Member.objects.filter(case=access.case, pk=pk).select_related("user").first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = case_for(request_user(request), pk, owner=True)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = User.objects.filter(email__iexact=data["email"], is_active=True).first()
        try:
            if person is None:  # refused as anyone who may not join: no account is revealed
                raise ValidationError({"email": [_refusal(access)]})
            member = services.member_add(
                case=access.case, user=person, role=data["role"], owner=data["owner"]
            )
        except ValidationError as exc:
            add_service_errors(form, _on_email(exc))
        else:
            messages.success(
                request, _("%(person)s has been added to the case.") % {"person": member}
            )
            return redirect("negotiation:members", pk=pk)
    return _page(request, access, add_form=form, status=400)


def _refusal(access: CaseAccess) -> str:
    return _(
        "Only people of %(organisation)s and of an adviser organisation can be added to the case."
    ) % {"organisation": access.case.organisation.name}


def _on_email(exc: ValidationError) -> ValidationError:
    """The service names the person ``user``; the form asks for their e-mail address."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {("email" if name == "user" else name): errors for name, errors in exc.error_dict.items()}
    )


@login_required
@require_POST
def member_change(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    access = case_for(request_user(request), pk, owner=True)
    found = _member(access, member)
    form = MemberChangeForm(request.POST, prefix=f"m{found.pk}")
    if form.is_valid():
        try:
            services.member_change(
                member=found, role=form.cleaned_data["role"], owner=form.cleaned_data["owner"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(person)s has been changed.") % {"person": found})
            return redirect("negotiation:members", pk=pk)
    return _page(request, access, failed=(found.pk, form), status=400)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    user = request_user(request)
    access = case_for(user, pk, owner=True)
    found = _member(access, member)
    try:
        services.member_remove(member=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("negotiation:members", pk=pk)
    messages.success(request, _("%(person)s has been taken off the case.") % {"person": found})
    if found.user_id == user.pk:  # they no longer reach the case
        return redirect("negotiation:cases")
    return redirect("negotiation:members", pk=pk)
