"""Reading fetched pages: the real Pingtan pages (TRS platform) and pages of no known platform."""

from __future__ import annotations

import pytest

from nianbao.fetch.pages import decode, read_page, report_links, report_year

from .fetch_site import COLUMN, GONGAN, GONGAN_2022, SITES, listing_page

BASE = "https://www.pingtan.gov.cn"
LISTING = (SITES / "zfxxgknb" / "index.html").read_bytes()
REPORT_2022 = (SITES / "zfxxgknb" / "202302" / "t20230220_80629.htm").read_bytes()
REPORT_2018 = (SITES / "zfxxgknb" / "201901" / "t20190110_80529.htm").read_bytes()


def test_the_column_listing_gives_its_reports_meta_and_next_page():
    page = read_page(LISTING, BASE + COLUMN)
    assert page.meta == {"SiteName": "平潭综合实验区党工委管委会", "SiteIDCode": "3590000001", "ColumnName": "政府信息公开年报"}
    assert page.is_report_column
    links = report_links(page)
    assert [k.year for k in links] == [2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016]
    assert links[3].url == BASE + COLUMN + "202302/t20230220_80629.htm"  # ./202302/… resolved
    assert page.more_pages == [BASE + COLUMN + "index_1.htm"]  # listModel: recordCount 20, prepage 10


def test_the_department_listing_pages_by_its_own_count():
    data = (SITES / "dfbmptlj" / "ptzhsyqbm" / "ptzhsyqgaj" / "zfxxgknb" / "index.html").read_bytes()
    page = read_page(data, BASE + GONGAN)
    assert page.more_pages == [BASE + GONGAN + "index_1.htm"]  # recordCount 16
    assert all("公安局" in k.text for k in report_links(page))


def test_report_pages_new_and_old_template():
    new, old = read_page(REPORT_2022, BASE + COLUMN + "202302/t20230220_80629.htm"), read_page(REPORT_2018, BASE)
    assert new.template() == "new" and old.template() == "old"
    assert new.meta["ArticleTitle"] == "平潭综合实验区2022年度政府信息公开工作年度报告"
    assert new.meta["PubDate"] == "2023-02-20 15:07" and "ContentSource" not in new.meta  # empty on the page
    assert new.attachments == [] and old.attachments == []  # the list and the apps arrays are empty
    assert report_year(new.report_title) == 2022 and report_year(old.report_title) == 2018
    gongan = read_page(GONGAN_2022.read_bytes(), BASE + GONGAN + "202301/t20230109_80624.htm")
    assert gongan.template() == "new" and gongan.meta["ArticleTitle"].startswith("平潭综合实验区公安局2022年")


def test_trs_attachments_from_the_list_the_body_and_the_script_arrays():
    text = REPORT_2022.decode("utf-8")
    text = text.replace('<ul id="file_ul_fj">', '<ul id="file_ul_fj"><li><a href="./P020230220a.docx">附件1</a></li>', 1)
    text = text.replace("var apps1 = [", 'var apps1 = [{name:"年度报告原件.pdf", url:"http://www.pingtan.gov.cn/x/P020230220b.pdf"}', 1)
    page = read_page(text.encode("utf-8"), BASE + COLUMN + "202302/t20230220_80629.htm")
    assert [a.url for a in page.attachments] == [BASE + COLUMN + "202302/P020230220a.docx",
                                                 "http://www.pingtan.gov.cn/x/P020230220b.pdf"]
    assert page.attachments[1].text == "年度报告原件.pdf"


def test_trs_create_page_html_pagination():
    text = LISTING.decode("utf-8").replace("listModel({", 'createPageHTML(4, 0, "index", "shtml");\nlistModel({', 1)
    page = read_page(text.encode("utf-8"), BASE + COLUMN)
    assert page.more_pages == [BASE + COLUMN + f"index_{n}.shtml" for n in (1, 2, 3)]


def test_a_page_of_no_known_platform():
    """Generic rules: report links by title, 下一页 and ?page= links, attachments anywhere on the page."""
    page = read_page("""<html><head><meta name="ColumnName" content="年度报告"><title>年度报告</title></head><body>
      <ul><li><a href="/nb/2023.html">某某市民政局2023年政府信息公开工作年度报告</a></li>
      <li><a href="/nb/2022.html" title="2022年度报告">2022年度报告</a></li>
      <li><a href="/nb/plan.html">2023年政务公开工作要点</a></li>
      <li><a href="/nb/fz.html">某某市2023年法治政府建设年度报告</a></li></ul>
      <a href="/nb/list.html?page=2">2</a> <a href="/nb/more.html">下一页</a>
      <a href="javascript:void(0)">下一页</a> <a href="/files/2021.wps">2021年报（WPS）</a>
    </body></html>""".encode(), "http://example.gov.cn/nb/list.html")
    assert [(k.url.rsplit("/", 1)[-1], k.year) for k in report_links(page)] == [("2023.html", 2023), ("2022.html", 2022),
                                                                               ("fz.html", 2023)]
    assert page.more_pages == ["http://example.gov.cn/nb/list.html?page=2", "http://example.gov.cn/nb/more.html"]
    assert [a.url for a in page.attachments] == ["http://example.gov.cn/files/2021.wps"]


@pytest.mark.parametrize(("title", "year"), [
    ("平潭综合实验区2022年度政府信息公开工作年度报告", 2022),
    ("平潭综合实验区地方税务局2013年信息公开年度报告", 2013),
    ("关于2014年政府信息公开工作要点落实情况的函", None),
    ("某县2021年政务公开工作年报", 2021),
    ("政府信息公开年报", None),
])
def test_report_year_from_titles(title, year):
    assert report_year(title) == year


def test_encodings_declared_or_detected():
    second = listing_page(LISTING.decode("utf-8"), [("201601/t.htm", "平潭综合实验区2015年度政府信息公开工作年度报告", "2016-01-20")])
    undeclared = second.replace('<meta charset="utf-8"', "<meta", 1).encode("gb18030")
    text, encoding = decode(undeclared)  # no charset anywhere: detected
    assert "平潭综合实验区2015年度政府信息公开工作年度报告" in text and encoding in ("gb18030", "gbk", "gb2312")
    text, encoding = decode(undeclared, "text/html; charset=GB2312")  # the HTTP header's, read as GB18030
    assert encoding == "gb18030" and "政府信息公开年报" in text
    text, encoding = decode(second.encode("utf-8"), "text/html; charset=gbk")  # a wrong label: the next one
    assert encoding == "utf-8" and "政府信息公开年报" in text


def test_sites_yaml_errors_name_the_file_and_the_entry(tmp_path, capsys, monkeypatch):
    import importlib

    from nianbao import paths
    from nianbao.cli import main

    monkeypatch.setenv("NIANBAO_ROOT", str(tmp_path))  # main() points paths and the environment at --root
    from nianbao.errors import InputError
    from nianbao.fetch.sites import load_sites

    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - url: https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/\n    platform: trs\n"
                     "  - https://www.example.gov.cn/xxgk/\n", encoding="utf-8")
    assert [(s.url, s.platform) for s in load_sites(sites)] == [
        ("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/", "trs"), ("https://www.example.gov.cn/xxgk/", None)]
    for text, message in (("sites:\n  - url: ftp://x.gov.cn/\n", "site 1: url ftp://x.gov.cn/ is not a web address"),
                          ("- url: https://x.gov.cn/\n  platfrom: trs\n", "site 1: unknown keys platfrom"),
                          ("- url: https://x.gov.cn/\n- {agency: 某局}\n", "site 2: expected an entry with a url"),
                          ("- url: https://x.gov.cn/\n  platform: wordpress\n", "site 1: unknown platform wordpress"),
                          ("sites: [\n", "not YAML")):
        sites.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=message):
            load_sites(sites)
    try:
        assert main(["--root", str(tmp_path), "fetch", "--sites", str(sites)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"nianbao: {sites}:") and "not YAML" in err and err.count("\n") == 1
        assert main(["--root", str(tmp_path), "fetch"]) == 2
        assert "nothing to fetch" in capsys.readouterr().err
    finally:
        monkeypatch.undo()
        importlib.reload(paths)
