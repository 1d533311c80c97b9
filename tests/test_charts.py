"""The dashboard's hand-written SVG bar charts: well-formed, accessible, escaped, proportional, deterministic,
valid HTML5 for the Nu checker and readable on a 375 px phone."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from generator.publish.charts import BAR_FILL, TEXT_FILL, TEXT_ON_BAR, WIDTH, Bar, bar_chart

import gates

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Fish & Chips <script>alert("x")</script> O\'Brien ]]> &amp;\x00\x0b'

SAMPLE = [Bar("Public Works", 1_200_000, "$1,200,000"), Bar("Parks & Recreation", 600_000, "$600,000"),
          Bar("Libraries", 150_000, "$150,000")]


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode("utf-8"))


def widths(root) -> list[float]:
    return [float(r.get("width")) for r in root.iter(f"{SVG}rect")]


def texts(root) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def test_title_and_desc_come_first_and_name_the_image():
    root = parse(bar_chart("spend", "Spending by department", "Public Works spent most.", SAMPLE))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, title.text, title.get("id")) == (f"{SVG}title", "Spending by department", "spend-title")
    assert (desc.tag, desc.text, desc.get("id")) == (f"{SVG}desc", "Public Works spent most.", "spend-desc")
    assert root.get("aria-labelledby").split() == ["spend-title", "spend-desc"]


def test_chart_id_is_reduced_to_a_safe_id():
    root = parse(bar_chart('Spend "by" Dept/2024 <x>', "t", "d", SAMPLE))
    ids = root.get("aria-labelledby").split()
    assert ids == ["spend-by-dept-2024-x-title", "spend-by-dept-2024-x-desc"]
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    assert [root[0].get("id"), root[1].get("id")] == ids


def test_bars_are_proportional_in_order_with_their_values_printed():
    root = parse(bar_chart("c", "t", "d", [Bar("Half", 50, "50"), Bar("Full", 100, "100"), Bar("Fifth", 20, "20")]))
    half, full, fifth = widths(root)
    assert full / half == pytest.approx(2, abs=0.01)
    assert full / fifth == pytest.approx(5, abs=0.02)
    assert texts(root) == ["Half", "50", "Full", "100", "Fifth", "20"]
    ys = [float(r.get("y")) for r in root.iter(f"{SVG}rect")]
    assert ys == sorted(ys) and len(set(ys)) == 3, "one row per bar, top to bottom in the given order"


def value_texts(root) -> list:
    return [t for t in root.iter(f"{SVG}text") if t.text.startswith("$")]


def test_value_text_sits_after_the_bar_and_inside_the_view_box():
    root = parse(bar_chart("c", "t", "d", [Bar("Big", 1, "$1,234,567,890"), Bar("Small", 0.1, "$1")]))
    for rect, value in zip(root.iter(f"{SVG}rect"), value_texts(root), strict=True):
        end = float(rect.get("x")) + float(rect.get("width"))
        assert float(value.get("x")) > end
        assert float(rect.get("y")) < float(value.get("y")) <= float(rect.get("y")) + float(rect.get("height"))
        assert value.get("fill") is None and value.get("text-anchor") is None
    longest = len("$1,234,567,890") * 15 * 0.55  # a digit's advance in a sans-serif font is about 0.55 em
    assert float(value_texts(root)[0].get("x")) + longest <= WIDTH


def test_a_value_too_long_for_the_space_after_a_long_bar_goes_inside_it():
    root = parse(bar_chart("c", "t", "d", [Bar("Big", 10, "$1,234,567,890.12"), Bar("Short", 1, "$123,456,789.01")]))
    (big, short), (big_value, short_value) = root.iter(f"{SVG}rect"), value_texts(root)
    assert big_value.get("text-anchor") == "end" and big_value.get("fill") == TEXT_ON_BAR
    assert 0 < float(big_value.get("x")) < float(big.get("width"))
    assert short_value.get("text-anchor") is None, "a short bar leaves room for its value after it"
    assert float(short_value.get("x")) > float(short.get("width"))


def test_a_hostile_label_is_escaped_and_reads_back_as_text():
    svg = bar_chart("c", HOSTILE, HOSTILE, [Bar(HOSTILE, 1, "<b>&'\"")])
    assert "<script" not in svg and "<b>" not in svg and "\x00" not in svg
    root = parse(svg)
    expected = 'Fish & Chips <script>alert("x")</script> O\'Brien ]]> &amp;'
    assert root[0].text == expected and root[1].text == expected
    *label, value = texts(root)
    assert " ".join(label) == expected, "the label, maybe wrapped"
    assert value == "<b>&'\""
    assert [e.tag for e in root.iter() if isinstance(e.tag, str)].count(f"{SVG}script") == 0


def test_long_labels_wrap_onto_lines_that_fit():
    label = "Department of Transportation and Infrastructure Services of the City of Springfield"
    root = parse(bar_chart("c", "t", "d", [Bar(label, 1, "1")]))
    lines = texts(root)[:-1]
    assert len(lines) >= 2 and " ".join(lines) == label
    assert all(len(line) * 15 * 0.5 <= WIDTH for line in lines)
    rect = next(root.iter(f"{SVG}rect"))
    assert float(rect.get("y")) > max(float(t.get("y")) for t in root.iter(f"{SVG}text") if t.text in lines)


def test_no_bars_gives_a_valid_chart_saying_no_data():
    root = parse(bar_chart("empty", "Spending", "Nothing was spent.", []))
    assert root[0].text == "Spending" and root[1].text == "Nothing was spent."
    assert texts(root) == ["No data"]
    assert widths(root) == []
    assert float(root.get("viewBox").split()[3]) > 0
    assert texts(parse(bar_chart("empty", "t", "d", [], no_data="Aucune donnée"))) == ["Aucune donnée"]


def test_all_zero_values_give_zero_width_bars():
    root = parse(bar_chart("c", "t", "d", [Bar("A", 0, "$0"), Bar("B", 0.0, "$0")]))
    assert widths(root) == [0, 0]
    assert texts(root) == ["A", "$0", "B", "$0"]
    assert widths(parse(bar_chart("c", "t", "d", [Bar("A", 5, "5")], max_value=0))) == [0]


def test_max_value_shares_a_scale_and_clamps():
    small = parse(bar_chart("a", "t", "d", [Bar("A", 25, "25")], max_value=100))
    large = parse(bar_chart("b", "t", "d", [Bar("B", 100, "100")], max_value=100))
    over = parse(bar_chart("c", "t", "d", [Bar("C", 250, "250"), Bar("D", 50, "50")], max_value=100))
    assert widths(large)[0] / widths(small)[0] == pytest.approx(4, abs=0.02)
    assert widths(over)[0] == widths(large)[0], "a value over max_value is drawn at full length"
    assert widths(over)[1] == pytest.approx(widths(large)[0] / 2, abs=0.1)
    assert texts(over)[1] == "250", "the printed value is not clamped"


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
def test_negative_or_non_finite_values_are_refused(bad):
    with pytest.raises(ValueError, match="finite number >= 0"):
        bar_chart("c", "t", "d", [Bar("A", bad, "?")])
    with pytest.raises(ValueError, match="max_value"):
        bar_chart("c", "t", "d", [Bar("A", 1, "1")], max_value=bad)


def test_same_input_same_string_and_no_float_noise():
    bars = [Bar("Third", 1 / 3, "33.3%"), Bar("Two thirds", 2 / 3, "66.7%"), Bar("Whole", 1, "100%")]
    first = bar_chart("c", "t", "d", bars)
    assert first == bar_chart("c", "t", "d", list(bars))
    root = parse(first)
    numbers = [e.get(a) for e in root.iter(f"{SVG}rect", f"{SVG}text") for a in ("x", "y", "width", "height")
               if e.get(a) is not None]
    assert len(numbers) == 3 * 8 and all(re.fullmatch(r"\d+(\.\d)?", n) for n in numbers), numbers
    assert any("." in n for n in numbers), "thirds give fractional lengths, rounded to one decimal"


def test_scales_with_its_container_and_references_nothing_outside():
    svg = bar_chart("c", "t", "d", SAMPLE)
    root = parse(svg)
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("preserveAspectRatio") == "xMinYMin meet"
    assert root.get("viewBox").split()[:3] == ["0", "0", str(WIDTH)]
    assert not any(e.get("style") or e.get("href") or e.get("class") for e in root.iter())
    assert not re.search(r"url\(|https?://(?!www\.w3\.org/2000/svg)|xlink|<script", svg)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_contrast_on_white():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)  # the formula itself
    root = parse(bar_chart("c", "t", "d", SAMPLE))
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert fills == {BAR_FILL}
    assert root.get("fill") == TEXT_FILL and not any(t.get("fill") for t in root.iter(f"{SVG}text"))
    assert contrast(BAR_FILL, "#ffffff") >= 3  # WCAG 1.4.11 non-text contrast
    assert contrast(TEXT_FILL, "#ffffff") >= 4.5  # WCAG 1.4.3 text contrast
    assert contrast(TEXT_ON_BAR, BAR_FILL) >= 4.5  # a value drawn inside its bar


def page(*charts: str) -> str:
    body = "\n".join(f"<figure>{chart}</figure>" for chart in charts)
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Charts</title>'
            '<style>html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
            'sans-serif; } body { margin: 0 16px; } figure { margin: 1rem 0; }</style>'
            f"</head><body><main><h1>Charts</h1>{body}</main></body></html>\n")


CHARTS = (bar_chart("spend", "Spending by department", "Public Works spent most.", SAMPLE),
          bar_chart("share", HOSTILE, HOSTILE, [Bar(HOSTILE, 3, "42%"), Bar("Department of Transportation and "
                    "Infrastructure Services of the City of Springfield", 4, "$1,234,567,890.12")], max_value=4),
          bar_chart("none", "Nothing", "No awards yet.", []))


def test_the_nu_checker_accepts_a_page_embedding_the_charts(tmp_path):
    (tmp_path / "index.html").write_text(page(*CHARTS), "utf-8")
    assert gates.vnu_errors(tmp_path) == []


def test_the_nu_checker_would_catch_a_broken_chart(tmp_path):
    broken = CHARTS[0].replace('role="img"', 'role="img" width="100%" bogus="1"', 1)
    (tmp_path / "index.html").write_text(page(broken), "utf-8")
    assert gates.vnu_errors(tmp_path) != []


def test_readable_on_a_375_px_phone_without_sideways_scroll(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        tab = context.new_page()
        tab.set_content(page(*CHARTS))
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375
        found = tab.evaluate("""() => [...document.querySelectorAll('svg')].map(svg => {
            const box = svg.getBoundingClientRect();
            const scale = box.width / svg.viewBox.baseVal.width;
            return {scale, width: box.width,
                    outside: [...svg.querySelectorAll('text')].filter(t => {
                        const b = t.getBoundingClientRect();
                        return b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.bottom > box.bottom + 0.5;
                    }).map(t => t.textContent)};
        })""")
        assert len(found) == 3
        for chart in found:
            assert chart["width"] <= 375
            assert chart["outside"] == [], "text drawn outside the chart would be cut off"
            assert 15 * chart["scale"] >= 12, "text smaller than 12 px on a phone"
    finally:
        context.close()
