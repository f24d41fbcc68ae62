"""Included at ``agreements/<int:pk>/relationship/`` with the namespace "relationships"."""

from django.urls import path

from samverkan.relationships import views

app_name = "relationships"

urlpatterns = [
    path("", views.relationship_detail, name="detail"),
    path("questionnaire/", views.relationship_questionnaire, name="questionnaire"),
    path("choose/", views.relationship_choose, name="choose"),
    path("profile/", views.relationship_profile, name="profile"),
    path("apply-defaults/", views.relationship_apply_defaults, name="apply_defaults"),
]
