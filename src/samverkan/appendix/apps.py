from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppendixConfig(AppConfig):
    name = "samverkan.appendix"
    label = "appendix"
    verbose_name = _("Collaboration appendix")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.appendix import completeness, history, revisions, surfaces
        from samverkan.appendix.models import AppendixVersion, Approval

        auditlog.register(AppendixVersion, exclude_fields=["snapshot"])
        auditlog.register(Approval)
        completeness.load()  # fail at start, not on first use, when the rules file is broken
        revisions.connect()  # every change to what a snapshot holds gives it a new revision
        history.register()  # how the agreement's history tells versions and approvals
        surfaces.register()  # tab, overview panel, Mitt arbete, agenda, portfolio, facts, demo
