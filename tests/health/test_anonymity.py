"""Survey anonymity against people who pool their own answers (issue 10, point 7).

The attacker's walk: an owner invited exactly three people of a side; she and one
colleague answered, compared what they had answered with the statement means,
and rebuilt the third person's answers on 68 of 68 statements — her "don't know"
answers too, from which statements were withheld. These tests hold the product
to what the README promises instead:

- a side needs more people asked than the round's threshold before it opens;
- a single statement's figure needs ``Round.statement_min_group`` people who gave
  it a score (5 by default), the side's and the dimensions' figures keep the
  round's threshold, and no figure, nor the difference of two, is one statement
  below that;
- which statements are withheld does not change with one person's "don't know",
  and no figure says how many scored one statement;
- ``shown`` counts the respondents behind the figures shown;
- the API and every export give figures rounded as the page prints them;
- and what remains (k − 1 people pooling their answers can still work out the
  last one's) is true, and said.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from samverkan.agreements.models import Participant
from samverkan.health import export, instrument, services
from samverkan.health.models import Round
from samverkan.health.results import round_results
from tests.conftest import World
from tests.health.conftest import RoundMaker, answer, invite_people

pytestmark = pytest.mark.django_db

Score = Callable[[str, str, str], int | None]
ITEMS = [(s.key, t) for s in instrument.statements("en") for t in s.targets]
DIMENSION = {s.key: s.dimension for s in instrument.statements("en")}


def _items_of(dimension: str, target: str) -> list[str]:
    return [key for key, t in ITEMS if DIMENSION[key] == dimension and t == target]


def _open(world: World, participants: list[Participant], **kwargs: Any) -> Round:
    return services.health_round_open(
        agreement=world.agreement,
        actor=world.customer_owner,
        title="Hälsokontroll hösten 2026",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        participants=participants,
        **kwargs,
    )


def _side(world: World, side: str, count: int) -> list[Participant]:
    """Exactly ``count`` participants of ``side`` (adding people as needed)."""
    have = list(Participant.objects.filter(agreement=world.agreement, side=side).order_by("pk"))
    if len(have) < count:
        have += invite_people(world.agreement, side, count - len(have))
    return have[:count]


def _api_results(client: Any, round: Round) -> dict[str, Any]:
    response = client.get(
        f"/api/v1/agreements/{round.agreement_id}/health/rounds/{round.number}/results"
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


def _figures(body: dict[str, Any]) -> dict[str, Any]:
    """Everything a reader learns from a round's figures (not its number, title or trend)."""
    return {key: value for key, value in body.items() if key not in ("round", "trend")}


# --- a side needs more people asked than the threshold -------------------------------


def test_the_issue_s_three_invitees_cannot_open_a_round(world: World) -> None:
    """The attack started with an owner asking exactly three people of her own side."""
    with pytest.raises(ValidationError) as refused:
        _open(world, _side(world, "customer", 3) + _side(world, "supplier", 4))
    (message,) = refused.value.message_dict["participants"]
    assert "Norrlandia Försäkring AB" in message and "4" in message
    assert not Round.objects.exists()
    with pytest.raises(ValidationError):  # the supplier side too, and with a raised threshold
        _open(world, _side(world, "customer", 4) + _side(world, "supplier", 4), threshold=4)
    assert _open(world, _side(world, "customer", 4) + _side(world, "supplier", 4)).number == 1


def test_the_form_says_why_a_round_with_too_few_asked_cannot_open(
    world: World, client_for: Any
) -> None:
    customers, suppliers = _side(world, "customer", 3), _side(world, "supplier", 4)
    response = client_for(world.customer_owner).post(
        f"/agreements/{world.agreement.pk}/health/rounds/new/",
        {
            "title": "Hälsokontroll hösten 2026",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            "participants": [p.pk for p in customers + suppliers],
            "threshold": 3,
        },
    )
    assert response.status_code == 400
    html = " ".join(response.content.decode().split())
    assert "Fråga minst 4 personer hos Norrlandia Försäkring AB" in html
    assert not Round.objects.exists()


def test_the_api_says_why_a_round_with_too_few_asked_cannot_open(
    world: World, client_for: Any
) -> None:
    customers, suppliers = _side(world, "customer", 4), _side(world, "supplier", 3)
    world.customer_owner.language = "en"
    world.customer_owner.save()
    response = client_for(world.customer_owner).post(
        f"/api/v1/agreements/{world.agreement.pk}/health/rounds",
        json.dumps(
            {
                "title": "Hälsokontroll hösten 2026",
                "closes_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
                "participant_ids": [p.pk for p in customers + suppliers],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    (error,) = body["errors"]
    assert error["path"] == "participant_ids"
    assert "Ask at least 4 people of Driftpartner Norden AB" in error["message"]
    assert error["message"] in body["detail"]
    assert not Round.objects.exists()


# --- the issue's collusion, reproduced ---------------------------------------------------


def _three_answer(world: World, victim: Score, *, colluders: int = 2, **kwargs: Any) -> Round:
    """Four customers asked; the owner and ``colluders - 1`` colleagues score 4, the victim ``victim``."""
    customers = _side(world, "customer", max(4, colluders + 2))
    round = _open(world, customers + _side(world, "supplier", 4), **kwargs)
    invitations = list(round.invitations.filter(side="customer").order_by("pk"))
    for invitation in invitations[:colluders]:
        answer(invitation, 4)
    answer(invitations[colluders], victim)
    return services.health_round_close(round=round)


def _rebuilt(body: dict[str, Any], respondents: int, colluder_score: int = 4) -> int:
    """How many of the victim's statement scores the colluders can compute from ``body``.

    The attack of the issue: every figure that rests on one statement (the
    statement's own row, or a mirror view of a dimension with one statement for
    that target) gives mean × respondents − the colluders' own scores.
    """
    rebuilt = 0
    for row in body["statements"]:
        if row["customer"]["mean"] is not None:
            rebuilt += 1
    for row in body["mirror"]:
        view, target = (
            (row["self_view"], "self")
            if row["side"] == "customer"
            else (row["other_view"], "other")
        )
        if view["mean"] is not None and len(_items_of(row["dimension"], target)) == 1:
            rebuilt += 1
    return rebuilt


def test_with_one_colluder_no_statement_of_the_third_can_be_rebuilt(
    world: World, client_for: Any
) -> None:
    """Three of four answer: the side's figures are shown, no single statement is."""
    round = _three_answer(world, lambda s, d, t: 1 if hash(s + t) % 2 else 5)
    body = _api_results(client_for(world.customer_owner), round)
    customer = next(s for s in body["sides"] if s["side"] == "customer")
    assert customer["overall"]["mean"] is not None  # the side keeps the round's threshold
    assert any(row["customer"]["mean"] is not None for row in body["dimensions"])
    assert _rebuilt(body, 3) == 0  # it was 68 of 68
    assert all(row["customer"]["withheld"] for row in body["statements"])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # two statements of one mirror view (beteenden, about ourselves)
        (("beteenden", "self", 0), ("beteenden", "self", 1)),
        # samarbete has one statement per target: about us, about them, about the collaboration
        (("samarbete", "self", 0), ("samarbete", "other", 0)),
        (("samarbete", "other", 0), ("samarbete", "relationship", 0)),
        # processer: one statement about us, two about the collaboration
        (("processer", "self", 0), ("processer", "relationship", 1)),
    ],
)
def test_no_figure_nor_a_difference_of_two_is_one_statement_below_its_threshold(
    world: World,
    client_for: Any,
    first: tuple[str, str, int],
    second: tuple[str, str, int],
) -> None:
    """The victim's scores on two statements swapped: a reader sees exactly the same figures.

    If any figure — a statement, a mirror view, a dimension, the overall mean — or
    the difference of two figures held one of the two statements alone, the swap
    would show. (What the pool of the two says — here that she gave a 1 and a 5 —
    is a figure of two statements from three people, which the round's threshold
    allows.)
    """
    a = (_items_of(first[0], first[1])[first[2]], first[1])
    b = (_items_of(second[0], second[1])[second[2]], second[1])

    def victim(one: int, other: int) -> Score:
        return lambda s, d, t: one if (s, t) == a else other if (s, t) == b else 4

    client = client_for(world.customer_owner)
    for one, other in ((1, 5), (2, 4)):
        before, after = (
            _figures(_api_results(client, _three_answer(world, victim(x, y))))
            for x, y in ((one, other), (other, one))
        )
        assert before == after


def test_a_statement_alone_in_its_part_is_in_no_figure_below_the_statement_threshold(
    world: World, client_for: Any
) -> None:
    """Beteenden has one statement about the collaboration, beside two mirror views of two."""
    (lonely,) = _items_of("beteenden", "relationship")
    client = client_for(world.customer_owner)
    bodies = [
        _figures(
            _api_results(
                client,
                _three_answer(
                    world, lambda s, d, t, v=v: v if (s, t) == (lonely, "relationship") else 4
                ),  # type: ignore[misc]
            )
        )
        for v in (1, 5)
    ]
    assert bodies[0] == bodies[1]


def test_what_remains_k_minus_one_pooling_can_compute_the_last_one(
    world: World, client_for: Any
) -> None:
    """The limit the results page and the README state: it is real, so it is said.

    Five respondents (the statement threshold): four who pool their own scores
    compute the fifth person's score on every statement from the rounded means.
    """
    secret = {key: 1 + (i * 7) % 5 for i, key in enumerate(ITEMS)}
    round = _three_answer(world, lambda s, d, t: secret[(s, t)], colluders=4)
    body = _api_results(client_for(world.customer_owner), round)
    rebuilt = {
        (row["key"], row["target"]): round_half_up(row["customer"]["mean"] * 5 - 4 * 4)
        for row in body["statements"]
        if row["dimension"] != "own" and row["customer"]["mean"] is not None
    }
    assert len(rebuilt) == 68 and rebuilt == secret


def round_half_up(value: float) -> int:
    return int(Decimal(repr(value)).quantize(Decimal("1"), rounding="ROUND_HALF_UP"))


# --- "don't know" is not read from what is withheld --------------------------------------


def _withheld(body: dict[str, Any]) -> dict[str, bool]:
    seen = {}
    for row in body["statements"]:
        seen[f"statement {row['key']}/{row['target']}"] = row["customer"]["withheld"]
    for row in body["dimensions"]:
        seen[f"dimension {row['key']}"] = row["customer"]["withheld"]
    for row in body["mirror"]:
        view = row["self_view"] if row["side"] == "customer" else row["other_view"]
        seen[f"mirror {row['side']} {row['dimension']}"] = view["withheld"]
    return seen


@pytest.mark.parametrize("respondents", [3, 6])
def test_one_person_s_dont_know_changes_no_statement_from_shown_to_withheld(
    world: World, client_for: Any, respondents: int
) -> None:
    """Three respondents: no statement is shown either way. Six: each stays above five."""
    (key,) = _items_of("samsyn", "self")
    client = client_for(world.customer_owner)
    seen = []
    for victim_score in (None, 2):
        round = _three_answer(
            world,
            lambda s, d, t, v=victim_score: v if (s, t) == (key, "self") else 4,  # type: ignore[misc]
            colluders=respondents - 1,
        )
        body = _api_results(client, round)
        seen.append({k: v for k, v in _withheld(body).items() if k.startswith("statement")})
        # No figure below the side says how many scored it.
        for section in ("statements", "dimensions"):
            assert all(row["customer"]["respondents"] is None for row in body[section])
    assert seen[0] == seen[1]


def test_a_statement_s_withheld_note_gives_its_own_threshold(world: World, client_for: Any) -> None:
    round = _three_answer(world, 4)
    html = " ".join(
        client_for(world.customer_owner)
        .get(f"/agreements/{world.agreement.pk}/health/rounds/{round.number}/")
        .content.decode()
        .split()
    )
    assert "Enskilda påståenden visas först när minst 5 har gett dem ett betyg" in html
    assert "&lt;&nbsp;5 svar" in html  # in the statements' rows
    assert "&lt;&nbsp;3 svar" not in html.split('id="statements-title"', 1)[1]


# --- the statement threshold is a setting --------------------------------------------------


def test_the_statement_threshold_is_a_setting_and_stays_above_the_round_s(
    world: World, settings: Any
) -> None:
    people = _side(world, "customer", 8) + _side(world, "supplier", 8)
    assert _open(world, people).statement_min_group == 5
    settings.HEALTH_STATEMENT_THRESHOLD = 7
    assert _open(world, people).statement_min_group == 7
    settings.HEALTH_STATEMENT_THRESHOLD = 5
    assert _open(world, people, threshold=5).statement_min_group == 7  # two above the round's
    settings.HEALTH_STATEMENT_THRESHOLD = 2
    assert _open(world, people).statement_min_group == 5  # never below the round's + 2


def test_a_round_keeps_the_statement_threshold_it_was_opened_with(
    world: World, settings: Any
) -> None:
    settings.HEALTH_STATEMENT_THRESHOLD = 6
    round = _three_answer(world, 4, colluders=5)  # six respondents
    settings.HEALTH_STATEMENT_THRESHOLD = 9
    data = round_results(round, language="sv")
    assert data.statement_threshold == 6
    assert all(not row.customer.withheld for rows in data.statements.values() for row in rows)


# --- shown: the respondents behind the figures shown --------------------------------------


def test_shown_counts_only_respondents_behind_the_figures(make_round: RoundMaker) -> None:
    """Three scored the statements; three more answered only the 0–10 question."""
    only_recommend: Score = lambda s, d, t: None  # noqa: E731
    round = make_round(
        customer=[4, 4, 4, only_recommend, only_recommend, only_recommend],
        recommend={"customer": [9, 9, 9, 7, 7, 7]},
    )
    customer = round_results(round, language="sv").sides["customer"]
    assert customer.answered == 6
    assert customer.shown == 3  # it said 6 while the figures came from 3
    assert customer.nps_respondents == 6 and customer.nps == 50


def test_shown_after_a_live_release_of_answers_without_scores(world: World) -> None:
    customers = _side(world, "customer", 6)
    round = _open(world, customers + _side(world, "supplier", 4), live_results=True)
    invitations = list(round.invitations.filter(side="customer").order_by("pk"))
    for invitation in invitations[:3]:
        answer(invitation, 4)
    for invitation in invitations[3:]:
        answer(invitation, lambda s, d, t: None, free_texts={"fungerar": "Bra möten."})
    customer = round_results(round, language="sv").sides["customer"]
    assert customer.answered == 6 and customer.shown == 3


def test_the_page_says_who_is_behind_the_figures(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    nothing: Score = lambda s, d, t: None  # noqa: E731
    round = make_round(customer=[4, 4, 4, nothing], recommend={"customer": [9, 9, 9, 7]})
    html = " ".join(
        client_for(world.customer_owner)
        .get(f"/agreements/{world.agreement.pk}/health/rounds/{round.number}/")
        .content.decode()
        .split()
    )
    assert 'Antal svarande i underlaget</dt><dd class="col-4 mb-1">3</dd>' in html
    assert "1 av dem som svarade gav inget betyg som ingår i siffrorna" in html


# --- figures rounded as the page prints them, everywhere ------------------------------------

# Six customers: every statement's mean is 26/6 = 4.333…, the shares 33.3 %, 16.7 %
# and 50 %, the recommendation score (3 promoters, 1 detractor of 6) 33.3.
SIX = [4, 4, 5, 5, 5, 3]
RECOMMEND = [10, 9, 9, 8, 8, 0]


def _unrounded(value: Any, path: str = "") -> list[str]:
    """Every number in ``value`` with more decimals than the page shows, by path."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _unrounded(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _unrounded(item, f"{path}[{i}]")
    elif isinstance(value, float):
        whole = any(part in path for part in ("distribution", "nps"))
        if round(value, 0 if whole else 1) != value:
            found.append(f"{path}={value!r}")
    return found


@pytest.fixture
def six(make_round: RoundMaker) -> Round:
    return make_round(
        customer=SIX,
        supplier=[3, 3, 4, 2, 5],
        recommend={"customer": RECOMMEND, "supplier": [9, 9, 8, 3, 10]},
        own_statements=["Vi firar framgångar tillsammans."],
    )


def test_the_api_gives_figures_rounded_as_on_the_page(
    six: Round, world: World, client_for: Any
) -> None:
    body = _api_results(client_for(world.customer_owner), six)
    assert _unrounded(body) == []
    customer = next(s for s in body["sides"] if s["side"] == "customer")
    assert customer["overall"]["mean"] == 4.3 and customer["nps"] == 33
    row = next(r for r in body["statements"] if r["key"] == ITEMS[0][0])
    assert row["customer"]["distribution"] == {"1": 0, "2": 0, "3": 17, "4": 33, "5": 50}
    assert body["phase"]["means"]["tillhora"] == 3.9  # (4.3 + 3.4) / 2 = 3.85, printed 3,9


def _cell_problems(workbook: Any) -> list[str]:
    problems = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, float | int) or isinstance(value, bool):
                    continue
                fmt = cell.number_format
                if "%" in fmt:
                    ok = abs(value * 100 - round(value * 100)) < 1e-9
                elif fmt.startswith("+0;") or fmt == "0":
                    ok = value == int(value)
                else:
                    ok = round(value, 1) == value
                if not ok:
                    problems.append(f"{sheet.title}!{cell.coordinate}={value!r} ({fmt})")
    return problems


def test_the_workbook_gives_figures_rounded_as_on_the_page(six: Round) -> None:
    data = export.results_workbook(round_results(six, language="en"), language="en")
    workbook = load_workbook(io.BytesIO(data))
    assert _cell_problems(workbook) == []
    summary = workbook["Summary"]
    values = [cell.value for row in summary.iter_rows() for cell in row]
    assert 33 in values and 4.3 in values


def test_the_pdf_summary_gives_the_score_as_on_the_page(six: Round) -> None:
    text = export.summary_document(round_results(six, language="sv"), language="sv").plain_text()
    assert "+33" in text and "33,3" not in text and "4,3" in text


def test_the_command_line_export_gives_figures_rounded_as_on_the_page(
    six: Round, world: World, tmp_path: Path
) -> None:
    target = tmp_path / "resultat.xlsx"
    call_command(
        "health",
        world.agreement.reference,
        "--format",
        "xlsx",
        "--lang",
        "en",
        "-o",
        str(target),
        "--as",
        world.customer_owner.email,
    )
    assert _cell_problems(load_workbook(target)) == []


# --- the page explains the limit -----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "sv",
            [
                "Hur anonyma är svaren?",
                "k − 1 av dem",
                "den sista personens svar",
                "svårare, men inte omöjligt",
            ],
        ),
        (
            "en",
            [
                "How anonymous are the answers?",
                "k − 1 of them",
                "the last person's answers",
                "harder, not impossible",
            ],
        ),
    ],
)
def test_the_results_page_explains_the_collusion_limit(
    make_round: RoundMaker, world: World, client_for: Any, language: str, words: list[str]
) -> None:
    round = make_round(customer=[4, 4, 4], supplier=[3, 3, 3], close=False)
    world.customer_owner.language = language
    world.customer_owner.save()
    html = " ".join(
        client_for(world.customer_owner)
        .get(f"/agreements/{world.agreement.pk}/health/rounds/{round.number}/")
        .content.decode()
        .replace("&#x27;", "'")
        .split()
    )
    for text in words:
        assert text in html, text
