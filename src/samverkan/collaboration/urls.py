from django.urls import path

from samverkan.collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("", views.model_page, name="model"),
    path("raci/", views.raci, name="raci"),
    path("chart/", views.chart, name="chart"),
    path("file/", views.agreement_file, name="file"),
    path("objectives/", views.objectives, name="objectives"),
    path("escalation/", views.escalation, name="escalation"),
    # A section as the page shows it, for refreshes after a change elsewhere. Its own prefix:
    # "objectives/" and "escalation/" are the edit forms of those two sections.
    path("section/<str:kind>/", views.section, name="section"),
    path("<str:kind>/add/", views.part_add, name="part_add"),
    path("<str:kind>/template/", views.part_template, name="part_template"),
    path("<str:kind>/<int:part_pk>/edit/", views.part_edit, name="part_edit"),
    path("<str:kind>/<int:part_pk>/move/", views.part_move, name="part_move"),
    path("<str:kind>/<int:part_pk>/delete/", views.part_delete, name="part_delete"),
]
