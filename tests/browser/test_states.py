"""What a reader sees beside each figure: failed checks where the numbers are, and a figure's state
(a number, 0, 未提供, 无法识别, 不适用) in tables, charts and their hovers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _agency_id(dataset, word: str) -> str:
    (found,) = [a.id for a in dataset.agencies.values() if word in a.name]
    return found


def _check_cell(page, word: str) -> tuple[str, str]:
    """(data-fails, text of the 核对 cell) of the compare row whose agency name holds `word`."""
    row = page.locator("table.nb-compare-table tbody tr", has=page.locator("th", has_text=word))
    assert row.count() == 1, f"{word}: {row.count()} rows"
    return row.get_attribute("data-fails"), row.locator("td").nth(2).inner_text()


def test_compare_fails_the_reports_whose_tables_are_missing(page, base_url):
    page.goto(base_url + "compare/2021/")
    assert _check_cell(page, "平湖") == ("1", "1 项未通过")  # table 三 missing
    assert _check_cell(page, "中卫") == ("0", "通过")  # an info hint only
    page.goto(base_url + "compare/2020/")
    assert _check_cell(page, "椒江") == ("1", "1 项未通过")  # table 四 missing
    # The filter "只看未通过核对的报告" keeps them.
    page.locator('input[data-filter="fails"]').check()
    visible = page.locator("table.nb-compare-table tbody tr:visible th").all_inner_texts()
    assert any("椒江" in t for t in visible) and any("平潭" in t for t in visible)


def test_info_hint_is_not_a_red_badge(page, base_url, dataset):
    page.goto(base_url + f"agencies/{_agency_id(dataset, '中卫')}/2021/")
    badge = page.locator("a.nb-badge")
    assert badge.inner_text() == "数据检查：1 个提示"
    red, green, blue = (int(c) for c in badge.evaluate("e => getComputedStyle(e).backgroundColor").strip("rgb()").split(",")[:3])
    assert not (red > 150 and green < 80), f"an info hint has a red badge: rgb({red}, {green}, {blue})"


def test_failing_year_is_marked_on_the_agency_chart(page, base_url, dataset):
    agency = _agency_id(dataset, "平潭")
    page.goto(base_url + f"agencies/{agency}/")
    chart = page.locator(".nb-figure", has=page.locator("figcaption", has_text="收到的申请")).locator(".nb-chart")
    chart.locator(".main-svg g.trace").first.wait_for()
    marks = chart.locator(".annotation")
    texts = marks.evaluate_all("els => els.map(e => e.textContent)")
    assert any("核对未通过" in t for t in texts), texts
    link = chart.locator(".annotation a").first
    href = link.evaluate("a => a.getAttribute('href') || a.getAttribute('xlink:href')")
    assert href.endswith("2020/#problems"), href
    # The mark sits above the column it flags (2020's, whose stack reaches 27 while the line is at 21).
    gap = marks.first.evaluate("""a => {
        const m = a.getBoundingClientRect(), cx = m.left + m.width / 2;
        const tops = [...a.closest('.nb-chart').querySelectorAll('g.trace.bars g.point path')]
          .map(p => p.getBoundingClientRect()).filter(r => r.height > 0 && r.left < cx && r.right > cx).map(r => r.top);
        return Math.min(...tops) - m.bottom; }""")
    assert 0 <= gap < 20, gap
    # Hovering the mark shows the identity's two sides.
    marks.first.hover()
    hover = chart.locator(".hoverlayer").text_content()
    assert "报告为 21" in hover and "27" in hover, hover
    # The data table (the chart's text equivalent) says it too, with the link.
    table = page.locator(".nb-figure", has=page.locator("figcaption", has_text="收到的申请")).locator("details table")
    assert "核对未通过" in table.text_content() and "各项办理结果之和为 27" in table.text_content()


def test_a_zero_bar_is_visible(page, base_url, dataset):
    """2019's 行政复议 of 平潭 is 0: a visible mark on the baseline, its value 0 on hover."""
    agency = _agency_id(dataset, "平潭")
    page.goto(base_url + f"agencies/{agency}/")
    chart = page.locator(".nb-figure", has=page.locator("figcaption", has_text="行政复议")).locator(".nb-chart")
    chart.locator(".main-svg g.trace").first.wait_for()
    boxes = chart.evaluate("""el => [...el.querySelectorAll('g.trace.scatter path.point')].map(p => {
        const r = p.getBoundingClientRect(); return {w: r.width, h: r.height, stroke: getComputedStyle(p).strokeWidth}; })""")
    assert boxes and all(b["w"] >= 10 and float(b["stroke"].rstrip("px")) >= 2 for b in boxes), boxes
    chart.locator("g.trace.scatter path.point").first.hover(force=True)
    assert "0 件" in chart.locator(".hoverlayer").text_content()


def test_an_ambiguous_cell_shows_unreadable_with_its_printed_text(page, base_url, dataset):
    """平潭 2020 prints 行政许可 as one run of digits with several readings: 无法识别, not 未提供."""
    agency = _agency_id(dataset, "平潭")
    page.goto(base_url + f"agencies/{agency}/2020/")
    row = page.locator("#t2 + .nb-scroll table tr", has=page.locator("th", has_text="行政许可"))
    text = row.locator("td").inner_text()
    assert text.startswith("无法识别") and "396442278" in text and "第 1 行" in text, text
    assert "未提供" not in text
    # The agency page's year-over-year table and compare say the same, the printed text on hover.
    page.goto(base_url + f"agencies/{agency}/")
    cell = page.locator("table.nb-yoy tr", has=page.locator("th", has_text="行政许可决定")).locator("td").nth(1)
    assert cell.inner_text() == "无法识别"
    assert "396442278" in cell.locator("span.nb-unread").get_attribute("title")
    assert "4 个数字无法识别" in page.locator("figcaption", has_text="行政许可").inner_text()
