"""The fixture site of `nianbao fetch`'s tests: the real Pingtan pages of tests/fixtures/sites/ and pages
derived from them, served by a threaded http.server on 127.0.0.1 that counts every request.

Derived pages keep the real page's template (its meta tags, menus, scripts) and change what a real
site changes from report to report: the title, the meta tags ArticleTitle/PubDate/DocId/Url, the body in
div.TRS_Editor and the attachment list. Report bodies and attachments are built from the samples in
data/raw by scripts/make_documents.py (python-docx for the DOCX, LibreOffice for the PDF).
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .conftest import REPO, SAMPLES, load_script

SITES = REPO / "tests" / "fixtures" / "sites" / "pingtan"
GONGAN_2022 = REPO / "tests" / "fixtures" / "identity" / "pingtan-gongan-2022.htm"
COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
GONGAN = "/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqgaj/zfxxgknb/"
LAST_MODIFIED = "Mon, 20 Feb 2023 07:07:00 GMT"
ROBOTS = f"User-agent: *\nDisallow: {COLUMN}202403/\n"
BIG = 3 * 2**20  # the attachment over the tests' size limit (2 MB)
# The entries of the column's second page: the rest of the 20 titles the archive lists (ARCHIVE-README.md).
PAGE_2 = [("201601/t20160120_80445.htm", "平潭综合实验区2015年度政府信息公开工作年度报告", "2016-01-20"),
          ("201501/t20150115_80791.htm", "平潭综合实验区管委会2014年度政府信息公开工作年度报告", "2015-01-15"),
          ("201412/t20141210_80787.htm", "关于2014年政府信息公开工作要点落实情况的函", "2014-12-10"),
          ("201403/t20140310_80759.htm", "平潭综合实验区2013年政府信息公开工作年度报告", "2014-03-10"),
          ("201402/t20140220_80774.htm", "平潭综合实验区地方税务局2013年信息公开年度报告", "2014-02-20"),
          ("201401/t20140115_80754.htm", "平潭县人民政府2013年政府信息公开工作年度报告", "2014-01-15"),
          ("201302/t20130220_80734.htm", "平潭综合实验区2012年政府信息公开工作年度报告", "2013-02-20"),
          ("201301/t20130115_80725.htm", "平潭县人民政府2012年政府信息公开工作年度报告", "2013-01-15"),
          ("201204/t20120410_80716.htm", "平潭县人民政府2011年政府信息公开工作年度报告", "2012-04-10"),
          ("201204/t20120405_80678.htm", "平潭综合实验区2011年政府信息公开工作年度报告", "2012-04-05")]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def report_page(template: str, doc: str, title: str, pubdate: str, body: str, attachments: str = "") -> str:
    """The real report page with another report in it."""
    old_title = re.search(r'<meta name="ArticleTitle" content="([^"]*)"', template).group(1)
    page = template.replace(old_title, title)
    page = re.sub(r'(<meta name="PubDate" content=")[^"]*', rf"\g<1>{pubdate}", page)
    page = re.sub(r'(<meta name="DocId" content=")[^"]*', rf"\g<1>{doc}", page)
    start = page.index("<div class=TRS_Editor>") + len("<div class=TRS_Editor>")
    end = page.index('<div class="article_attachment"')
    end = page.rindex("</div>", start, page.rindex("</div>", start, page.rindex("</div>", start, end)))
    page = page[:start] + body + page[end:]
    return re.sub(r'(<ul id="file_ul_fj">)\s*', rf"\g<1>{attachments}", page, count=1)


def listing_page(template: str, entries: list[tuple[str, str, str]]) -> str:
    """The real listing page with other entries (dl > dd > a, then the date)."""
    start = template.index('<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">')
    start = template.index("<dl>", start)
    end = template.index("</div>", start)
    rows = "".join(f'<dl><dd class="trt-col-sm-24 slb-trt-col-24 text_align_left"><a href="../{href}" target="_blank" '
                   f'title="{html.escape(title)}">{html.escape(title)}</a></dd><dd class="trt-col-4">{date}</dd></dl>\n'
                   for href, title, date in entries)
    return template[:start] + rows + template[end:]


def _body(sample_html: str) -> str:
    """The report's body from a page make_documents wrote: the inside of its div.TRS_Editor."""
    start = sample_html.index('<div class="TRS_Editor" id="zoom">') + len('<div class="TRS_Editor" id="zoom">')
    return sample_html[start:sample_html.index("</div>", start)]


def build_site(outdir: Path) -> dict[str, tuple[int, dict[str, str], bytes]]:
    """path → (status, headers, body) of every page the site serves (a 404 for the rest)."""
    make_documents = load_script("make_documents")
    samples = {y: SAMPLES / f"fujian-pingtan_{y}.txt" for y in (2019, 2020, 2021)}
    make_documents.build_all(list(samples.values()), outdir, pdf=True)
    docs = {y: outdir / s.stem for y, s in samples.items()}
    listing = _read(SITES / "zfxxgknb" / "index.html")
    report = _read(SITES / "zfxxgknb" / "202302" / "t20230220_80629.htm")
    html_type, utf8 = {"Content-Type": "text/html"}, "text/html; charset=utf-8"
    title = "平潭综合实验区{}年度政府信息公开工作年度报告"

    def page(text: str, charset: str = "utf-8") -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": utf8 if charset == "utf-8" else "text/html"}, text.encode(charset)

    site = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, ROBOTS.encode()),
        "/zwgk/zfxxgk/": page('<html><head><meta charset="utf-8"><title>政府信息公开_平潭综合实验区党工委管委会</title>'
                              '</head><body><ul><li><a href="./zfxxgkzn/">政府信息公开指南</a></li>'
                              '<li><a href="./zfxxgknb/">政府信息公开年报</a></li></ul></body></html>'),
        COLUMN: page(listing),
        COLUMN + "202302/t20230220_80629.htm": page(report),
        COLUMN + "201901/t20190110_80529.htm": page(_read(SITES / "zfxxgknb" / "201901" / "t20190110_80529.htm")),
        GONGAN: page(_read(SITES / "dfbmptlj" / "ptzhsyqbm" / "ptzhsyqgaj" / "zfxxgknb" / "index.html")),
        GONGAN + "202301/t20230109_80624.htm": page(_read(GONGAN_2022)),
    }
    # The second page of the column, in GB2312 as many sites still serve (no charset in the HTTP header).
    second = listing_page(listing, PAGE_2).replace('<meta charset="utf-8"', '<meta charset="gb2312"', 1)
    site[COLUMN + "index_1.htm"] = (200, html_type, second.encode("gb18030"))
    # 2021: the body says 详见附件 and the report is attached as DOCX and PDF.
    files = ('<li><a href="./P020220208398475263987.docx">平潭综合实验区2021年度政府信息公开工作年度报告.docx</a></li>'
             '<li><a href="./P020220208398475263988.pdf">平潭综合实验区2021年度政府信息公开工作年度报告.pdf</a></li>')
    site[COLUMN + "202202/t20220208_80613.htm"] = page(report_page(
        report, "80613", title.format(2021), "2022-02-08 10:00", "<p>详见附件。</p>", files))
    site[COLUMN + "202202/P020220208398475263987.docx"] = (
        200, {"Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        docs[2021].with_suffix(".docx").read_bytes())
    site[COLUMN + "202202/P020220208398475263988.pdf"] = (
        200, {"Content-Type": "application/pdf"}, docs[2021].with_suffix(".pdf").read_bytes())
    # 2020: a GB2312 page (declared in its meta tag only), which fails once with a 500 and then recovers.
    gb = report_page(report, "80595", title.format(2020), "2021-03-05 09:00", _body(_read(docs[2020].with_suffix(".html"))))
    site[COLUMN + "202103/t20210305_80595.htm"] = (
        200, html_type, gb.replace('<meta charset="utf-8"', '<meta charset="gb2312"', 1).encode("gb18030"))
    # 2019: moved (301) to another address.
    site[COLUMN + "202001/t20200120_80576.htm"] = (301, {"Location": COLUMN + "202001/t20200120_80576_1.htm"}, b"")
    site[COLUMN + "202001/t20200120_80576_1.htm"] = page(report_page(
        report, "80576", title.format(2019), "2020-01-20 09:00", _body(_read(docs[2019].with_suffix(".html")))))
    # 2024: its only attachment is larger than the tests' limit.
    site[COLUMN + "202503/t20250310_97791.htm"] = page(report_page(
        report, "97791", title.format(2024), "2025-03-10 09:00", "<p>详见附件。</p>",
        '<li><a href="./P020250310big.pdf">平潭综合实验区2024年度政府信息公开工作年度报告.pdf</a></li>'))
    pdf = docs[2021].with_suffix(".pdf").read_bytes()
    site[COLUMN + "202503/P020250310big.pdf"] = (200, {"Content-Type": "application/pdf"}, pdf + b"%" * (BIG - len(pdf)))
    # 2023 (robots.txt forbids 202403/) and 2025 (404) are not served.
    return site


@dataclass
class Hit:
    path: str
    status: int
    headers: dict[str, str]


@dataclass
class Server:
    pages: dict[str, tuple[int, dict[str, str], bytes]]
    hits: list[Hit] = field(default_factory=list)
    fail_once: set[str] = field(default_factory=set)  # paths that answer 500 the first time
    no_length: set[str] = field(default_factory=set)  # paths answered without Content-Length (read to the close)
    url: str = ""

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    def count(self, path: str) -> int:
        return sum(h.path == path for h in self.hits)


def serve(server: Server):
    """Start the server on 127.0.0.1 (a free port); returns the http.server to shut down."""
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            path = self.path.split("?")[0]
            if path.endswith("/index.html"):
                path = path[: -len("index.html")]
            status, headers, body = server.pages.get(path, (404, {"Content-Type": "text/html"}, b"<h1>404</h1>"))
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            with lock:
                if path in server.fail_once:
                    server.fail_once.discard(path)
                    status, headers, body = 500, {"Content-Type": "text/html"}, b"<h1>500</h1>"
                elif status == 200 and (self.headers.get("If-None-Match") == etag
                                        or self.headers.get("If-Modified-Since") == LAST_MODIFIED):
                    status, body = 304, b""
                server.hits.append(Hit(path, status, dict(self.headers)))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if status in (200, 304):
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            if path not in server.no_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd
