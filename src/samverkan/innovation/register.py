"""The ideas register as an Excel workbook: one sheet, one row per idea, filtered as the
ideas list is (area, side, stage, text). The page's export and ``samverkan ideas`` both
call ``register_workbook``, so they cannot disagree.

Figures are numbers (cost in whole SEK, effect and baseline with two decimals, effort
with one), dates are dates, every text is stored as text (a title starting with ``=``
stays a title, never a formula). The header row is bold and frozen, with a filter.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from samverkan.agreements.access import AgreementAccess
from samverkan.innovation.models import Idea
from samverkan.innovation.selectors import IdeaFilter, framework_of, ideas_of

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headers() -> list[tuple[str, int]]:
    return [
        ("#", 6),
        (_("Title"), 40),
        (_("Area"), 20),
        (_("Side"), 20),
        (_("Stage"), 18),
        (_("Proposed by"), 22),
        (_("Proposed on"), 12),
        (_("Expected effect"), 12),
        (_("Unit"), 20),
        (_("Baseline"), 12),
        (_("Realised effect"), 12),
        (_("Measured on"), 12),
        (_("Estimated effort (person-days)"), 14),
        (_("Estimated cost (SEK)"), 14),
        (_("Goals it serves"), 40),
        (_("Deciding forum"), 22),
        (_("Reason for the decision"), 40),
        (_("Problem"), 50),
        (_("Proposal"), 50),
    ]


def _row(access: AgreementAccess, idea: Idea, framework_forum: str) -> list[Any]:
    agreement = access.agreement
    party = agreement.customer.name if idea.side == "customer" else agreement.supplier.name
    proposer = idea.proposer.get_full_name() or idea.proposer.email if idea.proposer else ""
    forum = idea.deciding_forum.name if idea.deciding_forum else framework_forum
    effect = getattr(idea, "realised_effect", None)
    return [
        idea.number,
        idea.title,
        idea.get_area_display(),
        party,
        idea.get_stage_display(),
        proposer,
        timezone.localdate(idea.created_at),
        None if idea.effect is None else float(idea.effect),
        idea.unit_label,
        None if idea.baseline is None else float(idea.baseline),
        None if effect is None else float(effect.realised),
        None if effect is None else effect.measured_on,
        None if idea.effort_days is None else float(idea.effort_days),
        idea.cost,
        "; ".join(goal.what for goal in idea.goals.all()),
        forum,
        idea.decision_reason,
        idea.problem,
        idea.proposal,
    ]


FORMATS = {
    7: "yyyy-mm-dd",
    8: "0.00",
    10: "0.00",
    11: "0.00",
    12: "yyyy-mm-dd",
    13: "0.0",
    14: "#,##0",
}


def register_workbook(access: AgreementAccess, filters: IdeaFilter) -> tuple[bytes, str]:
    """The register of the agreement's ideas narrowed by ``filters`` as ``.xlsx`` bytes, in
    the active language, and its file name."""
    framework = framework_of(access.agreement)
    framework_forum = (
        framework.deciding_forum.name if framework and framework.deciding_forum else ""
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Ideas")[:31]
    headers = _headers()
    sheet.append([header for header, _width in headers])
    for index, (_header, width) in enumerate(headers, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    ideas = ideas_of(access.agreement, filters).select_related("realised_effect").order_by("number")
    for number, idea in enumerate(ideas, start=2):
        for column, value in enumerate(_row(access, idea, framework_forum), start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, never a formula
            if column in FORMATS and value is not None:
                cell.number_format = FORMATS[column]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{sheet.max_row}"
    workbook.properties.creator = "Samverkan"
    workbook.properties.title = _("Ideas register: %(reference)s") % {
        "reference": access.agreement.reference
    }
    written = io.BytesIO()
    workbook.save(written)
    stem = _("ideas-register")
    return written.getvalue(), f"{access.agreement.reference}-{stem}.xlsx"
