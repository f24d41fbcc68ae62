"""The collaboration model's sections of the agreement file::

    objectives: [text, ...]
    roles: [{key, name, side, level, orientation, purpose, responsibilities: [..],
             authorities: [..], decision_rights: [{decision, limit, note}],
             holders: [{name, email}]}]
    forums: [{key, name, level, purpose, chair: role-key, members: [role-key], cadence,
              agenda: [..], inputs: [..], outputs: [..], mandate: [{decision, limit, note}]}]
    processes: [{key, name, purpose, owner: role-key, steps: [..], raci: {role-key: R|A|C|I}}]
    escalation: [{forum: forum-key, resolve_within_days}]

Besides each value, the schema checks the references between the parts: a forum's
chair and members, a process's owner and RACI name roles of the file (or, without
a ``roles`` key, the starter roles the import creates), the escalation path names
forums of the file; keys are unique, and no member, decision or escalation forum
is listed twice. Composed into the file by ``samverkan.agreements.agreement_file``;
registered in ``CollaborationConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic import ValidationError as SchemaError

from samverkan.accounts.models import User
from samverkan.agreements.agreement_file import (
    LANGUAGES,
    Choice,
    FileModel,
    Lines,
    OrEmpty,
    OrNone,
    Required,
    RequiredLine,
    Text,
    Whole,
    reporting,
)
from samverkan.agreements.models import Agreement
from samverkan.collaboration import catalogue
from samverkan.collaboration import models as rows
from samverkan.collaboration.models import Cadence, Level, Orientation, Raci, Role, RoleSide
from samverkan.collaboration.selectors import CollaborationModel, collaboration_models
from samverkan.collaboration.services import (
    escalation_set,
    forum_create,
    model_clear,
    model_seed,
    objectives_set,
    process_create,
    role_create,
)
from samverkan.core import fields
from samverkan.lib import limits

KEY_MAX = 60
# What django.utils.text.slugify leaves unchanged: a–z, 0–9, "_" and single "-" inside.
KEY_PATTERN = r"^(?![-_])(?!.*--)(?!.*[-_]$)[a-z0-9_-]{1,60}$"


# Keys and references ------------------------------------------------------------------------


def _is_key(value: Any) -> bool:
    return (
        isinstance(value, str) and value != "" and slugify(value) == value and len(value) <= KEY_MAX
    )


def _key(value: str) -> str:
    if value == "":
        raise fields.problem(_("required"))
    if not _is_key(value):
        raise fields.problem(
            _(
                'must be a short key of lowercase letters a–z, digits and hyphens, like "%(example)s"'
            )
            % {"example": (slugify(value)[:KEY_MAX] or "cio")}
        )
    return value


Key = Annotated[
    str,
    AfterValidator(_key),
    WithJsonSchema({"type": "string", "pattern": KEY_PATTERN, "maxLength": KEY_MAX}),
]


def _known(info: ValidationInfo, name: str) -> set[str] | None:
    known: set[str] | None = (info.context or {}).get(name)
    return known


def _role_ref(value: str, info: ValidationInfo) -> str:
    if value == "":
        raise fields.problem(_("must be a role key"))
    roles = _known(info, "role_keys")
    if roles is not None and value not in roles:
        raise fields.problem(_('unknown role key "%(key)s"') % {"key": value})
    return value


def _forum_ref(value: str, info: ValidationInfo) -> str:
    if value == "":
        raise fields.problem(_("required; a forum key"))
    forums = _known(info, "forum_keys")
    if forums is not None and value not in forums:
        raise fields.problem(_('unknown forum key "%(key)s"') % {"key": value})
    return value


def _empty_to_none(value: Any) -> Any:
    return None if value == "" else value


RoleRef = Annotated[str, AfterValidator(_role_ref)]
OptionalRoleRef = Annotated[RoleRef | None, BeforeValidator(_empty_to_none)]
ForumRef = Annotated[str, AfterValidator(_forum_ref)]


def _once(
    value_of: Callable[[Any, ValidationInfo], str | None],
    where: Callable[[int], tuple[str | int, ...]],
    message: Callable[[str, int], str],
) -> WrapValidator:
    """A list in which no value (``value_of`` an item, None to skip it) appears twice.

    Checked on the items as written, so a repeated value is reported together with
    the items' own problems: at ``where(index)``, with ``message(value, first index)``.
    """

    def check(items: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        errors = []
        result = None
        try:
            result = handler(items)
        except SchemaError as exc:
            errors = exc.errors()
        repeated: list[tuple[tuple[str | int, ...], str]] = []
        first: dict[str, int] = {}
        for index, item in enumerate(items if isinstance(items, list) else []):
            value = value_of(item, info)
            if value is None:
                continue
            if value in first:
                repeated.append((where(index), message(value, first[value])))
            else:
                first[value] = index
        if errors or repeated:
            raise fields.combined("list", errors, repeated)
        return result

    return WrapValidator(check)


def _item_key(item: Any, info: ValidationInfo) -> str | None:
    key = item.get("key") if isinstance(item, dict) else None
    return key if _is_key(key) else None


def _keyed(section: str) -> WrapValidator:
    return _once(
        _item_key,
        lambda index: (index, "key"),
        lambda key, first: (
            _('"%(key)s" is already the key of %(other)s')
            % {"key": key, "other": f"{section}[{first}]"}
        ),
    )


def _known_ref(name: str) -> Callable[[Any, ValidationInfo], str | None]:
    def value_of(item: Any, info: ValidationInfo) -> str | None:
        known = _known(info, name)
        if not isinstance(item, str) or item == "" or (known is not None and item not in known):
            return None
        return item

    return value_of


def _escalation_forum(item: Any, info: ValidationInfo) -> str | None:
    return _known_ref("forum_keys")(item.get("forum") if isinstance(item, dict) else None, info)


def _decision(item: Any, info: ValidationInfo) -> str | None:
    decision = item.get("decision") if isinstance(item, dict) else None
    return decision if isinstance(decision, str) and decision in catalogue.decision_keys() else None


# The parts ------------------------------------------------------------------------------------


class MandateEntry(FileModel):
    """A decision a role or forum may take, up to ``limit`` (SEK) when given."""

    decision: Annotated[str, Choice(tuple(catalogue.decision_keys()))]
    limit: Annotated[fields.Amount, *Whole] | None = None
    note: Annotated[fields.Note, OrEmpty, fields.Clean] = ""

    def cleaned(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"decision": self.decision}
        if self.limit is not None:
            entry["limit"] = self.limit
        if self.note.strip():
            entry["note"] = self.note
        return entry


Mandate = Annotated[
    list[MandateEntry],
    OrNone,
    Field(max_length=limits.ITEMS_MAX),
    _once(
        _decision,
        lambda index: (index, "decision"),
        lambda decision, first: _('"%(decision)s" appears twice') % {"decision": decision},
    ),
]


def _email(value: str) -> str:
    email = value.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise fields.problem(
                _('"%(email)s" is not an e-mail address') % {"email": email}
            ) from None
    return email


class Holder(FileModel):
    name: Annotated[fields.PersonName, *Required]
    email: Annotated[fields.Email, OrEmpty, fields.Clean, AfterValidator(_email)] = ""


class RoleEntry(FileModel):
    key: Key
    name: Annotated[fields.Name, *Required]
    side: Annotated[str, Choice(tuple(RoleSide.values))]
    level: Annotated[str, Choice(tuple(Level.values))]
    orientation: Annotated[str, Choice(tuple(Orientation.values))]
    purpose: Text = ""
    responsibilities: Lines = []
    authorities: Lines = []
    decision_rights: Mandate = []
    holders: Annotated[list[Holder], OrNone, Field(max_length=limits.ITEMS_MAX)] = []

    def service_fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "side": self.side,
            "level": self.level,
            "orientation": self.orientation,
            "purpose": self.purpose,
            "responsibilities": self.responsibilities,
            "authorities": self.authorities,
            "decision_rights": [entry.cleaned() for entry in self.decision_rights],
            "holders": [holder.model_dump() for holder in self.holders],
        }


Members = Annotated[
    list[RoleRef],
    OrNone,
    Field(max_length=limits.ROLES_MAX),
    _once(
        _known_ref("role_keys"),
        lambda index: (index,),
        lambda key, first: _('"%(key)s" is listed twice') % {"key": key},
    ),
]


class ForumEntry(FileModel):
    key: Key
    name: Annotated[fields.Name, *Required]
    level: Annotated[str, Choice(tuple(Level.values))]
    purpose: Text = ""
    chair: OptionalRoleRef = None
    members: Members = []
    cadence: Annotated[str, Choice(tuple(Cadence.values), default="")] = ""
    agenda: Lines = []
    inputs: Lines = []
    outputs: Lines = []
    mandate: Mandate = []

    def service_fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "level": self.level,
            "purpose": self.purpose,
            "cadence": self.cadence,
            "agenda": self.agenda,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "mandate": [entry.cleaned() for entry in self.mandate],
        }


class ProcessEntry(FileModel):
    key: Key
    name: Annotated[fields.Name, *Required]
    purpose: Text = ""
    owner: OptionalRoleRef = None
    steps: Lines = []
    raci: Annotated[dict[RoleRef, Annotated[str, Choice(tuple(Raci.values))]], OrNone] = Field(
        default_factory=dict,
        description='Role keys to R, A, C or I, like "cio: A".',
    )


class EscalationStep(FileModel):
    forum: ForumRef
    resolve_within_days: Annotated[fields.EscalationDays, *Whole]


class CollaborationSection(FileModel):
    objectives: Annotated[list[RequiredLine], OrNone, Field(max_length=limits.OBJECTIVES_MAX)] = []
    roles: Annotated[
        Annotated[list[RoleEntry], Field(max_length=limits.ROLES_MAX), _keyed("roles")] | None,
        OrNone,
        Field(description="Without this key the agreement gets the starter roles."),
    ] = None
    forums: Annotated[
        list[ForumEntry], OrNone, Field(max_length=limits.FORUMS_MAX), _keyed("forums")
    ] = []
    processes: Annotated[
        list[ProcessEntry], OrNone, Field(max_length=limits.PROCESSES_MAX), _keyed("processes")
    ] = []
    escalation: Annotated[
        list[EscalationStep],
        OrNone,
        Field(max_length=limits.ESCALATION_STEPS_MAX),
        _once(
            _escalation_forum,
            lambda index: (index, "forum"),
            lambda key, first: (
                _('"%(key)s" is already a step of the escalation path') % {"key": key}
            ),
        ),
    ] = []


# The section ----------------------------------------------------------------------------------


def _keys_of(value: Any, most: int) -> set[str] | None:
    """The keys the items of a list written in the file define; None when it is no list."""
    if value is None:
        return set()
    if not isinstance(value, list) or len(value) > most:
        return None
    return {item["key"] for item in value if isinstance(item, dict) and _is_key(item.get("key"))}


def _starter_keys(data: Mapping[str, Any]) -> set[str]:
    agreement = data.get("agreement")
    language = agreement.get("language") if isinstance(agreement, dict) else None
    if language not in LANGUAGES:
        language = "sv"
    return {role["key"] for role in catalogue.starter_roles(str(language))}


def _mandate_out(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "decision": entry.get("decision"),
            "limit": entry.get("limit"),
            "note": entry.get("note") or "",
        }
        for entry in entries
    ]


class _Section:
    key: str = "collaboration"
    order: int = 30
    keys: tuple[str, ...] = ("objectives", "roles", "forums", "processes", "escalation")

    def model(self) -> type[BaseModel]:
        return CollaborationSection

    def context(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        roles = (
            _keys_of(data["roles"], limits.ROLES_MAX) if "roles" in data else _starter_keys(data)
        )
        return {"role_keys": roles, "forum_keys": _keys_of(data.get("forums"), limits.FORUMS_MAX)}

    def export(self, agreements: Sequence[Agreement]) -> dict[int, dict[str, Any]]:
        models = collaboration_models(agreements=agreements)
        return {pk: _content(model) for pk, model in models.items()}

    def write(
        self, content: BaseModel, *, agreement: Agreement, actor: User, replacing: bool
    ) -> None:
        assert isinstance(content, CollaborationSection)
        if replacing:
            model_clear(agreement=agreement)
        with reporting("objectives"):
            objectives_set(agreement=agreement, actor=actor, texts=content.objectives)
        roles: dict[str, Role] = {}
        if content.roles is None:
            model_seed(agreement=agreement)
            roles = {role.key: role for role in agreement.roles.all()}
        for i, role in enumerate(content.roles or []):
            with reporting(f"roles[{i}]"):
                roles[role.key] = role_create(
                    agreement=agreement, actor=actor, key=role.key, **role.service_fields()
                )
        forums = {}
        for i, forum in enumerate(content.forums):
            with reporting(f"forums[{i}]"):
                forums[forum.key] = forum_create(
                    agreement=agreement,
                    actor=actor,
                    key=forum.key,
                    chair=roles[forum.chair] if forum.chair else None,
                    members=[roles[key] for key in forum.members],
                    **forum.service_fields(),
                )
        for i, process in enumerate(content.processes):
            with reporting(f"processes[{i}]"):
                process_create(
                    agreement=agreement,
                    actor=actor,
                    key=process.key,
                    name=process.name,
                    purpose=process.purpose,
                    owner=roles[process.owner] if process.owner else None,
                    steps=process.steps,
                    raci={roles[key]: letter for key, letter in process.raci.items()},
                )
        with reporting("escalation"):
            escalation_set(
                agreement=agreement,
                actor=actor,
                steps=[
                    (forums[step.forum], step.resolve_within_days) for step in content.escalation
                ],
            )

    def tracked(self) -> Mapping[type[Model], Callable[[Any], int]]:
        return {
            rows.Objective: _agreement_id,
            rows.Role: _agreement_id,
            rows.Forum: _agreement_id,
            rows.Forum.members.through: _agreement_id,  # of the forum (or role) holding it
            rows.Process: _agreement_id,
            # Loaded once per row (the audit trail reads it too); in a cascade the
            # process is deleted after its RACI rows, so it is still there.
            rows.RaciAssignment: lambda row: int(row.process.agreement_id),
            rows.EscalationStep: _agreement_id,
        }


def _agreement_id(row: Any) -> int:
    return int(row.agreement_id)


SECTION = _Section()


def _content(model: CollaborationModel) -> dict[str, Any]:
    return {
        "objectives": [objective.text for objective in model.objectives],
        "roles": [
            {
                "key": role.key,
                "name": role.name,
                "side": role.side,
                "level": role.level,
                "orientation": role.orientation,
                "purpose": role.purpose,
                "responsibilities": list(role.responsibilities),
                "authorities": list(role.authorities),
                "decision_rights": _mandate_out(role.decision_rights),
                "holders": [
                    {"name": holder.get("name", ""), "email": holder.get("email", "")}
                    for holder in role.holders
                ],
            }
            for role in model.roles
        ],
        "forums": [
            {
                "key": forum.key,
                "name": forum.name,
                "level": forum.level,
                "purpose": forum.purpose,
                "chair": forum.chair.key if forum.chair else None,
                "members": [member.key for member in forum.members.all()],
                "cadence": forum.cadence or None,
                "agenda": list(forum.agenda),
                "inputs": list(forum.inputs),
                "outputs": list(forum.outputs),
                "mandate": _mandate_out(forum.mandate),
            }
            for forum in model.forums
        ],
        "processes": [
            {
                "key": process.key,
                "name": process.name,
                "purpose": process.purpose,
                "owner": process.owner.key if process.owner else None,
                "steps": list(process.steps),
                "raci": {
                    assignment.role.key: assignment.letter for assignment in process.raci.all()
                },
            }
            for process in model.processes
        ],
        "escalation": [
            {"forum": step.forum.key, "resolve_within_days": step.resolve_within_days}
            for step in model.escalation
        ],
    }
