"""A missing page or a crash shows the product's own page, in the demo and in production."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from tests.conftest import World

pytestmark = pytest.mark.django_db


def _crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("crash/", _crash),
    path("", include("samverkan.urls")),
]


@pytest.mark.parametrize(
    "debug, debug_pages", [(True, False), (False, False)], ids=["demo", "production"]
)
def test_missing_page_is_the_products_own_page_in_swedish(
    world: World, client_for: Any, debug: bool, debug_pages: bool
) -> None:
    with override_settings(DEBUG=debug, DEBUG_ERROR_PAGES=debug_pages):
        response = client_for(world.customer_owner).get("/agreements/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Sidan kan inte hittas" in body
    assert "Gå till Mitt arbete" in body
    assert "URLconf" not in body and "samverkan.urls" not in body  # no list of every URL


def test_developers_keep_djangos_debug_page_when_they_ask_for_it(
    world: World, client_for: Any
) -> None:
    with override_settings(DEBUG=True, DEBUG_ERROR_PAGES=True):
        response = client_for(world.customer_owner).get("/agreements/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("debug", [True, False], ids=["demo", "production"])
def test_a_crash_shows_a_calm_page_in_both_languages(debug: bool) -> None:
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=debug, DEBUG_ERROR_PAGES=False):
        response = client.get("/crash/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Något gick fel" in body and "Something went wrong" in body
    assert "RuntimeError" not in body and "Traceback" not in body


def test_api_keeps_json_errors_in_the_demo(world: World, client_for: Any) -> None:
    with override_settings(DEBUG=True, DEBUG_ERROR_PAGES=False):
        response = client_for(world.customer_owner).get("/api/v1/agreements/999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_browsers_asking_for_favicon_ico_get_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("samverkan/icon.svg")
