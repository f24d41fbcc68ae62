from __future__ import annotations

from samverkan.agreements.models import Agreement
from samverkan.relationships.models import Relationship


def relationship_or_blank(agreement: Agreement) -> Relationship:
    """The stored relationship, or a blank one: reading never writes."""
    try:
        return agreement.relationship
    except Relationship.DoesNotExist:
        return Relationship(agreement=agreement)
