"""The agreement file's JSON Schema, served for editors and programs (no data: public)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from samverkan.agreements.agreement_file import agreement_file_schema_json

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
