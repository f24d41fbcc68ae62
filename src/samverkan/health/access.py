"""Who reaches relationship health's own objects: rounds by number, answers by personal link.

Decided here, by the capability that owns them, with the access module's helpers
(``samverkan.agreements.access``), which know no capability.
"""

from __future__ import annotations

from samverkan.agreements.access import AgreementAccess, agreement_part_numbered, linked_object
from samverkan.health import tokens
from samverkan.health.models import Invitation, Round


def health_round_for(access: AgreementAccess, number: int) -> Round:
    """A health round of the agreement by its number, or 404."""
    return agreement_part_numbered(access, Round, number)


def survey_invitation_for(token: str) -> Invitation:
    """The invitation behind a personal survey link, or 404: the link is the only credential.

    Looked up by the token's hash; a used link still resolves, so the page can say
    it has been used, but it can never answer again (``health_response_submit``).
    """
    return linked_object(
        Invitation.objects.select_related(
            "round__agreement__customer", "round__agreement__supplier", "user"
        ),
        token,
        tokens.token_hash,
        field="token_hash",
    )
