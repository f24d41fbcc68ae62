"""The HTTP API under /api/v1/: one router per app, the same services as the UI."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from samverkan.accounts.models import User
from samverkan.accounts.services import token_authenticate
from samverkan.agreements.api import router as agreements_router
from samverkan.appendix.api import router as appendix_router
from samverkan.appendix.services import IncompleteAppendixError
from samverkan.collaboration.agreement_file import AgreementFileError
from samverkan.collaboration.api import router as collaboration_router
from samverkan.core.errors import StaleEditError
from samverkan.health.api import router as health_router
from samverkan.relationships.api import router as relationships_router


class TokenAuth(HttpBearer):
    """Personal API tokens: ``Authorization: Bearer svk_…``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Samverkan API",
    version="1",
    description=(
        "Agreements between customers and IT suppliers and the collaboration around them. "
        "Authenticate with a personal API token (`Authorization: Bearer <token>`), created "
        "under Profile → API tokens or with `samverkan token create EMAIL`."
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
# The collaboration router first: its /agreements/import must win over /agreements/{agreement_id}.
api.add_router("", collaboration_router)
api.add_router("/agreements", agreements_router)
api.add_router("", relationships_router)
api.add_router("", appendix_router)
api.add_router("", health_router)


def _error(request: HttpRequest, detail: object, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, "Not found.", 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The access module says why (the agreement's terms are the customer's, owners only …).
    return _error(request, str(exc) or "You do not have permission to do this.", 403)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, "Authentication required: send a valid API token.", 401)


@api.exception_handler(StaleEditError)
def _stale(request: HttpRequest, exc: StaleEditError) -> HttpResponse:
    return _error(request, " ".join(exc.messages), 409)


@api.exception_handler(AgreementFileError)
def _bad_file(request: HttpRequest, exc: AgreementFileError) -> HttpResponse:
    return _error(request, exc.problems, 400)


@api.exception_handler(IncompleteAppendixError)
def _incomplete(request: HttpRequest, exc: IncompleteAppendixError) -> HttpResponse:
    return _error(
        request, " ".join(exc.messages) + " Send accept_errors: true to publish anyway.", 400
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail: object = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return _error(request, detail, 400)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, exc.errors, 422)
