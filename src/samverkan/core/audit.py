"""Who did it, and which rows one action wrote: the context django-auditlog records.

django-auditlog writes one ``LogEntry`` per changed row. To show a person's
action as one entry (deleting a process also deletes its RACI rows), every
row written during one action carries the same correlation id (``cid``), and
the person acting is the ``actor``:

- a web or API request is one action: ``AuditMiddleware`` gives it a fresh id
  (never one a client sends: an id chosen by the client could join unrelated
  changes into one entry) and the signed-in person;
- a request authenticated with an API token names its person once the token
  is checked (``audit_actor_set``), since the token is read after the
  middleware has run;
- a management command, the demo loader or a test wraps each action in
  ``audit_action(actor=…)``.

Rows written outside any action (a shell, a data migration) have no id and are
shown one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from auditlog.context import auditlog_value, set_actor, set_extra_data
from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponse

from samverkan.accounts.models import User

_cid: ContextVar[str | None] = ContextVar("samverkan_audit_cid", default=None)


def current_cid() -> str | None:
    """The correlation id of the action under way (``AUDITLOG_CID_GETTER``)."""
    return _cid.get()


def _new_cid() -> str:
    return uuid.uuid4().hex


@contextmanager
def audit_action(*, actor: User | None) -> Iterator[str]:
    """Record everything written inside as one action by ``actor``; yields its id.

    Actions may nest (a command calling a helper that opens its own action): the
    inner one is recorded apart, and the outer one's id and actor apply again
    after it.
    """
    outer_context = auditlog_value.get(None)
    token = _cid.set(_new_cid())
    try:
        with set_actor(actor):
            yield _cid.get() or ""
    finally:
        _cid.reset(token)
        if outer_context is not None:
            # auditlog's set_actor leaves its own context behind; put the outer one back.
            auditlog_value.set(outer_context)


def audit_actor_set(user: User) -> None:
    """Name ``user`` as the person acting for the rest of the current request.

    For credentials checked after the middleware ran (API tokens). Outside a
    request (no auditlog context) it does nothing.
    """
    context: dict[str, Any] | None = auditlog_value.get(None)
    if context is not None:
        context["actor"] = user


class AuditMiddleware(AuditlogMiddleware):  # type: ignore[misc]
    """auditlog's middleware, with one server-made correlation id per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _cid.set(_new_cid())
        try:
            with set_extra_data(context_data=self.get_extra_data(request)):
                response: HttpResponse = self.get_response(request)
                return response
        finally:
            _cid.reset(token)
