"""What relationship health shows on shared surfaces (``samverkan.core.registry``): its
overview panel, what a forum's meeting should take up, its portfolio column and the facts
a negotiation case may show. Only released figures (the anonymity rules of the round's
results page hold: a withheld mean stays withheld)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess
from samverkan.agreements.models import Agreement
from samverkan.core import registry
from samverkan.core.formatting import format_decimal
from samverkan.core.governance import Level
from samverkan.health import results
from samverkan.health.models import Round, SideFigures
from samverkan.health.selectors import HealthStatus, health_status


def _language() -> str:
    return translation.get_language() or "sv"


def _score(value: float | None) -> str:
    return "–" if value is None else format_decimal(value)


def _means(agreement: Agreement, status: HealthStatus) -> str:
    return _("%(customer)s %(a)s, %(supplier)s %(b)s") % {
        "customer": agreement.customer.name,
        "a": _score(status.customer),
        "supplier": agreement.supplier.name,
        "b": _score(status.supplier),
    }


def overview(access: AgreementAccess) -> Mapping[str, Any]:
    return {"status": health_status(agreement=access.agreement, language=_language())}


def agenda(
    access: AgreementAccess, forum_key: str, level: str, until: datetime.date
) -> list[registry.AgendaItem]:
    """The latest results' large perception gaps go to the strategic and tactical forums;
    an open round to the tactical one, whose members encourage answers."""
    agreement = access.agreement
    status = health_status(agreement=agreement, language=_language())
    items = []
    if status.round is not None and status.flagged and level in (Level.STRATEGIC, Level.TACTICAL):
        items.append(
            registry.AgendaItem(
                kind="health.gaps",
                title=_("Discuss the perception gaps in “%(title)s”")
                % {"title": status.round.title},
                detail=", ".join(status.flagged),
                url=reverse("health:round", args=[agreement.pk, status.round.number]),
                since=timezone.localdate(status.round.closed_at)
                if status.round.closed_at
                else None,
            )
        )
    if status.open_round is not None and level == Level.TACTICAL:
        items.append(
            registry.AgendaItem(
                kind="health.open_round",
                title=_("“%(title)s” is open: encourage everyone invited to answer")
                % {"title": status.open_round.title},
                url=reverse("health:round", args=[agreement.pk, status.open_round.number]),
                due=status.open_round.closes_on,
            )
        )
    return items


def portfolio(user: User, agreements: Sequence[Agreement]) -> Mapping[int, registry.PortfolioCell]:
    """The newest closed round's released overall means per side, for every agreement in
    one query."""
    latest = Round.objects.filter(
        agreement=OuterRef("round__agreement"), closed_at__isnull=False
    ).order_by("-number")
    rows = SideFigures.objects.filter(
        round__agreement__in=agreements, round=Subquery(latest.values("pk")[:1])
    ).values_list("round__agreement_id", "side", "figures")
    means: dict[int, dict[str, float | None]] = {}
    for agreement_id, side, figures in rows:
        means.setdefault(agreement_id, {})[side] = results.Figure.from_json(
            figures.get("overall")
        ).mean
    cells = {}
    for agreement in agreements:
        if agreement.pk not in means:
            continue
        customer = means[agreement.pk].get("customer")
        supplier = means[agreement.pk].get("supplier")
        shown = [value for value in (customer, supplier) if value is not None]
        cells[agreement.pk] = registry.PortfolioCell(
            text=f"{_score(customer)} / {_score(supplier)}",
            sort=min(shown) if shown else None,
            url=reverse("health:health", args=[agreement.pk]),
        )
    return cells


def facts(access: AgreementAccess) -> list[registry.Fact]:
    agreement = access.agreement
    status = health_status(agreement=agreement, language=_language())
    url = reverse("health:health", args=[agreement.pk])
    if status.round is None:
        return [registry.Fact(label=_("Latest results"), value=_("No round has results yet."))]
    result = [
        registry.Fact(label=_("Latest results"), value=status.round.title, url=url),
        registry.Fact(label=_("Overall mean (1–5)"), value=_means(agreement, status), url=url),
    ]
    if status.flagged:
        result.append(
            registry.Fact(label=_("Large perception gap"), value=", ".join(status.flagged), url=url)
        )
    return result


def register() -> None:
    from samverkan.health import demo, work

    registry.register_tab(
        registry.Tab(
            key="health",
            label=gettext_lazy("Relationship health"),
            url_name="health:health",
            order=400,
            namespaces=("health",),
        )
    )
    registry.register_work_provider(work.work_items)  # own survey links, rounds closing
    registry.register_demo(demo.DEMO)
    registry.register_overview_panel(
        registry.OverviewPanel(
            key="health", order=400, template="health/_overview_panel.html", context=overview
        )
    )
    label = gettext_lazy("Relationship health")
    registry.register_agenda_source(
        registry.AgendaSource(key="health", label=label, order=400, items=agenda)
    )
    registry.register_portfolio_column(
        registry.PortfolioColumn(key="health", label=label, order=400, values=portfolio)
    )
    registry.register_negotiation_facts(
        registry.NegotiationFacts(key="health", label=label, order=400, facts=facts)
    )
