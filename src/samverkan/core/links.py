"""Links from data files into the product: "model#forums" → the model page's forums section.

The completeness rules and the intervention playbook name where a fix is made
with these keys; this is the one place that turns them into URLs.
"""

from __future__ import annotations

from django.urls import reverse

TARGETS = {
    "model#objectives": ("collaboration:model", "#objectives"),
    "model#roles": ("collaboration:model", "#roles"),
    "model#forums": ("collaboration:model", "#forums"),
    "model#processes": ("collaboration:model", "#processes"),
    "model#escalation": ("collaboration:model", "#escalation"),
    "relationship": ("relationships:detail", ""),
}


def agreement_link(agreement_pk: int, link: str) -> str:
    """The URL of ``link`` for an agreement; an unknown key links to the model page."""
    name, anchor = TARGETS.get(link, ("collaboration:model", ""))
    return reverse(name, kwargs={"pk": agreement_pk}) + anchor
