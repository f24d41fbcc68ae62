from django.urls import path

from samverkan.health import views

app_name = "health"

urlpatterns = [
    path("", views.health_page, name="health"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:number>/", views.round_page, name="round"),
    path("rounds/<int:number>/close/", views.round_close, name="round_close"),
    path("rounds/<int:number>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<int:number>/results.<str:fmt>", views.round_export, name="round_export"),
]
