"""The agreement as a file: one YAML document holding an agreement and what each
capability keeps about it (format version 1).

``agreement_export`` writes it; ``agreement_import`` reads it back through the
same services the UI uses. Export → import → export gives the same bytes.

The file is composed of sections. This module owns the envelope (``samverkan: 1``)
and the ``agreement`` section; every other section belongs to the capability that
keeps its data and is registered with ``registry.register_file_section`` (see
``core/registry.py``): ``relationship`` (relationships) and ``objectives``,
``roles``, ``forums``, ``processes``, ``escalation`` (collaboration). Each section
is a pydantic model; the file's model is their composition, and its JSON Schema
(``agreement_file_schema``, ``samverkan schema``, ``/api/v1/agreement-file.schema.json``)
lets an editor check a file as it is typed.

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
  exactly what the file says: the agreement's fields and every section (each
  section removes and rebuilds its part, so the audit trail shows the removals
  and the additions). The parties cannot change, and what the file does not carry
  (the questionnaire answers) is kept. The agreement's own fields are the
  customer's (``Need.TERMS``): the supplier's editors replace the rest with a file
  that repeats them unchanged.
- A bad file changes nothing: it is checked whole first and every problem is
  reported with its place in the file (``roles[3].level: must be one of …``), in
  the person's language; the sections are then written in their ``order``, in
  one transaction.
"""

from __future__ import annotations

import datetime
import json
import types
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pydantic
import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import CoreSchema, ErrorDetails, core_schema

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
from samverkan.core import fields, registry
from samverkan.lib import limits

FORMAT_VERSION = 1
LANGUAGES = ("sv", "en")
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


# Value types every section uses -------------------------------------------------------------
#
# What YAML reads as "nothing" (``null``, an empty value) is the empty value of an
# optional field, as in the editor; a required one reports "required".


def _none_to(default: Any) -> BeforeValidator:
    def convert(value: Any) -> Any:
        return default if value is None else value

    return BeforeValidator(convert)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise fields.problem(_("must not be empty"))
    return value


def _drop_blank(values: list[str]) -> list[str]:
    return [value for value in values if value.strip()]


def _whole(value: Any) -> Any:
    """2.0 is 2; true, "2" and 2.5 are not whole numbers (``Strict``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A text that must be given: with ``Field(max_length=…)`` (a type of ``core.fields``).
Required = (Field(min_length=1), fields.Clean, AfterValidator(_not_blank))
# Leading and trailing spaces dropped (names the services compare).
Stripped = AfterValidator(str.strip)
# A text that may be left out: null is "".
OrEmpty = _none_to("")
# A whole number: with ``Field(ge=…, le=…)`` or a number type of ``core.fields``.
Whole = (BeforeValidator(_whole), pydantic.Strict())
# A list that may be left out: null is [].
OrNone = _none_to([])

Text = Annotated[fields.Text, OrEmpty, fields.Clean]
RequiredLine = Annotated[fields.Line, *Required]
# A list of short texts; empty items are dropped, as in the editor.
Lines = Annotated[
    list[Annotated[fields.Line, OrEmpty, fields.Clean]],
    OrNone,
    Field(max_length=limits.ITEMS_MAX),
    AfterValidator(_drop_blank),
]


def _date(value: Any) -> Any:
    if value is None or value == "":
        return None
    return value.strip() if isinstance(value, str) else value


Date = Annotated[fields.IsoDate | None, BeforeValidator(_date)]


@dataclass(frozen=True)
class Choice:
    """One of ``values`` (``Annotated[str, Choice(…)]``); the problem names them.

    With a ``default``, an empty value (null, "") means it and the schema allows null.
    """

    values: tuple[str, ...]
    default: str | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> CoreSchema:
        schema: CoreSchema = core_schema.literal_schema([str(value) for value in self.values])
        default = self.default
        if default is not None:
            schema = core_schema.nullable_schema(schema)

        def empty(value: Any, inner: core_schema.ValidatorFunctionWrapHandler) -> Any:
            if value is None or value == "":
                return default if default is not None else inner(None)
            return inner(value)

        return core_schema.no_info_wrap_validator_function(empty, schema)


def _amount(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise fields.problem(_("must be a number, like 1250000 or 1250000.50"))
    return Decimal(str(value))


AmountInSek = Annotated[
    Annotated[Decimal, Field(ge=0, lt=Decimal(10) ** 12, decimal_places=2, allow_inf_nan=False)]
    | None,
    BeforeValidator(_amount),
    WithJsonSchema(
        {"type": ["number", "null"], "minimum": 0, "exclusiveMaximum": 10**12}, mode="validation"
    ),
]


# The agreement section (the base's own) -----------------------------------------------------


class FileModel(BaseModel):
    """A mapping of the file: its keys are exactly its fields (an unknown key is refused)."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class ValueModel(FileModel):
    amount: AmountInSek = None
    currency: Annotated[str, Choice(tuple(Currency.values), default=Currency.SEK)] = Currency.SEK


def _services(value: Any) -> Any:
    """The services as a list of lines; one text of several lines is read line by line."""
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    return value


class AgreementModel(FileModel):
    """The agreement's own fields; the parties are organisations, by name."""

    reference: Annotated[fields.Reference, *Required, Stripped]
    title: Annotated[fields.Title, *Required, Stripped]
    customer: Annotated[fields.Title, *Required, Stripped]
    supplier: Annotated[fields.Title, *Required, Stripped]
    start: Date = None
    end: Date = None
    value: Annotated[ValueModel, _none_to({})] = Field(default_factory=ValueModel)
    language: Annotated[str, Choice(LANGUAGES, default="sv")] = "sv"
    status: Annotated[str, Choice(tuple(AgreementStatus.values), default="draft")] = "draft"
    description: Text = ""
    services: Annotated[Lines, BeforeValidator(_services)] = []

    @pydantic.model_validator(mode="after")
    def _between_fields(self) -> AgreementModel:
        located = []
        if self.customer.lower() == self.supplier.lower():
            located.append((("supplier",), _("must be another organisation than the customer")))
        if self.start and self.end and self.end < self.start:
            located.append((("end",), _("must not be before agreement.start")))
        if located:
            raise fields.located("agreement", located)
        return self

    def service_fields(self) -> dict[str, Any]:
        """The keyword arguments of ``agreement_create`` / ``agreement_update``."""
        return {
            "reference": self.reference,
            "title": self.title,
            "description": self.description,
            "services": "\n".join(line.strip() for line in self.services),
            "start_date": self.start,
            "end_date": self.end,
            "annual_value": self.value.amount,
            "currency": self.value.currency,
            "status": self.status,
            "language": self.language,
        }


def _amount_out(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _agreement_out(agreement: Agreement) -> dict[str, Any]:
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "customer": agreement.customer.name,
        "supplier": agreement.supplier.name,
        "start": agreement.start_date,
        "end": agreement.end_date,
        "value": {"amount": _amount_out(agreement.annual_value), "currency": agreement.currency},
        "language": agreement.language,
        "status": agreement.status,
        "description": agreement.description,
        "services": agreement.services_list,
    }


# The composition ------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _composed(sections: tuple[registry.FileSection, ...]) -> type[BaseModel]:
    definitions: dict[str, Any] = {
        "samverkan": (Literal[1], Field(description="The format version: 1.")),
        "agreement": (AgreementModel, Field(description="The agreement's own fields.")),
    }
    for section in sections:
        model = section.model()
        if tuple(model.model_fields) != section.keys:
            raise ValueError(f"file section {section.key}: its model's fields are not its keys")
        for name, info in model.model_fields.items():
            if name in definitions:
                raise ValueError(f"file section {section.key}: {name!r} is another section's")
            definitions[name] = (info.annotation, info)
    return pydantic.create_model(
        "AgreementFile",
        __config__=ConfigDict(
            extra="forbid",
            hide_input_in_errors=True,
            title="Samverkan agreement file",
            json_schema_extra={
                "description": "An agreement and its collaboration model, as written by "
                "`samverkan export` and read by `samverkan import` (format version 1)."
            },
        ),
        **definitions,
    )


def file_model() -> type[BaseModel]:
    """The whole file's pydantic model, composed from the registered sections in order."""
    return _composed(tuple(registry.file_sections()))


def top_keys() -> tuple[str, ...]:
    """The file's top-level keys, in the order they are written."""
    return tuple(file_model().model_fields)


@lru_cache(maxsize=4)
def _schema_text(sections: tuple[registry.FileSection, ...]) -> str:
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema.update(_composed(sections).model_json_schema(mode="validation"))
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def agreement_file_schema_json() -> str:
    """The JSON Schema (draft 2020-12) of the file, for editors and programs, as text."""
    return _schema_text(tuple(registry.file_sections()))


def agreement_file_schema() -> dict[str, Any]:
    """The JSON Schema of the file as data."""
    schema: dict[str, Any] = json.loads(agreement_file_schema_json())
    return schema


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


def _contents(agreements: Sequence[Agreement]) -> dict[int, dict[str, Any]]:
    """The file's content of each agreement, each section asked once for all of them."""
    documents: dict[int, dict[str, Any]] = {
        agreement.pk: {"samverkan": FORMAT_VERSION, "agreement": _agreement_out(agreement)}
        for agreement in agreements
    }
    for section in registry.file_sections():
        exported = section.export(agreements)
        for agreement in agreements:
            part = exported[agreement.pk]
            documents[agreement.pk].update((key, part[key]) for key in section.keys)
    return documents


def agreement_export(agreement: Agreement) -> str:
    """The agreement and every section as YAML text (format 1).

    The output depends only on the data (no timestamps, no database ids), so it
    can be kept in version control and compared.
    """
    return yaml.dump(
        _contents([agreement])[agreement.pk],
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,  # one value per line: easier to read and to compare
    )


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    """The file's content as JSON-able data (dates as ISO text): what an appendix version freezes."""
    return agreement_snapshots([agreement])[agreement.pk]


def agreement_snapshots(agreements: Sequence[Agreement]) -> dict[int, dict[str, Any]]:
    """``agreement_snapshot`` of each agreement (by id), in a fixed number of queries.

    For pages over many agreements ("Mitt arbete"); each snapshot equals what
    ``agreement_snapshot`` gives. The agreements need their parties loaded.
    """
    return {pk: _plain(content) for pk, content in _contents(agreements).items()}


def _plain(value: Any) -> Any:
    """JSON-able data: dates as ISO text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# Reading the file ---------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate keys (plain YAML keeps the last one silently)
    and leaves dates as text, so that a bad date is reported with its path.

    Being safe, it refuses tags; the reader refuses NUL and other control characters.
    Aliases are shared, not copied, and the schema reads only bounded lists of
    texts, so an alias "bomb" is refused at its first level.
    """

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


def yaml_load(text: str) -> tuple[Any, list[str]]:
    """The YAML document as data (dates as text), or the problems of its syntax."""
    most = settings.API_MAX_BODY_BYTES
    if len(text) > most or len(text.encode("utf-8", errors="replace")) > most:
        return None, [_("file: is larger than %(limit)s bytes") % {"limit": most}]
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


def _read(text: str) -> tuple[BaseModel | None, list[str]]:
    data, problems = yaml_load(text)
    if problems:
        return None, problems
    if data is None:
        return None, ["file: " + _("is empty; expected samverkan: 1 and an agreement")]
    if not isinstance(data, dict):
        return None, [
            "file: " + _("must be a mapping that starts with samverkan: 1 and an agreement")
        ]
    version = data.get("samverkan")
    if "samverkan" in data and (type(version) is not int or version != FORMAT_VERSION):
        return None, ["samverkan: " + _("must be 1; this Samverkan reads format version 1")]
    model = file_model()
    context: dict[str, Any] = {"file": data}
    for section in registry.file_sections():
        context.update(section.context(data))
    try:
        return model.model_validate(data, context=context), []
    except pydantic.ValidationError as exc:
        return None, _problems(exc.errors(include_url=False), model, data)


def agreement_file_problems(text: str) -> list[str]:
    """Every problem of an agreement file, each ``path: message``; empty when it is valid.

    Checks the file alone (syntax, shape, values, references between its parts),
    not the database: whether the reference exists or who may import is decided
    by ``agreement_import``.
    """
    return _read(text)[1]


# Problems in the person's words -----------------------------------------------------------


def _bare(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under ``Annotated[…]`` and ``… | None``, with the metadata met on the way."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *more = get_args(annotation)
            metadata.extend(more)
        elif origin in (Union, types.UnionType):
            others = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(others) != 1:
                return annotation, metadata
            annotation = others[0]
        else:
            return annotation, metadata


def _field_type(model: type[BaseModel], name: str) -> Any:
    info = model.model_fields[name]
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def _walk(model: type[BaseModel], data: Any, loc: Sequence[Any]) -> tuple[list[int], Any, Any]:
    """Follows ``loc`` through the types and the data.

    Returns the rank of each step (a field's place in its model, an unknown key
    before every field, a list's index, a key's place in its mapping), the type at
    ``loc`` and the model holding it.
    """
    ranks: list[int] = []
    annotation: Any = model
    parent: Any = None
    for part in loc:
        if part == "[key]":
            continue
        bare, _metadata = _bare(annotation)
        origin = get_origin(bare)
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            parent = bare
            names = list(bare.model_fields)
            if part in names:
                ranks.append(names.index(part))
                annotation = _field_type(bare, part)
            else:
                ranks.append(-1)  # an unknown key: reported first, as a reader meets it
                annotation = None
            data = data.get(part) if isinstance(data, dict) else None
        elif origin is list and isinstance(part, int):
            ranks.append(part)
            annotation = get_args(bare)[0]
            data = data[part] if isinstance(data, list) and part < len(data) else None
        elif origin is dict:
            keys = list(data) if isinstance(data, dict) else []
            ranks.append(keys.index(part) if part in keys else len(keys))
            annotation = get_args(bare)[1]
            data = data.get(part) if isinstance(data, dict) else None
        else:
            ranks.append(part if isinstance(part, int) else 0)
            annotation = None
            data = None
    return ranks, annotation, parent


def _path(loc: Sequence[Any]) -> str:
    """``("roles", 3, "level")`` → ``roles[3].level``; a mapping's key as ``.key``."""
    path = ""
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(part, int) and "[key]" not in loc[i + 1 : i + 2]:
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _choices(annotation: Any) -> tuple[str, ...] | None:
    bare, metadata = _bare(annotation)
    for item in metadata:
        if isinstance(item, Choice):
            return item.values
    if get_origin(bare) is Literal:
        return tuple(str(value) for value in get_args(bare))
    return None


def one_of(choices: Sequence[str]) -> str:
    return _("must be one of %(choices)s") % {"choices": ", ".join(choices)}


def _message(error: ErrorDetails, annotation: Any, parent: Any) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    loc = tuple(error["loc"])
    choices = _choices(annotation)
    if kind == "samverkan":
        return str(ctx["message"])
    if kind == "extra_forbidden":
        known = (
            list(parent.model_fields)
            if isinstance(parent, type) and issubclass(parent, BaseModel)
            else []
        )
        return _("unknown key; expected one of %(keys)s") % {"keys": ", ".join(known)}
    if kind == "missing" or (error.get("input", "") is None and kind != "extra_forbidden"):
        if loc == ("samverkan",):
            return _("required; the format version, 1")
        if choices:
            return _("required; %(one_of)s") % {"one_of": one_of(choices)}
        return _("required")
    if kind in ("literal_error", "enum") and choices:
        return one_of(choices)
    if kind == "string_type":
        return _("must be text; put values like yes, no, null or 12 in quotes")
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        return _("must be at most %(max)s characters long") % {"max": ctx.get("max_length")}
    if kind in ("list_type", "tuple_type", "iterable_type"):
        return _("must be a list")
    if kind == "too_long":
        return _("has %(n)s items; at most %(max)s are allowed") % {
            "n": ctx.get("actual_length"),
            "max": ctx.get("max_length"),
        }
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("must be a mapping of keys and values")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("must be a whole number")
    if kind == "greater_than_equal":
        if ctx.get("ge") in (0, Decimal(0)):
            return _("must not be negative")
        return _("must be at least %(min)s") % {"min": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("must be at most %(max)s") % {"max": ctx.get("le")}
    if kind == "less_than":
        return _("is too large")
    if kind in ("decimal_max_places", "decimal_max_digits", "decimal_whole_digits"):
        return _("must have at most two decimals")
    if kind in ("decimal_type", "decimal_parsing", "finite_number", "float_type", "float_parsing"):
        return _("must be a number, like 1250000 or 1250000.50")
    if kind.startswith("date") or kind == "iso_date":
        return _("must be a date written YYYY-MM-DD")
    return _("is not valid")  # never pydantic's own English


def _problems(errors: Sequence[ErrorDetails], model: type[BaseModel], data: Any) -> list[str]:
    """``path: message`` for each error, in the order a reader of the file meets them."""
    ranked = []
    for error in errors:
        ranks, annotation, parent = _walk(model, data, error["loc"])
        message = _message(error, annotation, parent)
        ranked.append((ranks, f"{_path(error['loc'])}: {message}"))
    ranked.sort(key=lambda item: item[0])  # stable: one place's problems keep their order
    return list(dict.fromkeys(problem for _ranks, problem in ranked))


# Import -------------------------------------------------------------------------------


@contextmanager
def reporting(path: str, field_paths: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn a service's ValidationError into an AgreementFileError naming the place in the file.

    Sections wrap their writes in it (``with reporting(f"roles[{i}]"): role_create(…)``).
    """
    try:
        yield
    except AgreementFileError:
        raise
    except ValidationError as exc:
        problems: list[str] = []
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                where = (field_paths or {}).get(name) or (
                    path if name in ("__all__", path.rsplit(".", 1)[-1]) else f"{path}.{name}"
                )
                problems.extend(f"{where}: {message}" for message in errors)
        else:
            problems.extend(f"{path}: {message}" for message in exc.messages)
        raise AgreementFileError(problems) from exc


def _side_of(organisation: Organisation) -> str:
    """The side ``agreement_create`` puts an organisation on, from its kind."""
    return Side.SUPPLIER if organisation.kind == OrganisationKind.SUPPLIER else Side.CUSTOMER


def _parties_of(
    actor: User,
    customer: Organisation | None,
    supplier: Organisation | None,
    section: AgreementModel,
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
            % {"customer": section.customer, "supplier": section.supplier}
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
    actor: User, section: AgreementModel, customer: Organisation | None, replace: bool
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
        .filter(customer=customer, reference__iexact=section.reference)
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
    if existing.supplier.name.lower() != section.supplier.lower():
        raise AgreementFileError(
            [
                _(
                    "agreement.supplier: the agreement %(reference)s is with %(supplier)s; an "
                    "import cannot change the parties"
                )
                % {"reference": existing.reference, "supplier": existing.supplier.name}
            ]
        )
    # The sections are both sides' to replace; the agreement's own record only its keeper's.
    changed = agreement_changed_fields(agreement=existing, **section.service_fields())
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
    """Create an agreement with every section of the file, or replace one.

    Raises ``AgreementFileError`` listing every problem (nothing is written),
    ``PermissionDenied`` when the actor belongs to neither party or may not edit
    the agreement being replaced. See the module docstring for the rules.
    """
    content, problems = _read(text)
    if content is None:
        raise AgreementFileError(problems)
    section: AgreementModel = content.agreement  # type: ignore[attr-defined]
    customer = Organisation.objects.filter(name__iexact=section.customer).first()
    supplier = Organisation.objects.filter(name__iexact=section.supplier).first()
    parties = _parties_of(actor, customer, supplier, section)
    existing = _existing_for_replace(actor, section, customer, replace)
    if existing is None:
        own = _own_organisation(parties)
        counterpart = section.supplier if _side_of(own) == Side.CUSTOMER else section.customer
        with reporting("agreement", _AGREEMENT_FIELD_PATHS):
            agreement = agreement_create(
                actor=actor,
                own_organisation=own,
                counterpart_name=counterpart,
                seed_model=False,
                **section.service_fields(),
            )
    else:
        with reporting("agreement", _AGREEMENT_FIELD_PATHS):
            agreement = agreement_update(
                agreement=existing, actor=actor, **section.service_fields()
            )
    for part in registry.file_sections():
        model = part.model()
        values = {key: getattr(content, key) for key in part.keys}
        part.write(
            model.model_construct(**values),
            agreement=agreement,
            actor=actor,
            replacing=existing is not None,
        )
    return agreement


def yaml_response(agreement: Agreement) -> HttpResponse:
    """The export as a download named after the agreement's reference."""
    response = HttpResponse(
        agreement_export(agreement), content_type="application/yaml; charset=utf-8"
    )
    filename = slugify(agreement.reference) or "agreement"
    response["Content-Disposition"] = f'attachment; filename="{filename}.yaml"'
    return response
