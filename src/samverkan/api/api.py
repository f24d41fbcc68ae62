"""The HTTP API under /api/v1/: one router per app, the same services as the UI."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from samverkan.accounts.models import User
from samverkan.accounts.services import token_authenticate
from samverkan.agreements.agreement_file import AgreementFileError
from samverkan.agreements.api import proposals_router
from samverkan.agreements.api import router as agreements_router
from samverkan.agreements.file_api import router as agreement_file_router
from samverkan.appendix.api import router as appendix_router
from samverkan.appendix.services import IncompleteAppendixError
from samverkan.collaboration.api import router as collaboration_router
from samverkan.core.audit import audit_actor_set
from samverkan.core.errors import StaleEditError
from samverkan.documents.bounded import DocumentTooLargeError
from samverkan.health.api import router as health_router
from samverkan.innovation.api import router as innovation_router
from samverkan.negotiation.api import router as negotiation_router
from samverkan.relationships.api import router as relationships_router


class TokenAuth(HttpBearer):
    """Personal API tokens: ``Authorization: Bearer svk_…``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            audit_actor_set(user)  # the audit trail names the token's person, not "System"
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
# The file router first: its /agreements/import must win over /agreements/{agreement_id}.
api.add_router("", agreement_file_router)
api.add_router("", collaboration_router)
api.add_router("/agreements", agreements_router)
api.add_router("/proposals", proposals_router)
api.add_router("", relationships_router)
api.add_router("", appendix_router)
api.add_router("", health_router)
api.add_router("", innovation_router)
api.add_router("", negotiation_router)


def _error(
    request: HttpRequest, detail: str, status: int, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    """The one error body: ``detail`` is always a string, field problems go in ``errors``."""
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _path(location: Iterable[object]) -> str:
    """``("body", "payload", "roles", 3, "level")`` → ``roles[3].level``."""
    parts = list(location)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _problem(text: str) -> dict[str, str]:
    """An agreement-file problem ``roles[3].level: …`` split into its path and message."""
    head, sep, message = text.partition(": ")
    if sep and " " not in head:
        return {"path": head, "message": message}
    return {"path": "", "message": text}


@csrf_exempt  # a POST to a wrong path must get this JSON answer, not the CSRF failure page
def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other path under /api/v1/ (a trailing slash, a typo): JSON 404, never an HTML page."""
    detail = "Not found."
    if rest.endswith("/"):
        detail += f" API paths have no trailing slash: try /api/v1/{rest.rstrip('/')}"
    return _error(request, detail, 404)


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


@api.exception_handler(DocumentTooLargeError)
def _too_large(request: HttpRequest, exc: DocumentTooLargeError) -> HttpResponse:
    if exc.busy:
        return _error(
            request, "Another very large document is being written; try again in a minute.", 422
        )
    detail = (
        f"The document could not be written within {exc.seconds:g} seconds "
        f"(about {max(1, exc.characters // 3000)} pages). Shorten the longest lists or "
        "descriptions, or fetch it as HTML."
    )
    return _error(request, detail, 422)


@api.exception_handler(AgreementFileError)
def _bad_file(request: HttpRequest, exc: AgreementFileError) -> HttpResponse:
    errors = [_problem(problem) for problem in exc.problems]
    count = len(errors)
    detail = errors[0]["message"] if count == 1 else f"The file has {count} problems; see errors."
    if count == 1 and errors[0]["path"]:
        detail = f"{errors[0]['path']}: {detail}"
    return _error(request, detail, 400, errors)


@api.exception_handler(IncompleteAppendixError)
def _incomplete(request: HttpRequest, exc: IncompleteAppendixError) -> HttpResponse:
    return _error(
        request, " ".join(exc.messages) + " Send accept_errors: true to publish anyway.", 400
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if not hasattr(exc, "error_dict"):
        return _error(request, " ".join(exc.messages), 400)
    errors = [
        {"path": "" if field == NON_FIELD_ERRORS else field, "message": message}
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
    detail = " ".join(f"{e['path']}: {e['message']}" if e["path"] else e["message"] for e in errors)
    return _error(request, detail, 400, errors)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"path": _path(error.get("loc", ())), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    fields = ", ".join(dict.fromkeys(e["path"] for e in errors if e["path"]))
    detail = "The request does not match the schema"
    return _error(request, f"{detail}: {fields}." if fields else f"{detail}.", 422, errors)
