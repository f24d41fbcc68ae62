"""The agreement as a file through the API: export, import, and the file's JSON Schema
(served for editors and programs; it holds no data, so it is public)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from samverkan.agreements.access import agreement_for
from samverkan.agreements.agreement_file import (
    agreement_file_schema_json,
    agreement_import,
    yaml_response,
)
from samverkan.agreements.models import Agreement
from samverkan.api.schemas import ERRORS
from samverkan.core.requests import request_user

router = Router(tags=["agreement file"])


@router.get(
    "/agreement-file.schema.json",
    auth=None,
    response={200: dict},
    url_name="agreement_file_schema",
    openapi_extra={"responses": {200: {"content": {"application/schema+json": {}}}}},
)
def agreement_file_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema of the agreement file (YAML, format 1), as ``samverkan schema`` prints it.

    An editor with a YAML language server checks and completes a file that starts with
    ``# yaml-language-server: $schema=<this URL>``. It holds no agreement data, so it
    needs no token.
    """
    return HttpResponse(agreement_file_schema_json(), content_type="application/schema+json")


class ImportOut(Schema):
    id: int
    reference: str


@router.get(
    "/agreements/{agreement_id}/file",
    response={200: str, **ERRORS},
    url_name="agreement_file",
    openapi_extra={"responses": {200: {"content": {"application/yaml": {}}}}},
)
def export_file(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The agreement, its relationship type and its whole model as a version-1 YAML file."""
    agreement = agreement_for(request_user(request), agreement_id).agreement
    return yaml_response(agreement)


@router.post("/agreements/import", response={201: ImportOut, **ERRORS}, url_name="agreement_import")
def import_file(request: HttpRequest, replace: bool = False) -> Status[Agreement]:
    """Import a YAML file sent as the request body (``Content-Type: application/yaml``).

    A bad file changes nothing and answers 400 with every problem and its place in
    the file. An existing reference is replaced only with ``replace=true``.
    """
    text = request.body.decode("utf-8", errors="replace")
    return Status(201, agreement_import(text, actor=request_user(request), replace=replace))
