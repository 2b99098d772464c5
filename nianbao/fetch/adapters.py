"""Platform adapters: where a content-management platform keeps a report page's body and attachments
and how it writes a listing's later pages, when the generic rules of pages.py are not enough.

TRS WCM (拓尔思), the platform of many government portals (the fixture site www.pingtan.gov.cn among
them): the body is `div.TRS_Editor` (class often unquoted) inside `div.article_content`; attachments are
listed in `div.article_attachment ul#file_ul_fj`, linked from the body (./P0…pdf) or kept in the inline
JavaScript arrays `apps` / `apps1` ({name: …, url: …}); a listing's later pages are static
`index_1.htm`, `index_2.htm` … whose count is in `createPageHTML(pages, current, "index", "htm")` or, on
the newer templates, in `listModel({pagebar: {prepage: 10, recordCount: '20'}})`.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urljoin

from .pages import Link, attachment_type

_CLASS = 'contains(concat(" ", normalize-space(@class), " "), " {} ")'
_APPS = re.compile(r"var\s+apps1?\s*=\s*\[(.*?)\]\s*;", re.S)
_APP = re.compile(r"""\{[^{}]*?\bname\s*:\s*["']([^"']*)["'][^{}]*?\burl\s*:\s*["']([^"']+)["']""", re.S)
_CREATE_PAGE = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["'](\w+)["']\s*,\s*["'](s?html?)["']""")
_RECORDS = re.compile(r"""recordCount\s*:\s*["']?(\d+)""")
_PER_PAGE = re.compile(r"""prepage\s*:\s*["']?(\d+)""")
MAX_PAGES = 50  # a listing of more pages than this is read up to here (500 reports at 10 a page)


class TRS:
    name = "trs"

    @staticmethod
    def detect(root, scripts: str) -> bool:
        return bool(root.xpath(f"//div[{_CLASS.format('TRS_Editor')}]")) or any(
            word in scripts for word in ("createPageHTML", "trsapi", "listModel("))

    def body(self, root):
        for cls in ("TRS_Editor", "article_content"):
            found = root.xpath(f"//div[{_CLASS.format(cls)}]")
            if found:
                return found[0]
        return None

    def attachments(self, root, scripts: str, base: str) -> list[Link]:
        out = []
        areas = root.xpath(f"//*[@id='file_ul_fj'] | //div[{_CLASS.format('article_attachment')}]")
        body = self.body(root)
        for area in [*areas, *([body] if body is not None else [])]:
            for a in area.iter("a"):
                href = (a.get("href") or "").strip()
                if href and "{{" not in href and attachment_type(urljoin(base, href)):
                    out.append(Link(url=urljoin(base, href), text=" ".join((a.get("title") or a.text_content()).split())))
        for array in _APPS.findall(scripts):
            for name, url in _APP.findall(array):
                if attachment_type(urljoin(base, url)) or attachment_type(name):
                    out.append(Link(url=urljoin(base, url), text=name))
        return out

    def pages(self, scripts: str, base: str) -> list[str]:
        match = _CREATE_PAGE.search(scripts)
        if match:
            count, stem, ext = int(match.group(1)), match.group(2), match.group(3)
        else:
            records, per_page = _RECORDS.search(scripts), _PER_PAGE.search(scripts)
            if not records or not per_page or int(per_page.group(1)) == 0:
                return []
            count, stem, ext = math.ceil(int(records.group(1)) / int(per_page.group(1))), "index", "htm"
        return [urljoin(base, f"{stem}_{n}.{ext}") for n in range(1, min(count, MAX_PAGES))]


ADAPTERS = {"trs": TRS()}


def adapter_for(root, scripts: str, hint: str | None = None):
    """The adapter a hint names (sites.yaml's platform), else the first whose platform the page shows."""
    if hint:
        return ADAPTERS.get(hint.lower())
    return next((a for a in ADAPTERS.values() if a.detect(root, scripts)), None)
