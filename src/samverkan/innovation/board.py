"""The ideas board: the agreement's ideas in columns by stage, each card with the moves
the person looking may make (the same rules as the idea's page: ``idea_services``).

The columns follow the pipeline; approved, rejected and parked share the "Decided"
column, each card naming its decision. One query for the ideas, however many there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from samverkan.agreements.access import AgreementAccess
from samverkan.innovation import idea_services
from samverkan.innovation.models import Idea, Stage
from samverkan.innovation.people_services import with_people_warning

DECIDED = "decided"
COLUMNS = (
    Stage.PROPOSED,
    Stage.EVALUATION,
    DECIDED,
    Stage.IMPLEMENTATION,
    Stage.IMPLEMENTED,
    Stage.MEASURED,
)


def column_of(stage: str) -> str:
    return DECIDED if stage in idea_services.DECISIONS else stage


def column_label(column: str) -> str:
    return _("Decided") if column == DECIDED else str(Stage(column).label)


@dataclass(frozen=True)
class Card:
    idea: Idea
    moves: list[tuple[str, str]]  # plain moves: (stage, label)
    decisions: list[tuple[str, str]]  # decisions needing a reason: (stage, label)
    measure: bool = False  # the next step is recording the realised effect (on the idea)


@dataclass
class Column:
    key: str
    label: str
    cards: list[Card] = field(default_factory=list)


def board_columns(access: AgreementAccess) -> list[Column]:
    """The board's columns with their cards, oldest idea first in each (one query)."""
    side = access.side if access.can_edit else None
    columns = {key: Column(key, column_label(key)) for key in COLUMNS}
    # Each card says whether its idea needs engagement (``people_warning``), same query.
    ideas = with_people_warning(Idea.objects.filter(agreement=access.agreement)).order_by("number")
    for idea in ideas:
        nexts = idea_services.next_stages(idea, side)
        card = Card(
            idea=idea,
            moves=[
                (s, str(Stage(s).label))
                for s in nexts
                if s not in idea_services.DECISIONS and s != Stage.MEASURED
            ],
            decisions=[(s, str(Stage(s).label)) for s in nexts if s in idea_services.DECISIONS],
            measure=Stage.MEASURED in nexts,
        )
        columns[column_of(idea.stage)].cards.append(card)
    return list(columns.values())
