from django.urls import path

from samverkan.appendix import views

app_name = "appendix"

urlpatterns = [
    path("", views.appendix_page, name="appendix"),
    path("publish/", views.publish, name="publish"),
    path("preview/", views.preview, name="preview"),
    path("draft.<str:fmt>", views.draft_download, name="draft_download"),
    path("diff/", views.diff, name="diff"),
    path("versions/<int:number>/", views.version_page, name="version"),
    path("versions/<int:number>/approve/", views.approve, name="approve"),
    path(
        "versions/<int:number>/appendix.<str:fmt>", views.version_download, name="version_download"
    ),
]
