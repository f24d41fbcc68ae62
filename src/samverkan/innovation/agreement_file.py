"""The ``innovation`` section of the agreement file: the innovation framework, or null::

    innovation: null | {goals: [{key, what, baseline, target, unit, due}],
                        criteria: [{key, name, weight}],
                        deciding_forum: forum-key, customer_lead: role-key,
                        supplier_lead: role-key, improvement_line, ideas_per_quarter,
                        review_cadence, funding: {model: none|joint_fund|gain_share,
                        customer_contribution, supplier_contribution, customer_share,
                        supplier_share, months, start}}

Always written (null when the parties have agreed no framework). Besides each value,
the schema checks that the weights add up to 100 (saying by how much they are off),
that the keys of goals and criteria are unique, that the deciding forum is a forum of
the file and each lead a role of its side (the starter roles when the file has no
``roles`` key), and that the chosen funding has what it needs. Composed into the file
by ``samverkan.agreements.agreement_file``; registered in ``innovation/surfaces.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, Self

from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    ModelWrapValidatorHandler,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic import ValidationError as SchemaError
from pydantic_core import ErrorDetails

from samverkan.accounts.models import User
from samverkan.agreements.agreement_file import (
    LANGUAGES,
    Choice,
    Date,
    FileModel,
    OrNone,
    Required,
    Text,
    Whole,
    reporting,
)
from samverkan.agreements.models import Agreement
from samverkan.collaboration import catalogue as model_catalogue
from samverkan.collaboration.agreement_file import ForumRef, Key, OptionalRoleRef
from samverkan.collaboration.models import Forum, Role, RoleSide
from samverkan.core import fields
from samverkan.core.governance import Cadence
from samverkan.innovation.models import Criterion, Framework, Funding, Goal
from samverkan.innovation.selectors import frameworks_of
from samverkan.innovation.services import (
    FIGURE_MAX,
    framework_remove,
    framework_save,
    shares_problem,
    weights_problem,
)
from samverkan.lib import limits


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise fields.problem(_("must be a number, like 10 or 2.5"))
    return Decimal(str(value))


Figure = Annotated[
    Decimal,
    BeforeValidator(_number),
    Field(gt=-FIGURE_MAX, lt=FIGURE_MAX, decimal_places=2, allow_inf_nan=False),
    WithJsonSchema({"type": "number"}, mode="validation"),
]


class GoalEntry(FileModel):
    key: Key
    what: Annotated[fields.Line, *Required]
    baseline: Figure
    target: Figure
    unit: Annotated[str, Field(max_length=limits.UNIT_MAX), *Required]
    due: fields.IsoDate


class CriterionEntry(FileModel):
    key: Key
    name: Annotated[fields.Name, *Required]
    weight: Annotated[int, *Whole, Field(ge=0, le=100)]


class FundingEntry(FileModel):
    model: Annotated[str, Choice(tuple(Funding.values))]
    customer_contribution: Annotated[fields.Amount, *Whole] | None = None
    supplier_contribution: Annotated[fields.Amount, *Whole] | None = None
    customer_share: Annotated[int, *Whole, Field(ge=0, le=100)] | None = None
    supplier_share: Annotated[int, *Whole, Field(ge=0, le=100)] | None = None
    months: Annotated[int, *Whole, Field(ge=1, le=limits.GAIN_SHARE_MONTHS_MAX)] | None = None
    start: Date = None


def _keys_once(items: Any, section: str) -> list[tuple[tuple[str | int, ...], str]]:
    seen: dict[str, int] = {}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(key, str) or not key or slugify(key) != key:
            continue
        if key in seen:
            problems.append(
                (
                    (section, index, "key"),
                    _('"%(key)s" is already the key of %(other)s')
                    % {"key": key, "other": f"innovation.{section}[{seen[key]}]"},
                )
            )
        else:
            seen[key] = index
    return problems


def _whole_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _between(data: Any, info: ValidationInfo) -> list[tuple[tuple[str | int, ...], str]]:
    """The checks between the framework's values, on the mapping as written."""
    if not isinstance(data, dict):
        return []
    problems = _keys_once(data.get("goals"), "goals") + _keys_once(data.get("criteria"), "criteria")
    criteria = data.get("criteria")
    if isinstance(criteria, list):
        weights = [
            _whole_or_none(c.get("weight")) if isinstance(c, dict) else None for c in criteria
        ]
        if not criteria:
            problems.append((("criteria",), _("name at least one evaluation criterion")))
        elif all(weight is not None for weight in weights):
            problem = weights_problem([int(w or 0) for w in weights])
            if problem is not None:
                problems.append((("criteria",), problem))
    sides: Mapping[str, str] | None = (info.context or {}).get("role_sides")
    for name, side in (("customer_lead", RoleSide.CUSTOMER), ("supplier_lead", RoleSide.SUPPLIER)):
        key = data.get(name)
        if sides is not None and isinstance(key, str) and sides.get(key) not in (None, side):
            message = (
                _("must be a role of the customer's side")
                if side == RoleSide.CUSTOMER
                else _("must be a role of the supplier's side")
            )
            problems.append(((name,), message))
    funding = data.get("funding")
    if isinstance(funding, dict):
        model = funding.get("model")
        if model == Funding.JOINT_FUND:
            for name in ("customer_contribution", "supplier_contribution"):
                if funding.get(name) is None:
                    problems.append((("funding", name), _("required for a joint fund")))
        elif model == Funding.GAIN_SHARE:
            for name in ("customer_share", "supplier_share", "months"):
                if funding.get(name) is None:
                    problems.append((("funding", name), _("required for a gain-share")))
            customer = _whole_or_none(funding.get("customer_share"))
            supplier = _whole_or_none(funding.get("supplier_share"))
            if customer is not None and supplier is not None:
                problem = shares_problem(customer, supplier)
                if problem is not None:
                    problems.append((("funding", "supplier_share"), problem))
    return problems


class FrameworkEntry(FileModel):
    goals: Annotated[list[GoalEntry], OrNone, Field(max_length=limits.GOALS_MAX)] = []
    criteria: Annotated[list[CriterionEntry], Field(max_length=limits.CRITERIA_MAX)]
    deciding_forum: Annotated[ForumRef | None, BeforeValidator(lambda v: v or None)] = None
    customer_lead: OptionalRoleRef = None
    supplier_lead: OptionalRoleRef = None
    improvement_line: Text = ""
    ideas_per_quarter: (
        Annotated[int, *Whole, Field(ge=0, le=limits.IDEAS_PER_QUARTER_MAX)] | None
    ) = None
    review_cadence: Annotated[str, Choice(tuple(Cadence.values), default="")] = ""
    funding: FundingEntry

    @model_validator(mode="wrap")
    @classmethod
    def _consistent(
        cls, data: Any, handler: ModelWrapValidatorHandler[Self], info: ValidationInfo
    ) -> Self:
        """Checked on the mapping as written, so reported together with the other problems."""
        errors: list[ErrorDetails] = []
        result = None
        try:
            result = handler(data)
        except SchemaError as exc:
            errors = exc.errors()
        problems = _between(data, info)
        if errors or problems:
            raise fields.combined("innovation", errors, problems)
        assert result is not None
        return result


class InnovationSection(FileModel):
    innovation: Annotated[
        FrameworkEntry | None,
        Field(description="The innovation framework; null when none is agreed."),
    ] = None


def _role_sides(data: Mapping[str, Any]) -> dict[str, str] | None:
    if "roles" not in data:
        agreement = data.get("agreement")
        language = agreement.get("language") if isinstance(agreement, dict) else None
        return {
            role["key"]: role["side"]
            for role in model_catalogue.starter_roles(
                str(language) if language in LANGUAGES else "sv"
            )
        }
    roles = data["roles"]
    if roles is None:
        return {}
    if not isinstance(roles, list) or len(roles) > limits.ROLES_MAX:
        return None
    # The roles may be malformed (the roles section reports that): a role without a side
    # is left out here rather than read.
    return {
        role["key"]: role["side"]
        for role in roles
        if isinstance(role, dict) and isinstance(role.get("key"), str) and "side" in role
    }


def _figure_out(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _content(framework: Framework | None) -> dict[str, Any] | None:
    if framework is None:
        return None
    return {
        "goals": [
            {
                "key": goal.key,
                "what": goal.what,
                "baseline": _figure_out(goal.baseline),
                "target": _figure_out(goal.target),
                "unit": goal.unit,
                "due": goal.due,
            }
            for goal in framework.goals.all()
        ],
        "criteria": [
            {"key": c.key, "name": c.name, "weight": c.weight} for c in framework.criteria.all()
        ],
        "deciding_forum": framework.deciding_forum.key if framework.deciding_forum else None,
        "customer_lead": framework.customer_lead.key if framework.customer_lead else None,
        "supplier_lead": framework.supplier_lead.key if framework.supplier_lead else None,
        "improvement_line": framework.improvement_line,
        "ideas_per_quarter": framework.ideas_per_quarter,
        "review_cadence": framework.review_cadence or None,
        "funding": {
            "model": framework.funding,
            "customer_contribution": framework.customer_contribution,
            "supplier_contribution": framework.supplier_contribution,
            "customer_share": framework.customer_share,
            "supplier_share": framework.supplier_share,
            "months": framework.gain_share_months,
            "start": framework.gain_share_from,
        },
    }


# Where the service's field names are in the file.
FIELD_PATHS = {
    "funding": "innovation.funding.model",
    "customer_contribution": "innovation.funding.customer_contribution",
    "supplier_contribution": "innovation.funding.supplier_contribution",
    "customer_share": "innovation.funding.customer_share",
    "supplier_share": "innovation.funding.supplier_share",
    "gain_share_months": "innovation.funding.months",
    "gain_share_from": "innovation.funding.start",
}


class _Section:
    key: str = "innovation"
    order: int = 40  # after the collaboration model, whose forums and roles it names
    keys: tuple[str, ...] = ("innovation",)

    def model(self) -> type[BaseModel]:
        return InnovationSection

    def context(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        return {"role_sides": _role_sides(data)}

    def export(self, agreements: Sequence[Agreement]) -> dict[int, dict[str, Any]]:
        frameworks = frameworks_of(agreements)
        return {
            agreement.pk: {"innovation": _content(frameworks.get(agreement.pk))}
            for agreement in agreements
        }

    def write(
        self, content: BaseModel, *, agreement: Agreement, actor: User, replacing: bool
    ) -> None:
        assert isinstance(content, InnovationSection)
        spec = content.innovation
        if spec is None:
            if replacing:
                framework_remove(agreement=agreement, actor=actor)
            return
        forums = {forum.key: forum for forum in Forum.objects.filter(agreement=agreement)}
        roles = {role.key: role for role in Role.objects.filter(agreement=agreement)}
        with reporting("innovation", FIELD_PATHS):
            framework_save(
                agreement=agreement,
                actor=actor,
                version=None,
                goals=[goal.model_dump() for goal in spec.goals],
                criteria=[criterion.model_dump() for criterion in spec.criteria],
                deciding_forum=forums.get(spec.deciding_forum or ""),
                customer_lead=roles.get(spec.customer_lead or ""),
                supplier_lead=roles.get(spec.supplier_lead or ""),
                improvement_line=spec.improvement_line,
                ideas_per_quarter=spec.ideas_per_quarter,
                review_cadence=spec.review_cadence,
                funding=spec.funding.model,
                customer_contribution=spec.funding.customer_contribution,
                supplier_contribution=spec.funding.supplier_contribution,
                customer_share=spec.funding.customer_share,
                supplier_share=spec.funding.supplier_share,
                gain_share_months=spec.funding.months,
                gain_share_from=spec.funding.start,
            )

    def tracked(self) -> Mapping[type[Model], Callable[[Any], int]]:
        return {Framework: _agreement_id, Goal: _agreement_id, Criterion: _agreement_id}


def _agreement_id(row: Any) -> int:
    return int(row.agreement_id)


SECTION = _Section()
