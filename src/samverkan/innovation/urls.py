"""Included at ``agreements/<int:pk>/innovation/`` with the namespace "innovation"."""

from django.urls import path

from samverkan.innovation import views

app_name = "innovation"

urlpatterns = [
    path("", views.framework_page, name="framework"),
    path("edit/", views.framework_edit, name="edit"),
]
