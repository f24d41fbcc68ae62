"""Background work of the health check: the e-mails, run by the task queue.

In production the database backend (``samverkan db_worker``) runs them; tests
and the demo run them immediately.
"""

from __future__ import annotations

from django_tasks import default_task_backend, task

from samverkan.health.models import Round


def can_defer() -> bool:
    """Whether the backend can run a task later (the reminder before closing)."""
    return bool(default_task_backend.supports_defer)


@task()
def send_invitations(round_id: int) -> int:
    from samverkan.health import services

    round = Round.objects.filter(pk=round_id).first()
    return services.invitations_send(round=round) if round else 0


@task()
def send_reminder(round_id: int, closes_on: str) -> int:
    """A reminder to those who have not answered; skipped when the round closed or its date moved."""
    from samverkan.health import services

    round = Round.objects.filter(pk=round_id).first()
    if round is None or round.closes_on.isoformat() != closes_on:
        return 0
    return services.reminders_send(round=round)


@task()
def shuffle_answers(round_id: int) -> None:
    """After closing: store the round's answers in random order (``services.answers_shuffle``)."""
    from samverkan.health import services

    round = Round.objects.filter(pk=round_id).first()
    if round is not None:
        services.answers_shuffle(round=round)
