from __future__ import annotations

from django.http import HttpRequest

from samverkan.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request that login or API authentication has already let through."""
    assert isinstance(request.user, User)
    return request.user
