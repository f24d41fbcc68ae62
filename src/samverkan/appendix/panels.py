"""The appendix's panel on the agreement overview: completeness and versions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation

from samverkan.agreements.access import AgreementAccess
from samverkan.appendix.selectors import appendix_status
from samverkan.core import registry


def overview(access: AgreementAccess) -> Mapping[str, Any]:
    language = translation.get_language() or "sv"
    return {"status": appendix_status(agreement=access.agreement, language=language)}


OVERVIEW = registry.OverviewPanel(
    key="appendix",
    order=300,
    template="appendix/_overview_panel.html",
    context=overview,
)
