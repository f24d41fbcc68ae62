"""What the innovation framework contributes to shared surfaces (``samverkan.core.registry``):
its tab, the link its completeness rule points to, its overview panel, its section of the
agreement file, its part of the appendix's innovation chapter and its demo content."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samverkan.core import registry
from samverkan.core.links import register_link


def register() -> None:
    registry.register_tab(
        registry.Tab(
            key="innovation",
            label=_("Innovation"),
            url_name="innovation:framework",
            order=350,
            namespaces=("innovation",),
        )
    )
    register_link("innovation", "innovation:framework")
