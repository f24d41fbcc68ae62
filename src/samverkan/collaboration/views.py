"""Collaboration-model pages: the model, inline editing with HTMX, RACI and the org chart.

Each successful change answers an HTMX request with the changed section and the
``model-changed`` event, so the other sections refresh themselves; without
HTMX the same URLs fall back to full pages and redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess, Need, agreement_for, agreement_part
from samverkan.agreements.agreement_file import yaml_response
from samverkan.collaboration import catalogue, selectors, services
from samverkan.collaboration.forms import (
    EscalationForm,
    ForumForm,
    ObjectivesForm,
    ProcessForm,
    RoleForm,
)
from samverkan.collaboration.models import Forum, Level, Process, Role
from samverkan.collaboration.orgchart import orgchart_svg
from samverkan.core.forms import add_service_errors, is_htmx
from samverkan.core.requests import request_user

KINDS: dict[str, type[Model]] = {"roles": Role, "forums": Forum, "processes": Process}


def _kind(kind: str) -> type[Model]:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _context(access: AgreementAccess, **extra: Any) -> dict[str, Any]:
    language = translation.get_language() or "sv"
    return {
        "access": access,
        "agreement": access.agreement,
        "decision_names": {d["key"]: d["name"] for d in catalogue.decision_types(language)},
        "levels": Level.choices,
        **extra,
    }


def _section(
    request: HttpRequest, access: AgreementAccess, kind: str, *, changed: bool = False
) -> HttpResponse:
    model = selectors.collaboration_model(agreement=access.agreement)
    response = render(
        request,
        f"collaboration/_section_{kind}.html",
        _context(
            access,
            model=model,
            forum_templates=catalogue.forum_templates(access.agreement.language),
            process_templates=catalogue.process_templates(access.agreement.language),
        ),
    )
    if changed:
        response["HX-Trigger"] = "model-changed"
    return response


def _done(request: HttpRequest, access: AgreementAccess, kind: str) -> HttpResponse:
    if is_htmx(request):
        return _section(request, access, kind, changed=True)
    return redirect(reverse("collaboration:model", kwargs={"pk": access.agreement.pk}) + f"#{kind}")


@login_required
def model_page(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    return render(
        request,
        "collaboration/model.html",
        _context(
            access,
            model=selectors.collaboration_model(agreement=access.agreement),
            forum_templates=catalogue.forum_templates(access.agreement.language),
            process_templates=catalogue.process_templates(access.agreement.language),
        ),
    )


@login_required
def section(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in (*KINDS, "objectives", "escalation"):
        raise Http404
    return _section(request, agreement_for(request_user(request), pk), kind)


def _form(kind: str, access: AgreementAccess, data: Any = None, part: Any = None) -> Any:
    agreement = access.agreement
    if kind == "roles":
        return RoleForm(data, role=part, language=agreement.language)
    roles = selectors.roles_of(agreement)
    if kind == "forums":
        return ForumForm(data, roles=roles, forum=part, language=agreement.language)
    return ProcessForm(data, roles=list(roles), process=part)


def _render_form(
    request: HttpRequest, access: AgreementAccess, kind: str, form: Any, part: Any = None
) -> HttpResponse:
    context = _context(
        access, form=form, kind=kind, part=part, form_id=f"form-{kind}-{part.pk if part else 'new'}"
    )
    if not is_htmx(request):
        return render(request, "collaboration/part_form_page.html", context)
    response = render(request, "collaboration/_part_form.html", context)
    if (
        request.method == "POST"
    ):  # errors: show the form again where it was, not in place of the section
        response["HX-Retarget"] = f"#{context['form_id']}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _save(
    request: HttpRequest, access: AgreementAccess, kind: str, form: Any, part: Any = None
) -> HttpResponse | None:
    """Run the create/update service; None when the form must be shown again."""
    if not form.is_valid():
        return None
    user = request_user(request)
    fields = form.service_fields()
    try:
        if part is None:
            _create(kind, access, user, fields)
        else:
            version = form.cleaned_data.get("version") or part.version
            _update(kind, part, user, version, fields)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    return _done(request, access, kind)


def _create(kind: str, access: AgreementAccess, user: User, fields: dict[str, Any]) -> None:
    if kind == "roles":
        services.role_create(agreement=access.agreement, actor=user, **fields)
    elif kind == "forums":
        services.forum_create(agreement=access.agreement, actor=user, **fields)
    else:
        services.process_create(agreement=access.agreement, actor=user, **fields)


def _update(kind: str, part: Any, user: User, version: int, fields: dict[str, Any]) -> None:
    if kind == "roles":
        services.role_update(role=part, actor=user, version=version, **fields)
    elif kind == "forums":
        services.forum_update(forum=part, actor=user, version=version, **fields)
    else:
        services.process_update(process=part, actor=user, version=version, **fields)


@login_required
def part_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _kind(kind)
    access = agreement_for(request_user(request), pk, Need.EDIT)
    form = _form(kind, access, request.POST or None)
    if request.method == "POST" and (response := _save(request, access, kind, form)) is not None:
        return response
    return _render_form(request, access, kind, form)


@login_required
def part_edit(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk, Need.EDIT)
    part = agreement_part(access, _kind(kind), part_pk)
    form = _form(kind, access, request.POST or None, part)
    if (
        request.method == "POST"
        and (response := _save(request, access, kind, form, part)) is not None
    ):
        return response
    return _render_form(request, access, kind, form, part)


@login_required
@require_POST
def part_move(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk, Need.EDIT)
    part = agreement_part(access, _kind(kind), part_pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.part_move(part=part, actor=request_user(request), offset=offset)  # type: ignore[arg-type]
    return _done(request, access, kind)


@login_required
@require_POST
def part_delete(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk, Need.EDIT)
    part = agreement_part(access, _kind(kind), part_pk)
    if isinstance(part, Role):
        services.role_delete(role=part, actor=request_user(request))
    elif isinstance(part, Forum):
        services.forum_delete(forum=part, actor=request_user(request))
    elif isinstance(part, Process):
        services.process_delete(process=part, actor=request_user(request))
    if not is_htmx(request):
        messages.success(request, _("“%(name)s” has been removed.") % {"name": part})
    return _done(request, access, kind)


@login_required
@require_POST
def part_template(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    access = agreement_for(request_user(request), pk, Need.EDIT)
    if kind not in ("forums", "processes"):
        raise Http404
    add = services.forum_from_template if kind == "forums" else services.process_from_template
    try:
        add(
            agreement=access.agreement,
            actor=request_user(request),
            template=request.POST.get("template", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _done(request, access, kind)


@login_required
def objectives(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk, Need.EDIT)
    # The version of the very list the form shows (one query), so that a change saved
    # between two reads cannot be overwritten without a conflict.
    texts = [o.text for o in access.agreement.objectives.order_by("position", "pk")]
    initial = {"objectives": "\n".join(texts), "version": services.objectives_version_of(texts)}
    form = ObjectivesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.objectives_set(
                agreement=access.agreement,
                actor=request_user(request),
                texts=form.cleaned_data["objectives"].splitlines(),
                version=form.cleaned_data["version"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, access, "objectives")
    return _render_form(request, access, "objectives", form)


@login_required
def escalation(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk, Need.EDIT)
    forums = list(selectors.forums_of(access.agreement))
    steps = list(access.agreement.escalation_steps.order_by("position", "pk"))
    version = services.escalation_version_of((s.forum_id, s.resolve_within_days) for s in steps)
    form = EscalationForm(
        request.POST or None, forums=forums, steps=steps, initial={"version": version}
    )
    if request.method == "POST" and form.is_valid():
        path = form.steps()
        if not form.errors:
            try:
                services.escalation_set(
                    agreement=access.agreement,
                    actor=request_user(request),
                    steps=path,
                    version=form.cleaned_data["version"] or None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _done(request, access, "escalation")
    return _render_form(request, access, "escalation", form)


@login_required
def raci(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    return render(
        request,
        "collaboration/raci.html",
        _context(access, matrix=selectors.raci_matrix(agreement=access.agreement)),
    )


@login_required
def chart(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    model = selectors.collaboration_model(agreement=access.agreement)
    svg = orgchart_svg(model, translation.get_language() or "sv")
    return render(request, "collaboration/chart.html", _context(access, model=model, svg=svg))


@login_required
def agreement_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the agreement and its whole model as a YAML file."""
    return yaml_response(agreement_for(request_user(request), pk).agreement)
