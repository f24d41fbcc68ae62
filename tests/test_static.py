"""Production serves our own stylesheet: collectstatic must find it."""

from django.contrib.staticfiles import finders


def test_own_static_files_are_found_for_collectstatic() -> None:
    assert finders.find("samverkan/samverkan.css")
    assert finders.find("samverkan/icon.svg")
    assert finders.find("bootstrap/css/bootstrap.min.css")
