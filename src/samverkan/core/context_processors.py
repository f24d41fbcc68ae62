from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from samverkan.accounts.models import User
from samverkan.accounts.selectors import user_memberships


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's organisations for the menu, loaded only when a page shows them."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"nav_memberships": []}
    return {"nav_memberships": SimpleLazyObject(lambda: list(user_memberships(user=user)))}
