"""What a report page gives Pagefind beyond its prose (render/terms.py, pages.py): the pieces a browser
cuts a name or a template term into, its kind and year, and its key figures weighted by whether they
happened. The browser side (what a search then finds) is tests/browser/test_search.py."""

from __future__ import annotations

import re

from nianbao.registry import AgencyEntry
from nianbao.render.pages import PROSE_IGNORED, render_report
from nianbao.render.terms import TEMPLATE_TERMS, report_terms
from tests.handmade import appeals, report

AGENCY = AgencyEntry(id="fujian-pingtan", name="平潭综合实验区管委会", province="福建省", city="福州市",
                     county="平潭县", kind="管理委员会")
LINKS = [("福建省", "regions/fj/"), ("福州市", "regions/fj/fz/")]


def _page(**kw) -> str:
    markdown, _ = render_report(report("fujian-pingtan", "平潭综合实验区管委会", 2022, **kw), AGENCY, LINKS)
    return markdown


def test_a_report_holds_its_name_as_the_browser_cuts_it_and_its_template_terms():
    terms = report_terms(AGENCY, "本年度行政复议案件 2 件，主动公开政府信息 30 条。")
    assert {"平", "潭", "平潭", "综合", "实验", "管委"} <= set(terms)  # ICU: 平|潭|综合|实验|区|管|委|会
    whole = {AGENCY.name, "平潭县", "福州市", "福建省", *TEMPLATE_TERMS}
    assert not [t for t in terms if len(t) > 2 and t not in whole]  # runs of at most two characters
    assert {"行政复议", "行", "政", "复", "议", "复议", "主动公开", "主动"} <= set(terms)  # ICU: 行政|复|议
    assert "不予公开" not in terms and "予" not in terms  # a term the text does not use adds nothing
    assert len(terms) == len(set(terms))


def test_the_report_page_carries_kind_year_and_a_low_weight_terms_line():
    page = _page()
    assert 'data-pagefind-meta="year:2022"' in page and 'data-pagefind-meta="page:report"' in page
    assert "data-pagefind-filter" not in page  # a filter's index would be part of every search's download
    line = re.search(r'<p class="nb-terms" aria-hidden="true" data-pagefind-weight="([0-9.]+)">([^<]*)</p>', page)
    assert float(line.group(1)) < 1 and " 平 潭 " in line.group(2)


def test_the_title_indexes_name_and_year_not_the_tail_every_report_shares():
    page = _page()
    assert ('<h1 data-pagefind-meta="title:平潭综合实验区管委会 2022 年政府信息公开工作年度报告">平潭综合实验区管委会 2022 年'
            '<span data-pagefind-ignore>政府信息公开工作年度报告</span></h1>') in page


def test_key_figures_weigh_more_when_they_happened():
    page = _page(appeals=appeals(review=(1, 1, 0, 0), direct=(0, 0, 0, 0)))
    line = re.search(r'<p class="nb-keyline">(.*?)</p>', page).group(1)
    assert '<span data-pagefind-weight="6">行政复议 2 件</span>' in line
    assert '<span data-pagefind-weight="0.5">行政诉讼 0 件</span>' in line
    assert line.startswith("本年：") and "主动公开政府信息" in line and "不予公开" in line


def test_the_prose_is_shown_but_not_indexed():
    """The prose was two thirds of what Pagefind held and of what a query fetched (SCALING.md): a report page
    shows it, folded or not, and keeps it out of the index."""
    text = "本机关认真落实最低生活保障信息公开。" * 40  # long enough to be folded on phones
    page = _page(sections=[{"number": 1, "title": "总体情况", "text": text}, {"number": 5, "title": "问题", "text": "短。"}])
    proses = re.findall(r'<div class="nb-prose[^"]*"([^>]*)>', page)
    assert len(proses) == 2 and all(PROSE_IGNORED in attrs for attrs in proses), proses
    assert "最低生活保障" in page
