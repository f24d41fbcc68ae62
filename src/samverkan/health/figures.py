"""A side's figures for a round: aggregated in SQL, suppressed, released in steps.

Everything starts from one GROUP BY over the side's answers: the number of
answers per statement, target and score. A statement's group (one statement
answered for one target) has as many respondents as answers, and is withheld
when they are fewer than the round's threshold (``analysis.summarise``).

Two thresholds
--------------
A *larger* figure — the side overall, a dimension, a dimension's mirror view
(``self``/``other``) — pools several statements and is shown from the round's
threshold ``T`` (3 by default). **One statement's own figure** (its mean and its
spread) is shown only when at least ``Ts = Round.statement_min_group`` people
gave it a score (5 by default, never below ``T + 2``). One statement is the most
exposed figure: each respondent gives it a single score, so k − 1 respondents
who pool their own scores learn the last one's by subtraction. With ``Ts``
they must be at least ``Ts − 1``, and a side of fewer than ``Ts`` respondents
shows no statement at all.

Which statements go into larger figures
---------------------------------------
A threshold on single statements means nothing if a larger figure is one
statement, or if the difference of two shown figures is. So a larger figure is
built only from statement groups of at least ``T`` scores (as before: what is
withheld at ``T`` is in no figure), and, per dimension, within these rules
(``_included``):

- a mirror view (target ``self`` or ``other``) holds the part's statements that
  are shown on their own, plus its *hidden* ones (``T`` ≤ scores < ``Ts``) only
  when there are at least two of them;
- the dimension as a whole holds every statement in its mirror views, the shown
  statements about the relationship, and what is left over — the remaining
  hidden statements of all three targets — only when that is at least two
  statement groups.

So whatever is subtracted from what, the rest is either shown statements or at
least two hidden statement groups pooled: never one statement below ``Ts``. The
side overall is the union of its dimensions (without the round's own
statements, which are a dimension of their own), and adds nothing to subtract.
``test_anonymity`` swaps one person's scores between two statements of such a
pool and checks that no figure moves.

"Don't know"
------------
"Don't know" is no score. Whether a statement is shown depends only on how many
gave it a score, so the list of withheld statements changes with one person's
"don't know" only where exactly ``Ts`` would otherwise have scored it — and then
learning that this one person said "don't know" takes the other ``Ts − 1`` who
scored it pooling their answers: the same people who could read her score from
the mean (``test_anonymity`` checks that below ``Ts`` respondents nothing
changes, and above it one "don't know" moves no statement). No figure below the
side says how many scored it (``results.Figure.respondents`` is ``None`` there),
so the number of "don't know" answers to one statement is not printed either;
the shares of a statement's spread, rounded to whole percent, still hint at it,
which is one more reason a statement needs ``Ts``. The alternative — deciding
per statement on the side's respondents and showing a mean from whoever scored
it — would print one person's score whenever the others said "don't know".
What remains at the round's threshold: a larger figure is withheld when none
of its statements has ``T`` scores (or one would stand alone), so at a side of
exactly ``T`` respondents, ``T − 1`` who pool their answers can tell from a
withheld mirror view or dimension that the last one scored none of its
statements — as they can narrow down her scores from the means shown.

Respondents shown
-----------------
``shown`` (stored in the figures) is the number of the side's respondents who
gave at least one score that is in a figure shown: counted in SQL over the
statement groups included above. It leaves out who answered only "don't
know", only the 0–10 question or the free texts, and answers that came after
the last release.

Live results
------------
``release_side`` stores the figures in ``SideFigures``, but only when
``analysis.release_live_figures`` allows it (at least the threshold number of
new respondents on the side since the figures now shown). Even then each
statement group keeps its previous figure unless at least the threshold number
of new respondents have answered it, and the larger groups are rebuilt from the
statement groups as released. So two versions of any figure differ by the
answers of at least the threshold number of people, and no single answer can be
read off by difference. When some statements keep an earlier figure, ``shown``
is the larger of those counted behind the current ones and the most behind any
kept one (answers carry no time, so it cannot be more exact than that).

The stored JSON (all keys strings, as JSON has them)::

    {"respondents": 12,                              # responses when released
     "shown": 11,                                    # respondents behind the figures
     "overall": G,
     "dimensions": {dimension: {"all": G, "self": G, "other": G}},
     "statements": {statement: {target: G}},         # at T; shown from Ts (results)
     "recommend": {"respondents": 11, "nps": 27.3, "distribution": {"0": 0.0, …}},
     "free_text": {question: [text, …]}}            # sorted, so order says nothing

    G = {"respondents": r, "answers": a, "mean": m, "distribution": {"1": %, …},
         "counts": {"1": n, …}}
      | {"withheld": true}
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
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


Key = tuple[str, str]  # (statement, target)
MIRROR_TARGETS = ("self", "other")


def _shown_alone(group: Group, statement_threshold: int) -> bool:
    """Whether a statement group's own figure is shown: ``Ts`` or more gave it a score."""
    return not group.get("withheld") and group["respondents"] >= statement_threshold


def _included(
    statements: dict[str, dict[str, Group]],
    dimension_of: dict[str, str],
    statement_threshold: int,
) -> dict[str, dict[str, set[Key]]]:
    """Per dimension, the statement groups in its ``self``, ``other`` and ``all`` figures.

    The rules of the module docstring: shown statements always; hidden ones (at
    least ``T`` scores, fewer than ``Ts``) only in pools of two or more.
    """
    parts: dict[str, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
    for statement, targets in statements.items():
        for target, group in targets.items():
            if not group.get("withheld"):  # fewer than T scores: in no figure
                parts[dimension_of[statement]][target].append((statement, target))

    def shown(key: Key) -> bool:
        return _shown_alone(statements[key[0]][key[1]], statement_threshold)

    included: dict[str, dict[str, set[Key]]] = {}
    for dimension, by_target in parts.items():
        chosen: dict[str, set[Key]] = {}
        left: set[Key] = set()
        for target, keys in by_target.items():
            visible = {key for key in keys if shown(key)}
            hidden = {key for key in keys if not shown(key)}
            if target in MIRROR_TARGETS and len(hidden) >= 2:
                visible |= hidden
            else:
                left |= hidden
            chosen[target] = visible
        pooled = set().union(*chosen.values()) | (left if len(left) >= 2 else set())
        included[dimension] = {
            **{target: chosen.get(target, set()) for target in MIRROR_TARGETS},
            "all": pooled,
        }
    return included


def _build(
    statements: dict[str, dict[str, Group]],
    dimension_of: dict[str, str],
    threshold: int,
    statement_threshold: int,
) -> tuple[Group, dict[str, dict[str, Group]], set[Key]]:
    """The overall group, the dimension groups and every statement group in them."""
    included = _included(statements, dimension_of, statement_threshold)

    def combined(keys: set[Key]) -> Group:
        return _combined((statements[s][t] for s, t in sorted(keys)), threshold)

    dimensions = {
        dimension: {part: combined(keys) for part, keys in parts.items()}
        for dimension, parts in included.items()
    }
    everything: set[Key] = set()
    for dimension, parts in included.items():
        if dimension != instrument.OWN_DIMENSION:
            everything |= parts["all"]
    own = included.get(instrument.OWN_DIMENSION, {}).get("all", set())
    return combined(everything), dimensions, everything | own


def _scorers(round: Round, side: str, keys: Iterable[Key]) -> int:
    """How many of the side's respondents gave a score to at least one of ``keys``."""
    by_statement: dict[str, list[str]] = defaultdict(list)
    for statement, target in keys:
        by_statement[statement].append(target)
    if not by_statement:
        return 0
    condition = reduce(
        operator.or_,
        (Q(statement=s, target__in=targets) for s, targets in sorted(by_statement.items())),
    )
    return (
        Answer.objects.filter(round=round, side=side, score__isnull=False)
        .filter(condition)
        .order_by()
        .values("response_id")
        .distinct()
        .count()
    )


def _dimension_of(round: Round) -> dict[str, str]:
    result = {s.key: s.dimension for s in instrument.statements("en")}
    result.update({own["key"]: instrument.OWN_DIMENSION for own in round.own_statements})
    return result


def side_figures(round: Round, side: str) -> dict[str, Any]:
    """The figures of one side as the answers stand now (five queries, whatever the answers)."""
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
    overall, dimensions, included = _build(
        statements, _dimension_of(round), threshold, round.statement_min_group
    )

    responses = Response.objects.filter(round=round, side=side).order_by()
    recommend_counts = dict(
        responses.filter(recommend__isnull=False).values_list("recommend").annotate(n=Count("id"))
    )
    recommend_respondents = sum(recommend_counts.values())
    # One answer per person, like a single statement: the statements' larger group, so
    # that colluders at the round's threshold cannot work out the last person's score.
    nps = analysis.net_recommendation_score(recommend_counts, round.statement_min_group)
    recommend: dict[str, Any] = {
        "respondents": recommend_respondents if nps is not None else None,
        "nps": nps,
    }
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
        "shown": _scorers(round, side, included),
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
    old: dict[str, Any], new: dict[str, Any], round: Round, side: str, threshold: int
) -> dict[str, Any]:
    merged = dict(new)
    statements: dict[str, dict[str, Group]] = {}
    kept: set[Key] = set()
    for key, targets in new["statements"].items():
        statements[key] = {}
        for target, group in targets.items():
            previous = old.get("statements", {}).get(key, {}).get(target)
            chosen = _keep_or_take(previous, group, threshold)
            statements[key][target] = chosen
            if chosen is not group and chosen != group:
                kept.add((key, target))
    merged["statements"] = statements
    merged["overall"], merged["dimensions"], included = _build(
        statements, _dimension_of(round), threshold, round.statement_min_group
    )
    if kept:
        behind_kept = max((statements[s][t]["respondents"] for s, t in kept & included), default=0)
        merged["shown"] = max(_scorers(round, side, included - kept), behind_kept)
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
    shown.figures = _merge(shown.figures, figures, round, side, round.min_group)
    shown.respondents = current
    shown.released_at = timezone.now()
    shown.save(update_fields=["figures", "respondents", "released_at"])
    return shown
