"""Demo collaboration appendices: two versions per demo agreement, the first approved
by both sides, the second awaiting approval after a small change to the model.

Published once per agreement (when it has no version yet), so that loading the
demo again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from samverkan.accounts.models import User
from samverkan.agreements.access import agreement_access
from samverkan.agreements.models import Agreement
from samverkan.appendix.models import AppendixVersion
from samverkan.appendix.services import appendix_approve, appendix_publish
from samverkan.collaboration import services as model
from samverkan.collaboration.models import Forum
from samverkan.core import registry
from samverkan.core.audit import audit_action

# Appendix versions: the first approved by both sides, the second awaiting approval.
SECOND_VERSION = {
    "DEMO-UTILITY": "Kortare lösningstid i det operativa mötet: tre dagar i stället för fem.",
    "DEMO-ENHANCEMENT": "Samverkansrådet möts varannan vecka under införandet av nya releaser.",
    "DEMO-FRONTIER": "Nytt mål för innovationstakten i det gemensamma teamet.",
}
SUPPLIER_OWNERS = {
    "DEMO-UTILITY": "peter.nystrom@driftpartner.example",
    "DEMO-ENHANCEMENT": "sara.oberg@kodkraft.example",
    "DEMO-FRONTIER": "sofia.wallin@molnbro.example",
}


def load_appendix(agreement: Agreement, users: Mapping[str, User]) -> None:
    """Version 1 published and approved by both sides; a change; version 2 awaiting approval."""
    if AppendixVersion.objects.filter(agreement=agreement).exists():
        return
    reference = agreement.reference
    customer, supplier = users["kund@example.com"], users[SUPPLIER_OWNERS[reference]]
    with audit_action(actor=customer):
        first = appendix_publish(
            agreement=agreement,
            actor=customer,
            change_summary="Första versionen av samverkansbilagan, framtagen i samverkansrådet.",
            accept_errors=True,
        )
    for person in (customer, supplier):
        access = agreement_access(person, agreement)
        assert access is not None
        with audit_action(actor=person):  # each owner approves for their own side
            appendix_approve(version=first, access=access, actor=person)
    with audit_action(actor=customer):
        if reference == "DEMO-UTILITY":
            steps = [
                (
                    step.forum,
                    3 if step.forum.key == "operations-meeting" else step.resolve_within_days,
                )
                for step in agreement.escalation_steps.select_related("forum").order_by("position")
            ]
            model.escalation_set(agreement=agreement, actor=customer, steps=steps)
        elif reference == "DEMO-ENHANCEMENT":
            forum = Forum.objects.get(agreement=agreement, key="collaboration-council")
            model.forum_update(
                forum=forum, actor=customer, version=forum.version, cadence="biweekly"
            )
        else:
            texts = list(agreement.objectives.values_list("text", flat=True))
            texts.append(
                "Minst sex gemensamma idéer per kvartal, varav två genomförda med mätbar effekt."
            )
            model.objectives_set(agreement=agreement, actor=customer, texts=texts)
    with audit_action(actor=customer):
        appendix_publish(
            agreement=agreement,
            actor=customer,
            change_summary=SECOND_VERSION[reference],
            accept_errors=True,
        )


# After the innovation framework too (by its key, without importing it), so that the
# published versions contain it.
DEMO = registry.DemoContent(
    key="appendix", load=load_appendix, after=("collaboration", "innovation")
)
