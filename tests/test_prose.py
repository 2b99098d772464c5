"""Prose paragraphs as the report has them (render/prose.py), on the sample reports' own text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao import paths
from nianbao.parse.api import parse_file
from nianbao.render.prose import paragraphs, prose_html

ZHONGWEI = "ningxia-zhongwei-minzheng/2021.txt"  # a PDF's text: lines wrapped mid-sentence at page ends
PINGTAN = "fujian-fuzhou-pingtan-guanweihui/2020.txt"  # web text: a whole section on one line


def _section(raw: str, number: int) -> str:
    report = parse_file(paths.RAW / raw)
    return next(s.text for s in report.sections if s.number == number)


def test_lines_broken_mid_sentence_are_joined():
    paras = paragraphs(_section(ZHONGWEI, 1))
    assert not [p for p in paras if p.endswith(("和", "有效", "，", "及时发"))], "a paragraph ends mid-sentence"
    assert any("保留现行有效行政规范性文件 3 件" in p for p in paras)
    assert any("“面对面”的交流，架起了政民“连心桥”" in p for p in paras)
    assert any("国办发〔2021〕12 号）和《自治区人民政府办公厅" in p for p in paras)


def test_headings_and_numbered_items_start_paragraphs():
    paras = paragraphs(_section(ZHONGWEI, 1))
    assert paras[0] == "（一）主动公开政府信息情况"
    for start in ("（二）依申请公开政府信息办理情况", "1.优化调整政务公开清单目录。", "5.积极开展“政府开放日”活动。"):
        assert any(p.startswith(start) for p in paras), start
    assert "（二）依申请公开政府信息办理情况" in paras  # a heading is a paragraph of its own
    assert any("参检率 91.93%，合格率 86.56%。" in p for p in paras)  # a decimal is not an item number


def test_one_line_web_text_is_cut_at_its_items():
    text = _section(PINGTAN, 1)
    assert max(len(ln) for ln in text.splitlines()) > 3000  # the report's own text: one giant paragraph
    paras = paragraphs(text)
    assert len(paras) >= 20
    assert max(len(p) for p in paras) < 600
    assert "1.加强用权信息公开" in paras  # a heading run into its first item: cut there
    assert any(p.startswith("（1）推进权责清单公开。区行政审批局") for p in paras)
    assert any(p.startswith("（二）围绕工作重点") for p in paras)


def test_headings_are_marked_and_text_escaped():
    html = prose_html("（一）主动公开情况\n今年公开<b>信息</b> 3 条。")
    assert html == '<p class="nb-subhead">（一）主动公开情况</p><p>今年公开&lt;b&gt;信息&lt;/b&gt; 3 条。</p>'


def test_latin_words_broken_at_a_line_keep_their_space():
    assert paragraphs("the report\nsays so.") == ["the report says so."]


@given(st.text(alphabet=st.sampled_from(list("一二（）()1.、。，；文字 \nab9")), max_size=200))
def test_no_character_is_lost_or_added(text):
    squeeze = lambda s: re.sub(r"\s", "", s)  # noqa: E731
    assert squeeze("".join(paragraphs(text))) == squeeze(text)


@pytest.mark.parametrize("raw", [ZHONGWEI, PINGTAN])
def test_every_section_keeps_its_text(raw):
    for s in parse_file(paths.RAW / raw).sections:
        assert re.sub(r"\s", "", "".join(paragraphs(s.text))) == re.sub(r"\s", "", s.text)
