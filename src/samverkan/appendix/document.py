"""The collaboration appendix (samverkansbilaga) as a format-free document, built from a snapshot.

Built only from the snapshot (the agreement-file data), never from the live
model, so that a published version's document can be rebuilt identically. A
published version also gets an approval page, from its approval records: who
approved it for each side and when, and the SHA-256 digest of the snapshot the
rest of the document is built from. Approving never changes the snapshot.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from samverkan.collaboration import catalogue as model_catalogue
from samverkan.collaboration.models import Cadence, Level, Orientation, RoleSide
from samverkan.core import registry
from samverkan.core.formatting import format_money
from samverkan.documents.model import (
    Block,
    BulletList,
    Document,
    KeyValue,
    Labels,
    Outline,
    PageBreak,
    Paragraph,
    Table,
)
from samverkan.relationships import catalogue as type_catalogue
from samverkan.relationships.models import FocusCategory, InnovationExpectation

if TYPE_CHECKING:
    from samverkan.appendix.models import AppendixVersion

LEVELS = ("strategic", "tactical", "operational")
SIDES = ("customer", "supplier")


@dataclass(frozen=True)
class SideRecord:
    side: str  # customer | supplier
    person: str  # empty: no approval recorded
    approved_at: datetime.datetime | None


@dataclass(frozen=True)
class VersionRecord:
    """What the approval page of a published version says, besides the snapshot."""

    number: int
    published_at: datetime.datetime
    published_by: str
    digest: str
    sides: tuple[SideRecord, ...]

    @classmethod
    def of(cls, version: AppendixVersion) -> VersionRecord:
        approvals = {approval.side: approval for approval in version.approvals.all()}
        return cls(
            number=version.number,
            published_at=version.published_at,
            published_by=version.published_by.get_full_name() if version.published_by else "",
            digest=version.snapshot_digest,
            sides=tuple(
                SideRecord(
                    side=side,
                    person=(
                        approvals[side].user.get_full_name()  # type: ignore[union-attr]
                        if side in approvals and approvals[side].user
                        else ""
                    ),
                    approved_at=approvals[side].approved_at if side in approvals else None,
                )
                for side in SIDES
            ),
        )


def _moment(value: datetime.datetime) -> str:
    """A point in time as the documents print it: 2026-03-05 14:32 CET (the site's time zone)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value or "–"))


def _profile(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    relationship = snapshot.get("relationship") or {}
    if relationship.get("profile"):
        return dict(relationship["profile"])
    if relationship.get("type"):
        return type_catalogue.defaults(relationship["type"])
    return None


class _ChapterWriter:
    """How a capability writes its part of a chapter (``registry.ChapterWriter``)."""

    def __init__(self, builder: _Builder) -> None:
        self.builder = builder

    def heading(self, level: int, text: str, anchor: str = "") -> None:
        self.builder.h(max(level, 2), text, anchor)  # level 1 is the appendix's own chapters

    def paragraph(self, text: str, style: str = "body") -> None:
        self.builder.p(text, style)

    def bullets(self, items: Sequence[str], numbered: bool = False) -> None:
        self.builder.bullets(list(items), numbered)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.builder.blocks.append(Table(columns=list(header), rows=[list(row) for row in rows]))

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        if pairs:
            self.builder.blocks.append(KeyValue(pairs=list(pairs)))


class _Builder:
    def __init__(self, snapshot: dict[str, Any], language: str) -> None:
        self.s = snapshot
        self.language = language
        self.outline = Outline()
        self.blocks: list[Block] = []
        self.roles = {role["key"]: role for role in snapshot.get("roles", [])}
        self.numbers: dict[str, str] = {}  # process key → its section number
        self.forums = {forum["key"]: forum for forum in snapshot.get("forums", [])}

    def h(self, level: int, text: str, anchor: str = "") -> None:
        self.blocks.append(self.outline.heading(level, text, anchor))

    def p(self, text: str, style: str = "body") -> None:
        if text:
            self.blocks.append(Paragraph(text=text, style=style))  # type: ignore[arg-type]

    def todo(self, text: str) -> None:
        self.blocks.append(
            Paragraph(text=_("To be agreed: %(what)s") % {"what": text}, style="todo")
        )

    def bullets(self, items: list[str], numbered: bool = False) -> None:
        if items:
            self.blocks.append(BulletList(items=list(items), numbered=numbered))

    def role_name(self, key: str | None) -> str:
        return self.roles[key]["name"] if key and key in self.roles else "–"

    def mandate_rows(self, entries: list[dict[str, Any]]) -> list[list[str]]:
        return [
            [
                model_catalogue.decision_name(entry["decision"], self.language),
                format_money(entry.get("limit"), "SEK")
                if entry.get("limit") is not None
                else _("No limit"),
                entry.get("note") or "",
            ]
            for entry in entries
        ]

    # What the capabilities contribute ----------------------------------------------------

    def contributions(self, anchor: str) -> list[Block]:
        """The capabilities' parts of chapter ``anchor`` (``registry.AppendixChapter``), written
        aside so that the chapter can drop its "to be agreed" line when there are any."""
        kept, self.blocks = self.blocks, []
        for chapter in registry.appendix_chapters(anchor, self.s):
            if not chapter.title:
                chapter.write(_ChapterWriter(self), self.s)
        written, self.blocks = self.blocks, kept
        return written

    def own_chapters(self, anchor: str) -> None:
        """Chapters of their own that capabilities place after chapter ``anchor``."""
        for chapter in registry.appendix_chapters(anchor, self.s):
            if chapter.title:
                self.h(1, str(chapter.title), chapter.key)
                if not chapter.write(_ChapterWriter(self), self.s):
                    self.todo(str(chapter.title).lower() + ".")

    def chapter(self, anchor: str, write: Callable[[], None]) -> None:
        """One of the appendix's chapters, then what capabilities add to it and after it."""
        write()
        self.blocks.extend(self.contributions(anchor))
        self.own_chapters(anchor)

    # Chapters ------------------------------------------------------------------------

    def purpose(self) -> None:
        agreement = self.s["agreement"]
        self.h(1, _("Purpose and objectives"), "purpose")
        self.p(
            _(
                "This appendix to the agreement %(reference)s between %(customer)s and "
                "%(supplier)s describes the collaboration model and organisation with roles, "
                "responsibilities and authorities, the forums, the joint processes, the innovation "
                "process and the tools for maintaining and developing the collaboration."
            )
            % {
                "customer": agreement["customer"],
                "supplier": agreement["supplier"],
                "reference": agreement["reference"],
            }
        )
        objectives = self.s.get("objectives") or []
        if objectives:
            # The parties' own objectives replace the general aim below, which they
            # usually restate in their own words.
            self.p(_("The parties have agreed on these objectives for the collaboration:"))
            self.bullets(objectives, numbered=True)
        else:
            self.p(
                _(
                    "The aim is to deliver IT services with high quality and operational "
                    "stability, and also to work innovatively together with the business so "
                    "that the services follow the business plan and help realise the company's "
                    "goals."
                )
            )
            self.todo(_("the objectives of the collaboration."))

    def relationship(self) -> None:
        self.h(1, _("Relationship type and its focus"), "relationship")
        relationship = self.s.get("relationship") or {}
        if not relationship.get("type"):
            self.todo(
                _(
                    "the relationship type (Utility Outsourcing, Business Enhancement or Frontier Relationship)."
                )
            )
            return
        info = type_catalogue.type_info(relationship["type"], self.language)
        self.p(
            _("The relationship between the parties is a %(name)s.") % {"name": info["name"]},
            "lead",
        )
        self.p(info["focus"])
        self.p(info["description"])
        if relationship.get("rationale"):
            self.p(_("Why this type: %(rationale)s") % {"rationale": relationship["rationale"]})

    def model(self) -> None:
        self.h(1, _("Collaboration model and organisation"), "model")
        self.p(
            _(
                "The collaboration takes place on three levels. The strategic level steers the "
                "agreement toward the parties' goals, the tactical level follows up and develops "
                "the delivery, and the operational level runs the day-to-day delivery."
            )
        )
        for orientation, sentence in (
            ("business", _("Roles that work outward toward the business: %(names)s.")),
            ("it", _("Roles that work inward toward IT: %(names)s.")),
        ):
            names = [r["name"] for r in self.s.get("roles", []) if r["orientation"] == orientation]
            if names:
                self.p(sentence % {"names": ", ".join(names)})
        for level in LEVELS:
            roles = [role for role in self.s.get("roles", []) if role["level"] == level]
            self.h(2, _("%(level)s level") % {"level": _label(Level, level)}, f"level-{level}")
            if not roles:
                self.todo(_("the roles on this level."))
            for role in roles:
                self.h(3, role["name"], f"role-{role['key']}")
                self.blocks.append(
                    KeyValue(
                        pairs=[
                            (pgettext("party", "Side"), _label(RoleSide, role["side"])),
                            (_("Orientation"), _label(Orientation, role["orientation"])),
                            (
                                _("Holders"),
                                ", ".join(h["name"] for h in role.get("holders", [])) or "–",
                            ),
                        ]
                    )
                )
                self.p(role.get("purpose", ""))
                if role.get("responsibilities"):
                    self.p(_("Responsibilities:"))
                    self.bullets(role["responsibilities"])
                else:
                    self.todo(_("the responsibilities of this role."))
                if role.get("authorities"):
                    self.p(_("Authorities:"))
                    self.bullets(role["authorities"])
                else:
                    self.todo(_("the authorities of this role."))
                if role.get("decision_rights"):
                    self.blocks.append(
                        Table(
                            columns=[_("Decision rights"), _("Limit"), _("Note")],
                            rows=self.mandate_rows(role["decision_rights"]),
                            widths=[3, 2, 4],
                        )
                    )

    def forums_chapter(self) -> None:
        self.h(1, _("Forums"), "forums")
        forums = self.s.get("forums", [])
        if not forums:
            self.todo(_("the forums where the parties meet and decide."))
        for forum in forums:
            self.h(2, forum["name"], f"forum-{forum['key']}")
            self.p(forum.get("purpose", ""))
            self.blocks.append(
                KeyValue(
                    pairs=[
                        (_("Level"), _label(Level, forum["level"])),
                        (_("Chair"), self.role_name(forum.get("chair"))),
                        (
                            _("Members"),
                            ", ".join(self.role_name(k) for k in forum.get("members", [])) or "–",
                        ),
                        (_("Cadence"), _label(Cadence, forum.get("cadence", ""))),
                    ]
                )
            )
            for title, items in (
                (_("Standing agenda"), forum.get("agenda")),
                (_("Inputs"), forum.get("inputs")),
                (_("Outputs"), forum.get("outputs")),
            ):
                if items:
                    self.p(f"{title}:")
                    self.bullets(items)
            if forum.get("mandate"):
                self.p(
                    _("The forum decides within this mandate; decisions outside it are escalated:")
                )
                self.blocks.append(
                    Table(
                        columns=[_("Decision"), _("Limit"), _("Note")],
                        rows=self.mandate_rows(forum["mandate"]),
                        widths=[3, 2, 4],
                    )
                )
            else:
                self.todo(_("the decision mandate of this forum."))

    def processes(self) -> None:
        self.h(1, _("Joint processes"), "processes")
        processes = self.s.get("processes", [])
        if any(p.get("raci") for p in processes):
            self.p(_("R = Responsible, A = Accountable, C = Consulted, I = Informed."), "note")
        if not processes:
            self.todo(_("the joint processes (change management, escalation, service review …)."))
        for process in processes:
            self.h(2, process["name"], f"process-{process['key']}")
            self.numbers[process["key"]] = self.outline.counters_text(2)
            self.p(process.get("purpose", ""))
            self.blocks.append(
                KeyValue(pairs=[(_("Process owner"), self.role_name(process.get("owner")))])
            )
            if process.get("steps"):
                self.bullets(process["steps"], numbered=True)
            raci = process.get("raci") or {}
            if raci:
                self.blocks.append(
                    Table(
                        columns=[_("Role"), "RACI"],
                        # In the order of the roles: JSON key order is not kept by every database.
                        rows=[
                            [role["name"], raci[key]]
                            for key, role in self.roles.items()
                            if key in raci
                        ],
                        widths=[5, 1],
                    )
                )

    def escalation(self) -> None:
        self.h(1, _("Escalation path"), "escalation")
        steps = self.s.get("escalation", [])
        if not steps:
            self.todo(_("the escalation path from the operational to the strategic level."))
            return
        self.p(
            _(
                "A matter that cannot be resolved on one level is raised to the next forum, which resolves it within the stated time."
            )
        )
        rows = []
        for i, step in enumerate(steps, start=1):
            forum = self.forums.get(step["forum"], {})
            rows.append(
                [
                    str(i),
                    forum.get("name", step["forum"]),
                    _label(Level, forum.get("level", "")),
                    _("%(days)s days") % {"days": step["resolve_within_days"]},
                ]
            )
        self.blocks.append(
            Table(
                columns=[_("Step"), _("Forum"), _("Level"), _("Resolved within")],
                rows=rows,
                widths=[1, 4, 2, 2],
            )
        )

    def innovation(self) -> None:
        self.h(1, _("Innovation process"), "innovation")
        self.p(
            _(
                "Innovation during the contract period covers four areas: business development, "
                "processes, employees and infrastructure. Ideas from either party are evaluated, "
                "decided, implemented and followed up for their effect."
            )
        )
        profile = _profile(self.s)
        if profile:
            ideas = int(profile.get("ideas_per_quarter") or 0)
            innovation = _label(InnovationExpectation, profile.get("innovation", ""))
            self.blocks.append(
                KeyValue(
                    pairs=[
                        (_("Expected innovation from the supplier"), innovation),
                        (
                            _("Ideas per quarter"),
                            ngettext("about %(n)s idea", "about %(n)s ideas", ideas) % {"n": ideas},
                        ),
                    ]
                )
            )
        process = next(
            (
                p
                for p in self.s.get("processes", [])
                if p["key"] == "innovation" or "innovat" in p["name"].lower()
            ),
            None,
        )
        if process:
            self.p(
                _("The joint innovation process is described in section %(number)s, “%(name)s”.")
                % {"number": self.numbers.get(process["key"], ""), "name": process["name"]}
            )
        else:
            self.todo(_("the innovation process."))
        framework = self.contributions("innovation")  # the innovation framework, once it exists
        if not framework:
            self.todo(
                _(
                    "the innovation framework (goals, evaluation criteria and weights, decision forum, budget or gain-share)."
                )
            )
        self.blocks.extend(framework)

    def follow_up(self) -> None:
        self.h(1, _("Follow-up and scorecard"), "scorecard")
        profile = _profile(self.s)
        measures = self.contributions("scorecard")  # the scorecard's measures, once they exist
        if not profile:
            self.todo(_("the scorecard and its weights (set by the relationship type)."))
            self.blocks.extend(measures)
            return
        self.p(
            _(
                "The collaboration is followed up in a scorecard over six focus areas, weighted as follows:"
            )
        )
        weights = profile.get("scorecard_weights", {})
        self.blocks.append(
            Table(
                columns=[_("Focus area"), _("Weight")],
                rows=[
                    [_label(FocusCategory, key), f"{weights.get(key, 0)} %"]
                    for key in type_catalogue.CATEGORIES
                ],
                widths=[4, 1],
            )
        )
        meetings = [
            f"{forum['name']} ({_label(Cadence, forum['cadence']).lower()})"
            if forum.get("cadence")
            else forum["name"]
            for forum in self.s.get("forums", [])
        ]
        if meetings:
            self.p(
                _("The scorecard is reviewed in the forums: %(forums)s.")
                % {"forums": ", ".join(meetings)}
            )
        if not measures:
            self.todo(_("the measures (KPIs) with targets, units and sources."))
        self.blocks.extend(measures)

    def relationship_development(self) -> None:
        self.h(1, _("Relationship development"), "development")
        profile = _profile(self.s)
        cadence = _label(Cadence, profile.get("health_check", "")).lower() if profile else ""
        self.p(
            _(
                "The parties maintain and develop the collaboration with structured tools. Both "
                "sides answer a relationship health survey %(cadence)s, covering the visible part "
                "of the iceberg (business, processes, competence) and the hidden part (behaviours, "
                "engagement, values), as well as cooperation, communication, leadership and feedback."
            )
            % {"cadence": cadence or _("regularly")}
        )
        self.p(
            _(
                "Where the results show a gap between the parties, they hold a facilitated "
                "session (“marriage counselling”) to agree on actions."
            )
        )
        self.p(
            _(
                "A group passes through three phases, and falls back to the first when its members or task change:"
            )
        )
        self.bullets(
            [
                _("Belonging (Tillhöra): members seek their place and the group's purpose."),
                _("Role-seeking (Rollsökning): members test roles, mandates and who decides."),
                _(
                    "Openness (Öppenhet/Samhörighet): members give feedback openly and solve problems together."
                ),
            ]
        )

    def exit(self) -> None:
        self.h(1, _("Exit and end-of-contract cooperation"), "exit")
        process = next(
            (
                p
                for p in self.s.get("processes", [])
                if p["key"] == "exit" or "exit" in p["name"].lower()
            ),
            None,
        )
        if process:
            self.p(
                _(
                    "The exit is carried out according to the process in section %(number)s, “%(name)s”."
                )
                % {"number": self.numbers.get(process["key"], ""), "name": process["name"]}
            )
        else:
            self.todo(_("the exit process."))
        self.p(
            _(
                "At the end of the agreement the supplier hands over data, documentation and "
                "knowledge in good order, cooperates with the customer or a new supplier, and keeps "
                "the agreed service levels until the hand-over is complete."
            )
        )

    def amendments(self) -> None:
        self.h(1, _("Changes to the appendix"), "changes")
        deciders = [
            f["name"]
            for f in self.s.get("forums", [])
            if any(m["decision"] == "appendix_change" for m in f.get("mandate", []))
        ]
        self.p(
            _(
                "The appendix is amended by publishing a new version in Samverkan. A version takes "
                "effect when an owner on each side has approved it; until then the previous "
                "approved version applies."
            )
        )
        if deciders:
            self.p(
                _("Changes to the appendix are decided in: %(forums)s.")
                % {"forums": ", ".join(deciders)}
            )
        else:
            self.todo(_("which forum decides changes to the appendix."))

    def annexes(self) -> None:
        self.blocks.append(PageBreak())
        self.h(1, _("Annex: contact list"), "contacts")
        rows = [
            [role["name"], _label(RoleSide, role["side"]), holder["name"], holder.get("email", "")]
            for role in self.s.get("roles", [])
            for holder in role.get("holders", [])
        ]
        if rows:
            self.blocks.append(
                Table(
                    columns=[_("Role"), pgettext("party", "Side"), _("Name"), _("E-mail")],
                    rows=rows,
                    widths=[3, 2, 3, 4],
                )
            )
        else:
            self.todo(_("the people holding the roles."))
        self.h(1, _("Annex: RACI matrix"), "raci")
        processes = [p for p in self.s.get("processes", []) if p.get("raci")]
        used = [key for key in self.roles if any(key in p["raci"] for p in processes)]
        if processes and used:
            self.blocks.append(
                Table(
                    columns=[_("Process"), *(self.roles[key]["name"] for key in used)],
                    rows=[
                        [p["name"], *(p["raci"].get(key, "") for key in used)] for p in processes
                    ],
                    compact=True,
                    widths=[3, *([1] * len(used))],
                )
            )
            self.p(_("R = Responsible, A = Accountable, C = Consulted, I = Informed."), "note")
        else:
            self.todo(_("who is responsible, accountable, consulted and informed in each process."))

    def approval(self, record: VersionRecord) -> None:
        agreement = self.s["agreement"]
        self.blocks.append(PageBreak())
        self.h(1, _("Approval of this version"), "approval")
        published = _moment(record.published_at)
        self.p(
            _("Version %(number)s was published %(when)s by %(who)s.")
            % {"number": record.number, "when": published, "who": record.published_by}
            if record.published_by
            else _("Version %(number)s was published %(when)s.")
            % {"number": record.number, "when": published}
        )
        self.p(
            _(
                "A version takes effect when an owner on each side has approved it in "
                "Samverkan. The approvals recorded for this version:"
            )
        )
        self.blocks.append(
            Table(
                columns=[pgettext("party", "Side"), _("Organisation"), _("Approved by"), _("When")],
                rows=[
                    [
                        _label(RoleSide, side.side),
                        agreement[side.side],
                        side.person or _("No approval recorded"),
                        _moment(side.approved_at) if side.approved_at else "–",
                    ]
                    for side in record.sides
                ],
                widths=[2, 4, 3, 3],
            )
        )
        self.p(
            _(
                "Everything before this section is built from the content of version "
                "%(number)s exactly as it was published; approving does not change it. This "
                "checksum (SHA-256 of that content as canonical JSON) identifies it:"
            )
            % {"number": record.number},
            "note",
        )
        self.p(record.digest, "note")


def appendix_document(
    snapshot: dict[str, Any],
    *,
    language: str,
    version: str,
    date: str,
    record: VersionRecord | None = None,
) -> Document:
    """The appendix of a snapshot, in Swedish or English; with ``record`` (a published
    version's), ending in its approval page."""
    with translation.override(language):
        builder = _Builder(snapshot, language)
        for anchor, write in (
            ("purpose", builder.purpose),
            ("relationship", builder.relationship),
            ("model", builder.model),
            ("forums", builder.forums_chapter),
            ("processes", builder.processes),
            ("escalation", builder.escalation),
        ):
            builder.chapter(anchor, write)
        builder.innovation()  # these two place their contributions themselves
        builder.own_chapters("innovation")
        builder.follow_up()
        builder.own_chapters("scorecard")
        for anchor, write in (
            ("development", builder.relationship_development),
            ("exit", builder.exit),
            ("changes", builder.amendments),
        ):
            builder.chapter(anchor, write)
        builder.annexes()
        if record is not None:
            builder.approval(record)
        agreement = snapshot["agreement"]
        return Document(
            title=_("Collaboration appendix"),
            subtitle=f"{agreement['reference']} · {agreement['title']}",
            language=language,
            reference=agreement["reference"],
            version=version,
            date=date,
            metadata=[
                (_("Customer"), agreement["customer"]),
                (_("Supplier"), agreement["supplier"]),
                (
                    _("Agreement period"),
                    f"{agreement.get('start') or '…'} – {agreement.get('end') or '…'}",
                ),
                (
                    _("Annual value"),
                    format_money(
                        (agreement.get("value") or {}).get("amount"),
                        (agreement.get("value") or {}).get("currency", "SEK"),
                    ),
                ),
                (_("Version"), f"{version}, {date}" if date else version),
            ],
            blocks=builder.blocks,
            labels=Labels(contents=_("Contents"), page=_("Page"), of=_("of")),
        )
