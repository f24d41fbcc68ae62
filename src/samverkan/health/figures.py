"""A side's figures for a round: aggregated in SQL, suppressed, released in steps.

``side_figures`` runs a fixed number of GROUP BY queries, whatever the number of
answers, and turns the counts into means and distributions with
``analysis.summarise``, so a group of fewer respondents than the round's
threshold never gets a figure: it is stored as ``{"respondents": n, "withheld":
true}``. Nothing per person is ever read.

``release_side`` stores them in ``SideFigures``, but only when
``analysis.release_live_figures`` allows it (at least the threshold number of
new respondents since the figures now shown), and even then keeps a group's
previous figure when fewer than the threshold new respondents have entered that
group. So two versions of a figure never differ by fewer than the threshold of
answers, and no single answer can be read off by difference.

The stored JSON (all keys strings, as JSON has them)::

    {"respondents": 12,
     "overall": G,                                  # every scored answer
     "dimensions": {dimension: {"all": G, "self": G, "other": G, "relationship": G}},
     "statements": {statement: {target: G}},
     "recommend": {"respondents": 11, "nps": 27.3, "distribution": {"0": 0.0, …}},
     "free_text": {question: [text, …]}}            # sorted, so order says nothing

    G = {"respondents": r, "answers": a, "mean": m, "distribution": {"1": %, … "5": %}}
      | {"respondents": r, "withheld": true}
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from samverkan.health import analysis
from samverkan.health.models import Answer, FreeText, Response, Round, SideFigures

Group = dict[str, Any]


def _group(counts: dict[int, int], respondents: int, threshold: int) -> Group:
    summary = analysis.summarise(counts, respondents=respondents, threshold=threshold)
    if summary.withheld:
        return {"respondents": respondents, "withheld": True}
    assert summary.distribution is not None
    return {
        "respondents": respondents,
        "answers": analysis.answer_count(counts),
        "mean": summary.mean,
        "distribution": {str(k): v for k, v in summary.distribution.items()},
    }


def side_figures(round: Round, side: str) -> dict[str, Any]:
    """The figures of one side as the answers stand now (eight queries, whatever the answers)."""
    threshold = round.min_group
    scored = Answer.objects.filter(round=round, side=side, score__isnull=False).order_by()
    by_dimension: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for dimension, target, score, n in scored.values_list("dimension", "target", "score").annotate(
        n=Count("id")
    ):
        by_dimension[(dimension, target)][score] = n
    target_respondents = {
        (dimension, target): r
        for dimension, target, r in scored.values_list("dimension", "target").annotate(
            r=Count("response", distinct=True)
        )
    }
    dimension_respondents = dict(
        scored.values_list("dimension").annotate(r=Count("response", distinct=True))
    )
    by_statement: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for statement, target, score, n in scored.values_list("statement", "target", "score").annotate(
        n=Count("id")
    ):
        by_statement[(statement, target)][score] = n

    dimensions: dict[str, dict[str, Group]] = defaultdict(dict)
    all_counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    overall_counts: dict[int, int] = defaultdict(int)
    for (dimension, target), counts in by_dimension.items():
        dimensions[dimension][target] = _group(
            counts, target_respondents[(dimension, target)], threshold
        )
        for score, n in counts.items():
            all_counts[dimension][score] += n
            if dimension != "own":
                overall_counts[score] += n
    for dimension, counts in all_counts.items():
        dimensions[dimension]["all"] = _group(
            dict(counts), dimension_respondents[dimension], threshold
        )
    overall_respondents = scored.exclude(dimension="own").values("response").distinct().count()
    statements: dict[str, dict[str, Group]] = defaultdict(dict)
    for (statement, target), counts in by_statement.items():
        # each response scores a statement for a target at most once
        statements[statement][target] = _group(counts, sum(counts.values()), threshold)

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
        "overall": _group(dict(overall_counts), overall_respondents, threshold),
        "dimensions": dict(dimensions),
        "statements": dict(statements),
        "recommend": recommend,
        "free_text": dict(free_text),
    }


def _keep_or_take(old: Group | None, new: Group, threshold: int) -> Group:
    """``new``, unless it would move a shown figure by fewer than ``threshold`` respondents."""
    if old is None or old.get("withheld"):
        return new
    if new["respondents"] == old["respondents"]:
        return new
    if analysis.release_live_figures(old["respondents"], new["respondents"], threshold):
        return new
    return old


def _merge(old: dict[str, Any], new: dict[str, Any], threshold: int) -> dict[str, Any]:
    merged = dict(new)
    merged["overall"] = _keep_or_take(old.get("overall"), new["overall"], threshold)
    for section in ("dimensions", "statements"):
        merged[section] = {
            key: {
                target: _keep_or_take(
                    old.get(section, {}).get(key, {}).get(target), group, threshold
                )
                for target, group in targets.items()
            }
            for key, targets in new[section].items()
        }
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
    shown.figures = _merge(shown.figures, figures, round.min_group)
    shown.respondents = current
    shown.released_at = timezone.now()
    shown.save(update_fields=["figures", "respondents", "released_at"])
    return shown
