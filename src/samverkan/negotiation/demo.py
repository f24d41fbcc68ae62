"""Demo negotiation cases (filled in by a later slice)."""

from __future__ import annotations

from collections.abc import Mapping

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.core import registry


def load(agreement: Agreement, people: Mapping[str, User]) -> None:
    """Nothing yet."""


# Last: a case shows facts from the relationship that the other demo content makes.
DEMO = registry.DemoContent(
    key="negotiation", load=load, after=("innovation", "appendix", "health")
)
