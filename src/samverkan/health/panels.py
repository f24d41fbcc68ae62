"""Relationship health's panel on the agreement overview: the latest results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation

from samverkan.agreements.access import AgreementAccess
from samverkan.core import registry
from samverkan.health.selectors import health_status


def overview(access: AgreementAccess) -> Mapping[str, Any]:
    language = translation.get_language() or "sv"
    return {"status": health_status(agreement=access.agreement, language=language)}


OVERVIEW = registry.OverviewPanel(
    key="health",
    order=400,
    template="health/_overview_panel.html",
    context=overview,
)
