"""The insights page's SVG charts (web/insights_charts.py): well-formed SVG that carries
every label and number as text, so the figures read without colour or script.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from web import insights_charts as charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root


def _texts(root: ET.Element) -> list:
    return [el.text for el in root.iter(f"{SVG}text")]


def test_bars_hold_the_title_each_label_and_each_number():
    root = _parse(charts.bars("Wer kommt wie weit?", [("Begonnen", 40), ("Fertig", 12.5)]))
    assert root.find(f"{SVG}title").text == "Wer kommt wie weit?"
    assert _texts(root) == ["Begonnen", "40", "Fertig", "12.5"]


def test_the_longest_bar_is_the_largest_value_and_lengths_are_proportional():
    root = _parse(charts.bars("T", [("a", 10), ("b", 5), ("c", 0)], width=560))
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == 560 - 230 - 60  # the label column and room for the number
    assert widths[1] == widths[0] / 2 and widths[2] == 0


def test_bars_without_items_or_with_zeros_render():
    assert list(_parse(charts.bars("Leer", [])).iter(f"{SVG}rect")) == []
    assert _texts(_parse(charts.bars("Null", [("a", 0)]))) == ["a", "0"]


def test_labels_are_escaped():
    svg = charts.bars('<script>"x"</script>', [("A & B <c>", 1)])
    assert "<script>" not in svg
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == '<script>"x"</script>'
    assert _texts(root)[0] == "A & B <c>"


def test_stacked_days_name_each_value_the_days_and_the_variants_with_totals():
    days = ["2026-11-01", "2026-11-02", "2026-11-03"]
    series = [("Variante A", [3, 0, 1]), ("Variante B", [2, 4, 0])]
    root = _parse(charts.stacked_days("Pro Tag", days, series))
    # Each non-zero value is a column piece whose tooltip names the day and the count.
    tooltips = [el.text for rect in root.iter(f"{SVG}rect") for el in rect.iter(f"{SVG}title")]
    assert sorted(tooltips) == sorted(
        ["2026-11-01: 3", "2026-11-03: 1", "2026-11-01: 2", "2026-11-02: 4"]
    )
    texts = _texts(root)
    assert texts[:2] == ["5", "0"]  # the axis: the largest day total, and zero
    assert "2026-11-01" in texts and "2026-11-03" in texts  # the first and last day
    assert "2026-11-02" not in texts  # days between are in the tooltips only
    assert "Variante A (4)" in texts and "Variante B (6)" in texts


def test_stacked_days_without_data_render():
    root = _parse(charts.stacked_days("Leer", [], [("Variante A", [])]))
    assert "Variante A (0)" in _texts(root)
