"""The agreement as a file: one YAML document holding an agreement, its relationship
type and its whole collaboration model (format version 1).

``agreement_export`` writes it; ``agreement_import`` reads it back through the
same services the UI uses. Export → import → export gives the same bytes.

The format (every key is always written, in this order)::

    samverkan: 1
    agreement: {reference, title, customer, supplier, start, end,
                value: {amount, currency}, language, status, description, services: [..]}
    relationship: {type: utility|business_enhancement|frontier|null, rationale,
                   profile: {...}}        # profile only when it differs from the type's defaults
    objectives: [text, ...]
    roles: [{key, name, side, level, orientation, purpose, responsibilities: [..],
             authorities: [..], decision_rights: [{decision, limit, note}],
             holders: [{name, email}]}]
    forums: [{key, name, level, purpose, chair: role-key, members: [role-key], cadence,
              agenda: [..], inputs: [..], outputs: [..], mandate: [{decision, limit, note}]}]
    processes: [{key, name, purpose, owner: role-key, steps: [..], raci: {role-key: R|A|C|I}}]
    escalation: [{forum: forum-key, resolve_within_days}]

What a reader may rely on:

- Only ``samverkan`` and ``agreement`` (with reference, title, customer and
  supplier) are required. A file *without* a ``roles`` key gets the standard
  starter roles, like an agreement created in the UI; ``roles: []`` gets none.
  Forums and processes may then refer to the starter roles by their keys.
- An import creates the customer and supplier organisations when missing. The
  person importing must belong to one of them and becomes the owner on that side.
  A file naming an existing organisation the person does not belong to makes a
  *proposal* to it, as the new-agreement form does (``agreement_create``).
- An agreement with the same customer and reference (in any letter case) that
  the importer can see is only replaced when asked to (``replace``); one they
  cannot see is never named, so the file makes a new agreement or proposal as if
  it were not there (the reference is then checked as ``agreement_create`` does,
  which tells a supplier nothing about a customer's references). Replacing makes the agreement
  exactly what the file says: the agreement's fields, its relationship type and
  profile, and the whole model (removed and rebuilt, so the audit trail shows
  the removals and the additions). The parties cannot change, and the
  questionnaire answers, which the file does not carry, are kept. The
  agreement's own fields are the customer's (``Need.TERMS``): the supplier's
  editors replace the model with a file that repeats them unchanged.
- A bad file changes nothing: it is checked whole first and every problem is
  reported with its place in the file (``roles[3].level: must be one of …``);
  the writes then run in one transaction.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.accounts.models import Membership, Organisation, OrganisationKind, User
from samverkan.agreements.access import Need, agreement_access, visible_agreements
from samverkan.agreements.models import (
    Agreement,
    AgreementStatus,
    Currency,
    ProposalState,
    Side,
)
from samverkan.agreements.services import (
    agreement_changed_fields,
    agreement_create,
    agreement_update,
)
from samverkan.collaboration import catalogue
from samverkan.collaboration.models import Cadence, Level, Orientation, Raci, Role, RoleSide
from samverkan.collaboration.selectors import (
    CollaborationModel,
    collaboration_model,
    collaboration_models,
)
from samverkan.collaboration.services import (
    escalation_set,
    forum_create,
    model_clear,
    model_seed,
    objectives_set,
    process_create,
    role_create,
)
from samverkan.core.validation import text_problem
from samverkan.lib import limits
from samverkan.relationships import catalogue as relationship_catalogue
from samverkan.relationships.models import Relationship
from samverkan.relationships.services import (
    relationship_apply_defaults,
    relationship_set_type,
    relationship_update_profile,
)

FORMAT_VERSION = 1
TOP_KEYS = (
    "samverkan",
    "agreement",
    "relationship",
    "objectives",
    "roles",
    "forums",
    "processes",
    "escalation",
)
AGREEMENT_KEYS = (
    "reference",
    "title",
    "customer",
    "supplier",
    "start",
    "end",
    "value",
    "language",
    "status",
    "description",
    "services",
)
RELATIONSHIP_KEYS = ("type", "rationale", "profile")
PROFILE_KEYS = (
    "scorecard_weights",
    "forum_cadence",
    "innovation",
    "ideas_per_quarter",
    "health_check",
)
ROLE_KEYS = (
    "key",
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
FORUM_KEYS = (
    "key",
    "name",
    "level",
    "purpose",
    "chair",
    "members",
    "cadence",
    "agenda",
    "inputs",
    "outputs",
    "mandate",
)
PROCESS_KEYS = ("key", "name", "purpose", "owner", "steps", "raci")
MANDATE_KEYS = ("decision", "limit", "note")
HOLDER_KEYS = ("name", "email")
ESCALATION_KEYS = ("forum", "resolve_within_days")
LANGUAGES = ("sv", "en")
EMPTY_PROFILE: dict[str, Any] = {
    "scorecard_weights": {},
    "forum_cadence": {},
    "innovation": "",
    "ideas_per_quarter": None,
    "health_check": "",
}
# Where the services' field names live in the file, for their error messages.
_AGREEMENT_FIELD_PATHS = {
    "reference": "agreement.reference",
    "title": "agreement.title",
    "description": "agreement.description",
    "services": "agreement.services",
    "start_date": "agreement.start",
    "end_date": "agreement.end",
    "annual_value": "agreement.value.amount",
    "currency": "agreement.value.currency",
    "status": "agreement.status",
    "language": "agreement.language",
    "supplier": "agreement.supplier",
    "counterpart_name": "agreement",
    "own_organisation": "agreement",
}


class AgreementFileError(ValidationError):
    """The file cannot be imported; ``problems`` lists every reason, each with its path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems, code="agreement_file")
        self.problems = list(problems)


# Export -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe YAML that indents lists under their key and writes multi-line text as blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    value = str(value)  # choices (TextChoices) not yet read back from the database
    style: str | None = None
    if any(ch in value for ch in "\r\x85\u2028\u2029"):
        style = '"'  # YAML readers turn these into "\n" unless escaped
    elif "\n" in value:
        style = "|"  # PyYAML falls back to quoting when a block cannot hold the text
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(str, _represent_str)


def _amount_out(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _mandate_out(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "decision": entry.get("decision"),
            "limit": entry.get("limit"),
            "note": entry.get("note") or "",
        }
        for entry in entries
    ]


def _relationship_out(relationship: Relationship | None) -> dict[str, Any]:
    if relationship is None:
        return {"type": None, "rationale": ""}
    out: dict[str, Any] = {
        "type": relationship.type or None,
        "rationale": relationship.rationale if relationship.type else "",
    }
    profile = relationship.profile()
    baseline = (
        relationship_catalogue.defaults(relationship.type) if relationship.type else EMPTY_PROFILE
    )
    if profile != baseline:
        out["profile"] = {
            "scorecard_weights": {
                key: profile["scorecard_weights"][key]
                for key in relationship_catalogue.CATEGORIES
                if key in profile["scorecard_weights"]
            },
            "forum_cadence": {
                key: profile["forum_cadence"][key]
                for key in relationship_catalogue.LEVELS
                if key in profile["forum_cadence"]
            },
            "innovation": profile["innovation"] or None,
            "ideas_per_quarter": profile["ideas_per_quarter"],
            "health_check": profile["health_check"] or None,
        }
    return out


def agreement_export(agreement: Agreement) -> str:
    """The agreement, its relationship type and its whole model as YAML text (format 1).

    The output depends only on the data (no timestamps, no database ids), so it
    can be kept in version control and compared.
    """
    return yaml.dump(
        _file_content(agreement),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,  # one value per line: easier to read and to compare
    )


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    """The file's content as JSON-able data (dates as ISO text): what an appendix version freezes."""
    result: dict[str, Any] = _plain(_file_content(agreement))
    return result


def agreement_snapshots(agreements: Sequence[Agreement]) -> dict[int, dict[str, Any]]:
    """``agreement_snapshot`` of each agreement (by id), in a fixed number of queries.

    For pages over many agreements ("Mitt arbete"); each snapshot equals what
    ``agreement_snapshot`` gives. The agreements need their parties loaded.
    """
    models = collaboration_models(agreements=agreements)
    relationships = {
        relationship.agreement_id: relationship
        for relationship in Relationship.objects.filter(
            agreement_id__in=[agreement.pk for agreement in agreements]
        )
    }
    return {
        agreement.pk: _plain(
            _content(agreement, models[agreement.pk], relationships.get(agreement.pk))
        )
        for agreement in agreements
    }


def _plain(value: Any) -> Any:
    """JSON-able data: dates as ISO text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _file_content(agreement: Agreement) -> dict[str, Any]:
    return _content(
        agreement,
        collaboration_model(agreement=agreement),
        Relationship.objects.filter(agreement=agreement).first(),
    )


def _content(
    agreement: Agreement, model: CollaborationModel, relationship: Relationship | None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "samverkan": FORMAT_VERSION,
        "agreement": {
            "reference": agreement.reference,
            "title": agreement.title,
            "customer": agreement.customer.name,
            "supplier": agreement.supplier.name,
            "start": agreement.start_date,
            "end": agreement.end_date,
            "value": {
                "amount": _amount_out(agreement.annual_value),
                "currency": agreement.currency,
            },
            "language": agreement.language,
            "status": agreement.status,
            "description": agreement.description,
            "services": agreement.services_list,
        },
        "relationship": _relationship_out(relationship),
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
    return document


# Reading the file ---------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate keys (plain YAML keeps the last one silently)
    and leaves dates as text, so that a bad date is reported with its path."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                marker = (key_node.tag, key_node.value)
                if marker in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        _('the key "%(key)s" appears twice') % {"key": key_node.value},
                        key_node.start_mark,
                    )
                seen.add(marker)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(text: str) -> tuple[Any, list[str]]:
    try:
        loader = _Loader(text)  # the reader refuses NUL and other control characters here
    except yaml.YAMLError as exc:
        return None, [_("file: %(problem)s (YAML syntax)") % {"problem": exc}]
    try:
        return loader.get_single_data(), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or str(exc)
        if mark is None:
            return None, [_("file: %(problem)s (YAML syntax)") % {"problem": problem}]
        where = _("line %(line)s, column %(column)s") % {
            "line": mark.line + 1,
            "column": mark.column + 1,
        }
        if exc.context and exc.context_mark and exc.problem:
            problem = _("%(problem)s, %(context)s from line %(line)s") % {
                "problem": problem,
                "context": exc.context,
                "line": exc.context_mark.line + 1,
            }
        return None, [
            _("%(where)s: %(problem)s (YAML syntax)") % {"where": where, "problem": problem}
        ]
    except yaml.YAMLError as exc:
        return None, [_("file: %(problem)s (YAML syntax)") % {"problem": exc}]
    except RecursionError:
        return None, [_("file: nested too deeply")]
    finally:
        loader.dispose()


@dataclass
class _RoleSpec:
    key: str
    fields: dict[str, Any]


@dataclass
class _ForumSpec:
    key: str
    fields: dict[str, Any]
    chair: str | None
    members: list[str]


@dataclass
class _ProcessSpec:
    key: str
    fields: dict[str, Any]
    owner: str | None
    raci: dict[str, str]


@dataclass
class _RelationshipSpec:
    type: str = ""
    rationale: str = ""
    profile: dict[str, Any] | None = None


@dataclass
class _Plan:
    """A checked file, ready to be written."""

    customer: str = ""
    supplier: str = ""
    agreement: dict[str, Any] = field(default_factory=dict)
    relationship: _RelationshipSpec = field(default_factory=_RelationshipSpec)
    objectives: list[str] = field(default_factory=list)
    roles: list[_RoleSpec] | None = None  # None: no roles key, the starter roles
    forums: list[_ForumSpec] = field(default_factory=list)
    processes: list[_ProcessSpec] = field(default_factory=list)
    escalation: list[tuple[str, int]] = field(default_factory=list)


_MISSING = object()
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _one_of(choices: tuple[str, ...] | list[str]) -> str:
    return _("must be one of %(choices)s") % {"choices": ", ".join(choices)}


class _Reader:
    """Walks the parsed YAML, collecting every problem and the cleaned values."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    # Shapes ---------------------------------------------------------------------------

    def mapping(self, value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        if value is None:
            self.problem(path, _("required"))
            return None
        if not isinstance(value, dict):
            self.problem(path, _("must be a mapping of keys and values"))
            return None
        for key in value:
            if key not in keys:
                self.problem(
                    _at(path, str(key)),
                    _("unknown key; expected one of %(keys)s") % {"keys": ", ".join(keys)},
                )
        return value

    def listing(self, value: Any, path: str, most: int = limits.ITEMS_MAX) -> list[Any] | None:
        """A list of at most ``most`` items (docs/limits.md); None when it is none."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, _("must be a list"))
            return None
        if len(value) > most:
            self.problem(
                path,
                _("has %(n)s items; at most %(max)s are allowed") % {"n": len(value), "max": most},
            )
            return None
        return value

    # Values ---------------------------------------------------------------------------

    def text(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        max_length: int | None = None,
    ) -> str:
        return self.text_value(
            parent.get(key), _at(path, key), required=required, max_length=max_length
        )

    def text_value(
        self, value: Any, path: str, *, required: bool = False, max_length: int | None = None
    ) -> str:
        if value is None:
            if required:
                self.problem(path, _("required"))
            return ""
        if not isinstance(value, str):
            self.problem(path, _("must be text; put values like yes, no, null or 12 in quotes"))
            return ""
        if text_problem(value) is not None:  # NUL and other control characters
            self.problem(path, _("must not contain NUL or other control characters"))
            return ""
        if required and not value.strip():
            self.problem(path, _("must not be empty"))
        most = limits.TEXT_MAX if max_length is None else max_length
        if len(value.strip()) > most:
            self.problem(path, _("must be at most %(max)s characters long") % {"max": most})
        return value

    def choice(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        choices: list[str],
        *,
        required: bool = False,
        default: str = "",
    ) -> str:
        value = parent.get(key)
        where = _at(path, key)
        if value is None or value == "":
            if required:
                self.problem(where, _("required; %(one_of)s") % {"one_of": _one_of(choices)})
            return default
        if value not in choices:
            self.problem(where, _one_of(choices))
            return default
        return str(value)

    def lines(self, parent: dict[str, Any], key: str, path: str) -> list[str]:
        """A list of short texts; empty entries are dropped, as in the editor."""
        items = self.listing(parent.get(key), _at(path, key))
        result = []
        for i, item in enumerate(items or []):
            text = self.text_value(item, _at(_at(path, key), i), max_length=limits.LINE_MAX)
            if text.strip():
                result.append(text)
        return result

    def date(self, parent: dict[str, Any], key: str, path: str) -> datetime.date | None:
        value = parent.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str) and _DATE.fullmatch(value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(_at(path, key), _("must be a date written YYYY-MM-DD"))
        return None

    def whole_number(
        self, value: Any, path: str, *, minimum: int, maximum: int | None = None
    ) -> int | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(path, _("must be a whole number"))
            return None
        if value < minimum:
            if minimum == 0:
                self.problem(path, _("must not be negative"))
            else:
                self.problem(path, _("must be at least %(min)s") % {"min": minimum})
            return None
        if maximum is not None and value > maximum:
            self.problem(path, _("must be at most %(max)s") % {"max": maximum})
            return None
        return value

    def key(self, value: Any, path: str) -> str:
        if value is None or value == "":
            self.problem(path, _("required"))
            return ""
        if not isinstance(value, str):
            self.problem(path, _("must be text; put values like yes, no, null or 12 in quotes"))
            return ""
        if slugify(value) != value or len(value) > 60:
            self.problem(
                path,
                _(
                    'must be a short key of lowercase letters a–z, digits and hyphens, like "%(example)s"'
                )
                % {"example": (slugify(value)[:60] or "cio")},
            )
            return ""
        return value

    def mandate(self, parent: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
        where = _at(path, key)
        items = self.listing(parent.get(key), where)
        known = catalogue.decision_keys()
        result: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i, item in enumerate(items or []):
            item_path = _at(where, i)
            entry = self.mapping(item, item_path, MANDATE_KEYS)
            if entry is None:
                continue
            decision = entry.get("decision")
            if decision is None or decision == "":
                self.problem(
                    _at(item_path, "decision"),
                    _("required; %(one_of)s") % {"one_of": _one_of(known)},
                )
                continue
            if decision not in known:
                self.problem(
                    _at(item_path, "decision"),
                    _('unknown decision "%(decision)s"; %(one_of)s')
                    % {"decision": decision, "one_of": _one_of(known)},
                )
                continue
            if decision in seen:
                self.problem(
                    _at(item_path, "decision"),
                    _('"%(decision)s" appears twice') % {"decision": decision},
                )
            seen.add(decision)
            cleaned: dict[str, Any] = {"decision": decision}
            if entry.get("limit") is not None:
                limit = self.whole_number(
                    entry["limit"], _at(item_path, "limit"), minimum=0, maximum=limits.AMOUNT_MAX
                )
                if limit is not None:
                    cleaned["limit"] = limit
            note = self.text(entry, "note", item_path, max_length=limits.NOTE_MAX)
            if note.strip():
                cleaned["note"] = note
            result.append(cleaned)
        return result

    def holders(self, parent: dict[str, Any], path: str) -> list[dict[str, str]]:
        where = _at(path, "holders")
        result = []
        for i, item in enumerate(self.listing(parent.get("holders"), where) or []):
            item_path = _at(where, i)
            entry = self.mapping(item, item_path, HOLDER_KEYS)
            if entry is None:
                continue
            name = self.text(entry, "name", item_path, required=True, max_length=limits.PERSON_MAX)
            email = self.text(entry, "email", item_path, max_length=limits.EMAIL_MAX).strip()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.problem(
                        _at(item_path, "email"),
                        _('"%(email)s" is not an e-mail address') % {"email": email},
                    )
            result.append({"name": name, "email": email})
        return result

    def keyed_items(
        self, value: Any, path: str, keys: tuple[str, ...], most: int
    ) -> list[tuple[str, dict[str, Any], str]] | None:
        """The mappings of a list (at most ``most``), each with its path and checked unique key."""
        items = self.listing(value, path, most)
        if items is None:
            return None
        result = []
        first_seen: dict[str, str] = {}
        for i, item in enumerate(items):
            item_path = _at(path, i)
            entry = self.mapping(item, item_path, keys)
            if entry is None:
                continue
            key = self.key(entry.get("key"), _at(item_path, "key"))
            if key and key in first_seen:
                self.problem(
                    _at(item_path, "key"),
                    _('"%(key)s" is already the key of %(other)s')
                    % {"key": key, "other": first_seen[key]},
                )
            elif key:
                first_seen[key] = item_path
            result.append((item_path, entry, key))
        return result

    def role_ref(self, value: Any, path: str, roles: set[str] | None) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.problem(path, _("must be a role key"))
            return None
        if roles is not None and value not in roles:
            self.problem(path, _('unknown role key "%(key)s"') % {"key": value})
            return None
        return value


def _read_agreement(reader: _Reader, data: dict[str, Any], plan: _Plan) -> None:
    if "agreement" not in data:
        reader.problem("agreement", _("required"))
        return
    entry = reader.mapping(data["agreement"], "agreement", AGREEMENT_KEYS)
    if entry is None:
        return
    path = "agreement"
    plan.customer = reader.text(entry, "customer", path, required=True, max_length=200).strip()
    plan.supplier = reader.text(entry, "supplier", path, required=True, max_length=200).strip()
    if plan.customer and plan.supplier and plan.customer.lower() == plan.supplier.lower():
        reader.problem("agreement.supplier", _("must be another organisation than the customer"))
    start = reader.date(entry, "start", path)
    end = reader.date(entry, "end", path)
    if start and end and end < start:
        reader.problem("agreement.end", _("must not be before agreement.start"))
    amount: Decimal | None = None
    currency = str(Currency.SEK)
    value = entry.get("value")
    if value is not None:
        money = reader.mapping(value, "agreement.value", ("amount", "currency"))
        if money is not None:
            amount = _read_amount(reader, money.get("amount"), "agreement.value.amount")
            currency = reader.choice(
                money, "currency", "agreement.value", list(Currency.values), default=Currency.SEK
            )
    services = entry.get("services")
    service_lines = (
        [line for line in services.splitlines() if line.strip()]
        if isinstance(services, str)
        else reader.lines(entry, "services", path)
    )
    plan.agreement = {
        "reference": reader.text(entry, "reference", path, required=True, max_length=50).strip(),
        "title": reader.text(entry, "title", path, required=True, max_length=200).strip(),
        "description": reader.text(entry, "description", path),
        "services": "\n".join(line.strip() for line in service_lines),
        "start_date": start,
        "end_date": end,
        "annual_value": amount,
        "currency": currency,
        "status": reader.choice(
            entry, "status", path, list(AgreementStatus.values), default=AgreementStatus.DRAFT
        ),
        "language": reader.choice(entry, "language", path, list(LANGUAGES), default="sv"),
    }


def _read_amount(reader: _Reader, value: Any, path: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        reader.problem(path, _("must be a number, like 1250000 or 1250000.50"))
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - str() of a number is a number
        amount = Decimal("NaN")
    if not amount.is_finite():
        reader.problem(path, _("must be a number, like 1250000 or 1250000.50"))
        return None
    if amount < 0:
        reader.problem(path, _("must not be negative"))
        return None
    if amount >= Decimal(10) ** 12:  # first: quantizing a huge number overflows Decimal
        reader.problem(path, _("is too large"))
        return None
    if amount != amount.quantize(Decimal("0.01")):
        reader.problem(path, _("must have at most two decimals"))
        return None
    return amount


def _read_relationship(reader: _Reader, data: dict[str, Any], plan: _Plan) -> None:
    if data.get("relationship") is None:
        return
    entry = reader.mapping(data["relationship"], "relationship", RELATIONSHIP_KEYS)
    if entry is None:
        return
    types = list(relationship_catalogue.TYPE_KEYS)
    spec = plan.relationship
    spec.type = reader.choice(entry, "type", "relationship", types)
    spec.rationale = reader.text(entry, "rationale", "relationship").strip()
    if spec.rationale and not spec.type and entry.get("type") in (None, ""):
        reader.problem("relationship.rationale", _("give relationship.type too"))
    if entry.get("profile") is not None:
        spec.profile = _read_profile(reader, entry["profile"], "relationship.profile")


def _read_profile(reader: _Reader, value: Any, path: str) -> dict[str, Any] | None:
    entry = reader.mapping(value, path, PROFILE_KEYS)
    if entry is None:
        return None
    categories = relationship_catalogue.CATEGORIES
    levels = relationship_catalogue.LEVELS
    cadences = list(relationship_catalogue.CADENCES)
    weights: dict[str, int] = {}
    weights_path = _at(path, "scorecard_weights")
    raw_weights = reader.mapping(entry.get("scorecard_weights"), weights_path, categories)
    if raw_weights is not None:
        for category in categories:
            if category not in raw_weights:
                reader.problem(_at(weights_path, category), _("required"))
                continue
            weight = reader.whole_number(
                raw_weights[category], _at(weights_path, category), minimum=0
            )
            if weight is not None:
                weights[category] = weight
        if len(weights) == len(categories) and sum(weights.values()) != 100:
            reader.problem(weights_path, _("the weights must add up to 100"))
    cadence: dict[str, str] = {}
    cadence_path = _at(path, "forum_cadence")
    raw_cadence = reader.mapping(entry.get("forum_cadence"), cadence_path, levels)
    if raw_cadence is not None:
        for level in levels:
            cadence[level] = reader.choice(
                raw_cadence, level, cadence_path, cadences, required=True
            )
    ideas = entry.get("ideas_per_quarter")
    return {
        "scorecard_weights": weights,
        "forum_cadence": cadence,
        "innovation": reader.choice(
            entry, "innovation", path, list(relationship_catalogue.INNOVATION), required=True
        ),
        "ideas_per_quarter": None
        if ideas is None
        else reader.whole_number(ideas, _at(path, "ideas_per_quarter"), minimum=0),
        "health_check": reader.choice(entry, "health_check", path, cadences, required=True),
    }


def _read_roles(reader: _Reader, data: dict[str, Any], plan: _Plan) -> set[str] | None:
    """Reads the roles; returns the role keys forums and processes may use (None: unknown)."""
    if "roles" not in data:
        language = plan.agreement.get("language", "sv")
        return {role["key"] for role in catalogue.starter_roles(language)}
    items = reader.keyed_items(data["roles"], "roles", ROLE_KEYS, limits.ROLES_MAX)
    if items is None:
        return None
    plan.roles = []
    for path, entry, key in items:
        plan.roles.append(
            _RoleSpec(
                key=key,
                fields={
                    "name": reader.text(
                        entry, "name", path, required=True, max_length=limits.NAME_MAX
                    ),
                    "side": reader.choice(
                        entry, "side", path, list(RoleSide.values), required=True
                    ),
                    "level": reader.choice(entry, "level", path, list(Level.values), required=True),
                    "orientation": reader.choice(
                        entry, "orientation", path, list(Orientation.values), required=True
                    ),
                    "purpose": reader.text(entry, "purpose", path),
                    "responsibilities": reader.lines(entry, "responsibilities", path),
                    "authorities": reader.lines(entry, "authorities", path),
                    "decision_rights": reader.mandate(entry, "decision_rights", path),
                    "holders": reader.holders(entry, path),
                },
            )
        )
    return {role.key for role in plan.roles if role.key}


def _read_members(
    reader: _Reader, entry: dict[str, Any], path: str, roles: set[str] | None
) -> list[str]:
    members: list[str] = []
    where = _at(path, "members")
    for i, member in enumerate(reader.listing(entry.get("members"), where, limits.ROLES_MAX) or []):
        role = reader.role_ref(member, _at(where, i), roles)
        if role is None and member in (None, ""):
            reader.problem(_at(where, i), _("must be a role key"))
        elif role in members:
            reader.problem(_at(where, i), _('"%(key)s" is listed twice') % {"key": role})
        elif role is not None:
            members.append(role)
    return members


def _read_raci(
    reader: _Reader, entry: dict[str, Any], path: str, roles: set[str] | None
) -> dict[str, str]:
    raci: dict[str, str] = {}
    where = _at(path, "raci")
    raw = entry.get("raci")
    if raw is None:
        return raci
    if not isinstance(raw, dict):
        reader.problem(where, _('must be a mapping of role keys to R, A, C or I, like "cio: A"'))
        return raci
    for role_key, letter in raw.items():
        letter_path = _at(where, str(role_key))
        role = reader.role_ref(role_key, letter_path, roles)
        if role_key in (None, ""):
            reader.problem(letter_path, _("must be a role key"))
        elif letter not in Raci.values:
            reader.problem(letter_path, _one_of(list(Raci.values)))
        elif role is not None:
            raci[role] = str(letter)
    return raci


def _read_forums(
    reader: _Reader, data: dict[str, Any], plan: _Plan, roles: set[str] | None
) -> set[str] | None:
    items = reader.keyed_items(data.get("forums"), "forums", FORUM_KEYS, limits.FORUMS_MAX)
    if items is None:
        return None
    for path, entry, key in items:
        # Read in the order of the format, so that the problems come in the file's order.
        fields: dict[str, Any] = {
            "name": reader.text(entry, "name", path, required=True, max_length=limits.NAME_MAX),
            "level": reader.choice(entry, "level", path, list(Level.values), required=True),
            "purpose": reader.text(entry, "purpose", path),
        }
        chair = reader.role_ref(entry.get("chair"), _at(path, "chair"), roles)
        members = _read_members(reader, entry, path, roles)
        fields |= {
            "cadence": reader.choice(entry, "cadence", path, list(Cadence.values)),
            "agenda": reader.lines(entry, "agenda", path),
            "inputs": reader.lines(entry, "inputs", path),
            "outputs": reader.lines(entry, "outputs", path),
            "mandate": reader.mandate(entry, "mandate", path),
        }
        plan.forums.append(_ForumSpec(key=key, fields=fields, chair=chair, members=members))
    return {forum.key for forum in plan.forums if forum.key}


def _read_processes(
    reader: _Reader, data: dict[str, Any], plan: _Plan, roles: set[str] | None
) -> None:
    items = reader.keyed_items(
        data.get("processes"), "processes", PROCESS_KEYS, limits.PROCESSES_MAX
    )
    for path, entry, key in items or []:
        fields: dict[str, Any] = {
            "name": reader.text(entry, "name", path, required=True, max_length=limits.NAME_MAX),
            "purpose": reader.text(entry, "purpose", path),
        }
        owner = reader.role_ref(entry.get("owner"), _at(path, "owner"), roles)
        fields["steps"] = reader.lines(entry, "steps", path)
        raci = _read_raci(reader, entry, path, roles)
        plan.processes.append(_ProcessSpec(key=key, fields=fields, owner=owner, raci=raci))


def _read_escalation(
    reader: _Reader, data: dict[str, Any], plan: _Plan, forums: set[str] | None
) -> None:
    seen: set[str] = set()
    steps = reader.listing(data.get("escalation"), "escalation", limits.ESCALATION_STEPS_MAX)
    for i, item in enumerate(steps or []):
        path = _at("escalation", i)
        entry = reader.mapping(item, path, ESCALATION_KEYS)
        if entry is None:
            continue
        forum = entry.get("forum")
        if forum is None or forum == "":
            reader.problem(_at(path, "forum"), _("required; a forum key"))
            forum = None
        elif not isinstance(forum, str):
            reader.problem(_at(path, "forum"), _("must be a forum key"))
            forum = None
        elif forums is not None and forum not in forums:
            reader.problem(_at(path, "forum"), _('unknown forum key "%(key)s"') % {"key": forum})
            forum = None
        elif forum in seen:
            reader.problem(
                _at(path, "forum"),
                _('"%(key)s" is already a step of the escalation path') % {"key": forum},
            )
            forum = None
        days_path = _at(path, "resolve_within_days")
        if entry.get("resolve_within_days") is None:
            reader.problem(days_path, _("required; the days to resolve, at least 1"))
            days = None
        else:
            days = reader.whole_number(
                entry["resolve_within_days"],
                days_path,
                minimum=1,
                maximum=limits.ESCALATION_DAYS_MAX,
            )
        if forum is not None:
            seen.add(forum)
            if days is not None:
                plan.escalation.append((forum, days))


def _read(text: str) -> tuple[_Plan, list[str]]:
    data, problems = _load(text)
    plan = _Plan()
    if problems:
        return plan, problems
    reader = _Reader()
    if data is None:
        reader.problem("file", _("is empty; expected samverkan: 1 and an agreement"))
        return plan, reader.problems
    if not isinstance(data, dict):
        reader.problem(
            "file", _("must be a mapping that starts with samverkan: 1 and an agreement")
        )
        return plan, reader.problems
    version = data.get("samverkan", _MISSING)
    if version is _MISSING:
        reader.problem("samverkan", _("required; the format version, 1"))
    elif type(version) is not int or version != FORMAT_VERSION:
        reader.problem("samverkan", _("must be 1; this Samverkan reads format version 1"))
        return plan, reader.problems
    reader.mapping(data, "", TOP_KEYS)
    _read_agreement(reader, data, plan)
    _read_relationship(reader, data, plan)
    objectives = reader.listing(data.get("objectives"), "objectives", limits.OBJECTIVES_MAX)
    for i, item in enumerate(objectives or []):
        objective = reader.text_value(
            item, _at("objectives", i), required=True, max_length=limits.LINE_MAX
        )
        if objective.strip():
            plan.objectives.append(objective)
    roles = _read_roles(reader, data, plan)
    forums = _read_forums(reader, data, plan, roles)
    _read_processes(reader, data, plan, roles)
    _read_escalation(reader, data, plan, forums)
    return plan, reader.problems


def agreement_file_problems(text: str) -> list[str]:
    """Every problem of an agreement file, each ``path: message``; empty when it is valid.

    Checks the file alone (syntax, shape, values, references between its parts),
    not the database: whether the reference exists or who may import is decided
    by ``agreement_import``.
    """
    return _read(text)[1]


# Import -------------------------------------------------------------------------------


@contextmanager
def _reporting(path: str, field_paths: dict[str, str] | None = None) -> Iterator[None]:
    """Turn a service's ValidationError into an AgreementFileError naming the place in the file."""
    try:
        yield
    except AgreementFileError:
        raise
    except ValidationError as exc:
        problems: list[str] = []
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                where = (field_paths or {}).get(name) or (
                    path if name in ("__all__", path.rsplit(".", 1)[-1]) else _at(path, name)
                )
                problems.extend(f"{where}: {message}" for message in errors)
        else:
            problems.extend(f"{path}: {message}" for message in exc.messages)
        raise AgreementFileError(problems) from exc


def _side_of(organisation: Organisation) -> str:
    """The side ``agreement_create`` puts an organisation on, from its kind."""
    return Side.SUPPLIER if organisation.kind == OrganisationKind.SUPPLIER else Side.CUSTOMER


def _parties_of(
    actor: User, customer: Organisation | None, supplier: Organisation | None, plan: _Plan
) -> list[tuple[str, Organisation]]:
    """The parties of the file the actor belongs to; refused when none."""
    parties: list[tuple[str, Organisation]] = [
        (str(side), organisation)
        for side, organisation in ((Side.CUSTOMER, customer), (Side.SUPPLIER, supplier))
        if organisation is not None
        and Membership.objects.filter(user=actor, organisation=organisation).exists()
    ]
    if not parties:
        raise PermissionDenied(
            _(
                "You are not a member of %(customer)s or %(supplier)s. Import agreements only "
                "for an organisation you belong to."
            )
            % {"customer": plan.customer, "supplier": plan.supplier}
        )
    return parties


def _own_organisation(parties: list[tuple[str, Organisation]]) -> Organisation:
    """The actor's party for a new agreement: one whose kind puts it on its side of the file."""
    for side, organisation in parties:
        if _side_of(organisation) == side:
            return organisation
    side, organisation = parties[0]
    raise AgreementFileError(
        [
            _(
                "agreement.%(side)s: %(name)s is registered as a %(kind)s organisation and "
                "cannot be the %(side)s here"
            )
            % {"side": side, "name": organisation.name, "kind": organisation.kind}
        ]
    )


def _existing_for_replace(
    actor: User, plan: _Plan, customer: Organisation | None, replace: bool
) -> Agreement | None:
    """The agreement the file is about: the customer's with its reference, among those
    the actor can see (an agreement before a proposal of the same reference).

    One the actor cannot see is never named, nor whether it exists: the file then makes
    a new agreement or proposal, whose reference ``agreement_create`` checks without
    telling anyone what they cannot see.
    """
    if customer is None:
        return None
    seen = list(
        visible_agreements(actor)
        .select_related("customer", "supplier")
        .filter(customer=customer, reference__iexact=plan.agreement["reference"])
        .exclude(proposal=ProposalState.DECLINED)
        .order_by("pk")
    )
    existing = next((agreement for agreement in seen if agreement.claims_reference), None)
    existing = existing or next(iter(seen), None)
    if existing is None:
        return None
    if not replace:
        again = _(
            "To replace it with this file, import with --replace (command line) or "
            "replace=true (API)."
        )
        if existing.is_proposal:
            raise AgreementFileError(
                [
                    _(
                        "agreement.reference: the proposal %(reference)s to %(organisation)s "
                        "is already here. %(again)s"
                    )
                    % {
                        "reference": existing.reference,
                        "organisation": existing.organisation_of(existing.proposed_to).name,
                        "again": again,
                    }
                ]
            )
        raise AgreementFileError(
            [
                _(
                    "agreement.reference: %(customer)s already has an agreement %(reference)s. "
                    "To replace it with this file, import with --replace (command line) or "
                    "replace=true (API)."
                )
                % {"customer": customer.name, "reference": existing.reference}
            ]
        )
    access = agreement_access(actor, existing)
    if access is None or not access.allows(Need.EDIT):
        raise PermissionDenied(
            _("You may not change the agreement %(reference)s, so you cannot replace it.")
            % {"reference": existing.reference}
        )
    if existing.supplier.name.lower() != plan.supplier.lower():
        raise AgreementFileError(
            [
                _(
                    "agreement.supplier: the agreement %(reference)s is with %(supplier)s; an "
                    "import cannot change the parties"
                )
                % {"reference": existing.reference, "supplier": existing.supplier.name}
            ]
        )
    # The model is both sides' to replace; the agreement's own record only its keeper's.
    changed = agreement_changed_fields(agreement=existing, **plan.agreement)
    if changed and not access.allows(Need.TERMS):
        raise PermissionDenied(
            access.refusal(Need.TERMS)
            + " "
            + _("This file changes %(paths)s; keep them as they are to replace the model.")
            % {"paths": ", ".join(_AGREEMENT_FIELD_PATHS[name] for name in changed)}
        )
    return existing


@transaction.atomic
def agreement_import(text: str, *, actor: User, replace: bool = False) -> Agreement:
    """Create an agreement with its relationship type and model from a file, or replace one.

    Raises ``AgreementFileError`` listing every problem (nothing is written),
    ``PermissionDenied`` when the actor belongs to neither party or may not edit
    the agreement being replaced. See the module docstring for the rules.
    """
    plan, problems = _read(text)
    if problems:
        raise AgreementFileError(problems)
    customer = Organisation.objects.filter(name__iexact=plan.customer).first()
    supplier = Organisation.objects.filter(name__iexact=plan.supplier).first()
    parties = _parties_of(actor, customer, supplier, plan)
    existing = _existing_for_replace(actor, plan, customer, replace)
    if existing is None:
        own = _own_organisation(parties)
        counterpart = plan.supplier if _side_of(own) == Side.CUSTOMER else plan.customer
        with _reporting("agreement", _AGREEMENT_FIELD_PATHS):
            agreement = agreement_create(
                actor=actor,
                own_organisation=own,
                counterpart_name=counterpart,
                seed_model=False,
                **plan.agreement,
            )
    else:
        with _reporting("agreement", _AGREEMENT_FIELD_PATHS):
            agreement = agreement_update(agreement=existing, actor=actor, **plan.agreement)
        model_clear(agreement=agreement)
    _relationship_build(agreement, plan.relationship, actor, replacing=existing is not None)
    _model_build(agreement, plan, actor)
    return agreement


def _relationship_build(
    agreement: Agreement, spec: _RelationshipSpec, actor: User, *, replacing: bool
) -> None:
    with _reporting("relationship"):
        if spec.type:
            _relationship, applied = relationship_set_type(
                agreement=agreement, actor=actor, type=spec.type, rationale=spec.rationale
            )
            if spec.profile is None and not applied:
                relationship_apply_defaults(agreement=agreement, actor=actor)
        elif replacing:
            _relationship_reset(agreement)
    if spec.profile is not None:
        with _reporting("relationship.profile"):
            relationship_update_profile(
                agreement=agreement, actor=actor, version=None, **spec.profile
            )


def _relationship_reset(agreement: Agreement) -> None:
    """No type in the file: clear type, rationale and profile (the questionnaire answers stay)."""
    relationship = Relationship.objects.filter(agreement=agreement).first()
    if relationship is None or (
        not relationship.type
        and not relationship.rationale
        and relationship.profile() == EMPTY_PROFILE
    ):
        return
    relationship.type = ""
    relationship.rationale = ""
    relationship.profile_type = ""
    relationship.scorecard_weights = {}
    relationship.forum_cadence = {}
    relationship.innovation = ""
    relationship.ideas_per_quarter = None
    relationship.health_check = ""
    relationship.save()


def _model_build(agreement: Agreement, plan: _Plan, actor: User) -> None:
    with _reporting("objectives"):
        objectives_set(agreement=agreement, actor=actor, texts=plan.objectives)
    roles: dict[str, Role] = {}
    if plan.roles is None:
        model_seed(agreement=agreement)
        roles = {role.key: role for role in agreement.roles.all()}
    for i, role_spec in enumerate(plan.roles or []):
        with _reporting(f"roles[{i}]"):
            roles[role_spec.key] = role_create(
                agreement=agreement, actor=actor, key=role_spec.key, **role_spec.fields
            )
    forums = {}
    for i, forum_spec in enumerate(plan.forums):
        with _reporting(f"forums[{i}]"):
            forums[forum_spec.key] = forum_create(
                agreement=agreement,
                actor=actor,
                key=forum_spec.key,
                chair=roles[forum_spec.chair] if forum_spec.chair else None,
                members=[roles[key] for key in forum_spec.members],
                **forum_spec.fields,
            )
    for i, process_spec in enumerate(plan.processes):
        with _reporting(f"processes[{i}]"):
            process_create(
                agreement=agreement,
                actor=actor,
                key=process_spec.key,
                owner=roles[process_spec.owner] if process_spec.owner else None,
                raci={roles[key]: letter for key, letter in process_spec.raci.items()},
                **process_spec.fields,
            )
    with _reporting("escalation"):
        escalation_set(
            agreement=agreement,
            actor=actor,
            steps=[(forums[key], days) for key, days in plan.escalation],
        )


def yaml_response(agreement: Agreement) -> HttpResponse:
    """The export as a download named after the agreement's reference."""
    response = HttpResponse(
        agreement_export(agreement), content_type="application/yaml; charset=utf-8"
    )
    filename = slugify(agreement.reference) or "agreement"
    response["Content-Disposition"] = f'attachment; filename="{filename}.yaml"'
    return response
