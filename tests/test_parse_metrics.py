"""Figures stated in prose: only a printed number, with its sentence and line."""

from __future__ import annotations

import pytest

from nianbao.parse.metrics import find_metrics
from nianbao.parse.text import Doc


@pytest.mark.parametrize(("sentence", "key", "value"), [
    ("2021年，我局通过政府网站主动公开政府信息 361 条，包含工作信息。", "proactive_items", 361),
    ("全年主动公开我区各级单位政府信息2645条，主要通过政府网站公开。", "proactive_items", 2645),
    ("今年我局通过市人民政府网站主动公开信息 178 条，其中行政文件 34 条。", "proactive_items", 178),
    ("2022年，全区收到政府信息公开申请75件，涉及自然人72件。", "requests_received", 75),
    ("本年度全区共收到70件申请，及时依法依规办结69件。", "requests_received", 70),
    ("2020年全区各级行政机关共受理政府信息公开申请21件。", "requests_received", 21),
    ("全年共收到依申请公开事项1,203件，均按时答复。", "requests_received", 1203),
])
def test_prose_figures(sentence: str, key: str, value: int) -> None:
    doc = Doc(["一、总体情况", "", "前言。" + sentence])
    metrics = find_metrics(doc)
    assert metrics[key].value == value
    assert metrics[key].line == 3
    assert str(value) in metrics[key].quote.replace(",", "")


@pytest.mark.parametrize("sentence", [
    "2021年，我局未收到任何形式的政府信息公开申请。",  # zero stated in words: no printed number
    "2021 年，我局无依申请公开件办理。",
])
def test_no_number_no_figure(sentence: str) -> None:
    assert "requests_received" not in find_metrics(Doc([sentence]))
