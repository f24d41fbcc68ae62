"""Included at ``negotiation/`` with the namespace "negotiation": a case is reached by its
id, and answers 404 to everyone who is not on it."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "negotiation"

urlpatterns: list[URLPattern] = []
