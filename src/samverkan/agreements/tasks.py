"""Background work of agreements: telling the organisations a proposal concerns, by e-mail.

In production the database backend (``samverkan db_worker``) runs it; tests and
the demo run it immediately.
"""

from __future__ import annotations

from django_tasks import task

from samverkan.agreements.models import Agreement


def _agreement(agreement_id: int) -> Agreement | None:
    return (
        Agreement.objects.select_related("customer", "supplier", "proposed_by")
        .filter(pk=agreement_id)
        .first()
    )


@task()
def send_proposal_requests(agreement_id: int) -> int:
    """E-mail the asked organisation's administrators that a proposal awaits their answer."""
    from samverkan.agreements import services

    agreement = _agreement(agreement_id)
    return services.proposal_requests_send(agreement=agreement) if agreement else 0


@task()
def send_proposal_answer(agreement_id: int) -> int:
    """E-mail the proposer's owners that their proposal was accepted or declined."""
    from samverkan.agreements import services

    agreement = _agreement(agreement_id)
    return services.proposal_answer_send(agreement=agreement) if agreement else 0
