"""An idea's attachments: what may be attached (types, content, size, count) and that nothing
is stored on a refusal; who may download, attach and remove; the download's headers and
bytes; the stored file deleted with its row; the history's sentences; the page (list,
upload, refusals, the size guard while the upload streams in, removal), its query count;
and the API (list, multipart upload, download, delete, 4xx with reasons)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samverkan.agreements.access import agreement_for
from samverkan.agreements.history import HistoryFilter, history_all
from samverkan.agreements.models import Participant
from samverkan.core.audit import audit_action
from samverkan.innovation.attachment_services import (
    attachment_add,
    attachment_remove,
    clean_name,
)
from samverkan.innovation.models import Attachment, Idea
from samverkan.lib import limits
from tests.conftest import World
from tests.innovation.test_ideas import idea_world_fixture, propose  # noqa: F401

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
XLSX = b"PK\x03\x04" + b"\x14\x00\x06\x00" + b"kalkyl" * 50
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Every test stores its files in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def stored(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach(
    w: World, idea: Idea, name: str = "Kalkyl.xlsx", content: bytes = XLSX, **kw: Any
) -> Any:
    actor = kw.pop("actor", w.supplier_owner)
    return attachment_add(idea=idea, actor=actor, upload=upload(name, content), **kw)


def _url(w: World, name: str, idea: Idea, *more: int) -> str:
    return reverse(f"innovation:{name}", args=[w.agreement.pk, idea.number, *more])


def _api(w: World, idea: Idea, attachment: int | None = None) -> str:
    base = f"/api/v1/agreements/{w.agreement.pk}/innovation/ideas/{idea.number}/attachments"
    return base if attachment is None else f"{base}/{attachment}"


# What may be attached ---------------------------------------------------------------------


def test_a_file_is_stored_under_a_random_name_and_keeps_its_own(
    idea_world: World, media: Path
) -> None:
    w = idea_world
    idea = propose(w)
    attachment = attach(w, idea, "Kalkyl för prisflödet.xlsx")
    assert attachment.name == "Kalkyl för prisflödet.xlsx"
    assert attachment.size == len(XLSX)
    assert attachment.content_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert attachment.uploaded_by == w.supplier_owner
    files = stored(media)
    assert len(files) == 1 and files[0].read_bytes() == XLSX
    assert files[0].parent == media / "innovation" / str(w.agreement.pk)
    assert "Kalkyl" not in files[0].name  # the person's name is never a path


def test_the_name_loses_folders_and_control_characters_and_is_composed() -> None:
    assert clean_name("C:\\fakepath\\Offert.pdf") == "Offert.pdf"
    assert clean_name("../../etc/Offert.pdf") == "Offert.pdf"
    assert clean_name("Bila\u030agor\u0000.pdf") == "Bilågor.pdf"  # macOS: å as a + ring
    long = clean_name("x" * 300 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Offert.pdf", PDF),
        ("Avtal.docx", XLSX),
        ("Gammal.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20),
        ("Budget.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20),
        ("Presentation.pptx", XLSX),
        ("Protokoll.odt", XLSX),
        ("Skiss.png", PNG),
        ("Foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("Anteckningar.txt", "Mötet den 3 mars: åtgärder.".encode()),
        ("Export.csv", "\ufeffidé;kostnad\n1;100000\n".encode("utf-16")),
        ("Mejl.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20),
        ("Mejl.eml", b"From: karin@norrlandia.example\r\nSubject: Kalkyl\r\n\r\nHej"),
    ],
)
def test_the_files_contract_managers_use_are_accepted(
    idea_world: World, name: str, content: bytes
) -> None:
    w = idea_world
    attachment = attach(w, propose(w), name, content)
    assert attachment.name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Verktyg.exe", b"MZ\x90\x00", "“Verktyg.exe” cannot be attached: the types of file "),
        ("Sida.html", b"<html><script>alert(1)</script>", "“Sida.html” cannot be attached"),
        ("Arkiv.zip", XLSX, "“Arkiv.zip” cannot be attached"),
        ("README", b"text", "“README” cannot be attached"),
        (
            "Offert.pdf",
            b"<html><script>alert(1)</script>",
            "“Offert.pdf” does not contain what its name says (PDF); it has not been attached.",
        ),
        ("Kalkyl.xlsx", PDF, "“Kalkyl.xlsx” does not contain what its name says (Excel)"),
        ("Bild.png", b"\xff\xd8\xff\xe0", "“Bild.png” does not contain what its name says (PNG)"),
        (
            "Data.csv",
            b"PK\x03\x04\x00\x00binary",
            "“Data.csv” does not contain what its name says (text)",
        ),
        ("Tom.pdf", b"", "“Tom.pdf” is empty; it has not been attached."),
    ],
)
def test_other_files_are_refused_naming_the_file_and_nothing_is_stored(
    idea_world: World, media: Path, name: str, content: bytes, message: str
) -> None:
    w = idea_world
    idea = propose(w)
    with pytest.raises(ValidationError) as caught:
        attach(w, idea, name, content)
    assert message in caught.value.message_dict["file"][0]
    assert not Attachment.objects.exists() and stored(media) == []


def test_the_refusal_of_a_type_lists_the_accepted_ones(idea_world: World) -> None:
    w = idea_world
    with pytest.raises(ValidationError) as caught:
        attach(w, propose(w), "Verktyg.exe", b"MZ")
    message = caught.value.message_dict["file"][0]
    assert ".pdf, .docx, .doc, .xlsx, .xls, .pptx" in message and message.endswith(" and .eml.")


def test_a_file_above_10_mib_is_refused_naming_it_and_the_limit(
    idea_world: World, media: Path
) -> None:
    w = idea_world
    idea = propose(w)
    exactly = PDF + b"\x00" * (limits.ATTACHMENT_BYTES_MAX - len(PDF))
    assert attach(w, idea, "Precis.pdf", exactly).size == 10 * MIB
    with pytest.raises(ValidationError) as caught:
        attach(w, idea, "Ritningar.pdf", exactly + b"\x00")
    assert caught.value.message_dict["file"] == [
        "“Ritningar.pdf” is larger than 10 MB, the most one file may be; it has not been attached."
    ]
    assert Attachment.objects.count() == 1 and len(stored(media)) == 1


def test_an_idea_holds_at_most_20_files(idea_world: World, media: Path) -> None:
    w = idea_world
    idea = propose(w)
    for n in range(limits.ATTACHMENTS_MAX):
        attach(w, idea, f"Bilaga {n}.pdf", PDF)
    with pytest.raises(ValidationError) as caught:
        attach(w, idea, "Bilaga 21.pdf", PDF)
    assert caught.value.message_dict["file"] == [
        "An idea may have at most 20 attachments; remove one before attaching “Bilaga 21.pdf”."
    ]
    assert len(stored(media)) == 20
    attach(w, propose(w), "Bilaga 21.pdf", PDF)  # another idea has room of its own


def test_only_participants_attach(idea_world: World) -> None:
    w = idea_world
    with pytest.raises(PermissionDenied):
        attach(w, propose(w), actor=w.other_supplier_user)


# Removing -----------------------------------------------------------------------------------


def test_removing_deletes_the_row_and_on_commit_the_stored_file(
    idea_world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    w = idea_world
    attachment = attach(w, propose(w))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment_remove(attachment=attachment, actor=w.supplier_owner)
    assert not Attachment.objects.exists()
    assert len(stored(media)) == 1  # still there until the removal is committed
    for callback in callbacks:
        callback()
    assert stored(media) == []


def test_the_uploader_or_an_editor_of_their_side_removes_a_file(
    idea_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = idea_world
    idea = propose(w)
    colleague = w.supplier_viewer
    Participant.objects.filter(agreement=w.agreement, user=colleague).update(role="editor")
    first = attach(w, idea, "Första.pdf", PDF)
    with pytest.raises(PermissionDenied) as caught:
        attachment_remove(attachment=first, actor=w.customer_owner)  # the other side
    assert "“Första.pdf” was attached by Peter Nyström" in str(caught.value)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=first, actor=colleague)  # the same side
    own = attach(w, idea, "Kundens.pdf", PDF, actor=w.customer_owner)
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=own, actor=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=own, actor=w.customer_owner)  # the uploader
    assert not Attachment.objects.exists()


def test_a_file_of_someone_who_left_the_agreement_is_removed_by_either_side(
    idea_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = idea_world
    attachment = attach(w, propose(w))
    Participant.objects.filter(agreement=w.agreement, user=w.supplier_owner).delete()
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=w.customer_owner)
    assert not Attachment.objects.exists()


# History ------------------------------------------------------------------------------------


def test_the_history_tells_what_was_attached_and_removed(
    idea_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = idea_world
    idea = propose(w, title="Automatisera prisändringar")
    with audit_action(actor=w.supplier_owner):
        attachment = attach(w, idea, "Kalkyl.xlsx", XLSX)
    with audit_action(actor=w.supplier_owner), django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=w.supplier_owner)
    access = agreement_for(w.customer_owner, w.agreement.pk)
    with translation.override("sv"):
        entries = list(history_all(access=access, filters=HistoryFilter()))
    summaries = [entry.summary for entry in entries]
    assert summaries[:2] == [
        "Peter Nyström tog bort ”Kalkyl.xlsx” från idén ”Automatisera prisändringar”",
        "Peter Nyström bifogade ”Kalkyl.xlsx” till idén ”Automatisera prisändringar”",
    ]
    assert entries[1].details == ("Storlek: 308\xa0byte",)


# The page -----------------------------------------------------------------------------------


def test_the_page_lists_the_files_with_size_who_and_when(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    attachment = attach(w, idea, "Kalkyl å.xlsx", XLSX + b"x" * 2000)
    page = client_for(w.supplier_owner).get(_url(w, "idea", idea)).content.decode()
    assert 'id="attachment-list"' in page
    assert "Kalkyl å.xlsx" in page and "2,3\xa0kB" in page and "Peter Nyström" in page
    assert _url(w, "idea_attachment", idea, attachment.pk) in page
    assert _url(w, "idea_attachment_remove", idea, attachment.pk) in page
    assert 'id="attachment-form"' in page and 'enctype="multipart/form-data"' in page
    # The other side's editor downloads but does not remove it; a viewer only downloads.
    customer = client_for(w.customer_owner).get(_url(w, "idea", idea)).content.decode()
    assert _url(w, "idea_attachment", idea, attachment.pk) in customer
    assert _url(w, "idea_attachment_remove", idea, attachment.pk) not in customer
    assert 'id="attachment-form"' in customer
    viewer = client_for(w.supplier_viewer).get(_url(w, "idea", idea)).content.decode()
    assert _url(w, "idea_attachment", idea, attachment.pk) in viewer
    assert _url(w, "idea_attachment_remove", idea, attachment.pk) not in viewer
    assert 'id="attachment-form"' not in viewer


def test_an_editor_attaches_a_file_on_the_page(
    idea_world: World, client_for: Any, media: Path
) -> None:
    w = idea_world
    idea = propose(w)
    client = client_for(w.customer_owner)
    response = client.post(
        _url(w, "idea_attachments", idea), {"file": upload("Offert från Norrlandia.pdf", PDF)}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/ideas/{idea.number}/#attachments")
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.uploaded_by) == (
        "Offert från Norrlandia.pdf",
        w.customer_owner,
    )
    page = client.get(response["Location"]).content.decode()
    assert "”Offert från Norrlandia.pdf” har bifogats." in page


def test_a_refused_file_is_named_on_the_page_and_not_stored(
    idea_world: World, client_for: Any, media: Path
) -> None:
    w = idea_world
    idea = propose(w)
    client = client_for(w.supplier_owner)
    response = client.post(
        _url(w, "idea_attachments", idea), {"file": upload("Skript.js", b"alert(1)")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="attachment-refusal"' in page and "”Skript.js” kan inte bifogas" in page
    response = client.post(_url(w, "idea_attachments", idea), {})
    assert response.status_code == 400 and "Välj en fil att bifoga." in response.content.decode()
    assert not Attachment.objects.exists() and stored(media) == []


def test_the_page_stops_reading_a_file_past_the_limit_and_names_it(
    idea_world: World, client_for: Any, media: Path
) -> None:
    w = idea_world
    idea = propose(w)
    big = PDF + b"\x00" * (limits.ATTACHMENT_BYTES_MAX + 1)
    response = client_for(w.supplier_owner).post(
        _url(w, "idea_attachments", idea), {"file": upload("Ritningar.pdf", big)}
    )
    assert response.status_code == 400
    assert "”Ritningar.pdf” är större än 10 MB, som är det mesta en fil får vara" in (
        response.content.decode()
    )
    assert not Attachment.objects.exists() and stored(media) == []


def test_the_upload_checks_the_csrf_token_itself(idea_world: World) -> None:
    from django.test import Client

    w = idea_world
    idea = propose(w)
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.supplier_owner)
    response = client.post(_url(w, "idea_attachments", idea), {"file": upload("Offert.pdf", PDF)})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_download_is_always_a_download_under_its_own_name(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    attachment = attach(w, idea, "Kalkyl för åäö.xlsx", XLSX)
    response = client_for(w.supplier_viewer).get(_url(w, "idea_attachment", idea, attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == XLSX
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Kalkyl%20f%C3%B6r%20%C3%A5%C3%A4%C3%B6.xlsx"
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


def test_the_type_served_is_the_accepted_kinds_never_the_browsers(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    client = client_for(w.supplier_owner)
    client.post(
        _url(w, "idea_attachments", idea), {"file": upload("Notes.txt", b"<b>hej</b>", "text/html")}
    )
    attachment = Attachment.objects.get()
    response = client.get(_url(w, "idea_attachment", idea, attachment.pk))
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")


def test_outsiders_and_other_ideas_never_reach_a_file(idea_world: World, client_for: Any) -> None:
    w = idea_world
    idea = propose(w)
    other = propose(w, title="Annan idé")
    attachment = attach(w, idea)
    url = _url(w, "idea_attachment", idea, attachment.pk)
    assert client_for(w.other_supplier_user).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302  # to the sign-in page
    owner = client_for(w.supplier_owner)
    assert owner.get(_url(w, "idea_attachment", other, attachment.pk)).status_code == 404
    assert owner.get(_url(w, "idea_attachment", idea, attachment.pk + 99)).status_code == 404
    # The other agreement's participant asks for it under their own agreement: 404 too.
    foreign = reverse("innovation:idea_attachment", args=[w.other_agreement.pk, 1, attachment.pk])
    assert client_for(w.other_supplier_user).get(foreign).status_code == 404
    remove = _url(w, "idea_attachment_remove", idea, attachment.pk)
    assert client_for(w.other_supplier_user).post(remove).status_code == 404
    assert client_for(w.supplier_viewer).post(remove).status_code == 403
    upload_url = _url(w, "idea_attachments", idea)
    assert (
        client_for(w.supplier_viewer).post(upload_url, {"file": upload("a.pdf", PDF)}).status_code
        == 403
    )
    assert (
        client_for(w.other_supplier_user)
        .post(upload_url, {"file": upload("a.pdf", PDF)})
        .status_code
        == 404
    )
    assert Attachment.objects.count() == 1


def test_a_file_missing_from_storage_is_a_404_not_a_crash(
    idea_world: World, client_for: Any, media: Path
) -> None:
    w = idea_world
    idea = propose(w)
    attachment = attach(w, idea)
    for path in stored(media):
        path.unlink()
    response = client_for(w.supplier_owner).get(_url(w, "idea_attachment", idea, attachment.pk))
    assert response.status_code == 404


def test_removing_on_the_page(
    idea_world: World, client_for: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    w = idea_world
    idea = propose(w)
    attachment = attach(w, idea, "Gammal kalkyl.xlsx")
    url = _url(w, "idea_attachment_remove", idea, attachment.pk)
    assert client_for(w.customer_owner).post(url).status_code == 403  # the other side's
    client = client_for(w.supplier_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert (
        "”Gammal kalkyl.xlsx” har tagits bort." in client.get(response["Location"]).content.decode()
    )
    assert not Attachment.objects.exists() and stored(media) == []
    assert client.get(_url(w, "idea_attachment", idea, attachment.pk)).status_code == 404


def test_the_idea_page_reads_its_files_in_one_query_however_many(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    client = client_for(w.supplier_owner)

    def count(n: int) -> int:
        while Attachment.objects.filter(idea=idea).count() < n:
            attach(w, idea, f"Bilaga {n}.pdf", PDF, actor=w.customer_owner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(w, "idea", idea)).status_code == 200
        return len(queries)

    assert count(1) == count(6)


@pytest.mark.parametrize(
    "page", ["innovation:ideas", "innovation:board", "innovation:ideas_export"]
)
def test_the_list_board_and_export_read_no_attachments(
    idea_world: World, client_for: Any, page: str
) -> None:
    w = idea_world
    ideas = [propose(w, title=f"Idé {n}") for n in range(3)]
    client = client_for(w.customer_owner)
    url = reverse(page, args=[w.agreement.pk])
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for idea in ideas:
        attach(w, idea)
        attach(w, idea, "Offert.pdf", PDF)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
    assert not any("innovation_attachment" in query["sql"] for query in after.captured_queries)


# The API ------------------------------------------------------------------------------------


def test_the_api_lists_uploads_downloads_and_deletes(
    idea_world: World, client_for: Any, media: Path
) -> None:
    w = idea_world
    idea = propose(w)
    client = client_for(w.supplier_owner)
    response = client.post(_api(w, idea), {"file": upload("Offert å.pdf", PDF)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["size"], body["content_type"], body["uploaded_by"]) == (
        "Offert å.pdf",
        len(PDF),
        "application/pdf",
        w.supplier_owner.email,
    )
    listed = client_for(w.supplier_viewer).get(_api(w, idea)).json()
    assert [row["name"] for row in listed] == ["Offert å.pdf"]
    download = client_for(w.customer_owner).get(_api(w, idea, body["id"]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''Offert%20%C3%A5.pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client_for(w.customer_owner).delete(_api(w, idea, body["id"])).status_code == 403
    assert client.delete(_api(w, idea, body["id"])).status_code == 204
    assert client.get(_api(w, idea, body["id"])).status_code == 404
    assert client.get(_api(w, idea)).json() == []


def test_the_api_refuses_with_reasons(idea_world: World, client_for: Any, media: Path) -> None:
    w = idea_world
    idea = propose(w)
    client = client_for(w.supplier_owner)
    wrong = client.post(_api(w, idea), {"file": upload("Verktyg.exe", b"MZ")})
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["path"] == "file"
    assert "”Verktyg.exe” kan inte bifogas" in wrong.json()["detail"]
    missing = client.post(_api(w, idea), {"other": "x"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["path"].endswith("file")
    as_json = client.post(
        _api(w, idea), data=json.dumps({"file": "x"}), content_type="application/json"
    )
    assert as_json.status_code == 415 and "multipart/form-data" in as_json.json()["detail"]
    too_big = client.generic(
        "POST",
        _api(w, idea),
        data=b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(11 * MIB),
    )
    assert too_big.status_code == 413 and "En fil får vara högst 10 MB." in too_big.json()["detail"]
    slightly = client.post(
        _api(w, idea), {"file": upload("Stor.pdf", PDF + b"\x00" * limits.ATTACHMENT_BYTES_MAX)}
    )
    assert (
        slightly.status_code == 400 and "”Stor.pdf” är större än 10 MB" in slightly.json()["detail"]
    )
    viewer = client_for(w.supplier_viewer).post(_api(w, idea), {"file": upload("a.pdf", PDF)})
    assert viewer.status_code == 403
    outsider = client_for(w.other_supplier_user)
    assert outsider.get(_api(w, idea)).status_code == 404
    assert outsider.post(_api(w, idea), {"file": upload("a.pdf", PDF)}).status_code == 404
    assert client.get(_api(w, idea, 999999)).status_code == 404
    assert client.delete(_api(w, idea, 999999)).status_code == 404
    assert not Attachment.objects.exists() and stored(media) == []


def test_the_api_documents_the_upload_as_multipart(client_for: Any, idea_world: World) -> None:
    schema = client_for(idea_world.customer_owner).get("/api/v1/openapi.json").json()
    path = "/api/v1/agreements/{agreement_id}/innovation/ideas/{number}/attachments"
    body = schema["paths"][path]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
    assert {"get", "delete"} <= set(schema["paths"][path + "/{attachment_id}"])
