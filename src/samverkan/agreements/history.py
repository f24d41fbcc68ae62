"""The agreement's history: who changed what, in plain words, one entry per action.

django-auditlog writes one ``LogEntry`` per changed row, tied to the agreement
by ``additional_data.agreement_id`` (each audited model's
``get_additional_data``). This module reads them and tells them as a person
would: "Karin Lindqvist ändrade årligt värde från 12 500 000 kr till
13 500 000 kr".

- **One entry per action.** Rows written during one request, command step or
  demo step share a correlation id (``cid``, see ``samverkan.core.audit``)
  and make one entry: deleting a process is "removed the process …", with the
  RACI rows the database removed with it folded into the details. Rows
  without an id (written outside any action) are one entry each.
- **Plain values.** Field labels are the models' translated ``verbose_name``;
  choices show their labels; amounts, dates and numbers are formatted for the
  reader's language; JSON lists are items, not JSON. Reverse relations,
  primary keys, the agreement link and ``auto_now`` stamps are never shown.
- **What each capability knows.** The agreements app does not know the other
  apps' models. Each app tells the history how to name its objects and read
  its structured values with ``describe(...)`` in its ``AppConfig.ready()``.
- **Privacy.** Only rows tied to this agreement are read. A row whose
  ``additional_data`` has ``private_to_side`` (what a party's private
  workspace, such as a negotiation case, will write) is shown only to people
  acting for that side.

The page, the Excel export, the API and ``samverkan history`` all read through
``history_page`` / ``history_all``, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import formats, timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess
from samverkan.agreements.models import Agreement, Participant
from samverkan.core.formatting import format_money

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE
INLINE_LIMIT = 80  # longer values go to the details, not into the sentence

Display = str | list[str] | dict[str, str]
"""A value as shown: one text, a list of items, or labelled parts (``{"Pris": "40 %"}``)."""

# What a capability may tell the history about one of its models -------------------------


@dataclass(frozen=True)
class Description:
    """How the history names a model's objects and reads its values.

    ``the``: the object in a sentence, with ``%(name)s`` ("the role “%(name)s”"),
    or a function of the object's stored values, their display and its name.
    ``verbs``: other verbs than "added" / "removed" for creating and deleting
    (``{CREATE: _("published %(object)s")}``). ``set_verbs``: a sentence for
    setting one field from empty (a round's ``closed_at``: "closed …").
    ``values``: functions showing a field's stored value (JSON decoded).
    ``labels``: labels of fields without a translated ``verbose_name``.
    ``hidden``: fields never shown. ``money``: amounts in the agreement's currency.
    ``name_field``: the field that is the object's name (a change reads "renamed …").
    ``renamed``: the sentence for a change of that field.
    ``instance_name``: the object's name where another object refers to it.
    ``is_subject``: the page is about this object: its changes name no object.
    ``replaced``: the sentence for an action that removes some and adds others (a
    whole list written anew, as the escalation path is).
    ``private``: never part of an agreement's history (a negotiation case's rows are
    audited against the case): not offered as a kind of object in its filter.
    """

    the: Any
    verbs: Mapping[int, Any] = field(default_factory=dict)
    set_verbs: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, Callable[[Any], Display]] = field(default_factory=dict)
    labels: Mapping[str, Any] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    money: frozenset[str] = frozenset()
    name_field: str = ""
    renamed: Any = None
    instance_name: Callable[[Any], str] | None = None
    is_subject: bool = False
    replaced: Any = None
    private: bool = False


_DESCRIPTIONS: dict[type[models.Model], Description] = {}


def describe(
    model: type[models.Model],
    *,
    the: Any,
    verbs: Mapping[int, Any] | None = None,
    set_verbs: Mapping[str, Any] | None = None,
    values: Mapping[str, Callable[[Any], Display]] | None = None,
    labels: Mapping[str, Any] | None = None,
    hidden: Iterable[str] = (),
    money: Iterable[str] = (),
    name_field: str = "",
    renamed: Any = None,
    instance_name: Callable[[Any], str] | None = None,
    is_subject: bool = False,
    replaced: Any = None,
    private: bool = False,
) -> None:
    """Tell the history how to show an audited model (call it in ``AppConfig.ready()``)."""
    _DESCRIPTIONS[model] = Description(
        the=the,
        verbs=dict(verbs or {}),
        set_verbs=dict(set_verbs or {}),
        values=dict(values or {}),
        labels=dict(labels or {}),
        hidden=frozenset(hidden),
        money=frozenset(money),
        name_field=name_field,
        renamed=renamed,
        instance_name=instance_name,
        is_subject=is_subject,
        replaced=replaced,
        private=private,
    )


def description_of(model: type[models.Model] | None) -> Description:
    if model is not None and model in _DESCRIPTIONS:
        return _DESCRIPTIONS[model]
    return Description(the=None)


# Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryFilter:
    """Which entries to show: by one person (or the system), one kind of object, a period."""

    person: int | None = None
    system: bool = False
    kind: str = ""  # "app_label.model", e.g. "collaboration.role"
    since: dt.date | None = None
    until: dt.date | None = None


def history_kinds() -> list[tuple[str, str]]:
    """The kinds of object the history can hold, as (value, label), by label."""
    kinds = [
        (
            f"{model._meta.app_label}.{model._meta.model_name}",
            _capfirst(model._meta.verbose_name_plural),
        )
        for model in auditlog.get_models()
        if model in _DESCRIPTIONS and not _DESCRIPTIONS[model].private
    ]
    return sorted(kinds, key=lambda kind: kind[1].casefold())


def history_people(*, access: AgreementAccess) -> QuerySet[User]:
    """The people who appear in the agreement's history (for the person filter)."""
    return User.objects.filter(pk__in=_visible(access).values("actor_id")).order_by(
        "full_name", "email"
    )


DATE_HELP = gettext_lazy("Enter a date as YYYY-MM-DD, for example 2026-03-31.")


class HistoryFilterForm(forms.Form):
    """The history's filters (the page's GET form; the API and the CLI validate with it too)."""

    person = forms.ChoiceField(label=gettext_lazy("Person"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of object"), required=False)
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_HELP},
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_HELP},
    )

    def __init__(self, data: Mapping[str, Any] | None, *, people: Iterable[User]) -> None:
        super().__init__(data)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [
            ("", _("Everyone")),
            ("system", _("The system")),
            *((str(user.pk), str(user)) for user in people),
        ]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Everything")), *history_kinds()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The from date must not be after the to date."))
        return data

    def filters(self) -> HistoryFilter:
        """The valid filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        person = data.get("person") or ""
        return HistoryFilter(
            person=int(person) if person.isdigit() else None,
            system=person == "system",
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
        )

    def describe(self) -> list[tuple[str, str]]:
        """The filters in words, for the export's selection sheet."""
        rows = []
        for name in ("person", "kind", "since", "until"):
            bound = self[name]
            value = self.cleaned_data.get(name)
            if isinstance(bound.field, forms.ChoiceField):
                text = str(dict(bound.field.choices).get(value or "", value))  # type: ignore[arg-type]
            else:
                text = formats.date_format(value, "DATE_FORMAT") if value else "–"
            rows.append((str(bound.label), text))
        return rows


def history_filter_form(
    data: Mapping[str, Any] | None, *, access: AgreementAccess
) -> HistoryFilterForm:
    return HistoryFilterForm(data or {}, people=history_people(access=access))


# Reading the log -------------------------------------------------------------------------------

# One action: its correlation id, or "#<row id>" for a row written outside any action.
_GROUP = Coalesce("cid", Concat(Value("#"), Cast("id", output_field=CharField())))


def _visible(access: AgreementAccess) -> QuerySet[LogEntry]:
    """The rows tied to the agreement that this person may see."""
    rows: QuerySet[LogEntry] = LogEntry.objects.filter(
        additional_data__agreement_id=access.agreement.pk
    )
    private = Q(additional_data__private_to_side__isnull=False)
    side = access.side
    if side:
        return rows.exclude(private & ~Q(additional_data__private_to_side=side))
    return rows.exclude(private)


def _filtered(access: AgreementAccess, filters: HistoryFilter) -> QuerySet[LogEntry]:
    rows = _visible(access)
    if filters.system:
        rows = rows.filter(actor__isnull=True)
    elif filters.person is not None:
        rows = rows.filter(actor_id=filters.person)
    if filters.kind:
        app_label, _dot, model = filters.kind.partition(".")
        rows = rows.filter(content_type__app_label=app_label, content_type__model=model)
    if filters.since:
        rows = rows.filter(timestamp__gte=_day_start(filters.since))
    if filters.until:
        rows = rows.filter(timestamp__lt=_day_start(filters.until + dt.timedelta(days=1)))
    return rows


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def history_actions(*, access: AgreementAccess, filters: HistoryFilter) -> QuerySet[Any]:
    """One row per action a filter selects (its key and time), newest first.

    An action is selected when any of its rows matches; it is then shown whole.
    """
    actions: QuerySet[Any] = (
        _filtered(access, filters)
        .values(key=_GROUP)
        .annotate(last=Max("timestamp"), last_id=Max("id"))
        .order_by("-last", "-last_id")
    )
    return actions


def _rows_of(access: AgreementAccess, keys: Sequence[str]) -> dict[str, list[LogEntry]]:
    cids = [key for key in keys if not key.startswith("#")]
    ids = [int(key[1:]) for key in keys if key.startswith("#")]
    grouped: dict[str, list[LogEntry]] = {key: [] for key in keys}
    rows = (
        _visible(access)
        .filter(Q(cid__in=cids) | Q(pk__in=ids))
        .select_related("actor", "content_type")
        .order_by("pk")
    )
    for row in rows:
        key = row.cid if row.cid in grouped else f"#{row.pk}"
        grouped[key].append(row)
    return grouped


@dataclass(frozen=True)
class HistoryEntry:
    """One action as the history tells it."""

    when: dt.datetime
    actor: str
    actor_email: str
    summary: str
    details: tuple[str, ...]
    log_ids: tuple[int, ...]


def history_page(
    *, access: AgreementAccess, filters: HistoryFilter, number: Any, per_page: int = PAGE_SIZE
) -> Page[HistoryEntry]:
    """One page of entries (``number`` as the request gave it; out of range: the nearest)."""
    paginator = Paginator(history_actions(access=access, filters=filters), per_page)
    page = paginator.get_page(number)
    keys = [row["key"] for row in page.object_list]
    page.object_list = _present(access, keys)
    return page


def history_all(
    *, access: AgreementAccess, filters: HistoryFilter, chunk: int = 500
) -> Iterator[HistoryEntry]:
    """Every entry the filters select, newest first, read ``chunk`` actions at a time."""
    keys = list(history_actions(access=access, filters=filters).values_list("key", flat=True))
    for start in range(0, len(keys), chunk):
        yield from _present(access, keys[start : start + chunk])


# Presenting ---------------------------------------------------------------------------------


@dataclass
class ObjectChange:
    """Everything one action did to one object, merged over its rows.

    ``fields`` holds each changed field's ``[before, after]`` as auditlog stored
    them (text); ``added`` / ``removed`` the names of many-to-many members.
    """

    model: type[models.Model] | None
    content_type_id: int
    pk: str
    name: str
    action: int
    fields: dict[str, list[Any]] = field(default_factory=dict)
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def description(self) -> Description:
        return description_of(self.model)

    def value(self, name: str) -> Any:
        """The field's stored value as it was (deleted) or became (created, changed)."""
        old, new = self.fields.get(name, (None, None))
        return old if self.action == DELETE else new


@cache
def _field_order(model: type[models.Model] | None) -> dict[str, int]:
    """Each field's place in its model, for listing changes the same way on every database."""
    if model is None:
        return {}
    return {field.name: i for i, field in enumerate(model._meta.get_fields())}


def _merge(rows: Sequence[LogEntry]) -> list[ObjectChange]:
    changes: dict[tuple[int, str], ObjectChange] = {}
    for row in rows:
        key = (row.content_type_id, row.object_pk)
        change = changes.get(key)
        if change is None:
            change = changes[key] = ObjectChange(
                model=row.content_type.model_class(),
                content_type_id=row.content_type_id,
                pk=row.object_pk,
                name=row.object_repr,
                action=row.action,
            )
        elif row.action == DELETE or (row.action == CREATE and change.action == UPDATE):
            change.action = row.action
        if row.action != DELETE:
            change.name = row.object_repr
        # In the model's field order: PostgreSQL's jsonb keeps no key order of its own.
        order = _field_order(change.model)
        for name, values in sorted(
            (row.changes or {}).items(), key=lambda item: order.get(item[0], len(order))
        ):
            if isinstance(values, dict) and values.get("type") == "m2m":
                _merge_m2m(change, name, values)
            elif isinstance(values, list | tuple) and len(values) == 2:
                if name in change.fields:
                    change.fields[name][1] = values[1]
                else:
                    change.fields[name] = list(values)
    return list(changes.values())


def _merge_m2m(change: ObjectChange, name: str, values: Mapping[str, Any]) -> None:
    added, removed = change.added.setdefault(name, []), change.removed.setdefault(name, [])
    for item in values.get("objects", []):
        if values.get("operation") == "add":
            if item in removed:
                removed.remove(item)
            elif item not in added:
                added.append(item)
        elif item in added:
            added.remove(item)
        elif item not in removed:
            removed.append(item)


def _none(value: Any) -> bool:
    return value is None or value in ("None", "")


class _Names:
    """Names of the objects that changed values refer to, read once for a whole page."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if not _none(pk):
            self.wanted[model].add(str(pk))

    def load(self) -> None:
        missing: list[tuple[type[models.Model], str]] = []
        for model, pks in self.wanted.items():
            to_one = [f.name for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
            name = description_of(model).instance_name or str
            valid = [pk for pk in pks if pk.isdigit()] if _int_pk(model) else list(pks)
            found = model._default_manager.select_related(*to_one).filter(pk__in=valid)
            for obj in found:
                self.names[(model, str(obj.pk))] = name(obj)
            missing += [(model, pk) for pk in pks if (model, pk) not in self.names]
        if missing:
            self._from_log(missing)

    def _from_log(self, missing: list[tuple[type[models.Model], str]]) -> None:
        """A removed object keeps the name the log last recorded for it."""
        from django.contrib.contenttypes.models import ContentType

        query = Q()
        for model, pk in missing:
            query |= Q(content_type=ContentType.objects.get_for_model(model), object_pk=pk)
        types = {ContentType.objects.get_for_model(model).pk: model for model, _pk in missing}
        for content_type_id, pk, name in (
            LogEntry.objects.filter(query)
            .order_by("pk")
            .values_list("content_type_id", "object_pk", "object_repr")
        ):
            self.names[(types[content_type_id], pk)] = name

    def name(self, model: type[models.Model], pk: Any) -> str:
        return self.names.get((model, str(pk)), _("removed (%(id)s)") % {"id": pk})


def _int_pk(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.IntegerField)


class _Currency:
    """The agreement's currency at any time, from its own recorded changes (read once)."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.changes: list[tuple[dt.datetime, str]] | None = None

    def at(self, when: dt.datetime) -> str:
        if self.changes is None:
            from django.contrib.contenttypes.models import ContentType

            self.changes = [
                (row.timestamp, str(row.changes["currency"][0]))
                for row in LogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(Agreement),
                    object_id=self.agreement.pk,
                    action=UPDATE,
                    changes__has_key="currency",
                ).order_by("timestamp")
            ]
        for changed_at, before in self.changes:
            if changed_at > when:
                return before
        return self.agreement.currency


def _present(access: AgreementAccess, keys: Sequence[str]) -> list[HistoryEntry]:
    grouped = _rows_of(access, keys)
    merged = {key: _merge(rows) for key, rows in grouped.items() if rows}
    names = _Names()
    for changes in merged.values():
        for change in changes:
            for name in change.fields:
                target = _related_model(change, name)
                if target is not None:
                    names.want(target, change.fields[name][0])
                    names.want(target, change.fields[name][1])
    names.load()
    teller = _Teller(access.agreement, names, _Currency(access.agreement))
    return [teller.entry(grouped[key], merged[key]) for key in keys if merged.get(key)]


def field_label(model: type[models.Model] | None, name: str) -> Any:
    """The label the history shows for a model's field, or None when it is never shown.

    Never shown: reverse relations (auditlog records "owned_processes" on create and
    delete), the primary key, the link to the agreement (the page is the agreement's),
    time stamps set on every save, fields the app hides and fields auditlog no longer
    records. The label is the app's (``describe(labels=…)``) or the field's
    ``verbose_name``, translated when the page is rendered.
    """
    description = description_of(model)
    if name in description.hidden:
        return None
    if model is None:
        return name.replace("_", " ")
    registered = auditlog.contains(model)
    if registered and name in auditlog.get_model_fields(model)["exclude_fields"]:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed: its name is all that is left
        return description.labels.get(name, name.replace("_", " "))
    if not isinstance(found, models.Field) or found.primary_key:
        return None
    if getattr(found, "auto_now", False) or getattr(found, "auto_now_add", False):
        return None
    if found.is_relation and found.related_model is Agreement:
        return None
    return description.labels.get(name, found.verbose_name)


def _field(change: ObjectChange, name: str) -> models.Field[Any, Any] | None:
    if change.model is None:
        return None
    try:
        found = change.model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _related_model(change: ObjectChange, name: str) -> type[models.Model] | None:
    found = _field(change, name)
    if found is None or not (found.many_to_one or found.one_to_one):
        return None
    related = found.related_model
    return related if isinstance(related, type) and issubclass(related, models.Model) else None


def _capfirst(text: Any) -> str:
    words = str(text)
    return words[:1].upper() + words[1:]


def _quoted(text: str) -> str:
    return _("“%(text)s”") % {"text": text}


def _short(text: str, limit: int = INLINE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _choice_label(label: Any) -> str:
    """A choice's label inside a sentence: lower-case unless it is a name ("Utility Outsourcing")."""
    text = str(label)
    rest = text[1:]
    return text[:1].lower() + rest if rest == rest.lower() else text


class _Teller:
    """Turns one action's merged changes into a sentence and its details."""

    def __init__(self, agreement: Agreement, names: _Names, currency: _Currency) -> None:
        self.agreement = agreement
        self.names = names
        self.currency = currency
        self.when = timezone.now()

    # The entry ------------------------------------------------------------------------------

    def entry(self, rows: Sequence[LogEntry], changes: list[ObjectChange]) -> HistoryEntry:
        first = rows[0]
        self.when = first.timestamp
        actor = first.actor
        who = (actor.get_full_name() if actor else "") or first.actor_email or _("The system")
        mains = [change for change in changes if not self._belongs_to_another(change, changes)]
        subs = [change for change in changes if change not in mains]
        if len(mains) == 1:
            does, details = self.single(mains[0])
            details += [_capfirst(self.brief(sub)) for sub in subs]
        else:
            does = self.collective(mains)
            details = [_capfirst(self.brief(change)) for change in [*mains, *subs]]
        return HistoryEntry(
            when=first.timestamp,
            actor=who,
            actor_email=(actor.email if actor else first.actor_email) or "",
            summary=_("%(actor)s %(does)s") % {"actor": who, "does": does},
            details=tuple(details),
            log_ids=tuple(row.pk for row in rows),
        )

    def _belongs_to_another(self, change: ObjectChange, changes: Sequence[ObjectChange]) -> bool:
        """A row created or removed with the object it refers to (a process's RACI rows)."""
        if change.action == UPDATE:
            return False
        for name in change.fields:
            target = _related_model(change, name)
            pk = change.value(name)
            if target is None or _none(pk):
                continue
            for other in changes:
                if other is not change and other.model is target and other.pk == str(pk):
                    return True
        return False

    # Sentences ----------------------------------------------------------------------------

    def the(self, change: ObjectChange) -> str:
        """The object in a sentence: "the role “Strategic partner”"."""
        description = change.description
        name = _short(self.name(change))
        if callable(description.the):
            return str(description.the(change, self.show_all(change), name))
        if description.the is not None:
            return str(description.the) % {"name": name}
        kind = change.model._meta.verbose_name if change.model else _("object")
        return _("%(kind)s “%(name)s”") % {"kind": kind, "name": name}

    def name(self, change: ObjectChange) -> str:
        description = change.description
        if description.name_field and change.action == UPDATE:
            old = change.fields.get(description.name_field, [None])[0]
            if not _none(old):
                return str(old)
        name = change.name
        prefix = f"{self.agreement.reference} "
        if change.model is not Agreement and name.startswith(prefix):
            name = name[len(prefix) :]
        return name

    def verb(self, change: ObjectChange, object_text: str) -> str:
        template = change.description.verbs.get(change.action)
        if template is None:
            template = _("added %(object)s") if change.action == CREATE else _("removed %(object)s")
        return str(template) % {"object": object_text}

    def single(self, change: ObjectChange) -> tuple[str, list[str]]:
        """The sentence (without the actor) and the details for one object."""
        if change.action != UPDATE:
            lines = [
                # A question is followed by its answer without a colon.
                f"{_capfirst(label)} {text}"
                if label.endswith("?")
                else _("%(field)s: %(value)s") % {"field": _capfirst(label), "value": text}
                for label, text in self.shown_values(change)
            ]
            return self.verb(change, self.the(change)), lines
        return self.updated(change)

    def brief(self, change: ObjectChange) -> str:
        """One line for an object among others: the sentence without its details."""
        return self.single(change)[0]

    def collective(self, changes: Sequence[ObjectChange]) -> str:
        """ "added 8 roles and removed 3 escalation steps"."""
        counted = Counter((change.action, change.model) for change in changes)
        phrases: list[str] = []
        for (action, model), count in counted.items():
            same = [c for c in changes if c.action == action and c.model is model]
            replaced = description_of(model).replaced
            if replaced and {(CREATE, model), (DELETE, model)} <= set(counted):
                if action == DELETE:  # told once, where the new ones are added
                    continue
                if action == CREATE:
                    phrases.append(str(replaced))
                    continue
            if count == 1:
                phrases.append(self.brief(same[0]))
                continue
            meta = model._meta if model else None
            plural = meta.verbose_name_plural if meta else _("objects")
            things = f"{formats.number_format(count)} {plural}"
            if action == UPDATE:
                phrases.append(_("changed %(object)s") % {"object": things})
            else:
                phrases.append(self.verb(same[0], things))
        return str(get_text_list(phrases, _("and")))

    def updated(self, change: ObjectChange) -> tuple[str, list[str]]:
        description = change.description
        parts = self.shown_changes(change)
        subject = description.is_subject
        the = "" if subject else self.the(change)
        if not parts:
            return _("saved %(object)s without changes") % {"object": self.the(change)}, []
        if len(parts) == 1:
            name, label, old, new = parts[0]
            inline = self.inline(old, new)
            if name == description.name_field and not _none(change.fields[name][1]):
                template = description.renamed or _("renamed %(object)s to %(new)s")
                new_name = _quoted(_short(str(change.fields[name][1])))
                return str(template) % {"object": self.the(change), "new": new_name}, []
            if name in description.set_verbs and _empty(old):
                return str(description.set_verbs[name]) % {"object": the}, []
            if inline:
                return self.inline_sentence(label, the, *inline), []
        labels = [label for _name, label, _old, _new in parts]
        fields_text = str(get_text_list(labels, _("and")))
        does = (
            _("changed %(fields)s") % {"fields": fields_text}
            if subject
            else _("changed %(fields)s of %(object)s") % {"fields": fields_text, "object": the}
        )
        lines = [
            line for _n, label, old, new in parts for line in self.change_lines(label, old, new)
        ]
        return does, lines

    def inline(self, old: Display, new: Display) -> tuple[str, str] | None:
        """Both values as short single texts, or None when they need the details."""
        if not isinstance(old, str) or not isinstance(new, str):
            return None
        if len(old) > INLINE_LIMIT or len(new) > INLINE_LIMIT or "\n" in old + new:
            return None
        return old, new

    def inline_sentence(self, label: str, the: str, old: str, new: str) -> str:
        values = {"field": label, "object": the, "old": old, "new": new}
        if _empty(old):
            template = (
                _("set %(field)s to %(new)s")
                if not the
                else _("set %(field)s of %(object)s to %(new)s")
            )
        elif _empty(new):
            template = (
                _("cleared %(field)s (was %(old)s)")
                if not the
                else _("cleared %(field)s of %(object)s (was %(old)s)")
            )
        else:
            template = (
                _("changed %(field)s from %(old)s to %(new)s")
                if not the
                else _("changed %(field)s of %(object)s from %(old)s to %(new)s")
            )
        return template % values

    def change_lines(self, label: str, old: Display, new: Display) -> list[str]:
        """The details of one field's change; a keyed value gets a line per changed key."""
        field_label = _capfirst(label)
        if isinstance(old, list) or isinstance(new, list):
            change = _list_change(_as_list(old), _as_list(new))
            return [_("%(field)s: %(change)s") % {"field": field_label, "change": change}]
        if isinstance(old, dict) or isinstance(new, dict):
            before, after = _as_dict(old), _as_dict(new)
            keys = [*before, *(key for key in after if key not in before)]
            return [
                line
                for key in keys
                if before.get(key) != after.get(key)
                for line in self.change_lines(
                    _("%(field)s – %(part)s") % {"field": field_label, "part": key},
                    before.get(key, "–"),
                    after.get(key, "–"),
                )
            ]
        if _empty(old):
            return [_("%(field)s: set to %(new)s") % {"field": field_label, "new": new}]
        if _empty(new):
            return [_("%(field)s: cleared (was %(old)s)") % {"field": field_label, "old": old}]
        return [
            _("%(field)s: from %(old)s to %(new)s") % {"field": field_label, "old": old, "new": new}
        ]

    # Fields and values ---------------------------------------------------------------------

    def shown(self, change: ObjectChange, name: str) -> str | None:
        label = field_label(change.model, name)
        return None if label is None else str(label)

    def shown_values(self, change: ObjectChange) -> list[tuple[str, str]]:
        """(label, text) of a created or removed object's non-empty fields, m2m included."""
        rows = []
        for name in change.fields:
            label = self.shown(change, name)
            if label is None:
                continue
            shown = self.show(change, name, change.value(name))
            if isinstance(shown, dict):
                rows += [
                    (_("%(field)s – %(part)s") % {"field": _capfirst(label), "part": key}, text)
                    for key, text in shown.items()
                ]
            elif not _empty(text := _as_text(shown)):
                rows.append((label, text))
        for name, items in change.added.items():
            label = self.shown(change, name)
            if label is not None and items:
                rows.append((label, ", ".join(items)))
        return rows

    def show_all(self, change: ObjectChange) -> dict[str, str]:
        return {
            name: _as_text(self.show(change, name, change.value(name))) for name in change.fields
        }

    def shown_changes(self, change: ObjectChange) -> list[tuple[str, str, Display, Display]]:
        parts = []
        for name, (old, new) in change.fields.items():
            label = self.shown(change, name)
            if label is None:
                continue
            before, after = self.show(change, name, old), self.show(change, name, new)
            if before != after:
                parts.append((name, label, before, after))
        for name in {*change.added, *change.removed}:
            label = self.shown(change, name)
            added, removed = change.added.get(name, []), change.removed.get(name, [])
            if label is not None and (added or removed):
                parts.append((name, label, removed, added))
        return parts

    def show(self, change: ObjectChange, name: str, stored: Any) -> Display:
        """A stored value as the reader reads it."""
        if _none(stored):
            return "–"
        description = change.description
        found = _field(change, name)
        if isinstance(found, models.JSONField) or name in description.values:
            value = _json(stored) if isinstance(found, models.JSONField) else stored
            if name in description.values:
                return description.values[name](value)
            return _json_display(value)
        if found is None:
            return str(stored)
        if found.many_to_one or found.one_to_one:
            target = _related_model(change, name)
            return self.names.name(target, stored) if target else str(stored)
        if found.choices:
            labels = {str(key): label for key, label in found.flatchoices}
            return _choice_label(labels.get(str(stored), stored))
        if isinstance(found, models.BooleanField):
            return _("yes") if str(stored) in ("True", "true", "1") else _("no")
        if isinstance(found, models.DateTimeField):
            return _datetime(stored)
        if isinstance(found, models.DateField):
            return _date(stored)
        if isinstance(found, models.DecimalField):
            return self.decimal(change, name, stored)
        if isinstance(found, models.IntegerField | models.FloatField):
            return _number(stored)
        return _quoted(str(stored))

    def decimal(self, change: ObjectChange, name: str, stored: Any) -> str:
        try:
            value = Decimal(str(stored))
        except InvalidOperation:
            return str(stored)
        if name in change.description.money:
            currency = change.fields.get("currency")
            if currency is not None:
                code = currency[0] if stored == change.fields[name][0] else currency[1]
            else:
                code = self.currency.at(self.when)
            return format_money(value, str(code), exact=True)
        return formats.number_format(value, use_l10n=True, force_grouping=True)


def _empty(value: Any) -> bool:
    return value in ("", "–", None) or value == [] or value == {}


def _json(stored: Any) -> Any:
    if not isinstance(stored, str):
        return stored
    try:
        return json.loads(stored)
    except ValueError:
        return stored


def _json_display(value: Any) -> Display:
    if isinstance(value, list):
        return [_item(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _item(item) for key, item in value.items()}
    return _item(value)


def _item(value: Any) -> str:
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in (None, ""))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def _as_list(value: Display) -> list[str]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [f"{key}: {text}" for key, text in value.items()]
    return [] if _empty(value) else [value]


def _as_dict(value: Display) -> dict[str, str]:
    return value if isinstance(value, dict) else {}


def _as_text(value: Display) -> str:
    if isinstance(value, list):
        return "; ".join(value) if value else "–"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {text}" for key, text in value.items()) if value else "–"
    return value


def _list_change(old: list[str], new: list[str]) -> str:
    """ "added “A” and “B”; removed “C”", or "changed the order"."""
    remaining = Counter(old)
    added = []
    for item in new:
        if remaining[item] > 0:
            remaining[item] -= 1
        else:
            added.append(item)
    removed = list((Counter(old) - Counter(new)).elements())
    parts = []
    if added:
        parts.append(_("added %(items)s") % {"items": get_text_list(added, _("and"))})
    if removed:
        parts.append(_("removed %(items)s") % {"items": get_text_list(removed, _("and"))})
    if not parts and old != new:
        parts.append(_("changed the order"))
    return "; ".join(parts)


def _number(stored: Any) -> str:
    try:
        value = Decimal(str(stored))
    except InvalidOperation:
        return str(stored)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _date(stored: Any) -> str:
    try:
        day = dt.date.fromisoformat(str(stored)[:10])
    except ValueError:
        return str(stored)
    return formats.date_format(day, "DATE_FORMAT")


def _datetime(stored: Any) -> str:
    """auditlog stores times in UTC without a zone; shown in the reader's zone."""
    try:
        moment = dt.datetime.fromisoformat(str(stored))
    except ValueError:
        return str(stored)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# Export --------------------------------------------------------------------------------------


def history_filename(agreement: Agreement) -> str:
    stem = _("history")
    reference = "".join(c if c.isalnum() or c in "-_." else "-" for c in agreement.reference)
    return f"{reference}-{stem}-{timezone.localdate().isoformat()}.xlsx"


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False, fmt: str = "") -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    if fmt:
        cell.number_format = fmt
    return cell


def history_workbook(
    *, access: AgreementAccess, form: HistoryFilterForm, exported_by: User
) -> bytes:
    """Every entry the (valid) form selects as an Excel workbook: one row per entry.

    The first sheet lists the entries, newest first: the time in UTC (ISO 8601,
    as text) and in the installation's time zone (an Excel date), who, what,
    the details (one per line), the person's e-mail address and the ids of the
    audit-log rows behind the entry. The second sheet records the selection:
    agreement, filters, when and by whom it was exported, and the count.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("History"))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFG", (22, 18, 24, 70, 70, 30, 18), strict=True):
        sheet.column_dimensions[column].width = width
    headers = (
        _("Time (UTC, ISO 8601)"),
        _("Time (local)"),
        _("Who"),
        _("What"),
        _("Details"),
        _("E-mail"),
        _("Audit-log rows"),
    )
    sheet.append([_cell(sheet, header, bold=True) for header in headers])
    count = 0
    for entry in history_all(access=access, filters=form.filters()):
        count += 1
        utc = entry.when.astimezone(dt.UTC).replace(microsecond=0)
        local = timezone.localtime(entry.when).replace(tzinfo=None, microsecond=0)
        sheet.append(
            [
                _cell(sheet, utc.isoformat().replace("+00:00", "Z")),
                _cell(sheet, local, fmt="yyyy-mm-dd hh:mm:ss"),
                _cell(sheet, entry.actor),
                _cell(sheet, entry.summary),
                _cell(sheet, "\n".join(entry.details)),
                _cell(sheet, entry.actor_email),
                _cell(sheet, ", ".join(str(pk) for pk in entry.log_ids)),
            ]
        )
    sheet.auto_filter.ref = f"A1:G{count + 1}"
    selection = workbook.create_sheet(_("Selection"))
    selection.column_dimensions["A"].width = 24
    selection.column_dimensions["B"].width = 60
    agreement = access.agreement
    rows: list[tuple[str, Any]] = [
        (_("Agreement"), f"{agreement.reference} {agreement.title}"),
        *form.describe(),
        (_("Entries"), count),
        (_("Exported"), formats.date_format(timezone.localtime(), "DATETIME_FORMAT")),
        (_("Exported by"), f"{exported_by} <{exported_by.email}>"),
        (_("Time zone of local times"), timezone.get_current_timezone_name()),
    ]
    for label, value in rows:
        selection.append([_cell(selection, label, bold=True), _cell(selection, value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The agreements app's own models --------------------------------------------------------------


def describe_agreements() -> None:
    describe(
        Agreement,
        the=gettext_lazy("the agreement %(name)s"),
        verbs={CREATE: gettext_lazy("created %(object)s")},
        money=["annual_value"],
        is_subject=True,
        # A proposal's answer: the entry's own time says when it was given.
        hidden=["proposal_answered_at"],
        labels={"proposal": gettext_lazy("proposal state")},
    )
    describe(Participant, the=gettext_lazy("the participant %(name)s"))
