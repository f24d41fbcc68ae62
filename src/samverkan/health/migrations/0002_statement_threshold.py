"""Rounds record the smallest group for one statement's figure (issue 10, point 7).

Figures already released are rebuilt from the statement groups they store, by
the rules of ``figures`` (no figure, nor the difference of two, is one statement
below the statement threshold), and get the count of respondents behind them.
Nothing is recomputed from the answers but that count, so no released figure
moves by anyone's late answer.
"""

import operator
from functools import reduce

from django.db import migrations, models
from django.db.models import Q


def rebuild(apps, schema_editor):
    from samverkan.health import analysis, figures, instrument

    SideFigures = apps.get_model("health", "SideFigures")
    Answer = apps.get_model("health", "Answer")
    dimension_of = {s.key: s.dimension for s in instrument.statements("en")}
    for stored in SideFigures.objects.select_related("round"):
        round = stored.round
        data = stored.figures
        statements = data.get("statements", {})
        mine = dict(dimension_of)
        mine.update({own["key"]: instrument.OWN_DIMENSION for own in round.own_statements})
        statements = {key: targets for key, targets in statements.items() if key in mine}
        threshold = analysis.min_group_size(round.threshold)
        overall, dimensions, included = figures._build(
            statements,
            mine,
            threshold,
            analysis.statement_min_group(round.threshold, round.statement_threshold),
        )
        shown = 0
        if included:
            by_statement = {}
            for statement, target in included:
                by_statement.setdefault(statement, []).append(target)
            condition = reduce(
                operator.or_,
                (Q(statement=s, target__in=t) for s, t in sorted(by_statement.items())),
            )
            shown = (
                Answer.objects.filter(round=round, side=stored.side, score__isnull=False)
                .filter(condition)
                .order_by()
                .values("response_id")
                .distinct()
                .count()
            )
        data.update(overall=overall, dimensions=dimensions, shown=shown)
        stored.figures = data
        stored.save(update_fields=["figures"])


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="statement_threshold",
            field=models.PositiveSmallIntegerField(
                default=5,
                help_text=(
                    "One statement's own figure needs at least this many who gave it a score; "
                    "set from HEALTH_STATEMENT_THRESHOLD when the round opens."
                ),
                verbose_name="smallest group for one statement",
            ),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
