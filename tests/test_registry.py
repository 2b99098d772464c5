"""The agency registry: validation naming file and line, the id rule, lookups, stable writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao import paths, registry
from nianbao.errors import RegistryError
from nianbao.registry import AgencyEntry, load_agencies, make_id, new_agency, save_agencies, unique_id


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("平桥区民政局", "henan-xinyang-pingqiao-minzheng"),
        ("平湖市民政局", "zhejiang-jiaxing-pinghu-minzheng"),
        ("中卫市民政局", "ningxia-zhongwei-minzheng"),
        ("乌苏市民政局", "xinjiang-tacheng-wusu-minzheng"),
        ("台州市椒江区民政局", "zhejiang-taizhou-jiaojiang-minzheng"),
        ("平潭综合实验区管委会", "fujian-fuzhou-pingtan-guanweihui"),
        ("北京市朝阳区人民政府", "beijing-chaoyang-zhengfu"),
        ("黔南布依族苗族自治州民政局", "guizhou-qiannan-minzheng"),
        ("内蒙古自治区人民政府", "neimenggu-zhengfu"),
        ("和县人民政府", "anhui-maanshan-hexian-zhengfu"),
        ("平湖市市场监督管理局", "zhejiang-jiaxing-pinghu-shichangjianduguanli"),
        ("鼓楼区民政局", "gulou-minzheng"),  # ambiguous: the place stays as printed
        ("某某有限公司", "moumouyouxiangongsi"),
    ],
)
def test_id_rule(name: str, ident: str) -> None:
    assert new_agency(name, {}).id == ident


def test_shaanxi_and_shanxi_differ() -> None:
    assert make_id(AgencyEntry(id="x", name="陕西省民政厅", province="陕西省", kind="民政厅")) == "shaanxi-minzheng"
    assert make_id(AgencyEntry(id="x", name="山西省民政厅", province="山西省", kind="民政厅")) == "shanxi-minzheng"


def test_flags_override_the_gazetteer() -> None:
    entry = new_agency("鼓楼区民政局", {}, province="福建省", city="福州市")
    assert (entry.province, entry.city, entry.county, entry.id) == ("福建省", "福州市", "鼓楼区", "fujian-fuzhou-gulou-minzheng")
    assert new_agency("平湖市民政局", {}, agency_id="my-id", kind="民政局").id == "my-id"


def test_collisions_get_a_suffix() -> None:
    taken = {i: AgencyEntry(id=i, name=i) for i in ("gulou-minzheng", "gulou-minzheng-2")}
    assert unique_id("gulou-minzheng", taken) == "gulou-minzheng-3"
    assert new_agency("鼓楼区民政局", taken).id == "gulou-minzheng-3"


@pytest.fixture
def registry_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "agencies.yaml"
    monkeypatch.setattr(paths, "AGENCIES", path)
    return path


def test_agency_for_name_uses_registry_then_gazetteer(registry_file: Path) -> None:
    registry_file.write_text(
        "- id: fujian-pingtan\n  name: 平潭综合实验区管委会\n  aliases: [平潭综合实验区]\n", encoding="utf-8"
    )
    assert registry.agency_for_name("平潭综合实验区") == ("fujian-pingtan", "平潭综合实验区管委会")
    assert registry.agency_for_name("平潭综合实验区管委会") == ("fujian-pingtan", "平潭综合实验区管委会")
    assert registry.agency_for_name("平桥区民政局") == ("henan-xinyang-pingqiao-minzheng", "平桥区民政局")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("- id: ok-one\n  name: 甲\n- id: Bad_Id\n  name: 乙\n", 3, "agency #2: id"),
        ("- id: ok-one\n  name: 甲\n- id: ok-two\n  nmae: 乙\n", 3, "agency #2"),
        ("- id: ok-one\n  name: 甲\n- id: ok-one\n  name: 乙\n", 3, "used twice"),
        ("- id: ok-one\n  name: 甲\n- id: ok-two\n  name: 乙\n  aliases: [甲]\n", 3, "also belongs to ok-one"),
        ("- id: ok-one\n  name: [甲\n", None, "not valid YAML"),
    ],
)
def test_registry_errors_name_file_and_line(registry_file: Path, text: str, line: int | None, words: str) -> None:
    registry_file.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_agencies()
    message = str(err.value)
    assert message.startswith(str(registry_file))
    assert words in message
    if line is not None:
        assert f"{registry_file}:{line}:" in message
    assert "\n" not in message


def test_save_is_sorted_readable_and_stable(registry_file: Path) -> None:
    agencies = {e.id: e for e in (new_agency("平湖市民政局", {}), new_agency("中卫市民政局", {}))}
    assert save_agencies(agencies) is True
    text = registry_file.read_text(encoding="utf-8")
    assert text.index("ningxia-zhongwei-minzheng") < text.index("zhejiang-jiaxing-pinghu-minzheng")
    assert "平湖市民政局" in text and "\\u" not in text
    assert "county" not in text.split("ningxia-zhongwei-minzheng")[1].split("- id")[0]  # None is left out
    assert save_agencies(dict(reversed(agencies.items()))) is False  # same content: not rewritten
    assert load_agencies() == agencies


def test_committed_registry_has_the_sample_agencies() -> None:
    from .conftest import REPO

    agencies = load_agencies(REPO / "data" / "agencies.yaml")
    regions = {k: (a.province, a.city, a.county, a.kind) for k, a in agencies.items()}
    assert regions == {
        "fujian-fuzhou-pingtan-guanweihui": ("福建省", "福州市", "平潭县", "管理委员会"),
        "henan-xinyang-pingqiao-minzheng": ("河南省", "信阳市", "平桥区", "民政局"),
        "jiangsu-huaian-hongze-zhengfu": ("江苏省", "淮安市", "洪泽区", "人民政府"),
        "jiangsu-suqian-shuyang-zhengfu": ("江苏省", "宿迁市", "沭阳县", "人民政府"),
        "ningxia-zhongwei-minzheng": ("宁夏回族自治区", "中卫市", None, "民政局"),
        "xinjiang-tacheng-wusu-minzheng": ("新疆维吾尔自治区", "塔城地区", "乌苏市", "民政局"),
        "zhejiang-jiaxing-pinghu-minzheng": ("浙江省", "嘉兴市", "平湖市", "民政局"),
        "zhejiang-taizhou-jiaojiang-minzheng": ("浙江省", "台州市", "椒江区", "民政局"),
    }
