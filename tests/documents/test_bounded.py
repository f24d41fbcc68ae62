"""A document that would take too long is refused with a message; the worker stays free.

The walk that found it: a role with 10,000 responsibilities made every appendix PDF
of the agreement run past gunicorn's timeout; two PDF requests from a *viewer*
blocked the server for 31 s and the workers were killed.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from samverkan.collaboration.services import model_seed
from samverkan.documents import bounded
from samverkan.documents.bounded import DocumentTooLargeError, render_bounded
from samverkan.documents.model import Document
from samverkan.documents.pdf import render_pdf
from tests.agreements.test_api import Api
from tests.conftest import World


def test_an_ordinary_document_is_written_in_process(
    sample: Document, sample_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_child(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("an ordinary document needs no child process")

    monkeypatch.setattr(bounded.subprocess, "run", no_child)
    assert render_bounded(sample, "pdf", seconds=20) == sample_pdf


def test_a_large_document_is_written_by_a_child_with_the_same_bytes(
    sample: Document, sample_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "INLINE_CHARACTERS", 0)
    assert render_bounded(sample, "pdf", seconds=60) == sample_pdf
    assert render_bounded(sample, "docx", seconds=60)[:2] == b"PK"


def test_a_document_past_the_limit_is_refused_and_the_child_stopped(
    sample: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "INLINE_CHARACTERS", 0)
    started = time.monotonic()
    with pytest.raises(DocumentTooLargeError) as refused:
        render_bounded(sample, "pdf", seconds=0.05)
    assert time.monotonic() - started < 5  # the caller did not wait for the child to finish
    assert refused.value.characters == len(sample.plain_text())
    assert render_pdf(sample)  # the in-process writer is not held by anything


@pytest.mark.django_db
def test_the_page_and_the_api_explain_a_document_too_large(
    world: World, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_seed(agreement=world.agreement)
    monkeypatch.setattr(bounded, "INLINE_CHARACTERS", 0)
    with override_settings(DOCUMENT_TIMEOUT_SECONDS=0.05):
        page = client_for(world.supplier_viewer).get(
            reverse("appendix:draft_download", kwargs={"pk": world.agreement.pk, "fmt": "pdf"}),
            HTTP_REFERER=f"http://testserver/agreements/{world.agreement.pk}/appendix/",
        )
        api = Api(world.customer_owner).get(
            f"/api/v1/agreements/{world.agreement.pk}/appendix/draft?format=pdf"
        )
    assert page.status_code == 422
    body = page.content.decode()
    assert "Dokumentet är för stort" in body
    assert f'href="http://testserver/agreements/{world.agreement.pk}/appendix/"' in body
    assert api.status_code == 422
    assert "could not be written" in api.json()["detail"] or "kunde inte" in api.json()["detail"]
    # The same worker answers the next request at once.
    assert (
        client_for(world.supplier_viewer)
        .get(reverse("appendix:appendix", kwargs={"pk": world.agreement.pk}))
        .status_code
        == 200
    )


def test_a_second_large_document_at_the_same_time_is_refused_at_once(
    sample: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst of requests for a huge appendix cannot hold every thread (security review)."""
    monkeypatch.setattr(bounded, "INLINE_CHARACTERS", 0)
    assert bounded._children.acquire(blocking=False)  # one is being written
    try:
        started = time.monotonic()
        with pytest.raises(DocumentTooLargeError) as refused:
            render_bounded(sample, "pdf", seconds=60)
        assert refused.value.busy
        assert time.monotonic() - started < 1
    finally:
        bounded._children.release()
    assert render_bounded(sample, "pdf", seconds=60)[:4] == b"%PDF"
