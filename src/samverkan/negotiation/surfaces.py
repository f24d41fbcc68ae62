"""What negotiation preparation contributes to shared surfaces: only its demo content.

A case is private to its members, so it shows on no shared surface of an agreement
(tab, overview, history, agenda, portfolio): it is reached from the cases list.
"""

from __future__ import annotations


def register() -> None:
    from samverkan.core import registry
    from samverkan.negotiation import demo

    registry.register_demo(demo.DEMO)
