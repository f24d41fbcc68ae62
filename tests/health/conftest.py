"""Fixtures for the health check: rounds with answers from both sides."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.utils import timezone

from samverkan.agreements.models import Agreement, Participant
from samverkan.health import services, tokens
from samverkan.health.models import Invitation, Round
from tests.conftest import World
from tests.factories import ParticipantFactory, UserFactory

RoundMaker = Callable[..., Round]


def invite_people(agreement: Agreement, side: str, count: int) -> list[Participant]:
    """``count`` new participants on ``side`` (viewers), to reach a group size."""
    prefix = "kund" if side == "customer" else "lev"
    start = Participant.objects.filter(agreement=agreement, side=side).count()
    return [
        ParticipantFactory(
            agreement=agreement,
            user=UserFactory(email=f"{prefix}{start + i}-{agreement.pk}@svar.example"),
            side=side,
            role="viewer",
        )
        for i in range(count)
    ]


def enough_people(agreement: Agreement, threshold: int = 3) -> list[Participant]:
    """Every participant of ``agreement``, after adding viewers so each side has one more than
    ``threshold``: a round cannot open with fewer asked (``services.invitees_error``)."""
    for side in ("customer", "supplier"):
        have = Participant.objects.filter(agreement=agreement, side=side).count()
        if have <= threshold:
            invite_people(agreement, side, threshold + 1 - have)
    return list(Participant.objects.filter(agreement=agreement))


def answer(
    invitation: Invitation,
    score: int | Callable[[str, str, str], int | None],
    *,
    recommend: int | None = None,
    free_texts: Mapping[str, str] | None = None,
) -> None:
    """Answer every item of the round with ``score`` (or ``score(statement, dimension, target)``)."""
    scores: dict[tuple[str, str], int | None] = {}
    for key, dimension, target in services.survey_items(invitation.round):
        scores[(key, target)] = score(key, dimension, target) if callable(score) else score
    services.health_response_submit(
        invitation=invitation, scores=scores, recommend=recommend, free_texts=free_texts or {}
    )


def link_token(invitation: Invitation) -> str:
    return tokens.token_for(invitation.nonce)


@pytest.fixture
def make_round(world: World) -> RoundMaker:
    """``make_round(customer=[scores…], supplier=[scores…], close=True, **open_kwargs)``.

    Each list entry is one respondent's score for every item (an int or a
    function of statement, dimension and target). Adds participants as needed:
    as many as answer, and at least one more than the round's threshold on each
    side, since a round cannot open with fewer (``services.invitees_error``).
    """

    def make(
        *,
        customer: list[Any] = (),  # type: ignore[assignment]
        supplier: list[Any] = (),  # type: ignore[assignment]
        close: bool = True,
        agreement: Agreement | None = None,
        recommend: Mapping[str, list[int]] | None = None,
        **kwargs: Any,
    ) -> Round:
        agreement = agreement or world.agreement
        least = kwargs.get("threshold", 3) + 1
        wanted = {"customer": max(len(customer), least), "supplier": max(len(supplier), least)}
        participants = []
        for side, count in wanted.items():
            have = list(Participant.objects.filter(agreement=agreement, side=side))
            if len(have) < count:
                have += invite_people(agreement, side, count - len(have))
            participants += have
        kwargs.setdefault("title", "Hälsokontroll hösten 2026")
        kwargs.setdefault("closes_on", timezone.localdate() + datetime.timedelta(days=14))
        round = services.health_round_open(
            agreement=agreement, actor=world.customer_owner, participants=participants, **kwargs
        )
        for side, scores in (("customer", customer), ("supplier", supplier)):
            invitations = list(round.invitations.filter(side=side).order_by("pk"))
            for i, score in enumerate(scores):
                nps = (recommend or {}).get(side)
                answer(invitations[i], score, recommend=nps[i] if nps else None)
        if close:
            round = services.health_round_close(round=round)
        return round

    return make


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run after-commit work (the e-mails) at once: tests run inside one transaction."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
