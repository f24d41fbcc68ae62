"""The pages of negotiation cases: my cases, opening one, the overview with its marks and
the facts from the relationship, each step saved (texts, rows added and removed, the
options matrix, the goal grid), a form shown again with its errors and its input, a
stale version, the team, and the documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samverkan.accounts.models import User
from samverkan.negotiation import services
from samverkan.negotiation.forms import StepForms
from samverkan.negotiation.models import Case, Document, Interest, Member, Option, OptionScore
from samverkan.negotiation.selectors import STEP_KEYS, case_content, step_states
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.negotiation.filled import filled_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english(world: World) -> Any:
    """The personas read English (the pages follow each person's language)."""
    User.objects.update(language="en")
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


def new_case(w: World) -> Case:
    return services.case_create(
        organisation=w.customer,
        actor=w.customer_owner,
        title="Förnyelse av driftavtalet",
        kind="renewal",
        agreement=w.agreement,
        role="Förhandlingsledare",
    )


def step_url(case: Case, step: str) -> str:
    return reverse("negotiation:step", args=[case.pk, step])


def as_posted(forms: StepForms) -> dict[str, Any]:
    """What a browser sends for the step's form as shown (nothing changed)."""
    data: dict[str, Any] = {"version": forms.version["version"].value()}
    parts: list[Any] = [forms.texts, forms.grid]
    for formset in forms.lists.values():
        management = formset.management_form
        data.update(
            {management[name].html_name: management[name].value() for name in management.fields}
        )
        parts.extend(formset.forms)
    for form in parts:
        if form is None:
            continue
        for field in form:
            value = field.value()
            data[field.html_name] = "" if value is None else value
    return data


def shown(client: Client, case: Case, step: str) -> dict[str, Any]:
    response = client.get(step_url(case, step))
    assert response.status_code == 200
    return as_posted(response.context["forms"])


def test_the_cases_list_shows_my_cases_only_with_their_steps_complete(
    world: World, client_for: Any
) -> None:
    mine = filled_case(world)
    other = services.case_create(
        organisation=world.customer, actor=world.org_admin, title="Annat ärende", kind="change"
    )
    client = client_for(world.customer_owner)
    response = client.get(reverse("negotiation:cases"))
    html = response.content.decode()
    assert mine.title in html and other.title not in html
    assert re.search(rf'id="case-{mine.pk}".*?data-complete="8"', html, re.S)
    assert "DRIFT-2025" in html and "Norrlandia Försäkring AB" in html and "Renewal" in html
    # The same number of queries for one case and for five.
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("negotiation:cases"))
    for _n in range(4):
        filled_case(world)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("negotiation:cases"))
    assert response.content.decode().count('data-complete="8"') == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_main_navigation_leads_to_the_cases(world: World, client_for: Any) -> None:
    html = client_for(world.supplier_viewer).get(reverse("home")).content.decode()
    assert f'href="{reverse("negotiation:cases")}">Negotiations</a>' in html


def test_opening_a_case_offers_only_agreements_one_takes_part_in(
    world: World, client_for: Any
) -> None:
    client = client_for(world.supplier_owner)
    form = client.get(reverse("negotiation:new")).context["form"]
    assert list(form.fields["agreement"].queryset) == [world.agreement]
    # The organisation is the person's only one: not asked.
    assert form.fields["organisation"].widget.is_hidden
    refused = client.post(
        reverse("negotiation:new"),
        {
            "organisation": world.supplier.pk,
            "title": "",
            "kind": "renewal",
            "agreement": world.other_agreement.pk,  # not theirs
            "role": "Kundansvarig",
        },
    )
    assert refused.status_code == 200 and not Case.objects.exists()
    assert refused.context["form"].errors.keys() == {"title", "agreement"}
    assert 'value="Kundansvarig"' in refused.content.decode()
    opened = client.post(
        reverse("negotiation:new"),
        {
            "organisation": world.supplier.pk,
            "title": "Förnyelse 2027",
            "kind": "renewal",
            "agreement": world.agreement.pk,
            "role": "Kundansvarig",
        },
    )
    case = Case.objects.get()
    assert opened.url == reverse("negotiation:case", args=[case.pk])
    assert (case.organisation, case.agreement, case.created_by) == (
        world.supplier,
        world.agreement,
        world.supplier_owner,
    )
    assert Member.objects.get(case=case).role == "Kundansvarig"


def test_a_case_links_only_an_agreement_its_organisation_is_a_party_to(world: World) -> None:
    """A person of two organisations cannot link one organisation's case to the other's
    agreement (an adviser organisation may: it prepares for its clients)."""
    MembershipFactory(user=world.other_supplier_user, organisation=world.customer)
    with pytest.raises(Exception) as caught:
        services.case_create(
            organisation=world.other_supplier,
            actor=world.other_supplier_user,
            title="Fel avtal",
            kind="change",
            agreement=world.agreement,  # the customer's, visible to nobody at Kodkraft anyway
        )
    assert "agreement" in caught.value.message_dict  # type: ignore[attr-defined]


def test_the_overview_shows_the_steps_their_marks_and_why_they_are_thin(
    world: World, client_for: Any
) -> None:
    case = new_case(world)
    response = client_for(world.customer_owner).get(reverse("negotiation:case", args=[case.pk]))
    html = response.content.decode()
    titles = [state.title for state in response.context["states"]]
    assert titles == [
        "Good preparation",
        "Understand the context and background",
        "Define the challenge",
        "Be clear about what you want, your interests",
        "Evaluate and assess the alternatives",
        "Check against interests and the goals set",
        "Prepare fallback plans",
        "Execute the plan (who, what and how)",
    ]
    assert "0 of 8 complete" in html
    assert "The team has only one person: add the negotiation team." in html
    assert "Describe the market situation." in html
    for key in STEP_KEYS:
        assert step_url(case, key) in html


def test_the_facts_from_the_relationship_show_only_to_members_who_see_the_agreement(
    world: World, client_for: Any
) -> None:
    case = filled_case(world)
    adviser_org = OrganisationFactory(name="Inköpsrådgivarna AB", kind="adviser")
    adviser = UserFactory(email="eva@radgivarna.example", full_name="Eva Rådgivare")
    MembershipFactory(user=adviser, organisation=adviser_org)
    services.member_add(case=case, user=adviser, role="Rådgivare")
    url = reverse("negotiation:case", args=[case.pk])
    owner_page = client_for(world.customer_owner).get(url)
    assert owner_page.context["facts"], "the registry's facts for a participant"
    html = owner_page.content.decode()
    assert 'id="facts"' in html and "Facts from the relationship" in html
    assert reverse("agreements:detail", args=[world.agreement.pk]) in html
    adviser_page = client_for(adviser).get(url)
    assert adviser_page.status_code == 200
    adviser_html = adviser_page.content.decode()
    assert adviser_page.context["facts"] == [] and 'id="facts"' not in adviser_html
    # The case names its agreement, but links only for those who may open it.
    assert "DRIFT-2025" in adviser_html
    assert reverse("agreements:detail", args=[world.agreement.pk]) not in adviser_html


def test_a_member_saves_the_texts_of_a_step(world: World, client_for: Any) -> None:
    case = new_case(world)
    client = client_for(world.customer_owner)
    data = shown(client, case, "context")
    data |= {
        "history": "Sju år av stabil drift.",
        "market": "Tre jämförbara leverantörer.",
        "previous_agreements": "Driftavtalet 2018.",
        "counterparty": "Driftpartner behöver referenskunder.",
    }
    response = client.post(step_url(case, "context"), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.market == "Tre jämförbara leverantörer."
    states = {state.key: state for state in step_states(case_content(case))}
    assert states["context"].complete


def test_a_stale_step_shows_the_standard_message_and_keeps_the_input(
    world: World, client_for: Any
) -> None:
    case = new_case(world)
    client = client_for(world.customer_owner)
    data = shown(client, case, "challenge")
    services.case_update(case=case, version=None, problem="Någon annans text.")
    data |= {"problem": "Min formulering av problemet.", "success": "Ett nytt avtal."}
    response = client.post(step_url(case, "challenge"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this while you were editing." in html
    assert "Min formulering av problemet." in html and "Ett nytt avtal." in html
    case.refresh_from_db()
    assert case.problem == "Någon annans text."


def test_interests_are_added_removed_and_kept_with_errors_shown_beside_them(
    world: World, client_for: Any
) -> None:
    case = new_case(world)
    client = client_for(world.customer_owner)
    data = shown(client, case, "interests")
    assert data["interests-TOTAL_FORMS"] == 1  # one empty row to start with
    data |= {"interests-0-text": "Stabil drift", "interests-0-priority": "5"}
    # "Add an interest": one more row, nothing saved, what was typed kept.
    added = client.post(step_url(case, "interests"), {**data, "rows": "interests-add"})
    assert added.status_code == 200 and not Interest.objects.exists()
    forms = added.context["forms"]
    assert forms.lists["interests"].total_form_count() == 2
    assert "Not saved yet" in added.content.decode()
    data = as_posted(forms)
    assert data["interests-0-text"] == "Stabil drift" and data["interests-1-priority"] == "3"
    data |= {
        "interests-1-side": "theirs",
        "interests-1-text": "Längre avtalstid",
        "interests-1-relation": "conflicting",
    }
    saved = client.post(step_url(case, "interests"), data)
    assert saved.status_code == 302
    ours, theirs = Interest.objects.filter(case=case).order_by("position")
    assert (ours.text, ours.priority, ours.side) == ("Stabil drift", 5, "ours")
    assert (theirs.side, theirs.relation, theirs.priority) == ("theirs", "conflicting", 3)
    # Remove the first row, then save: the first interest is gone, the second kept (its id).
    data = shown(client, case, "interests")
    removed = client.post(step_url(case, "interests"), {**data, "rows": "interests-remove-0"})
    data = as_posted(removed.context["forms"])
    assert (
        str(data["interests-TOTAL_FORMS"]) == "2" and data["interests-0-text"] == "Längre avtalstid"
    )
    assert client.post(step_url(case, "interests"), data).status_code == 302
    assert list(Interest.objects.filter(case=case)) == [theirs]
    # A problem from the service is shown beside its row's field, the input kept.
    data = shown(client, case, "interests") | {"interests-1-text": "x" * 501}
    refused = client.post(step_url(case, "interests"), data)
    assert refused.status_code == 400
    row = refused.context["forms"].lists["interests"].forms[1]
    assert row.errors["text"]
    assert list(Interest.objects.filter(case=case)) == [theirs]


def test_the_options_matrix_is_saved_and_shows_the_weighted_totals_and_ranks(
    world: World, client_for: Any
) -> None:
    case = new_case(world)
    ours, theirs = services.interests_set(
        case=case,
        version=None,
        interests=[
            {"side": "ours", "text": "Stabil drift", "priority": 5, "relation": "shared"},
            {
                "side": "theirs",
                "text": "Längre avtalstid",
                "priority": 2,
                "relation": "conflicting",
            },
        ],
    )
    client = client_for(world.customer_owner)
    data = shown(client, case, "alternatives")
    data |= {"options-0-name": "Förlänga oförändrat"}
    data = as_posted(
        client.post(step_url(case, "alternatives"), {**data, "rows": "options-add"}).context[
            "forms"
        ]
    )
    data |= {"options-1-name": "Skärpta villkor", "options-1-description": "Nya viten."}
    assert client.post(step_url(case, "alternatives"), data).status_code == 302
    first, second = Option.objects.filter(case=case).order_by("position")
    # The matrix now has a cell per option and interest.
    data = shown(client, case, "alternatives")
    data |= {
        f"score-{first.pk}-{ours.pk}": "2",
        f"score-{first.pk}-{theirs.pk}": "5",
        f"score-{second.pk}-{ours.pk}": "5",
        f"score-{second.pk}-{theirs.pk}": "4",
    }
    assert client.post(step_url(case, "alternatives"), data).status_code == 302
    assert OptionScore.objects.filter(case=case).count() == 4
    response = client.get(step_url(case, "alternatives"))
    html = response.content.decode()
    # (5×2 + 2×5) / 7 = 2.857… → 2.86; (5×5 + 2×4) / 7 = 4.714… → 4.71
    first_row = re.search(rf'id="matrix-option-{first.pk}".*?</tr>', html, re.S)
    second_row = re.search(rf'id="matrix-option-{second.pk}".*?</tr>', html, re.S)
    assert first_row and second_row
    assert re.search(r"data-total>2.86<.*data-rank>2<", first_row.group(0), re.S)
    assert re.search(r"data-total>4.71<.*data-rank>1<", second_row.group(0), re.S)
    assert step_states(case_content(case))[4].complete
    # Removing an option drops its scores with it.
    data = as_posted(
        client.post(
            step_url(case, "alternatives"),
            {**shown(client, case, "alternatives"), "rows": "options-remove-0"},
        ).context["forms"]
    )
    assert client.post(step_url(case, "alternatives"), data).status_code == 302
    assert list(Option.objects.filter(case=case)) == [second]
    assert OptionScore.objects.filter(case=case).count() == 2


def test_the_goal_grid_shows_the_goals_each_option_misses(world: World, client_for: Any) -> None:
    case = filled_case(world)
    client = client_for(world.customer_owner)
    content = case_content(case)
    unchanged = next(row for row in content.options if row.option.name == "Förlänga oförändrat")
    html = client.get(step_url(case, "check")).content.decode()
    row = re.search(rf'id="goal-option-{unchanged.option.pk}".*?</tr>', html, re.S)
    assert row and "Tillgänglighet minst 99,7 %" in row.group(0).split("data-missed")[1]
    # Mark it as meeting every goal.
    data = shown(client, case, "check")
    for goal in content.goals:
        data[f"check-{unchanged.option.pk}-{goal.pk}"] = "meets"
    assert client.post(step_url(case, "check"), data).status_code == 302
    html = client.get(step_url(case, "check")).content.decode()
    row = re.search(rf'id="goal-option-{unchanged.option.pk}".*?</tr>', html, re.S)
    assert row and "Meets every goal" in row.group(0)


def test_fallback_and_execute_save_their_texts_and_rows(world: World, client_for: Any) -> None:
    case = new_case(world)
    client = client_for(world.customer_owner)
    data = shown(client, case, "fallback") | {
        "batna": "Upphandla på nytt.",
        "walk_away": "Högst 2 % dyrare.",
        "fallbacks-0-issue": "Vitesnivåerna",
        "fallbacks-0-plan": "Kortare avtalstid.",
    }
    assert client.post(step_url(case, "fallback"), data).status_code == 302
    data = shown(client, case, "execute") | {
        "actions-0-who": "Karin Lindqvist",
        "actions-0-what": "Boka mötet",
        "actions-0-when": "2027-01-15",
        "actions-0-status": "underway",
    }
    assert client.post(step_url(case, "execute"), data).status_code == 302
    case.refresh_from_db()
    states = {state.key: state.complete for state in step_states(case_content(case))}
    assert states["fallback"] and states["execute"]
    # A row without its date: refused beside the field, the input kept.
    data = shown(client, case, "execute") | {"actions-0-when": ""}
    refused = client.post(step_url(case, "execute"), data)
    assert refused.status_code == 400
    assert refused.context["forms"].lists["actions"].forms[0].errors["when"]
    assert "Boka mötet" in refused.content.decode()


def test_an_unknown_step_is_404(world: World, client_for: Any) -> None:
    case = new_case(world)
    response = client_for(world.customer_owner).get(f"/negotiation/{case.pk}/steps/tuning/")
    assert response.status_code == 404


# The team ----------------------------------------------------------------------------------------


def test_owners_add_change_and_remove_members(world: World, client_for: Any) -> None:
    case = new_case(world)
    client = client_for(world.customer_owner)
    add = reverse("negotiation:member_add", args=[case.pk])
    response = client.post(add, {"email": "LARS@norrlandia.example", "role": "Ekonomi"})
    assert response.status_code == 302
    lars = Member.objects.get(case=case, user=world.customer_colleague)
    assert lars.role == "Ekonomi" and not lars.owner
    # The counterparty and a stranger's address are refused alike, beside the field.
    for email in (world.supplier_owner.email, "ingen@nowhere.example"):
        refused = client.post(add, {"email": email, "role": ""})
        assert refused.status_code == 400
        assert refused.context["add_form"].errors["email"] == [
            "Only people of Norrlandia Försäkring AB and of an adviser organisation can be "
            "added to the case."
        ]
    change = reverse("negotiation:member_change", args=[case.pk, lars.pk])
    response = client.post(
        change, {f"m{lars.pk}-role": "Ekonomiansvarig", f"m{lars.pk}-owner": "on"}
    )
    assert response.status_code == 302
    lars.refresh_from_db()
    assert lars.role == "Ekonomiansvarig" and lars.owner
    # A member who is not an owner sees the team but may not change it.
    services.member_change(member=lars, role="Ekonomi", owner=False)
    lars_client = client_for(world.customer_colleague)
    page = lars_client.get(reverse("negotiation:members", args=[case.pk]))
    assert page.status_code == 200 and 'id="member-add"' not in page.content.decode()
    assert lars_client.post(add, {"email": world.org_admin.email}).status_code == 403
    # The last owner cannot be removed; Lars can.
    karin = Member.objects.get(case=case, user=world.customer_owner)
    remove = reverse("negotiation:member_remove", args=[case.pk, karin.pk])
    assert client.post(remove).status_code == 302
    assert Member.objects.filter(pk=karin.pk).exists()
    client.post(reverse("negotiation:member_remove", args=[case.pk, lars.pk]))
    assert not Member.objects.filter(pk=lars.pk).exists()
    assert lars_client.get(reverse("negotiation:case", args=[case.pk])).status_code == 404


# Documents ---------------------------------------------------------------------------------------


def test_members_add_download_and_remove_documents(
    world: World, client_for: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    case = new_case(world)
    services.member_add(case=case, user=world.customer_colleague, role="Ekonomi")
    client = client_for(world.customer_colleague)
    add = reverse("negotiation:documents", args=[case.pk])
    response = client.post(add, {"file": SimpleUploadedFile("Prisjämförelse å.pdf", PDF)})
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert (document.name, document.content_type, document.uploaded_by) == (
        "Prisjämförelse å.pdf",
        "application/pdf",
        world.customer_colleague,
    )
    download = client_for(world.customer_owner).get(
        reverse("negotiation:document", args=[case.pk, document.pk])
    )
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    # A file that is not what its name says is refused by name; nothing stored.
    refused = client.post(add, {"file": SimpleUploadedFile("Kalkyl.xlsx", b"not a zip")})
    assert (
        refused.status_code == 400 and "“Kalkyl.xlsx” does not contain" in refused.content.decode()
    )
    assert Document.objects.count() == 1
    stored = [path for path in media.rglob("*") if path.is_file()]
    assert len(stored) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("negotiation:document_remove", args=[case.pk, document.pk]))
    assert not Document.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_a_document_of_another_case_is_404(world: World, client_for: Any) -> None:
    case, other = new_case(world), new_case(world)
    from samverkan.negotiation.document_services import document_add

    document = document_add(
        case=other, actor=world.customer_owner, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    client = client_for(world.customer_owner)
    assert (
        client.get(reverse("negotiation:document", args=[case.pk, document.pk])).status_code == 404
    )
    remove = reverse("negotiation:document_remove", args=[case.pk, document.pk])
    assert client.post(remove).status_code == 404
