"""Included at ``negotiation/`` with the namespace "negotiation": a case is reached by its
id, and answers 404 to everyone who is not on it."""

from django.urls import URLPattern, path

from samverkan.negotiation import brief_views

app_name = "negotiation"

urlpatterns: list[URLPattern] = [
    path("<int:pk>/brief.<str:fmt>", brief_views.brief_download, name="brief"),
]
