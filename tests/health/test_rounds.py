"""Rounds from opening to results: links, anonymity, thresholds, live release, reset."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.agreements.models import Participant
from samverkan.collaboration.services import forum_from_template, forum_update, model_seed
from samverkan.health import services
from samverkan.health.models import Answer, FreeText, Invitation, Response, Round
from samverkan.health.results import round_results
from tests.conftest import World
from tests.health.conftest import RoundMaker, answer, enough_people, invite_people

pytestmark = pytest.mark.django_db


def _open(world: World, **kwargs: Any) -> Round:
    kwargs.setdefault("title", "Hälsokontroll hösten 2026")
    kwargs.setdefault("closes_on", timezone.localdate() + datetime.timedelta(days=10))
    if "participants" not in kwargs:  # four of each side: one more than the threshold
        kwargs["participants"] = enough_people(world.agreement, kwargs.get("threshold", 3))
    return services.health_round_open(
        agreement=world.agreement, actor=world.customer_owner, **kwargs
    )


def _links(outbox: list[Any]) -> dict[str, str]:
    return {m.to[0]: re.search(r"http://\S+/survey/\S+/", m.body).group(0) for m in outbox}  # type: ignore[union-attr]


def test_opening_a_round_mails_each_participant_a_personal_link(world: World) -> None:
    world.supplier_owner.language = "en"
    world.supplier_owner.save()
    _open(world)
    links = _links(mail.outbox)
    invited = Participant.objects.filter(agreement=world.agreement)
    assert set(links) == set(invited.values_list("user__email", flat=True))
    assert {world.customer_owner.email, world.supplier_owner.email} <= set(links)
    assert len(set(links.values())) == 8  # four on each side
    by_email = {m.to[0]: m for m in mail.outbox}
    assert by_email[world.customer_owner.email].subject.startswith("Hälsokontroll")
    assert (
        by_email[world.supplier_owner.email].subject == "Relationship health check for DRIFT-2025"
    )
    assert "anonymous" in by_email[world.supplier_owner.email].body


def test_the_database_holds_no_usable_token(world: World) -> None:
    _open(world)
    links = _links(mail.outbox)
    for invitation in Invitation.objects.all():
        assert invitation.token_hash not in "".join(links.values())
        assert invitation.nonce not in "".join(links.values())


def test_an_answer_keeps_no_link_to_the_person(world: World, client_for: Any) -> None:
    _open(world)
    link = _links(mail.outbox)[world.supplier_viewer.email]
    anonymous = client_for(None)
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "Driftpartner Norden AB" in page.content.decode()
    response = anonymous.post(
        link,
        {"s:samarbete_gor_sin_del:self": "4", "recommend": "8", "fungerar": "Snabba svar"},
        follow=True,
    )
    assert "Tack" in response.content.decode()
    stored = Response.objects.get()
    assert stored.side == "supplier"
    assert stored.recommend == 8
    # Nothing in a response, its answers or its free text names or points to the person.
    person = world.supplier_viewer
    fields = (
        {f.name for f in Response._meta.get_fields()}
        | {f.name for f in Answer._meta.get_fields()}
        | {f.name for f in FreeText._meta.get_fields()}
    )
    assert not fields & {"user", "invitation", "participant", "email", "created_at", "answered_at"}
    rows = [*Response.objects.values(), *Answer.objects.values(), *FreeText.objects.values()]
    assert person.email not in str(rows) and str(person.pk) not in {
        str(v)
        for row in rows
        for k, v in row.items()
        if k not in ("id", "round_id", "score", "recommend")
    }


def test_a_link_answers_once(world: World, client_for: Any) -> None:
    _open(world)
    link = _links(mail.outbox)[world.customer_owner.email]
    anonymous = client_for(None)
    anonymous.post(link, {"s:samarbete_gor_sin_del:self": "4"})
    again = anonymous.post(link, {"s:samarbete_gor_sin_del:self": "1"})
    assert "redan använts" in again.content.decode()
    assert Response.objects.count() == 1
    assert Answer.objects.get().score == 4


def test_an_empty_survey_is_refused_and_loses_nothing(world: World, client_for: Any) -> None:
    _open(world)
    link = _links(mail.outbox)[world.customer_owner.email]
    response = client_for(None).post(
        link, {"fungerar": "   ", "s:samarbete_gor_sin_del:other": "x"}
    )
    assert response.status_code == 400
    assert "Besvara minst en fråga" in response.content.decode()
    assert Response.objects.count() == 0
    assert not Invitation.objects.get(user=world.customer_owner).used


def test_the_survey_re_displays_choices_after_an_error(world: World, client_for: Any) -> None:
    _open(world)
    link = _links(mail.outbox)[world.customer_owner.email]
    long_text = "x" * 4001
    response = client_for(None).post(
        link, {"s:samarbete_gor_sin_del:self": "2", "forandra": long_text}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="s:samarbete_gor_sin_del:self" value="2" checked' in html
    assert long_text in html


def test_a_tampered_link_is_not_found(world: World, client_for: Any) -> None:
    _open(world)
    link = _links(mail.outbox)[world.customer_owner.email]
    assert client_for(None).get(link[:-3] + "xx/").status_code == 404


def test_after_the_closing_date_the_link_no_longer_answers(world: World, client_for: Any) -> None:
    round = _open(world)
    link = _links(mail.outbox)[world.customer_owner.email]
    Round.objects.filter(pk=round.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client_for(None).post(link, {"s:samarbete_gor_sin_del:self": "4"})
    assert "avslutad" in response.content.decode()
    assert Response.objects.count() == 0
    assert Round.objects.get(pk=round.pk).closed_at is not None  # closed when due


def test_the_reminder_goes_only_to_those_who_have_not_answered(world: World) -> None:
    round = _open(world)
    answer(Invitation.objects.get(user=world.customer_owner), 4)
    mail.outbox.clear()
    assert services.health_reminder_send(round=round) == 7
    assert {m.to[0] for m in mail.outbox} == set(
        Participant.objects.filter(agreement=world.agreement)
        .exclude(user=world.customer_owner)
        .values_list("user__email", flat=True)
    )
    assert all("Påminnelse" in m.subject for m in mail.outbox)


def test_a_side_with_two_answers_is_withheld_and_with_three_shown(make_round: RoundMaker) -> None:
    round = make_round(customer=[4, 4, 5], supplier=[2, 3])
    data = round_results(round, language="sv")
    assert not data.sides["customer"].withheld
    assert data.sides["customer"].overall.mean == 4.3  # 13 / 3, reported with one decimal
    supplier = data.sides["supplier"]
    assert supplier.withheld and supplier.answered == 2 and supplier.overall.mean is None
    assert all(row.supplier.mean is None and row.gap is None for row in data.dimensions)
    assert data.phase is not None and data.phase.result.phase is None


def test_the_results_page_says_why_a_side_is_withheld(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    round = make_round(customer=[4, 4, 5], supplier=[2, 3])
    html = (
        client_for(world.supplier_viewer)
        .get(f"/agreements/{world.agreement.pk}/health/rounds/{round.number}/")
        .content.decode()
    )
    assert "2 personer har svarat. Siffror visas först när minst 3 har svarat" in html
    assert 'data-testid="figures-customer"' in html
    assert 'data-testid="figures-supplier"' not in html


def test_gap_mirror_phase_and_interventions(make_round: RoundMaker) -> None:
    def customer(statement: str, dimension: str, target: str) -> int:
        if dimension == "kommunikation":
            return 5 if target == "self" else 2  # we communicate well, they do not
        return 4

    def supplier(statement: str, dimension: str, target: str) -> int:
        if dimension == "kommunikation":
            return 5  # the supplier thinks both communicate well
        if dimension == "rollsokning":
            return 2
        return 4

    round = make_round(customer=[customer] * 3, supplier=[supplier] * 3)
    data = round_results(round, language="sv")
    row = next(r for r in data.dimensions if r.key == "kommunikation")
    # customer: self 5 and other 2 on the mirror statements, 5 on relationship ones
    assert row.flagged is (abs(row.gap or 0) >= 1.0)
    mirror = {(m.side, m.dimension): m for m in data.mirror}
    supplier_seen = mirror[("supplier", "kommunikation")]
    assert supplier_seen.self_view.mean == 5 and supplier_seen.other_view.mean == 2
    assert supplier_seen.classification == "blind_spot"
    assert mirror[("customer", "kommunikation")].classification == "agreed_strength"
    assert data.phase is not None
    assert data.phase.result.phase == "rollsokning"
    assert data.phase.means["rollsokning"] == pytest.approx(3.0)
    # The flagged gap comes first, then the phase the group has not passed.
    assert row.flagged
    assert "kommunikation" in data.interventions[0].because
    becauses = [i.because for i in data.interventions]
    first_phase = next(i for i, because in enumerate(becauses) if "rollsokning" in because)
    assert all("kommunikation" in because for because in becauses[:first_phase])


def test_the_group_falls_back_to_tillhora_when_a_forums_members_change(
    make_round: RoundMaker, world: World
) -> None:
    model_seed(agreement=world.agreement)
    forum = forum_from_template(agreement=world.agreement, actor=None, template="steering-group")
    round = make_round(customer=[5, 5, 5], supplier=[5, 5, 5])
    assert round_results(round, language="sv").phase.result.phase == "oppenhet"  # type: ignore[union-attr]
    forum_update(
        forum=forum, actor=None, version=forum.version, members=[world.agreement.roles.first()]
    )
    phase = round_results(round, language="sv").phase
    assert phase is not None
    # The round's own result stays what its answers said; the warning says where the group is.
    assert phase.result.phase == "oppenhet" and phase.back_to == "tillhora"
    assert phase.reset_reasons == ["forum_members"]


def test_live_figures_move_only_after_three_new_answers(world: World) -> None:
    invite_people(world.agreement, "customer", 6)
    round = _open(world, live_results=True)
    invitations = list(round.invitations.filter(side="customer").order_by("pk"))
    for invitation in invitations[:3]:
        answer(invitation, 4)
    shown = round_results(round, language="sv").sides["customer"]
    assert shown.overall.mean == 4 and shown.shown == 3
    answer(invitations[3], 1)
    answer(invitations[4], 1)
    still = round_results(round, language="sv").sides["customer"]
    assert still.overall.mean == 4 and still.shown == 3 and still.answered == 5
    answer(invitations[5], 1)
    moved = round_results(round, language="sv").sides["customer"]
    assert moved.shown == 6 and moved.overall.mean == pytest.approx(2.5)


def test_closing_a_live_round_does_not_expose_late_answers(world: World) -> None:
    invite_people(world.agreement, "customer", 4)
    round = _open(world, live_results=True)
    invitations = list(round.invitations.filter(side="customer").order_by("pk"))
    for invitation in invitations[:3]:
        answer(invitation, 4)
    answer(invitations[3], 1)
    round = services.health_round_close(round=round)
    customer = round_results(round, language="sv").sides["customer"]
    assert customer.answered == 4 and customer.shown == 3 and customer.overall.mean == 4


def test_a_group_inside_a_side_is_withheld_below_the_threshold(make_round: RoundMaker) -> None:
    def only_two_judge_leadership(index: int) -> Any:
        return lambda s, d, t: (None if index == 2 else 2) if d == "ledarskap" else 4

    round = make_round(customer=[only_two_judge_leadership(i) for i in range(3)])
    rows = {r.key: r for r in round_results(round, language="sv").dimensions}
    assert rows["ledarskap"].customer.withheld and rows["ledarskap"].customer.mean is None
    assert rows["samarbete"].customer.mean == 4


def test_the_threshold_can_be_raised_but_never_lowered(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _open(world, threshold=2)
    round = _open(world, threshold=5)
    assert round.min_group == 5


def test_own_statements_are_asked_and_reported(make_round: RoundMaker) -> None:
    round = make_round(
        customer=[4] * 5, supplier=[3] * 5, own_statements=["Vi firar framgångar tillsammans."]
    )
    data = round_results(round, language="sv")
    own = data.statements["own"][0]
    assert own.text == "Vi firar framgångar tillsammans."
    assert own.customer.mean == 4 and own.supplier.mean == 3  # a statement is shown from five


def test_results_page_queries_do_not_grow_with_answers(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    client = client_for(world.customer_owner)
    url = f"/agreements/{world.agreement.pk}/health/rounds/%d/"
    counts = []
    for size in (3, 12):  # each round is the latest when measured, with one more in the trend
        round = make_round(customer=[4] * size, supplier=[3] * size)
        client.get(url % round.number)  # warms the content-type cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url % round.number).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_agreement_overview_shows_the_latest_health(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    def customer(statement: str, dimension: str, target: str) -> int:
        return 2 if dimension == "kommunikation" else 4

    make_round(customer=[customer] * 3, supplier=[4] * 3, title="Hälsokontroll våren 2026")
    make_round(customer=[4], close=False, title="Hälsokontroll hösten 2026")
    html = client_for(world.supplier_viewer).get(f"/agreements/{world.agreement.pk}/").content
    text = html.decode()
    assert "Hälsokontroll våren 2026" in text
    items = services.survey_items(Round.objects.get(number=1))
    low = sum(1 for _key, dimension, _target in items if dimension == "kommunikation")
    expected = f"{(4 * (len(items) - low) + 2 * low) / len(items):.1f}".replace(".", ",")
    assert f"Norrlandia Försäkring AB {expected};" in " ".join(text.split())
    assert "Driftpartner Norden AB 4,0." in " ".join(text.split())
    assert "Stor skillnad i upplevelse: Kommunikation." in " ".join(text.split())
    assert "Hälsokontroll hösten 2026" in text  # the open round


def test_a_withheld_statement_cannot_be_subtracted_from_its_dimension(
    make_round: RoundMaker,
) -> None:
    """One person scores a statement the two others do not know: it must be in no figure."""
    lonely = "samsyn_mal"

    def person(index: int) -> Any:
        def score(statement: str, dimension: str, target: str) -> int | None:
            if statement == lonely:
                return 1 if index == 0 else None
            return 5

        return score

    round = make_round(customer=[person(i) for i in range(3)])
    data = round_results(round, language="sv")
    (row,) = [r for r in data.statements["samsyn"] if r.key == lonely]
    assert row.customer.withheld and row.customer.respondents is None
    samsyn = next(r for r in data.dimensions if r.key == "samsyn")
    assert samsyn.customer.mean == 5 and samsyn.customer.distribution == {
        1: 0.0,
        2: 0.0,
        3: 0.0,
        4: 0.0,
        5: 100.0,
    }
    assert data.sides["customer"].overall.mean == 5


def test_live_figures_do_not_give_away_one_new_answer_on_a_statement(world: World) -> None:
    """Three new respondents release the side, but only one of them scored this statement."""
    statement = "samsyn_mal"
    invite_people(world.agreement, "customer", 9)
    round = _open(world, live_results=True)
    invitations = list(round.invitations.filter(side="customer").order_by("pk"))
    for invitation in invitations[:6]:  # released at three and at six: statements are shown
        answer(invitation, 4)
    answer(invitations[6], lambda s, d, t: 1 if s == statement else 4)
    for invitation in invitations[7:9]:
        answer(invitation, lambda s, d, t: None if s == statement else 4)
    data = round_results(round, language="sv")
    assert data.sides["customer"].shown == 9
    (row,) = [r for r in data.statements["samsyn"] if r.key == statement]
    assert row.customer.mean == 4  # still the six's: one new score would show
    samsyn = next(r for r in data.dimensions if r.key == "samsyn")
    assert samsyn.customer.mean == 4  # built from the statement as released, not as answered
    assert data.sides["customer"].overall.mean == 4


def test_using_a_link_rewrites_every_invitation_so_no_write_points_at_the_answer(
    world: World,
) -> None:
    """On PostgreSQL a row's xmin names the transaction that wrote it; a lone update of the
    answering person's invitation would share it with their response."""
    round = _open(world)
    mine = Invitation.objects.get(user=world.supplier_viewer)
    answer(mine, 3)
    assert Invitation.objects.get(pk=mine.pk).used
    assert Invitation.objects.filter(round=round, used=True).count() == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT xmin::text FROM health_invitation WHERE round_id = %s",
                [round.pk],
            )
            invitation_xmins = {row[0] for row in cursor.fetchall()}
        assert len(invitation_xmins) == 1  # all rewritten together
    else:
        with CaptureQueriesContext(connection) as queries:
            answer(Invitation.objects.get(user=world.customer_owner), 4)
        updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "health_invitation"')]
        assert updates and all(f'"round_id" = {round.pk}' in sql for sql in updates)


def test_switching_the_survey_language_keeps_what_was_chosen(world: World, client_for: Any) -> None:
    _open(world)
    link = _links(mail.outbox)[world.customer_owner.email]
    response = client_for(None).post(
        link,
        {"s:samarbete_gor_sin_del:self": "2", "fungerar": "Snabba svar", "switch_language": "en"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert 'name="s:samarbete_gor_sin_del:self" value="2" checked' in html
    assert "Snabba svar" in html
    assert Response.objects.count() == 0  # switching language sends nothing


def test_a_manual_reminder_does_not_cancel_the_one_before_closing(world: World) -> None:
    from samverkan.health import tasks

    round = _open(world)
    services.health_reminder_send(round=round)
    mail.outbox.clear()
    sent = tasks.send_reminder.call(round.pk, round.closes_on.isoformat())
    assert sent == 8 and len(mail.outbox) == 8
    moved = tasks.send_reminder.call(round.pk, "2099-01-01")  # the date was changed since
    assert moved == 0


def test_a_closing_date_too_far_ahead_is_refused(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).post(
        f"/agreements/{world.agreement.pk}/health/rounds/new/",
        {
            "title": "Hälsokontroll 2027",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
            "participants": [p.pk for p in Participant.objects.filter(agreement=world.agreement)],
            "threshold": 3,
        },
    )
    assert response.status_code == 400
    assert "högst 90 dagar" in response.content.decode()
    assert not Round.objects.exists()


def test_the_new_round_form_suggests_a_title_and_a_closing_date(
    world: World, client_for: Any
) -> None:
    html = (
        client_for(world.customer_owner)
        .get(f"/agreements/{world.agreement.pk}/health/rounds/new/")
        .content.decode()
    )
    today = timezone.localdate()
    season = "våren" if today.month <= 6 else "hösten"
    assert f'value="Hälsokontroll {season} {today.year}"' in html
    assert (today + datetime.timedelta(days=14)).isoformat() in html
    assert 'class="form-check-input"' in html


def test_closing_a_round_stores_its_answers_in_no_order_of_arrival(
    make_round: RoundMaker,
) -> None:
    round = make_round(customer=[1, 2, 3, 4, 5, 4, 3, 2], supplier=[3] * 6, close=False)
    by_arrival = list(
        Answer.objects.filter(round=round).order_by("id").values_list("response_id", flat=True)
    )
    first = by_arrival[0]
    assert by_arrival[: by_arrival.count(first)] == [first] * by_arrival.count(first)
    closed = round_results(services.health_round_close(round=round), language="sv")
    after_ids = list(
        Answer.objects.filter(round=round).order_by("id").values_list("response_id", flat=True)
    )
    # Each response's answers are no longer written one after the other.
    assert after_ids[: after_ids.count(first)] != [first] * after_ids.count(first)
    assert sorted(map(str, after_ids)) == sorted(map(str, by_arrival))  # nothing lost
    assert Response.objects.filter(round=round).count() == 14
    assert closed.sides["customer"].overall.mean == 3.0  # (1+2+3+4+5+4+3+2) / 8


def test_the_list_of_rounds_takes_the_same_queries_for_one_round_as_for_five(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    client = client_for(world.customer_owner)
    url = f"/agreements/{world.agreement.pk}/health/"
    counts = []
    for rounds in (1, 5):
        while Round.objects.filter(agreement=world.agreement).count() < rounds:
            make_round(customer=[4, 4, 4], supplier=[3, 3, 3])
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert html.count("3 av 4 har svarat") == 2 * rounds
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_closing_a_round_asks_for_confirmation_first(world: World, client_for: Any) -> None:
    round = _open(world)
    answer(Invitation.objects.get(user=world.customer_owner), 4)
    client = client_for(world.customer_owner)
    base = f"/agreements/{world.agreement.pk}/health/rounds/{round.number}"

    page = client.get(f"{base}/").content.decode()
    assert f'href="{base}/close/"' in page  # a link to the question, not a form that closes
    assert f'action="{base}/close/"' not in page

    confirm = client.get(f"{base}/close/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Avsluta omgången nu?" in html
    assert "1 av 8 har svarat" in html
    assert f'action="{base}/close/"' in html and f'href="{base}/"' in html  # close, or go back
    assert Round.objects.get(pk=round.pk).closed_at is None  # asking changes nothing

    response = client.post(f"{base}/close/")
    assert response.status_code == 302
    assert Round.objects.get(pk=round.pk).closed_at is not None
    # A closed round has nothing to confirm: back to its page.
    assert client.get(f"{base}/close/").status_code == 302


def test_sending_a_reminder_asks_for_confirmation_first(world: World, client_for: Any) -> None:
    round = _open(world)
    answer(Invitation.objects.get(user=world.customer_owner), 4)
    client = client_for(world.customer_owner)
    base = f"/agreements/{world.agreement.pk}/health/rounds/{round.number}"
    page = client.get(f"{base}/").content.decode()
    assert f'href="{base}/remind/"' in page and f'action="{base}/remind/"' not in page

    mail.outbox.clear()
    html = client.get(f"{base}/remind/").content.decode()
    assert "Skicka en påminnelse?" in html
    assert "7 personer som inte har svarat" in html
    assert f'action="{base}/remind/"' in html
    assert mail.outbox == []

    client.post(f"{base}/remind/")
    assert len(mail.outbox) == 7


def test_only_an_owner_is_asked_to_close_or_remind(world: World, client_for: Any) -> None:
    round = _open(world)
    base = f"/agreements/{world.agreement.pk}/health/rounds/{round.number}"
    for path in ("close", "remind"):
        assert client_for(world.supplier_viewer).get(f"{base}/{path}/").status_code == 403
        assert client_for(world.other_supplier_user).get(f"{base}/{path}/").status_code == 404


def test_a_free_text_with_a_nul_is_refused_and_the_link_still_works(
    world: World, client_for: Any
) -> None:
    """PostgreSQL cannot store NUL: the answer is refused with a message, nothing half-saved."""
    _open(world)
    link = _links(mail.outbox)[world.supplier_viewer.email]
    anonymous = client_for(None)
    refused = anonymous.post(link, {"recommend": "8", "fungerar": "Snabba\x00 svar"})
    assert refused.status_code == 400  # the survey shown again, with the reason
    assert "Styrtecken" in refused.content.decode()
    assert not Response.objects.exists() and not FreeText.objects.exists()
    sent = anonymous.post(link, {"recommend": "8", "fungerar": "Snabba svar\n\tockså"}, follow=True)
    assert "Tack" in sent.content.decode()
    assert FreeText.objects.get().text == "Snabba svar\n\tockså"
