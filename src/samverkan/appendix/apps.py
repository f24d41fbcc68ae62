from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppendixConfig(AppConfig):
    name = "samverkan.appendix"
    label = "appendix"
    verbose_name = _("Collaboration appendix")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from samverkan.appendix import completeness, history, work
        from samverkan.appendix.models import AppendixVersion, Approval
        from samverkan.core import registry

        auditlog.register(AppendixVersion, exclude_fields=["snapshot"])
        auditlog.register(Approval)
        completeness.load()  # fail at start, not on first use, when the rules file is broken
        history.register()  # how the agreement's history tells versions and approvals
        registry.register_work_provider(work.work_items)  # "Mitt arbete": approvals, failing checks
        registry.register_tab(
            registry.Tab(
                key="appendix",
                label=_("Collaboration appendix"),
                url_name="appendix:appendix",
                order=300,
                namespaces=("appendix",),
            )
        )
        from samverkan.appendix import panels

        registry.register_overview_panel(panels.OVERVIEW)
        from samverkan.appendix import demo

        registry.register_demo(demo.DEMO)
