"""The people impact of an approved idea in a browser, in Swedish, as the supplier's editor,
with every control of the section: the affected groups, each resistance radio and the
reason (refused without it, the input kept), saving; the warning on the idea, its board
card (whose link leads back) and the overview; an engagement action added (the warning
goes), edited, an edit cancelled, marked done and not done, removed (the warning comes
back); a stale edit refused with the typed text kept; resistance lowered. The page guard
fails the test on any CSP violation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.collaboration.services import forum_from_template, model_seed
from samverkan.innovation.idea_services import idea_propose, idea_transition
from samverkan.innovation.models import EngagementAction, Idea, PeopleImpact
from samverkan.innovation.people_services import people_impact_save, people_of
from samverkan.innovation.services import framework_save
from tests.e2e.test_agreements_browser import sign_in
from tests.innovation.conftest import framework_fields

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SAMVERKAN_SHOTS")  # a folder: screenshots at 1280 and 390 px
WARNING = "Högt motstånd, ingen åtgärd planerad"


def _shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"people-{name}-{width}.png"), full_page=True)
        if page.locator("#people").count():  # the section alone, to read it closely
            page.locator("#people").screenshot(
                path=str(Path(SHOTS) / f"people-{name}-section-{width}.png")
            )
    page.set_viewport_size({"width": 1280, "height": 900})


def _approved(w: Any) -> Idea:
    model_seed(agreement=w.agreement)
    forum_from_template(agreement=w.agreement, actor=None, template="steering-group")
    forum_from_template(agreement=w.agreement, actor=None, template="collaboration-council")
    framework_save(agreement=w.agreement, actor=None, version=0, **framework_fields(w))
    idea = idea_propose(
        agreement=w.agreement,
        actor=w.customer_owner,
        title="Handläggarråd som provar nya funktioner före release",
        area="employees",
        problem="Handläggarna möter nya funktioner först när de är i drift.",
        proposal="Ett råd med fem handläggare som provar varje ny funktion före release.",
        cost=40000,
    )
    for to, reason in (("evaluation", ""), ("approved", "Engagemanget avgör effekten.")):
        idea = idea_transition(
            idea=idea, actor=w.customer_owner, to=to, reason=reason, version=idea.version
        )
    return idea


def test_an_editor_handles_the_people_impact_with_every_control(
    page: Page, live_world: Any, live_server: Any
) -> None:
    w = live_world
    idea = _approved(w)
    base = f"{live_server.url}/agreements/{w.agreement.pk}"
    sign_in(page, live_server.url, w.supplier_owner.email)
    page.goto(f"{base}/innovation/ideas/{idea.number}/")
    section = page.locator("#people")
    expect(section.get_by_role("heading", name="Påverkan på medarbetare")).to_be_visible()
    expect(page.locator("#people-form")).to_be_visible()  # nothing recorded: the form is open
    expect(page.locator("#people-warning")).to_have_count(0)

    # Every resistance radio; high without its reason is refused, the input kept.
    page.locator("#id_people-affected_groups").fill("Skadehandläggarna, omkring 120 personer.")
    page.get_by_role("radio", name="Lågt", exact=True).check()
    page.get_by_role("radio", name="Medelhögt", exact=True).check()
    page.get_by_role("radio", name="Högt", exact=True).check()
    page.get_by_role("button", name="Spara påverkan på medarbetarna").click()
    expect(page.locator("#id_people-resistance_reason_error")).to_have_text(
        "Beskriv varför ni förväntar er det här motståndet."
    )
    expect(page.locator("#id_people-affected_groups")).to_have_value(
        "Skadehandläggarna, omkring 120 personer."
    )
    expect(page.get_by_role("radio", name="Högt", exact=True)).to_be_checked()
    page.locator("#id_people-resistance_reason").fill(
        "Handläggarna har inte fått vara med i tidigare förändringar."
    )
    page.get_by_role("button", name="Spara påverkan på medarbetarna").click()
    expect(page.locator(".alert-success")).to_contain_text("Påverkan på medarbetarna har sparats.")
    expect(page.locator("#people-resistance")).to_have_text("Högt")
    expect(page.locator("#people-groups")).to_have_text("Skadehandläggarna, omkring 120 personer.")
    expect(page.locator("#people-warning")).to_contain_text(
        "Högt motstånd, ingen engagemangsåtgärd."
    )
    expect(page.locator("#people-form")).to_be_hidden()  # recorded: the form folds away
    _shoot(page, "idea-warning")

    # The board's card says it too, and its link leads back to the section.
    page.goto(f"{base}/innovation/board/")
    flag = page.locator(f"#idea-{idea.number}").get_by_role("link", name=WARNING)
    expect(flag).to_be_visible()
    _shoot(page, "board-warning")
    flag.click()
    expect(page).to_have_url(f"{base}/innovation/ideas/{idea.number}/#people")
    # So does the agreement's overview, naming and linking the idea.
    page.goto(f"{base}/")
    engagement = page.locator("#innovation-engagement")
    expect(engagement).to_contain_text("1 godkänd idé väntas möta högt motstånd")
    _shoot(page, "overview")
    engagement.get_by_role("link", name=f"{idea.number}. {idea.title}").click()

    # An engagement action: the add form is open while the idea is flagged.
    page.locator("#people-warning").get_by_role("link", name="Planera en engagemangsåtgärd").click()
    expect(page.locator("#people-add-form")).to_be_visible()
    page.get_by_role("button", name="Lägg till åtgärden").click()  # empty: refused
    expect(page.locator("#id_new-action_error")).to_be_visible()
    page.locator("#id_new-action").fill("Workshop med gruppcheferna")
    page.locator("#id_new-owner").select_option(label="Karin Lindqvist (Norrlandia Försäkring AB)")
    page.locator("#id_new-due").fill("2027-03-15")
    page.get_by_role("button", name="Lägg till åtgärden").click()
    expect(page.locator(".alert-success")).to_contain_text("Engagemangsåtgärden har lagts till.")
    expect(page.locator("#people-warning")).to_have_count(0)
    action = EngagementAction.objects.get(idea=idea)
    row = page.locator(f"#action-{action.pk}")
    expect(row).to_contain_text("Workshop med gruppcheferna")
    expect(row).to_contain_text("Karin Lindqvist · 2027-03-15")
    _shoot(page, "idea-actions")

    # Edit it.
    row.get_by_text("Redigera").click()
    page.locator(f"#id_action-{action.pk}-action").fill(
        "Workshop med gruppcheferna och skyddsombud"
    )
    page.locator(f"#id_action-{action.pk}-owner").select_option(
        label="Peter Nyström (Driftpartner Norden AB)"
    )
    page.locator(f"#id_action-{action.pk}-due").fill("2027-03-22")
    row.get_by_role("button", name="Spara åtgärden").click()
    expect(page.locator(".alert-success")).to_contain_text("Engagemangsåtgärden har ändrats.")
    expect(row).to_contain_text("Workshop med gruppcheferna och skyddsombud")
    expect(row).to_contain_text("Peter Nyström · 2027-03-22")

    # Cancel an edit: nothing changes, the form folds away.
    row.get_by_text("Redigera").click()
    page.locator(f"#id_action-{action.pk}-action").fill("Något helt annat")
    row.get_by_role("link", name="Avbryt").click()
    expect(page.locator(f"#id_action-{action.pk}-action")).to_be_hidden()
    expect(row).to_contain_text("Workshop med gruppcheferna och skyddsombud")
    assert EngagementAction.objects.get(pk=action.pk).action.endswith("skyddsombud")
    row.get_by_text("Redigera").click()  # opened again: what was typed is gone
    expect(page.locator(f"#id_action-{action.pk}-action")).to_have_value(
        "Workshop med gruppcheferna och skyddsombud"
    )
    row.get_by_role("link", name="Avbryt").click()
    # The same for the people impact's own form.
    page.get_by_text("Ändra påverkan på medarbetarna").click()
    page.locator("#id_people-affected_groups").fill("Utkast som inte ska sparas")
    page.locator("#people-cancel").click()
    expect(page.locator("#people-form")).to_be_hidden()
    expect(page.locator("#people-groups")).to_have_text("Skadehandläggarna, omkring 120 personer.")

    # Mark done and not done.
    row.get_by_role("button", name="Markera som klar").click()
    expect(row.locator(".badge")).to_have_text("Klar")
    row.get_by_role("button", name="Markera som inte klar").click()
    expect(row.locator(".badge")).to_have_count(0)

    # A stale edit: someone else saves the impact while this form is open.
    page.get_by_text("Ändra påverkan på medarbetarna").click()
    page.locator("#id_people-affected_groups").fill("Min version av grupperna")
    people_impact_save(
        idea=idea,
        actor=w.customer_owner,
        affected_groups="Karins version",
        resistance="high",
        resistance_reason="Handläggarna har inte fått vara med.",
        version=people_of(idea).version,
    )
    page.get_by_role("button", name="Spara påverkan på medarbetarna").click()
    expect(page.locator("#people-form .sv-error-summary")).to_contain_text(
        "Någon annan ändrade detta"
    )
    expect(page.locator("#id_people-affected_groups")).to_have_value("Min version av grupperna")
    assert PeopleImpact.objects.get(idea=idea).affected_groups == "Karins version"

    # Remove the action: the warning comes back.
    page.goto(f"{base}/innovation/ideas/{idea.number}/")
    page.locator(f"#action-{action.pk}").get_by_role("button", name="Ta bort").click()
    expect(page.locator(".alert-success")).to_contain_text("Engagemangsåtgärden har tagits bort.")
    expect(page.locator("#people-no-actions")).to_be_visible()
    expect(page.locator("#people-warning")).to_be_visible()

    # Lower the resistance: the warning goes.
    page.get_by_text("Ändra påverkan på medarbetarna").click()
    page.get_by_role("radio", name="Lågt", exact=True).check()
    page.get_by_role("button", name="Spara påverkan på medarbetarna").click()
    expect(page.locator("#people-resistance")).to_have_text("Lågt")
    expect(page.locator("#people-warning")).to_have_count(0)
    page.goto(f"{base}/innovation/board/")
    expect(page.locator(f"#idea-{idea.number}").get_by_role("link", name=WARNING)).to_have_count(0)


def test_a_viewer_reads_the_people_impact_without_controls(
    page: Page, live_world: Any, live_server: Any
) -> None:
    w = live_world
    idea = _approved(w)
    people_impact_save(
        idea=idea,
        actor=w.customer_owner,
        affected_groups="Kundtjänst",
        resistance="high",
        resistance_reason="Nya rutiner.",
        version=0,
    )
    sign_in(page, live_server.url, w.supplier_viewer.email)
    page.goto(f"{live_server.url}/agreements/{w.agreement.pk}/innovation/ideas/{idea.number}/")
    expect(page.locator("#people-warning")).to_contain_text("Se påverkan på medarbetarna")
    expect(page.locator("#people-groups")).to_have_text("Kundtjänst")
    expect(page.locator("#people-no-actions")).to_be_visible()
    expect(page.locator("#people form")).to_have_count(0)
