"""The revision of an agreement's snapshot: a token that changes with everything it holds.

``agreement_snapshot`` reads the agreement's own fields, its parties' names, the
relationship type and profile, and the collaboration model (objectives, roles,
forums with their members, processes with their RACI, the escalation path). A
figure computed from the snapshot (the completeness summary on the overview) is
kept under the revision it was computed at, and read again only while the
agreement's revision is the same, so it is never shown stale and never recomputed
while nothing has changed.

What a caller may rely on:

- Every save, deletion (also a cascade) and change of forum members of a tracked
  row gives its agreement a new revision, in the same transaction as the change:
  a reader sees the new data and the new revision together, whatever process it
  runs in. The writes of the services all send these signals (the audit trail
  needs them too: no ``bulk_create`` or ``QuerySet.update`` of the content).
- Every agreement has a revision from its creation (the migration gave those
  before it theirs). ``snapshot_revision`` answers None for an agreement without
  one, and the caller then computes without keeping anything.
- A revision is a random token, never reused: a figure kept in a process for one
  database cannot be taken for another's (tests reuse ids).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Model, Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from samverkan.accounts.models import Organisation
from samverkan.agreements.models import Agreement
from samverkan.appendix.models import SnapshotRevision
from samverkan.collaboration.models import (
    EscalationStep,
    Forum,
    Objective,
    Process,
    RaciAssignment,
    Role,
)
from samverkan.relationships.models import Relationship


def new_revision() -> str:
    return uuid.uuid4().hex


def snapshot_revision(agreement: Agreement) -> str | None:
    """The agreement's current revision (one query); None when it has none."""
    revision: str | None = (
        SnapshotRevision.objects.filter(agreement=agreement)
        .values_list("revision", flat=True)
        .first()
    )
    return revision


def revision_bump(*, agreement_id: int) -> None:
    """Give the agreement a new revision (inside the caller's transaction)."""
    SnapshotRevision.objects.filter(agreement_id=agreement_id).update(revision=new_revision())


# The tracked rows: how each finds its agreement ----------------------------------------

_AGREEMENT_OF: dict[type[Model], Callable[[Any], int]] = {
    Relationship: lambda row: row.agreement_id,
    Objective: lambda row: row.agreement_id,
    Role: lambda row: row.agreement_id,
    Forum: lambda row: row.agreement_id,
    Process: lambda row: row.agreement_id,
    EscalationStep: lambda row: row.agreement_id,
    # The process is loaded once per row (the audit trail's handler reads it too); in a
    # cascade it is deleted after its RACI rows, so it is still there.
    RaciAssignment: lambda row: row.process.agreement_id,
}


def _part_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: no services, no revisions to keep
        return
    revision_bump(agreement_id=_AGREEMENT_OF[sender](instance))


def _members_changed(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        # A forum's members (or a role's forums, from the other side): both know the agreement.
        revision_bump(agreement_id=instance.agreement_id)  # type: ignore[attr-defined]


def _agreement_saved(sender: type[Agreement], instance: Agreement, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if kwargs.get("created"):
        SnapshotRevision.objects.create(agreement=instance, revision=new_revision())
    else:
        revision_bump(agreement_id=instance.pk)


def _organisation_saved(sender: type[Organisation], instance: Organisation, **kwargs: Any) -> None:
    if kwargs.get("raw") or kwargs.get("created"):
        return
    # The snapshot names the parties: a renamed organisation changes its agreements'.
    SnapshotRevision.objects.filter(
        Q(agreement__customer=instance) | Q(agreement__supplier=instance)
    ).update(revision=new_revision())


def connect() -> None:
    """Connect the receivers (from ``AppendixConfig.ready``; connecting twice changes nothing)."""
    uid = "samverkan.appendix.revisions"
    post_save.connect(_agreement_saved, sender=Agreement, dispatch_uid=f"{uid}.agreement")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid=f"{uid}.organisation")
    for model in _AGREEMENT_OF:
        name = model._meta.label_lower
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"{uid}.save.{name}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"{uid}.delete.{name}")
    m2m_changed.connect(
        _members_changed, sender=Forum.members.through, dispatch_uid=f"{uid}.members"
    )
