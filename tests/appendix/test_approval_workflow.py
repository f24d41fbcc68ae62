"""Approval as a workflow: who is told, who may approve, how, and what the approved document says.

Publishing e-mails the owners of both sides; the version page tells each person
whether they can approve or who can; approving is confirmed; a version identical
to the one before is not published; the approved document records its approvals.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.agreements.access import agreement_access
from samverkan.agreements.models import Participant
from samverkan.appendix import selectors, services
from samverkan.appendix.diff import snapshot_diff
from samverkan.appendix.views import version_document
from samverkan.collaboration import services as model
from samverkan.collaboration.models import Forum, Role
from samverkan.documents.docx import render_docx
from samverkan.documents.html import render_html
from samverkan.documents.pdf import render_pdf
from tests.appendix import test_versions
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# The same small model and publishing step as the version tests.
modelled = test_versions.modelled
_publish = test_versions._publish


def _approve(world: World, version: Any, user: Any) -> Any:
    access = agreement_access(user, world.agreement)
    assert access is not None
    return services.appendix_approve(version=version, access=access, actor=user)


def _change_objectives(world: World, text: str) -> None:
    texts = list(world.agreement.objectives.values_list("text", flat=True))
    model.objectives_set(agreement=world.agreement, actor=None, texts=[*texts, text])


def _version_url(world: World, number: int = 1) -> str:
    return reverse("appendix:version", kwargs={"pk": world.agreement.pk, "number": number})


def _text(response: Any) -> str:
    """The page's visible text, whitespace collapsed (for phrases split over template lines)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("&nbsp;", " "))


# E-mails on publishing -------------------------------------------------------------------


def test_publishing_emails_the_owners_of_both_sides_in_their_language(
    modelled: World, django_capture_on_commit_callbacks: Any
) -> None:
    modelled.supplier_owner.language = "en"
    modelled.supplier_owner.save()
    # A second customer owner who has left: inactive people are not written to.
    gone = UserFactory(email="gone@norrlandia.example", full_name="Gunnar Gått", is_active=False)
    Participant.objects.create(
        agreement=modelled.agreement, user=gone, side="customer", role="owner"
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = _publish(modelled, "Ny styrgrupp")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["karin@norrlandia.example", "peter@driftpartner.example"]
    link = "http://127.0.0.1:8000" + _version_url(modelled, version.number)
    swedish = by_recipient["karin@norrlandia.example"]
    assert swedish.subject == "Version 1 av samverkansbilagan för DRIFT-2025 väntar på godkännande"
    assert link in swedish.body
    assert "Ny styrgrupp" in swedish.body
    assert "kunden (Norrlandia Försäkring AB)" in swedish.body
    assert "Du har publicerat version 1" in swedish.body  # Karin published it herself
    english = by_recipient["peter@driftpartner.example"]
    assert (
        english.subject == "Version 1 of the collaboration appendix for DRIFT-2025 awaits approval"
    )
    assert link in english.body
    assert "the supplier (Driftpartner Norden AB)" in english.body
    assert "Karin Lindqvist has published version 1" in english.body


def test_publishing_emails_neither_viewers_editors_admins_nor_outsiders(
    modelled: World, django_capture_on_commit_callbacks: Any
) -> None:
    Participant.objects.create(
        agreement=modelled.agreement,
        user=modelled.customer_colleague,
        side="customer",
        role="editor",
    )
    with django_capture_on_commit_callbacks(execute=True):
        _publish(modelled)
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"karin@norrlandia.example", "peter@driftpartner.example"}
    for outsider in (
        modelled.supplier_viewer,
        modelled.customer_colleague,
        modelled.org_admin,
        modelled.other_supplier_user,
    ):
        assert outsider.email not in recipients


def test_the_email_goes_out_after_the_version_is_saved(
    modelled: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _publish(modelled)
    assert mail.outbox == []  # queued for after the commit, not sent inside the transaction
    assert len(callbacks) == 1


# Who can approve ---------------------------------------------------------------------------


def test_approvers_are_the_active_owners_of_a_side(modelled: World) -> None:
    gone = UserFactory(email="gone@norrlandia.example", full_name="Gunnar Gått", is_active=False)
    Participant.objects.create(
        agreement=modelled.agreement, user=gone, side="customer", role="owner"
    )
    assert selectors.appendix_approvers(agreement=modelled.agreement, side="customer") == [
        modelled.customer_owner
    ]
    assert selectors.appendix_approvers(agreement=modelled.agreement, side="supplier") == [
        modelled.supplier_owner
    ]


def test_owner_who_can_approve_is_told_so_and_offered_the_confirmation(
    modelled: World, client_for: Any
) -> None:
    _publish(modelled)
    page = client_for(modelled.customer_owner).get(_version_url(modelled))
    text = _text(page)
    assert "Du kan godkänna version 1 för kunden." in text
    assert "Jag har läst version 1 och godkänner den för kunden Norrlandia Försäkring AB" in text
    assert 'name="confirm"' in page.content.decode()
    assert "Leverantör: väntar på godkännande" in text
    assert "Kan godkänna för leverantören: Peter Nyström" in text


def test_viewer_is_told_who_can_approve_for_each_side(modelled: World, client_for: Any) -> None:
    modelled.supplier_viewer.language = "en"
    modelled.supplier_viewer.save()
    _publish(modelled)
    page = client_for(modelled.supplier_viewer).get(_version_url(modelled))
    text = _text(page)
    assert "You cannot approve this version: only the agreement's owners approve" in text
    assert "Can approve for the customer: Karin Lindqvist" in text
    assert "Can approve for the supplier: Peter Nyström" in text
    assert 'name="confirm"' not in page.content.decode()


def test_after_approving_the_owner_sees_their_side_done_and_who_remains(
    modelled: World, client_for: Any
) -> None:
    version = _publish(modelled)
    _approve(modelled, version, modelled.customer_owner)
    text = _text(client_for(modelled.customer_owner).get(_version_url(modelled)))
    assert "Din sida har godkänt versionen." in text
    assert "Kan godkänna för leverantören: Peter Nyström" in text
    assert "Kan godkänna för kunden" not in text


def test_superseded_version_says_it_can_no_longer_be_approved(
    modelled: World, client_for: Any
) -> None:
    _publish(modelled)
    _change_objectives(modelled, "Kortare ledtider")
    _publish(modelled, "Andra")
    page = client_for(modelled.customer_owner).get(_version_url(modelled, 1))
    text = _text(page)
    assert "Version 1 har ersatts av version 2 och kan inte längre godkännas." in text
    assert 'name="confirm"' not in page.content.decode()
    assert "väntar på godkännande" not in text  # it no longer waits for anything


def test_side_without_an_owner_is_named_as_such(modelled: World, client_for: Any) -> None:
    Participant.objects.filter(agreement=modelled.agreement, user=modelled.supplier_owner).update(
        role="editor"
    )
    _publish(modelled)
    text = _text(client_for(modelled.customer_owner).get(_version_url(modelled)))
    assert "Leverantören har ingen ägare i avtalet som kan godkänna" in text


# Confirming ---------------------------------------------------------------------------------


def test_approving_without_the_confirmation_approves_nothing(
    modelled: World, client_for: Any
) -> None:
    version = _publish(modelled)
    url = reverse("appendix:approve", kwargs={"pk": modelled.agreement.pk, "number": 1})
    client = client_for(modelled.customer_owner)
    refused = client.post(url)
    assert refused.status_code == 400
    assert "Kryssa i rutan" in refused.content.decode()
    assert not version.approvals.exists()
    accepted = client.post(url, {"confirm": "on"})
    assert accepted.status_code == 302
    assert list(version.approvals.values_list("side", flat=True)) == ["customer"]


# Status wording ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "awaiting", "rejected"),
    [("sv", "väntar på godkännande", "inte godkänd"), ("en", "awaiting approval", "not approved")],
)
def test_a_side_that_has_not_approved_reads_as_awaiting_not_rejected(
    modelled: World, client_for: Any, language: str, awaiting: str, rejected: str
) -> None:
    modelled.supplier_viewer.language = language
    modelled.supplier_viewer.save()
    version = _publish(modelled)
    _approve(modelled, version, modelled.customer_owner)
    client = client_for(modelled.supplier_viewer)
    for url in (
        reverse("appendix:appendix", kwargs={"pk": modelled.agreement.pk}),
        _version_url(modelled),
    ):
        text = _text(client.get(url))
        supplier = "Leverantör" if language == "sv" else "Supplier"
        assert f"{supplier}: {awaiting}" in text
        assert rejected not in text.lower()


# Publishing the same version twice --------------------------------------------------------


def test_publishing_a_version_identical_to_the_one_before_is_refused(modelled: World) -> None:
    _publish(modelled)
    with pytest.raises(ValidationError) as refused:
        _publish(modelled, "Samma igen")
    assert refused.value.code == "unchanged"
    assert "Nothing has changed since version 1" in " ".join(refused.value.messages)
    assert modelled.agreement.appendix_versions.count() == 1
    _change_objectives(modelled, "Kortare ledtider")
    assert _publish(modelled, "Nytt mål").number == 2


def test_page_and_api_refuse_an_identical_version_with_a_message(
    modelled: World, client_for: Any
) -> None:
    _publish(modelled)
    client = client_for(modelled.customer_owner)
    page = client.post(
        reverse("appendix:publish", kwargs={"pk": modelled.agreement.pk}),
        {"change_summary": "Samma igen", "accept_errors": "on"},
    )
    assert page.status_code == 400
    assert "Ingenting har ändrats sedan version 1" in page.content.decode()
    api = client.post(
        f"/api/v1/agreements/{modelled.agreement.pk}/appendix/versions",
        json.dumps({"change_summary": "Samma igen", "accept_errors": True}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "Ingenting har ändrats sedan version 1" in json.dumps(api.json(), ensure_ascii=False)
    assert modelled.agreement.appendix_versions.count() == 1


# The diff ignores order that means nothing ---------------------------------------------------


def test_diff_ignores_a_reordering_of_a_forums_members_and_of_raci() -> None:
    old = {
        "forums": [{"key": "sg", "name": "Styrgrupp", "members": ["a", "b", "c"]}],
        "processes": [{"key": "cm", "name": "Ändringar", "raci": {"a": "R", "b": "A"}}],
    }
    new = {
        "forums": [{"key": "sg", "name": "Styrgrupp", "members": ["c", "a", "b"]}],
        "processes": [{"key": "cm", "name": "Ändringar", "raci": {"b": "A", "a": "R"}}],
    }
    assert snapshot_diff(old, new) == []
    new["forums"][0]["members"] = ["c", "a"]
    (change,) = snapshot_diff(old, new)
    assert [f.field for f in change.fields] == ["members"]


def test_moving_a_role_changes_the_role_order_but_no_forums_members(modelled: World) -> None:
    forum = Forum.objects.get(agreement=modelled.agreement, key="steering-group")
    sponsor = Role.objects.get(agreement=modelled.agreement, key="executive-sponsor")
    partner = Role.objects.get(agreement=modelled.agreement, key="strategic-partner")
    model.forum_update(forum=forum, actor=None, version=forum.version, members=[sponsor, partner])
    first = _publish(modelled)
    members = next(f["members"] for f in first.snapshot["forums"] if f["key"] == forum.key)
    assert members == ["strategic-partner", "executive-sponsor"]
    model.part_move(part=sponsor, actor=None, offset=-1)  # both are strategic: they swap
    second = _publish(modelled, "Ny ordning")
    members = next(f["members"] for f in second.snapshot["forums"] if f["key"] == forum.key)
    assert members == ["executive-sponsor", "strategic-partner"]  # the snapshot follows the roles
    changes = snapshot_diff(first.snapshot, second.snapshot)
    assert [(c.section, [f.field for f in c.fields]) for c in changes] == [("roles", ["order"])]


# The approval page of the document ------------------------------------------------------------


def _approved(world: World) -> Any:
    version = _publish(world)
    _approve(world, version, world.customer_owner)
    _approve(world, version, world.supplier_owner)
    version.refresh_from_db()
    return version


def _stamp(approval: Any) -> str:
    return timezone.localtime(approval.approved_at).strftime("%Y-%m-%d %H:%M")


def _digest(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_approval_leaves_the_snapshot_untouched(modelled: World) -> None:
    version = _publish(modelled)
    before = json.dumps(version.snapshot, sort_keys=True)
    _approve(modelled, version, modelled.customer_owner)
    _approve(modelled, version, modelled.supplier_owner)
    version.refresh_from_db()
    assert json.dumps(version.snapshot, sort_keys=True) == before
    assert version.snapshot_digest == _digest(version.snapshot)


def test_approving_adds_the_approval_page_and_changes_nothing_before_it(modelled: World) -> None:
    from samverkan.documents.model import Heading

    def before_approval_page(document: Any) -> list[Any]:
        blocks = document.blocks
        at = next(
            i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.anchor == "approval"
        )
        return list(blocks[:at])

    version = _publish(modelled)
    unapproved = version_document(version, "sv")
    _approve(modelled, version, modelled.customer_owner)
    _approve(modelled, version, modelled.supplier_owner)
    version.refresh_from_db()
    approved = version_document(version, "sv")
    assert before_approval_page(approved) == before_approval_page(unapproved)
    assert approved.blocks != unapproved.blocks  # the approval page names the approvers
    # Rebuilt on every download, the same bytes each time.
    assert render_docx(approved) == render_docx(version_document(version, "sv"))


def _expected_lines(world: World, version: Any) -> list[str]:
    customer = version.approvals.get(side="customer")
    supplier = version.approvals.get(side="supplier")
    return [
        "Godkännande",
        "Karin Lindqvist",
        _stamp(customer),
        "Peter Nyström",
        _stamp(supplier),
        "Norrlandia Försäkring AB",
        "Driftpartner Norden AB",
        _digest(version.snapshot),
    ]


def test_approved_docx_records_who_approved_for_each_side_and_when(modelled: World) -> None:
    version = _approved(modelled)
    word = docx.Document(io.BytesIO(render_docx(version_document(version, "sv"))))
    text = "\n".join(
        [p.text for p in word.paragraphs]
        + [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    )
    for line in _expected_lines(modelled, version):
        assert line in text, line


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_approved_pdf_records_who_approved_for_each_side_and_when(
    modelled: World, tmp_path: Path
) -> None:
    version = _approved(modelled)
    source = tmp_path / "v1.pdf"
    source.write_bytes(render_pdf(version_document(version, "sv")))
    text = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary file
        ["pdftotext", "-enc", "UTF-8", str(source), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    for line in _expected_lines(modelled, version):
        # pdftotext may break the 64-digit fingerprint across lines
        assert line in flat or line in re.sub(r"\s+", "", text), line


def test_approved_html_records_who_approved_for_each_side_and_when(modelled: World) -> None:
    version = _approved(modelled)
    html = render_html(version_document(version, "sv"))
    for line in _expected_lines(modelled, version):
        assert line in html, line


def test_the_version_page_and_download_carry_the_approvals(
    modelled: World, client_for: Any
) -> None:
    version = _approved(modelled)
    client: Client = client_for(modelled.supplier_viewer)
    assert _digest(version.snapshot) in client.get(_version_url(modelled)).content.decode()
    download = client.get(
        reverse(
            "appendix:version_download",
            kwargs={"pk": modelled.agreement.pk, "number": 1, "fmt": "html"},
        )
        + "?lang=en"
    )
    body = download.content.decode()
    assert "Approval" in body and "Peter Nyström" in body


def test_unapproved_side_reads_as_no_approval_recorded_in_the_document(modelled: World) -> None:
    version = _publish(modelled)
    _approve(modelled, version, modelled.customer_owner)
    text = version_document(version, "en").plain_text()
    assert "Karin Lindqvist" in text
    assert "No approval recorded" in text
    assert "not approved" not in text.lower()


def test_a_draft_has_no_approval_page(modelled: World) -> None:
    from samverkan.appendix.views import draft_document

    text = draft_document(modelled.agreement, "en").plain_text()
    assert "Approval of this version" not in text


# The start page's question ----------------------------------------------------------------------


def test_versions_awaiting_approval_are_those_awaiting_the_users_side(
    modelled: World, django_assert_num_queries: Any
) -> None:
    version = _publish(modelled)
    other = services.appendix_publish(
        agreement=modelled.other_agreement,
        actor=modelled.customer_owner,
        change_summary="Första",
        accept_errors=True,
    )
    with django_assert_num_queries(1):
        awaiting = list(selectors.versions_awaiting_approval(modelled.customer_owner))
    assert {v.pk for v in awaiting} == {version.pk, other.pk}
    assert {v.awaiting_side for v in awaiting} == {"customer"}
    _approve(modelled, version, modelled.customer_owner)
    assert [v.pk for v in selectors.versions_awaiting_approval(modelled.customer_owner)] == [
        other.pk
    ]
    assert [v.pk for v in selectors.versions_awaiting_approval(modelled.supplier_owner)] == [
        version.pk
    ]
    assert list(selectors.versions_awaiting_approval(modelled.supplier_viewer)) == []
    assert list(selectors.versions_awaiting_approval(modelled.org_admin)) == []
    # A newer version replaces the older one in the list.
    _change_objectives(modelled, "Kortare ledtider")
    newer = _publish(modelled, "Andra")
    assert [v.pk for v in selectors.versions_awaiting_approval(modelled.supplier_owner)] == [
        newer.pk
    ]


# Point 9: the rules page names its source; the opening does not repeat the objectives ------------


def test_rules_page_names_the_article_it_quotes(world: World, client_for: Any) -> None:
    text = _text(client_for(world.customer_owner).get(reverse("appendix_rules")))
    assert "Kontract" in text
    assert "Leva med IT-avtal kräver samverkan och innovation" in text
    assert "2018" in text
    assert "Artikeln:" not in text


def _opening(document: Any) -> str:
    """The text of the first chapter (purpose and objectives), one block per line."""
    from samverkan.documents.model import Document, Heading

    chapters = [i for i, block in enumerate(document.blocks) if isinstance(block, Heading)]
    first = Document(title="", blocks=document.blocks[chapters[0] : chapters[1]])
    return first.plain_text().lower()


def test_opening_does_not_repeat_the_objectives(modelled: World) -> None:
    from samverkan.appendix.views import draft_document

    model.objectives_set(
        agreement=modelled.agreement,
        actor=None,
        texts=["Leverera IT-tjänster med hög kvalitet och driftstabilitet."],
    )
    opening = _opening(draft_document(modelled.agreement, "sv"))
    assert opening.count("hög kvalitet och driftstabilitet") == 1
    model.objectives_set(agreement=modelled.agreement, actor=None, texts=[])
    opening = _opening(draft_document(modelled.agreement, "sv"))
    assert opening.count("hög kvalitet och driftstabilitet") == 1  # the general aim, until agreed


def test_read_the_draft_looks_like_an_action(modelled: World, client_for: Any) -> None:
    page = (
        client_for(modelled.customer_owner)
        .get(reverse("appendix:appendix", kwargs={"pk": modelled.agreement.pk}))
        .content.decode()
    )
    link = re.search(r'<a class="([^"]*)" href="[^"]*/appendix/preview/"', page)
    assert link is not None
    assert "btn-outline-secondary" not in link.group(1)
    assert "btn-primary" in link.group(1) or "btn-outline-primary" in link.group(1)
