"""The innovation rate among the facts a negotiation case shows about its agreement: the
supplier's ideas a quarter against the expected, and the ideas proposed, through the
registry (negotiation never imports innovation)."""

from __future__ import annotations

import pytest
from django.utils import translation

from samverkan.accounts.models import User
from samverkan.agreements.access import agreement_access
from samverkan.agreements.models import Agreement
from samverkan.core import demo, registry

pytestmark = pytest.mark.django_db


def _facts(reference: str) -> dict[str, list[registry.Fact]]:
    user = User.objects.get(email="kund@example.com")
    access = agreement_access(user, Agreement.objects.get(reference=reference))
    assert access is not None
    return {source.key: facts for source, facts in registry.negotiation_facts(access)}


def test_the_innovation_rate_is_a_negotiation_fact() -> None:
    demo.load()
    with translation.override("sv"):
        facts = _facts("DEMO-UTILITY")["innovation-rate"]
    assert facts[0].label == "Idéer per kvartal"
    assert facts[0].value.startswith("Leverantören har föreslagit 0,25 idéer per kvartal")
    assert facts[0].url.endswith("/innovation/rate/")
    assert [fact.label for fact in facts[1:]] == ["Föreslagna idéer"]
    with translation.override("en"):
        frontier = _facts("DEMO-FRONTIER")["innovation-rate"]
    assert "which meets the expected 1" in frontier[0].value
