"""The health charts as a reader sees them: parsed back from the SVG they return."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pytest
from django.utils.safestring import SafeString

from samverkan.health.charts import BarRow, TrendSeries, dimension_bars, trend_lines

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: SafeString) -> ET.Element:
    assert isinstance(svg, SafeString)
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def bars(rows: Sequence[BarRow], *, decimal_comma: bool = True, narrow: bool = False) -> ET.Element:
    return parse(
        dimension_bars(
            rows,
            title="Medelvärde per dimension",
            customer_label="Kund",
            supplier_label="Leverantör",
            withheld_label="färre än 3 svar",
            gap_label="Skillnad",
            decimal_comma=decimal_comma,
            narrow=narrow,
        )
    )


def trend(
    x_labels: Sequence[str],
    series: Sequence[TrendSeries],
    *,
    decimal_comma: bool = False,
    empty_label: str = "",
    narrow: bool = False,
) -> ET.Element:
    return parse(
        trend_lines(
            x_labels,
            series,
            title="Utveckling",
            decimal_comma=decimal_comma,
            empty_label=empty_label,
            narrow=narrow,
        )
    )


def row(
    label: str = "Samarbete",
    customer: float | None = 3.5,
    supplier: float | None = 3.0,
) -> BarRow:
    gap = None if customer is None or supplier is None else customer - supplier
    return BarRow(label, customer, supplier, gap, gap is not None and abs(gap) >= 1.0)


def rows_of(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(f".//{SVG}g[@class='bar-row']")


def with_class(element: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in element.iter(f"{SVG}{tag}") if cls in (e.get("class") or "").split()]


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


def texts(element: ET.Element) -> list[str]:
    return [text(t) for t in element.iter(f"{SVG}text")]


def viewbox_height(svg: ET.Element) -> float:
    return float(svg.get("viewBox", "").split()[3])


# --- both charts ------------------------------------------------------------------------


def test_the_chart_is_an_image_named_by_its_title_and_description() -> None:
    svg = bars([row()])

    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("viewBox", "").startswith("0 0 720 ")
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    assert text(svg.find(f"{SVG}title[@id='{title_id}']")) == "Medelvärde per dimension"  # type: ignore[arg-type]
    assert "Samarbete: Kund 3,5, Leverantör 3,0" in text(svg.find(f"{SVG}desc[@id='{desc_id}']"))  # type: ignore[arg-type]
    assert all(float(t.get("font-size", "0")) >= 11 for t in svg.iter(f"{SVG}text"))


def test_the_chart_loads_nothing_and_runs_nothing() -> None:
    markup = str(
        dimension_bars(
            [row()],
            title="t",
            customer_label="K",
            supplier_label="L",
            withheld_label="w",
            gap_label="g",
        )
    )
    markup += str(trend_lines(["Vår 2025"], [TrendSeries("K", [3.0], "customer")], title="t"))

    assert "<script" not in markup
    assert "http://" not in markup.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in markup


def test_a_label_with_markup_is_shown_as_text_not_run() -> None:
    label = "<script>alert(1)</script> & Co"

    svg = bars([row(label=label)])
    line_chart = trend(["Vår 2025"], [TrendSeries(label, [3.0], "customer")])

    for chart in (svg, line_chart):
        assert not list(chart.iter(f"{SVG}script"))
        assert label in texts(chart)
    assert label in text(svg.find(f"{SVG}desc"))  # type: ignore[arg-type]


# --- dimension bars ---------------------------------------------------------------------


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_a_withheld_side_draws_no_bar_but_says_why(narrow: bool) -> None:
    svg = bars([row(customer=None, supplier=3.0)], narrow=narrow)

    (only,) = rows_of(svg)
    assert not with_class(only, "rect", "customer")
    assert len(with_class(only, "rect", "supplier")) == 1
    (withheld,) = with_class(only, "text", "withheld")
    assert text(withheld) == "färre än 3 svar"
    assert withheld.get("font-style") == "italic"
    assert "3,0" in texts(only)
    (gap,) = with_class(only, "text", "gap")
    assert text(gap) == "–"


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_a_higher_mean_draws_a_longer_bar(narrow: bool) -> None:
    svg = bars([row(customer=2.0, supplier=4.0)], narrow=narrow)

    (customer,) = with_class(svg, "rect", "customer")
    (supplier,) = with_class(svg, "rect", "supplier")
    assert float(supplier.get("width", "0")) == pytest.approx(3 * float(customer.get("width", "0")))
    assert customer.get("x") == supplier.get("x")  # both start at 1


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_each_mean_is_written_at_the_end_of_its_bar(narrow: bool) -> None:
    svg = bars([row(customer=4.2, supplier=2.4)], narrow=narrow)

    for side, written in (("customer", "4,2"), ("supplier", "2,4")):
        (bar,) = with_class(svg, "rect", side)
        (value,) = [t for t in with_class(svg, "text", "value") if side in t.get("class", "")]
        assert text(value) == written
        assert float(value.get("x", "0")) > float(bar.get("x", "0")) + float(bar.get("width", "0"))


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_a_flagged_gap_is_bold_with_a_warning_sign(narrow: bool) -> None:
    svg = bars(
        [row(label="Förtroende", customer=4.4, supplier=3.2), row(customer=3.5, supplier=3.1)],
        narrow=narrow,
    )

    flagged, calm = (with_class(r, "text", "gap")[0] for r in rows_of(svg))
    assert text(flagged) == "⚠ +1,2"
    assert flagged.get("font-weight") == "700"
    assert text(calm) == "+0,4"
    assert calm.get("font-weight") is None


@pytest.mark.parametrize(("decimal_comma", "mean"), [(True, "3,5"), (False, "3.5")])
def test_means_are_written_with_the_language_s_decimal_mark(decimal_comma: bool, mean: str) -> None:
    svg = bars([row(customer=3.5, supplier=3.5)], decimal_comma=decimal_comma)

    assert texts(svg).count(mean) == 2


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_a_negative_gap_has_a_true_minus_sign(narrow: bool) -> None:
    svg = bars([row(customer=3.0, supplier=3.4)], narrow=narrow)

    (gap,) = with_class(svg, "text", "gap")
    assert text(gap) == "−0,4"
    assert "-" not in text(gap)


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_the_gap_column_and_the_legend_are_labelled(narrow: bool) -> None:
    svg = bars([row()], narrow=narrow)

    assert "Skillnad" in texts(svg)
    legend = svg.find(f".//{SVG}g[@class='legend']")
    assert legend is not None
    assert texts(legend) == ["Kund", "Leverantör"]
    assert [text(t) for t in svg.iter(f"{SVG}text")].count("5") == 2  # the axis, top and bottom


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_the_sides_differ_in_pattern_not_only_in_colour(narrow: bool) -> None:
    svg = bars([row()], narrow=narrow)

    (customer,) = with_class(svg, "rect", "customer")
    (supplier,) = with_class(svg, "rect", "supplier")
    assert customer.get("fill") == "#1f4e79"
    assert supplier.get("fill", "").startswith("url(#")
    assert supplier.get("stroke") == "#c55a11"
    assert svg.find(f".//{SVG}pattern") is not None


def test_the_chart_grows_with_the_rows() -> None:
    three = bars([row(label=f"Dimension {i}") for i in range(3)])
    fifteen = bars([row(label=f"Dimension {i}") for i in range(15)])

    assert viewbox_height(fifteen) > viewbox_height(three) + 12 * 40
    assert fifteen.get("viewBox", "").split()[2] == three.get("viewBox", "").split()[2] == "720"


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_a_long_label_is_wrapped_rather_than_cut(narrow: bool) -> None:
    label = "Innovation och förbättringsarbete i vardagen"

    svg = bars([row(label=label)], narrow=narrow)

    (label_text,) = with_class(svg, "text", "label")
    lines = [text(span) for span in label_text.iter(f"{SVG}tspan")]
    assert len(lines) == 2
    assert " ".join(lines) == label


def test_the_narrow_chart_is_drawn_for_a_phone_with_each_label_above_its_bars() -> None:
    """On a phone the wide chart shrinks to half size; the narrow one keeps its type size."""
    svg = bars(
        [row(label="Öppenhet/Samhörighet"), row(label="Innovation och förbättringsarbete")],
        narrow=True,
    )

    assert svg.get("viewBox", "").split()[2] == "360"
    for bar_row in rows_of(svg):
        (label,) = with_class(bar_row, "text", "label")
        last_baseline = float(label.get("y", "0")) + sum(
            float(span.get("dy", "0")) for span in label.iter(f"{SVG}tspan")
        )
        bar_tops = [float(r.get("y", "0")) for r in with_class(bar_row, "rect", "bar")]
        assert last_baseline + 4 < min(bar_tops)  # the label sits above the bars, not beside
        assert float(label.get("font-size", "0")) >= 13
        (gap,) = with_class(bar_row, "text", "gap")
        assert float(gap.get("y", "0")) < min(bar_tops)  # the gap on the label's line
    assert all(float(t.get("font-size", "0")) >= 11.5 for t in svg.iter(f"{SVG}text"))


# --- trend lines ------------------------------------------------------------------------


def side_group(svg: ET.Element, kind: str, side: str) -> ET.Element:
    (group,) = [g for g in with_class(svg, "g", kind) if side in g.get("class", "").split()]
    return group


def polylines(svg: ET.Element, side: str) -> list[list[tuple[float, float]]]:
    return [
        [(float(x), float(y)) for x, y in (p.split(",") for p in line.get("points", "").split())]
        for line in side_group(svg, "series", side).iter(f"{SVG}polyline")
    ]


def x_of_round(svg: ET.Element, name: str) -> float:
    (label,) = [  # a name wrapped over lines is read with a space at each break
        t
        for t in with_class(svg, "text", "x-label")
        if " ".join(text(span) for span in t.iter(f"{SVG}tspan")) == name
    ]
    return float(label.get("x", "0"))


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_a_withheld_round_breaks_the_line(narrow: bool) -> None:
    rounds = ["Vår 2024", "Höst 2024", "Vår 2025", "Höst 2025", "Vår 2026"]

    svg = trend(
        rounds, [TrendSeries("Kund", [3.0, 3.4, None, 3.8, 4.0], "customer")], narrow=narrow
    )

    before, after = polylines(svg, "customer")
    assert len(before) == len(after) == 2
    # No segment passes over the withheld round.
    assert max(x for x, _y in before) < x_of_round(svg, "Vår 2025") < min(x for x, _y in after)
    assert len(side_group(svg, "markers", "customer")) == 4
    assert {"3.0", "3.4", "3.8", "4.0"} <= set(texts(svg))


def test_a_point_alone_between_gaps_is_still_marked_and_written() -> None:
    svg = trend(["a", "b", "c"], [TrendSeries("Leverantör", [None, 2.5, None], "supplier")])

    assert polylines(svg, "supplier") == []
    assert len(side_group(svg, "markers", "supplier").findall(f"{SVG}rect")) == 1
    assert "2.5" in texts(svg)


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_customer_and_supplier_lines_differ_by_marker_and_dash(narrow: bool) -> None:
    svg = trend(
        ["Vår 2025", "Höst 2025"],
        [
            TrendSeries("Region Väst", [3.0, 3.5], "customer"),
            TrendSeries("Acme AB", [2.5, 2.0], "supplier"),
        ],
        decimal_comma=True,
        narrow=narrow,
    )

    assert [e.tag for e in side_group(svg, "markers", "customer")] == [f"{SVG}circle"] * 2
    assert [e.tag for e in side_group(svg, "markers", "supplier")] == [f"{SVG}rect"] * 2
    customer_line = side_group(svg, "series", "customer")
    supplier_line = side_group(svg, "series", "supplier")
    assert (
        customer_line.get("stroke") == "#1f4e79" and customer_line.get("stroke-dasharray") is None
    )
    assert supplier_line.get("stroke") == "#c55a11" and supplier_line.get("stroke-dasharray")
    assert {"3,0", "3,5", "2,5", "2,0", "Region Väst", "Acme AB", "Vår 2025", "Höst 2025"} <= set(
        texts(svg)
    )


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_a_higher_value_is_drawn_higher(narrow: bool) -> None:
    svg = trend(["a", "b"], [TrendSeries("Kund", [2.0, 4.0], "customer")], narrow=narrow)

    ((_x1, low), (_x2, high)) = polylines(svg, "customer")[0]
    assert high < low  # SVG y grows downwards


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_equal_values_on_both_sides_keep_both_labels_apart(narrow: bool) -> None:
    svg = trend(
        ["a"],
        [TrendSeries("Kund", [3.0], "customer"), TrendSeries("Lev", [3.0], "supplier")],
        narrow=narrow,
    )

    values = [t for t in svg.iter(f"{SVG}text") if "value" in (t.get("class") or "")]
    assert [text(t) for t in values] == ["3.0", "3.0"]
    assert abs(float(values[0].get("y", "0")) - float(values[1].get("y", "0"))) >= 13


def test_the_narrow_trend_is_half_as_wide_with_text_as_large() -> None:
    series = [TrendSeries("Kund", [3.0, 3.4, 3.9], "customer")]
    wide = trend(["Hälsokontroll 2024", "Hälsokontroll 2025", "Hälsokontroll 2026"], series)
    narrow = trend(
        ["Hälsokontroll 2024", "Hälsokontroll 2025", "Hälsokontroll 2026"], series, narrow=True
    )

    assert narrow.get("viewBox", "").split()[2] == "360"
    assert wide.get("viewBox", "").split()[2] == "720"
    sizes = {t.get("font-size") for t in narrow.iter(f"{SVG}text")}
    assert sizes == {t.get("font-size") for t in wide.iter(f"{SVG}text")}
    # Round names too long for a narrow band wrap instead of running into each other.
    assert max(len(list(t.iter(f"{SVG}tspan"))) for t in with_class(narrow, "text", "x-label")) > 1


def test_nothing_to_show_says_so() -> None:
    svg = trend(
        ["Vår 2025", "Höst 2025"],
        [TrendSeries("Kund", [None, None], "customer")],
        empty_label="Inga resultat att visa ännu",
    )

    assert texts(svg) == ["Inga resultat att visa ännu"]
    assert not list(svg.iter(f"{SVG}polyline"))
    assert viewbox_height(svg) < 100
    assert svg.get("role") == "img"


def test_a_series_must_have_a_value_per_round() -> None:
    with pytest.raises(ValueError, match="Kund"):
        trend_lines(["a", "b"], [TrendSeries("Kund", [3.0], "customer")], title="t")


def test_no_chart_class_collides_with_bootstrap_layout_classes() -> None:
    """Bootstrap's .row gives every child width 100%: in an SVG that stretched every bar."""
    svg = dimension_bars(
        [BarRow("Samarbete", 3.0, 4.0, -1.0, True)],
        title="t",
        customer_label="Kund",
        supplier_label="Leverantör",
        withheld_label="färre än 3 svar",
        gap_label="Skillnad",
    )
    classes = {c for element in parse(svg).iter() for c in (element.get("class") or "").split()}
    assert not classes & {"row", "col", "container", "d-flex", "table", "card"}


def test_numbers_round_half_up_like_the_tables_beside_the_chart() -> None:
    svg = dimension_bars(
        [BarRow("Tillhöra", 3.65, 3.9, -0.25, False)],
        title="t",
        customer_label="Kund",
        supplier_label="Leverantör",
        withheld_label="färre än 3 svar",
        gap_label="Skillnad",
        decimal_comma=True,
    )
    texts = {"".join(t.itertext()) for t in parse(svg).iter(f"{SVG}text")}
    assert {"3,7", "3,9", "−0,3"} <= texts
