"""Finding the other party of a new agreement among the organisations already here.

So that "Molnbro Digital" is recognised as "Molnbro Digital AB" instead of becoming a
second organisation. What a person choosing a counterpart may learn is kept small:
the name and organisation number of organisations of the kind that can be the other
party (suppliers for a customer, customers for a supplier), never their agreements,
people or anything else.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from samverkan.accounts.models import Organisation, OrganisationKind
from samverkan.accounts.selectors import organisation_with_number
from samverkan.agreements.models import Side

SEARCH_LIMIT = 8
SUGGESTION_LIMIT = 3
# How alike two names (without legal form, case, accents and punctuation) must be to be
# suggested: "molnbro digitl" and "molnbro digital" are 0.97 alike, "kodkraft" and
# "molnbro" 0.27.
SIMILARITY = 0.8
# Legal forms, compared after accents are folded ("förening" → "forening").
_LEGAL_FORMS = frozenset(
    (
        *("ab", "aktiebolag", "publ", "hb", "handelsbolag", "kb", "kommanditbolag"),
        *("ek", "ekonomisk", "forening", "ltd", "limited", "inc", "corp", "co", "as", "asa"),
        *("oy", "oyj", "aps", "gmbh", "ag", "bv", "nv", "sa", "plc", "llc"),
    )
)
_WORD = re.compile(r"\w+")


class CounterpartMatchError(ValidationError):
    """The counterpart may already be here: ``matches`` are the organisations to choose from."""

    def __init__(self, message: dict[str, str], matches: list[Organisation]) -> None:
        super().__init__(message, code="counterpart_match")
        self.matches = matches


def side_of(organisation: Organisation) -> str:
    """The side an organisation takes in an agreement it creates: suppliers supply."""
    return Side.SUPPLIER if organisation.kind == OrganisationKind.SUPPLIER else Side.CUSTOMER


def counterpart_kind(own_organisation: Organisation) -> str:
    """The kind of organisation that can be the other party."""
    if side_of(own_organisation) == Side.SUPPLIER:
        return str(OrganisationKind.CUSTOMER)
    return str(OrganisationKind.SUPPLIER)


def counterpart_candidates(*, own_organisation: Organisation) -> QuerySet[Organisation]:
    """Every organisation that can be the other party of the own organisation's agreement."""
    return Organisation.objects.filter(kind=counterpart_kind(own_organisation)).exclude(
        pk=own_organisation.pk
    )


def name_key(name: str) -> str:
    """A company name reduced to what tells it apart: no legal form, case, accents or
    punctuation ("Molnbro-Digital Aktiebolag" → "molnbro digital")."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(word for word in _WORD.findall(plain) if word not in _LEGAL_FORMS)


def _alike(key: str, other: str) -> float:
    """How alike two name keys are, 0–1; a name that begins the other counts as alike."""
    if not key or not other:
        return 0.0
    if key == other:
        return 1.0
    shorter, longer = sorted((key, other), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter + " "):
        return 0.95
    return difflib.SequenceMatcher(None, key, other).ratio()


def _ranked(
    typed: str, organisations: list[Organisation], *, cutoff: float
) -> list[tuple[float, Organisation]]:
    key = name_key(typed)
    scored = [(_alike(key, name_key(org.name)), org) for org in organisations]
    return sorted(
        ((score, org) for score, org in scored if score >= cutoff),
        key=lambda pair: (-pair[0], pair[1].name),
    )


def counterpart_suggestions(*, own_organisation: Organisation, typed: str) -> list[Organisation]:
    """Organisations that the typed name (or organisation number) probably means.

    Empty when the name is exactly an organisation's (that one is simply used) or
    nothing is alike. Reads the candidates' names once (one query).
    """
    by_number = organisation_with_number(typed)
    if by_number is not None:
        return [by_number] if by_number.kind == counterpart_kind(own_organisation) else []
    candidates = list(
        counterpart_candidates(own_organisation=own_organisation).only(
            "pk", "name", "kind", "org_number"
        )
    )
    ranked = _ranked(typed, candidates, cutoff=SIMILARITY)
    return [org for _score, org in ranked[:SUGGESTION_LIMIT]]


def counterpart_search(*, own_organisation: Organisation, typed: str) -> list[Organisation]:
    """What the counterpart field lists as one types: names containing the text, numbers
    beginning with its digits, and close names, best first (at most ``SEARCH_LIMIT``)."""
    typed = typed.strip()
    digits = re.sub(r"[\s-]", "", typed)
    if len(typed) < 2:
        return []
    candidates = counterpart_candidates(own_organisation=own_organisation).only(
        "pk", "name", "kind", "org_number"
    )
    found: dict[int, Organisation] = {}
    query = Q(name__icontains=typed)
    if digits.isdigit() and len(digits) >= 3:
        number_start = digits[:6] + ("-" + digits[6:] if len(digits) > 6 else "")
        query |= Q(org_number__startswith=number_start)
    for organisation in candidates.filter(query).order_by("name")[:SEARCH_LIMIT]:
        found[organisation.pk] = organisation
    if len(found) < SEARCH_LIMIT:
        for _score, organisation in _ranked(typed, list(candidates), cutoff=SIMILARITY):
            found.setdefault(organisation.pk, organisation)
    exact = name_key(typed)
    return sorted(
        found.values(), key=lambda org: (name_key(org.name) != exact, org.name.casefold())
    )[:SEARCH_LIMIT]


def did_you_mean(matches: list[Organisation]) -> str:
    """ "Did you mean Molnbro Digital AB?" (or "A or B?")."""
    return _("Did you mean %(names)s?") % {
        "names": get_text_list([org.name for org in matches], _("or"))
    }


def choices_context(matches: list[Organisation], *, typed: str, selected: str) -> dict[str, Any]:
    """What ``agreements/_counterparts.html`` shows: the organisations to choose from and,
    unless one has exactly the typed name, the choice to create the typed one."""
    query = typed.strip()
    exact = any(org.name.casefold() == query.casefold() for org in matches)
    return {
        "matches": matches,
        "query": query,
        "selected": selected,
        "creatable": bool(query) and not exact,
    }
