"""Writes for relationship-health rounds: open, answer, remind, close.

The caller has already asked the access module (``agreements.access``) whether
the actor may do this; these functions validate and raise ``ValidationError``
naming the field. Answers are written without any link to the person who gave
them (see ``models``); figures are released through ``figures.release_side``.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, F, Max, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement, Participant, Side
from samverkan.core.audit import audit_action
from samverkan.core.validation import text_problem
from samverkan.health import analysis, figures, instrument, tokens
from samverkan.health.models import Answer, FreeText, Invitation, Response, Round
from samverkan.lib import limits

MAX_OWN_STATEMENTS = 10
REMINDER_DAYS_BEFORE = 2
FREE_TEXT_MAX = limits.TEXT_MAX


def survey_url(invitation: Invitation) -> str:
    from django.urls import reverse

    path = reverse("health_survey", kwargs={"token": tokens.token_for(invitation.nonce)})
    return f"{settings.SAMVERKAN_BASE_URL}{path}"


def _own_statements(texts: Iterable[str]) -> list[dict[str, str]]:
    cleaned = [" ".join(text.split()) for text in texts]
    cleaned = [text for text in cleaned if text]
    if len(cleaned) > MAX_OWN_STATEMENTS:
        raise ValidationError(
            {
                "own_statements": _("At most %(n)s own statements per round.")
                % {"n": MAX_OWN_STATEMENTS}
            }
        )
    for text in cleaned:
        if len(text) > 300:
            raise ValidationError(
                {"own_statements": _("Keep each statement under 300 characters.")}
            )
    return [{"key": f"own_{i}", "text": text} for i, text in enumerate(cleaned, start=1)]


MAX_OPEN_DAYS = 90


def closes_on_error(closes_on: datetime.date) -> str | None:
    """Why a closing date cannot be used, or None: tomorrow at the earliest, in 90 days at most."""
    today = timezone.localdate()
    if closes_on <= today:
        return _("The closing date must be in the future.")
    if closes_on > today + datetime.timedelta(days=MAX_OPEN_DAYS):
        return _("Keep a round open for at most %(n)s days.") % {"n": MAX_OPEN_DAYS}
    return None


def invitees_error(
    *, agreement: Agreement, participants: Sequence[Participant], threshold: int
) -> str | None:
    """Why these participants cannot be asked, or None: each side needs more than ``threshold``.

    With no more people asked than the smallest group shown, everyone asked may
    well answer, and then those who answered are known by name; a few more than
    the threshold leaves who answered open. The one rule for the form, the API
    and every command that opens a round.
    """
    needed = analysis.min_group_size(threshold) + 1
    asked = {side: 0 for side in Side.values}
    for participant in {p.user_id: p for p in participants}.values():
        asked[participant.side] = asked.get(participant.side, 0) + 1
    for side in Side.values:
        if asked[side] < needed:
            return _(
                "Ask at least %(n)s people of %(organisation)s (now %(asked)s): each side needs "
                "more people asked than the smallest group shown, so that no one can tell who "
                "answered."
            ) % {
                "n": needed,
                "organisation": agreement.organisation_of(side).name,
                "asked": asked[side],
            }
    return None


@transaction.atomic
def health_round_open(
    *,
    agreement: Agreement,
    actor: User | None,
    title: str,
    closes_on: datetime.date,
    participants: Sequence[Participant],
    live_results: bool = False,
    threshold: int = analysis.THRESHOLD,
    own_statements: Iterable[str] = (),
) -> Round:
    """Open a round and e-mail each chosen participant a personal link (after commit).

    Participants must belong to the agreement; each person is invited once, for
    the side they take part on, and each side needs more people asked than the
    threshold (``invitees_error``). The round records the statement threshold of
    the setting ``HEALTH_STATEMENT_THRESHOLD`` as it is now. A reminder is queued for two days before closing
    where the task backend can defer work; ``health_reminder_send`` sends one now.
    """
    closing_error = closes_on_error(closes_on)
    if closing_error:
        raise ValidationError({"closes_on": closing_error})
    if threshold < analysis.THRESHOLD:
        raise ValidationError(
            {
                "threshold": _("The smallest group shown cannot be below %(n)s.")
                % {"n": analysis.THRESHOLD}
            }
        )
    if any(p.agreement_id != agreement.pk for p in participants):
        raise ValidationError({"participants": _("Choose participants of this agreement.")})
    people = {p.user_id: p for p in participants}
    if not people:
        raise ValidationError({"participants": _("Choose at least one participant.")})
    too_few = invitees_error(agreement=agreement, participants=participants, threshold=threshold)
    if too_few:
        raise ValidationError({"participants": too_few})
    # Lock the agreement so two owners opening rounds at once get consecutive numbers.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    number = (Round.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0) + 1
    round = Round(
        agreement=agreement,
        number=number,
        title=title.strip(),
        closes_on=closes_on,
        live_results=live_results,
        threshold=threshold,
        statement_threshold=analysis.statement_min_group(
            threshold, settings.HEALTH_STATEMENT_THRESHOLD
        ),
        edition=instrument.edition(),
        own_statements=_own_statements(own_statements),
        opened_by=actor,
    )
    round.full_clean(exclude=["opened_by"])
    round.save()
    for participant in people.values():
        nonce = tokens.new_nonce()
        Invitation.objects.create(
            round=round,
            side=participant.side,
            user_id=participant.user_id,
            nonce=nonce,
            token_hash=tokens.token_hash(tokens.token_for(nonce)),
        )
    from samverkan.health import tasks

    transaction.on_commit(lambda: tasks.send_invitations.enqueue(round.pk))
    if tasks.can_defer():
        remind_at = timezone.make_aware(
            datetime.datetime.combine(
                closes_on - datetime.timedelta(days=REMINDER_DAYS_BEFORE), datetime.time(9)
            )
        )
        if remind_at > timezone.now():
            transaction.on_commit(
                lambda: tasks.send_reminder.using(run_after=remind_at).enqueue(
                    round.pk, closes_on.isoformat()
                )
            )
    return round


def _mail(invitation: Invitation, template: str, subject: str | Promise) -> None:
    user = invitation.user
    round = invitation.round
    with translation.override(user.language):
        context = {
            "round": round,
            "agreement": round.agreement,
            "url": survey_url(invitation),
            "side_name": round.agreement.organisation_of(invitation.side).name,
        }
        body = render_to_string(template, context)
        subject_text = str(subject) % {"reference": round.agreement.reference}
    send_mail(subject_text, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)


def invitations_send(*, round: Round) -> int:
    """E-mail every invitation of the round not sent yet; the number sent."""
    sent = 0
    pending = round.invitations.filter(sent_at__isnull=True).select_related(
        "user", "round__agreement__customer", "round__agreement__supplier"
    )
    for invitation in pending:
        _mail(
            invitation,
            "health/email/invitation.txt",
            gettext_lazy("Relationship health check for %(reference)s"),
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
        sent += 1
    return sent


def health_reminder_send(*, round: Round) -> int:
    """Queue a reminder to everyone who has not answered yet; how many that is (0 once closed).

    The e-mails go out through the task queue, like the invitations, so a mail
    server that is down fails the task, not the page. The reminder queued at
    opening still goes out before closing.
    """
    if not round_accepts_answers(round):
        return 0
    pending = round.invitations.filter(used=False).count()
    if pending:
        from samverkan.health import tasks

        closes_on = round.closes_on.isoformat()
        transaction.on_commit(lambda: tasks.send_reminder.enqueue(round.pk, closes_on))
    return pending


def reminders_send(*, round: Round) -> int:
    """E-mail the reminder to everyone who has not answered; the number sent (task queue only)."""
    if not round_accepts_answers(round):
        return 0
    reminded = 0
    pending = round.invitations.filter(used=False).select_related(
        "user", "round__agreement__customer", "round__agreement__supplier"
    )
    for invitation in pending:
        _mail(
            invitation,
            "health/email/reminder.txt",
            gettext_lazy("Reminder: relationship health check for %(reference)s"),
        )
        reminded += 1
    round.reminded_at = timezone.now()
    round.save(update_fields=["reminded_at"])
    return reminded


def round_accepts_answers(round: Round) -> bool:
    return round.closed_at is None and timezone.localdate() <= round.closes_on


def survey_items(round: Round) -> list[tuple[str, str, str]]:
    """Every (statement, dimension, target) a respondent of ``round`` may score."""
    items = [
        (statement.key, statement.dimension, target)
        for statement in instrument.statements("en")
        for target in statement.targets
    ]
    items += [
        (own["key"], instrument.OWN_DIMENSION, "relationship") for own in round.own_statements
    ]
    return items


@transaction.atomic
def health_response_submit(
    *,
    invitation: Invitation,
    scores: Mapping[tuple[str, str], int | None],
    recommend: int | None,
    free_texts: Mapping[str, str],
) -> None:
    """Store one person's answers, anonymously, and use up their link.

    ``scores`` maps (statement key, target) to 1–5, or ``None`` for "don't know";
    items left out count as not answered. At least one score, the recommendation
    or a free text must be given. The response records the round and the side,
    nothing else about the person.
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    )
    round = invitation.round
    if invitation.used:
        raise ValidationError(_("This link has already been used to answer."))
    if not round_accepts_answers(round):
        raise ValidationError(_("This round has closed."))
    items = {(key, target): dimension for key, dimension, target in survey_items(round)}
    unknown = [f"{key}/{target}" for key, target in scores if (key, target) not in items]
    if unknown:
        raise ValidationError(_("Unknown statements: %(keys)s") % {"keys": ", ".join(unknown)})
    for score in scores.values():
        if score is not None and score not in analysis.AGREEMENT_SCALE:
            raise ValidationError(_("Scores run from 1 to 5."))
    if recommend is not None and recommend not in analysis.RECOMMEND_SCALE:
        raise ValidationError({"recommend": _("Choose a number from 0 to 10.")})
    texts = {
        key: text.strip()
        for key, text in free_texts.items()
        if key in instrument.FREE_TEXT_KEYS and text.strip()
    }
    if any(len(text) > FREE_TEXT_MAX for text in texts.values()):
        raise ValidationError(_("Keep each answer under %(n)s characters.") % {"n": FREE_TEXT_MAX})
    for text in texts.values():
        if (problem := text_problem(text)) is not None:
            raise ValidationError(problem)
    if not any(score is not None for score in scores.values()) and recommend is None and not texts:
        raise ValidationError(_("Answer at least one question before you send."))
    response = Response.objects.create(round=round, side=invitation.side, recommend=recommend)
    Answer.objects.bulk_create(
        Answer(
            response=response,
            round=round,
            side=invitation.side,
            statement=key,
            dimension=items[(key, target)],
            target=target,
            score=score,
        )
        for (key, target), score in scores.items()
    )
    FreeText.objects.bulk_create(
        FreeText(round=round, side=invitation.side, question=key, text=text)
        for key, text in texts.items()
    )
    # Rewrite every invitation of the round, not only this one: on PostgreSQL a row
    # carries the id of the transaction that last wrote it (xmin), and a lone update
    # here would share that id with the response and tie the person to the answers.
    Invitation.objects.filter(round=round).update(
        used=Case(When(pk=invitation.pk, then=Value(True)), default=F("used"))
    )
    if round.live_results:
        figures.release_side(round, invitation.side)


@transaction.atomic
def health_round_close(*, round: Round) -> Round:
    """Close the round (no more answers) and release each side's final figures."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.closed_at is None:
        round.closed_at = timezone.now()
        round.save(update_fields=["closed_at"])
        from samverkan.health import tasks

        round_pk = round.pk
        transaction.on_commit(lambda: tasks.shuffle_answers.enqueue(round_pk))
    for side in Side.values:
        figures.release_side(round, side)
    return round


@transaction.atomic
def answers_shuffle(*, round: Round) -> None:
    """Write the round's answers again in random order, so storage keeps no order of arrival.

    Databases keep rows roughly in the order they were written (SQLite's rowid,
    PostgreSQL's physical order and transaction ids, the answers' serial ids);
    set against a web server's access log, that order could narrow down who
    answered what. Once the round is closed nothing is added any more, so the
    responses, answers and free texts are deleted and inserted again, shuffled,
    in one transaction, through the task queue after closing (a few seconds for
    100,000 answers). Keys of responses and free texts stay the same; the
    figures, already released, do not depend on the order.
    """
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.closed_at is None:
        raise ValueError("answers are shuffled once the round is closed")
    shuffle = secrets.SystemRandom().shuffle
    responses = list(Response.objects.filter(round=round).values("id", "side", "recommend"))
    answers = list(
        Answer.objects.filter(round=round).values(
            "response_id", "side", "statement", "dimension", "target", "score"
        )
    )
    texts = list(FreeText.objects.filter(round=round).values("id", "side", "question", "text"))
    FreeText.objects.filter(round=round).delete()
    Response.objects.filter(round=round).delete()  # and, by cascade, the answers
    for rows in (responses, answers, texts):
        shuffle(rows)
    Response.objects.bulk_create((Response(round=round, **row) for row in responses), 2000)
    Answer.objects.bulk_create((Answer(round=round, **row) for row in answers), 2000)
    FreeText.objects.bulk_create((FreeText(round=round, **row) for row in texts), 2000)


def close_if_due(round: Round) -> Round:
    """Close a round whose closing date has passed; figures appear without anyone clicking."""
    if round.closed_at is None and timezone.localdate() > round.closes_on:
        # The closing date closes it, not the person whose visit noticed: the history
        # records the system, apart from anything that person does.
        with audit_action(actor=None):
            return health_round_close(round=round)
    return round
