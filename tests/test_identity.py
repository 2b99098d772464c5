"""Who published a report: evidence, never a guess (issue 11).

Inputs are derived from the committed samples (data/raw) and the real department page of 平潭's site
(tests/fixtures/identity): department reports without a title whose body names the parent organ, the same
HTML page with and without its meta tags, a title and a signature that disagree, names that must be kept
whole. The outcome for each is the agency exactly, or `agency-uncertain` with the candidates: never another
agency. `ingest` refuses an uncertain report (exit 2, one line) and files nothing; a flag always decides.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.parse import parse_file, parse_text
from nianbao.parse.agency import same_agency
from nianbao.pipeline import identify
from nianbao.registry import load_agencies

from .test_ingest import _tree

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
PINGTAN = RAW / "fujian-fuzhou-pingtan-guanweihui"
ZHONGWEI = RAW / "ningxia-zhongwei-minzheng" / "2021.txt"
PAGE = Path(__file__).parent / "fixtures" / "identity" / "pingtan-gongan-2022.htm"
GONGAN = "平潭综合实验区公安局"
GUANWEIHUI = "平潭综合实验区管委会"
DEPARTMENTS = (GONGAN, "平潭综合实验区自然资源与生态环境局", "平潭综合实验区社会事业局", "平潭综合实验区市场监督管理局")
WHOLE_NAMES = ("上海市人民政府办公厅", "上海市科学技术委员会", GUANWEIHUI, "中国（福建）自由贸易试验区平潭片区管理局")


def codes(report) -> set[str]:
    return {p.code for p in report.problems}


def candidates(report) -> list[str]:
    (p,) = [p for p in report.problems if p.code == "agency-uncertain"]
    return p.text.split("、")


def outcome(report, truth: str) -> str:
    """exact, uncertain (with the truth among the candidates) or wrong."""
    if "agency-uncertain" in codes(report):
        return "uncertain" if truth in candidates(report) else "wrong"
    return "exact" if report.agency.name == truth else "wrong"


# Department reports of 平潭综合实验区: no title, a body that speaks as the department and names the 管委会 --


def as_department(text: str, department: str) -> str:
    """A 平潭 report made a department's, in the shape the real ones have: no title line; the body speaks
    as the department (平潭综合实验区… → the department) and still names the 管委会 and its office."""
    text = re.sub(r"^\s*平潭综合实验区\d{4}年政府信息公开工作年度报告\s*", "", text)
    return re.sub(r"平潭综合实验区(?!管委会|党工委|金井湾|北厝)", department, text)


def department_reports() -> list[tuple[str, str, str]]:
    out = []
    for raw in sorted(PINGTAN.glob("*.txt")):
        for dept in DEPARTMENTS:
            text = as_department(raw.read_text(encoding="utf-8"), dept)
            assert not text.lstrip().startswith("平潭综合实验区") and "管委会" in text and dept in text
            out.append((f"{raw.stem}-{dept}", dept, text))
    return out


@pytest.mark.parametrize(("key", "dept", "text"), department_reports(), ids=[k for k, _, _ in department_reports()])
def test_department_without_title_is_uncertain_with_the_department_a_candidate(key: str, dept: str, text: str) -> None:
    report = parse_text(text)
    assert "agency-uncertain" in codes(report), (key, report.agency.name)
    assert dept in candidates(report)
    assert all(e.source == "body" for e in report.agency.evidence)
    (p,) = [p for p in report.problems if p.code == "agency-uncertain"]
    assert dept in p.message and "--agency-name" in p.message


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022])
def test_department_report_under_its_governments_title_is_uncertain(year: int) -> None:
    """A site that titles a department's report with the government's name (平潭综合实验区2022年度…) while
    the text speaks as the department (我局): never filed under the government."""
    raw = (PINGTAN / f"{year}.txt").read_text(encoding="utf-8")
    text = f"平潭综合实验区{year}年政府信息公开工作年度报告 " + as_department(raw, GONGAN).replace("我区", "我局")
    report = parse_text(text)
    assert outcome(report, GONGAN) == "uncertain"
    assert candidates(report)[0] == GONGAN and GUANWEIHUI in candidates(report)
    # The 管委会's own report under the same title is the 管委会's (its text says 我区).
    own = parse_text(f"平潭综合实验区{year}年政府信息公开工作年度报告 " + re.sub(r"^\s*平潭综合实验区\d{4}年政府信息公开工作年度报告\s*", "", raw))
    assert "agency-uncertain" not in codes(own) and own.agency.name == "平潭综合实验区"


def test_a_flag_always_decides() -> None:
    _, dept, text = department_reports()[-1]
    report = parse_text(text, agency_name=dept)
    assert report.agency.name == dept and "agency-uncertain" not in codes(report)
    assert report.agency.evidence[0].source == "flag"
    # The flag decides even against a title that says otherwise.
    titled = parse_file(ZHONGWEI, agency_name="中卫市人民政府")
    assert titled.agency.name == "中卫市人民政府" and "agency-uncertain" not in codes(titled)
    assert [e.source for e in titled.agency.evidence][:2] == ["flag", "title"]


# The same HTML page with and without its meta tags ---------------------------------------------------


def _page_variants() -> dict[str, str]:
    page = PAGE.read_text(encoding="utf-8")
    no_meta = re.sub(r'<meta name="(?!viewport)[A-Za-z]+" content="[^"]*"\s*/>\s*', "", page)
    no_page_title = re.sub(r"<title>[^<]*</title>", "<title></title>", no_meta)
    title_div = re.compile(r'<div class="article_title[^"]*">.*?</div>', re.S)
    assert no_meta != page and no_page_title != no_meta and title_div.search(page)
    return {
        "whole page": page,
        "meta tags only (no title in the text)": title_div.sub("", page),
        "no meta tags": no_meta,
        "no meta tags, no <title>": no_page_title,
        "no meta tags, no <title>, no title in the text": title_div.sub("", no_page_title),
        # A CMS that files a department's report under its parent's title: the metadata disagrees.
        "ArticleTitle naming the parent": page.replace(
            'name="ArticleTitle" content="平潭综合实验区公安局', 'name="ArticleTitle" content="平潭综合实验区'),
    }


EXPECTED_SOURCE = {
    "whole page": "meta:ArticleTitle",
    "meta tags only (no title in the text)": "meta:ArticleTitle",
    "no meta tags": "html-title",
    "no meta tags, no <title>": "title",
}


@pytest.fixture(scope="module")
def page_reports(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for i, (name, html) in enumerate(_page_variants().items()):
        path = folder / f"{i}.htm"
        path.write_text(html, encoding="utf-8")
        out[name] = parse_file(path)
    return out


def test_html_meta_tags_decide_and_the_evidence_says_so(page_reports: dict) -> None:
    for name, source in EXPECTED_SOURCE.items():
        report = page_reports[name]
        assert report.agency.name == GONGAN, name
        assert "agency-uncertain" not in codes(report), name
        assert report.agency.evidence[0].source == source, name
    whole = page_reports["whole page"].agency.evidence[0]
    assert whole.text == "平潭综合实验区公安局2022年政府信息公开工作年度报告"
    # SiteName names the site's owner (the 管委会) on a department's page too: never the report's agency.
    assert not any(e.name == "平潭综合实验区党工委管委会" for e in page_reports["whole page"].agency.evidence)


def test_html_without_meta_tags_or_title_is_uncertain(page_reports: dict) -> None:
    bare = page_reports["no meta tags, no <title>, no title in the text"]
    assert "agency-uncertain" in codes(bare)
    assert GONGAN in candidates(bare)
    assert any("管委会" in c for c in candidates(bare))  # the body names the parent's office
    disagreeing = page_reports["ArticleTitle naming the parent"]
    assert "agency-uncertain" in codes(disagreeing)
    assert GONGAN in candidates(disagreeing) and "平潭综合实验区" in candidates(disagreeing)


def test_reader_keeps_the_page_properties() -> None:
    from nianbao.readers import read_document

    props = read_document(PAGE).properties
    assert props["meta:ArticleTitle"] == "平潭综合实验区公安局2022年政府信息公开工作年度报告"
    assert props["meta:SiteName"] == "平潭综合实验区党工委管委会"
    assert props["html-title"].startswith("平潭综合实验区公安局2022年")
    assert "meta:ContentSource" not in props  # empty on the page: left out


# The department page's text as converters and crawlers give it ---------------------------------------------


def _page_text_variants() -> dict[str, tuple[str, str]]:
    """name → (text, expected outcome) from the real department page's text (title line, then the body)."""
    from nianbao.readers import read_document

    title, *body = read_document(PAGE).lines
    assert title == "平潭综合实验区公安局2022年政府信息公开工作年度报告"
    signed = ["", GONGAN, "2023年1月9日"]
    variants = {
        "name and title on two lines": (["平潭综合实验区公安局", "2022年政府信息公开工作年度报告", *body], "exact"),
        "title broken mid-line": (["平潭综合实验区公安局2022年政府信息公开", "工作年度报告", *body], "exact"),
        "letter-spaced title (pdftotext)": ([" ".join(title), *body], "exact"),
        "Markdown heading": (["# " + title, *body], "exact"),
        "one line of web text": ([" ".join([title, *body])], "exact"),
        "title after the preamble": ([body[0], title, *body[1:]], "exact"),
        "no title, signed by the department": ([*body, *signed], "exact"),
        "OCR damaged the title's year": ([title.replace("2022", "2O22"), *body], "uncertain"),
        "no title, signed by the parent": ([*body, "", GUANWEIHUI, "2023年1月9日"], "uncertain"),
    }
    return {k: ("\n".join(lines), want) for k, (lines, want) in variants.items()}


@pytest.mark.parametrize("variant", list(_page_text_variants()))
def test_department_page_text_in_converter_layouts(variant: str) -> None:
    text, want = _page_text_variants()[variant]
    assert outcome(parse_text(text), GONGAN) == want


# Titles, signatures and names kept whole ------------------------------------------------------------


SELF = {"办公厅": "我厅", "委员会": "我委", "管委会": "我区"}  # how each calls itself (the sample says 我局)


def _zhongwei(name: str, layout: str) -> str:
    text = ZHONGWEI.read_text(encoding="utf-8").replace("中卫市民政局", name)
    text = text.replace("我局", next((w for end, w in SELF.items() if name.endswith(end)), "我局"))
    if layout == "title on one line":
        return text.replace(f"{name}\n\n2021 年政府信息公开", f"{name}2021年政府信息公开", 1)
    if layout in ("signature only", "body only"):
        text = text.replace(f"{name}\n\n2021 年政府信息公开工作年度报告", "", 1)
        return text.rstrip() + f"\n\n{name}\n2022年1月20日\n" if layout == "signature only" else text
    if layout == "web text on one line":
        return " ".join(line.strip() for line in text.replace(f"{name}\n\n2021 年", f"{name}2021年", 1).split("\n") if line.strip())
    return text  # the name on its own line above the title, as the sample prints it


@pytest.mark.parametrize("layout", ["name above the title", "title on one line", "signature only", "web text on one line"])
@pytest.mark.parametrize("name", WHOLE_NAMES)
def test_names_are_kept_whole(name: str, layout: str) -> None:
    report = parse_text(_zhongwei(name, layout))
    assert report.agency.name == name
    assert "agency-uncertain" not in codes(report)
    assert report.agency.evidence[0].source == ("signature" if layout == "signature only" else "title")


@pytest.mark.parametrize("name", WHOLE_NAMES)
def test_body_alone_never_cuts_a_name_to_its_place(name: str) -> None:
    """No title, no signature: the body names the agency, the 自治区's government and offices. Uncertain,
    with the agency among the candidates, and no candidate is a place cut out of a name (上海市, 实验区)."""
    report = parse_text(_zhongwei(name, "body only"))
    assert outcome(report, name) == "uncertain"
    assert name in candidates(report)
    assert not any(re.fullmatch(r"[\u4e00-\u9fff]{1,8}?(?:市|区|县|实验区)", c) for c in candidates(report))


@pytest.mark.parametrize("name", WHOLE_NAMES)
def test_names_are_kept_whole_from_meta_tags(name: str, tmp_path: Path) -> None:
    page = PAGE.read_text(encoding="utf-8").replace(GONGAN, name)
    (tmp_path / "p.htm").write_text(page, encoding="utf-8")
    report = parse_file(tmp_path / "p.htm")
    assert report.agency.name == name and report.agency.evidence[0].source == "meta:ArticleTitle"


def test_title_and_signature_that_disagree_are_uncertain() -> None:
    text = ZHONGWEI.read_text(encoding="utf-8").rstrip() + "\n\n中卫市人民政府办公室\n2022年1月20日\n"
    report = parse_text(text)
    assert "agency-uncertain" in codes(report)
    assert candidates(report) == ["中卫市民政局", "中卫市人民政府办公室"]
    assert [e.source for e in report.agency.evidence] == ["title", "signature"]


def test_a_government_report_signed_by_its_office_is_the_governments() -> None:
    text = _zhongwei("中卫市人民政府", "title on one line").rstrip() + "\n\n中卫市人民政府办公室\n2022年3月20日\n"
    report = parse_text(text)
    assert report.agency.name == "中卫市人民政府" and "agency-uncertain" not in codes(report)
    assert [e.source for e in report.agency.evidence] == ["title"]
    # A department's report signed by the government's office is not the office's, nor the department's.
    text = _zhongwei("中卫市民政局", "title on one line").rstrip() + "\n\n中卫市人民政府办公室\n2022年3月20日\n"
    assert "agency-uncertain" in codes(parse_text(text))


def test_a_signature_alone_that_the_body_contradicts_is_uncertain() -> None:
    """No title; signed by an office, while the body calls its author 我局 and names the 局."""
    text = _zhongwei("中卫市民政局", "body only").rstrip() + "\n\n中卫市人民政府办公室\n2022年1月20日\n"
    report = parse_text(text)
    assert "agency-uncertain" in codes(report)
    assert candidates(report)[:2] == ["中卫市民政局", "中卫市人民政府办公室"]


def test_a_title_name_without_a_place_that_the_body_does_not_settle_is_uncertain() -> None:
    text = (RAW / "henan-xinyang-pingqiao-minzheng" / "2024.txt").read_text(encoding="utf-8")
    text = text.replace("平桥区民政局", "信阳市民政局", 2)  # the body now names two 民政局, each twice
    report = parse_text(text)
    assert "agency-uncertain" in codes(report)
    assert {"平桥区民政局", "信阳市民政局"} <= set(candidates(report))


def test_title_and_signature_that_agree_decide() -> None:
    text = ZHONGWEI.read_text(encoding="utf-8").rstrip() + "\n\n宁夏回族自治区中卫市民政局\n2022年1月20日\n"
    report = parse_text(text)
    assert report.agency.name == "宁夏回族自治区中卫市民政局" and "agency-uncertain" not in codes(report)
    assert [e.source for e in report.agency.evidence] == ["title", "signature"]


def test_title_without_its_place_is_completed_from_the_body_only_when_one_fits() -> None:
    text = (RAW / "henan-xinyang-pingqiao-minzheng" / "2024.txt").read_text(encoding="utf-8")
    report = parse_text(text)
    assert report.agency.name == "平桥区民政局"
    assert [e.source for e in report.agency.evidence] == ["title", "body"]


def test_same_agency() -> None:
    assert same_agency("平桥区民政局", "信阳市平桥区民政局")
    assert same_agency("民政局", "平桥区民政局")
    assert same_agency("平潭综合实验区", "平潭综合实验区管委会")
    assert same_agency("平潭综合实验区管理委员会", "平潭综合实验区管委会")
    assert same_agency("上海市", "上海市人民政府")
    assert not same_agency("上海市", "上海市人民政府办公厅")
    assert not same_agency("上海市", "上海市科学技术委员会")
    assert not same_agency("实验区", "平潭综合实验区")
    assert not same_agency(GUANWEIHUI, GONGAN)
    assert not same_agency("平潭综合实验区", GONGAN)


def test_registry_finds_a_name_in_another_spelling_never_another_agency() -> None:
    from nianbao.registry import AgencyEntry, lookup, name_index

    agencies = {a.id: a for a in (
        AgencyEntry(id="pt", name=GUANWEIHUI, aliases=["平潭综合实验区"]),
        AgencyEntry(id="sh", name="上海市人民政府"),
        AgencyEntry(id="shb", name="上海市人民政府办公厅"),
    )}
    index = name_index(agencies)
    assert lookup("平潭综合实验区管理委员会", index) == "pt"
    assert lookup("平潭综合实验区", index) == "pt"
    assert lookup("上海市", index) == "sh"  # a title that names the government by its place
    assert lookup("上海市人民政府办公厅", index) == "shb"
    assert lookup(GONGAN, index) is None and lookup("上海市科学技术委员会", index) is None
    # Two agencies with one canonical spelling: neither is found by it.
    twins = {"pt": AgencyEntry(id="pt", name=GUANWEIHUI), "pt2": AgencyEntry(id="pt2", name="平潭综合实验区人民政府")}
    assert lookup("平潭综合实验区管理委员会", name_index(twins)) is None
    assert lookup(GUANWEIHUI, name_index(twins)) == "pt"  # as written, it is found


def test_docx_core_title_is_evidence(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in ZHONGWEI.read_text(encoding="utf-8").split("\n")[6:]:
        document.add_paragraph(line)
    document.core_properties.title = "中卫市民政局2021年政府信息公开工作年度报告"
    document.core_properties.author = "张三"  # a person, not an agency: no evidence
    document.save(tmp_path / "r.docx")
    report = parse_file(tmp_path / "r.docx")
    assert report.agency.name == "中卫市民政局"
    assert [e.source for e in report.agency.evidence][:1] == ["docx-title"]


def test_document_titles_as_writers_leave_them() -> None:
    from nianbao.parse.agency import property_evidence

    said = property_evidence({
        "pdf-title": "Microsoft Word - 平湖市民政局2021年度政府信息公开工作年度报告.docx",
        "docx-title": "政府信息公开工作年度报告格式",  # a template's title: no agency
        "meta:ContentSource": "平湖市民政局",
        "meta:Author": "办公室",  # not a whole name
    })
    assert [(e.source, e.name) for e in said] == [("pdf-title", "平湖市民政局"), ("meta:ContentSource", "平湖市民政局")]


def test_docx_company_is_read(tmp_path: Path) -> None:
    import zipfile

    import docx

    from nianbao.readers import read_document

    document = docx.Document()
    document.add_paragraph("政府信息公开")
    document.save(tmp_path / "plain.docx")
    with zipfile.ZipFile(tmp_path / "plain.docx") as src, zipfile.ZipFile(tmp_path / "r.docx", "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "docProps/app.xml":
                data = re.sub(rb"<Company/>|<Company>[^<]*</Company>", "<Company>平湖市民政局</Company>".encode(), data, count=1)
            dst.writestr(item, data)
    assert read_document(tmp_path / "r.docx").properties["docx-company"] == "平湖市民政局"


def test_pdf_document_info_is_read_as_text() -> None:
    from nianbao.readers.pdf import _document_info

    title = "乌苏市民政局2021年政府信息公开工作年度报告"
    info = _document_info({"Title": "\ufeff".encode("utf-16-be") + title.encode("utf-16-be"), "Author": None})
    assert info == {"pdf-title": title}


# The committed samples keep their agencies ---------------------------------------------------------------


def test_committed_samples_keep_their_agencies() -> None:
    registry = load_agencies(REPO / "data" / "agencies.yaml")
    flagged = {"fujian-fuzhou-pingtan-guanweihui", "henan-xinyang-pingqiao-minzheng"}  # ingest_samples passes --agency-name
    for raw in sorted(RAW.glob("*/*.txt")):
        report = parse_file(raw)
        agency_id = raw.parent.name
        if "agency-uncertain" in codes(report):
            assert agency_id in flagged, raw  # 平潭 2021/2022: no title; the sample ingest says which agency
            assert GUANWEIHUI in candidates(report)
            continue
        assert any(same_agency(report.agency.name, n) for n in (registry[agency_id].name, *registry[agency_id].aliases)), raw


def test_parse_alone_never_reads_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*a, **k):
        raise AssertionError("the parser read the registry")

    monkeypatch.setattr("nianbao.registry.load_agencies", refuse)
    report = parse_file(ZHONGWEI)
    assert report.agency.id == "pending" and report.agency.name == "中卫市民政局"
    monkeypatch.undo()
    assert identify(report).agency.id == "ningxia-zhongwei-minzheng"  # the CLI's lookup, after the parse


# Ingest refuses to attach an uncertain report --------------------------------------------------------------


def _ingest(*args: str, root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "nianbao.cli", "ingest", "--jobs", "1", *args],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=300)


def test_ingest_refuses_a_department_report_and_files_nothing(tmp_path: Path) -> None:
    root = tmp_path  # a scratch project root for the CLI (NIANBAO_ROOT)
    parent = _ingest(str(PINGTAN / "2022.txt"), "--agency-name", GUANWEIHUI, root=root)
    assert parent.returncode == 0, parent.stderr
    before = _tree(root)
    assert "data/records/fujian-fuzhou-pingtan-guanweihui/2022.yaml" in before
    dept = root / "gongan-2022.txt"
    dept.write_text(as_department((PINGTAN / "2022.txt").read_text(encoding="utf-8"), GONGAN), encoding="utf-8")

    refused = _ingest(str(dept), root=root)
    assert refused.returncode == 2
    lines = refused.stderr.strip().split("\n")
    assert len(lines) == 1, refused.stderr
    assert str(dept) in lines[0] and "agency uncertain" in lines[0] and GONGAN in lines[0] and "--agency-name" in lines[0]
    assert _tree(root) == before  # the 管委会's raw file, provenance and record untouched; nothing added

    # The flag decides: the department becomes an agency of its own, the 管委会's files stay as they were.
    decided = _ingest(str(dept), "--agency-name", GONGAN, root=root)
    assert decided.returncode == 0, decided.stderr
    after = _tree(root)
    assert {k: v for k, v in after.items() if k in before and "agencies.yaml" not in k} == {
        k: v for k, v in before.items() if "agencies.yaml" not in k}
    new = [k for k in after if k not in before and k.startswith("data/records/")]
    assert len(new) == 1
    from nianbao.dataset import load_record

    record = load_record(root / new[0])
    assert record.agency.name == GONGAN and record.agency.evidence[0].source == "flag"
    assert "agency-uncertain" not in codes(record)


# The measure printed for the report: exact, uncertain, wrong ------------------------------------------------


def test_measure_exact_uncertain_never_wrong(page_reports: dict, capsys: pytest.CaptureFixture) -> None:
    results = [outcome(parse_text(text), dept) for _, dept, text in department_reports()]
    results += [outcome(r, GONGAN) for r in page_reports.values()]
    results += [outcome(parse_text(text), GONGAN) for text, _ in _page_text_variants().values()]
    results += [outcome(parse_text(f"平潭综合实验区{y}年政府信息公开工作年度报告 " + as_department(
        (PINGTAN / f"{y}.txt").read_text(encoding="utf-8"), GONGAN).replace("我区", "我局")), GONGAN) for y in range(2019, 2023)]
    results += [outcome(parse_text(_zhongwei(n, lay)), n) for n in WHOLE_NAMES
                for lay in ("name above the title", "title on one line", "signature only", "web text on one line", "body only")]
    counts = {k: results.count(k) for k in ("exact", "uncertain", "wrong")}
    with capsys.disabled():
        print(f"\nidentity: {len(results)} derived reports: {counts}")
    assert counts["wrong"] == 0
