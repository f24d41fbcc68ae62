"""The negotiation brief (förhandlingsunderlag): a case as a document the team takes into
the room, in Swedish or English, written as Word or PDF by the documents module.

The eight steps in the seed's order, each with its content and, while it is thin, why;
facts from the linked agreement only for a reader who may see that agreement. Every
page is marked confidential with the owning organisation's name. The page, the API and
``samverkan brief`` all build it here, for a member of the case (``case_for``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.core import registry
from samverkan.core.formatting import format_decimal
from samverkan.documents.model import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValue,
    Labels,
    Paragraph,
    Table,
)
from samverkan.negotiation.access import CaseAccess
from samverkan.negotiation.models import Action, ActionStatus, Interest, Kind, Relation
from samverkan.negotiation.selectors import (
    CaseContent,
    OptionRow,
    StepState,
    case_content,
    step_states,
)

LANGUAGES = ("sv", "en")


def brief_language(requested: str | None, user: User) -> str:
    """The language asked for, else the person's own, else Swedish."""
    for language in (requested, user.language):
        if language in LANGUAGES:
            return str(language)
    return "sv"


def brief_filename(access: CaseAccess, language: str) -> str:
    """The file's name without extension: "forhandlingsunderlag-3-fornyelse-av-driftavtalet"."""
    with translation.override(language):
        stem = slugify(f"{_('Negotiation brief')} {access.case.number} {access.case.title}")
    return stem[:80].rstrip("-") or "brief"


def case_brief(
    access: CaseAccess, *, user: User, language: str, today: datetime.date | None = None
) -> Document:
    """The brief of the case as ``user`` (a member) reads it, in ``language``."""
    language = brief_language(language, user)
    with translation.override(language):
        content = case_content(access.case)
        writer = _Writer(content, step_states(content), case_facts(access, user))
        writer.write()
        return _document(content, writer, language, today or timezone.localdate())


def case_facts(access: CaseAccess, user: User) -> list[tuple[str, list[registry.Fact]]]:
    """Each capability's facts about the linked agreement, by the capability's label; none
    unless ``user`` may see that agreement (the brief and the API show the same)."""
    agreement_access = access.agreement_access(user)
    if agreement_access is None:
        return []
    return [
        (str(source.label), facts)
        for source, facts in registry.negotiation_facts(agreement_access)
        if facts
    ]


def _document(
    content: CaseContent, writer: _Writer, language: str, today: datetime.date
) -> Document:
    case = content.case
    organisation = case.organisation.name
    owners = ", ".join(_person(member.user) for member in content.members if member.owner)
    complete = sum(1 for state in writer.states if state.complete)
    metadata = [(_("Organisation"), organisation), (_("Kind of negotiation"), _kind(case.kind))]
    agreement = case.agreement
    if agreement is not None:
        metadata.append((_("Agreement"), f"{agreement.reference} · {agreement.title}"))
        if case.organisation_id in (agreement.customer_id, agreement.supplier_id):
            other = (
                agreement.supplier
                if case.organisation_id == agreement.customer_id
                else agreement.customer
            )
            metadata.append((_("Counterparty"), other.name))
    else:
        metadata.append((_("Agreement"), _("Not linked to an agreement")))
    metadata += [
        (_("Case owner"), owners or "–"),
        (_("Date"), date_format(today, "DATE_FORMAT")),
        (
            _("Readiness"),
            _("%(complete)s of %(steps)s steps complete")
            % {"complete": complete, "steps": len(writer.states)},
        ),
    ]
    return Document(
        title=_("Negotiation brief"),
        subtitle=case.title,
        language=language,
        reference=_("Negotiation brief") + f" · {Truncator(case.title).chars(55)}",
        version=date_format(today, "DATE_FORMAT"),
        marking=_("CONFIDENTIAL – %(organisation)s – for the negotiation team only")
        % {"organisation": organisation},
        date=today.isoformat(),
        metadata=metadata,
        blocks=writer.blocks,
        labels=Labels(contents=_("Contents"), page=_("Page"), of=_("of")),
        toc=False,
    )


def _kind(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind


def _person(user: User) -> str:
    return user.get_full_name() or user.email


def _paragraphs(text: str) -> list[Block]:
    """A text as typed: its blank-line-separated paragraphs; a note when it is empty."""
    parts = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    parts = [part for part in parts if part]
    if not parts:
        return [Paragraph(_("Not described yet."), style="note")]
    return [Paragraph(part) for part in parts]


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def _total(row: OptionRow) -> str:
    return "–" if row.total is None else format_decimal(float(row.total), 2)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "–"
    return _("Yes") if value else _("No")


class _Writer:
    """The blocks of the eight steps, numbered by the step (1–8) and its parts (1.1)."""

    def __init__(
        self,
        content: CaseContent,
        states: list[StepState],
        facts: list[tuple[str, list[registry.Fact]]],
    ) -> None:
        self.content = content
        self.states = states
        self.facts = facts
        self.blocks: list[Block] = []
        self.step = 0
        self.part = 0

    def write(self) -> None:
        steps = {
            "preparation": self.preparation,
            "context": self.context,
            "challenge": self.challenge,
            "interests": self.interests,
            "alternatives": self.alternatives,
            "check": self.check,
            "fallback": self.fallback,
            "execute": self.execute,
        }
        self.overview()
        for state in self.states:
            self.step, self.part = state.number, 0
            self.blocks.append(Heading(state.title, level=1, number=str(state.number)))
            if not state.complete:
                self.blocks.append(
                    Paragraph(_("Still thin: %s") % " ".join(state.thin), style="todo")
                )
            steps[state.key]()

    def heading(self, text: str) -> None:
        self.part += 1
        self.blocks.append(Heading(text, level=2, number=f"{self.step}.{self.part}"))

    def text(self, title: str, text: str) -> None:
        self.heading(title)
        self.blocks.extend(_paragraphs(text))

    def overview(self) -> None:
        self.blocks.append(Heading(_("The steps at a glance"), level=1))
        self.blocks.append(
            Table(
                columns=[_("Step"), _("Status")],
                rows=[
                    [
                        f"{state.number}. {state.title}",
                        _("Complete") if state.complete else _("Still thin"),
                    ]
                    for state in self.states
                ],
                widths=[3, 1],
            )
        )

    # The eight steps ---------------------------------------------------------------------

    def preparation(self) -> None:
        content = self.content
        self.heading(_("The team and its roles"))
        self.blocks.append(
            Table(
                columns=[_("Person"), _("Job title"), _("Role in the negotiation"), _("Owner")],
                rows=[
                    [
                        _person(member.user),
                        member.user.title or "–",
                        member.role or "–",
                        _("Yes") if member.owner else "",
                    ]
                    for member in content.members
                ],
                widths=[3, 3, 4, 1.2],
            )
        )
        self.text(_("Timeline"), content.case.timeline)
        self.heading(_("Documents"))
        if content.documents:
            self.blocks.append(BulletList([document.name for document in content.documents]))
        else:
            self.blocks.append(Paragraph(_("No documents attached."), style="note"))

    def context(self) -> None:
        case = self.content.case
        self.text(_("History of the relationship"), case.history)
        self.text(_("Market situation"), case.market)
        self.text(_("Previous agreements"), case.previous_agreements)
        self.text(_("The counterparty's situation"), case.counterparty)
        if self.facts:
            self.heading(_("Facts from the agreement"))
            for label, found in self.facts:
                self.blocks.append(Paragraph(label, style="lead"))
                self.blocks.append(KeyValue([(fact.label, fact.value) for fact in found]))

    def challenge(self) -> None:
        self.text(_("Problem statement"), self.content.case.problem)
        self.text(_("What success looks like"), self.content.case.success)

    def interests(self) -> None:
        self.heading(_("Our interests"))
        self._interests(self.content.ours)
        self.heading(_("Their interests, as we see them"))
        self._interests(self.content.theirs)

    def _interests(self, interests: Sequence[Interest]) -> None:
        if not interests:
            self.blocks.append(Paragraph(_("None named yet."), style="note"))
            return
        self.blocks.append(
            Table(
                columns=[_("Interest"), _("Priority (1–5)"), _("Shared or conflicting")],
                rows=[
                    [interest.text, str(interest.priority), str(Relation(interest.relation).label)]
                    for interest in sorted(interests, key=lambda i: -i.priority)
                ],
                widths=[6, 1.6, 2],
            )
        )

    def alternatives(self) -> None:
        content = self.content
        self.heading(_("The options, ranked"))
        if not content.options:
            self.blocks.append(Paragraph(_("No options weighed yet."), style="note"))
            return
        self.blocks.append(
            Table(
                columns=[_("Rank"), _("Option"), _("Description"), _("Weighted total")],
                rows=[
                    [
                        str(row.rank) if row.rank is not None else "–",
                        row.option.name,
                        row.option.description or "–",
                        _total(row),
                    ]
                    for row in content.options
                ],
                widths=[1, 3, 6, 2],
            )
        )
        if not content.interests:
            return
        self.heading(_("The options scored against the interests"))
        options = content.options
        self.blocks.append(
            Table(
                columns=[_("Interest (priority)"), *(row.option.name for row in options)],
                rows=[
                    [
                        f"{interest.text} ({interest.priority})",
                        *(_score(row.scores.get(interest.pk)) for row in options),
                    ]
                    for interest in content.interests
                ],
                widths=[4, *[2.5] * len(options)],
                compact=len(options) > 5,
            )
        )
        self.blocks.append(
            Paragraph(
                _(
                    "Each option is scored from 1 (serves the interest poorly) to 5 (fully); "
                    "the weighted total weighs the scores by the interests' priorities. The "
                    "options stand in the order of their ranking."
                ),
                style="note",
            )
        )

    def check(self) -> None:
        content = self.content
        self.heading(_("The goals set"))
        if not content.goals:
            self.blocks.append(Paragraph(_("No goals set yet."), style="note"))
            return
        self.blocks.append(BulletList([goal.text for goal in content.goals], numbered=True))
        if not content.options:
            return
        self.heading(_("The options against the goals"))
        options = content.options
        self.blocks.append(
            Table(
                columns=[_("Goal"), *(row.option.name for row in options)],
                rows=[
                    [goal.text, *(_yes_no(row.checks.get(goal.pk)) for row in options)]
                    for goal in content.goals
                ],
                widths=[4, *[2.5] * len(options)],
                compact=len(options) > 5,
            )
        )
        self.heading(_("Goals each option misses"))
        items = []
        for row in options:
            if row.missed:
                found = "; ".join(goal.text for goal in row.missed)
                items.append(
                    _("%(option)s misses: %(goals)s") % {"option": row.option.name, "goals": found}
                )
            elif not row.unchecked:
                items.append(_("%(option)s meets every goal.") % {"option": row.option.name})
            if row.unchecked:
                found = "; ".join(goal.text for goal in row.unchecked)
                items.append(
                    _("%(option)s is not yet checked against: %(goals)s")
                    % {"option": row.option.name, "goals": found}
                )
        self.blocks.append(BulletList(items))

    def fallback(self) -> None:
        content = self.content
        self.text(_("Our best alternative if no agreement is reached"), content.case.batna)
        self.text(_("Walk-away point"), content.case.walk_away)
        self.heading(_("Plans B for the critical issues"))
        if content.fallbacks:
            self.blocks.append(
                Table(
                    columns=[_("Critical issue"), _("Plan B")],
                    rows=[[plan.issue, plan.plan] for plan in content.fallbacks],
                    widths=[2, 3],
                )
            )
        else:
            self.blocks.append(Paragraph(_("No plan B prepared yet."), style="note"))

    def execute(self) -> None:
        actions: list[Action] = self.content.actions
        self.heading(_("Actions"))
        if not actions:
            self.blocks.append(Paragraph(_("No actions planned yet."), style="note"))
            return
        self.blocks.append(
            Table(
                columns=[_("Who"), _("What"), _("How"), _("When"), _("Status")],
                rows=[
                    [
                        action.who,
                        action.what,
                        action.how or "–",
                        date_format(action.when, "SHORT_DATE_FORMAT"),
                        str(ActionStatus(action.status).label),
                    ]
                    for action in actions
                ],
                widths=[2.2, 3.5, 4, 1.9, 1.6],
            )
        )
