"""The demo's negotiation cases: Norrlandia's renewal of DEMO-UTILITY complete in all eight
steps with the customer's demo login as owner, Molnbro's case on DEMO-FRONTIER that the
customer's demo login never sees, and loading the demo again changes nothing."""

from __future__ import annotations

import pytest
from django.http import Http404

from samverkan.accounts.models import User
from samverkan.core import demo
from samverkan.negotiation.access import case_for, cases_of
from samverkan.negotiation.brief import case_brief
from samverkan.negotiation.models import Action, Case, Member, Option
from samverkan.negotiation.selectors import case_content, step_states

pytestmark = pytest.mark.django_db


def test_the_demo_cases_and_who_sees_them() -> None:
    demo.load()
    counts = (Case.objects.count(), Member.objects.count(), Action.objects.count())
    karin = User.objects.get(email="kund@example.com")
    johan = User.objects.get(email="leverantor@example.com")
    renewal = Case.objects.get(agreement__reference="DEMO-UTILITY")
    frontier = Case.objects.get(agreement__reference="DEMO-FRONTIER")
    assert renewal.organisation.name == "Norrlandia Försäkring AB" and renewal.kind == "renewal"
    assert frontier.organisation.name == "Molnbro Digital AB"

    access = case_for(karin, renewal.pk)
    assert access.is_owner
    content = case_content(renewal)
    assert all(state.complete for state in step_states(content))
    assert len(content.members) == 4 and all(member.role for member in content.members)
    assert len(content.options) >= 3 and all(row.total for row in content.options)
    assert content.options[0].option.name == "Förnya med skärpta servicenivåer och samverkan"
    assert content.options[0].missed == []
    assert any(row.missed for row in content.options)
    assert "99,4\xa0%" in renewal.history and "uppfattningsglapp" in renewal.history

    # The supplier's case: its own team; the customer's login never reaches it.
    assert list(cases_of(karin)) == [renewal]
    with pytest.raises(Http404):
        case_for(karin, frontier.pk)
    assert list(cases_of(johan)) == [frontier]
    with pytest.raises(Http404):
        case_for(johan, renewal.pk)
    emails = set(Member.objects.filter(case=frontier).values_list("user__email", flat=True))
    assert all(email.endswith("molnbro.example") or email == johan.email for email in emails)
    thin = [state.key for state in step_states(case_content(frontier)) if not state.complete]
    assert thin == ["fallback"]

    # The brief shows the agreement's facts to Karin, who takes part in DEMO-UTILITY.
    text = case_brief(access, user=karin, language="sv").plain_text()
    assert "Fakta från avtalet" in text and "Leverantörsrelation" in text
    assert "Innovationstakt" in text and "0,25 idéer per kvartal" in text
    assert "Hälsokontroll 2026" in text

    demo.load()
    assert (Case.objects.count(), Member.objects.count(), Action.objects.count()) == counts
    assert Option.objects.filter(case=renewal).count() == 4
