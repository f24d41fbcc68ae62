from django.contrib import admin
from django.urls import include, path, re_path

from samverkan.api.api import api, api_not_found
from samverkan.appendix import views as appendix_views
from samverkan.core import views as core_views
from samverkan.health import views as health_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("language/", core_views.set_language, name="set_language"),
    path("accounts/", include("samverkan.accounts.urls")),
    path("agreements/", include("samverkan.agreements.urls")),
    path("agreements/<int:pk>/model/", include("samverkan.collaboration.urls")),
    path("agreements/<int:pk>/relationship/", include("samverkan.relationships.urls")),
    path("agreements/<int:pk>/appendix/", include("samverkan.appendix.urls")),
    path("appendix/checks/", appendix_views.rules, name="appendix_rules"),
    path("agreements/<int:pk>/health/", include("samverkan.health.urls")),
    path("agreements/<int:pk>/innovation/", include("samverkan.innovation.urls")),
    path("negotiation/", include("samverkan.negotiation.urls")),
    path("health/survey/", health_views.instrument_page, name="health_instrument"),
    path("survey/<str:token>/", health_views.survey_page, name="health_survey"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_not_found, name="api_not_found"),
    path("admin/", admin.site.urls),
]
