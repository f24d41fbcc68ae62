"""Pages every installation has: the health check, the start page and the static files."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import World


def test_health_endpoint_reports_ok_without_sign_in(db: None) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_start_page_is_my_work(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).get("/")
    assert response.status_code == 200
    assert "<h1>Mitt arbete</h1>" in response.content.decode()


def test_pages_load_css_and_scripts_from_the_app_itself(world: World, client_for: Any) -> None:
    page = client_for(world.customer_owner).get("/agreements/").content.decode()
    assert "https://" not in page.split("<body")[0]
    for asset in (
        "/static/bootstrap/css/bootstrap.min.css",
        "/static/samverkan/samverkan.css",
        "/static/bootstrap/js/bootstrap.bundle.min.js",
    ):
        assert asset in page
        assert Client().get(asset).status_code == 200


def test_pages_forbid_framing(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).get("/agreements/")
    assert response["X-Frame-Options"] == "DENY"
