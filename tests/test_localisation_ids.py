"""Ids and form values are never grouped like amounts ("1 845"), whatever the language."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from samverkan.accounts.models import Membership, User
from tests.conftest import World


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_large_ids_render_ungrouped_in_forms(world: World, client_for: Any, language: str) -> None:
    # A colleague with a five-digit id, as on a long-lived database.
    colleague = User.objects.create_user(
        "maja@norrlandia.example", "lösenord-123", full_name="Maja Ek", pk=18450
    )
    Membership.objects.create(user=colleague, organisation=world.customer, role="member")
    world.customer_owner.language = language
    world.customer_owner.save()
    body = (
        client_for(world.customer_owner)
        .get(reverse("agreements:detail", kwargs={"pk": world.agreement.pk}))
        .content.decode()
    )
    assert f'<option value="{colleague.pk}">' in body
    assert connection.vendor in ("sqlite", "postgresql")
