"""How the agreement's history names the innovation framework's parts and reads their values."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from samverkan.agreements.history import describe
from samverkan.core.formatting import format_money
from samverkan.innovation import models


def _percent(value: Any) -> str:
    return "–" if value in (None, "", "None") else f"{value} %"


def _money(value: Any) -> str:
    return "–" if value in (None, "", "None") else format_money(value)


def register() -> None:
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
