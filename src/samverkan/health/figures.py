"""A side's figures for a round: aggregated in SQL, suppressed, released in steps.

Everything starts from one GROUP BY over the side's answers: the number of
answers per statement, target and score. A statement's group (one statement
answered for one target) has as many respondents as answers, and is withheld
when they are fewer than the round's threshold (``analysis.summarise``).

Every larger group — a dimension for one target, a dimension as a whole, the
side overall — is then built from the **shown statement groups only**. A
withheld statement's answers are in no figure at all, so no withheld figure can
be worked out by subtracting shown ones from a total ("don't know" and skipped
statements would otherwise make that easy). A larger group's ``respondents`` is
the most respondents any of its statements has: a lower bound of the people
behind it, and never below the threshold.

``release_side`` stores the figures in ``SideFigures``, but only when
``analysis.release_live_figures`` allows it (at least the threshold number of
new respondents on the side since the figures now shown). Even then each
statement group keeps its previous figure unless at least the threshold number
of new respondents have answered it, and the larger groups are rebuilt from the
statement groups as released. So two versions of any figure differ by the
answers of at least the threshold number of people, and no single answer can be
read off by difference.

The stored JSON (all keys strings, as JSON has them)::

    {"respondents": 12,
     "overall": G,
     "dimensions": {dimension: {"all": G, "self": G, "other": G, "relationship": G}},
     "statements": {statement: {target: G}},
     "recommend": {"respondents": 11, "nps": 27.3, "distribution": {"0": 0.0, …}},
     "free_text": {question: [text, …]}}            # sorted, so order says nothing

    G = {"respondents": r, "answers": a, "mean": m, "distribution": {"1": %, …},
         "counts": {"1": n, …}}
      | {"withheld": true}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from samverkan.health import analysis, instrument
from samverkan.health.models import Answer, FreeText, Response, Round, SideFigures

Group = dict[str, Any]
WITHHELD: Group = {"withheld": True}


def _group(counts: dict[int, int], respondents: int, threshold: int) -> Group:
    summary = analysis.summarise(counts, respondents=respondents, threshold=threshold)
    if summary.withheld:
        return dict(WITHHELD)
    assert summary.distribution is not None
    return {
        "respondents": respondents,
        "answers": analysis.answer_count(counts),
        "mean": summary.mean,
        "distribution": {str(k): v for k, v in summary.distribution.items()},
        "counts": {str(k): n for k, n in sorted(counts.items())},
    }


def _combined(groups: Iterable[Group], threshold: int) -> Group:
    """A larger group from shown statement groups; withheld when none is shown."""
    counts: dict[int, int] = defaultdict(int)
    respondents = 0
    for group in groups:
        if group.get("withheld"):
            continue
        respondents = max(respondents, group["respondents"])
        for score, n in group["counts"].items():
            counts[int(score)] += n
    return _group(dict(counts), respondents, threshold)


def _build(
    statements: dict[str, dict[str, Group]], dimension_of: dict[str, str], threshold: int
) -> tuple[Group, dict[str, dict[str, Group]]]:
    """The overall group and the dimension groups, from the statement groups."""
    by_dimension: dict[str, dict[str, list[Group]]] = defaultdict(lambda: defaultdict(list))
    for statement, targets in statements.items():
        for target, group in targets.items():
            by_dimension[dimension_of[statement]][target].append(group)
    dimensions: dict[str, dict[str, Group]] = {}
    for dimension, per_target in by_dimension.items():
        dimensions[dimension] = {
            target: _combined(groups, threshold) for target, groups in per_target.items()
        }
        dimensions[dimension]["all"] = _combined(
            [g for groups in per_target.values() for g in groups], threshold
        )
    overall = _combined(
        [
            group
            for statement, targets in statements.items()
            if dimension_of[statement] != instrument.OWN_DIMENSION
            for group in targets.values()
        ],
        threshold,
    )
    return overall, dimensions


def _dimension_of(round: Round) -> dict[str, str]:
    result = {s.key: s.dimension for s in instrument.statements("en")}
    result.update({own["key"]: instrument.OWN_DIMENSION for own in round.own_statements})
    return result


def side_figures(round: Round, side: str) -> dict[str, Any]:
    """The figures of one side as the answers stand now (four queries, whatever the answers)."""
    threshold = round.min_group
    counts: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for statement, target, score, n in (
        Answer.objects.filter(round=round, side=side, score__isnull=False)
        .order_by()
        .values_list("statement", "target", "score")
        .annotate(n=Count("id"))
    ):
        counts[(statement, target)][score] = n
    statements: dict[str, dict[str, Group]] = defaultdict(dict)
    for (statement, target), by_score in counts.items():
        # each response scores a statement for a target at most once
        statements[statement][target] = _group(by_score, sum(by_score.values()), threshold)
    overall, dimensions = _build(statements, _dimension_of(round), threshold)

    responses = Response.objects.filter(round=round, side=side).order_by()
    recommend_counts = dict(
        responses.filter(recommend__isnull=False).values_list("recommend").annotate(n=Count("id"))
    )
    recommend_respondents = sum(recommend_counts.values())
    nps = analysis.net_recommendation_score(recommend_counts, threshold)
    recommend: dict[str, Any] = {"respondents": recommend_respondents, "nps": nps}
    if nps is not None:
        distribution = analysis.distribution(recommend_counts, analysis.RECOMMEND_SCALE)
        recommend["distribution"] = {str(k): v for k, v in distribution.items()}
    respondents = responses.count()
    free_text: dict[str, list[str]] = defaultdict(list)
    if not analysis.suppressed(respondents, threshold):
        for question, text in (
            FreeText.objects.filter(round=round, side=side)
            .order_by("question", "text")
            .values_list("question", "text")
        ):
            free_text[question].append(text)
    return {
        "respondents": respondents,
        "overall": overall,
        "dimensions": dimensions,
        "statements": dict(statements),
        "recommend": recommend,
        "free_text": dict(free_text),
    }


def _keep_or_take(old: Group | None, new: Group, threshold: int) -> Group:
    """``new``, unless it would move a shown figure by fewer than ``threshold`` respondents."""
    if old is None or old.get("withheld") or new.get("withheld"):
        return new if old is None or old.get("withheld") else old
    if new["respondents"] == old["respondents"]:
        return new
    if analysis.release_live_figures(old["respondents"], new["respondents"], threshold):
        return new
    return old


def _merge(
    old: dict[str, Any], new: dict[str, Any], round: Round, threshold: int
) -> dict[str, Any]:
    merged = dict(new)
    statements = {
        key: {
            target: _keep_or_take(
                old.get("statements", {}).get(key, {}).get(target), group, threshold
            )
            for target, group in targets.items()
        }
        for key, targets in new["statements"].items()
    }
    merged["statements"] = statements
    merged["overall"], merged["dimensions"] = _build(statements, _dimension_of(round), threshold)
    old_recommend, new_recommend = old.get("recommend"), new["recommend"]
    if (
        old_recommend
        and old_recommend.get("nps") is not None
        and new_recommend["respondents"] != old_recommend["respondents"]
        and not analysis.release_live_figures(
            old_recommend["respondents"], new_recommend["respondents"], threshold
        )
    ):
        merged["recommend"] = old_recommend
    return merged


@transaction.atomic
def release_side(round: Round, side: str) -> SideFigures | None:
    """Recompute and store a side's figures if enough new answers allow it; the figures shown."""
    current = Response.objects.filter(round=round, side=side).count()
    shown = SideFigures.objects.select_for_update().filter(round=round, side=side).first()
    last = shown.respondents if shown else 0
    if not analysis.release_live_figures(last, current, round.threshold):
        return shown
    figures = side_figures(round, side)
    if shown is None:
        return SideFigures.objects.create(
            round=round, side=side, respondents=current, figures=figures
        )
    shown.figures = _merge(shown.figures, figures, round, round.min_group)
    shown.respondents = current
    shown.released_at = timezone.now()
    shown.save(update_fields=["figures", "respondents", "released_at"])
    return shown
