"""Publishing, approving and comparing appendix versions; rebuilding old versions identically."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.agreements.access import agreement_access
from samverkan.appendix import services
from samverkan.appendix.diff import snapshot_diff
from samverkan.appendix.selectors import version_rows
from samverkan.appendix.views import version_document
from samverkan.collaboration import services as model
from samverkan.collaboration.models import Role
from samverkan.documents.docx import render_docx
from samverkan.documents.pdf import render_pdf
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def modelled(world: World) -> World:
    model.model_seed(agreement=world.agreement)
    model.objectives_set(
        agreement=world.agreement, actor=None, texts=["Hög kvalitet och driftstabilitet"]
    )
    model.forum_from_template(agreement=world.agreement, actor=None, template="steering-group")
    model.process_from_template(agreement=world.agreement, actor=None, template="change-management")
    return world


def _publish(world: World, summary: str = "Första versionen") -> Any:
    return services.appendix_publish(
        agreement=world.agreement,
        actor=world.customer_owner,
        change_summary=summary,
        accept_errors=True,
    )


def _change(world: World, objective: str) -> None:
    """Change the live model, so that the next version is not identical to the last."""
    texts = list(world.agreement.objectives.values_list("text", flat=True))
    model.objectives_set(agreement=world.agreement, actor=None, texts=[*texts, objective])


def _approve(world: World, version: Any, user: Any) -> Any:
    access = agreement_access(user, world.agreement)
    assert access is not None
    return services.appendix_approve(version=version, access=access, actor=user)


def test_publishing_with_failing_checks_needs_explicit_acceptance(modelled: World) -> None:
    with pytest.raises(services.IncompleteAppendixError):
        services.appendix_publish(
            agreement=modelled.agreement, actor=modelled.customer_owner, change_summary="Utkast"
        )
    assert _publish(modelled).number == 1
    _change(modelled, "Kortare ledtider")
    assert _publish(modelled, "Andra").number == 2


def test_version_takes_effect_when_an_owner_on_each_side_has_approved(modelled: World) -> None:
    version = _publish(modelled)
    _approve(modelled, version, modelled.customer_owner)
    assert version_rows(agreement=modelled.agreement)[0].status == "awaiting"
    _approve(modelled, version, modelled.supplier_owner)
    row = version_rows(agreement=modelled.agreement)[0]
    assert row.status == "in_effect"
    assert row.customer_approval.user == modelled.customer_owner  # type: ignore[attr-defined]


def test_viewer_and_org_admin_cannot_approve(modelled: World) -> None:
    version = _publish(modelled)
    for user in (modelled.supplier_viewer, modelled.org_admin):
        with pytest.raises(PermissionDenied):
            _approve(modelled, version, user)


def test_approving_a_superseded_version_is_refused(modelled: World) -> None:
    first = _publish(modelled)
    _change(modelled, "Kortare ledtider")
    _publish(modelled, "Andra")
    with pytest.raises(ValidationError):
        _approve(modelled, first, modelled.customer_owner)


def test_the_same_side_cannot_approve_twice(modelled: World) -> None:
    version = _publish(modelled)
    _approve(modelled, version, modelled.customer_owner)
    with pytest.raises(ValidationError):
        _approve(modelled, version, modelled.customer_owner)


def test_in_effect_version_stays_in_effect_while_a_newer_one_awaits(modelled: World) -> None:
    first = _publish(modelled)
    _approve(modelled, first, modelled.customer_owner)
    _approve(modelled, first, modelled.supplier_owner)
    _change(modelled, "Kortare ledtider")
    _publish(modelled, "Andra")
    statuses = {
        row.version.number: row.status for row in version_rows(agreement=modelled.agreement)
    }
    assert statuses == {1: "in_effect", 2: "awaiting"}


def _docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_old_version_rebuilds_identically_after_the_live_model_changes(modelled: World) -> None:
    version = _publish(modelled)
    before_docx = render_docx(version_document(version, "sv"))
    before_pdf = render_pdf(version_document(version, "sv"))
    role = Role.objects.get(agreement=modelled.agreement, key="it-supplier")
    model.role_update(role=role, actor=None, version=role.version, name="Leveranschef")
    model.objectives_set(agreement=modelled.agreement, actor=None, texts=["Helt nya mål"])
    version.refresh_from_db()
    after_docx = render_docx(version_document(version, "sv"))
    after_pdf = render_pdf(version_document(version, "sv"))
    assert _docx_text(after_docx) == _docx_text(before_docx)
    assert _pdf_text(after_pdf) == _pdf_text(before_pdf)
    assert after_docx == before_docx
    assert "IT-leverantör" in _docx_text(after_docx)
    assert "Leveranschef" not in _docx_text(after_docx)


def test_diff_names_added_removed_and_changed_parts(modelled: World) -> None:
    _publish(modelled)
    role = Role.objects.get(agreement=modelled.agreement, key="it-supplier")
    model.role_update(role=role, actor=None, version=role.version, name="Leveranschef")
    model.role_delete(
        role=Role.objects.get(agreement=modelled.agreement, key="it-architect"), actor=None
    )
    model.forum_from_template(
        agreement=modelled.agreement, actor=None, template="operations-meeting"
    )
    second = _publish(modelled, "Andra")
    first = second.agreement.appendix_versions.get(number=1)
    changes = {(c.section, c.key): c for c in snapshot_diff(first.snapshot, second.snapshot)}
    assert changes[("roles", "it-supplier")].change == "changed"
    assert changes[("roles", "it-architect")].change == "removed"
    assert changes[("forums", "operations-meeting")].change == "added"
    name = next(f for f in changes[("roles", "it-supplier")].fields if f.field == "name")
    assert (name.before, name.after) == ("IT-leverantör", "Leveranschef")


def test_publish_page_asks_for_confirmation_when_checks_fail(
    modelled: World, client_for: Any
) -> None:
    client = client_for(modelled.customer_owner)
    url = reverse("appendix:publish", kwargs={"pk": modelled.agreement.pk})
    response = client.post(url, {"change_summary": "Första versionen"})
    assert response.status_code == 400
    assert "accept_errors" in response.content.decode()
    assert not modelled.agreement.appendix_versions.exists()
    response = client.post(url, {"change_summary": "Första versionen", "accept_errors": "on"})
    assert response.status_code == 302
    assert modelled.agreement.appendix_versions.count() == 1


def test_api_publish_approve_and_download(modelled: World, client_for: Any) -> None:
    owner = client_for(modelled.customer_owner)
    base = f"/api/v1/agreements/{modelled.agreement.pk}/appendix"
    refused = owner.post(
        f"{base}/versions",
        json.dumps({"change_summary": "Första"}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    created = owner.post(
        f"{base}/versions",
        json.dumps({"change_summary": "Första", "accept_errors": True}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["number"] == 1
    viewer = client_for(modelled.supplier_viewer)
    assert viewer.post(f"{base}/versions/1/approve").status_code == 403
    approved = client_for(modelled.supplier_owner).post(f"{base}/versions/1/approve")
    assert approved.status_code == 200
    assert [a["side"] for a in approved.json()["approvals"]] == ["supplier"]
    docx = owner.get(f"{base}/versions/1/document?format=docx&lang=en")
    assert docx.status_code == 200
    assert "Collaboration appendix" in _docx_text(docx.content)
    assert (
        client_for(modelled.other_supplier_user).get(f"{base}/versions/1/document").status_code
        == 404
    )


def test_appendix_page_query_count_does_not_grow_with_versions(
    modelled: World, client_for: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(modelled.customer_owner)
    url = reverse("appendix:appendix", kwargs={"pk": modelled.agreement.pk})
    counts = []
    for published in (2, 8):
        while (count := modelled.agreement.appendix_versions.count()) < published:
            _change(modelled, f"Mål {count + 1}")
            version = _publish(modelled, "Ny version")
            _approve(modelled, version, modelled.customer_owner)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("number", [0, 2**31, 10**19])
def test_a_version_number_beyond_any_version_is_a_404_on_the_page_and_in_the_api(
    modelled: World, client_for: Any, number: int
) -> None:
    """Versions are found through the access module's numbered lookup, like health rounds:
    a number no version can have is refused before any query, on every database."""
    _publish(modelled)
    client = client_for(modelled.customer_owner)
    pk = modelled.agreement.pk
    assert client.get(f"/agreements/{pk}/appendix/versions/{number}/").status_code == 404
    api = client.get(f"/api/v1/agreements/{pk}/appendix/versions/{number}/document?format=html")
    assert api.status_code == 404
