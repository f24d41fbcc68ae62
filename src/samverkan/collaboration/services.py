"""Writes for the collaboration model.

Every function validates (``ValidationError`` naming the field), saves
atomically and leaves the audit trail to django-auditlog. Updates take the
``version`` the editor started from and raise ``StaleEditError`` when someone
else saved in between, so no edit silently overwrites another.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F, Max, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.collaboration import catalogue
from samverkan.collaboration.models import (
    EscalationStep,
    Forum,
    Objective,
    Process,
    Raci,
    RaciAssignment,
    Role,
)
from samverkan.core.errors import StaleEditError
from samverkan.core.validation import text_problem, text_within
from samverkan.lib import limits

Part = TypeVar("Part", Role, Forum, Process)

ROLE_FIELDS = (
    "name",
    "side",
    "level",
    "orientation",
    "purpose",
    "responsibilities",
    "authorities",
    "decision_rights",
    "holders",
)
FORUM_FIELDS = (
    "name",
    "level",
    "purpose",
    "chair",
    "cadence",
    "agenda",
    "inputs",
    "outputs",
    "mandate",
)
PROCESS_FIELDS = ("name", "purpose", "owner", "steps")


# Validation of the list-shaped fields -------------------------------------------


def clean_lines(
    value: Iterable[Any] | str | None, field: str = "", most: int = limits.ITEMS_MAX
) -> list[str]:
    """A list of short texts from a list or from text with one item per line; blanks dropped.

    At most ``most`` items of at most ``limits.LINE_MAX`` characters each; more is refused
    with a ValidationError naming ``field``.
    """
    if value is None:
        return []
    items = value.splitlines() if isinstance(value, str) else list(value)
    lines = [str(item).strip() for item in items if str(item).strip()]
    for line in lines:
        if (problem := text_problem(line)) is not None:
            raise ValidationError({field or NON_FIELD_ERRORS: problem})
    if len(lines) > most:
        raise ValidationError(
            {
                field or NON_FIELD_ERRORS: _("At most %(max)s lines; this has %(n)s.")
                % {"max": most, "n": len(lines)}
            }
        )
    for i, line in enumerate(lines, start=1):
        if len(line) > limits.LINE_MAX:
            raise ValidationError(
                {
                    field or NON_FIELD_ERRORS: _("Line %(n)s is longer than %(max)s characters.")
                    % {"n": i, "max": limits.LINE_MAX}
                }
            )
    return lines


def _check_count(queryset: QuerySet[Any], most: int, message: str) -> None:
    """Refuse adding one more part when the agreement already has ``most`` of them."""
    if queryset.count() >= most:
        raise ValidationError(message % {"max": most})


def clean_mandate(entries: Iterable[Any], field: str = "mandate") -> list[dict[str, Any]]:
    """Validate ``[{decision, limit, note}]`` against the shared list of decision types."""
    known = catalogue.decision_keys()
    cleaned: list[dict[str, Any]] = []
    entries = list(entries)
    if len(entries) > limits.ITEMS_MAX:
        raise ValidationError(
            {
                field: _("At most %(max)s entries; this has %(n)s.")
                % {"max": limits.ITEMS_MAX, "n": len(entries)}
            }
        )
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ValidationError(
                {field: _("Entry %(n)s must have a decision type.") % {"n": i + 1}}
            )
        decision = str(entry.get("decision", "")).strip()
        if decision not in known:
            raise ValidationError(
                {
                    field: _("Entry %(n)s: the decision type must be one of %(known)s.")
                    % {"n": i + 1, "known": ", ".join(known)}
                }
            )
        limit = entry.get("limit")
        if limit in (None, ""):
            limit_value = None
        else:
            try:
                limit_value = int(Decimal(str(limit)))
            except (InvalidOperation, ValueError, OverflowError) as exc:
                raise ValidationError(
                    {field: _("Entry %(n)s: the limit must be an amount in SEK.") % {"n": i + 1}}
                ) from exc
            if limit_value < 0:
                raise ValidationError(
                    {field: _("Entry %(n)s: the limit cannot be negative.") % {"n": i + 1}}
                )
            if limit_value > limits.AMOUNT_MAX:
                raise ValidationError(
                    {field: _("Entry %(n)s: the limit is too large.") % {"n": i + 1}}
                )
        item: dict[str, Any] = {"decision": decision}
        if limit_value is not None:
            item["limit"] = limit_value
        note = str(entry.get("note") or "").strip()
        if len(note) > limits.NOTE_MAX:
            raise ValidationError(
                {
                    field: _("Entry %(n)s: the note is longer than %(max)s characters.")
                    % {"n": i + 1, "max": limits.NOTE_MAX}
                }
            )
        if note:
            item["note"] = note
        cleaned.append(item)
    decisions = [item["decision"] for item in cleaned]
    if len(set(decisions)) != len(decisions):
        raise ValidationError({field: _("Each decision type may appear only once.")})
    return cleaned


def clean_holders(entries: Iterable[Any]) -> list[dict[str, str]]:
    """Holders of a role: ``[{name, email}]``; people need not have an account."""
    cleaned = []
    entries = list(entries)
    if len(entries) > limits.ITEMS_MAX:
        raise ValidationError(
            {
                "holders": _("At most %(max)s holders; this has %(n)s.")
                % {"max": limits.ITEMS_MAX, "n": len(entries)}
            }
        )
    for i, entry in enumerate(entries):
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict):
            raise ValidationError({"holders": _("Holder %(n)s needs a name.") % {"n": i + 1}})
        name = str(entry.get("name") or "").strip()
        email = str(entry.get("email") or "").strip().lower()
        if not name:
            raise ValidationError({"holders": _("Holder %(n)s needs a name.") % {"n": i + 1}})
        if len(name) > limits.PERSON_MAX or len(email) > limits.EMAIL_MAX:
            raise ValidationError(
                {"holders": _("Holder %(n)s: the name or e-mail is too long.") % {"n": i + 1}}
            )
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise ValidationError(
                    {
                        "holders": _("Holder %(n)s: %(email)s is not an e-mail address.")
                        % {"n": i + 1, "email": email}
                    }
                ) from exc
        cleaned.append({"name": name, "email": email} if email else {"name": name})
    return cleaned


def _unique_key(
    model: type[Role | Forum | Process],
    agreement: Agreement,
    wanted: str,
    exclude: int | None = None,
) -> str:
    base = slugify(wanted)[:50] or model.__name__.lower()
    others = model.objects.filter(agreement=agreement)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = set(others.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _check_key_free(model: type[Role | Forum | Process], agreement: Agreement, key: str) -> None:
    """A key given by the caller must be free (full_clean skips the per-agreement constraint)."""
    if model.objects.filter(agreement=agreement, key=key).exists():
        raise ValidationError({"key": _("Another part of the model already has this key.")})


def _next_position(queryset: models.QuerySet[Any]) -> int:
    return int(queryset.aggregate(m=Max("position"))["m"] or 0) + 1


def _check_role(agreement: Agreement, role: Role | None, field: str) -> None:
    if role is not None and role.agreement_id != agreement.pk:
        raise ValidationError({field: _("The role belongs to another agreement.")})


def _bump_version(obj: Role | Forum | Process, version: int) -> None:
    """Claim the row for this edit, or raise StaleEditError if it moved on."""
    updated = type(obj).objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1)
    if not updated:
        raise StaleEditError
    obj.version = version + 1


def _apply(obj: models.Model, allowed: Sequence[str], changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for field, value in changes.items():
        if field in ("responsibilities", "authorities", "agenda", "inputs", "outputs", "steps"):
            value = clean_lines(value, field)
        elif field == "mandate":
            value = clean_mandate(value)
        elif field == "decision_rights":
            value = clean_mandate(value, "decision_rights")
        elif field == "holders":
            value = clean_holders(value)
        elif field == "purpose" or isinstance(value, str):
            value = text_within(value, field)
        setattr(obj, field, value)


# Roles ----------------------------------------------------------------------------


@transaction.atomic
def role_create(*, agreement: Agreement, actor: User | None, key: str = "", **fields: Any) -> Role:
    _check_count(
        agreement.roles.all(), limits.ROLES_MAX, _("An agreement has at most %(max)s roles.")
    )
    role = Role(agreement=agreement, position=_next_position(agreement.roles.all()))
    _apply(role, ROLE_FIELDS, fields)
    role.key = slugify(key) if key else _unique_key(Role, agreement, role.name)
    _check_key_free(Role, agreement, role.key)
    role.full_clean(exclude=["agreement"])
    role.save()
    return role


@transaction.atomic
def role_update(*, role: Role, actor: User | None, version: int, **changes: Any) -> Role:
    _bump_version(role, version)
    _apply(role, ROLE_FIELDS, changes)
    role.full_clean(exclude=["agreement"])
    role.save()
    return role


@transaction.atomic
def role_delete(*, role: Role, actor: User | None) -> None:
    role.delete()


# Forums ---------------------------------------------------------------------------


@transaction.atomic
def forum_create(
    *,
    agreement: Agreement,
    actor: User | None,
    key: str = "",
    members: Iterable[Role] = (),
    **fields: Any,
) -> Forum:
    _check_count(
        agreement.forums.all(), limits.FORUMS_MAX, _("An agreement has at most %(max)s forums.")
    )
    forum = Forum(agreement=agreement, position=_next_position(agreement.forums.all()))
    _apply(forum, FORUM_FIELDS, fields)
    _check_role(agreement, forum.chair, "chair")
    forum.key = slugify(key) if key else _unique_key(Forum, agreement, forum.name)
    _check_key_free(Forum, agreement, forum.key)
    forum.full_clean(exclude=["agreement"])
    forum.save()
    _set_members(forum, members)
    return forum


def _set_members(forum: Forum, members: Iterable[Role]) -> None:
    members = list(members)
    for role in members:
        _check_role(forum.agreement, role, "members")
    forum.members.set(members)


@transaction.atomic
def forum_update(
    *,
    forum: Forum,
    actor: User | None,
    version: int,
    members: Iterable[Role] | None = None,
    **changes: Any,
) -> Forum:
    _bump_version(forum, version)
    _apply(forum, FORUM_FIELDS, changes)
    _check_role(forum.agreement, forum.chair, "chair")
    forum.full_clean(exclude=["agreement"])
    forum.save()
    if members is not None:
        _set_members(forum, members)
    return forum


@transaction.atomic
def forum_delete(*, forum: Forum, actor: User | None) -> None:
    forum.delete()


@transaction.atomic
def forum_from_template(*, agreement: Agreement, actor: User | None, template: str) -> Forum:
    spec = next(
        (f for f in catalogue.forum_templates(agreement.language) if f["key"] == template), None
    )
    if spec is None:
        raise ValidationError({"template": _("Unknown forum template.")})
    return forum_create(
        agreement=agreement,
        actor=actor,
        key=_unique_key(Forum, agreement, spec["key"]),
        **{k: spec.get(k, "") for k in ("name", "level", "purpose", "cadence")},
        agenda=spec.get("agenda", []),
        inputs=spec.get("inputs", []),
        outputs=spec.get("outputs", []),
        mandate=spec.get("mandate", []),
    )


# Processes ------------------------------------------------------------------------


@transaction.atomic
def process_create(
    *,
    agreement: Agreement,
    actor: User | None,
    key: str = "",
    raci: dict[Role, str] | None = None,
    **fields: Any,
) -> Process:
    _check_count(
        agreement.processes.all(),
        limits.PROCESSES_MAX,
        _("An agreement has at most %(max)s joint processes."),
    )
    process = Process(agreement=agreement, position=_next_position(agreement.processes.all()))
    _apply(process, PROCESS_FIELDS, fields)
    _check_role(agreement, process.owner, "owner")
    process.key = slugify(key) if key else _unique_key(Process, agreement, process.name)
    _check_key_free(Process, agreement, process.key)
    process.full_clean(exclude=["agreement"])
    process.save()
    if raci:
        _set_raci(process, raci)
    return process


def _set_raci(process: Process, raci: dict[Role, str]) -> None:
    for role, letter in raci.items():
        _check_role(process.agreement, role, "raci")
        if letter not in Raci.values:
            raise ValidationError({"raci": _("RACI must be one of R, A, C or I.")})
    process.raci.all().delete()
    for role, letter in raci.items():
        if letter:  # one by one, not bulk_create: the audit trail listens to save signals
            RaciAssignment.objects.create(process=process, role=role, letter=letter)


@transaction.atomic
def process_update(
    *,
    process: Process,
    actor: User | None,
    version: int,
    raci: dict[Role, str] | None = None,
    **changes: Any,
) -> Process:
    _bump_version(process, version)
    _apply(process, PROCESS_FIELDS, changes)
    _check_role(process.agreement, process.owner, "owner")
    process.full_clean(exclude=["agreement"])
    process.save()
    if raci is not None:
        _set_raci(process, raci)
    return process


@transaction.atomic
def process_delete(*, process: Process, actor: User | None) -> None:
    process.delete()


@transaction.atomic
def process_from_template(*, agreement: Agreement, actor: User | None, template: str) -> Process:
    """Add a starter process; its owner and RACI bind to the agreement's roles with the same keys."""
    spec = next(
        (p for p in catalogue.process_templates(agreement.language) if p["key"] == template), None
    )
    if spec is None:
        raise ValidationError({"template": _("Unknown process template.")})
    roles = {role.key: role for role in agreement.roles.all()}
    return process_create(
        agreement=agreement,
        actor=actor,
        key=_unique_key(Process, agreement, spec["key"]),
        name=spec["name"],
        purpose=spec.get("purpose", ""),
        owner=roles.get(spec.get("owner", "")),
        steps=spec.get("steps", []),
        raci={roles[k]: v for k, v in spec.get("raci", {}).items() if k in roles},
    )


# Order, objectives and escalation -------------------------------------------------


@transaction.atomic
def part_move(
    *, part: Role | Forum | Process | Objective | EscalationStep, actor: User | None, offset: int
) -> None:
    """Move a part one place up (offset -1) or down (+1) among its siblings."""
    others: QuerySet[Any] = type(part)._default_manager.filter(agreement_id=part.agreement_id)
    if isinstance(part, Role):  # roles are shown, and so ordered, within their level
        others = others.filter(level=part.level)
    siblings: list[Any] = list(others.order_by("position", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == part.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            # A save, not QuerySet.update: the snapshot's revision follows save signals.
            sibling.position = position
            sibling.save(update_fields=["position"])


def _list_version(items: object) -> str:
    """A version token for a whole list: it changes whenever anything in the list does."""
    encoded = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def objectives_version(agreement: Agreement) -> str:
    """The version of the agreement's objectives as stored now (for ``objectives_set``)."""
    return objectives_version_of(
        agreement.objectives.order_by("position", "pk").values_list("text", flat=True)
    )


def objectives_version_of(texts: Iterable[str]) -> str:
    """The version of these objectives, in order. Give a reader the version of the very
    list it shows: one read in another query may be that of a newer list, and the reader
    sending its older list back with it would overwrite that change without a conflict."""
    return _list_version(list(texts))


def escalation_version(agreement: Agreement) -> str:
    """The version of the agreement's escalation path as stored now (for ``escalation_set``)."""
    steps = agreement.escalation_steps.order_by("position", "pk")
    return escalation_version_of(steps.values_list("forum_id", "resolve_within_days"))


def escalation_version_of(steps: Iterable[tuple[int, int]]) -> str:
    """The version of these (forum id, days to resolve) steps, in order; as
    ``objectives_version_of``, for the very path a reader shows."""
    return _list_version([[forum_id, days] for forum_id, days in steps])


def _check_list_version(agreement: Agreement, version: str | None, current: Any) -> None:
    """Claim the agreement for this list edit, or raise StaleEditError if the list moved on.

    The agreement row is locked first (PostgreSQL; SQLite's IMMEDIATE transactions already
    serialise writers), so two edits from the same read cannot both pass the check.
    """
    Agreement.objects.select_for_update().filter(pk=agreement.pk).exists()
    if version is not None and version != current(agreement):
        raise StaleEditError


@transaction.atomic
def objectives_set(
    *, agreement: Agreement, actor: User | None, texts: Iterable[str], version: str | None = None
) -> list[Objective]:
    """Replace the agreement's objectives with these texts, in order.

    ``version`` is the ``objectives_version`` the editor read; when the objectives have
    changed since, nothing is written and ``StaleEditError`` is raised. Without it the
    write is unconditional (imports, the demo).
    """
    _check_list_version(agreement, version, objectives_version)
    wanted = clean_lines(texts, "objectives", limits.OBJECTIVES_MAX)
    existing = list(agreement.objectives.all())
    for objective in existing[len(wanted) :]:
        objective.delete()
    result = []
    for position, text in enumerate(wanted, start=1):
        if position <= len(existing):
            objective = existing[position - 1]
            if objective.text != text or objective.position != position:
                objective.text, objective.position = text, position
                objective.save()
        else:
            objective = Objective.objects.create(agreement=agreement, text=text, position=position)
        result.append(objective)
    return result


@transaction.atomic
def escalation_set(
    *,
    agreement: Agreement,
    actor: User | None,
    steps: Sequence[tuple[Forum, int]],
    version: str | None = None,
) -> list[EscalationStep]:
    """Replace the escalation path: forums from operational toward strategic, with days to resolve.

    ``version`` works as for ``objectives_set``, with ``escalation_version``.
    """
    _check_list_version(agreement, version, escalation_version)
    if len(steps) > limits.ESCALATION_STEPS_MAX:
        raise ValidationError(
            {
                "escalation": _("The escalation path has at most %(max)s steps.")
                % {"max": limits.ESCALATION_STEPS_MAX}
            }
        )
    for i, (forum, days) in enumerate(steps):
        if forum.agreement_id != agreement.pk:
            raise ValidationError(
                {
                    "escalation": _("Step %(n)s: the forum belongs to another agreement.")
                    % {"n": i + 1}
                }
            )
        if days is None or not 1 <= int(days) <= limits.ESCALATION_DAYS_MAX:
            raise ValidationError(
                {
                    "escalation": _("Step %(n)s: give the days to resolve, 1 to %(max)s.")
                    % {"n": i + 1, "max": limits.ESCALATION_DAYS_MAX}
                }
            )
    forums = [forum.pk for forum, _days in steps]
    if len(set(forums)) != len(forums):
        raise ValidationError(
            {"escalation": _("A forum may appear only once in the escalation path.")}
        )
    agreement.escalation_steps.all().delete()
    return [
        EscalationStep.objects.create(
            agreement=agreement, forum=forum, resolve_within_days=int(days), position=i
        )
        for i, (forum, days) in enumerate(steps, start=1)
    ]


@transaction.atomic
def model_seed(*, agreement: Agreement) -> None:
    """Give a new agreement the four standard roles and the customer's counterparts."""
    if agreement.roles.exists():
        return
    for spec in catalogue.starter_roles(agreement.language):
        role_create(
            agreement=agreement,
            actor=None,
            key=spec["key"],
            **{
                field: spec.get(field, [] if field in ("responsibilities", "authorities") else "")
                for field in (
                    "name",
                    "side",
                    "level",
                    "orientation",
                    "purpose",
                    "responsibilities",
                    "authorities",
                )
            },
        )


@transaction.atomic
def model_clear(*, agreement: Agreement) -> None:
    """Remove the whole model (before an import with --replace)."""
    agreement.escalation_steps.all().delete()
    agreement.processes.all().delete()
    agreement.forums.all().delete()
    agreement.roles.all().delete()
    agreement.objectives.all().delete()
