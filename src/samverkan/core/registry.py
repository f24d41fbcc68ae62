"""The capability registry: the one way a capability shows itself on shared surfaces.

The base (``accounts``, ``agreements``, ``documents``, ``lib``) and the shared
``core`` import no capability; a capability (``relationships``, ``collaboration``,
``appendix``, ``health`` and those to come) contributes to the shared surfaces by
registering here in its ``AppConfig.ready()``::

    from samverkan.core import registry

    def ready(self) -> None:
        from samverkan.health import surfaces
        surfaces.register()  # registry.register_tab(registry.Tab(key="health", ...)), …

The contribution points, each a ``register_*`` function and a reader:

=====================  =======================================  ===========================
Point                  Registered                                Read by
=====================  =======================================  ===========================
agreement tabs         ``register_tab(Tab)``                     ``agreement_tabs(request, access)``
overview panels        ``register_overview_panel(OverviewPanel)`` ``overview_panels(access)``
agreement file         ``register_file_section(FileSection)``    ``file_sections()``
appendix chapters      ``register_appendix_chapter(...)``        ``appendix_chapters(anchor)``
"Mitt arbete"          ``register_work_provider(provider)``      ``work_items(user)``
meeting agenda         ``register_agenda_source(AgendaSource)``  ``agenda_items(access, …)``
portfolio columns      ``register_portfolio_column(...)``        ``portfolio_columns()``
negotiation facts      ``register_negotiation_facts(...)``       ``negotiation_facts(access)``
new agreements         ``register_agreement_starter(...)``       ``agreement_starters()``
demo content           ``register_demo(DemoContent)``            ``demo_contents()``
=====================  =======================================  ===========================

Rules every contribution keeps:

- It reads only agreements the person may see, through
  ``samverkan.agreements.access``; a contribution is handed an ``AgreementAccess``
  (who asks, for which side) or, for the portfolio, the person and the agreements
  already filtered for them — never an id to look up — and shows a side's private
  data only to that side.
- It runs a number of queries that does not grow with the data (rounds,
  versions, agreements): the overview's and "Mitt arbete"'s query counts are
  asserted in tests for small and large data.
- Its texts are in the active language (readers activate it; ``label``s are lazy).
- Registering the same contribution again changes nothing (``ready()`` may run
  twice in tests; functions are compared by their module and name, so a lambda
  built anew counts as the same); two different contributions with the same key
  are an error.

``docs/architecture.md`` shows how to add a capability with these points.
"""

from __future__ import annotations

import dataclasses
import datetime
import graphlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from samverkan.core.work import WorkItem, WorkProvider

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest
    from django.utils.functional import _StrOrPromise
    from pydantic import BaseModel

    from samverkan.accounts.models import User
    from samverkan.agreements.access import AgreementAccess
    from samverkan.agreements.models import Agreement


def _always(access: AgreementAccess) -> bool:
    return True


# Agreement tabs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    """One tab of the agreement's pages (under its header).

    ``url_name`` is reversed with the agreement's id. The tab is active on every
    page whose URL namespace is in ``namespaces`` or whose view name is in
    ``view_names`` ("agreements:history").
    """

    key: str
    label: _StrOrPromise
    url_name: str
    order: int
    namespaces: tuple[str, ...] = ()
    view_names: tuple[str, ...] = ()
    visible: Callable[[AgreementAccess], bool] = _always

    def is_active(self, request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return False
        return match.namespace in self.namespaces or match.view_name in self.view_names


@dataclass(frozen=True)
class TabLink:
    """A tab as a page shows it."""

    key: str
    label: str
    url: str
    active: bool


# Overview panels -------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewPanel:
    """A block on the agreement's overview: ``template`` rendered with ``context(access)``.

    The context function is called once per view with the access already checked;
    it must read a summary that is cheap to keep (a few queries, never the whole
    state of the capability). The template gets ``agreement``, ``access`` and the
    panel's context.
    """

    key: str
    order: int
    template: str
    context: Callable[[AgreementAccess], Mapping[str, Any]]
    visible: Callable[[AgreementAccess], bool] = _always


@dataclass(frozen=True)
class PanelView:
    template: str
    context: Mapping[str, Any]


# The agreement file ------------------------------------------------------------------------


class FileSection(Protocol):
    """A part of the agreement file (YAML, format 1) owned by one capability.

    ``keys`` are the top-level keys it owns, in the file's order; ``order`` places
    them among the other sections' (after the base's ``samverkan`` and ``agreement``)
    and decides the order of ``write``s on import. The section lives with the
    capability (``<app>/agreement_file.py``); ``samverkan.agreements.agreement_file``
    composes the sections into the file's model, its JSON Schema, the export and
    the import.
    """

    key: str
    order: int
    keys: tuple[str, ...]

    def model(self) -> type[BaseModel]:
        """The section's pydantic model: one field per key, in order (``extra="forbid"``).

        Its fields become the file's top-level fields, so its checks are field-level
        (``Annotated`` validators, nested models); a check that needs another
        section reads ``context`` in a validator (``info.context``).
        """
        ...

    def context(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        """What the validators need, read from the whole parsed file (maybe malformed),
        such as the role keys forums may name; merged into one validation context."""
        ...

    def export(self, agreements: Sequence[Agreement]) -> Mapping[int, Mapping[str, Any]]:
        """Each agreement's content of the section (by id; ``keys`` in order, plain YAML
        values), in a number of queries that does not grow with the agreements."""
        ...

    def write(
        self, content: BaseModel, *, agreement: Agreement, actor: User, replacing: bool
    ) -> None:
        """Make the agreement's part what the checked ``content`` (an instance of
        ``model()``) says, through the capability's services; ``replacing`` when the
        agreement existed (its part is replaced whole). Runs inside the import's
        transaction; a service's refusal is reported with its place in the file
        (``agreement_file.reporting``)."""
        ...

    def tracked(self) -> Mapping[type[Model], Callable[[Any], int]]:
        """The rows the section's content is read from, each with how a row finds its
        agreement's id. Every save or deletion of one (through the ORM, as the services
        write) changes the agreement's snapshot revision, by which figures computed from
        the snapshot are kept (the appendix's completeness summary). A many-to-many
        table is given by its ``through`` model, with a function of the row holding the
        relation (a forum, for its members)."""
        ...


# Appendix chapters and their completeness rules --------------------------------------------


class ChapterWriter(Protocol):
    """What a contributed chapter may write into the collaboration appendix."""

    def heading(self, level: int, text: str, anchor: str = "") -> None: ...

    def paragraph(self, text: str, style: str = "body") -> None: ...

    def bullets(self, items: Sequence[str], numbered: bool = False) -> None: ...

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None: ...

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None: ...


@dataclass(frozen=True)
class CompletenessRule:
    """A completeness rule a capability adds to the appendix's check.

    ``check(snapshot, language)`` is pure (it reads only the snapshot, the agreement
    file's content) and returns what is wrong, one line per offending item; an
    empty list passes; whether it passes must not depend on the language (only the
    details' words do: the overview keeps the counts once for every language). Texts
    are ``{"sv": …, "en": …}``; ``fix`` is a link key of ``samverkan.core.links``
    (where the user fixes it). Checked when registered.
    """

    id: str
    severity: str  # "error" | "warning"
    title: Mapping[str, str]
    explanation: Mapping[str, str]
    fix: str
    check: Callable[[Mapping[str, Any], str], list[str]]
    source: str = "good practice"  # or "seed", with the article's words in ``quote``
    quote: str = ""


@dataclass(frozen=True)
class AppendixChapter:
    """A capability's part of the collaboration appendix.

    Without a ``title`` it fills the appendix chapter ``anchor`` (written at the
    chapter's end; "innovation" and "scorecard" then drop their "to be agreed"
    line); with one it is a chapter of its own placed after chapter ``anchor``.
    The appendix's anchors, in order: purpose, relationship, model, forums,
    processes, escalation, innovation, scorecard, development, exit, changes.
    ``write`` reads only the snapshot (the agreement file's content, so an old
    version's document is rebuilt the same) and returns whether it wrote anything.
    Its ``rules`` join the appendix's completeness check.

    ``needs`` are the snapshot's top-level keys it reads (its file section's): a
    snapshot without them — a version published before the capability existed —
    gets neither the chapter nor its rules, so an approved version's document and
    check stay as they were.
    """

    key: str
    anchor: str
    order: int
    write: Callable[[ChapterWriter, Mapping[str, Any]], bool]
    title: _StrOrPromise = ""
    rules: tuple[CompletenessRule, ...] = ()
    needs: tuple[str, ...] = ()

    def applies_to(self, snapshot: Mapping[str, Any]) -> bool:
        return all(key in snapshot for key in self.needs)


# Meeting agenda --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    """Something a forum's meeting should take up, pulled from a capability."""

    kind: str  # "<app>.<what>", stable
    title: str
    detail: str = ""
    url: str = ""
    since: datetime.date | None = None
    due: datetime.date | None = None


@dataclass(frozen=True)
class AgendaSource:
    """What a forum's meeting can pull from one capability.

    ``items(access, forum_key, level, until)`` gives what is open for a forum of that
    key and level (strategic, tactical, operational) up to the meeting's day, as the
    person preparing the agenda may see it.
    """

    key: str
    label: _StrOrPromise
    order: int
    items: Callable[[AgreementAccess, str, str, datetime.date], list[AgendaItem]]


# Portfolio columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioCell:
    text: str
    sort: Any = None  # what the column sorts by; None sorts last
    tone: str = ""  # "", "good", "warning", "danger"
    url: str = ""


@dataclass(frozen=True)
class PortfolioColumn:
    """A column of the portfolio (one row per agreement the person may see).

    ``values(user, agreements)`` answers for all rows at once (the agreements ``user``
    may see), in a fixed number of queries; an agreement missing from the answer
    shows an empty cell.
    """

    key: str
    label: _StrOrPromise
    order: int
    values: Callable[[User, Sequence[Agreement]], Mapping[int, PortfolioCell]]


# Negotiation facts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class NegotiationFacts:
    """Read-only facts about an agreement a negotiation case may show beside its work,
    as the case's member (``access``) may see them."""

    key: str
    label: _StrOrPromise
    order: int
    facts: Callable[[AgreementAccess], list[Fact]]


# New agreements and demo content ------------------------------------------------------------


@dataclass(frozen=True)
class AgreementStarter:
    """What a capability gives every new agreement created with a starter model."""

    key: str
    order: int
    start: Callable[[Agreement], None]


@dataclass(frozen=True)
class DemoContent:
    """A capability's demo content for one demo agreement, loaded after ``after``'s.

    ``load(agreement, people)`` is idempotent (loading the demo again changes
    nothing); ``people`` are the demo's users by e-mail.
    """

    key: str
    load: Callable[[Agreement, Mapping[str, User]], None]
    after: tuple[str, ...] = ()


# The registry ------------------------------------------------------------------------------

_T = TypeVar("_T")


def _same(a: Any, b: Any) -> bool:
    """Equal, with functions compared by where they are defined (a lambda made again by a
    second ``ready()`` is the same contribution)."""
    if callable(a) and callable(b) and not isinstance(a, type):
        return (getattr(a, "__module__", None), getattr(a, "__qualname__", None)) == (
            getattr(b, "__module__", None),
            getattr(b, "__qualname__", None),
        )
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@dataclass
class _Point(Generic[_T]):
    name: str
    entries: dict[str, _T] = field(default_factory=dict)

    def add(self, key: str, entry: _T) -> None:
        existing = self.entries.get(key)
        if existing is not None and not _same(existing, entry):
            raise ValueError(f"{self.name}: {key!r} is registered twice")
        self.entries[key] = entry

    def remove(self, key: str) -> None:
        self.entries.pop(key, None)

    def ordered(self) -> list[_T]:
        return sorted(self.entries.values(), key=lambda entry: getattr(entry, "order", 0))


_tabs: _Point[Tab] = _Point("tab")
_panels: _Point[OverviewPanel] = _Point("overview panel")
_file_sections: _Point[FileSection] = _Point("file section")
_chapters: _Point[AppendixChapter] = _Point("appendix chapter")
_agenda: _Point[AgendaSource] = _Point("agenda source")
_columns: _Point[PortfolioColumn] = _Point("portfolio column")
_facts: _Point[NegotiationFacts] = _Point("negotiation facts")
_starters: _Point[AgreementStarter] = _Point("agreement starter")
_demo: _Point[DemoContent] = _Point("demo content")
_work: list[WorkProvider] = []
_file_section_watchers: list[Callable[[FileSection], None]] = []


def register_tab(tab: Tab) -> None:
    _tabs.add(tab.key, tab)


def register_overview_panel(panel: OverviewPanel) -> None:
    _panels.add(panel.key, panel)


def register_file_section(section: FileSection) -> None:
    _file_sections.add(section.key, section)
    for watcher in _file_section_watchers:
        watcher(section)


def watch_file_sections(watcher: Callable[[FileSection], None]) -> None:
    """Call ``watcher`` for every file section, those registered and those to come (the
    appendix connects its revision tracking to each section's rows this way)."""
    if watcher not in _file_section_watchers:
        _file_section_watchers.append(watcher)
        for section in file_sections():
            watcher(section)


def register_appendix_chapter(chapter: AppendixChapter) -> None:
    for rule in chapter.rules:
        _check_rule(rule)
    _chapters.add(chapter.key, chapter)


def _check_rule(rule: CompletenessRule) -> None:
    """Refuse at start-up what would fail on a page: unknown severities, missing texts."""
    where = f"completeness rule {rule.id!r}"
    if rule.severity not in ("error", "warning"):
        raise ValueError(f"{where}: severity must be error or warning")
    if rule.source not in ("seed", "good practice"):
        raise ValueError(f"{where}: source must be seed or good practice")
    for name in ("title", "explanation"):
        texts = getattr(rule, name)
        if set(texts) != {"sv", "en"} or not all(texts.values()):
            raise ValueError(f"{where}: {name} needs a text in sv and en")


def register_work_provider(provider: WorkProvider) -> None:
    if provider not in _work:
        _work.append(provider)


def register_agenda_source(source: AgendaSource) -> None:
    _agenda.add(source.key, source)


def register_portfolio_column(column: PortfolioColumn) -> None:
    _columns.add(column.key, column)


def register_negotiation_facts(facts: NegotiationFacts) -> None:
    _facts.add(facts.key, facts)


def register_agreement_starter(starter: AgreementStarter) -> None:
    _starters.add(starter.key, starter)


def register_demo(content: DemoContent) -> None:
    _demo.add(content.key, content)


# Readers ---------------------------------------------------------------------------------


def agreement_tabs(request: HttpRequest, access: AgreementAccess) -> list[TabLink]:
    """The agreement's tabs this person sees, in order, with the current one marked."""
    from django.urls import reverse

    return [
        TabLink(
            key=tab.key,
            label=str(tab.label),
            url=reverse(tab.url_name, args=[access.agreement.pk]),
            active=tab.is_active(request),
        )
        for tab in _tabs.ordered()
        if tab.visible(access)
    ]


def overview_panels(access: AgreementAccess) -> list[PanelView]:
    """The overview's panels for this person, each with its context, in order."""
    return [
        PanelView(template=panel.template, context=panel.context(access))
        for panel in _panels.ordered()
        if panel.visible(access)
    ]


def file_sections() -> list[FileSection]:
    return _file_sections.ordered()


def appendix_chapters(
    anchor: str | None = None, snapshot: Mapping[str, Any] | None = None
) -> list[AppendixChapter]:
    """Contributed chapters, all or those filling (or following) one anchor; with a
    snapshot, only those whose section it holds."""
    return [
        c
        for c in _chapters.ordered()
        if (anchor is None or c.anchor == anchor) and (snapshot is None or c.applies_to(snapshot))
    ]


def completeness_rules(snapshot: Mapping[str, Any] | None = None) -> list[CompletenessRule]:
    """The contributed rules; with a snapshot, those of chapters whose section it holds."""
    return [rule for chapter in appendix_chapters(snapshot=snapshot) for rule in chapter.rules]


def work_providers() -> tuple[WorkProvider, ...]:
    return tuple(_work)


def work_items(user: User) -> list[WorkItem]:
    """Everything that needs ``user`` now, from every capability, most urgent first."""
    items = [item for provider in _work for item in provider(user)]
    return sorted(items, key=WorkItem.sort_key)


def agenda_sources() -> list[AgendaSource]:
    return _agenda.ordered()


def agenda_items(
    access: AgreementAccess, forum_key: str, level: str, until: datetime.date
) -> list[tuple[AgendaSource, list[AgendaItem]]]:
    """What each capability offers a forum's meeting on ``until``, by source, in order."""
    return [(source, source.items(access, forum_key, level, until)) for source in agenda_sources()]


def portfolio_columns() -> list[PortfolioColumn]:
    return _columns.ordered()


def negotiation_facts(access: AgreementAccess) -> list[tuple[NegotiationFacts, list[Fact]]]:
    """Each capability's read-only facts about the agreement, in order."""
    return [(source, source.facts(access)) for source in _facts.ordered()]


def agreement_starters() -> list[AgreementStarter]:
    return _starters.ordered()


def demo_contents() -> list[DemoContent]:
    """Demo content in dependency order (each after those it names in ``after``)."""
    graph = {content.key: set(content.after) for content in _demo.entries.values()}
    order = graphlib.TopologicalSorter(graph).static_order()
    return [_demo.entries[key] for key in order if key in _demo.entries]
