from django.urls import path

from samverkan.agreements import file_views, views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("new/counterparts/", views.counterpart_search, name="counterparts"),
    path("import/", file_views.agreement_file_import, name="import"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/decline/", views.proposal_decline, name="proposal_decline"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/end/", views.agreement_end, name="end"),
    path("<int:pk>/history/", views.agreement_history, name="history"),
    path("<int:pk>/history/export/", views.agreement_history_export, name="history_export"),
    path("<int:pk>/participants/add/", views.participant_add, name="participant_add"),
    path(
        "<int:pk>/participants/<int:participant_pk>/role/",
        views.participant_role,
        name="participant_role",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
]
