"""The synthetic agencies: real divisions from the gazetteer's table, and make_agencies always ends."""

from __future__ import annotations

import pytest

from nianbao.gazetteer import resolve
from nianbao.synth import places
from nianbao.synth.places import KINDS, divisions, make_agencies


def test_the_divisions_are_the_installed_gazetteers_thousands_of_counties() -> None:
    divs = divisions()
    assert len(set(divs)) == len(divs)
    assert len(divs) >= 2000
    assert {p for p, _, _ in divs} >= {"浙江省", "新疆维吾尔自治区", "北京市", "海南省"}
    assert ("浙江省", "嘉兴市", "平湖市") in divs and ("上海市", "上海市", "嘉定区") in divs
    assert not any(p in places.OUTSIDE for p, _, _ in divs)


def test_the_gazetteer_places_every_division_by_its_full_name() -> None:
    # The same table behind both, names up to 15 characters (双江拉祜族佤族布朗族傣族自治县) matched whole.
    for province, city, county in divisions():
        region = resolve(province + city + county + "民政局" if city != province else province + county + "民政局")
        assert (region.province, region.county) == (province, county), (province, city, county)


def test_two_thousand_agencies_have_distinct_names_ids_and_divisions() -> None:
    agencies = make_agencies(2000)
    assert len({a.name for a in agencies}) == len({a.id for a in agencies}) == 2000
    assert len({(a.province, a.city, a.county) for a in agencies}) == 2000  # every division once before twice
    assert make_agencies(2000) == agencies and make_agencies(2000, seed=1) != agencies


def test_every_name_is_used_before_none_is_left_and_more_is_a_clear_error(monkeypatch) -> None:
    few = (("浙江省", "嘉兴市", "平湖市"), ("浙江省", "台州市", "椒江区"), ("福建省", "福州市", "鼓楼区"),
           ("江苏省", "南京市", "鼓楼区"))
    monkeypatch.setattr(places, "divisions", lambda: few)
    agencies = make_agencies(len(few) * len(KINDS))
    assert len({a.name for a in agencies}) == len({a.id for a in agencies}) == len(few) * len(KINDS)
    assert "南京市鼓楼区民政局" in {a.name for a in agencies}  # two 鼓楼区: the second takes its city's name
    with pytest.raises(ValueError, match=r"61 synthetic agencies asked for, but 4 divisions × 15 kinds"):
        make_agencies(len(few) * len(KINDS) + 1)
