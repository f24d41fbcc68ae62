"""What the relationship type shows on shared surfaces (``samverkan.core.registry``): its
tab, the link to its page, its portfolio column, the facts a negotiation case may show
and its demo content."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess
from samverkan.agreements.models import Agreement
from samverkan.core import registry
from samverkan.core.links import register_link
from samverkan.relationships.models import Relationship, RelationshipType

_ORDER = {value: index for index, value in enumerate(RelationshipType.values)}


def portfolio(user: User, agreements: Sequence[Agreement]) -> Mapping[int, registry.PortfolioCell]:
    """Each agreement's relationship type, in one query; "Not chosen" where there is none."""
    types = dict(
        Relationship.objects.filter(agreement__in=agreements).values_list("agreement_id", "type")
    )
    return {
        agreement.pk: registry.PortfolioCell(
            text=str(RelationshipType(types[agreement.pk]).label)
            if types.get(agreement.pk)
            else _("Not chosen"),
            sort=_ORDER.get(types.get(agreement.pk) or ""),
            tone="" if types.get(agreement.pk) else "warning",
            url=reverse("relationships:detail", args=[agreement.pk]),
        )
        for agreement in agreements
    }


def facts(access: AgreementAccess) -> list[registry.Fact]:
    relationship = Relationship.objects.filter(agreement=access.agreement).first()
    url = reverse("relationships:detail", args=[access.agreement.pk])
    if relationship is None or not relationship.type:
        return [registry.Fact(label=_("Relationship type"), value=_("Not chosen"), url=url)]
    result = [
        registry.Fact(
            label=_("Relationship type"),
            value=str(RelationshipType(relationship.type).label),
            url=url,
        )
    ]
    if relationship.rationale:
        result.append(registry.Fact(label=_("Why this type"), value=relationship.rationale))
    return result


def register() -> None:
    from samverkan.relationships import agreement_file, demo

    registry.register_file_section(agreement_file.SECTION)  # the relationship section
    registry.register_tab(
        registry.Tab(
            key="relationships",
            label=gettext_lazy("Relationship type"),
            url_name="relationships:detail",
            order=100,
            namespaces=("relationships",),
        )
    )
    register_link("relationship", "relationships:detail")
    registry.register_demo(demo.DEMO)
    label = gettext_lazy("Relationship type")
    registry.register_portfolio_column(
        registry.PortfolioColumn(key="relationships", label=label, order=100, values=portfolio)
    )
    registry.register_negotiation_facts(
        registry.NegotiationFacts(key="relationships", label=label, order=100, facts=facts)
    )
