"""What the base shows on shared surfaces (``samverkan.core.registry``): the overview's
tab and the history's, and the latest changes on the overview."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from samverkan.agreements import selectors
from samverkan.agreements.access import AgreementAccess
from samverkan.core import registry

LATEST_CHANGES = 5


def latest_changes(access: AgreementAccess) -> Mapping[str, Any]:
    return {"history": selectors.agreement_history(agreement=access.agreement)[:LATEST_CHANGES]}


def register() -> None:
    from samverkan.agreements import work

    registry.register_work_provider(work.work_items)  # proposals to answer
    registry.register_tab(
        registry.Tab(
            key="overview",
            label=_("Overview"),
            url_name="agreements:detail",
            order=0,
            view_names=("agreements:detail",),
        )
    )
    registry.register_tab(
        registry.Tab(
            key="history",
            label=_("History"),
            url_name="agreements:history",
            order=1000,
            view_names=("agreements:history",),
        )
    )
    registry.register_overview_panel(
        registry.OverviewPanel(
            key="history",
            order=1000,
            template="agreements/_overview_history.html",
            context=latest_changes,
        )
    )
