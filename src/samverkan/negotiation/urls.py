"""Included at ``negotiation/`` with the namespace "negotiation": a case is reached by its
id, and answers 404 to everyone who is not on it."""

from django.urls import URLPattern, path

from samverkan.negotiation import brief_views, document_views, member_views, views

app_name = "negotiation"

urlpatterns: list[URLPattern] = [
    path("", views.cases_page, name="cases"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_page, name="case"),
    path("<int:pk>/steps/<slug:step>/", views.step_page, name="step"),
    path("<int:pk>/members/", member_views.members_page, name="members"),
    path("<int:pk>/members/add/", member_views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member>/change/", member_views.member_change, name="member_change"),
    path("<int:pk>/members/<int:member>/remove/", member_views.member_remove, name="member_remove"),
    path("<int:pk>/documents/", document_views.document_add, name="documents"),
    path("<int:pk>/documents/<int:document>/", document_views.document_download, name="document"),
    path(
        "<int:pk>/documents/<int:document>/remove/",
        document_views.document_remove,
        name="document_remove",
    ),
    path("<int:pk>/brief.<str:fmt>", brief_views.brief_download, name="brief"),
]
