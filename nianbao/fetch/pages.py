"""What a fetched web page holds for `nianbao fetch`: its meta tags, its links to annual reports, its
pagination, its attachments, and whether it is a report page at all.

A page is data: it is decoded (the HTTP charset, else its <meta charset>, else detected: GB2312 and GBK
pages are common and are read as GB18030, their superset), parsed by lxml without running anything, and
read within the same size limit as a saved page (readers/limits.py). Platform adapters (adapters.py) say
where a known platform keeps the body, the attachments and the later pages; these generic rules read any
other page.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from ..readers.limits import MAX_HTML_BYTES
from .client import FetchError

# The meta tags 《政府网站发展指引》 asks of every page, kept in source.yaml (the contract with ingest).
META_KEYS = ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource")
ATTACHMENT_TYPES = ("pdf", "docx", "doc", "wps", "xls", "xlsx")

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REPORT_WORDS = re.compile(r"年度报告|年报|工作报告")
_DISCLOSURE = re.compile(r"信息公开|政务公开")
_REPORT_COLUMN = re.compile(r"年报|年度报告")
_NEXT = re.compile(r"^\s*(下一?页|下页|next|›|>|»)\s*$", re.IGNORECASE)
_INDEX_PAGE = re.compile(r"/index_\d+\.s?html?$")
_PAGE_PARAM = ("page", "pageno", "pageindex", "pagenum", "curpage", "p")
# The national template's tables and headings (2019 and 2021 versions), and the old template's table.
_NEW_TEMPLATE = re.compile(r"第二十条第|收到和处理政府信息公开申请|本年新收|申请人情况")
_OLD_TEMPLATE = re.compile(r"指标名称.{0,40}计量单位|历年累计")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_GB = ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn", "gb18030")


@dataclass
class Link:
    url: str
    text: str
    year: int | None = None  # the year a report link's title names


@dataclass
class Page:
    url: str
    encoding: str
    meta: dict[str, str]
    title: str
    links: list[Link]
    body_text: str  # the text of the element the adapter (or the whole <body>) says holds the report
    attachments: list[Link] = field(default_factory=list)
    more_pages: list[str] = field(default_factory=list)  # later pages of a listing

    @property
    def report_title(self) -> str:
        return self.meta.get("ArticleTitle") or self.title

    @property
    def is_report_column(self) -> bool:
        return bool(_REPORT_COLUMN.search(self.meta.get("ColumnName", "")))

    def template(self) -> str | None:
        """'new' when the body holds the 2019/2021 template's tables, 'old' for the pre-2019 statistics table
        (its prose also speaks of 行政复议, so only the new template's own words count), else None."""
        if _NEW_TEMPLATE.search(self.body_text):
            return "new"
        return "old" if _OLD_TEMPLATE.search(self.body_text) else None


def decode(data: bytes, content_type: str = "") -> tuple[str, str]:
    """(text, encoding): the HTTP charset, else the page's <meta charset>, else UTF-8, else detected."""
    declared = [m.group(1) for m in [_CHARSET.search(content_type or "")] if m]
    declared += [m.group(1).decode("ascii", "ignore") for m in [_META_CHARSET.search(data[:8192])] if m]
    for name in declared:
        name = "gb18030" if name.lower() in _GB else name
        try:
            codec = codecs.lookup(name).name
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            continue  # an unknown or wrong label: the next one, or detection
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:MAX_HTML_BYTES]).best()
    if best is None:
        raise FetchError("not text in any encoding that could be detected")
    encoding = "gb18030" if best.encoding.lower() in _GB else best.encoding
    return data.decode(encoding, errors="replace"), encoding


def read_page(data: bytes, url: str, content_type: str = "", platform: str | None = None) -> Page:
    import lxml.html
    from lxml.etree import ParserError

    from .adapters import adapter_for

    if len(data) > MAX_HTML_BYTES:
        raise FetchError(f"the page is {len(data):,} bytes, more than a page may be ({MAX_HTML_BYTES:,})")
    text, encoding = decode(data, content_type)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        root = lxml.html.document_fromstring(text or "<html></html>")
    except (ParserError, ValueError) as exc:
        raise FetchError(f"not a readable HTML page ({exc})") from None
    meta = {}
    for el in root.iter("meta"):
        name = (el.get("name") or "").strip()
        for key in META_KEYS:
            if name.lower() == key.lower() and (el.get("content") or "").strip() and key not in meta:
                meta[key] = " ".join(el.get("content").split())
    title = " ".join((root.findtext(".//title") or "").split())
    scripts = "\n".join(s.text or "" for s in root.iter("script"))
    for el in list(root.iter("script", "style", "noscript", "template")):
        if el.getparent() is not None:
            el.drop_tree()
    adapter = adapter_for(root, scripts, platform)
    links = _links(root, url)
    body = adapter.body(root) if adapter else None
    page = Page(url=url, encoding=encoding, meta=meta, title=title, links=links,
                body_text=" ".join((body if body is not None else root).text_content().split()))
    # A platform's own places for attachments, else every link to a file of those types on the page.
    page.attachments = _dedupe(adapter.attachments(root, scripts, url) if adapter
                               else [k for k in links if attachment_type(k.url)])
    page.more_pages = _dedupe_urls([*(adapter.pages(scripts, url) if adapter else []), *_pagination(links, url)])
    return page


def _links(root, base: str) -> list[Link]:
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or "{{" in href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base, href).split("#")[0]
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        text = " ".join((a.get("title") or a.text_content() or "").split())
        out.append(Link(url=url, text=text))
    return out


def _dedupe(links: list[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return list(seen.values())


def _dedupe_urls(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(urls))


def attachment_type(url: str) -> str | None:
    ext = urlsplit(url).path.rsplit(".", 1)[-1].lower() if "." in urlsplit(url).path else ""
    return ext if ext in ATTACHMENT_TYPES else None


def report_year(title: str, in_report_column: bool = False) -> int | None:
    """The year an annual report's title names (平潭综合实验区2022年度政府信息公开工作年度报告 → 2022), or None
    when the title is not one: it must name a year and a report (年度报告, 年报), and 信息公开 or 政务公开
    unless the link sits in a column whose meta tags say it is the annual-report column."""
    if not _REPORT_WORDS.search(title) or not (in_report_column or _DISCLOSURE.search(title)):
        return None
    match = _YEAR.search(title)
    return int(match.group(1)) if match else None


def report_links(page: Page) -> list[Link]:
    """The links to annual reports on a page, each with its year; one per address."""
    out = []
    for link in _dedupe(page.links):
        year = report_year(link.text, page.is_report_column)
        if year is not None and not attachment_type(link.url):
            out.append(Link(url=link.url, text=link.text, year=year))
    return out


def column_links(page: Page) -> list[str]:
    """Links to an annual-report column (政府信息公开年报, 年度报告) from a site's 政府信息公开 root."""
    return _dedupe_urls([k.url for k in page.links if _REPORT_COLUMN.search(k.text) and not _YEAR.search(k.text)
                         and len(k.text) <= 20 and not attachment_type(k.url)])


def _pagination(links: list[Link], base: str) -> list[str]:
    """Later pages of a listing written as links: 下一页, index_N.htm beside the listing, ?page=N."""
    here = urlsplit(base)
    folder = here.path.rsplit("/", 1)[0]
    out = []
    for link in links:
        there = urlsplit(link.url)
        if there.netloc != here.netloc:
            continue
        same_folder = there.path.rsplit("/", 1)[0] == folder
        paged = any(k.lower() in _PAGE_PARAM for k, _ in parse_qsl(there.query)) and there.path == here.path
        if _NEXT.match(link.text) or paged or (same_folder and _INDEX_PAGE.search(there.path)):
            out.append(link.url)
    return out
