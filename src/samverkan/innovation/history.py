"""How the agreement's history names the innovation framework's parts and reads their values."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.agreements.history import CREATE, DELETE, describe
from samverkan.core.formatting import format_money
from samverkan.innovation import models


def _percent(value: Any) -> str:
    return "–" if value in (None, "", "None") else f"{value} %"


def _money(value: Any) -> str:
    return "–" if value in (None, "", "None") else format_money(value)


def _figure(value: Any) -> str:
    """An idea's figure as typed, in the reader's language: 40, 12,5 (not 40,00)."""
    if value in (None, "", "None"):
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    exponent = number.normalize().as_tuple().exponent
    places = (
        0 if number == number.to_integral_value() or not isinstance(exponent, int) else -exponent
    )
    return formats.number_format(number, decimal_pos=places, use_l10n=True)


def _step(change: Any, shown: dict[str, str], name: str) -> str:
    """A step of an idea, as the whole sentence after the actor's name."""
    if str(change.value("referred")) in ("True", "true", "1"):
        return _("referred the idea “%(title)s” to %(forum)s") % {
            "title": name,
            "forum": shown.get("forum", "–"),
        }
    return _("moved the idea “%(title)s” to “%(stage)s”") % {
        "title": name,
        "stage": shown.get("to_stage", "–"),
    }


def register_ideas() -> None:
    describe(
        models.Idea,
        the=gettext_lazy("the idea “%(name)s”"),
        verbs={CREATE: gettext_lazy("proposed %(object)s")},
        name_field="title",
        hidden=["proposer"],
        values={
            "cost": _money,
            "effect": _figure,
            "baseline": _figure,
            "effort_days": _figure,
        },
    )
    describe(
        models.IdeaStep,
        the=_step,
        verbs={CREATE: "%(object)s"},
        hidden=["to_stage", "referred", "actor"],
    )


def _attachment(change: Any, shown: dict[str, str], name: str) -> str:
    """A file attached to or removed from an idea, as the whole sentence after the actor."""
    values = {"file": name, "idea": shown.get("idea", "–")}
    if change.action == DELETE:
        return _("removed “%(file)s” from the idea “%(idea)s”") % values
    return _("attached “%(file)s” to the idea “%(idea)s”") % values


def _size(value: Any) -> str:
    return "–" if value in (None, "", "None") else str(filesizeformat(int(value)))


def register_attachments() -> None:
    describe(
        models.Attachment,
        the=_attachment,
        verbs={CREATE: "%(object)s", DELETE: "%(object)s"},
        name_field="name",
        hidden=["idea", "name", "uploaded_by"],
        values={"size": _size},
    )


def register_evaluation() -> None:
    describe(
        models.Evaluator,
        the=gettext_lazy("an evaluator of an idea"),
        verbs={CREATE: gettext_lazy("chose %(object)s")},
        hidden=["idea", "chosen_by"],
    )
    describe(
        models.Score,
        the=gettext_lazy("a score of an idea"),
        verbs={CREATE: gettext_lazy("gave %(object)s")},
        hidden=["idea", "evaluator"],
    )


def _done(value: Any) -> str:
    return _("done") if str(value) in ("True", "true", "1") else _("not done")


def register_people() -> None:
    """The people impact of an idea (Medarbetare) and its engagement actions."""
    describe(
        models.PeopleImpact,
        the=gettext_lazy("the people impact of the idea “%(name)s”"),
        verbs={CREATE: gettext_lazy("recorded %(object)s")},
    )
    describe(
        models.EngagementAction,
        the=gettext_lazy("the engagement action “%(name)s”"),
        name_field="action",
        renamed=gettext_lazy("reworded %(object)s as %(new)s"),
        labels={"done": gettext_lazy("status")},
        values={"done": _done},
    )


def register_effects() -> None:
    describe(
        models.RealisedEffect,
        the=gettext_lazy("the realised effect of the idea “%(name)s”"),
        verbs={CREATE: gettext_lazy("recorded %(object)s")},
        hidden=["recorded_by"],
    )
    describe(
        models.FundEntry,
        the=gettext_lazy("the innovation fund's line “%(name)s”"),
        verbs={CREATE: gettext_lazy("added %(object)s")},
        money=["amount"],
    )


def register() -> None:
    register_effects()
    register_ideas()
    register_evaluation()
    register_attachments()
    register_people()
    describe(
        models.Framework,
        the=gettext_lazy("the innovation framework"),
        values={
            "customer_share": _percent,
            "supplier_share": _percent,
            "customer_contribution": _money,
            "supplier_contribution": _money,
        },
    )
    describe(
        models.Goal,
        the=gettext_lazy("the innovation goal “%(name)s”"),
        name_field="what",
        hidden=["key", "framework"],
        renamed=gettext_lazy("reworded %(object)s as %(new)s"),
    )
    describe(
        models.Criterion,
        the=gettext_lazy("the evaluation criterion “%(name)s”"),
        name_field="name",
        hidden=["key", "framework"],
        values={"weight": _percent},
    )
