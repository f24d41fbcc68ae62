"""The base's panel on the agreement overview: the latest changes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from samverkan.agreements import selectors
from samverkan.agreements.access import AgreementAccess
from samverkan.core import registry

LATEST_CHANGES = 5


def latest_changes(access: AgreementAccess) -> Mapping[str, Any]:
    return {"history": selectors.agreement_history(agreement=access.agreement)[:LATEST_CHANGES]}


HISTORY = registry.OverviewPanel(
    key="history",
    order=1000,
    template="agreements/_overview_history.html",
    context=latest_changes,
)
