"""The gazetteer places the sample agencies, never guesses an ambiguous name, and stays lazy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nianbao.gazetteer import Region, kind_of, resolve

SAMPLES = [
    ("平桥区民政局", ("河南省", "信阳市", "平桥区"), "民政局"),
    ("信阳市平桥区民政局", ("河南省", "信阳市", "平桥区"), "民政局"),
    ("平湖市民政局", ("浙江省", "嘉兴市", "平湖市"), "民政局"),
    ("中卫市民政局", ("宁夏回族自治区", "中卫市", None), "民政局"),
    ("乌苏市民政局", ("新疆维吾尔自治区", "塔城地区", "乌苏市"), "民政局"),
    ("台州市椒江区民政局", ("浙江省", "台州市", "椒江区"), "民政局"),
    # The zone's territory is 平潭县 of 福州市 (code 350128); its name alone resolves through the stem.
    ("平潭综合实验区管委会", ("福建省", "福州市", "平潭县"), "管理委员会"),
    ("平潭综合实验区管理委员会", ("福建省", "福州市", "平潭县"), "管理委员会"),
]


@pytest.mark.parametrize(("name", "region", "kind"), SAMPLES)
def test_sample_agencies(name: str, region: tuple, kind: str) -> None:
    got = resolve(name)
    assert (got.province, got.city, got.county) == region
    assert got.ambiguous is None
    assert kind_of(name) == kind


@pytest.mark.parametrize(("name", "county"), [("鼓楼区民政局", "鼓楼区"), ("朝阳区人民政府", "朝阳区"), ("通州区政府", "通州区")])
def test_ambiguous_county_is_not_placed(name: str, county: str) -> None:
    got = resolve(name)
    assert got.province is None and got.city is None
    assert got.county == county
    assert got.ambiguous and "候选" in got.ambiguous


def test_a_parent_division_disambiguates() -> None:
    assert resolve("南京市鼓楼区民政局") == Region("江苏省", "南京市", "鼓楼区")
    assert resolve("北京市朝阳区人民政府") == Region("北京市", "北京市", "朝阳区")


def test_province_and_city_level_agencies() -> None:
    assert resolve("浙江省民政厅") == Region("浙江省", None, None)
    assert resolve("杭州市人民政府办公厅") == Region("浙江省", "杭州市", None)
    assert kind_of("杭州市人民政府办公厅") == "人民政府办公厅"
    assert kind_of("平湖市市场监督管理局") == "市场监督管理局"


def test_current_division_data() -> None:
    # Divisions created after cpca 0.5.5's data (2018): 和安县 (2024), 三元区 after 梅列区 merged in (2021).
    assert resolve("和安县人民政府") == Region("新疆维吾尔自治区", "和田地区", "和安县")
    assert resolve("三明市三元区民政局").county == "三元区"


def test_no_place() -> None:
    assert resolve("某某有限公司") == Region()
    assert resolve("") == Region()
    assert kind_of("平潭综合实验区") is None


def test_importing_the_package_stays_light() -> None:
    code = (
        "import sys, nianbao.gazetteer, nianbao.registry, nianbao.ingest, nianbao.parse;"
        "heavy = [m for m in ('pandas', 'cpca', 'jieba') if m in sys.modules];"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_fast_path_agrees_with_cpca_transform() -> None:
    import cpca

    from nianbao.gazetteer import _transform

    names = [name for name, _, _ in SAMPLES] + ["鼓楼区民政局", "北京市朝阳区人民政府", "梅列区民政局", "某某有限公司"]
    frame = cpca.transform(names, cut=False, open_warning=False)
    for name, row in zip(names, frame.to_dict("records"), strict=True):
        fast = _transform(name)
        for column in ("省", "市", "区", "地址", "识别状态", "说明"):
            assert fast[column] == (row[column] or None), (name, column)
