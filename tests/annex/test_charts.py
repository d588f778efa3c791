"""cases.charts: the cumulative-net chart draws the engine's figures."""

import xml.etree.ElementTree as ET
from decimal import Decimal as D

from cases.charts import net_flow_svg
from finance import engine

NS = {"svg": "http://www.w3.org/2000/svg"}


def bc01_figures():
    case = engine.Case(
        years=range(2021, 2027),
        lines=[
            engine.Line(
                "permanent",
                "saving",
                "service",
                "Energi",
                {2021: -517, **{y: -1034 for y in range(2022, 2027)}},
            ),
            engine.Line("implementation", "cost", "capital", "Anlæg", {2021: 5580}),
        ],
    )
    return engine.compute(case)


def test_bars_and_line_are_the_engine_figures():
    figures = bc01_figures()
    root = ET.fromstring(net_flow_svg(figures))
    bars = root.findall("svg:rect[@class='bar']", NS)
    assert [(int(b.get("data-year")), D(b.get("data-value"))) for b in bars] == [
        (y, figures.net_total[y]) for y in figures.years
    ]
    points = root.findall("svg:circle", NS)
    assert [D(p.get("data-value")) for p in points] == [
        figures.cumulative_net[y] for y in figures.years
    ]
    assert [D(p.get("data-value")) for p in points][-1] == D(-107)


def test_payback_year_is_marked():
    figures = bc01_figures()
    assert figures.payback_years_total == 6
    root = ET.fromstring(net_flow_svg(figures))
    [line] = root.findall("svg:line[@class='payback']", NS)
    assert line.get("data-year") == "2026"
    note = root.find("svg:text[@class='payback-note']", NS).text
    assert note == "Tilbagebetalt 2026 (6 år)"


def test_payback_after_the_table_and_no_payback():
    late = engine.compute(
        engine.Case(
            years=[2021, 2022],
            lines=[
                engine.Line("permanent", "saving", "service", "x", {2021: -10, 2022: -10}),
                engine.Line("implementation", "cost", "service", "y", {2021: 100}),
            ],
        )
    )
    root = ET.fromstring(net_flow_svg(late))
    assert root.findall("svg:line[@class='payback']", NS) == []
    assert late.payback_years_total == 11  # cumulative 0 in 2030 is not paid back
    assert root.find("svg:text[@class='payback-note']", NS).text == (
        "Tilbagebetalt 2031 (11 år), efter tabellens sidste år"
    )
    none = engine.compute(
        engine.Case(
            years=[2021],
            lines=[
                engine.Line("implementation", "cost", "service", "y", {2021: 100}),
            ],
        )
    )
    assert none.payback_years_total is None
    root = ET.fromstring(net_flow_svg(none))
    assert root.find("svg:text[@class='payback-note']", NS).text == "Ingen tilbagebetaling"


def test_no_style_attributes_for_the_csp_and_text_is_escaped():
    svg = net_flow_svg(bc01_figures(), title="<script>&")
    assert "style=" not in svg
    assert "<script>" not in svg
    ET.fromstring(svg)  # well-formed


def test_empty_proposal_draws_an_empty_chart():
    figures = engine.compute(engine.Case(years=[2021, 2022]))
    root = ET.fromstring(net_flow_svg(figures))
    assert root.findall("svg:rect[@class='bar']", NS) == []


def test_the_payback_label_lies_above_every_bar_and_point():
    """Breaker: "Tilbagebetalt 2021" was written inside the plot, over the bars: with
    savings only, the zero line is the top of the plot and the bars hang from it, right
    where the label was. The label now stands in a band above the plot (its baseline
    above every bar's top and every point of the line)."""
    for amounts in (
        {y: -300 for y in range(2021, 2027)},  # savings only: bars hang from the top
        {2021: 100, 2022: -300, 2023: -300, 2024: 900, 2025: -900, 2026: -900},
    ):
        saving = engine.Line("permanent", "saving", "service", "Gevinst", amounts)
        figures = engine.compute(engine.Case(years=range(2021, 2027), lines=[saving]))
        root = ET.fromstring(net_flow_svg(figures))
        [label] = [
            t
            for t in root.findall("svg:text", NS)
            if (t.text or "").startswith("Tilbagebetalt") and t.get("class") != "payback-note"
        ]
        baseline = float(label.get("y"))
        tops = [float(bar.get("y")) for bar in root.findall("svg:rect[@class='bar']", NS)]
        points = [float(c.get("cy")) - 3 for c in root.findall("svg:circle", NS)]
        assert baseline + 3 <= min(tops + points)  # 3 px for the letters below the baseline
