from django.contrib import admin
from django.urls import include, path

from samverkan.api.api import api
from samverkan.appendix import views as appendix_views
from samverkan.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("language/", core_views.set_language, name="set_language"),
    path("accounts/", include("samverkan.accounts.urls")),
    path("agreements/", include("samverkan.agreements.urls")),
    path("agreements/<int:pk>/model/", include("samverkan.collaboration.urls")),
    path("agreements/<int:pk>/relationship/", include("samverkan.relationships.urls")),
    path("agreements/<int:pk>/appendix/", include("samverkan.appendix.urls")),
    path("appendix/checks/", appendix_views.rules, name="appendix_rules"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
