"""The revision of an agreement's snapshot: it changes with everything the snapshot holds.

``agreement_snapshot`` reads the agreement's own fields, its parties' names and
every registered file section (today the relationship type and profile, and the
collaboration model: objectives, roles, forums with their members, processes with
their RACI, the escalation path); each section names the rows it is read from
(``registry.FileSection.tracked``), so the appendix imports none of them. A
figure computed from the snapshot (the completeness summary on the overview) is
kept under the revision it was computed at, and read again only while the
agreement's revision is the same, so it is never shown stale and never recomputed
while nothing has changed.

What a caller may rely on:

- Every save and deletion (also a cascade) of a tracked row through the ORM, and
  every change of a tracked many-to-many relation through its manager, appends a ``SnapshotChange`` for its agreement, in the same transaction as
  the change: a reader sees the new data and the new revision together, whatever
  process it runs in. The writes of the services all send these signals (the audit
  trail needs them too: no ``bulk_create``, ``QuerySet.update`` or ``QuerySet.delete``
  of a many-to-many table's rows).
- The revision is the number of the agreement's changes and the time of the latest,
  read in one query. Once a change is committed the number is higher than any a
  reader saw before it, also when transactions commit in another order than they
  wrote; the time tells a state apart from an earlier one rolled back (tests reuse
  ids in one process).
- Changes are only appended: one writer never waits for another's lock on a shared
  row (a single row per agreement, updated by every writer, would serialise edits of
  one agreement and could deadlock on PostgreSQL with the part rows the services
  lock first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Max, Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from samverkan.accounts.models import Organisation
from samverkan.agreements.models import Agreement
from samverkan.appendix.models import SnapshotChange
from samverkan.core import registry


def snapshot_revision(agreement: Agreement) -> str:
    """The agreement's current revision (one query)."""
    changes = SnapshotChange.objects.filter(agreement_id=agreement.pk).aggregate(
        count=Count("*"), latest=Max("at")
    )
    latest = changes["latest"].isoformat() if changes["latest"] else "-"
    return f"{changes['count']}@{latest}"


def snapshot_changed(*, agreement_ids: list[int]) -> None:
    """Record a change of these agreements' snapshots (inside the caller's transaction)."""
    SnapshotChange.objects.bulk_create(SnapshotChange(agreement_id=pk) for pk in agreement_ids)


# The tracked rows: what each file section is read from (``FileSection.tracked``) ------


def _tracked() -> dict[type[Model], Callable[[Any], int]]:
    """Every registered section's rows, with how each finds its agreement."""
    return {
        model: agreement_of
        for section in registry.file_sections()
        for model, agreement_of in section.tracked().items()
    }


def _track(section: registry.FileSection) -> None:
    """Connect the receivers to the rows of one section (each model on its own: a receiver
    for every model would cost Django's fast deletes everywhere, survey answers included)."""
    uid = "samverkan.appendix.revisions"
    for model in section.tracked():
        name = model._meta.label_lower
        if model._meta.auto_created:  # a many-to-many table: only m2m_changed tells
            m2m_changed.connect(_members_changed, sender=model, dispatch_uid=f"{uid}.m2m.{name}")
        else:
            post_save.connect(_part_changed, sender=model, dispatch_uid=f"{uid}.save.{name}")
            post_delete.connect(_part_changed, sender=model, dispatch_uid=f"{uid}.delete.{name}")


def _part_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: no services, no revisions to keep
        return
    agreement_of = _tracked().get(sender)
    if agreement_of is not None:
        snapshot_changed(agreement_ids=[agreement_of(instance)])


def _members_changed(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    agreement_of = _tracked().get(sender)
    if agreement_of is not None:  # the row holding the relation knows its agreement
        snapshot_changed(agreement_ids=[agreement_of(instance)])


def _agreement_saved(sender: type[Agreement], instance: Agreement, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        snapshot_changed(agreement_ids=[instance.pk])


def _agreement_deleted(sender: type[Agreement], instance: Agreement, **kwargs: Any) -> None:
    # After its parts (and the changes their deletion appended): the changes go with it.
    SnapshotChange.objects.filter(agreement_id=instance.pk).delete()


def _organisation_saved(sender: type[Organisation], instance: Organisation, **kwargs: Any) -> None:
    if kwargs.get("raw") or kwargs.get("created"):
        return
    # The snapshot names the parties: a renamed organisation changes its agreements'.
    parties = Agreement.objects.filter(customer=instance) | Agreement.objects.filter(
        supplier=instance
    )
    snapshot_changed(agreement_ids=list(parties.values_list("pk", flat=True)))


def connect() -> None:
    """Connect the receivers (from ``AppendixConfig.ready``; connecting twice changes nothing)."""
    uid = "samverkan.appendix.revisions"
    post_save.connect(_agreement_saved, sender=Agreement, dispatch_uid=f"{uid}.agreement")
    post_delete.connect(_agreement_deleted, sender=Agreement, dispatch_uid=f"{uid}.deleted")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid=f"{uid}.organisation")
    # The rows of every file section, those registered and those of apps loaded later.
    registry.watch_file_sections(_track)
